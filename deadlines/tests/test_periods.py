"""Every legal period and policy rule of §5, on real 2026 calendar facts."""

from datetime import date

import pytest

from deadlines.calendar import WorkCalendar
from deadlines.models import DayKind
from deadlines.periods import DueState, Pause, compute_due, due_state

CAL = WorkCalendar()
CALENDAR, WORKING = DayKind.CALENDAR, DayKind.WORKING


def test_fifteen_calendar_days_count_from_the_day_after():
    assert compute_due(date(2026, 3, 2), 15, CALENDAR, CAL).date == date(2026, 3, 17)


def test_period_ending_on_a_holiday_rolls_to_the_next_working_day():
    due = compute_due(date(2026, 9, 16), 15, CALENDAR, CAL)  # day 15 is National Day
    assert due.date == date(2026, 10, 8)
    assert due.rolled_from == date(2026, 10, 1)


def test_period_ending_on_a_weekend_rolls_to_monday():
    due = compute_due(date(2026, 3, 7), 15, CALENDAR, CAL)  # 2026-03-22 is a Sunday
    assert (due.date, due.rolled_from) == (date(2026, 3, 23), date(2026, 3, 22))


def test_roll_over_can_be_switched_off_by_policy():
    due = compute_due(date(2026, 9, 16), 15, CALENDAR, CAL, rollover=False)
    assert due.date == date(2026, 10, 1) and due.rolled_from is None


def test_five_working_days_skip_the_spring_festival_and_count_the_make_up_saturday():
    # 12, 13 Feb; Sat 14 Feb 2026 is a make-up workday (调休); 15–23 Feb are rest days; 24, 25.
    assert compute_due(date(2026, 2, 11), 5, WORKING, CAL).date == date(2026, 2, 25)


def test_working_days_without_the_make_up_day_would_end_later():
    no_makeup = WorkCalendar(overrides={date(2026, 2, 14): False})
    assert compute_due(date(2026, 2, 11), 5, WORKING, no_makeup).date == date(2026, 2, 26)


def test_sixty_days_ending_in_labour_day_holiday_roll_over():
    due = compute_due(date(2026, 3, 4), 60, CALENDAR, CAL)  # 2026-05-03 falls in the May holiday
    assert (due.date, due.rolled_from) == (date(2026, 5, 6), date(2026, 5, 3))


def test_sixty_plus_thirty_day_extension():
    assert compute_due(date(2026, 3, 4), 90, CALENDAR, CAL).date == date(2026, 6, 2)


def test_thirty_day_review_window_and_thirty_day_decision():
    assert compute_due(date(2026, 6, 10), 30, CALENDAR, CAL).date == date(2026, 7, 10)
    assert compute_due(date(2026, 7, 10), 30, CALENDAR, CAL).date == date(2026, 8, 10)  # 8-9 is a Sunday


def test_paused_days_do_not_count():
    # Paused on 5 March, resumed on 10 March: five days excluded, 22 March is Sunday → 23 March.
    due = compute_due(date(2026, 3, 2), 15, CALENDAR, CAL, pauses=[Pause(date(2026, 3, 5), date(2026, 3, 10))])
    assert due.date == date(2026, 3, 23)


def test_an_open_pause_excludes_nothing_yet():
    due = compute_due(date(2026, 3, 2), 15, CALENDAR, CAL, pauses=[Pause(date(2026, 3, 5), None)])
    assert due.date == date(2026, 3, 17)


def test_unknown_year_uses_weekends_and_is_provisional():
    due = compute_due(date(2026, 12, 20), 15, CALENDAR, CAL)
    assert due.date == date(2027, 1, 4) and due.provisional


def test_published_year_is_no_longer_provisional():
    cal = WorkCalendar(published_years=[2027])
    assert not compute_due(date(2026, 12, 20), 15, CALENDAR, cal).provisional


def test_admin_override_in_unknown_year_moves_the_deadline():
    cal = WorkCalendar(overrides={date(2027, 1, 4): False}, published_years=[2027])
    due = compute_due(date(2026, 12, 20), 15, CALENDAR, cal)
    assert due.date == date(2027, 1, 5) and due.rolled_from == date(2027, 1, 4)


def test_working_days_in_an_unknown_year_are_provisional():
    assert compute_due(date(2026, 12, 28), 5, WORKING, CAL).provisional
    assert not compute_due(date(2026, 12, 1), 5, WORKING, CAL).provisional


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 3, 13), DueState.ON_TIME),
        (date(2026, 3, 14), DueState.DUE_SOON),  # 15-day period: the last 3 days (3 > 20% of 15)
        (date(2026, 3, 17), DueState.DUE_SOON),
        (date(2026, 3, 18), DueState.OVERDUE),
    ],
)
def test_due_state_of_a_fifteen_day_period(today, state):
    assert due_state(date(2026, 3, 2), date(2026, 3, 17), today, fraction=0.2, min_days=3) == state


def test_due_soon_is_the_last_fifth_of_a_long_period():
    start, due = date(2026, 3, 4), date(2026, 5, 6)  # 63 days: window ceil(12.6) = 13
    assert due_state(start, due, date(2026, 4, 22), fraction=0.2, min_days=3) == DueState.ON_TIME
    assert due_state(start, due, date(2026, 4, 23), fraction=0.2, min_days=3) == DueState.DUE_SOON


def test_paused_clock_reports_paused():
    assert due_state(date(2026, 3, 2), date(2026, 3, 17), date(2026, 4, 1), fraction=0.2, min_days=3, paused=True) == DueState.PAUSED
