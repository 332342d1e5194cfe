import pytest
from django.core.cache import cache

from xinfang.testing import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
