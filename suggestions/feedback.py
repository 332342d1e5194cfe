"""Telling the proposer what became of their suggestion, when they left a phone or an email,
through the petitioners' outbox (with no matter), so the same worker delivers them."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from matters.models import grouped_code
from notify.models import OutboxMessage
from notify.services import queue_message

from .models import Suggestion


def _text(suggestion: Suggestion, action: str) -> str | None:
    texts = {
        "submit": _("Your suggestion %(code)s was received. Thank you; follow it with this query code."),
        "assign": _("Your suggestion %(code)s is being evaluated by %(unit)s."),
        "merge": _("Your suggestion %(code)s was taken together with another on the same subject; its outcome is yours."),
        "adopt": _("Your suggestion %(code)s was adopted. See what becomes of it with your query code."),
        "adopt_partly": _("Your suggestion %(code)s was adopted in part. See the answer with your query code."),
        "decline": _("Your suggestion %(code)s was not adopted; the answer gives the reason."),
        "report": _("There is news on the implementation of your suggestion %(code)s."),
        "implement": _("Your suggestion %(code)s has been implemented. Thank you."),
    }
    text = texts.get(action)
    unit = suggestion.evaluating_unit.name if suggestion.evaluating_unit else ""
    return text % {"code": grouped_code(suggestion.query_code), "unit": unit} if text else None


def tell_proposer(suggestion: Suggestion, action: str, *, now: datetime) -> list[OutboxMessage]:
    """An SMS and an email, whichever the proposer gave; inside the caller's transaction."""
    body = _text(suggestion, action)
    if body is None:
        return []
    return queue_message(suggestion.proposer_phone, suggestion.proposer_email, body,
                         key=f"suggestion:{suggestion.pk}:{action}:{now.isoformat()}", now=now)
