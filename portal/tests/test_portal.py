"""The public portal: guide, online submission, tracking with a second factor, rating, review."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import Event
from documents.models import IssuedDocument
from matters import services as ms
from matters.errors import NotAllowed
from matters.lifecycle import State
from matters.models import Channel, HandlingKind, Matter
from matters.tests.journeys import register
from portal.models import GuideNode, Rating, Supplement
from xinfang.testing import World

pytestmark = pytest.mark.django_db

FORM = {
    "title": "小区路灯不亮", "content": "幸福小区东门路灯坏了两个月，晚上出行不便，请求修复。",
    "handling_kind": "claim", "petitioner_kind": "person", "petitioner_name": "李四",
    "petitioner_phone": "13900001234",
}


def _submit(client: Client, **extra: str):
    return client.post(reverse("portal:submit"), {**FORM, **extra})


def _track(client: Client, code: str, last4: str):
    return client.post(reverse("portal:track"), {"code": code, "phone_last4": last4})


def test_home_shows_the_guide_from_data(client: Client, world: World) -> None:
    body = client.get(reverse("portal:home")).content.decode()
    root = GuideNode.objects.get(parent__isnull=True)
    assert root.question in body
    for child in root.children.all():
        assert child.answer in body


def test_a_statutory_route_is_shown_instead_of_the_form(client: Client, world: World) -> None:
    labour = GuideNode.objects.get(route_name="劳动人事争议仲裁")
    body = client.get(reverse("portal:guide", args=[labour.pk])).content.decode()
    assert "劳动人事争议仲裁委员会" in body and "劳动合同" in body
    assert "guide=" not in body  # no pre-filled petition from a statutory route


def test_online_petition_is_registered_at_the_city_office_with_its_clock(client: Client, world: World) -> None:
    response = _submit(client)
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.channel == Channel.WEB
    assert matter.intake_unit == world.units["city_office"] == matter.handling_unit
    assert matter.state == State.REGISTERED
    acceptance = matter.deadlines.get(clock="acceptance")
    assert (acceptance.days, acceptance.start) == (15, timezone.localdate(matter.registered_at))
    assert matter.statutory_due == acceptance.due
    event = Event.objects.get(verb="register", target_id=matter.pk)
    assert event.actor is None and event.actor_label == "petitioner"
    page = client.get(response["Location"]).content.decode()
    grouped = f"{matter.query_code[:5]}-{matter.query_code[5:]}"
    assert grouped in page
    receipt = client.get(reverse("portal:receipt"))
    assert receipt["Content-Disposition"].startswith("attachment") and receipt["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages).replace("\x00", "")
    assert grouped in re.sub(r"\s+", "", text)


def test_the_accusation_answer_makes_a_confidential_petition(client: Client, world: World) -> None:
    node = GuideNode.objects.get(handling_kind=HandlingKind.ACCUSATION)
    client.post(reverse("portal:submit") + f"?guide={node.pk}", {**FORM, "guide": node.pk})
    matter = Matter.objects.get()
    assert matter.handling_kind == HandlingKind.ACCUSATION
    assert matter.handling_unit == world.units["city_discipline"]
    handler = world.users["handler"]
    from matters.selectors import matters_visible_to
    assert not matters_visible_to(handler).filter(pk=matter.pk).exists()


@pytest.mark.parametrize("missing", ["title", "content", "petitioner_name", "petitioner_phone"])
def test_missing_fields_are_marked_and_nothing_is_saved(client: Client, world: World, missing: str) -> None:
    response = _submit(client, **{missing: ""})
    assert response.status_code == 422
    assert 'class="error" role="alert"' in response.content.decode()
    assert not Matter.objects.exists()


def test_the_honeypot_refuses_bots(client: Client, world: World) -> None:
    assert _submit(client, website="http://spam.example").status_code == 400
    assert not Matter.objects.exists()


def test_submissions_are_rate_limited_per_connection(client: Client, world: World, settings) -> None:
    settings.PORTAL_SUBMIT_RATE = "2/h"
    assert _submit(client).status_code == 302
    assert _submit(client).status_code == 302
    assert _submit(client).status_code == 429
    assert Matter.objects.count() == 2


def test_tracking_needs_the_code_and_the_last_four_digits(client: Client, world: World) -> None:
    m = register(world, phone="13812345678")
    assert _track(client, m.query_code, "0000").status_code == 404
    assert client.get(reverse("portal:matter", args=[m.query_code])).status_code == 404
    response = _track(client, m.query_code.lower(), "5678")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "您的信访事项已登记" in page or "已登记" in page
    assert "13812345678" not in page and "张三" not in page


def test_wrong_codes_are_rate_limited(client: Client, world: World, settings) -> None:
    settings.PORTAL_TRACK_FAILURES_RATE = "3/10m"
    m = register(world, phone="13812345678")
    for _ in range(3):
        assert _track(client, "WRONGCODE9", "5678").status_code == 404
    assert _track(client, m.query_code, "5678").status_code == 429


def test_tracking_page_shows_no_internal_notes(client: Client, world: World) -> None:
    now = timezone.now()
    m = register(world, phone="13812345678")
    ms.accept_matter(m.pk, actor=world.users["handler"], now=now)
    ms.reply_matter(m.pk, actor=world.users["handler"], now=now, text="经核查，路灯已于本周修复。")
    ms.record_follow_up(m.pk, actor=world.users["handler"], now=now, note="内部备注：信访人情绪激动")
    ms.reveal_petitioner(m.pk, actor=world.users["reviewer"], now=now)
    _track(client, m.query_code, "5678")
    page = client.get(reverse("portal:matter", args=[m.query_code])).content.decode()
    assert "经核查，路灯已于本周修复。" in page
    assert "内部备注" not in page
    assert "查看个人信息" not in page and "view_personal_data" not in page


def _replied(world: World, phone: str = "13812345678") -> Matter:
    now = timezone.now()
    m = register(world, phone=phone)
    ms.accept_matter(m.pk, actor=world.users["handler"], now=now)
    return ms.reply_matter(m.pk, actor=world.users["handler"], now=now, text="答复如下。")


def test_the_reply_is_rated_once(client: Client, world: World) -> None:
    m = _replied(world)
    _track(client, m.query_code, "5678")
    url = reverse("portal:rate", args=[m.query_code])
    assert client.post(url, {"level": "basically", "comment": "还行"}).status_code == 302
    assert Rating.objects.get(matter=m).level == "basically"
    assert client.post(url, {"level": "satisfied"}).status_code == 409
    assert Rating.objects.get(matter=m).level == "basically"


def test_no_rating_before_the_reply(client: Client, world: World) -> None:
    m = register(world, phone="13812345678")
    _track(client, m.query_code, "5678")
    assert client.post(reverse("portal:rate", args=[m.query_code]), {"level": "satisfied"}).status_code == 409
    assert not Rating.objects.exists()


def test_review_asked_online_within_the_window_names_the_deciding_body(client: Client, world: World) -> None:
    m = _replied(world)
    _track(client, m.query_code, "5678")
    page = client.get(reverse("portal:matter", args=[m.query_code])).content.decode()
    assert world.units["d1"].name in page  # the body above the handling unit decides
    assert client.post(reverse("portal:review", args=[m.query_code]), {"reason": "不服答复"}).status_code == 302
    m.refresh_from_db()
    assert m.state == State.REVIEW_REQUESTED
    assert Event.objects.get(verb="request_review", target_id=m.pk).actor_label == "petitioner"


def test_review_after_the_window_is_refused_with_the_date(client: Client, world: World) -> None:
    then = timezone.now() - timedelta(days=40)
    m = register(world, phone="13812345678")
    ms.accept_matter(m.pk, actor=world.users["handler"], now=then)
    ms.reply_matter(m.pk, actor=world.users["handler"], now=then, text="答复如下。")
    _track(client, m.query_code, "5678")
    response = client.post(reverse("portal:review", args=[m.query_code]))
    assert response.status_code == 409
    assert "期限已于" in response.content.decode() or "ended on" in response.content.decode()
    m.refresh_from_db()
    assert m.state == State.REPLIED


def test_more_material_is_kept_with_its_event(client: Client, world: World) -> None:
    m = register(world, phone="13812345678")
    _track(client, m.query_code, "5678")
    assert client.post(reverse("portal:supply", args=[m.query_code]), {"text": "补充：路灯编号 A-17"}).status_code == 302
    assert Supplement.objects.get(matter=m).text == "补充：路灯编号 A-17"
    assert Event.objects.filter(verb="supply_material", target_id=m.pk).exists()
    assert client.post(reverse("portal:supply", args=[m.query_code]), {"text": ""}).status_code == 422


def test_the_petitioner_can_take_only_the_petitioners_transitions(world: World) -> None:
    m = register(world)
    with pytest.raises(NotAllowed):
        ms._transition("accept", m.pk, actor=None, now=timezone.now(), by_petitioner=True)
    m.refresh_from_db()
    assert m.state == State.REGISTERED


def test_staff_see_what_the_petitioner_sent_and_how_they_rated(client: Client, world: World) -> None:
    m = _replied(world)
    _track(client, m.query_code, "5678")
    client.post(reverse("portal:supply", args=[m.query_code]), {"text": "补充：路灯编号 A-17"})
    client.post(reverse("portal:rate", args=[m.query_code]), {"level": "dissatisfied", "comment": "没修好"})
    staff = Client()
    staff.force_login(world.users["handler"])
    page = staff.get(reverse("matter_detail", kwargs={"pk": m.pk})).content.decode()
    assert "补充：路灯编号 A-17" in page and "没修好" in page


def test_documents_are_downloadable_only_after_tracking(client: Client, world: World) -> None:
    m = _replied(world)
    doc = IssuedDocument.objects.get(matter=m, kind="reply")
    url = reverse("portal:document", args=[m.query_code, doc.pk])
    assert client.get(url).status_code == 404
    _track(client, m.query_code, "5678")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    other = register(world, phone="13700009999")
    ms.accept_matter(other.pk, actor=world.users["handler"], now=timezone.now())
    others_doc = IssuedDocument.objects.get(matter=other)
    assert client.get(reverse("portal:document", args=[m.query_code, others_doc.pk])).status_code == 404


def test_a_bad_email_is_refused_and_a_good_one_masked_for_staff(client: Client, world: World) -> None:
    assert _submit(client, petitioner_email="not-an-address").status_code == 422
    assert not Matter.objects.exists()
    assert _submit(client, petitioner_email="lisi@example.com").status_code == 302
    matter = Matter.objects.get()
    assert matter.petitioner.email == "lisi@example.com"
    staff = Client()
    staff.force_login(world.users["reviewer"])
    page = staff.get(reverse("matter_detail", kwargs={"pk": matter.pk})).content.decode()
    assert "l***@example.com" in page and "lisi@example.com" not in page
