"""Writing to the event log. Callers are already inside their own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .chain import seal, sealed_fields
from .models import GENESIS_HASH, Event

# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 727_001


def _lock_chain_head() -> None:
    # SQLite transactions run IMMEDIATE (see settings), so the write lock is already held;
    # PostgreSQL needs an explicit lock so two writers never append after the same head.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record_event(
    verb: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Event:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    _lock_chain_head()
    head = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    event = Event(
        seq=seq,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or ("" if actor is not None else "system"),
        unit=getattr(actor, "unit", None),
        verb=verb,
        target_type=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        before=before or {},
        after=after or {},
        reason=reason,
        prev_hash=prev_hash,
    )
    # JSON round-trip so the sealed form equals what the database hands back later.
    event.before = _roundtrip(event.before)
    event.after = _roundtrip(event.after)
    event.hash = seal(prev_hash, sealed_fields(event))
    event.save(force_insert=True)
    return event


def _roundtrip(value: dict[str, Any]) -> dict[str, Any]:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    result: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return result
