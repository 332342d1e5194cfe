"""What this app changes: the event log, when a report leaves the system as a file, and the
tallies the indicators read finished months and days from."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from org.models import User

from . import tallies, volume
from .compute import registered_spec, spec
from .models import IndicatorDefinition, Span, TalliedBucket, Tally, VolumeTally
from .periods import Period, finished_days, month_of, month_period

# Months back the worker keeps tallied: two years and the month before, for this year against last.
HORIZON = 25
# Months before this one whose days are tallied too: a period of a year back from today starts
# within the 12th, and a day of a month covers it when the month's tally is stale.
DAY_MONTHS = 13


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


def wanted_buckets(today: date, horizon: int = HORIZON) -> list[tallies.Bucket]:
    """The last ``horizon`` finished months, and every finished day of this month and of the
    ``DAY_MONTHS`` before it."""
    months, m = [], month_of(today)
    for _i in range(horizon):
        m = month_of(m - timedelta(days=1))
        months.append(m)
    first_day = months[min(DAY_MONTHS, horizon) - 1] if horizon else month_of(today)
    return ([tallies.Bucket(Span.MONTH, m) for m in months]
            + [tallies.Bucket(Span.DAY, d) for d in finished_days(Period(first_day, today), today)])


def refresh_tallies(now: datetime, horizon: int = HORIZON) -> list[date]:
    """Tallies every month of ``wanted_buckets`` that lacks a known condition or its volume, or that
    an event has touched since it was tallied (it or one of its days); returns those months. The counting reads
    outside the transaction; the watermark is taken first, so a change counted ahead of it only
    makes the month look stale. The months' rows are replaced, with one event for the run, in one
    transaction, and the tallies found untouched are marked good up to the watermark, so a read
    looks only at the events since this run, never back to the oldest tally."""
    today = timezone.localdate(now)
    wanted = wanted_buckets(today, horizon)
    conditions = known_conditions(today)
    keys = {c.key for c in conditions}
    rollup = volume.Rollup.current()
    # (key, bucket) to keep tallied: every condition in every bucket, the volume in every month.
    pairs = {(k, b) for b in wanted for k in keys} | {(rollup.key, b) for b in wanted if b.span == Span.MONTH}
    seq = tallies.last_seq()
    fresh = tallies.untouched(tallies.tallied(keys | {rollup.key}, set(wanted)))
    stale = sorted({month_of(b.start) for k, b in pairs - fresh})
    by_column: defaultdict[tuple[type, str], list[tallies.Condition]] = defaultdict(list)
    for c in conditions:
        by_column[(c.model, c.field)].append(c)
    rewritten = [b for b in wanted if month_of(b.start) in stale]
    months = {b.start for b in rewritten if b.span == Span.MONTH}
    days = {b.start for b in rewritten if b.span == Span.DAY}
    rows = [row for m in stale for group in by_column.values() for row in tallies.count_month(group, m, m in months, days)]
    volumes = [row for m in sorted(months) for row in volume.count_month(m, rollup)]
    with transaction.atomic():
        if stale:
            gone = tallies.buckets_q(rewritten)
            Tally.objects.filter(gone).delete()
            TalliedBucket.objects.filter(gone).delete()
            VolumeTally.objects.filter(month__in=months).delete()
            Tally.objects.bulk_create(rows, batch_size=5000)
            VolumeTally.objects.bulk_create(volumes, batch_size=5000)
            TalliedBucket.objects.bulk_create([TalliedBucket(key=k, span=b.span, start=b.start, computed_seq=seq)
                                               for k, b in pairs if month_of(b.start) in stale], batch_size=5000)
            record_event("refresh_indicator_tallies", actor_label="system", at=now,
                         after={"months": [m.isoformat() for m in stale], "conditions": len(keys), "rows": len(rows),
                                "volume_rows": len(volumes)})
        TalliedBucket.objects.filter(tallies.buckets_q(wanted), key__in=sorted(keys | {rollup.key}),
                                     computed_seq__lt=seq).update(computed_seq=seq)
    return stale
