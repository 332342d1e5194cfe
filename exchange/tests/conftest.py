from collections.abc import Iterator

import pytest
from django.utils import translation

from xinfang.testing import *  # noqa: F403


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Messages are asserted in their English source; the product shows them in Chinese.
    with translation.override("en"):
        yield
