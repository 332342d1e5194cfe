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


def within(model: type[Model], field: str, period: Period, column: str | None = None) -> Q:
    """``field`` of ``model`` in the period: moments on its local days, dates as dates; as a filter
    on ``column`` (an alias of the field) if given."""
    name = column or field
    if isinstance(model._meta.get_field(field), DateTimeField):
        return on_days(name, period)
    return Q(**{f"{name}__range": (period.start, period.end)})


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


def finished_days(period: Period, today: date) -> list[date]:
    """The days of the period before today."""
    last = min(period.end, today - timedelta(days=1))
    return [period.start + timedelta(days=i) for i in range((last - period.start).days + 1)]


def without(period: Period, parts: list[Period]) -> list[Period]:
    """What of the period the (disjoint) parts inside it leave, as few periods as possible."""
    if period.start > period.end:
        return []
    out, start = [], period.start
    for part in sorted(parts, key=lambda p: p.start):
        if start < part.start:
            out.append(Period(start, part.start - timedelta(days=1)))
        start = part.end + timedelta(days=1)
    if start <= period.end:
        out.append(Period(start, period.end))
    return out


def merged(periods: list[Period]) -> list[Period]:
    """The periods as the fewest periods covering the same days."""
    out: list[Period] = []
    for p in sorted(periods, key=lambda p: p.start):
        if out and p.start <= out[-1].end + timedelta(days=1):
            out[-1] = Period(out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return out


def coalesced(periods: list[Period], most: int) -> list[Period]:
    """The periods, merged, then joined across their shortest gaps until at most ``most`` remain:
    a cover of them (and of the gaps joined) in few ranges."""
    out = merged(periods)
    while len(out) > most:
        i = min(range(len(out) - 1), key=lambda i: (out[i + 1].start - out[i].end, i))
        out[i:i + 2] = [Period(out[i].start, out[i + 1].end)]
    return out
