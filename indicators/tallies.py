"""Monthly tallies of finished months (issue 6, speed): what each indicator condition counted in a
month, per handling unit, intake unit and handling kind, so a year's figure reads a few hundred
tally rows and counts only the rest of its period live.

A tally is exact while no audit event after the one it was computed at targets a matter with a
fact in or before its month (registered, closed, a deadline window starting or due, a rating
given): every change to matters, their windows and their ratings goes through a service that
records an event on the matter, and no change moves a fact to before the matter's earliest. A condition is known by a digest of its compiled SQL, so a
definition whose parameters change has new keys, untallied until the next refresh."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, Max, Model, Q, Sum
from django.utils import timezone

from audit.models import Event
from matters.models import Deadline, Matter
from portal.models import Rating

from .models import MonthlyTally, TallyMonth
from .periods import month_of, month_period, within

# Events that change facts of many matters without an event on each: entering a holiday notice
# recomputes the due date of every open window (matters.services.publish_holiday_notice).
WIDE_VERBS = ("publish_holiday_notice",)


@dataclass(frozen=True)
class Condition:
    """Rows of ``model`` counted by the month of ``field``; ``prefix`` leads from a row to its matter."""

    model: type[Model]
    prefix: str
    field: str
    q: Q

    @cached_property
    def key(self) -> str:
        sql = str(self.model._default_manager.filter(self.q).order_by().values("pk").query)
        return hashlib.sha256(f"{self.model._meta.label}|{self.field}|{sql}".encode()).hexdigest()[:32]


def _local_month(moment: object) -> date:
    return month_of(timezone.localtime(moment).date())  # type: ignore[arg-type]


def touched_since(since: int) -> list[tuple[date, int]]:
    """For each matter an event after ``since`` targets: (the month of its earliest fact, the last
    such event), and (date.min, seq) for one that is gone and for the last of ``WIDE_VERBS``. Every month from the earliest fact on
    counts as touched, not only the months of its facts now: a change can move a fact out of a
    finished month (resuming an overdue clock or entering a holiday notice moves its due date),
    and none is ever before the matter's registration or a window's start, which never move."""
    wide = Event.objects.filter(seq__gt=since, verb__in=WIDE_VERBS).aggregate(s=Max("seq"))["s"]
    after = Event.objects.filter(seq__gt=since, target_type="matter")
    last = {pk: s for pk, s in after.order_by().values("target_id").annotate(s=Max("seq")).values_list("target_id", "s")
            if pk is not None}
    if not last:
        return [(date.min, wide)] if wide else []
    ids = after.values("target_id")
    first: dict[int, date] = {}

    def seen(pk: int, month: date) -> None:
        first[pk] = min(first.get(pk, month), month)

    for pk, registered in Matter.objects.filter(pk__in=ids).values_list("pk", "registered_at"):
        seen(pk, _local_month(registered))
    for pk, start in Deadline.objects.filter(matter_id__in=ids).values_list("matter_id", "start"):
        seen(pk, month_of(start))
    for pk, rated in Rating.objects.filter(matter_id__in=ids).values_list("matter_id", "rated_at"):
        seen(pk, _local_month(rated))
    return [(first.get(pk, date.min), s) for pk, s in last.items()] + ([(date.min, wide)] if wide else [])


def tallied(keys: set[str], months: set[date]) -> dict[tuple[str, date], int]:
    """The seq each (key, month) was tallied at, for those tallied at all."""
    if not keys or not months:
        return {}
    rows = TallyMonth.objects.filter(key__in=sorted(keys), month__in=sorted(months))
    return {(k, m): s for k, m, s in rows.values_list("key", "month", "computed_seq")}


def untouched(seqs: dict[tuple[str, date], int]) -> set[tuple[str, date]]:
    """The (key, month) whose tally no later event has made stale."""
    if not seqs:
        return set()
    touched = touched_since(min(seqs.values()))
    last = {m: max((s for lo, s in touched if lo <= m), default=0) for m in {m for _k, m in seqs}}
    return {(k, m) for (k, m), s in seqs.items() if last[m] <= s}


def summed(pairs: set[tuple[str, date]], scope: Q) -> dict[tuple[str, date], int]:
    """The tallies of each (key, month) over the tally rows in ``scope`` (a filter on a matter's
    handling unit, intake unit and handling kind, as on matters)."""
    if not pairs:
        return {}
    keys, months = sorted({k for k, _m in pairs}), sorted({m for _k, m in pairs})
    rows = (MonthlyTally.objects.filter(scope, key__in=keys, month__in=months).order_by()
            .values("key", "month").annotate(n=Sum("count")))
    return {(r["key"], r["month"]): r["n"] for r in rows if (r["key"], r["month"]) in pairs}


def count_month(conditions: list[Condition], month: date) -> list[MonthlyTally]:
    """The tally rows of one month for conditions on one model and period column: one grouped
    aggregate, a conditional count per condition."""
    first = conditions[0]
    model, p = first.model, first.prefix
    if any((c.model, c.prefix, c.field) != (model, p, first.field) for c in conditions):
        raise ValueError("one model and period column per aggregate")
    unique = list({c.key: c for c in conditions}.values())
    agg = {f"k{i}": Count("pk", filter=c.q) for i, c in enumerate(unique)}
    group = (f"{p}handling_unit_id", f"{p}intake_unit_id", f"{p}handling_kind")
    rows = (model._default_manager.filter(within(model, first.field, month_period(month))).order_by()
            .values(*group).annotate(**agg))
    return [MonthlyTally(key=c.key, month=month, handling_unit_id=r[group[0]], intake_unit_id=r[group[1]],
                         handling_kind=r[group[2]], count=r[f"k{i}"])
            for r in rows for i, c in enumerate(unique) if r[f"k{i}"]]


def last_seq() -> int:
    return Event.objects.aggregate(s=Max("seq"))["s"] or 0
