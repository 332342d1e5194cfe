"""Showing suggestions: the proposer only masked, events by the label of their move."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from matters.personal_data import mask_email, mask_name, mask_phone

from ..models import Suggestion
from ..workflow import MOVES

register = template.Library()


@register.filter
def masked_proposer(s: Suggestion) -> str:
    return mask_name(s.proposer_name) or _("Anonymous")


@register.filter
def masked_contact(s: Suggestion) -> str:
    parts = [mask_phone(s.proposer_phone), mask_email(s.proposer_email) if s.proposer_email else ""]
    return " · ".join(p for p in parts if p) or _("No contact left")


@register.filter
def suggestion_event_label(verb: str) -> Any:
    labels: dict[str, Any] = {"suggestion_submit": _("Received")}
    action = verb.removeprefix("suggestion_")
    return labels.get(verb) or (MOVES[action].label if action in MOVES else verb)
