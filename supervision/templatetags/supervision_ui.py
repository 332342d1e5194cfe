from __future__ import annotations

from typing import Any

from django import template

from matters.lifecycle import OPEN_STATES
from matters.models import Matter
from org.models import Role
from org.scope import holds_role_over

from ..forms import IssueOrderForm
from ..selectors import orders_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_for(context: template.Context, matter: Matter) -> dict[str, Any]:
    """The orders over this matter the user may see, and whether they may issue one now."""
    user = context["user"]
    may_issue = matter.state in OPEN_STATES and holds_role_over(user, matter.handling_unit, [Role.SUPERVISOR])
    return {
        "orders": list(orders_visible_to(user).filter(matters=matter)),
        "may_issue": may_issue,
        "form": IssueOrderForm() if may_issue else None,
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
