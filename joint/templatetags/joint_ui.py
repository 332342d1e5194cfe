"""The matter page's multi-unit card: its queries live here, since the matter view is not this app's."""

from __future__ import annotations

from typing import Any

from django import template

from matters.models import Matter

from .. import rules, selectors
from ..forms import AssignForm, ConsolidateForm
from ..services import COOPERATION_STATES

register = template.Library()


@register.simple_tag(takes_context=True)
def joint_for(context: template.Context, matter: Matter) -> dict[str, Any]:
    """The matter's tasks the user may see, its consolidations, and the forms the user may use now."""
    user = context["user"]
    lead = rules.is_lead(user, matter)
    may_assign = lead and matter.state in COOPERATION_STATES
    may_consolidate = lead and rules.consolidation_ready(matter)
    meetings = selectors.meetings_to_put_on(user, matter)
    return {
        "assignments": list(selectors.assignments_visible_to(user).filter(matter=matter).order_by("assigned_at", "id")),
        "consolidations": selectors.consolidations_of(matter),
        "blocker": rules.reply_blocker(matter),
        "may_assign": may_assign,
        "assign_form": AssignForm(units=selectors.cooperation_units(matter)) if may_assign else None,
        "may_consolidate": may_consolidate,
        "consolidate_form": ConsolidateForm() if may_consolidate else None,
        "meetings": meetings,
    }


# A task's state borrows the colour of the matter state it resembles.
STATE_CLASSES = {"open": "state-accepted", "answered": "state-review_requested", "accepted": "state-replied",
                 "planned": "state-registered", "held": "state-accepted", "closed": "state-closed"}


@register.filter
def joint_state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "")
