"""Pure date arithmetic for legal periods: counting, roll-over, pauses and due states (§5)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .calendar import WorkCalendar
from .models import DayKind

ONE_DAY = timedelta(days=1)
_Date = date  # Due has a field named ``date``


@dataclass(frozen=True)
class Pause:
    """The clock stopped on ``start`` and resumed on ``end``; days after ``start`` up to and
    including ``end`` do not count. An open pause has no end yet."""

    start: date
    end: date | None = None

    def excluded_days(self) -> set[date]:
        if self.end is None:
            return set()
        return {self.start + ONE_DAY * i for i in range(1, (self.end - self.start).days + 1)}


@dataclass(frozen=True)
class Due:
    date: _Date
    rolled_from: _Date | None = None
    provisional: bool = False


def compute_due(
    start: date,
    days: int,
    kind: str,
    calendar: WorkCalendar,
    *,
    pauses: Iterable[Pause] = (),
    rollover: bool = True,
) -> Due:
    """The last day of a period of ``days`` counted from the day after ``start``."""
    excluded: set[date] = set()
    for pause in pauses:
        excluded |= pause.excluded_days()
    day, counted, provisional = start, 0, False
    while counted < days:
        day += ONE_DAY
        if day in excluded:
            continue
        if kind == DayKind.WORKING:
            work, prov = calendar.is_workday(day)
            provisional |= prov
            if not work:
                continue
        counted += 1
    rolled_from = None
    if rollover and kind == DayKind.CALENDAR:
        work, prov = calendar.is_workday(day)
        provisional |= prov
        if not work:
            rolled_from = day
            while not work:
                day += ONE_DAY
                work, prov = calendar.is_workday(day)
                provisional |= prov
    return Due(day, rolled_from, provisional)


class DueState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"


def due_soon_window(start: date, due: date, fraction: float, min_days: int) -> int:
    """Days before the due date from which a deadline counts as due soon."""
    return max(math.ceil((due - start).days * fraction), min_days)


def due_state(start: date, due: date, today: date, *, fraction: float, min_days: int, paused: bool = False) -> DueState:
    if paused:
        return DueState.PAUSED
    if today > due:
        return DueState.OVERDUE
    if (due - today).days <= due_soon_window(start, due, fraction, min_days):
        return DueState.DUE_SOON
    return DueState.ON_TIME
