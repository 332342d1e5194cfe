"""年考核 (annual assessment): a score per unit from the rulebook in force (考核细则), with a line-by-line
explanation: the figure, the target and the points.

A scored line gives full points at or above its target, none at or below its floor (0 when blank)
and a straight line between; a unit with nothing to measure on a line (no denominator) gets full
points, since it failed nothing. Deductions and bonuses give points per counted item up to their cap.
Points are rounded half up to two decimals, line by line, so the lines add up to the total shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from deadlines.rules import CLOCKS
from matters.models import Deadline, Matter
from matters.selectors import matters_visible_to
from org.models import User
from supervision.backlog import backlog_visible_to
from supervision.models import BacklogEntry

from .compute import Figure, Period, figures_per_row
from .models import CountKind, Rulebook, RuleLine
from .periods import on_days
from .units import Row, rows_q, tally

CENT = Decimal("0.01")
OFFICE_CLOCKS = [c.value for c, rule in CLOCKS.items() if rule.office_obligation]


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def rulebook_for(year: int) -> Rulebook | None:
    """The rulebook in force: the latest one from this year or before."""
    return Rulebook.objects.filter(year__lte=year).order_by("-year").first()


def counted(kind: str, base: QuerySet[Matter], user: User, period: Period, today: date
            ) -> tuple[QuerySet[Matter] | QuerySet[Deadline] | QuerySet[BacklogEntry], str]:
    """The rows a deduction or bonus counts, and the path from a row to its handling unit."""
    if kind in (CountKind.ABOVE_LEVEL, CountKind.TO_CAPITAL):
        flag = "is_above_level" if kind == CountKind.ABOVE_LEVEL else "is_to_capital"
        return base.filter(on_days("registered_at", period), **{flag: True}), "handling_unit"
    if kind == CountKind.OVERDUE:
        ended = period.ended_by(today)
        missed = Deadline.objects.filter(matter__in=base.values("pk"), clock__in=OFFICE_CLOCKS,
                                         due__range=(ended.start, ended.end)).filter(
            Q(stopped_on__isnull=True) | Q(stopped_on__gt=F("due")))
        return missed, "matter__handling_unit"
    if kind == CountKind.BACKLOG_SIGNED_OFF:
        return backlog_visible_to(user).filter(on_days("signed_off_at", period), matter__in=base.values("pk")
                                               ), "matter__handling_unit"
    raise KeyError(f"nothing to count for {kind!r}")


@dataclass(frozen=True)
class LineScore:
    line: RuleLine
    figure: Figure | None  # a scored line
    count: int | None  # a deduction or bonus
    points: Decimal  # signed: a deduction is negative

    @property
    def explanation(self) -> str:
        ln = self.line
        if self.figure is not None:
            if not self.figure.denominator:
                return _("Nothing to measure: full points.")
            return _("%(num)s of %(den)s = %(rate)s; target %(target)s, floor %(floor)s") % {
                "num": self.figure.numerator, "den": self.figure.denominator, "rate": f"{self.figure.rate:.1%}",
                "target": f"{ln.target:.1%}" if ln.target is not None else "—",
                "floor": f"{(ln.floor or Decimal(0)):.1%}"}
        text = _("%(count)s × %(per)s points") % {"count": self.count, "per": ln.per_item}
        return text + (_(", at most %(cap)s") % {"cap": ln.cap} if ln.cap is not None else "")


@dataclass(frozen=True)
class UnitScore:
    row: Row
    lines: list[LineScore]
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((ls.points for ls in self.lines), Decimal(0))


def score_rate(line: RuleLine, figure: Figure) -> Decimal:
    full = Decimal(line.points)
    if not figure.denominator or line.target is None:
        return full
    rate, target = Fraction(figure.numerator, figure.denominator), Fraction(line.target)
    floor = Fraction(line.floor or 0)
    if rate >= target:
        return full
    if rate <= floor:
        return Decimal(0)
    share = (rate - floor) / (target - floor)
    return (full * share.numerator / share.denominator).quantize(CENT, ROUND_HALF_UP)


def score_count(line: RuleLine, n: int) -> Decimal:
    points = Decimal(line.per_item) * n
    if line.cap is not None:
        points = min(points, Decimal(line.cap))
    points = points.quantize(CENT, ROUND_HALF_UP)
    return -points if line.kind == RuleLine.Kind.DEDUCTION else points


def annual_assessment(user: User, report_rows: list[Row], year: int, today: date, rulebook: Rulebook | None = None
                      ) -> list[UnitScore]:
    """One score per report row, best first; equal totals share a rank."""
    book = rulebook or rulebook_for(year)
    if book is None or not report_rows:
        return []
    period = year_period(year)
    q = rows_q(report_rows)
    base = matters_visible_to(user).filter(q)
    per_line: list[list[LineScore]] = []
    for line in book.lines.select_related("indicator"):
        if line.kind == RuleLine.Kind.SCORE and line.indicator is not None:
            figs = figures_per_row(line.indicator, user, report_rows, period, today)
            per_line.append([LineScore(line, f, None, score_rate(line, f)) for f in figs])
        else:
            qs, field = counted(line.count, base, user, period, today)
            by_unit = {d[field]: d["n"] for d in qs.order_by().values(field).annotate(n=Count("pk"))}
            ns = tally(report_rows, by_unit)
            per_line.append([LineScore(line, None, n, score_count(line, n)) for n in ns])
    scores = [UnitScore(row, [col[i] for col in per_line]) for i, row in enumerate(report_rows)]
    totals = [s.total for s in scores]
    order = [1 + sum(1 for t in totals if t > mine) for mine in totals]
    ranked = [UnitScore(s.row, s.lines, order[i]) for i, s in enumerate(scores)]
    return sorted(ranked, key=lambda s: (s.rank or 0))


def count_matters(kind: str, user: User, row: Row, year: int, today: date) -> QuerySet[Matter]:
    """The matters behind a deduction or bonus of one row (drill-down)."""
    qs, _field = counted(kind, matters_visible_to(user).filter(row.matter_q()), user, year_period(year), today)
    if qs.model is Matter:
        return qs  # type: ignore[return-value]
    return Matter.objects.filter(pk__in=qs.values("matter_id"))  # type: ignore[misc]
