"""The staff workspace: queue, registration, matter page, actions, reveal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from matters import selectors
from matters.models import Matter, Petitioner
from matters.services import PetitionerData, RegistrationData, forward_matter, register_matter
from matters.templatetags.xinfang_ui import grouped_code
from xinfang.testing import World

HTMX = {"HX-Request": "true"}




def register(
    world: World,
    *,
    unit: str = "d1_housing",
    title: str = "小区电梯长期故障",
    name: str = "张三丰",
    actor: str = "registrar",
    content: str = "自八月起多次停运，请求督促维修。",
) -> Matter:
    data = RegistrationData(
        channel="visit",
        title=title,
        content=content,
        handling_unit_id=world.units[unit].pk,
        petitioner=PetitionerData(name=name, phone="13812345678", id_number="330102198001011234"),
    )
    return register_matter(data, actor=world.users[actor], now=timezone.now())


def client_for(world: World, username: str) -> Client:
    c = Client()
    c.force_login(world.users[username])
    return c


def valid_registration(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "visit",
        "handling_kind": "claim",
        "title": "楼上住户违规改建导致漏水",
        "content": "楼上住户擅自拆改承重墙，我家天花板长期渗水。",
        "handling_unit": world.units["d1_housing"].pk,
        "is_first": "on",
        "petitioner_kind": "person",
        "petitioner_name": "李四",
        "petitioner_phone": "139 0000 1111",
        "petitioner_id_number": "",
        "petitioner_address": "幸福小区3幢",
    }
    data.update(overrides)
    return data


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("queue", {}, "get"),
        ("matter_create", {}, "get"),
        ("matter_detail", {"pk": 1}, "get"),
        ("matter_reveal", {"pk": 1}, "post"),
        ("matter_action", {"pk": 1, "action": "accept"}, "get"),
    ],
)
def test_login_required_redirects(
    client: Client, db: None, name: str, kwargs: dict[str, Any], method: str
) -> None:
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_login_page_is_chinese(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "工作人员登录" in body and "信访事项办理平台" in body


# --- queue -------------------------------------------------------------------------------------


def test_queue_shows_only_in_scope_matters_and_counts(world: World) -> None:
    mine = register(world, unit="d1_housing", title="d1的事项")
    register(world, unit="d2_housing", title="d2的事项")
    response = client_for(world, "handler").get(reverse("queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "d1的事项" in body and "d2的事项" not in body
    assert grouped_code(mine.query_code) in body
    assert response.context["counts"]["open"] == 1
    assert response.context["counts"]["on_time"] == 1
    # The petitioner appears only masked.
    assert "张三丰" not in body and "张**" in body
    assert "13812345678" not in body

    city = client_for(world, "reviewer").get(reverse("queue"))
    assert city.context["counts"]["open"] == 2


def test_queue_filters_and_htmx_returns_only_the_results(world: World) -> None:
    register(world, title="电梯故障")
    register(world, title="噪音扰民")
    c = client_for(world, "handler")
    response = c.get(reverse("queue"), {"q": "电梯"}, headers={**HTMX, "HX-Target": "results"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "电梯故障" in body and "噪音扰民" not in body
    assert 'id="tiles"' in body and 'hx-swap-oob="true"' in body  # tile highlight follows the filter

    full = c.get(reverse("queue"), {"due_state": "overdue"})
    assert "<html" in full.content.decode()
    assert "电梯故障" not in full.content.decode()


def test_queue_paginates_by_fifty(world: World) -> None:
    for i in range(51):
        register(world, title=f"事项{i:02d}")
    c = client_for(world, "handler")
    first = c.get(reverse("queue"))
    assert len(first.context["page"].object_list) == 50
    second = c.get(reverse("queue"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert second.context["page"].paginator.count == 51 == second.context["counts"]["open"]


def test_a_filtered_queue_counts_its_own_rows_not_every_open_matter(world: World) -> None:
    for i in range(3):
        register(world, title=f"电梯{i}")
    register(world, title="噪音扰民")
    page = client_for(world, "handler").get(reverse("queue"), {"q": "电梯"}).context["page"]
    assert page.paginator.count == 3 and page.paginator.num_pages == 1


def test_a_unit_filter_keeps_the_scope_rule_inside_and_outside_ones_scope(world: World) -> None:
    # Registered in the district, then sent by the city to another district's bureau.
    ours = register(world, unit="d1_housing", title="d1登记d2承办", actor="d1_registrar")
    forward_matter(ours.pk, actor=world.users["reviewer"], now=timezone.now(), to_unit_id=world.units["d2_housing"].pk)
    register(world, unit="d2_housing", title="d2自己的")
    register(world, unit="d1_housing", title="d1自己的")
    d1, today = world.users["d1_reviewer"], timezone.localdate()

    def titles(unit: str) -> set[str]:
        f = selectors.QueueFilter(unit_id=world.units[unit].pk, open_only=True)
        return set(selectors.queue(d1, f, today).values_list("title", flat=True))

    # Outside the scope: only what the district registered itself. Inside: all the unit handles.
    assert titles("d2") == {ours.title}
    assert titles("d1") == {"d1自己的"}
    assert set(selectors.queue(world.users["reviewer"], selectors.QueueFilter(unit_id=world.units["d2"].pk), today)
               .values_list("title", flat=True)) == {ours.title, "d2自己的"}


# --- registration ------------------------------------------------------------------------------


def test_registration_success_redirects_with_query_code(world: World) -> None:
    c = client_for(world, "registrar")
    assert c.get(reverse("matter_create")).status_code == 200
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = c.post(reverse("matter_create"), {**valid_registration(world), "attachments": [pdf]})
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matter_detail", kwargs={"pk": matter.pk})
    assert matter.handling_unit == world.units["d1_housing"]
    assert matter.petitioner.phone == "13900001111"
    assert [a.filename for a in matter.attachments.all()] == ["说明.pdf"]

    page = c.get(response["Location"])
    body = page.content.decode()
    assert "事项已登记" in body and grouped_code(matter.query_code) in body


def test_registration_errors_are_shown_inline_and_nothing_is_saved(world: World) -> None:
    c = client_for(world, "registrar")
    bad_file = SimpleUploadedFile("virus.exe", b"MZ....", content_type="application/x-msdownload")
    data = valid_registration(
        world,
        title="  ",
        petitioner_phone="12",
        petitioner_name="王五",
        petitioner_kind="group",
        attachments=[bad_file],
    )
    response = c.post(reverse("matter_create"), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "登记信息有误，未保存任何内容。" in body
    form = response.context["form"]
    assert form.errors["title"] == ["请填写标题。"]
    assert form.errors["petitioner_phone"] == ["电话号码应为7至12位数字。"]
    assert "virus.exe" in form.errors["attachments"][0]
    assert form.errors["group_size"] == ["集体访须填写人数，且多于1人。"]
    # The user's input is kept.
    assert 'value="王五"' in body and "楼上住户擅自拆改承重墙" in body
    assert Matter.objects.count() == 0 and Petitioner.objects.count() == 0
    assert not Event.objects.filter(verb="register").exists()


def test_registration_is_for_registrars_only(world: World) -> None:
    c = client_for(world, "handler")
    assert c.get(reverse("matter_create")).status_code == 403
    assert c.post(reverse("matter_create"), valid_registration(world)).status_code == 403
    assert Matter.objects.count() == 0
    # Nor is the menu entry shown.
    assert reverse("matter_create") not in c.get(reverse("queue")).content.decode()


# --- matter page -------------------------------------------------------------------------------


def test_matter_page_is_404_out_of_scope(world: World) -> None:
    matter = register(world, unit="d1_housing")
    c = client_for(world, "d2_handler")
    assert c.get(reverse("matter_detail", kwargs={"pk": matter.pk})).status_code == 404
    assert c.post(reverse("matter_reveal", kwargs={"pk": matter.pk})).status_code == 404
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "accept"})
    assert c.get(url).status_code == 404
    assert c.post(url, {"expected_version": matter.version}).status_code == 404
    assert c.get(reverse("matter_detail", kwargs={"pk": 999_999})).status_code == 404
    assert not Event.objects.filter(verb="view_personal_data").exists()


def test_matter_page_shows_masked_petitioner_deadlines_and_timeline(world: World) -> None:
    matter = register(world)
    response = client_for(world, "handler").get(reverse("matter_detail", kwargs={"pk": matter.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert grouped_code(matter.query_code) in body
    assert "张三丰" not in body and "138****5678" in body and "3301**********1234" in body
    assert "决定是否受理" in body and "《信访工作条例》第二十二、二十三条" in body  # deadline label and basis
    assert "badge-on_time" in body and "剩 " in body  # countdown, colored by due state
    assert "承办单位逾期，事项将列入督办。" in body  # what happens if missed
    timeline = body[body.index('id="timeline"') :]
    assert "登记" in timeline and "registrar" in timeline and "A市信访局" in timeline


def test_page_is_in_chinese_by_default(world: World) -> None:
    matter = register(world)
    body = (
        client_for(world, "handler").get(reverse("matter_detail", kwargs={"pk": matter.pk})).content.decode()
    )
    assert '<html lang="zh-CN">' in body
    assert "受理" in body and "办理期限" in body and "信访事项办理平台" in body


def test_action_buttons_only_for_allowed_actions(world: World) -> None:
    matter = register(world, unit="city_office")
    forward_matter(
        matter.pk, actor=world.users["reviewer"], now=timezone.now(), to_unit_id=world.units["d1_housing"].pk
    )
    url = reverse("matter_detail", kwargs={"pk": matter.pk})

    handler = client_for(world, "handler").get(url)
    assert handler.context["actions"]
    names = [name for name, _label, _primary in handler.context["actions"]]
    assert "accept" in names and "refuse" in names and "object" in names
    assert 'data-action="accept"' in handler.content.decode()

    registrar = client_for(world, "registrar").get(url)
    names = [name for name, _label, _primary in registrar.context["actions"]]
    assert "accept" not in names
    assert 'data-action="accept"' not in registrar.content.decode()


def test_pause_and_resume_offered_to_the_unit_head(world: World) -> None:
    matter = register(world)
    url = reverse("matter_detail", kwargs={"pk": matter.pk})
    head = client_for(world, "housing_head").get(url)
    assert "pause" in [a for a, _l, _p in head.context["actions"]]
    handler = client_for(world, "handler").get(url)
    assert "pause" not in [a for a, _l, _p in handler.context["actions"]]


# --- actions -----------------------------------------------------------------------------------


def test_action_form_is_loaded_with_htmx(world: World) -> None:
    matter = register(world, unit="city_office")
    response = client_for(world, "reviewer").get(
        reverse("matter_action", kwargs={"pk": matter.pk, "action": "forward"}), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'name="to_unit_id"' in body and "d1区住建局" in body
    assert f'name="expected_version" value="{matter.version}"' in body


def test_action_success_redirects_the_page(world: World) -> None:
    matter = register(world)
    c = client_for(world, "handler")
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "accept"})
    response = c.post(url, {"expected_version": matter.version}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("matter_detail", kwargs={"pk": matter.pk})
    matter.refresh_from_db()
    assert matter.state == "accepted"
    page = c.get(reverse("matter_detail", kwargs={"pk": matter.pk})).content.decode()
    assert "已完成：受理。" in page


def test_illegal_action_shows_the_409_message_and_changes_nothing(world: World) -> None:
    matter = register(world)
    events_before = Event.objects.count()
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "reply"})
    response = client_for(world, "handler").post(
        url, {"expected_version": matter.version, "text": "答复"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "事项当前状态为“已登记”，不能进行“书面答复”操作。" in body
    assert "答复" in body  # the user's text is kept in the form
    matter.refresh_from_db()
    assert (matter.state, matter.version, matter.reply_text) == ("registered", 1, "")
    assert Event.objects.count() == events_before


def test_stale_page_is_refused(world: World) -> None:
    matter = register(world)
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "accept"})
    response = client_for(world, "handler").post(url, {"expected_version": matter.version + 1})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == "registered"


def test_not_allowed_action_shows_the_403_message(world: World) -> None:
    matter = register(world)
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "extend"})
    response = client_for(world, "handler").post(
        url, {"expected_version": matter.version, "days": 10, "reason": "x"}
    )
    # extend needs the matter accepted first: the state is checked before the role
    assert response.status_code == 409
    accept = reverse("matter_action", kwargs={"pk": matter.pk, "action": "accept"})
    assert client_for(world, "handler").post(accept, {"expected_version": 1}).status_code == 302
    response = client_for(world, "handler").post(
        url, {"expected_version": 2, "days": 10, "reason": "需要鉴定"}
    )
    assert response.status_code == 403
    assert "您没有对该事项进行“延期”操作的权限。" in response.content.decode()


def test_domain_field_errors_appear_next_to_the_field(world: World) -> None:
    matter = register(world)
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "refuse"})
    response = client_for(world, "handler").post(
        url, {"expected_version": matter.version, "reason": "属于诉讼范围"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["legal_route"] == ["申诉求决类事项必须填写。"]
    matter.refresh_from_db()
    assert matter.state == "registered"


def test_unknown_action_is_404(world: World) -> None:
    matter = register(world)
    url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "close"})
    assert client_for(world, "handler").post(url, {"expected_version": 1}).status_code == 404


# --- personal data -----------------------------------------------------------------------------


def test_reveal_shows_the_petitioner_and_writes_an_event(world: World) -> None:
    matter = register(world)
    response = client_for(world, "handler").post(
        reverse("matter_reveal", kwargs={"pk": matter.pk}), headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三丰" in body and "13812345678" in body and "330102198001011234" in body
    assert "<html" not in body
    event = Event.objects.get(verb="view_personal_data")
    assert (event.target_type, event.target_id, event.actor) == ("matter", matter.pk, world.users["handler"])
    assert 'id="timeline" hx-swap-oob="true"' in body and "查看个人信息" in body


def test_reveal_needs_post(world: World) -> None:
    matter = register(world)
    assert (
        client_for(world, "handler").get(reverse("matter_reveal", kwargs={"pk": matter.pk})).status_code
        == 405
    )
    assert not Event.objects.filter(verb="view_personal_data").exists()


def test_registrar_changes_the_kind_of_handling_from_the_matter_page(world: World) -> None:
    matter = register(world, unit="d1_housing")
    url = reverse("matter_detail", kwargs={"pk": matter.pk})
    registrar = client_for(world, "registrar")
    assert "reclassify" in [name for name, _label, _primary in registrar.get(url).context["actions"]]
    assert "reclassify" not in [name for name, _l, _p in client_for(world, "handler").get(url).context["actions"]]
    action_url = reverse("matter_action", kwargs={"pk": matter.pk, "action": "reclassify"})
    registrar.post(action_url, {"handling_kind": "suggestion", "reason": "实为建议", "expected_version": matter.version})
    matter.refresh_from_db()
    assert matter.handling_kind == "suggestion"
