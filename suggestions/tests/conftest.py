import pytest
from django.core.cache import cache

from xinfang.testing import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # noqa: ANN202 - a fixture
    cache.clear()
    yield
    cache.clear()
