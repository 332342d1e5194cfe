"""季攻坚 (quarterly campaign): progress of the backlog list (积案清单) per unit at a quarter's end.

Counted are the backlog cases listed by the quarter's end and not signed off before it began: the
cases the quarter still had to work on. Signed off means approved by the quarter's end; overdue means
still open when its campaign period had ended within or before the quarter. 积案化解率 = signed off ÷
listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from org.models import User
from supervision.backlog import backlog_visible_to
from supervision.models import BacklogEntry

from .compute import Period
from .units import Row, rows_q, tally


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str, default: date) -> Quarter:
        """'2026-Q1'; anything else: the quarter of ``default``."""
        try:
            year, number = text.split("-Q")
            if int(number) in (1, 2, 3, 4):
                return cls(int(year), int(number))
        except ValueError:
            pass
        return cls.of(default)

    @property
    def period(self) -> Period:
        first = date(self.year, 3 * self.number - 2, 1)
        nxt = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return Period(first, nxt - timedelta(days=1))

    @property
    def iso(self) -> str:
        return f"{self.year}-Q{self.number}"


@dataclass(frozen=True)
class CampaignLine:
    row: Row
    listed: int
    signed_off: int
    signed_off_in_quarter: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return self.signed_off / self.listed if self.listed else None

    @property
    def in_progress(self) -> int:
        return self.listed - self.signed_off

    @property
    def parts(self) -> list[tuple[str, int]]:
        return [(p, getattr(self, p)) for p in PARTS]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def entries(user: User, report_rows: list[Row], quarter: Quarter) -> QuerySet[BacklogEntry]:
    q = rows_q(report_rows, "matter__")
    start, end = _moment(quarter.period.start - timedelta(days=1)), _moment(quarter.period.end)
    return backlog_visible_to(user).filter(q, listed_at__lt=end).exclude(signed_off_at__lt=start)


def part_q(part: str, quarter: Quarter, today: date) -> Q:
    """The entries of one column, for the drill-down. A campaign still running today has none overdue."""
    start, end = _moment(quarter.period.start - timedelta(days=1)), _moment(quarter.period.end)
    signed = Q(signed_off_at__isnull=False, signed_off_at__lt=end)
    return {
        "listed": Q(pk__isnull=False),
        "signed_off": signed,
        "signed_off_in_quarter": signed & Q(signed_off_at__gte=start),
        "overdue": ~signed & Q(campaign__ends__lte=min(quarter.period.end, today - timedelta(days=1))),
    }[part]


PARTS = ("listed", "signed_off", "signed_off_in_quarter", "overdue")


def quarterly_campaign(user: User, report_rows: list[Row], quarter: Quarter, today: date) -> list[CampaignLine]:
    if not report_rows:
        return []
    data = list(entries(user, report_rows, quarter).order_by().values("matter__handling_unit").annotate(
        **{p: Count("pk", filter=part_q(p, quarter, today)) for p in PARTS}))
    cols = {p: tally(report_rows, {d["matter__handling_unit"]: d[p] for d in data}) for p in PARTS}
    return [CampaignLine(row, *(cols[p][i] for p in PARTS)) for i, row in enumerate(report_rows)]
