"""Rate limits on the public endpoints: guessing query codes on the portal and passwords on the
API token endpoint is cut off per connection, and other connections are not affected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from matters.tests.journeys import register
from xinfang.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    cache.clear()  # the limits count in the default cache
    yield
    cache.clear()


def _limit(rate: str) -> int:
    return int(rate.split("/")[0])


def test_portal_tracking_stops_guessing(world: World) -> None:
    matter = register(world)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(_limit(settings.PORTAL_TRACK_FAILURES_RATE)):
        assert guesser.post("/portal/track", {"code": "ABCDEFGHJK", "phone_last4": "0000"}).status_code == 404
    # Limited now: even the right code and phone are not looked up from this connection.
    right = {"code": matter.query_code, "phone_last4": "5678"}
    assert guesser.post("/portal/track", right).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").post("/portal/track", right).status_code == 302


def test_api_token_endpoint_is_throttled(world: World) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    codes = [guesser.post("/api/v1/auth/token", {"username": f"u{i}", "password": "x"},
                          content_type="application/json").status_code for i in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429


def test_the_token_throttle_cannot_be_dodged_with_a_forged_forwarded_for_header(world: World) -> None:
    # The proxy in front sets REMOTE_ADDR (see security.throttle); a client-sent X-Forwarded-For is
    # not an identity, or a guesser would get a fresh limit per made-up address.
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    codes = [guesser.post("/api/v1/auth/token", {"username": f"u{i}", "password": "x"}, content_type="application/json",
                          headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(31)]
    assert codes[30] == 429
