from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from matters.lifecycle import OPEN_STATES
from matters.models import Matter
from org.models import Role
from org.scope import holds_role_over

from ..backlog_views import listing_choices
from ..case_views import assign_form_for
from ..cases import ASSIGNING_ROLES
from ..forms import IssueOrderForm
from ..models import BacklogEntry, LeaderCase, ReceptionBooking
from ..reception import BOOKING_ROLES, slots_with_room
from ..selectors import orders_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_for(context: template.Context, matter: Matter) -> dict[str, Any]:
    """The orders over this matter the user may see, and whether they may issue one now."""
    user = context["user"]
    may_issue = matter.state in OPEN_STATES and holds_role_over(user, matter.handling_unit, [Role.SUPERVISOR])
    is_open = matter.state in OPEN_STATES
    case = LeaderCase.objects.filter(matter=matter).select_related("leader").first()
    may_assign = case is None and is_open and holds_role_over(user, matter.handling_unit, ASSIGNING_ROLES)
    backlog = BacklogEntry.objects.filter(matter=matter).select_related("campaign").first()
    may_list = may_issue and backlog is None
    may_book = is_open and holds_role_over(user, matter.handling_unit, BOOKING_ROLES)
    return {
        "orders": list(orders_visible_to(user).filter(matters=matter)),
        "may_issue": may_issue,
        "form": IssueOrderForm() if may_issue else None,
        "case": case,
        "assign_form": assign_form_for(user, matter) if may_assign else None,
        "backlog": backlog,
        "may_list": may_list,
        **(listing_choices() if may_list else {}),
        "may_book": may_book,
        "slots": list(slots_with_room(timezone.now())[:20]) if may_book else [],
        "receptions": list(ReceptionBooking.objects.filter(matter=matter).select_related("slot__leader")),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
