"""Repeat petitions (重复信访, §6) and matters already final after re-review (Art. 36).

The same petitioner is found through the keyed hashes of phone and ID number, never by name.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from deadlines.rules import Clock

from .lifecycle import OPEN_STATES, State
from .models import Deadline, IntakePolicy, Matter, Petitioner

# A petitioner row per registration: a frequent petitioner has many; the latest thousand suffice.
MAX_PETITIONER_ROWS = 1000


def same_petitioner_ids(phone_hash: str, id_hash: str) -> list[int]:
    """The petitioner rows with this phone or ID (keyed hashes), the latest first.

    Looked up on their own, through the hash indexes: joined into the matter query, PostgreSQL
    walked the matters by registration date instead (200 ms at 100k matters)."""
    who = Q()
    if phone_hash:
        who |= Q(phone_hash=phone_hash)
    if id_hash:
        who |= Q(id_hash=id_hash)
    if not who:
        return []
    return list(Petitioner.objects.filter(who).order_by("-pk").values_list("pk", flat=True)[:MAX_PETITIONER_ROWS])


def earlier_matter(phone_hash: str, id_hash: str, *, now: datetime) -> Matter | None:
    """The same petitioner's latest matter that is still open, or ended inside the policy window."""
    same = same_petitioner_ids(phone_hash, id_hash)
    if not same:
        return None
    since = now - timedelta(days=IntakePolicy.current().repeat_window_days)
    live = Q(state__in=OPEN_STATES) | Q(closed_at__gte=since) | Q(state=State.NOT_ACCEPTED, registered_at__gte=since)
    return (Matter.objects.filter(petitioner_id__in=same).filter(live).exclude(state=State.MERGED)
            .order_by("-registered_at", "-pk").first())


def final_after_re_review(matter: Matter | None) -> bool:
    """Closed after a re-review decision: not accepted again on the same facts and reasons (Art. 36)."""
    return bool(matter and matter.state == State.CLOSED and Deadline.objects.filter(
        matter=matter, clock=Clock.RE_REVIEW_DECISION, stopped_on__isnull=False).exists())
