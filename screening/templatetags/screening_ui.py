from __future__ import annotations

from typing import Any

from django import template

from screening import labels

register = template.Library()


@register.filter
def screening_event(verb: str) -> Any:
    return labels.event_label(verb)


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"
