"""Writing to the event log. Callers are already inside their own transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from xinfang.bulk import insert_values

from .chain import seal
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
    row = _sealed_rows([EventSpec(verb, actor=actor, actor_label=actor_label, target=target, before=before,
                                  after=after, reason=reason, at=at)])[0]
    event = Event(**row)
    event.save(force_insert=True)
    return event


@dataclass
class EventSpec:
    """What one event says; ``record_events`` gives it its place in the chain."""

    verb: str
    actor: Any = None
    actor_label: str = ""
    target: Any = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""
    at: datetime | None = None
    # (model name, id) of a target the caller has no instance of (bulk imports).
    target_ref: tuple[str, int] | None = None


def record_events(specs: Sequence[EventSpec]) -> int:
    """Append many events in order with one insert per batch (bulk imports write 100,000s)."""
    rows = _sealed_rows(specs)
    # The JSON columns as text, already plain (see _json_plain): both databases take it as it is,
    # and the field's own preparation would encode each value again through several layers.
    for row in rows:
        row["before"], row["after"] = json.dumps(row["before"]), json.dumps(row["after"])
    insert_values(Event, rows, prepared=_JSON_COLUMNS)
    return len(rows)


_JSON_COLUMNS = frozenset({"before", "after"})


def _sealed_rows(specs: Sequence[EventSpec]) -> list[dict[str, Any]]:
    """The events as column values, each sealed onto the one before it, after the chain's head."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    _lock_chain_head()
    head = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = head if head else (0, GENESIS_HASH)
    now = timezone.now()
    rows = []
    for spec in specs:
        seq += 1
        actor = spec.actor if getattr(spec.actor, "pk", None) else None
        unit = getattr(spec.actor, "unit", None)
        ref = spec.target_ref or ("", None)
        fields = {
            "seq": seq,
            "at": spec.at or now,
            "actor": actor.pk if actor else None,
            "actor_label": spec.actor_label or ("" if spec.actor is not None else "system"),
            "unit": unit.pk if unit else None,
            "verb": spec.verb,
            "target_type": spec.target._meta.model_name if spec.target is not None else ref[0],
            "target_id": spec.target.pk if spec.target is not None else ref[1],
            # Normalised through JSON so the sealed form equals what the database hands back later.
            "before": _json_plain(spec.before or {}),
            "after": _json_plain(spec.after or {}),
            "reason": spec.reason,
        }
        digest = seal(prev_hash, fields)
        row = {**fields, "actor_id": fields["actor"], "unit_id": fields["unit"], "prev_hash": prev_hash, "hash": digest}
        del row["actor"], row["unit"]
        rows.append(row)
        prev_hash = digest
    return rows


def _json_plain(value: dict[str, Any]) -> dict[str, Any]:
    return value if all(_plain(v) for v in value.values()) else _roundtrip(value)


def _plain(v: Any) -> bool:
    # A str subclass (a choices value) is written as its plain text, which is what reads back.
    return type(v) in _PLAIN or isinstance(v, str) or type(v) is list and all(_plain(x) for x in v)


_PLAIN = frozenset({int, float, bool, type(None)})


def _roundtrip(value: dict[str, Any]) -> dict[str, Any]:
    from django.core.serializers.json import DjangoJSONEncoder

    result: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return result
