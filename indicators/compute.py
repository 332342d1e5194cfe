"""Computing the indicators of §7 for a unit subtree and a period, each with the matters behind its
numerator and denominator, so every figure can be checked (drill-down)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import Event
from deadlines.rules import Clock
from matters.lifecycle import State
from matters.models import Channel, Deadline, Matter
from matters.selectors import matters_visible_to
from org.models import Unit, User
from portal.models import Rating

from .models import IndicatorDefinition
from .units import Row, rows_q, tally


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


@dataclass(frozen=True)
class Rows:
    """What a figure counts: rows of deadlines, ratings or matters, and the path from a row to its
    handling unit, so the same rows can be counted at once or per unit."""

    numerator: QuerySet[Deadline] | QuerySet[Rating] | QuerySet[Matter]
    denominator: QuerySet[Deadline] | QuerySet[Rating] | QuerySet[Matter] | None
    unit_field: str

    def matters(self, part: str) -> QuerySet[Matter] | None:
        rows = self.numerator if part == "numerator" else self.denominator
        if rows is None:
            return None
        if rows.model is Matter:
            return rows  # type: ignore[return-value]
        return Matter.objects.filter(pk__in=rows.values("matter_id"))  # type: ignore[misc]  # deadlines or ratings


def _base(user: User, unit: Unit | None, own: bool = False) -> QuerySet[Matter]:
    qs = matters_visible_to(user)
    if unit is None:
        return qs
    return qs.filter(Row(unit, own).matter_q())


def on_days(field: str, period: Period) -> Q:
    """``field`` (a moment) falls on a local day of the period: a range on the column itself, so
    its index serves, rather than a date cast of every row."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    stop = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": stop})


def _windows(base: QuerySet[Matter], clock: Clock, period: Period) -> QuerySet[Deadline]:
    return Deadline.objects.filter(matter__in=base.values("pk"), clock=clock, due__range=(period.start, period.end))


def _good_levels(params: dict[str, object]) -> list[str]:
    return [Rating.Level.SATISFIED.value] + ([Rating.Level.BASICALLY.value] if params.get("count_basically_satisfied", True) else [])


def rows(definition: IndicatorDefinition, base: QuerySet[Matter], period: Period, today: date) -> Rows:
    key, params = definition.key, definition.params or {}
    if definition.indicator_set == IndicatorDefinition.Set.HOTLINE:
        base = base.filter(channel=Channel.HOTLINE)
    if key in ("timely_acceptance", "on_time_completion"):
        clock = Clock.ACCEPTANCE if key == "timely_acceptance" else Clock.HANDLING
        den_rows = _windows(base, clock, period.ended_by(today))
        return Rows(den_rows.filter(stopped_on__isnull=False, stopped_on__lte=F("due")), den_rows, "matter__handling_unit")
    if key in ("satisfaction", "hotline_satisfaction"):
        rated = Rating.objects.filter(on_days("rated_at", period), matter__in=base.values("pk"))
        return Rows(rated.filter(level__in=_good_levels(params)), rated, "matter__handling_unit")
    if key == "participation":
        replies = Deadline.objects.filter(matter__in=base.values("pk"), clock=Clock.REVIEW_REQUEST,
                                          start__range=(period.start, period.end))
        return Rows(replies.filter(matter__rating__isnull=False), replies, "matter__handling_unit")
    if key == "hotline_response":
        return _response(base, period.ended_by(today), int(str(params.get("response_hours", 24))))
    if key == "hotline_resolution":
        closed = base.filter(on_days("closed_at", period), state=State.CLOSED)
        resolved = params.get("resolved_levels", [Rating.Level.SATISFIED, Rating.Level.BASICALLY])
        return Rows(closed.filter(rating__level__in=resolved), closed, "handling_unit")
    registered = base.filter(on_days("registered_at", period))
    if key == "repeat_rate":
        return Rows(registered.filter(is_repeat=True), registered, "handling_unit")
    if key in ("registered", "hotline_registered"):
        return Rows(registered, None, "handling_unit")
    raise KeyError(f"no computation for indicator {key!r}")


def _response(base: QuerySet[Matter], period: Period, hours: int) -> Rows:
    """响应率: work orders dispatched (registered) in the period, and those the handling unit took up
    (accepted it, or decided it is not for it) within ``hours`` of dispatch."""
    dispatched = base.filter(on_days("registered_at", period)).exclude(state=State.MERGED)
    limit = ExpressionWrapper(OuterRef("registered_at") + timedelta(hours=hours), output_field=DateTimeField())
    answered = Event.objects.filter(target_type="matter", target_id=OuterRef("pk"), verb__in=["accept", "refuse"],
                                    at__lte=limit)
    return Rows(dispatched.filter(Exists(answered)), dispatched, "handling_unit")


def parts(definition: IndicatorDefinition, user: User, unit: Unit | None, period: Period, today: date,
          own: bool = False) -> tuple[QuerySet[Matter], QuerySet[Matter] | None, int, int | None]:
    """(numerator matters, denominator matters, numerator count, denominator count). Counts are of
    deadline windows or ratings where the indicator counts those (a forwarded matter has two
    acceptance windows), so they can exceed the number of distinct matters listed."""
    r = rows(definition, _base(user, unit, own), period, today)
    num = r.matters("numerator")
    assert num is not None
    return num, r.matters("denominator"), r.numerator.count(), None if r.denominator is None else r.denominator.count()


def definitions(indicator_set: str | None = None) -> QuerySet[IndicatorDefinition]:
    qs = IndicatorDefinition.objects.all()
    return qs.filter(indicator_set=indicator_set) if indicator_set else qs


def figures(user: User, unit: Unit | None, period: Period, today: date, indicator_set: str | None = None) -> list[Figure]:
    out = []
    for d in definitions(indicator_set):
        _num, _den, n, m = parts(d, user, unit, period, today)
        out.append(Figure(d, n, m))
    return out


def _by_unit(qs: QuerySet[Deadline] | QuerySet[Rating] | QuerySet[Matter], unit_field: str) -> dict[int, int]:
    return {row[unit_field]: row["n"] for row in qs.order_by().values(unit_field).annotate(n=Count("pk"))}


def figures_per_row(definition: IndicatorDefinition, user: User, report_rows: list[Row], period: Period, today: date
                    ) -> list[Figure]:
    """One figure per report row, from two grouped queries whatever the number of rows."""
    if not report_rows:
        return []
    q = rows_q(report_rows)
    r = rows(definition, matters_visible_to(user).filter(q), period, today)
    nums = tally(report_rows, _by_unit(r.numerator, r.unit_field))
    dens = tally(report_rows, _by_unit(r.denominator, r.unit_field)) if r.denominator is not None else None
    return [Figure(definition, nums[i], dens[i] if dens is not None else None) for i in range(len(report_rows))]
