from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from api.models import ApiToken, hash_token, new_token
from xinfang.testing import *  # noqa: F403
from xinfang.testing import World, at

BASE = "/api/v1"


class ApiClient:
    """A django.test.Client (CSRF enforced, as in production) that sends one user's bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else ({} if body is None else body)
        return self.client.post(BASE + path, data, content_type="application/json", headers=self.headers)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def set(self, now: datetime) -> None:
        self.now = now


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()  # the token endpoint's throttle counts in the cache
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freezes django.utils.timezone.now (which the API layer reads) at 2026-03-02 10:00 Shanghai."""
    c = Clock(at(2026, 3, 2))
    monkeypatch.setattr("django.utils.timezone.now", lambda: c.now)
    return c


@pytest.fixture
def as_user(world: World, clock: Clock) -> Callable[[str], ApiClient]:
    def make(username: str) -> ApiClient:
        token = new_token()
        ApiToken.objects.create(user=world.users[username], key_hash=hash_token(token), created=clock.now)
        return ApiClient(token)

    return make


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient(None)


def matter_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "visit",
        "title": "小区楼顶漏水",
        "content": "楼顶防水层破损，雨天漏水，物业不修。",
        "petitioner": {"name": "张三丰", "phone": "13812345678", "id_number": "110101199003071234"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def register(as_user: Callable[[str], ApiClient], world: World) -> Callable[..., dict[str, Any]]:
    """Register a matter through the API as ``by`` (default d1_registrar) into ``unit`` (a world unit key)."""

    def make(by: str = "d1_registrar", unit: str | None = "d1_housing", **overrides: Any) -> dict[str, Any]:
        if unit is not None:
            overrides.setdefault("handling_unit_id", world.units[unit].pk)
        response = as_user(by).post("/matters", matter_body(**overrides))
        assert response.status_code == 201, response.content
        data: dict[str, Any] = response.json()
        return data

    return make


