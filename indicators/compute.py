"""Computing the indicators of §7 for a unit subtree and a period, each with the matters behind its
numerator and denominator, so every figure can be checked (drill-down)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, QuerySet

from deadlines.rules import Clock
from matters.models import Deadline, Matter
from matters.selectors import matters_visible_to
from org.models import Unit, User
from portal.models import Rating

from .models import IndicatorDefinition


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def ended_by(self, today: date) -> Period:
        """A window counts once it has ended: a period reaching into today stops at yesterday."""
        return Period(self.start, min(self.end, today - timedelta(days=1)))


@dataclass(frozen=True)
class Figure:
    definition: IndicatorDefinition
    numerator: int
    denominator: int | None

    @property
    def rate(self) -> float | None:
        if self.denominator is None:
            return None
        return self.numerator / self.denominator if self.denominator else None


def _base(user: User, unit: Unit | None) -> QuerySet[Matter]:
    qs = matters_visible_to(user)
    return qs.filter(handling_unit__path__startswith=unit.path) if unit is not None else qs


def _windows(base: QuerySet[Matter], clock: Clock, period: Period) -> QuerySet[Deadline]:
    return Deadline.objects.filter(matter__in=base.values("pk"), clock=clock, due__range=(period.start, period.end))


def parts(definition: IndicatorDefinition, user: User, unit: Unit | None, period: Period, today: date
          ) -> tuple[QuerySet[Matter], QuerySet[Matter] | None, int, int | None]:
    """(numerator matters, denominator matters, numerator count, denominator count). Counts are of
    deadline windows or ratings where the indicator counts those (a forwarded matter has two
    acceptance windows), so they can exceed the number of distinct matters listed."""
    base = _base(user, unit)
    key, params = definition.key, definition.params or {}
    if key in ("timely_acceptance", "on_time_completion"):
        clock = Clock.ACCEPTANCE if key == "timely_acceptance" else Clock.HANDLING
        den_rows = _windows(base, clock, period.ended_by(today))
        num_rows = den_rows.filter(stopped_on__isnull=False, stopped_on__lte=F("due"))
        return (_matters(num_rows), _matters(den_rows), num_rows.count(), den_rows.count())
    if key == "satisfaction":
        rated = Rating.objects.filter(matter__in=base.values("pk"), rated_at__date__range=(period.start, period.end))
        good = [Rating.Level.SATISFIED] + ([Rating.Level.BASICALLY] if params.get("count_basically_satisfied", True) else [])
        happy = rated.filter(level__in=good)
        return (_matters(happy), _matters(rated), happy.count(), rated.count())
    if key == "participation":
        replies = Deadline.objects.filter(matter__in=base.values("pk"), clock=Clock.REVIEW_REQUEST,
                                          start__range=(period.start, period.end))
        rated_replies = replies.filter(matter__rating__isnull=False)
        return (_matters(rated_replies), _matters(replies), rated_replies.count(), replies.count())
    registered = base.filter(registered_at__date__range=(period.start, period.end))
    if key == "repeat_rate":
        repeats = registered.filter(is_repeat=True)
        return (repeats, registered, repeats.count(), registered.count())
    if key == "registered":
        return (registered, None, registered.count(), None)
    raise KeyError(f"no computation for indicator {key!r}")


def _matters(rows: QuerySet[Deadline] | QuerySet[Rating]) -> QuerySet[Matter]:
    return Matter.objects.filter(pk__in=rows.values("matter_id"))


def figures(user: User, unit: Unit | None, period: Period, today: date) -> list[Figure]:
    out = []
    for d in IndicatorDefinition.objects.all():
        _num, _den, n, m = parts(d, user, unit, period, today)
        out.append(Figure(d, n, m))
    return out
