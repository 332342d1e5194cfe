"""周调度, hand-computed on the 2026 calendar: week 11 runs 9–15 March, week 12 runs 16–22 March."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.dispatch import Week, actions_on, flagged, weekly_dispatch
from indicators.units import rows_for
from matters import services as ms
from matters.tests.journeys import act, register
from org.models import Role
from org.scope import forget_cached_scope
from org.services import grant_role
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db
W11, W12 = Week(2026, 11), Week(2026, 12)


def _lines(world: World, week: Week, user: str = "reviewer", unit: str = "d1") -> dict[str, tuple[int, int, int, int]]:
    rows = rows_for(world.users[user], world.units[unit])
    return {ln.row.unit.name + ("·own" if ln.row.own else ""): (ln.overdue, ln.due_soon, ln.actions, ln.untouched)
            for ln in weekly_dispatch(world.users[user], rows, week)}


def test_week_parsing_and_bounds() -> None:
    assert Week.parse("2026-W12", date(2026, 1, 1)) == W12
    assert Week.parse("garbage", date(2026, 3, 18)) == W12
    assert (W12.monday, W12.sunday) == (date(2026, 3, 16), date(2026, 3, 22))
    assert Week.of(date(2026, 1, 1)) == Week(2026, 1) and Week.of(date(2027, 1, 1)) == Week(2026, 53)


def test_overdue_and_due_soon_at_the_weeks_end_with_the_actions_of_the_week(world: World) -> None:
    late = register(world, day=(2026, 3, 2))  # acceptance due 17 March
    soon = register(world, day=(2026, 3, 9), phone="13900000001", id_number="1")  # due 24 March
    ms.pause_clock(soon.pk, actor=world.users["housing_head"], now=at(2026, 3, 17), reason="等待鉴定")
    ms.resume_clock(soon.pk, actor=world.users["housing_head"], now=at(2026, 3, 18), reason="鉴定完成")  # due 25 March
    ms.reveal_petitioner(late.pk, actor=world.users["housing_head"], now=at(2026, 3, 18))  # a look, not an action
    accepted = register(world, day=(2026, 3, 2), phone="13900000002", id_number="2")
    act(world, accepted, "accept", "handler", (2026, 3, 4))  # handling due in May: neither
    far = register(world, unit="d1_street", day=(2026, 3, 20), phone="13900000003", id_number="3")  # due 4 April
    # Week 12 ends 22 March: late is overdue (untouched), soon falls due by 29 March with 2 actions.
    lines = _lines(world, W12)
    assert lines["d1区住建局"] == (1, 1, 2, 1)
    assert lines["d1区东街道"] == (0, 0, 0, 0) and far.pk
    # Week 11 ends 15 March: late falls due on 17 March (due soon, nothing done that week); soon is further off.
    assert _lines(world, W11)["d1区住建局"] == (0, 1, 0, 1)


def test_a_clock_stopped_after_the_week_still_counts_for_that_week(world: World) -> None:
    m = register(world, day=(2026, 3, 2))
    act(world, m, "accept", "handler", (2026, 3, 25))  # late, but after week 12
    assert _lines(world, W12)["d1区住建局"][0] == 1
    assert _lines(world, Week(2026, 13))["d1区住建局"][0] == 0


def test_paused_matters_are_left_out(world: World) -> None:
    m = register(world, day=(2026, 3, 2))
    ms.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 10), reason="听证")
    assert _lines(world, W12)["d1区住建局"] == (0, 0, 0, 0)


def test_rows_are_the_children_of_the_unit_and_its_own_matters(world: World) -> None:
    register(world, unit="d1_housing", day=(2026, 3, 2))
    register(world, unit="d2_housing", day=(2026, 3, 2), phone="13900000001", id_number="1")
    register(world, unit="city_office", day=(2026, 3, 2), phone="13900000002", id_number="2")
    lines = _lines(world, W12, unit="city")
    assert lines["d1区"][0] == 1 and lines["d2区"][0] == 1 and lines["A市信访局"][0] == 1
    assert lines["A市·own"] == (0, 0, 0, 0)


def test_without_a_chosen_unit_the_rows_are_the_tops_of_ones_scopes(world: World) -> None:
    user = world.users["nobody"]
    assert rows_for(user, None) == []
    grant_role(user, Role.ANALYST, world.units["d1_housing"])
    grant_role(user, Role.ANALYST, world.units["d2"])
    forget_cached_scope(user)
    assert [(r.unit.name, r.own) for r in rows_for(user, None)] == [("d1区住建局", False), ("d2区", False)]


def test_a_handler_sees_only_its_own_unit(world: World) -> None:
    register(world, unit="d1_housing", day=(2026, 3, 2))
    register(world, unit="d2_housing", day=(2026, 3, 2), phone="13900000001", id_number="1")
    handler = world.users["handler"]
    rows = rows_for(handler, None)
    assert [r.unit.name for r in rows] == ["d1区住建局"]
    assert sum(ln.overdue for ln in weekly_dispatch(handler, rows, W12)) == 1


def test_the_drill_down_lists_the_matters_and_their_actions(world: World) -> None:
    late = register(world, day=(2026, 3, 2), title="迟迟未受理")
    ms.pause_clock(late.pk, actor=world.users["housing_head"], now=at(2026, 3, 16), reason="等待")
    ms.resume_clock(late.pk, actor=world.users["housing_head"], now=at(2026, 3, 16, 15), reason="继续")
    rows = rows_for(world.users["reviewer"], world.units["d1_housing"])
    overdue = list(flagged(world.users["reviewer"], rows, W12, "overdue"))
    assert [m.title for m in overdue] == ["迟迟未受理"] and overdue[0].acted  # type: ignore[attr-defined]
    assert list(flagged(world.users["reviewer"], rows, W12, "due_soon")) == []
    assert list(flagged(world.users["reviewer"], rows, W12, "untouched")) == []  # it was acted on
    assert [m.title for m in flagged(world.users["reviewer"], rows, Week(2026, 13), "untouched")] == ["迟迟未受理"]
    assert [e.verb for e in actions_on([late.pk], W12)[late.pk]] == ["pause_clock", "resume_clock"]
