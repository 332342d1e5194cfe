"""Reports read from the streaming replica; everything else, and every write, uses the primary.

How the decision is made (docs/SCALE.md, "Read replica for reports"):

- A read goes to the ``replica`` alias only inside ``reporting()``: a context manager that the
  indicators pages enter (``ReportingMiddleware`` enters it for every view of the ``indicators``
  app, so those views need no change), and that any other report code may enter explicitly::

      from xinfang.db_router import reporting
      with reporting():
          rows = list(build_report(...))

- Even inside ``reporting()`` a read stays on the primary when
  * the primary connection is inside ``transaction.atomic()``: services read what they are about
    to change (the audit chain head, rows they lock) and must see the latest committed state;
  * the model belongs to sessions, auth, contenttypes or the database cache (django-ratelimit's
    counters): who the user is and how often they called must never lag.
- Writes always go to ``default``; the replica is never migrated.
- With no ``replica`` alias configured (``XINFANG_PG_REPLICA_HOST`` unset) every read uses ``default``.

Reports may therefore lag the primary by the replica's replay delay (milliseconds on a healthy
pair; monitored, see SCALE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve

REPLICA_ALIAS = "replica"
# Models whose reads never lag: the requester's identity and session, and the shared cache.
PRIMARY_ONLY_APP_LABELS = frozenset({"sessions", "auth", "contenttypes", "django_cache"})
# Views in these modules run inside reporting() (ReportingMiddleware).
REPORTING_VIEW_MODULES = ("indicators.",)

_reporting: ContextVar[bool] = ContextVar("xinfang_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads inside this block may come from the replica (see the module docstring)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def in_reporting() -> bool:
    return _reporting.get()


def replica_configured() -> bool:
    return REPLICA_ALIAS in connections.settings


class ReportingRouter:
    """``DATABASE_ROUTERS = ["xinfang.db_router.ReportingRouter"]``."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _reporting.get() or not replica_configured():
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APP_LABELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA_ALIAS


def is_reporting_view(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func.__module__.startswith(REPORTING_VIEW_MODULES)


class ReportingMiddleware:
    """Runs the views of the indicators app inside ``reporting()``, streamed bodies included.

    Goes after AuthenticationMiddleware: the user is loaded from the primary before the block."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured() or not is_reporting_view(request.path_info):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 -- load the lazy user (and session) from the primary now
        with reporting():
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            response.streaming_content = _reporting_iter(response.streaming_content)
        return response


def _reporting_iter(chunks: Iterable[Any]) -> Iterator[Any]:
    # A streamed export runs its queries while the server sends the body, after the view returned.
    # Re-enter per chunk: a generator must not hold a context variable across its yields.
    iterator = iter(chunks)
    while True:
        with reporting():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk
