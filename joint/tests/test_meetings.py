"""Joint meetings: convened at a city, district or street, an agenda of matters, held with minutes,
decisions turned into tasks for member units, closed when every item is decided."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import Event
from joint import meetings, services
from joint.models import AgendaItem, AssignmentKind, AssignmentState, JointMeeting, MeetingState
from joint.selectors import agenda_for, meetings_visible_to, tasks_to_do
from matters.errors import IllegalTransition, InvalidInput
from matters.models import HandlingKind, Matter
from matters.tests.journeys import act, register
from xinfang.testing import World, at

from .helpers import accepted, handled

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 12)


def convene(w: World, unit: str = "d1", actor: str = "d1_reviewer") -> JointMeeting:
    return meetings.convene_meeting(actor=w.users[actor], unit_id=w.units[unit].pk, title="东湖区信访联席会议",
                                    day=DAY, place="区政府第一会议室", now=at(2026, 3, 5))


def with_decision(w: World, m: Matter) -> AgendaItem:
    meeting = convene(w)
    item = meetings.add_agenda_item(meeting.pk, actor=w.users["d1_reviewer"], matter_id=m.pk, note="涉及多部门",
                                    now=at(2026, 3, 6))
    meetings.hold_meeting(meeting.pk, actor=w.users["d1_reviewer"], minutes="会议研究了供水问题", now=at(2026, 3, 12))
    return meetings.record_decision(item.pk, actor=w.users["d1_reviewer"], decision="由街道牵头维修", now=at(2026, 3, 12))


@pytest.mark.parametrize(("unit", "allowed"), [("city", True), ("city_office", True), ("d1", True), ("d1_office", True),
                                               ("d1_street", True), ("d1_housing", False), ("city_discipline", False)])
def test_meetings_are_held_at_city_district_and_street_governments_or_their_petition_office(
        world: World, unit: str, allowed: bool) -> None:
    if allowed:
        assert convene(world, unit, "reviewer").unit == world.units[unit]
    else:
        with pytest.raises(InvalidInput) as err:
            convene(world, unit, "reviewer")
        assert "unit_id" in err.value.fields


def test_convening_checks_each_field(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        meetings.convene_meeting(actor=world.users["reviewer"], unit_id=None, title="", day=date(2026, 3, 1), place=" ",
                                 now=at(2026, 3, 5))
    assert set(err.value.fields) == {"unit_id", "title", "day", "place"}


def test_a_meeting_goes_from_planned_to_held_to_closed_with_tasks_from_its_decisions(world: World) -> None:
    m = handled(world)
    item = with_decision(world, m)
    made = meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="三日内完成维修",
                                         unit_ids=[world.units["d1_street"].pk, world.units["d1_housing"].pk],
                                         due=date(2026, 3, 15), now=at(2026, 3, 12))
    assert {a.kind for a in made} == {AssignmentKind.MEETING}
    assert [a.agenda_item for a in made] == [item, item]
    assert tasks_to_do(world.users["street_handler"]).get().task == "三日内完成维修"
    closed = meetings.close_meeting(item.meeting_id, actor=world.users["d1_reviewer"], now=at(2026, 3, 13))
    assert closed.state == MeetingState.CLOSED
    on_matter = set(Event.objects.filter(target_type="matter", target_id=m.pk).values_list("verb", flat=True))
    assert {"joint_agenda", "joint_decision", "joint_assign"} <= on_matter
    on_meeting = list(Event.objects.filter(target_type="jointmeeting").values_list("verb", flat=True))
    assert on_meeting == ["joint_convene", "joint_hold", "joint_close"]


def test_the_conveners_judge_a_meeting_task(world: World) -> None:
    item = with_decision(world, handled(world))
    a = meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="维修",
                                      unit_ids=[world.units["d1_street"].pk], due=date(2026, 3, 15),
                                      now=at(2026, 3, 12))[0]
    services.answer_assignment(a.pk, actor=world.users["street_handler"], answer="已修复", now=at(2026, 3, 14))
    assert services.accept_assignment(a.pk, actor=world.users["d1_head"], now=at(2026, 3, 15)).state == AssignmentState.ACCEPTED


def test_meeting_tasks_go_only_to_units_of_the_meeting(world: World) -> None:
    item = with_decision(world, handled(world))
    with pytest.raises(InvalidInput) as err:
        meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="维修",
                                      unit_ids=[world.units["d2_housing"].pk], due=date(2026, 3, 15), now=at(2026, 3, 12))
    assert "unit_id" in err.value.fields


def test_the_meeting_order_is_kept(world: World) -> None:
    m = handled(world)
    meeting = convene(world)
    item = meetings.add_agenda_item(meeting.pk, actor=world.users["d1_reviewer"], matter_id=m.pk, note="",
                                    now=at(2026, 3, 6))
    with pytest.raises(InvalidInput):
        meetings.add_agenda_item(meeting.pk, actor=world.users["d1_reviewer"], matter_id=m.pk, note="", now=at(2026, 3, 6))
    with pytest.raises(IllegalTransition):  # decisions are taken at the meeting
        meetings.record_decision(item.pk, actor=world.users["d1_reviewer"], decision="x", now=at(2026, 3, 6))
    with pytest.raises(IllegalTransition):
        meetings.close_meeting(meeting.pk, actor=world.users["d1_reviewer"], now=at(2026, 3, 6))
    with pytest.raises(InvalidInput):
        meetings.hold_meeting(meeting.pk, actor=world.users["d1_reviewer"], minutes=" ", now=at(2026, 3, 12))
    meetings.hold_meeting(meeting.pk, actor=world.users["d1_reviewer"], minutes="纪要", now=at(2026, 3, 12))
    with pytest.raises(IllegalTransition):  # a decision first
        meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="x",
                                      unit_ids=[world.units["d1_street"].pk], due=date(2026, 3, 15), now=at(2026, 3, 12))
    with pytest.raises(IllegalTransition):  # every item decided
        meetings.close_meeting(meeting.pk, actor=world.users["d1_reviewer"], now=at(2026, 3, 13))
    meetings.record_decision(item.pk, actor=world.users["d1_reviewer"], decision="决定", now=at(2026, 3, 12))
    meetings.close_meeting(meeting.pk, actor=world.users["d1_reviewer"], now=at(2026, 3, 13))
    with pytest.raises(IllegalTransition):
        meetings.add_agenda_item(meeting.pk, actor=world.users["d1_reviewer"], matter_id=handled(world).pk, note="",
                                 now=at(2026, 3, 14))


def test_only_matters_the_convener_sees_go_on_the_agenda(world: World) -> None:
    meeting = convene(world)
    with pytest.raises(Matter.DoesNotExist):
        meetings.add_agenda_item(meeting.pk, actor=world.users["d1_reviewer"], matter_id=handled(world, unit="d2_housing").pk,
                                 note="", now=at(2026, 3, 6))


def test_an_accusation_on_the_agenda_is_shown_and_tasked_only_within_confidentiality(world: World) -> None:
    m = act(world, register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION), "accept", "discipline",
            (2026, 3, 4))
    meeting = convene(world, "city", "reviewer")
    item = meetings.add_agenda_item(meeting.pk, actor=world.users["reviewer"], matter_id=m.pk, note="", now=at(2026, 3, 6))
    meetings.hold_meeting(meeting.pk, actor=world.users["reviewer"], minutes="纪要", now=at(2026, 3, 12))
    meetings.record_decision(item.pk, actor=world.users["reviewer"], decision="转纪委", now=at(2026, 3, 12))
    with pytest.raises(InvalidInput):
        meetings.assign_from_decision(item.pk, actor=world.users["reviewer"], task="x", due=date(2026, 3, 15),
                                      unit_ids=[world.units["city_discipline"].pk, world.units["city_housing"].pk],
                                      now=at(2026, 3, 12))
    assert agenda_for(world.users["reviewer"], meeting) == [item]
    assert agenda_for(world.users["leader"], meeting) == []


def test_a_member_unit_sees_the_meeting_that_tasked_it(world: World) -> None:
    item = with_decision(world, handled(world))
    assert not meetings_visible_to(world.users["d2_handler"]).exists()
    meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="x", due=date(2026, 3, 15),
                                  unit_ids=[world.units["d1_street"].pk], now=at(2026, 3, 12))
    assert list(meetings_visible_to(world.users["street_handler"])) == [item.meeting]


def test_every_event_this_app_writes_has_a_timeline_label(world: World) -> None:
    from joint.events import EVENT_LABELS

    m = handled(world)
    item = with_decision(world, m)
    a = meetings.assign_from_decision(item.pk, actor=world.users["d1_reviewer"], task="x", due=date(2026, 3, 15),
                                      unit_ids=[world.units["d1_street"].pk], now=at(2026, 3, 12))[0]
    services.answer_assignment(a.pk, actor=world.users["street_handler"], answer="y", now=at(2026, 3, 13))
    services.return_assignment(a.pk, actor=world.users["d1_reviewer"], reason="z", now=at(2026, 3, 13))
    meetings.close_meeting(item.meeting_id, actor=world.users["d1_reviewer"], now=at(2026, 3, 13))
    accepted(world, m)
    services.consolidate(m.pk, actor=world.users["handler"], text="汇总", now=at(2026, 3, 14))
    written = set(Event.objects.filter(verb__startswith="joint_").values_list("verb", flat=True))
    assert written == set(EVENT_LABELS)
