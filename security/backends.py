from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from .throttle import active_lockout, client_ip, forget_failures, record_failed_login


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refused outright while a lockout is in force, and
    counting each failure. Raising PermissionDenied stops Django from trying other backends."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        now = timezone.now()
        ip = client_ip(request)
        if active_lockout(username, ip, now=now) is not None:
            raise PermissionDenied("locked out")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failed_login(username, ip, now=now)
        else:
            forget_failures(username)
        return user
