from __future__ import annotations

from typing import Any

from django import template

from matters.templatetags.xinfang_ui import event_label

from ..events import EVENT_LABELS

register = template.Library()


@register.filter
def hearing_event_label(verb: str) -> Any:
    """This app's verbs first, then the matter timeline's (clock paused, resumed...)."""
    return EVENT_LABELS.get(verb) or event_label(verb)
