"""Tallies of finished months and days (issue 6, speed): what each indicator condition counted in a
month or a day, per handling unit, intake unit and handling kind, so a year's figure reads tally
rows for its whole months, day tallies for the finished days of the months it only partly covers
(this month, a period starting mid-month), and counts only today live.

A tally is exact while no audit event after the one it was computed at targets a matter with a
fact in its month or day (registered, closed, a deadline window starting or due, a rating given):
see ``Touches``.
A condition is known by a digest of its compiled SQL, so a definition whose parameters change has
new keys, untallied until the next refresh."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache, reduce
from operator import or_

from django.db.models import Count, DateTimeField, F, Max, Model, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.models import Event
from matters.models import Deadline, Matter
from portal.models import Rating

from .models import Span, TalliedBucket, Tally
from .periods import (
    Period,
    coalesced,
    finished_days,
    merged,
    month_of,
    month_period,
    whole_months,
    within,
    without,
)

# Events that change facts of many matters without an event on each: entering a holiday notice
# recomputes the due date of every open window (matters.services.publish_holiday_notice).
WIDE_VERBS = ("publish_holiday_notice",)

LIVE_PARTS = 4  # pieces of a period counted live, at most (see _few_gaps)
ID_CHUNK = 5000  # ids per IN list, well under SQLite's limit of bound parameters
Units = tuple[int, int, str]  # handling unit id, intake unit id, handling kind


@dataclass(frozen=True)
class Condition:
    """Rows of ``model`` counted by the month or day of ``field``; ``prefix`` leads from a row to its matter."""

    model: type[Model]
    prefix: str
    field: str
    q: Q

    @cached_property
    def key(self) -> str:
        return _digest(self.model, self.field, self.q)


@lru_cache(maxsize=512)
def _digest(model: type[Model], field: str, q: Q) -> str:
    """Compiling a condition takes ~4 ms, and every figure needs its keys. Equal Q objects compile
    alike (a subquery's Q equals only itself, so it is compiled each time)."""
    sql = str(model._default_manager.filter(q).order_by().values("pk").query)
    return hashlib.sha256(f"{model._meta.label}|{field}|{sql}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Bucket:
    """A finished month or day that tallies count."""

    span: str
    start: date

    @property
    def period(self) -> Period:
        return month_period(self.start) if self.span == Span.MONTH else Period(self.start, self.start)


def _local_day(moment: object) -> date:
    return timezone.localtime(moment).date()  # type: ignore[arg-type]


class Touches:
    """Which tallies the events after ``since`` may have changed. An event on a matter can change
    what the matter's rows add to the months and days of their facts: the day it was registered
    and closed, each rating's day, each deadline window's start and every day from the earliest to
    the latest due date the window has had (an extension or a resumed pause moves it; see
    ``Deadline.earliest_due``), both before the change and after, as the facts were at the tally
    and are now all lie in those days. No other day's count can move. Every service that changes a
    matter, its windows or its ratings records an event on the matter; registration, a window's
    start, closing and rating set their day once. A matter that is gone, and the last of
    ``WIDE_VERBS`` (one event for many matters), touch every month and day."""

    def __init__(self, since: int) -> None:
        self.since = since
        self._all = Event.objects.filter(seq__gt=since, verb__in=WIDE_VERBS).aggregate(s=Max("seq"))["s"] or 0
        self._days: dict[date, int] = {}
        self._months: dict[date, int] = {}
        last = _touched_matters(since)
        facts = _fact_days(list(last))
        for pk, seq in last.items():
            if pk not in facts:
                self._all = max(self._all, seq)
            for day in facts.get(pk, ()):
                self._days[day] = max(self._days.get(day, 0), seq)
                month = month_of(day)
                self._months[month] = max(self._months.get(month, 0), seq)

    def last(self, bucket: Bucket) -> int:
        """The last event after ``since`` that may have changed the bucket's tallies, or 0."""
        mine = (self._months if bucket.span == Span.MONTH else self._days).get(bucket.start, 0)
        return max(self._all, mine)


def _touched_matters(since: int) -> dict[int, int]:
    """The last event after ``since`` on each matter, read by the seq index: with the target type
    in the WHERE, the planner reads the (target type, target) index, every matter's every event
    (200 ms at 1M matters)."""
    last: dict[int, int] = {}
    for kind, pk, s in Event.objects.filter(seq__gt=since).order_by().values_list("target_type", "target_id", "seq"):
        if kind == "matter" and pk is not None:
            last[pk] = max(last.get(pk, 0), s)
    return last


def _fact_days(touched: list[int]) -> dict[int, set[date]]:
    """The days of each matter's facts (see ``Touches``), for the matters that exist."""
    days: defaultdict[int, set[date]] = defaultdict(set)
    for i in range(0, len(touched), ID_CHUNK):
        ids = touched[i:i + ID_CHUNK]
        for pk, registered, closed in Matter.objects.filter(pk__in=ids).values_list("pk", "registered_at", "closed_at"):
            days[pk].add(_local_day(registered))
            if closed is not None:
                days[pk].add(_local_day(closed))
        for pk, start, low, high in Deadline.objects.filter(matter_id__in=ids).values_list("matter_id", "start", "earliest_due", "latest_due"):
            days[pk].add(start)
            days[pk].update(low + timedelta(days=n) for n in range((high - low).days + 1))
        for pk, rated in Rating.objects.filter(matter_id__in=ids).values_list("matter_id", "rated_at"):
            days[pk].add(_local_day(rated))
    return dict(days)


def bucket_parts(buckets: Iterable[Bucket]) -> list[Q]:
    """The buckets as filters on ``span`` and ``start``: months by their first days, days as runs
    of consecutive days, so a month's days are one range rather than thirty values. Each is a
    search of the (key, span, start) index; reads run one query per part, as SQLite scans every
    row of the keys for an OR of them (100 ms of a year's figure at 1M matters)."""
    buckets = list(buckets)
    months = sorted({b.start for b in buckets if b.span == Span.MONTH})
    days = merged([b.period for b in buckets if b.span == Span.DAY])
    return ([Q(span=Span.MONTH, start__in=months)] if months else []) + [
        Q(span=Span.DAY, start__range=(p.start, p.end)) for p in days]


def buckets_q(buckets: Iterable[Bucket]) -> Q:
    parts = bucket_parts(buckets)
    return reduce(or_, parts) if parts else Q(pk__in=[])


def tallied(keys: set[str], buckets: set[Bucket]) -> dict[tuple[str, Bucket], int]:
    """The seq each (key, bucket) was tallied at, for those tallied at all."""
    if not keys or not buckets:
        return {}
    rows = [r for part in bucket_parts(buckets) for r in TalliedBucket.objects.filter(part, key__in=sorted(keys))
            .values_list("key", "span", "start", "computed_seq")]
    return {(k, b): s for k, span, start, s in rows if (b := Bucket(span, start)) in buckets}


def untouched(seqs: dict[tuple[str, Bucket], int], touches: Touches | None = None) -> set[tuple[str, Bucket]]:
    """The (key, bucket) whose tally no later event has made stale."""
    if not seqs:
        return set()
    if touches is None or touches.since > min(seqs.values()):
        touches = Touches(min(seqs.values()))
    return {(k, b) for (k, b), s in seqs.items() if touches.last(b) <= s}


def cover(wants: Sequence[tuple[Period, date, Sequence[str]]]) -> list[list[Bucket]]:
    """For each (period, today, condition keys): the trusted tallies that cover most of the
    period, every key of them trusted: its whole finished months, and the finished days of the
    rest and of any month whose tally is stale (its untouched days stay good)."""
    keys = {k for _p, _t, ks in wants for k in ks}
    months = [[Bucket(Span.MONTH, m) for m in whole_months(p, today)] for p, today, _ks in wants]
    days = [[Bucket(Span.DAY, d) for part in without(p, [b.period for b in ms]) for d in finished_days(part, today)]
            for (p, today, _ks), ms in zip(wants, months, strict=True)]
    seqs = tallied(keys, {b for bs in months + days for b in bs})
    if not seqs:
        return [[] for _w in wants]
    touches = Touches(min(seqs.values()))
    ok = untouched(seqs, touches)

    def usable(b: Bucket, ks: Sequence[str]) -> bool:
        return all((k, b) in ok for k in ks)

    more = [[Bucket(Span.DAY, d) for b in ms if not usable(b, ks) for d in finished_days(b.period, today)]
            for (_p, today, ks), ms in zip(wants, months, strict=True)]
    if any(more):
        ok |= untouched(tallied(keys, {b for bs in more for b in bs}), touches)
    return [_few_gaps(p, [b for b in ms + ds + mds if usable(b, ks)])
            for (p, _t, ks), ms, ds, mds in zip(wants, months, days, more, strict=True)]


def _few_gaps(period: Period, used: list[Bucket]) -> list[Bucket]:
    """``used`` less the buckets that would leave the rest of the period in more than
    ``LIVE_PARTS`` pieces: scattered stale days are counted live with the short runs of tallied days
    between them, as one range each, rather than as an OR of a hundred ranges in every count."""
    rest = without(period, [b.period for b in used])
    if len(rest) <= LIVE_PARTS:
        return used
    live = coalesced(rest, LIVE_PARTS)
    return [b for b in used if not any(p.start <= b.period.start and b.period.end <= p.end for p in live)]


def summed(pairs: set[tuple[str, Bucket]], scope: Q) -> dict[tuple[str, Bucket], int]:
    """The tallies of each (key, bucket) over the tally rows in ``scope`` (a filter on a matter's
    handling unit, intake unit and handling kind, as on matters)."""
    if not pairs:
        return {}
    keys = sorted({k for k, _b in pairs})
    rows = [r for part in bucket_parts({b for _k, b in pairs})
            for r in Tally.objects.filter(part, scope, key__in=keys).order_by().values("key", "span", "start").annotate(n=Sum("count"))]
    out = {(r["key"], Bucket(r["span"], r["start"])): r["n"] for r in rows}
    return {p: n for p, n in out.items() if p in pairs}


def count_month(conditions: list[Condition], month: date, with_month: bool, days: set[date]) -> list[Tally]:
    """The tally rows of one month (if ``with_month``) and of ``days`` of it, for conditions on one
    model and period column: one aggregate grouped by local day, a conditional count per
    condition; the month's rows are the sums of its days'."""
    first = conditions[0]
    model, p = first.model, first.prefix
    if any((c.model, c.prefix, c.field) != (model, p, first.field) for c in conditions):
        raise ValueError("one model and period column per aggregate")
    unique = list({c.key: c for c in conditions}.values())
    agg = {f"k{i}": Count("pk", filter=c.q) for i, c in enumerate(unique)}
    group = (f"{p}handling_unit_id", f"{p}intake_unit_id", f"{p}handling_kind")
    day = TruncDate(first.field) if isinstance(model._meta.get_field(first.field), DateTimeField) else F(first.field)
    rows = (model._default_manager.filter(within(model, first.field, month_period(month))).order_by()
            .annotate(tally_day=day).values("tally_day", *group).annotate(**agg))
    out: list[Tally] = []
    sums: defaultdict[tuple[str, int, int, str], int] = defaultdict(int)
    for r in rows:
        for i, c in enumerate(unique):
            if n := r[f"k{i}"]:
                units: Units = (r[group[0]], r[group[1]], r[group[2]])
                sums[(c.key, *units)] += n
                if r["tally_day"] in days:
                    out.append(_row(c.key, Bucket(Span.DAY, r["tally_day"]), units, n))
    if with_month:
        out += [_row(k, Bucket(Span.MONTH, month), (hu, iu, kind), n) for (k, hu, iu, kind), n in sums.items()]
    return out


def _row(key: str, bucket: Bucket, units: Units, n: int) -> Tally:
    hu, iu, kind = units
    return Tally(key=key, span=bucket.span, start=bucket.start, handling_unit_id=hu, intake_unit_id=iu,
                 handling_kind=kind, count=n)


def last_seq() -> int:
    return Event.objects.aggregate(s=Max("seq"))["s"] or 0
