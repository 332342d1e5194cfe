"""Who reports, how often, and the period a day falls in: pure functions of dates and policy."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from org.models import Unit, UnitKind

from .models import Cadence, ScreeningPolicy

COMMUNITY, STREET, DISTRICT, CITY = "社区", "街道", "区", "市"

# Territorial governments below the city file reports; the city's monthly figure is the roll-up
# of theirs. Departments and offices do not screen on a cadence: their risks reach the ledger
# through the territorial unit of the place (属地管理).
REPORTING_LEVELS = (COMMUNITY, STREET, DISTRICT)


@dataclass(frozen=True)
class Period:
    cadence: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def previous(self) -> Period:
        return period_containing(self.cadence, self.start - timedelta(days=1))


def cadence_for_level(level_name: str, policy: ScreeningPolicy) -> str | None:
    return {COMMUNITY: policy.community_cadence, STREET: policy.street_cadence,
            DISTRICT: policy.district_cadence, CITY: policy.city_cadence}.get(level_name)


def must_report(unit: Unit) -> bool:
    return unit.kind == UnitKind.TERRITORIAL and unit.level_name in REPORTING_LEVELS


def cadence_of(unit: Unit, policy: ScreeningPolicy) -> str | None:
    """The cadence a unit files on, or None for a unit that files no reports."""
    return cadence_for_level(unit.level_name, policy) if must_report(unit) else None


def period_containing(cadence: str, day: date) -> Period:
    """A day, the ISO week (Monday to Sunday) or the calendar month that contains ``day``."""
    if cadence == Cadence.DAILY:
        return Period(cadence, day, day)
    if cadence == Cadence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(cadence, start, start + timedelta(days=6))
    if cadence == Cadence.MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(cadence, day.replace(day=1), day.replace(day=last))
    raise ValueError(f"unknown cadence {cadence!r}")


def is_late(period: Period, filed_on: date, policy: ScreeningPolicy) -> bool:
    return filed_on > period.end + timedelta(days=policy.grace_days)


def ended_periods(cadence: str, today: date, policy: ScreeningPolicy) -> list[Period]:
    """Periods whose report is overdue today, newest first, within the policy's look-back."""
    horizon = today - timedelta(days=policy.look_back_days)
    periods: list[Period] = []
    period = period_containing(cadence, today).previous()
    while period.end >= horizon:
        if is_late(period, today, policy):
            periods.append(period)
        period = period.previous()
    return periods
