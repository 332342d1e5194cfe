"""Small helpers shared by the views of every app."""

from __future__ import annotations

from django.http import HttpRequest

from org.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in staff member (views using it are behind ``login_required``)."""
    return request.user  # type: ignore[return-value]
