"""Per-connection limits on the public pages (django-ratelimit's counters, in the shared cache)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import get_usage


def limited(request: HttpRequest, group: str, rate: str, *, increment: bool,
            key: str | Callable[[str, HttpRequest], str] = "ip") -> bool:
    """Whether this connection (or whoever ``key`` names) used up ``rate`` (e.g. "5/10m") in
    ``group``; ``increment`` counts this request."""
    # "ip" is REMOTE_ADDR, never a client-sent header (see security.throttle.client_ip). Requests
    # that arrive without one (a bare WSGI call) share one allowance rather than failing.
    if key == "ip" and not request.META.get("REMOTE_ADDR"):
        key = _unknown_peer
    usage = get_usage(request, group=group, key=key, rate=rate, method=ALL, increment=increment)
    return usage is not None and usage["count"] >= usage["limit"] + (1 if increment else 0)


def _unknown_peer(_group: str, _request: HttpRequest) -> str:
    return "peer-unknown"
