"""Small helpers the screening pages share: the user, and reading numbers and dates from a request."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from matters.errors import DomainError
from org.models import Unit


def parse_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def error_text(err: DomainError) -> str:
    return " ".join([err.message, *[str(v) for v in err.fields.values()]])


def chosen_unit(request: HttpRequest, units: list[Unit] | QuerySet[Unit], *, default_first: bool = True) -> Unit | None:
    """The unit named by ``?unit=`` among ``units`` (else the first, or None); one out of reach is 404."""
    wanted = parse_int(request.GET.get("unit"))
    if wanted is None:
        return next(iter(units), None) if default_first else None
    for unit in units:
        if unit.pk == wanted:
            return unit
    raise Http404
