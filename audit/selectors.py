"""Reading and checking the event log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .chain import seal, sealed_fields
from .models import GENESIS_HASH, Event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; name the first event whose seal or link does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in Event.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "link to the previous event does not match")
        if seal(prev_hash, sealed_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "content does not match its seal")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None)


def events_for(target_type: str, target_id: int) -> QuerySet[Event]:
    return Event.objects.filter(target_type=target_type, target_id=target_id).select_related("actor", "unit").order_by("seq")
