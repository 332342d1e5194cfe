"""Missing reports are found and each unit's staff reminded once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from audit.models import Event
from screening import services
from screening.models import ScreeningPolicy, ScreeningReminder
from screening.selectors import missing_reports
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _pairs(w: World, now: tuple[int, int, int, int]) -> set[tuple[str, date]]:
    names = {u.pk: k for k, u in w.units.items()}
    return {(names[m.unit.pk], m.period.start) for m in missing_reports(w.units["city"], at(*now))}


def _short_look_back(days: int) -> None:
    policy = ScreeningPolicy.current()
    policy.look_back_days = days
    policy.save()


def test_ended_periods_without_a_report_are_missing(sworld: World) -> None:
    _short_look_back(2)
    services.file_report(sworld.units["c1"].pk, actor=sworld.users["c1_handler"], day=date(2026, 3, 9), nil=True,
                         now=at(2026, 3, 9, 18))
    pairs = _pairs(sworld, (2026, 3, 10, 9))
    # c1 filed on the 9th but not the 8th; c2 filed neither; the weeks of street and districts
    # ended on the 8th; departments, offices and the city file nothing.
    assert pairs == {("c1", date(2026, 3, 8)), ("c2", date(2026, 3, 9)), ("c2", date(2026, 3, 8)),
                     ("d1_street", date(2026, 3, 2)), ("d2_street", date(2026, 3, 2)),
                     ("d1", date(2026, 3, 2)), ("d2", date(2026, 3, 2))}


def test_grace_days_put_off_the_miss(sworld: World) -> None:
    _short_look_back(2)
    assert {d for k, d in _pairs(sworld, (2026, 3, 10, 9)) if k == "c1"} == {date(2026, 3, 8), date(2026, 3, 9)}
    policy = ScreeningPolicy.current()
    policy.grace_days = 1
    policy.save()
    assert {d for k, d in _pairs(sworld, (2026, 3, 10, 9)) if k == "c1"} == {date(2026, 3, 8)}


def test_the_current_period_is_not_missing(sworld: World) -> None:
    assert not {p for p in _pairs(sworld, (2026, 3, 10, 9)) if p[1] >= date(2026, 3, 10)}
    assert ("d1_street", date(2026, 3, 9)) not in _pairs(sworld, (2026, 3, 15, 23))


def test_a_late_report_ends_the_miss(sworld: World) -> None:
    _short_look_back(1)
    assert ("c1", date(2026, 3, 9)) in _pairs(sworld, (2026, 3, 10, 9))
    late = services.file_report(sworld.units["c1"].pk, actor=sworld.users["c1_handler"], day=date(2026, 3, 9), nil=True,
                                now=at(2026, 3, 10, 9))
    assert late.late
    assert ("c1", date(2026, 3, 9)) not in _pairs(sworld, (2026, 3, 10, 9))


def test_reminders_go_once_to_the_units_handlers_and_heads(sworld: World) -> None:
    _short_look_back(2)
    made = services.remind_missing(now=at(2026, 3, 10, 9))
    names = {u.pk: k for k, u in sworld.units.items()}
    told = {(r.user.username, names[r.unit_id], r.period_start) for r in ScreeningReminder.objects.select_related("user")}
    assert told == {
        *((user, unit, day) for user in ("c1_handler", "c1_head") for unit in ("c1",) for day in (date(2026, 3, 8), date(2026, 3, 9))),
        *(("c2_handler", "c2", day) for day in (date(2026, 3, 8), date(2026, 3, 9))),
        ("street_handler", "d1_street", date(2026, 3, 2)), ("street_head", "d1_street", date(2026, 3, 2)),
        ("d1_head", "d1", date(2026, 3, 2)),
    }
    assert made == len(told)
    assert services.remind_missing(now=at(2026, 3, 10, 15)) == 0
    assert ScreeningReminder.objects.count() == len(told)
    assert Event.objects.filter(verb="screening_remind").count() == 6


def test_the_reminder_command_is_idempotent(sworld: World, capsys: pytest.CaptureFixture[str]) -> None:
    _short_look_back(1)
    call_command("remind_screening", "--now", "2026-03-10T09:00:00+08:00")
    first = ScreeningReminder.objects.count()
    call_command("remind_screening", "--now", "2026-03-10T10:00:00+08:00")
    assert first > 0 and ScreeningReminder.objects.count() == first
    assert capsys.readouterr().out.strip().endswith("0 reminders")


def test_filing_the_report_settles_its_reminders(sworld: World) -> None:
    _short_look_back(2)
    services.remind_missing(now=at(2026, 3, 10, 9))
    services.file_report(sworld.units["c1"].pk, actor=sworld.users["c1_head"], day=date(2026, 3, 9), nil=True,
                         now=at(2026, 3, 10, 10))
    open_ones = ScreeningReminder.objects.filter(unit=sworld.units["c1"], read_at__isnull=True)
    assert set(open_ones.values_list("period_start", flat=True)) == {date(2026, 3, 8)}
