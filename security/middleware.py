from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Lockout
from .throttle import active_lockout, client_ip


def _login_paths() -> set[str]:
    paths = set()
    for name in ("login", "admin:login"):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            pass
    return paths


def locked_response(request: HttpRequest, lockout: Lockout) -> HttpResponse:
    return render(request, "security/locked.html", {"lockout": lockout}, status=429)


class LoginThrottleMiddleware:
    """On the login pages, answers a locked username or address with a page that says so (429)
    instead of the usual 'wrong password', both for attempts while locked and for the failure that
    started the lockout. The counting itself is in security.backends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = _login_paths()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path not in self.paths:
            return self.get_response(request)
        username = str(request.POST.get("username", ""))
        ip = client_ip(request)
        lockout = active_lockout(username, ip, now=timezone.now())
        if lockout is not None:
            return locked_response(request, lockout)
        response = self.get_response(request)
        if response.status_code == 200 and not request.user.is_authenticated:
            lockout = active_lockout(username, ip, now=timezone.now())
            if lockout is not None:
                return locked_response(request, lockout)
        return response
