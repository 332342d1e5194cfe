"""Cooperation tasks: the lead unit assigns, the cooperating unit answers, the lead accepts or
returns; the matter is replied only after the lead consolidates every answer."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import Event
from audit.selectors import verify_chain
from joint import services
from joint.models import Assignment, AssignmentState
from joint.rules import ASSIGNMENT_TRANSITIONS, reply_blocker
from joint.selectors import answers_to_judge, assignments_visible_to, get_assignment_for, tasks_to_do
from matters.errors import IllegalTransition, InvalidInput
from matters.lifecycle import State
from matters.models import HandlingKind, Matter
from matters.tests.journeys import act, register
from xinfang.testing import World, at

from .helpers import DUE, accepted, answered, cooperation, handled

pytestmark = pytest.mark.django_db


def test_a_task_goes_through_answer_return_answer_accept_and_each_step_is_on_the_matter(world: World) -> None:
    m = handled(world)
    a = cooperation(world, m)
    assert (a.state, a.unit, a.due) == (AssignmentState.OPEN, world.units["d1_street"], DUE)
    services.answer_assignment(a.pk, actor=world.users["street_handler"], answer="初步核查", now=at(2026, 3, 6))
    a = services.return_assignment(a.pk, actor=world.users["handler"], reason="未说明维修时限", now=at(2026, 3, 7))
    assert (a.state, a.return_reason) == (AssignmentState.OPEN, "未说明维修时限")
    services.answer_assignment(a.pk, actor=world.users["street_handler"], answer="3月15日前修复", now=at(2026, 3, 8))
    a = services.accept_assignment(a.pk, actor=world.users["housing_head"], now=at(2026, 3, 9))
    assert (a.state, a.answer, a.decided_by) == (AssignmentState.ACCEPTED, "3月15日前修复", world.users["housing_head"])
    verbs = list(Event.objects.filter(target_type="matter", target_id=m.pk, verb__startswith="joint_")
                 .values_list("verb", flat=True))
    assert verbs == ["joint_assign", "joint_answer", "joint_return", "joint_answer", "joint_accept"]
    # The matter's timeline reads "state" as the matter's own state; a task's state is named apart.
    assert not Event.objects.filter(target_type="matter", target_id=m.pk, verb__startswith="joint_",
                                    after__has_key="state").exists()
    assert verify_chain().intact


@pytest.mark.parametrize("action", list(ASSIGNMENT_TRANSITIONS))
def test_every_move_is_refused_from_a_state_the_table_does_not_allow(world: World, action: str) -> None:
    a = accepted(world, handled(world))
    actor = "street_handler" if action == "answer" else "handler"
    call = {"answer": lambda: services.answer_assignment(a.pk, actor=world.users[actor], answer="x", now=at(2026, 3, 10)),
            "accept": lambda: services.accept_assignment(a.pk, actor=world.users[actor], now=at(2026, 3, 10)),
            "return": lambda: services.return_assignment(a.pk, actor=world.users[actor], reason="x", now=at(2026, 3, 10))}
    with pytest.raises(IllegalTransition):
        call[action]()


def test_accept_and_return_need_an_answer_first(world: World) -> None:
    a = cooperation(world, handled(world))
    with pytest.raises(IllegalTransition):
        services.accept_assignment(a.pk, actor=world.users["handler"], now=at(2026, 3, 6))
    with pytest.raises(IllegalTransition):
        services.return_assignment(a.pk, actor=world.users["handler"], reason="x", now=at(2026, 3, 6))


def test_assigning_checks_each_field(world: World) -> None:
    m = handled(world)
    with pytest.raises(InvalidInput) as err:
        services.assign_cooperation(m.pk, actor=world.users["handler"], unit_id=world.units["d1_housing"].pk,
                                    task=" ", due=date(2026, 3, 1), now=at(2026, 3, 5))
    assert set(err.value.fields) == {"unit_id", "task", "due"}
    with pytest.raises(InvalidInput) as err:
        services.assign_cooperation(m.pk, actor=world.users["handler"], unit_id=None, task="x", due=None,
                                    now=at(2026, 3, 5))
    assert set(err.value.fields) == {"unit_id", "due"}
    assert not Assignment.objects.exists()


def test_a_unit_gets_one_open_task_per_matter_and_a_new_one_after_acceptance(world: World) -> None:
    m = handled(world)
    cooperation(world, m)
    with pytest.raises(InvalidInput) as err:
        cooperation(world, m)
    assert "unit_id" in err.value.fields
    Assignment.objects.update(state=AssignmentState.ACCEPTED)
    assert cooperation(world, m).state == AssignmentState.OPEN


@pytest.mark.parametrize("state", [State.REGISTERED, State.REPLIED])
def test_cooperation_is_assigned_only_while_the_matter_is_handled(world: World, state: State) -> None:
    m = register(world) if state == State.REGISTERED else act(world, handled(world), "reply", "handler", (2026, 3, 6),
                                                               text="答复")
    with pytest.raises(IllegalTransition):
        cooperation(world, m)


@pytest.mark.parametrize(("unit", "allowed"), [("city_office", True), ("d1_office", True), ("d1_housing", False),
                                               ("d1_street", False), ("city_housing", False)])
def test_an_accusation_gets_only_petition_offices_or_discipline_inspection_to_cooperate(
        world: World, unit: str, allowed: bool) -> None:
    m = act(world, register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION), "accept", "discipline",
            (2026, 3, 4))
    if allowed:
        assert cooperation(world, m, unit, actor="discipline").unit == world.units[unit]
    else:
        with pytest.raises(InvalidInput) as err:
            cooperation(world, m, unit, actor="discipline")
        assert "unit_id" in err.value.fields


def test_the_cooperating_unit_sees_its_task_but_not_the_matter_in_its_queue(world: World) -> None:
    m = handled(world)
    a = cooperation(world, m)
    street = world.users["street_handler"]
    assert list(tasks_to_do(street)) == [a]
    assert get_assignment_for(street, a.pk).matter == m
    from matters.selectors import matters_visible_to
    assert not matters_visible_to(street).filter(pk=m.pk).exists()
    with pytest.raises(Assignment.DoesNotExist):
        get_assignment_for(world.users["d2_handler"], a.pk)


def test_an_accusation_task_is_hidden_from_who_may_not_see_accusations(world: World) -> None:
    m = act(world, register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION), "accept", "discipline",
            (2026, 3, 4))
    a = cooperation(world, m, "d1_office", actor="discipline")
    assert assignments_visible_to(world.users["d1_reviewer"]).filter(pk=a.pk).exists()
    assert not assignments_visible_to(world.users["leader"]).filter(pk=a.pk).exists()


def test_my_tasks_put_the_earliest_due_first_and_the_lead_sees_answers_to_judge(world: World) -> None:
    first, second = handled(world), handled(world, title="另一件")
    late = services.assign_cooperation(first.pk, actor=world.users["handler"], unit_id=world.units["d1_street"].pk,
                                       task="后", due=date(2026, 4, 1), now=at(2026, 3, 5))
    early = cooperation(world, second)
    assert list(tasks_to_do(world.users["street_handler"])) == [early, late]
    services.answer_assignment(early.pk, actor=world.users["street_handler"], answer="好", now=at(2026, 3, 6))
    assert list(answers_to_judge(world.users["handler"])) == [early]
    assert list(answers_to_judge(world.users["street_handler"])) == []


def _reply(world: World, m: Matter) -> Matter:
    return act(world, m, "reply", "handler", (2026, 3, 12), text="经核查，答复如下。")


def test_the_reply_waits_for_acceptance_and_consolidation(world: World) -> None:
    m = handled(world)
    a = answered(world, m)
    with pytest.raises(IllegalTransition):
        _reply(world, m)
    with pytest.raises(IllegalTransition):
        services.consolidate(m.pk, actor=world.users["handler"], text="汇总", now=at(2026, 3, 9))
    services.accept_assignment(a.pk, actor=world.users["handler"], now=at(2026, 3, 9))
    assert reply_blocker(m) is not None
    with pytest.raises(IllegalTransition):
        _reply(world, m)
    c = services.consolidate(m.pk, actor=world.users["handler"], text="综合街道意见，答复如下", now=at(2026, 3, 10))
    assert list(c.assignments.all()) == [a]
    assert reply_blocker(m) is None
    assert _reply(world, m).state == State.REPLIED
    assert Event.objects.filter(verb="joint_consolidate", target_id=m.pk).exists()


def test_a_task_added_after_consolidation_blocks_the_reply_again(world: World) -> None:
    m = handled(world)
    accepted(world, m)
    services.consolidate(m.pk, actor=world.users["handler"], text="汇总", now=at(2026, 3, 10))
    cooperation(world, m, "d2_housing")
    with pytest.raises(IllegalTransition):
        _reply(world, m)


def test_matters_without_tasks_are_replied_as_before(world: World) -> None:
    m = handled(world)
    assert reply_blocker(m) is None
    assert _reply(world, m).state == State.REPLIED


def test_consolidation_needs_tasks_and_text(world: World) -> None:
    m = handled(world)
    with pytest.raises(IllegalTransition):
        services.consolidate(m.pk, actor=world.users["handler"], text="汇总", now=at(2026, 3, 10))
    accepted(world, m)
    with pytest.raises(InvalidInput) as err:
        services.consolidate(m.pk, actor=world.users["handler"], text=" ", now=at(2026, 3, 10))
    assert "text" in err.value.fields
    services.consolidate(m.pk, actor=world.users["handler"], text="汇总", now=at(2026, 3, 10))
    with pytest.raises(IllegalTransition):
        services.consolidate(m.pk, actor=world.users["handler"], text="再汇总", now=at(2026, 3, 11))
