"""Per-connection limits on the public pages (django-ratelimit's counters, in the shared cache)."""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import get_usage


def limited(request: HttpRequest, group: str, rate: str, *, increment: bool) -> bool:
    """Whether this connection used up ``rate`` (e.g. "5/10m") in ``group``; ``increment`` counts this request."""
    usage = get_usage(request, group=group, key="ip", rate=rate, method=ALL, increment=increment)
    return usage is not None and usage["count"] >= usage["limit"] + (1 if increment else 0)
