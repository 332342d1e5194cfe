"""Presentation helpers for the staff workspace: query codes, due badges, labels, masking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearings.events import EVENT_LABELS as HEARING_EVENT_LABELS
from joint.events import EVENT_LABELS as JOINT_EVENT_LABELS
from matters.forms import may_register
from matters.lifecycle import TRANSITIONS, State
from matters.models import Channel, HandlingKind, PetitionerKind, grouped_code
from matters.personal_data import mask_email, mask_id_number, mask_name, mask_phone, mask_text
from notify.selectors import unread_count

register = template.Library()

# What the timeline calls each event verb; transitions reuse their lifecycle label.
EVENT_LABELS: dict[str, Any] = {
    "register": pgettext_lazy("event", "Register"),
    "pause_clock": _("Clock paused"),
    "resume_clock": _("Clock resumed"),
    "view_personal_data": _("Viewed personal data"),
    "reclassify": _("Kind of handling changed"),
    "supply_material": _("Petitioner sent more material"),
    "rate": _("Petitioner rated the reply"),
    "issue_document": _("Document issued"),
    "render_document": _("Document rendered to PDF"),
    "issue_order": _("Order issued"),
    "answer_order": _("Order answered"),
    "return_order": _("Answer returned"),
    "accept_order": _("Order closed"),
    "escalate_order": _("Order escalated"),
    "assign_leader": _("Leader ownership"),
    "list_backlog": _("Backlog list"),
    "book_reception": _("Booked for the reception."),
    "reception_outcome": _("Leader reception"),
    **HEARING_EVENT_LABELS,
    **JOINT_EVENT_LABELS,
    "import_workorder": _("Imported work order"),
    "imported_reply": _("Handling result (imported)"),
    **{name: t.label for name, t in TRANSITIONS.items()},
}
EXTRA_ACTION_LABELS: dict[str, Any] = {
    "pause": _("Pause the clock"),
    "resume": _("Resume the clock"),
    "reclassify": _("Change kind of handling"),
}


def action_label(action: str) -> Any:
    t = TRANSITIONS.get(action)
    return t.label if t else EXTRA_ACTION_LABELS.get(action, action)


register.filter("grouped_code", grouped_code)


@register.filter
def category_path(path: str | None) -> str:
    return (path or "").replace("/", " › ")


@register.filter
def event_label(verb: str) -> Any:
    return EVENT_LABELS.get(verb, verb)


@register.filter(name="action_label")
def action_label_filter(action: str) -> Any:
    return action_label(action)


def _choice_label(choices: Any, value: str | None) -> Any:
    if not value:
        return ""
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def state_label(value: str | None) -> Any:
    return _choice_label(State, value)


@register.filter
def channel_label(value: str | None) -> Any:
    return _choice_label(Channel, value)


@register.filter
def kind_label(value: str | None) -> Any:
    return _choice_label(HandlingKind, value)


@register.filter
def petitioner_kind_label(value: str | None) -> Any:
    return _choice_label(PetitionerKind, value)


@register.filter
def masked_name(value: str | None) -> str:
    return mask_name(value or "")


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value or "")


@register.filter
def masked_email(value: str | None) -> str:
    return mask_email(value) if value else ""


@register.filter
def masked_id(value: str | None) -> str:
    return mask_id_number(value or "")


@register.filter
def masked_text(value: str | None) -> str:
    return mask_text(value or "")


@register.filter
def filesize_kb(size: int | None) -> str:
    size = size or 0
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


@register.simple_tag(takes_context=True)
def user_may_register(context: template.Context) -> bool:
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and may_register(user))


@register.simple_tag(takes_context=True)
def inbox_unread(context: template.Context) -> int:
    user = context.get("user")
    return unread_count(user) if user is not None and user.is_authenticated else 0


@dataclass(frozen=True)
class DueInfo:
    """How a due date stands today: its state and the whole days left (negative: overdue)."""

    state: str  # on_time, due_soon, overdue, paused, none
    due: date | None
    days_left: int = 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def due_info(
    due: date | None,
    today: date,
    *,
    due_soon_from: date | None = None,
    paused: bool = False,
    state: str | None = None,
) -> DueInfo:
    if due is None:
        return DueInfo("none", None)
    days_left = (due - today).days
    if state is None:
        if paused:
            state = "paused"
        elif days_left < 0:
            state = "overdue"
        elif due_soon_from is not None and today >= due_soon_from:
            state = "due_soon"
        else:
            state = "on_time"
    return DueInfo(state, due, days_left)


@register.inclusion_tag("matters/_due_badge.html")
def matter_due_badge(matter: Any, today: date) -> dict[str, Any]:
    """The badge of a queue row, from the due columns the services keep on the matter."""
    return {
        "info": due_info(
            matter.statutory_due, today, due_soon_from=matter.due_soon_from, paused=matter.clock_paused
        )
    }


@register.inclusion_tag("matters/_due_badge.html")
def due_badge(info: DueInfo) -> dict[str, Any]:
    return {"info": info}
