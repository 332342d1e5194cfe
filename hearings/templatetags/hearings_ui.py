from __future__ import annotations

from typing import Any

from django import template

from matters.lifecycle import OPEN_STATES
from matters.models import Matter
from matters.templatetags.xinfang_ui import event_label

from ..events import EVENT_LABELS
from ..reception import may_record_consultation
from ..selectors import consultations_for, hearings_visible_to
from ..services import purposes_open_to

register = template.Library()


@register.filter
def hearing_event_label(verb: str) -> Any:
    """This app's verbs first, then the matter timeline's (clock paused, resumed...)."""
    return EVENT_LABELS.get(verb) or event_label(verb)


@register.simple_tag(takes_context=True)
def hearings_for(context: template.Context, matter: Matter) -> dict[str, Any]:
    """For the matter page: its hearings and consultations the user may see, and what they may start."""
    user = context["user"]
    return {
        "hearings": list(hearings_visible_to(user).filter(matter=matter)),
        "may_schedule": bool(purposes_open_to(user, matter)),
        "consultations": list(consultations_for(user, matter.pk)[:3]),
        "may_consult": matter.state in OPEN_STATES and may_record_consultation(user, matter),
    }
