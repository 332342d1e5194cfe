"""The pages: each renders, each form posts, problems come back next to their fields, and ids
outside the user's reach are not found."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from joint import meetings
from joint.models import Assignment, AssignmentState, Consolidation, JointMeeting, MeetingState
from matters.models import Matter
from matters.tests.journeys import register
from xinfang.testing import World, at

from .helpers import accepted, answered, cooperation, handled

pytestmark = pytest.mark.django_db


def client_for(w: World, name: str) -> Client:
    c = Client()
    c.force_login(w.users[name])
    return c


def test_my_tasks_lists_the_units_tasks_and_the_answers_to_judge(world: World) -> None:
    m = handled(world, title="小区停水，电话13812345678")
    cooperation(world, m)
    page = client_for(world, "street_handler").get(reverse("joint_my_tasks"))
    assert page.status_code == 200
    assert "核查小区供水管网产权" in page.content.decode() and "13812345678" not in page.content.decode()
    assert "核查小区供水管网产权" not in client_for(world, "d2_handler").get(reverse("joint_my_tasks")).content.decode()


def test_the_task_page_shows_the_matter_masked_and_answering_works(world: World) -> None:
    a = cooperation(world, handled(world))
    c = client_for(world, "street_handler")
    page = c.get(reverse("joint_task", args=[a.pk])).content.decode()
    assert "小区长期停水" in page and "13812345678" not in page and "张三" not in page
    assert world.units["d1_housing"].name in page
    empty = c.post(reverse("joint_task_action", args=[a.pk, "answer"]), {"answer": " "})
    assert empty.status_code == 422 and 'class="error"' in empty.content.decode()
    assert c.post(reverse("joint_task_action", args=[a.pk, "answer"]), {"answer": "已维修"}).status_code == 302
    assert Assignment.objects.get(pk=a.pk).state == AssignmentState.ANSWERED


def test_a_task_outside_reach_is_not_found(world: World) -> None:
    a = cooperation(world, handled(world))
    c = client_for(world, "d2_handler")
    assert c.get(reverse("joint_task", args=[a.pk])).status_code == 404
    assert c.post(reverse("joint_task_action", args=[a.pk, "answer"]), {"answer": "x"}).status_code == 404


def test_the_lead_returns_with_a_reason_and_accepts(world: World) -> None:
    a = answered(world, handled(world))
    c = client_for(world, "handler")
    assert reverse("joint_task_action", args=[a.pk, "accept"]) in c.get(reverse("joint_task", args=[a.pk])).content.decode()
    no_reason = c.post(reverse("joint_task_action", args=[a.pk, "return"]), {"reason": ""})
    assert no_reason.status_code == 422 and 'class="error"' in no_reason.content.decode()
    c.post(reverse("joint_task_action", args=[a.pk, "return"]), {"reason": "未写时限"})
    assert Assignment.objects.get(pk=a.pk).state == AssignmentState.OPEN
    refused = c.post(reverse("joint_task_action", args=[a.pk, "accept"]))
    assert refused.status_code == 409
    client_for(world, "street_handler").post(reverse("joint_task_action", args=[a.pk, "answer"]), {"answer": "3日内"})
    assert c.post(reverse("joint_task_action", args=[a.pk, "accept"])).status_code == 302
    assert Assignment.objects.get(pk=a.pk).state == AssignmentState.ACCEPTED


def test_the_matter_card_offers_assigning_to_the_lead_only(world: World) -> None:
    m = handled(world)
    lead = render_to_string("joint/_matter_card.html", {"matter": m, "user": world.users["handler"]})
    assert reverse("joint_assign", args=[m.pk]) in lead
    other = render_to_string("joint/_matter_card.html", {"matter": m, "user": world.users["registrar"]})
    assert reverse("joint_assign", args=[m.pk]) not in other
    accepted(world, m)
    card = render_to_string("joint/_matter_card.html", {"matter": m, "user": world.users["handler"]})
    assert reverse("joint_consolidate", args=[m.pk]) in card and world.units["d1_street"].name in card


def test_assigning_from_the_card_shows_field_errors_then_assigns(world: World) -> None:
    m = handled(world)
    c = client_for(world, "handler")
    assert c.get(reverse("joint_assign", args=[m.pk])).status_code == 200
    bad = c.post(reverse("joint_assign", args=[m.pk]), {"unit_id": "", "task": "", "due": ""})
    body = bad.content.decode()
    assert bad.status_code == 422 and body.count('class="error"') == 3
    ok = c.post(reverse("joint_assign", args=[m.pk]), {"unit_id": world.units["d1_street"].pk, "task": "核查",
                                                       "due": "2099-01-01"})
    assert ok.status_code == 302 and ok["Location"] == reverse("matter_detail", args=[m.pk])
    assert Assignment.objects.filter(matter=m, unit=world.units["d1_street"]).exists()
    assert client_for(world, "street_handler").post(reverse("joint_assign", args=[m.pk]), {}).status_code == 404
    assert client_for(world, "registrar").post(reverse("joint_assign", args=[m.pk]), {
        "unit_id": world.units["d2_housing"].pk, "task": "x", "due": "2099-01-01"}).status_code == 403


def test_consolidating_from_the_card(world: World) -> None:
    m = handled(world)
    accepted(world, m)
    c = client_for(world, "handler")
    assert "管网属街道所有" in c.get(reverse("joint_consolidate", args=[m.pk])).content.decode()
    assert c.post(reverse("joint_consolidate", args=[m.pk]), {"text": ""}).status_code == 422
    assert c.post(reverse("joint_consolidate", args=[m.pk]), {"text": "汇总意见"}).status_code == 302
    assert Consolidation.objects.get(matter=m).text == "汇总意见"


def test_convening_from_the_meetings_page(world: World) -> None:
    c = client_for(world, "d1_reviewer")
    page = c.get(reverse("joint_meetings"))
    assert page.status_code == 200 and 'name="unit_id"' in page.content.decode()
    assert 'name="unit_id"' not in client_for(world, "handler").get(reverse("joint_meetings")).content.decode()
    bad = c.post(reverse("joint_meetings"), {"unit_id": "", "title": "", "day": "", "place": ""})
    assert bad.status_code == 422 and bad.content.decode().count('class="error"') == 4
    ok = c.post(reverse("joint_meetings"), {"unit_id": world.units["d1"].pk, "title": "区联席会议", "day": "2099-01-05",
                                            "place": "区政府"})
    meeting = JointMeeting.objects.get()
    assert ok["Location"] == reverse("joint_meeting", args=[meeting.pk])


def test_running_a_meeting_from_its_page(world: World) -> None:
    m = handled(world)
    reviewer = world.users["d1_reviewer"]
    meeting = meetings.convene_meeting(actor=reviewer, unit_id=world.units["d1"].pk, title="区联席会议", day=at(2099, 1, 5).date(),
                                       place="区政府", now=at(2026, 3, 5))
    c = client_for(world, "d1_reviewer")
    action = lambda name: reverse("joint_meeting_action", args=[meeting.pk, name])  # noqa: E731
    unknown = c.post(action("add-item"), {"code": "NOPE"})
    assert unknown.status_code == 422 and 'class="error"' in unknown.content.decode()
    assert c.post(action("add-item"), {"code": m.query_code, "note": "多部门"}).status_code == 302
    item = meeting.items.get()
    assert c.post(action("hold"), {"minutes": ""}).status_code == 422
    assert c.post(action("hold"), {"minutes": "纪要"}).status_code == 302
    assert c.post(action("close")).status_code == 409
    decide = reverse("joint_item_action", args=[item.pk, "decide"])
    assert c.post(decide, {"decision": ""}).status_code == 422
    assert c.post(decide, {"decision": "街道负责维修"}).status_code == 302
    page = c.get(reverse("joint_meeting", args=[meeting.pk])).content.decode()
    assert "街道负责维修" in page and 'name="unit_ids"' in page
    assign = reverse("joint_item_action", args=[item.pk, "assign"])
    bad = c.post(assign, {"unit_ids": [], "task": "", "due": ""})
    assert bad.status_code == 422 and bad.content.decode().count('class="error"') == 3
    assert c.post(assign, {"unit_ids": [world.units["d1_street"].pk], "task": "维修", "due": "2099-01-10"}).status_code == 302
    assert Assignment.objects.get(agenda_item=item).unit == world.units["d1_street"]
    assert c.post(action("close")).status_code == 302
    assert JointMeeting.objects.get(pk=meeting.pk).state == MeetingState.CLOSED


def test_a_meeting_outside_reach_is_not_found_and_outsiders_get_no_forms(world: World) -> None:
    meeting = meetings.convene_meeting(actor=world.users["d1_reviewer"], unit_id=world.units["d1"].pk, title="区联席会议",
                                       day=at(2099, 1, 5).date(), place="区政府", now=at(2026, 3, 5))
    assert client_for(world, "d2_handler").get(reverse("joint_meeting", args=[meeting.pk])).status_code == 404
    page = client_for(world, "d1_registrar").get(reverse("joint_meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "add-item" not in page.content.decode()
    assert client_for(world, "d1_registrar").post(reverse("joint_meeting_action", args=[meeting.pk, "close"])).status_code == 403


def test_putting_a_matter_on_an_agenda_from_its_card(world: World) -> None:
    m = handled(world)
    meeting = meetings.convene_meeting(actor=world.users["d1_reviewer"], unit_id=world.units["d1"].pk, title="区联席会议",
                                       day=at(2099, 1, 5).date(), place="区政府", now=at(2026, 3, 5))
    card = render_to_string("joint/_matter_card.html", {"matter": m, "user": world.users["d1_reviewer"]})
    assert reverse("joint_put_on_agenda", args=[m.pk]) in card
    c = client_for(world, "d1_reviewer")
    r = c.post(reverse("joint_put_on_agenda", args=[m.pk]), {"meeting_id": meeting.pk, "note": "会商"})
    assert r["Location"] == reverse("joint_meeting", args=[meeting.pk])
    assert meeting.items.get().matter == m
    other = register(world, unit="d2_housing")
    assert c.post(reverse("joint_put_on_agenda", args=[other.pk]), {"meeting_id": meeting.pk}).status_code == 404
    assert not Matter.objects.filter(pk=other.pk, agenda_items__isnull=False).exists()


def test_the_card_offers_an_accusation_only_to_units_that_may_see_it(world: World) -> None:
    from matters.models import HandlingKind
    from matters.tests.journeys import act

    m = act(world, register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION), "accept", "discipline",
            (2026, 3, 4))
    card = render_to_string("joint/_matter_card.html", {"matter": m, "user": world.users["discipline"]})
    assert world.units["city_office"].name in card and world.units["d1_office"].name in card
    assert world.units["d1_housing"].name not in card and world.units["d1_street"].name not in card
