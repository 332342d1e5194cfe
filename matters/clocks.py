"""Starting, stopping, pausing and recomputing a matter's clocks, and keeping its due columns in step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from deadlines.calendar import WorkCalendar
from deadlines.models import DeadlinePolicy, ServiceProfile
from deadlines.periods import Pause, compute_due, due_soon_window
from deadlines.rules import CLOCKS, Clock

from .models import Deadline, Matter


class ClockContext:
    """What clock arithmetic needs from the database, loaded once per use case."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar.load()
        self.policy = DeadlinePolicy.current()


_batch: ContextVar[ClockContext | None] = ContextVar("batch_clock_context", default=None)


def clock_context() -> ClockContext:
    return _batch.get() or ClockContext()


@contextmanager
def batch_clock_context() -> Iterator[None]:
    """One calendar and policy for a batch that changes neither (imports, the demo loader)."""
    token = _batch.set(ClockContext())
    try:
        yield
    finally:
        _batch.reset(token)


def _pauses(deadline: Deadline) -> list[Pause]:
    return [Pause(date.fromisoformat(s), date.fromisoformat(e) if e else None) for s, e in deadline.pauses]


def recompute(deadline: Deadline, ctx: ClockContext) -> None:
    due = compute_due(
        deadline.start, deadline.days, deadline.day_kind, ctx.calendar,
        pauses=_pauses(deadline), rollover=ctx.policy.rest_day_rollover,
    )
    deadline.due, deadline.rolled_from, deadline.provisional = due.date, due.rolled_from, due.provisional
    deadline.earliest_due = min(deadline.earliest_due or due.date, due.date)
    deadline.latest_due = max(deadline.latest_due or due.date, due.date)


def _local_profile(matter: Matter) -> ServiceProfile | None:
    candidates = ServiceProfile.objects.filter(active=True, stage="handling").order_by("days")
    for profile in candidates:
        if profile.channel and profile.channel != matter.channel:
            continue
        if profile.first_petition_only and not matter.is_first:
            continue
        return profile
    return None


def start_clock(matter: Matter, clock: Clock, today: date, ctx: ClockContext) -> Deadline | None:
    rule = CLOCKS[clock]
    days, day_kind, profile_name = rule.days, rule.day_kind, ""
    if clock == Clock.FOLLOW_UP:
        days = ctx.policy.follow_up_days
    elif clock == Clock.LOCAL_TARGET:
        profile = _local_profile(matter)
        if profile is None:
            return None
        days, day_kind, profile_name = profile.days, profile.day_kind, profile.name
    assert days is not None
    deadline = Deadline(matter=matter, clock=clock, start=today, days=days, day_kind=day_kind, profile_name=profile_name)
    recompute(deadline, ctx)
    deadline.save()
    return deadline


def stop_clocks(matter: Matter, clocks: tuple[Clock, ...], today: date) -> None:
    if clocks:
        Deadline.objects.filter(matter=matter, clock__in=clocks, stopped_on__isnull=True).update(stopped_on=today)


def open_deadlines(matter: Matter) -> list[Deadline]:
    return list(Deadline.objects.filter(matter=matter, stopped_on__isnull=True))


def refresh_due_columns(matter: Matter, ctx: ClockContext) -> None:
    """Copy the earliest open statutory obligation onto the matter for indexed queues."""
    obligations = [
        d for d in open_deadlines(matter)
        if CLOCKS[Clock(d.clock)].statutory and CLOCKS[Clock(d.clock)].office_obligation
    ]
    if not obligations:
        matter.statutory_due = matter.due_soon_from = None
        matter.clock_paused = matter.due_provisional = False
        return
    first = min(obligations, key=lambda d: d.due)
    matter.statutory_due = first.due
    window = due_soon_window(first.start, first.due, ctx.policy.due_soon_fraction, ctx.policy.due_soon_min_days)
    matter.due_soon_from = date.fromordinal(first.due.toordinal() - window)
    matter.clock_paused = any(d.paused for d in obligations)
    matter.due_provisional = first.provisional
