"""Role × unit relation × action: who may assign, answer, accept, return, consolidate, convene and
decide. A denial is either NotAllowed or, outside the user's reach, not found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from joint import meetings, services
from joint.models import Assignment, JointMeeting
from matters.errors import NotAllowed
from matters.models import Matter
from org.models import User
from xinfang.testing import World, at

from .helpers import answered, cooperation, handled

pytestmark = pytest.mark.django_db

# (user, how they stand to the lead unit d1_housing, whose task goes to d1_street)
LEAD_SIDE = [
    ("handler", "handler of the lead unit", True),
    ("housing_head", "head of the lead unit", True),
    ("d1_head", "head over the lead unit's district", True),
    ("d1_reviewer", "petition office over the lead unit", True),
    ("reviewer", "city petition office", True),
    ("street_handler", "handler of the cooperating unit", False),
    ("d2_handler", "handler of an unrelated unit", False),
    ("registrar", "registrar over the lead unit", False),
    ("supervisor", "supervisor over the lead unit", False),
    ("leader", "leader over the city", False),
    ("nobody", "no role in the lead unit", False),
]
ANSWERING_SIDE = [
    ("street_handler", "handler of the cooperating unit", True),
    ("d1_head", "head over the cooperating unit", True),
    ("handler", "handler of the lead unit", False),
    ("housing_head", "head of the lead unit", False),
    ("reviewer", "city petition office", False),
    ("d2_handler", "handler of an unrelated unit", False),
    ("nobody", "no role", False),
]
CONVENING_SIDE = [  # a meeting of district d1
    ("d1_reviewer", "district petition office reviewer", True),
    ("reviewer", "city petition office reviewer", True),
    ("supervisor", "city supervisor", True),
    ("d1_head", "head of the district", True),
    ("housing_head", "head of a bureau in the district", False),
    ("handler", "handler in the district", False),
    ("d1_registrar", "district registrar", False),
    ("street_handler", "handler of a street in the district", False),
    ("d2_head", "head of a bureau in another district", False),
    ("leader", "leader over the city", False),
    ("nobody", "no role", False),
]


def _check(call: Callable[[], object], allowed: bool) -> None:
    if allowed:
        call()
    else:
        with pytest.raises((NotAllowed, Matter.DoesNotExist, Assignment.DoesNotExist, JointMeeting.DoesNotExist)):
            call()


def _u(w: World, name: str) -> User:
    return w.users[name]


@pytest.mark.parametrize(("user", "relation", "allowed"), LEAD_SIDE)
def test_assign_a_cooperating_unit(world: World, user: str, relation: str, allowed: bool) -> None:
    m = handled(world)
    _check(lambda: cooperation(world, m, actor=user), allowed)


@pytest.mark.parametrize(("user", "relation", "allowed"), ANSWERING_SIDE)
def test_answer_a_task(world: World, user: str, relation: str, allowed: bool) -> None:
    a = cooperation(world, handled(world))
    _check(lambda: services.answer_assignment(a.pk, actor=_u(world, user), answer="x", now=at(2026, 3, 6)), allowed)


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize(("user", "relation", "allowed"), LEAD_SIDE)
def test_accept_or_return_an_answer(world: World, user: str, relation: str, allowed: bool, action: str) -> None:
    a = answered(world, handled(world))
    actor = _u(world, user)
    call = {"accept": lambda: services.accept_assignment(a.pk, actor=actor, now=at(2026, 3, 9)),
            "return": lambda: services.return_assignment(a.pk, actor=actor, reason="x", now=at(2026, 3, 9))}[action]
    _check(call, allowed)


@pytest.mark.parametrize(("user", "relation", "allowed"), LEAD_SIDE)
def test_consolidate(world: World, user: str, relation: str, allowed: bool) -> None:
    m = handled(world)
    a = answered(world, m)
    services.accept_assignment(a.pk, actor=_u(world, "handler"), now=at(2026, 3, 9))
    _check(lambda: services.consolidate(m.pk, actor=_u(world, user), text="汇总", now=at(2026, 3, 10)), allowed)


@pytest.mark.parametrize(("user", "relation", "allowed"), CONVENING_SIDE)
def test_convene(world: World, user: str, relation: str, allowed: bool) -> None:
    _check(lambda: meetings.convene_meeting(actor=_u(world, user), unit_id=world.units["d1"].pk, title="联席会议",
                                            day=date(2026, 3, 12), place="会议室", now=at(2026, 3, 5)), allowed)


@pytest.mark.parametrize(("user", "relation", "allowed"), CONVENING_SIDE)
def test_decide_and_turn_the_decision_into_tasks(world: World, user: str, relation: str, allowed: bool) -> None:
    m = handled(world)
    reviewer = _u(world, "d1_reviewer")
    meeting = meetings.convene_meeting(actor=reviewer, unit_id=world.units["d1"].pk, title="联席会议",
                                       day=date(2026, 3, 12), place="会议室", now=at(2026, 3, 5))
    item = meetings.add_agenda_item(meeting.pk, actor=reviewer, matter_id=m.pk, note="", now=at(2026, 3, 6))
    meetings.hold_meeting(meeting.pk, actor=reviewer, minutes="纪要", now=at(2026, 3, 12))
    _check(lambda: meetings.record_decision(item.pk, actor=_u(world, user), decision="决定", now=at(2026, 3, 12)), allowed)
    meetings.record_decision(item.pk, actor=reviewer, decision="决定", now=at(2026, 3, 12))
    _check(lambda: meetings.assign_from_decision(item.pk, actor=_u(world, user), task="维修", due=date(2026, 3, 15),
                                                 unit_ids=[world.units["d1_street"].pk], now=at(2026, 3, 12)), allowed)


def test_meeting_tasks_are_judged_by_the_conveners_not_the_lead_unit(world: World) -> None:
    m = handled(world)
    reviewer = _u(world, "d1_reviewer")
    meeting = meetings.convene_meeting(actor=reviewer, unit_id=world.units["d1_street"].pk, title="街道联席会议",
                                       day=date(2026, 3, 12), place="街道会议室", now=at(2026, 3, 5))
    item = meetings.add_agenda_item(meeting.pk, actor=reviewer, matter_id=m.pk, note="", now=at(2026, 3, 6))
    meetings.hold_meeting(meeting.pk, actor=reviewer, minutes="纪要", now=at(2026, 3, 12))
    meetings.record_decision(item.pk, actor=reviewer, decision="街道负责", now=at(2026, 3, 12))
    a = meetings.assign_from_decision(item.pk, actor=reviewer, task="维修", due=date(2026, 3, 15),
                                      unit_ids=[world.units["d1_street"].pk], now=at(2026, 3, 12))[0]
    services.answer_assignment(a.pk, actor=_u(world, "street_handler"), answer="已修复", now=at(2026, 3, 14))
    with pytest.raises(NotAllowed):
        services.accept_assignment(a.pk, actor=_u(world, "handler"), now=at(2026, 3, 15))
    services.accept_assignment(a.pk, actor=reviewer, now=at(2026, 3, 15))
