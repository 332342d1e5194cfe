"""Every page renders for those who may see it, every form posts, errors come back per field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hearings import reception, services
from hearings.models import Consultation, DutyShift, Hearing, HearingState, PoolKind, PoolMember
from matters.lifecycle import State
from matters.tests.journeys import matter_in
from xinfang.testing import World

from .helpers import member

pytestmark = pytest.mark.django_db


def _client(w: World, name: str) -> Client:
    """In English, so the assertions hold whatever the Chinese catalogue says."""
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c.force_login(w.users[name])
    return c


def _hearing(w: World) -> Hearing:
    """A review hearing scheduled today for tomorrow, so the views' clock fits it."""
    m = matter_in(w, State.REVIEW_REQUESTED)
    now = timezone.now()
    return services.schedule_hearing(m.pk, actor=w.users["reviewer"], now=now, purpose="review",
                                     scheduled_for=now + timedelta(days=1), place="市信访局听证室")


def test_the_pool_list_filters_and_masks_contacts(world: World) -> None:
    member(world, "钱律师", kind=PoolKind.LAWYER, specialties="拆迁", contact="13912345678")
    member(world, "孙专家", kind=PoolKind.REVIEW_EXPERT, specialties="劳动")
    page = _client(world, "reviewer").get(reverse("hearings_pools"), {"specialty": "拆迁"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "钱律师" in body and "孙专家" not in body and "139****5678" in body and "13912345678" not in body
    assert "孙专家" in _client(world, "reviewer").get(reverse("hearings_pools"), {"kind": "review_expert"}).content.decode()


def test_adding_a_member_through_the_form(world: World) -> None:
    c = _client(world, "reviewer")
    bad = c.post(reverse("hearings_member_add"), {"kind": "lawyer", "owner": world.units["city"].pk, "name": ""})
    assert bad.status_code == 422 and "has-error" in bad.content.decode()
    ok = c.post(reverse("hearings_member_add"), {"kind": "lawyer", "owner": world.units["city"].pk, "name": "周律师",
                                                 "specialties": "婚姻，继承", "contact": "zhou@example.com", "active": "on"})
    m = PoolMember.objects.get(name="周律师")
    assert ok.status_code == 302 and m.specialty_list == ["婚姻", "继承"]
    assert "Add a member" not in _client(world, "handler").get(reverse("hearings_pools")).content.decode()


def test_the_member_page_and_its_forms(world: World) -> None:
    m = member(world, "吴", owner="d1", actor="d1_reviewer")
    c = _client(world, "d1_reviewer")
    assert c.get(reverse("hearings_member", args=[m.pk])).status_code == 200
    url = lambda a: reverse("hearings_member_action", args=[m.pk, a])  # noqa: E731
    assert c.post(url("edit"), {"kind": "hearing_officer", "name": "吴某", "active": ""}).status_code == 302
    m.refresh_from_db()
    assert (m.name, m.active, m.contact) == ("吴某", False, "13900001111")
    bad = c.post(url("unavailable"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert bad.status_code == 422 and "The last day is before the first." in bad.content.decode()
    assert c.post(url("unavailable"), {"start": "2026-05-01", "end": "2026-05-03", "note": "出差"}).status_code == 302
    bad = c.post(url("conflict"), {"matter": "NOPE", "note": "x"})
    assert bad.status_code == 422 and "No such matter in your scope." in bad.content.decode()
    code = matter_in(world, State.ACCEPTED).query_code
    assert c.post(url("conflict"), {"matter": code, "note": "曾代理"}).status_code == 302
    assert c.post(url("conflict"), {"unit": world.units["d1_street"].pk, "note": "亲属任职"}).status_code == 302
    assert m.unavailable.count() == 1 and m.conflicts.count() == 2
    assert _client(world, "reviewer").post(url("edit"), {"kind": "lawyer", "name": "x"}).status_code == 302
    assert _client(world, "handler").post(url("edit"), {"kind": "lawyer", "name": "y"}).status_code == 403
    assert _client(world, "d2_handler").get(reverse("hearings_member", args=[m.pk])).status_code == 404


def test_scheduling_from_the_matter(world: World) -> None:
    m = matter_in(world, State.REVIEW_REQUESTED)
    c = _client(world, "reviewer")
    url = reverse("hearings_schedule", args=[m.pk])
    assert "A市" in c.get(url).content.decode()
    bad = c.post(url, {"purpose": "review", "scheduled_for": "2020-01-01T09:00", "place": ""})
    assert bad.status_code == 422
    assert "The hearing cannot be in the past." in bad.content.decode() and "Say where the hearing is held." in bad.content.decode()
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT09:00")
    ok = c.post(url, {"purpose": "review", "scheduled_for": when, "place": "听证室"})
    h = Hearing.objects.get(matter=m)
    assert ok.status_code == 302 and ok["Location"] == reverse("hearings_detail", args=[h.pk])
    assert _client(world, "handler").post(url, {"purpose": "review", "scheduled_for": when, "place": "x"}).status_code == 403
    world.user("d2_reviewer", "d2_office", ("reviewer", "d2"))
    assert _client(world, "d2_reviewer").get(url).status_code == 404


def test_the_hearing_page_through_its_whole_life(world: World) -> None:
    h = _hearing(world)
    for i in range(4):
        member(world, f"听证员{i}")
    c = _client(world, "reviewer")
    act = lambda a, data: c.post(reverse("hearings_action", args=[h.pk, a]), data)  # noqa: E731
    too_many = act("draw", {"kind": "hearing_officer", "size": 5})
    assert too_many.status_code == 422 and "Only 4 members are eligible" in too_many.content.decode()
    assert act("draw", {"kind": "hearing_officer", "size": 3}).status_code == 302
    page = c.get(reverse("hearings_detail", args=[h.pk])).content.decode()
    assert "Replay matches" in page and h.draws.get().seed in page and "Panel drawn" in page
    seat = h.seats.first()
    assert seat is not None
    assert act("recuse", {"seat": seat.pk, "reason": ""}).status_code == 422
    assert act("recuse", {"seat": seat.pk, "reason": "近亲属"}).status_code == 302
    assert "replaces" in c.get(reverse("hearings_detail", args=[h.pk])).content.decode()
    assert act("notice", {"addressee": "nobody", "text": "x"}).status_code == 422
    assert act("notice", {"addressee": "petitioner", "text": "定于明日举行听证"}).status_code == 302
    early = act("record_minutes", {"text": "笔录"})
    assert early.status_code == 409 and "The hearing has not taken place yet." in early.content.decode()
    Hearing.objects.filter(pk=h.pk).update(scheduled_for=timezone.now())
    assert act("record_minutes", {"text": ""}).status_code == 422
    assert act("record_minutes", {"text": "听证笔录全文"}).status_code == 302
    assert act("give_opinion", {"text": "评议意见：维持"}).status_code == 302
    assert act("close", {}).status_code == 302
    h.refresh_from_db()
    assert h.state == HearingState.CLOSED
    page = c.get(reverse("hearings_detail", args=[h.pk])).content.decode()
    assert "评议意见：维持" in page and "Draw at random" not in page
    doc = h.documents.get(kind="opinion")
    printed = c.get(reverse("hearings_document", args=[doc.pk])).content.decode()
    assert "评议意见：维持" in printed and "window.print()" in printed
    assert act("nonsense", {}).status_code == 404


def test_the_hearing_pages_follow_the_scope_rule(world: World) -> None:
    h = _hearing(world)
    services.issue_notice(h.pk, actor=world.users["reviewer"], now=timezone.now(), addressee="petitioner", text="通知")
    doc = h.documents.get()
    outsider = _client(world, "d2_handler")
    assert outsider.get(reverse("hearings_detail", args=[h.pk])).status_code == 404
    assert outsider.get(reverse("hearings_document", args=[doc.pk])).status_code == 404
    assert outsider.post(reverse("hearings_action", args=[h.pk, "cancel"]), {"reason": "x"}).status_code == 404
    assert reverse("hearings_detail", args=[h.pk]) not in outsider.get(reverse("hearings_list")).content.decode()
    handler = _client(world, "handler")
    page = handler.get(reverse("hearings_detail", args=[h.pk])).content.decode()
    assert "Draw at random" not in page and "Only a petition-office reviewer" in page
    assert handler.post(reverse("hearings_action", args=[h.pk, "cancel"]), {"reason": "x"}).status_code == 403
    listed = _client(world, "reviewer").get(reverse("hearings_list"), {"state": "scheduled"}).content.decode()
    assert reverse("hearings_detail", args=[h.pk]) in listed


def test_the_duty_roster_page(world: World) -> None:
    lawyer = member(world, "冯律师", kind=PoolKind.LAWYER)
    c = _client(world, "reviewer")
    assert c.get(reverse("hearings_duty")).status_code == 200
    bad = c.post(reverse("hearings_duty_add"), {"lawyer": lawyer.pk, "unit": world.units["city_office"].pk,
                                                "day": "", "session": "morning", "place": ""})
    assert bad.status_code == 422 and "Give the day." in bad.content.decode()
    day = timezone.localdate().isoformat()
    ok = c.post(reverse("hearings_duty_add"), {"lawyer": lawyer.pk, "unit": world.units["city_office"].pk,
                                               "day": day, "session": "morning", "place": "接待大厅"})
    assert ok.status_code == 302 and DutyShift.objects.count() == 1
    assert "冯律师" in _client(world, "registrar").get(reverse("hearings_duty")).content.decode()


def test_recording_a_consultation_from_the_matter(world: World) -> None:
    m = matter_in(world, State.ACCEPTED)
    duty, other = member(world, "甲律师", kind=PoolKind.LAWYER), member(world, "丙律师", kind=PoolKind.LAWYER)
    reception.add_shift(actor=world.users["reviewer"], now=timezone.now(), lawyer_id=duty.pk,
                        unit_id=world.units["city_office"].pk, day=timezone.localdate(), session="full_day", place="大厅")
    c = _client(world, "registrar")
    url = reverse("hearings_consultation", args=[m.pk])
    page = c.get(url).content.decode()
    assert page.index("甲律师") < page.index("丙律师")  # on duty today: first, and chosen already
    assert f'<option value="{duty.pk}" selected>' in page and timezone.localdate().isoformat() in page
    bad = c.post(url, {"lawyer": other.pk, "consulted_on": timezone.localdate().isoformat(), "summary": "", "advice": ""})
    assert bad.status_code == 422 and "Summarise the consultation." in bad.content.decode()
    ok = c.post(url, {"lawyer": other.pk, "consulted_on": timezone.localdate().isoformat(), "summary": "咨询补偿",
                      "advice": "可申请行政复议"})
    assert ok.status_code == 302 and Consultation.objects.filter(matter=m).count() == 1
    assert "可申请行政复议" in _client(world, "handler").get(url).content.decode()
    assert _client(world, "d2_handler").get(url).status_code == 404
    assert _client(world, "housing_head").post(url, {"lawyer": other.pk, "consulted_on": timezone.localdate().isoformat(),
                                                      "summary": "x", "advice": "y"}).status_code == 403


def _card(w: World, matter: object, user: str) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        return render_to_string("hearings/_matter_card.html", {"matter": matter, "user": w.users[user]})


def test_the_matter_page_card_offers_what_the_user_may_do(world: World) -> None:
    m = matter_in(world, State.REVIEW_REQUESTED)
    assert reverse("hearings_schedule", args=[m.pk]) in _card(world, m, "reviewer")
    handler_card = _card(world, m, "handler")
    assert reverse("hearings_schedule", args=[m.pk]) not in handler_card
    assert "Record a consultation" in handler_card
    assert _card(world, m, "leader").strip() == ""
    h = _hearing(world)
    assert reverse("hearings_detail", args=[h.pk]) in _card(world, h.matter, "handler")
    reception.record_consultation(m.pk, actor=world.users["registrar"], now=timezone.now(),
                                  lawyer_id=member(world, "韩律师", kind=PoolKind.LAWYER).pk,
                                  consulted_on=timezone.localdate(), summary="咨询", advice="建议复查")
    leader_card = _card(world, m, "leader")
    assert "韩律师" in leader_card and "Record a consultation" not in leader_card
