"""Who reports, on which cadence, and which period a day belongs to."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin

from screening.cadence import Period, cadence_of, ended_periods, is_late, must_report, period_containing
from screening.models import Cadence, ScreeningPolicy
from xinfang.testing import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("cadence", "day", "start", "end"), [
    (Cadence.DAILY, date(2026, 3, 4), date(2026, 3, 4), date(2026, 3, 4)),
    (Cadence.WEEKLY, date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 8)),
    (Cadence.WEEKLY, date(2026, 3, 8), date(2026, 3, 2), date(2026, 3, 8)),
    (Cadence.MONTHLY, date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
    (Cadence.MONTHLY, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
])
def test_the_period_containing_a_day(cadence: str, day: date, start: date, end: date) -> None:
    assert period_containing(cadence, day) == Period(cadence, start, end)


def test_the_previous_week_and_month() -> None:
    assert period_containing(Cadence.WEEKLY, date(2026, 3, 4)).previous().start == date(2026, 2, 23)
    assert period_containing(Cadence.MONTHLY, date(2026, 3, 4)).previous() == Period(
        Cadence.MONTHLY, date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize(("unit", "cadence"), [
    ("c1", Cadence.DAILY), ("d1_street", Cadence.WEEKLY), ("d1", Cadence.WEEKLY),
    ("city", None), ("d1_housing", None), ("d1_office", None), ("city_discipline", None),
])
def test_default_cadence_per_level_and_who_files(sworld: World, unit: str, cadence: str | None) -> None:
    u = sworld.units[unit]
    assert cadence_of(u, ScreeningPolicy.current()) == cadence
    assert must_report(u) is (cadence is not None)


def test_the_cadence_is_policy(sworld: World) -> None:
    policy = ScreeningPolicy.current()
    policy.street_cadence = Cadence.DAILY
    policy.save()
    assert cadence_of(sworld.units["d1_street"], ScreeningPolicy.current()) == Cadence.DAILY


def test_late_is_after_the_period_and_its_grace_days(db: None) -> None:
    policy = ScreeningPolicy.current()
    week = period_containing(Cadence.WEEKLY, date(2026, 3, 4))
    assert not is_late(week, date(2026, 3, 8), policy)
    assert is_late(week, date(2026, 3, 9), policy)
    policy.grace_days = 1
    assert not is_late(week, date(2026, 3, 9), policy)


def test_ended_periods_look_back_as_far_as_the_policy_says(db: None) -> None:
    policy = ScreeningPolicy.current()
    policy.look_back_days = 3
    days = [p.start for p in ended_periods(Cadence.DAILY, date(2026, 3, 10), policy)]
    assert days == [date(2026, 3, 9), date(2026, 3, 8), date(2026, 3, 7)]
    assert ended_periods(Cadence.MONTHLY, date(2026, 3, 10), policy) == []


def test_the_policy_is_edited_in_the_admin(db: None) -> None:
    assert admin.site.is_registered(ScreeningPolicy)
