"""Computing the indicators of §7 for a unit subtree and a period, each with the matters behind its
numerator and denominator, so every figure can be checked (drill-down)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, DateTimeField, Exists, F, Field, Func, IntegerField, OuterRef, Q, QuerySet

from deadlines.rules import Clock
from matters.lifecycle import State
from matters.models import Channel, Deadline, Matter
from matters.selectors import matters_visible_to, visible_q
from org.models import Unit, User
from portal.models import Rating

from . import tallies
from .models import IndicatorDefinition
from .periods import Period, coalesced, within, without
from .units import Row, rows_q, tally

# Live days of one period column beyond which its rows are scanned rather than looked up by index.
SCAN_DAYS = 92


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


def _good_levels(params: dict[str, object]) -> list[str]:
    return [Rating.Level.SATISFIED.value] + ([Rating.Level.BASICALLY.value] if params.get("count_basically_satisfied", True) else [])


class PlusHours(Func):
    """A moment ``hours`` whole hours after the moment in ``field``. Django's moment + timedelta
    calls back into Python for every row on SQLite (the response rate's spec took 250 ms of 330 at
    200k matters); SQLite's own date function does it here, exactly: whole hours leave the fraction
    of a second alone, so it shifts the text of the whole seconds and keeps the fraction as stored."""

    output_field = DateTimeField()

    def __init__(self, field: str, hours: int) -> None:
        super().__init__(F(field))
        self.hours = hours

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + %s)", [*params, timedelta(hours=self.hours)]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({sql}, 1, 19), %s) || substr({sql}, 20))",
                [*params, f"+{self.hours} hours", *params])


class UnaryPlus(Func):
    """``+column``: the same value, of no index's column."""

    template = "(+%(expressions)s)"
    output_field = IntegerField()


class Unindexed(Func):
    """The column itself, which SQLite reads without its index (``+column``). Over most of a year
    it scans the table faster than it looks up each row from the index (7.6 s against 23.3 s for a
    year's figures at 1M matters with most of the year stale); PostgreSQL's planner chooses by its statistics."""

    def __init__(self, field: str, output_field: Field) -> None:
        super().__init__(F(field), output_field=output_field)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(+{sql})", params

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])


@dataclass(frozen=True)
class Spec:
    """What a figure counts: rows of one model whose one period column ``field`` falls in
    ``period`` and which meet ``base`` (the denominator, or what a count counts), and of those the
    ones meeting ``hits`` (the numerator). ``prefix`` is the path from a row to its matter. The
    querysets of ``rows()`` (drill-down, per-unit reports), the aggregate queries of ``counts()``
    and the monthly tallies are all built from it, so they cannot count differently."""

    model: type[Deadline] | type[Rating] | type[Matter]
    prefix: str
    field: str
    period: Period
    base: Q
    hits: Q
    is_rate: bool
    today: date

    @property
    def rows(self) -> Q:
        return self.base & self.within(self.period)

    def within(self, period: Period) -> Q:
        return within(self.model, self.field, period)

    @property
    def unit_field(self) -> str:
        return f"{self.prefix}handling_unit"

    def conditions(self) -> tuple[tallies.Condition, tallies.Condition | None]:
        """What the numerator and the denominator count, without the period: the tallies' keys."""
        num = tallies.Condition(self.model, self.prefix, self.field, self.base & self.hits)
        return num, tallies.Condition(self.model, self.prefix, self.field, self.base) if self.is_rate else None


def spec(definition: IndicatorDefinition, period: Period, today: date) -> Spec:
    key, params = definition.key, definition.params or {}
    hotline = Q(channel=Channel.HOTLINE) if definition.indicator_set == IndicatorDefinition.Set.HOTLINE else Q()
    on_matter = Q(matter__channel=Channel.HOTLINE) if hotline else Q()
    if key in ("timely_acceptance", "on_time_completion"):
        clock = Clock.ACCEPTANCE if key == "timely_acceptance" else Clock.HANDLING
        return Spec(Deadline, "matter__", "due", period.ended_by(today), on_matter & Q(clock=clock),
                    Q(stopped_on__isnull=False, stopped_on__lte=F("due")), True, today)
    if key in ("satisfaction", "hotline_satisfaction"):
        return Spec(Rating, "matter__", "rated_at", period, on_matter, Q(level__in=_good_levels(params)), True, today)
    if key == "participation":
        return Spec(Deadline, "matter__", "start", period, on_matter & Q(clock=Clock.REVIEW_REQUEST),
                    Q(Exists(Rating.objects.filter(matter=OuterRef("matter_id")))), True, today)
    if key == "hotline_response":
        hours = int(str(params.get("response_hours", 24)))
        limit = PlusHours("registered_at", hours)
        # 响应率: work orders dispatched (registered) in the period, and those the handling unit took
        # up (accepted it, or decided it is not for it) within ``hours`` of dispatch.
        return Spec(Matter, "", "registered_at", period.ended_by(today), hotline & ~Q(state=State.MERGED),
                    Q(responded_at__lte=limit), True, today)
    if key == "hotline_resolution":
        resolved = params.get("resolved_levels", [Rating.Level.SATISFIED, Rating.Level.BASICALLY])
        return Spec(Matter, "", "closed_at", period, hotline & Q(state=State.CLOSED),
                    Q(Exists(Rating.objects.filter(matter=OuterRef("pk"), level__in=resolved))), True, today)
    if key == "repeat_rate":
        return Spec(Matter, "", "registered_at", period, hotline, Q(is_repeat=True), True, today)
    if key in ("registered", "hotline_registered"):
        return registered_spec(period, today, hotline)
    raise KeyError(f"no computation for indicator {key!r}")


def registered_spec(period: Period, today: date, condition: Q | None = None) -> Spec:
    """Matters registered in the period (meeting ``condition``): a count."""
    return Spec(Matter, "", "registered_at", period, condition or Q(), Q(), False, today)


def rows(definition: IndicatorDefinition, base: QuerySet[Matter], period: Period, today: date) -> Rows:
    s = spec(definition, period, today)
    if s.model is Matter:
        den: QuerySet[Deadline] | QuerySet[Rating] | QuerySet[Matter] = base.filter(s.rows)
    else:
        den = s.model.objects.filter(s.rows, matter__in=base.values("pk"))  # type: ignore[misc]  # deadlines or ratings
    num = den.filter(s.hits)
    return Rows(num, den, s.unit_field) if s.is_rate else Rows(num, None, s.unit_field)


def scope_q(user: User, unit: Unit | None, own: bool = False, prefix: str = "") -> Q:
    """The matters of ``_base(user, unit, own)`` as a filter on a path to a matter: the scope rule
    and ``Row.matter_q``, as a join rather than a subquery of every visible matter's id."""
    q = visible_q(user, prefix)
    if unit is not None:
        q &= Row(unit, own).matter_q(prefix)
    return q


def _distinct_counts(conditions: list[Q | None]) -> tuple[dict[str, Count], list[str | None]]:
    """A conditional count for each distinct condition, and the name of each condition's count.
    SQLite's time goes on testing every row against every condition, and specs share them (a
    count's numerator is its rows, the registered matters are the repeat rate's denominator, this
    month is one of the trend's twelve)."""
    agg: dict[str, Count] = {}
    alias: dict[Q, str] = {}
    for q in conditions:
        if q is not None and q not in alias:
            alias[q] = f"c{len(alias)}"
            agg[alias[q]] = Count("pk", filter=q)
    return agg, [None if q is None else alias[q] for q in conditions]


def counts(specs: list[Spec], user: User, unit: Unit | None, own: bool = False) -> list[tuple[int, int | None]]:
    """(numerator, denominator or None) of each spec: its finished months and days from the
    tallies where they are trusted, the rest of its period (today, and anything stale) live, in one
    aggregate query per model and period column whatever the number of figures or periods."""
    conds = [s.conditions() for s in specs]
    used = tallies.cover([(s.period, s.today, [c.key for c in pair if c is not None]) for s, pair in zip(specs, conds, strict=True)])
    sums = tallies.summed({(c.key, b) for bs, pair in zip(used, conds, strict=True) for c in pair if c is not None for b in bs},
                          scope_q(user, unit, own))
    live = _live(specs, [without(s.period, [b.period for b in bs]) for s, bs in zip(specs, used, strict=True)], user, unit, own)
    out = []
    for (num, den), bs, (n, d) in zip(conds, used, live, strict=True):
        n += sum(sums.get((num.key, b), 0) for b in bs)
        if den is not None and d is not None:
            d += sum(sums.get((den.key, b), 0) for b in bs)
        out.append((n, d))
    return out


def _live(specs: list[Spec], periods: list[list[Period]], user: User, unit: Unit | None, own: bool
          ) -> list[tuple[int, int | None]]:
    """Each spec counted over ``periods`` only: one aggregate per model and period column, with a
    WHERE on that one column's ranges so its index serves. (No OR of ranges on different columns:
    SQLite merges several index scans of nearly every row for it, 38 s at 1M matters against ~1 s
    for one scan.) A conditional count per distinct condition picks each spec's rows."""
    out: dict[int, tuple[int, int | None]] = {}
    by_column: dict[tuple[type, str], list[int]] = {}
    for i, s in enumerate(specs):
        if periods[i]:
            by_column.setdefault((s.model, s.field), []).append(i)
        else:
            out[i] = (0, 0 if s.is_rate else None)
    for (model, _field), idx in by_column.items():
        first = specs[idx[0]]
        if any(specs[i].prefix != first.prefix for i in idx):
            raise ValueError("one model, one path to the matter")
        ranges = coalesced([p for i in idx for p in periods[i]], tallies.LIVE_PARTS)
        rows = [specs[i].base & reduce(or_, (specs[i].within(p) for p in periods[i])) for i in idx]
        wanted = [q for i, r in zip(idx, rows, strict=True) for q in (r & specs[i].hits, r if specs[i].is_rate else None)]
        agg, names = _distinct_counts(wanted)
        long = sum((p.end - p.start).days + 1 for p in ranges) > SCAN_DAYS
        column = "p_scan" if long else first.field
        where = reduce(or_, (within(model, first.field, p, column) for p in ranges))
        # The scope on copies of the unit columns that no index serves, so the planner reads the
        # few weeks in the period column's index rather than a year of the units' matters
        # (SQLite took the handling unit's index: 100 ms instead of a few at 200k matters).
        units = {f"u_{c}": UnaryPlus(F(f"{first.prefix}{c}")) for c in ("handling_unit", "handling_unit_id", "intake_unit")}
        scan = {"p_scan": Unindexed(first.field, first.model._meta.get_field(first.field))} if long else {}  # type: ignore[arg-type]
        res = (model.objects.alias(**scan).filter(where).alias(**units, u_handling_kind=F(f"{first.prefix}handling_kind"))  # type: ignore[attr-defined]
               .filter(scope_q(user, unit, own, "u_")).order_by().aggregate(**agg))
        for k, i in enumerate(idx):
            num, den = names[2 * k], names[2 * k + 1]
            out[i] = (res[num], None if den is None else res[den])
    return [out[i] for i in range(len(specs))]


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


def figures(user: User, unit: Unit | None, period: Period, today: date, indicator_set: str | None = None,
            own: bool = False) -> list[Figure]:
    """Every definition's figure, the same numbers as ``parts()`` gives each, in one aggregate
    query per model counted (deadline windows, ratings, matters)."""
    defs = list(definitions(indicator_set))
    found = counts([spec(d, period, today) for d in defs], user, unit, own)
    return [Figure(d, n, m) for d, (n, m) in zip(defs, found, strict=True)]


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
