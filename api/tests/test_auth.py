from __future__ import annotations

from collections.abc import Callable

import pytest

from api.models import ApiToken, hash_token
from audit.models import Event
from xinfang.testing import World, at

from .conftest import ApiClient, Clock

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_good_credentials_and_stored_only_as_hash(
    world: World, anonymous: ApiClient, clock: Clock
) -> None:
    r = anonymous.post("/auth/token", {"username": "handler", "password": "pw-handler"})

    assert r.status_code == 200, r.content
    token = r.json()["token"]
    stored = ApiToken.objects.get(user=world.users["handler"])
    assert stored.key_hash == hash_token(token) != token
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert Event.objects.filter(verb="issue_api_token", actor=world.users["handler"]).count() == 1
    # The token works, and its use is recorded.
    assert ApiClient(token).get("/matters").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used == clock.now


def test_wrong_password_is_401_with_a_clear_message(world: World, anonymous: ApiClient) -> None:
    r = anonymous.post("/auth/token", {"username": "handler", "password": "wrong"})

    assert r.status_code == 401
    assert "password" in r.json()["detail"].lower() or "密码" in r.json()["detail"]
    assert not ApiToken.objects.exists()


def test_unknown_user_is_401(world: World, anonymous: ApiClient) -> None:
    r = anonymous.post("/auth/token", {"username": "ghost", "password": "pw-ghost"})
    assert r.status_code == 401


def test_inactive_user_gets_no_token_and_existing_tokens_stop_working(
    world: World, as_user: Callable[[str], ApiClient], anonymous: ApiClient
) -> None:
    client = as_user("handler")
    assert client.get("/matters").status_code == 200
    world.users["handler"].is_active = False
    world.users["handler"].save()

    assert anonymous.post("/auth/token", {"username": "handler", "password": "pw-handler"}).status_code == 401
    assert client.get("/matters").status_code == 401


def test_missing_or_bad_token_is_401(world: World, anonymous: ApiClient) -> None:
    assert anonymous.get("/matters").status_code == 401
    assert ApiClient("xft_not-a-real-token").get("/matters").status_code == 401
    assert anonymous.post("/matters", {}).status_code == 401


def test_token_request_missing_fields_is_422(world: World, anonymous: ApiClient) -> None:
    r = anonymous.post("/auth/token", {"username": "handler"})
    assert r.status_code == 422
    assert "password" in r.json()["fields"]


def test_last_used_is_not_rewritten_on_every_request(
    world: World, as_user: Callable[[str], ApiClient], clock: Clock
) -> None:
    client = as_user("handler")
    client.get("/matters")
    first = ApiToken.objects.get().last_used
    clock.set(at(2026, 3, 2, 10).replace(second=30))
    client.get("/matters")
    assert ApiToken.objects.get().last_used == first
    clock.set(at(2026, 3, 2, 11))
    client.get("/matters")
    assert ApiToken.objects.get().last_used == at(2026, 3, 2, 11)
