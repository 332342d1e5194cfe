"""Repeat petitions (重复信访, §6) and matters already final after re-review (Art. 36).

The same petitioner is found through the keyed hashes of phone and ID number, never by name.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from deadlines.rules import Clock

from .lifecycle import OPEN_STATES, State
from .models import Deadline, IntakePolicy, Matter


def earlier_matter(phone_hash: str, id_hash: str, *, now: datetime) -> Matter | None:
    """The same petitioner's latest matter that is still open, or ended inside the policy window."""
    who = Q()
    if phone_hash:
        who |= Q(petitioner__phone_hash=phone_hash)
    if id_hash:
        who |= Q(petitioner__id_hash=id_hash)
    if not who:
        return None
    since = now - timedelta(days=IntakePolicy.current().repeat_window_days)
    live = Q(state__in=OPEN_STATES) | Q(closed_at__gte=since) | Q(state=State.NOT_ACCEPTED, registered_at__gte=since)
    return (Matter.objects.filter(who).filter(live).exclude(state=State.MERGED)
            .order_by("-registered_at", "-pk").first())


def final_after_re_review(matter: Matter | None) -> bool:
    """Closed after a re-review decision: not accepted again on the same facts and reasons (Art. 36)."""
    return bool(matter and matter.state == State.CLOSED and Deadline.objects.filter(
        matter=matter, clock=Clock.RE_REVIEW_DECISION, stopped_on__isnull=False).exists())
