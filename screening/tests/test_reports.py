"""Filing screening reports: a nil report is a report; entries found in the period are listed;
a report after the period is late; only the unit's own handlers and heads file."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from org.models import Role
from org.services import grant_role
from screening import services
from screening.models import ScreeningReport
from xinfang.testing import World, at

from .helpers import new_entry

pytestmark = pytest.mark.django_db


def _file(w: World, unit: str = "c1", actor: str = "c1_handler", day: date = date(2026, 3, 2), nil: bool = True,
          now: tuple[int, int, int, int] = (2026, 3, 2, 18)) -> ScreeningReport:
    return services.file_report(w.units[unit].pk, actor=w.users[actor], day=day, nil=nil, now=at(*now))


def test_a_nil_report_counts_and_is_on_time_within_its_day(sworld: World) -> None:
    report = _file(sworld)
    assert report.is_nil and not report.late
    assert (report.period_start, report.period_end) == (date(2026, 3, 2), date(2026, 3, 2))
    assert Event.objects.filter(verb="screening_report", target_id=report.pk).exists()


def test_a_report_lists_the_entries_found_in_its_period(sworld: World) -> None:
    entry = new_entry(sworld, day=(2026, 3, 2))
    new_entry(sworld, day=(2026, 3, 3))
    report = _file(sworld, nil=False)
    assert list(report.entries.all()) == [entry]
    assert not report.is_nil


def test_a_nil_report_is_refused_when_entries_were_found(sworld: World) -> None:
    new_entry(sworld)
    with pytest.raises(InvalidInput) as err:
        _file(sworld, nil=True)
    assert "nil" in err.value.fields
    assert not ScreeningReport.objects.exists()


def test_a_report_with_entries_needs_entries(sworld: World) -> None:
    with pytest.raises(InvalidInput):
        _file(sworld, nil=False)


def test_one_report_per_unit_and_period(sworld: World) -> None:
    _file(sworld)
    with pytest.raises(IllegalTransition):
        _file(sworld, actor="c1_head")
    assert ScreeningReport.objects.count() == 1


def test_a_report_filed_after_the_period_is_late(sworld: World) -> None:
    report = _file(sworld, day=date(2026, 3, 2), now=(2026, 3, 3, 9))
    assert report.late
    weekly = _file(sworld, unit="d1_street", actor="street_handler", day=date(2026, 3, 4), now=(2026, 3, 8, 20))
    assert (weekly.period_start, weekly.period_end, weekly.late) == (date(2026, 3, 2), date(2026, 3, 8), False)


def test_no_report_for_a_period_that_has_not_begun(sworld: World) -> None:
    with pytest.raises(InvalidInput):
        _file(sworld, day=date(2026, 3, 3), now=(2026, 3, 2, 18))


@pytest.mark.parametrize("unit", ["city", "d1_housing", "d1_office"])
def test_units_off_the_cadence_file_nothing(sworld: World, unit: str) -> None:
    grant_role(sworld.users["leader"], Role.UNIT_HEAD, sworld.units["city"])
    with pytest.raises(IllegalTransition):
        _file(sworld, unit=unit, actor="leader")


def test_an_entry_after_a_nil_report_joins_it_and_it_is_nil_no_more(sworld: World) -> None:
    report = _file(sworld, now=(2026, 3, 2, 9))
    entry = new_entry(sworld, day=(2026, 3, 2))
    report.refresh_from_db()
    assert entry.report == report and not report.is_nil
    assert Event.objects.filter(verb="screening_report_amended", target_id=report.pk).exists()


# role × relation to the unit: who may file the community's report
@pytest.mark.parametrize(("actor", "allowed"), [
    ("c1_handler", True),     # handler of the unit
    ("c1_head", True),        # head of the unit
    ("street_head", True),    # head of the street above it
    ("c2_handler", False),    # handler of a sibling community
    ("street_handler", True),  # handler of the street above it
    ("handler", False),       # handler of an unrelated bureau
    ("supervisor", False),    # supervisor: oversees, does not file
    ("registrar", False),     # registrar over the city
    ("nobody", False),        # no role
])
def test_who_files_a_report(sworld: World, actor: str, allowed: bool) -> None:
    if allowed:
        assert _file(sworld, actor=actor).filed_by == sworld.users[actor]
    else:
        with pytest.raises(NotAllowed):
            _file(sworld, actor=actor)
