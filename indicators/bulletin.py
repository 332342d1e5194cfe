"""月通报 (monthly bulletin): the report rows ranked on each rate of a set, with the change against the
previous month in percentage points.

Ranking is competition ranking (1, 2, 2, 4): equal rates share a rank, compared as exact fractions
so 1/3 and 2/6 tie. A row with nothing to measure (no denominator) is not ranked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from org.models import User

from .compute import Figure, Period, definitions, figures_per_row
from .models import IndicatorDefinition
from .periods import month_period
from .units import Row


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, default: date) -> Month:
        try:
            year, month = (int(x) for x in text.split("-"))
            date(year, month, 1)
            return cls(year, month)
        except ValueError:
            return cls(default.year, default.month)

    @property
    def period(self) -> Period:
        return month_period(date(self.year, self.month, 1))

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Cell:
    figure: Figure
    before: Figure
    rank: int | None

    @property
    def change_pp(self) -> float | None:
        """Δ against last month in percentage points; None when either month has nothing to measure."""
        if self.figure.rate is None or self.before.rate is None:
            return None
        return round((self.figure.rate - self.before.rate) * 100, 1)


@dataclass(frozen=True)
class BulletinLine:
    row: Row
    cells: list[Cell]


@dataclass(frozen=True)
class Bulletin:
    month: Month
    indicators: list[IndicatorDefinition]
    lines: list[BulletinLine]  # in the order of the ranking on ``sort_by``


def _exact(f: Figure) -> Fraction | None:
    return Fraction(f.numerator, f.denominator) if f.denominator else None


def ranks(figures: list[Figure], *, lower_is_better: bool = False) -> list[int | None]:
    values = [_exact(f) for f in figures]
    known = [v for v in values if v is not None]
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
        else:
            out.append(1 + sum(1 for w in known if (w < v if lower_is_better else w > v)))
    return out


# A repeat petition is a failure, so fewer is better.
LOWER_IS_BETTER = frozenset({"repeat_rate"})


def monthly_bulletin(user: User, report_rows: list[Row], month: Month, today: date, *,
                     indicator_set: str = IndicatorDefinition.Set.PETITION, sort_by: str = "") -> Bulletin:
    rates = [d for d in definitions(indicator_set) if d.is_rate]
    columns: list[list[Cell]] = []
    for d in rates:
        now = figures_per_row(d, user, report_rows, month.period, today)
        before = figures_per_row(d, user, report_rows, month.previous().period, today)
        rank = ranks(now, lower_is_better=d.key in LOWER_IS_BETTER)
        columns.append([Cell(now[i], before[i], rank[i]) for i in range(len(report_rows))])
    lines = [BulletinLine(row, [col[i] for col in columns]) for i, row in enumerate(report_rows)]
    keys = [d.key for d in rates]
    at = keys.index(sort_by) if sort_by in keys else 0
    if columns:
        # Unranked rows last, then the row order as given so the table stays stable.
        lines.sort(key=lambda ln: (ln.cells[at].rank is None, ln.cells[at].rank or 0))
    return Bulletin(month, rates, lines)
