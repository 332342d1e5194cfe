from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest

from deadlines.models import CalendarOverride, PublishedYear
from xinfang.testing import World

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

AsUser = Callable[[str], ApiClient]


@pytest.fixture
def client(world: World, as_user: AsUser) -> ApiClient:
    return as_user("handler")


def due(client: ApiClient, **params: Any) -> dict[str, Any]:
    r = client.get("/calendar/deadline", **params)
    assert r.status_code == 200, r.content
    data: dict[str, Any] = r.json()
    return data


def test_a_period_ending_in_the_national_day_holiday_rolls_to_the_first_workday(client: ApiClient) -> None:
    # Per the package (the State Council's 2026 notice), the holiday is 1–7 October and 8 October is a workday.
    first_workday = date(2026, 10, 1)
    while not chinese_calendar.is_workday(first_workday):
        first_workday += timedelta(days=1)
    assert first_workday == date(2026, 10, 8)

    data = due(client, start="2026-09-30", days=1, kind="calendar")

    assert data["due"] == "2026-10-08"
    assert data["rolled_from"] == "2026-10-01"
    assert data["provisional"] is False
    assert data == {**data, "start": "2026-09-30", "days": 1, "kind": "calendar"}
    assert "2026-10-01" in data["rule"] and "2026-10-08" in data["rule"]


def test_kind_defaults_to_calendar_days_and_no_roll_on_a_workday(client: ApiClient) -> None:
    data = due(client, start="2026-03-02", days=15)
    assert data["kind"] == "calendar"
    assert data["due"] == "2026-03-17" and data["rolled_from"] is None


def test_working_days_count_a_make_up_saturday(client: ApiClient) -> None:
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # Saturday, make-up workday before Spring Festival
    # Thursday + 2 working days: Friday 13th, then the make-up Saturday 14th.
    data = due(client, start="2026-02-12", days=2, kind="working")
    assert data["due"] == "2026-02-14" and data["rolled_from"] is None and data["provisional"] is False
    # One more working day jumps the whole holiday (15–23 February).
    assert due(client, start="2026-02-12", days=3, kind="working")["due"] == "2026-02-24"


def test_a_year_without_a_published_notice_is_provisional(client: ApiClient) -> None:
    data = due(client, start="2027-03-01", days=15, kind="calendar")
    assert data["provisional"] is True
    assert data["due"] == "2027-03-16"
    assert len(data["rule"]) > len(
        due(client, start="2026-03-01", days=15)["rule"]
    )  # says why it is provisional
    assert due(client, start="2026-12-25", days=5, kind="working")["provisional"] is True


def test_admin_overrides_and_published_years_apply(client: ApiClient) -> None:
    CalendarOverride.objects.create(date=date(2027, 3, 16), is_workday=False, note="test")
    PublishedYear.objects.create(year=2027)
    data = due(client, start="2027-03-01", days=15, kind="calendar")
    assert data["due"] == "2027-03-17" and data["rolled_from"] == "2027-03-16"
    assert data["provisional"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-09-30", "days": 1, "kind": "lunar"}, "kind"),
        ({"start": "2026-09-30", "days": 0}, "days"),
        ({"start": "2026-09-30", "days": "many"}, "days"),
        ({"start": "30/09/2026", "days": 1}, "start"),
        ({"days": 1}, "start"),
    ],
)
def test_bad_input_is_422(client: ApiClient, params: dict[str, Any], field: str) -> None:
    r = client.get("/calendar/deadline", **params)
    assert r.status_code == 422
    assert field in r.json()["fields"]


def test_needs_a_token(world: World, anonymous: ApiClient) -> None:
    assert anonymous.get("/calendar/deadline", start="2026-09-30", days=1).status_code == 401
