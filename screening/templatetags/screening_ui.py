from __future__ import annotations

from typing import Any

from django import template

from matters.models import Matter
from screening import labels
from screening.models import LedgerEntry
from screening.selectors import entries_for_matter

register = template.Library()


@register.filter
def screening_event(verb: str) -> Any:
    return labels.event_label(verb)


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


@register.simple_tag(takes_context=True)
def screening_for(context: template.Context, matter: Matter) -> list[LedgerEntry]:
    """The ledger entries linked to a matter that the viewing user sees, for the matter page."""
    return list(entries_for_matter(context["user"], matter.pk))
