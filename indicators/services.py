"""What this app changes: the event log, when a report leaves the system as a file, and the
monthly tallies the indicators read finished months from."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from org.models import User

from . import tallies
from .compute import registered_spec, spec
from .models import IndicatorDefinition, MonthlyTally, TallyMonth
from .periods import month_of, month_period

# Months back the worker keeps tallied: two years and the month before, for this year against last.
HORIZON = 25


def record_export(report: str, fmt: str, *, actor: User, now: datetime, params: dict[str, Any]) -> None:
    """Exporting is an event, like every view of data that leaves."""
    with transaction.atomic():
        record_event(f"export_{report}", actor=actor, at=now, after={"format": fmt, **params})


def known_conditions(today: date) -> list[tallies.Condition]:
    """What every indicator definition of every set and the dashboards count, by key."""
    period = month_period(month_of(today))
    specs = [spec(d, period, today) for d in IndicatorDefinition.objects.all()] + [registered_spec(period, today)]
    found = {c.key: c for s in specs for c in s.conditions() if c is not None}
    return list(found.values())


def refresh_tallies(now: datetime, horizon: int = HORIZON) -> list[date]:
    """Tallies every finished month of the last ``horizon`` that lacks a known condition or that an
    event has touched since it was tallied; returns those months. The counting reads outside the
    transaction (the watermark is taken first, so a change counted ahead of it only makes the
    month look stale); the months' rows are replaced, with one event for the run, in one."""
    today = timezone.localdate(now)
    months, m = [], month_of(today)
    for _i in range(horizon):
        m = month_of(m - timedelta(days=1))
        months.append(m)
    conditions = known_conditions(today)
    keys = {c.key for c in conditions}
    seqs = tallies.tallied(keys, set(months))
    fresh = tallies.untouched(seqs)
    stale = sorted(m for m in months if any((k, m) not in fresh for k in keys))
    if not stale:
        return []
    seq = tallies.last_seq()
    by_column: defaultdict[tuple[type, str], list[tallies.Condition]] = defaultdict(list)
    for c in conditions:
        by_column[(c.model, c.field)].append(c)
    rows = [row for m in stale for group in by_column.values() for row in tallies.count_month(group, m)]
    with transaction.atomic():
        MonthlyTally.objects.filter(month__in=stale).delete()
        TallyMonth.objects.filter(month__in=stale).delete()
        MonthlyTally.objects.bulk_create(rows, batch_size=5000)
        TallyMonth.objects.bulk_create([TallyMonth(key=k, month=m, computed_seq=seq) for m in stale for k in sorted(keys)])
        record_event("refresh_indicator_tallies", actor_label="system", at=now,
                     after={"months": [m.isoformat() for m in stale], "conditions": len(keys), "rows": len(rows)})
    return stale
