"""Source dates are read exactly as strptime reads them, on the fast path and off it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from exchange.mapping import Mapping
from exchange.workorders import Problem, RowReader

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMATS = ["%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d"]


def _read(text: str) -> tuple[datetime | None, list[Problem]]:
    reader = RowReader(Mapping("m", "m", "src", "hotline", {"created_at": "t"}, date_formats=FORMATS))
    problems: list[Problem] = []
    return reader._when(2, "created_at", text, problems), problems


@pytest.mark.parametrize("text", [
    "2018/1/1 19:36:29", "2018/01/01 09:05:07", "2018/2/19  8:46:41", "2018/2/19 8:46", "2018/12/31",
    "31.12.2018", "20181231",
])
def test_every_accepted_form_reads_as_strptime_reads_it(text: str) -> None:
    expected = [d for d in (_strptime(text, f) for f in FORMATS) if d][0]
    assert _read(text) == (expected.replace(tzinfo=SHANGHAI), [])


@pytest.mark.parametrize("text", ["2018/13/1 19:36:29", "2018/2/30", "2018/1/1 24:00:00", "2018/1/1 19:36:29 x", "昨天"])
def test_impossible_dates_are_a_problem_on_their_row(text: str) -> None:
    when, problems = _read(text)
    assert when is None
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "t", text)]


def _strptime(text: str, fmt: str) -> datetime | None:
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        return None
