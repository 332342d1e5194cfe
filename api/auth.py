"""Bearer-token authentication for staff, and issuing tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from audit.services import record_event
from org.models import User

from .models import ApiToken, hash_token, new_token

# Writing last_used on every request would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user must be active."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used is None or now - api_token.last_used >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
        return api_token.user


def issue_token(request: HttpRequest, username: str, password: str, *, now: datetime) -> str | None:
    """The clear token for valid credentials of an active user, else None. Issuing is an event."""
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        return None
    clear = new_token()
    with transaction.atomic():
        api_token = ApiToken.objects.create(user=user, key_hash=hash_token(clear), created=now)
        record_event("issue_api_token", actor=user, target=api_token, at=now)
    return clear


def current_user(request: HttpRequest) -> User:
    """The user the request's token belongs to (set by TokenAuth)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
