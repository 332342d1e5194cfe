"""Leader ownership (领导包案) with a task force, progress and sign-off; dual assignment (双交办)."""

from __future__ import annotations

import pytest

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import State
from matters.tests.journeys import act, register
from supervision import cases
from supervision.models import CaseState
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _assign(world: World, matter_id: int, actor: str = "supervisor", **kw):
    params = {"leader_id": world.users["leader"].pk, "plan": "一案一策：先调查后协调", "member_ids": [
        world.users["handler"].pk, world.users["d1_reviewer"].pk], "now": at(2026, 3, 5), **kw}
    return cases.assign_leader(matter_id, actor=world.users[actor], **params)


def test_a_supervisor_puts_a_matter_under_a_leader_with_a_task_force(world: World) -> None:
    m = register(world)
    case = _assign(world, m.pk)
    assert case.leader == world.users["leader"]
    assert set(case.members.values_list("username", flat=True)) == {"handler", "d1_reviewer"}
    assert Event.objects.filter(verb="assign_leader", target_id=m.pk).exists()
    assert list(cases.cases_of(world.users["handler"])) == [case]
    assert list(cases.cases_of(world.users["leader"])) == [case]


@pytest.mark.parametrize("actor", ["handler", "housing_head", "registrar"])
def test_only_supervisors_and_the_petition_office_assign(world: World, actor: str) -> None:
    m = register(world)
    with pytest.raises(NotAllowed):
        _assign(world, m.pk, actor=actor)


def test_the_leader_must_be_a_leader_over_the_unit(world: World) -> None:
    m = register(world)
    with pytest.raises(InvalidInput):
        _assign(world, m.pk, leader_id=world.users["d1_head"].pk)


def test_dual_assignment_forwards_and_assigns_in_one_act(world: World) -> None:
    m = register(world, unit="city_office")
    # Forwarding is the petition office's: its reviewer makes the dual assignment.
    case = _assign(world, m.pk, actor="reviewer", to_unit_id=world.units["d1_housing"].pk)
    m.refresh_from_db()
    assert (m.state, m.handling_unit, case.leader) == (State.FORWARDED, world.units["d1_housing"], world.users["leader"])


def test_a_failed_dual_assignment_changes_nothing(world: World) -> None:
    m = register(world, unit="city_office")
    with pytest.raises(InvalidInput):
        # The leader is refused after the forward ran: the forward is rolled back with it.
        _assign(world, m.pk, actor="reviewer", to_unit_id=world.units["d1_housing"].pk, leader_id=world.users["d1_head"].pk)
    m.refresh_from_db()
    assert m.state == State.REGISTERED and m.handling_unit == world.units["city_office"]


def test_progress_by_the_task_force_and_sign_off_after_the_reply(world: World) -> None:
    m = register(world)
    case = _assign(world, m.pk)
    cases.add_progress(case.pk, actor=world.users["handler"], text="已约谈物业公司", now=at(2026, 3, 6))
    with pytest.raises(NotAllowed):
        cases.add_progress(case.pk, actor=world.users["housing_head"], text="x", now=at(2026, 3, 6))
    with pytest.raises(IllegalTransition):
        cases.sign_off(case.pk, actor=world.users["leader"], note="已化解", now=at(2026, 3, 7))
    act(world, m, "accept", "handler", (2026, 3, 7))
    act(world, m, "reply", "handler", (2026, 3, 10), text="已恢复供水")
    with pytest.raises(NotAllowed):
        cases.sign_off(case.pk, actor=world.users["handler"], note="已化解", now=at(2026, 3, 11))
    done = cases.sign_off(case.pk, actor=world.users["leader"], note="已化解，信访人满意", now=at(2026, 3, 11))
    assert done.state == CaseState.SIGNED_OFF
    with pytest.raises(IllegalTransition):
        cases.add_progress(case.pk, actor=world.users["handler"], text="再记", now=at(2026, 3, 12))


def test_a_matter_has_one_responsible_leader(world: World) -> None:
    m = register(world)
    _assign(world, m.pk)
    with pytest.raises(IllegalTransition):
        _assign(world, m.pk)
