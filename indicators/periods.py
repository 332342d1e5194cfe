"""Periods of local days, and a period as a filter on a column of moments or of dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import DateTimeField, Model, Q
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def ended_by(self, today: date) -> Period:
        """A window counts once it has ended: a period reaching into today stops at yesterday."""
        return Period(self.start, min(self.end, today - timedelta(days=1)))


def on_days(field: str, period: Period) -> Q:
    """``field`` (a moment) falls on a local day of the period: a range on the column itself, so
    its index serves, rather than a date cast of every row."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    stop = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": stop})


def within(model: type[Model], field: str, period: Period) -> Q:
    """``field`` of ``model`` in the period: moments on its local days, dates as dates."""
    if isinstance(model._meta.get_field(field), DateTimeField):
        return on_days(field, period)
    return Q(**{f"{field}__range": (period.start, period.end)})


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_period(first: date) -> Period:
    return Period(first, next_month(first) - timedelta(days=1))


def whole_months(period: Period, today: date) -> list[date]:
    """The first days of the months lying wholly inside the period that ended before today."""
    out, m = [], month_of(period.start)
    if m < period.start:
        m = next_month(m)
    while next_month(m) - timedelta(days=1) <= min(period.end, today - timedelta(days=1)):
        out.append(m)
        m = next_month(m)
    return out


def without(period: Period, months: list[date]) -> list[Period]:
    """What of the period the (sorted, whole) months leave, as few periods as possible."""
    if period.start > period.end:
        return []
    out, start = [], period.start
    for m in months:
        if start < m:
            out.append(Period(start, m - timedelta(days=1)))
        start = next_month(m)
    if start <= period.end:
        out.append(Period(start, period.end))
    return out
