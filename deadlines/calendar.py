"""Working days from the official calendar (chinese-calendar) corrected by the admin table.

For years the package does not know, weekends are rest days unless the admin table says
otherwise, and every answer drawn from such a year is flagged provisional until the year's
holiday notice is marked published (§5).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import chinese_calendar


class WorkCalendar:
    def __init__(self, overrides: dict[date, bool] | None = None, published_years: Iterable[int] = ()) -> None:
        self.overrides = dict(overrides or {})
        self.published_years = set(published_years)

    @classmethod
    def load(cls) -> WorkCalendar:
        from .models import CalendarOverride, PublishedYear

        return cls(
            dict(CalendarOverride.objects.values_list("date", "is_workday")),
            PublishedYear.objects.values_list("year", flat=True),
        )

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, the answer is provisional)."""
        if day in self.overrides:
            return self.overrides[day], False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:
            return day.weekday() < 5, day.year not in self.published_years
