"""The board, an order's page and its forms, as a supervisor and a handler use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matters.tests.journeys import register
from supervision.models import OrderState, SupervisionOrder
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def _client(world: World, user: str) -> Client:
    c = Client()
    c.force_login(world.users[user])
    return c


def test_a_supervisor_issues_from_the_matter_page_and_the_handler_answers(world: World) -> None:
    m = register(world)
    sup = _client(world, "supervisor")
    page = sup.get(reverse("matter_detail", kwargs={"pk": m.pk})).content.decode()
    assert reverse("supervision_issue", args=[m.pk]) in page
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    r = sup.post(reverse("supervision_issue", args=[m.pk]),
                 {"kind": "supervision", "requirement": "三日内答复", "suggestion": "电话联系信访人", "due": due})
    order = SupervisionOrder.objects.get()
    assert r["Location"] == reverse("supervision_order", args=[order.pk])
    handler = _client(world, "handler")
    assert "三日内答复" in handler.get(reverse("supervision_order", args=[order.pk])).content.decode()
    r = handler.post(reverse("supervision_order_action", args=[order.pk, "answer"]), {"answer": "已电话联系"})
    assert r.status_code == 302
    r = sup.post(reverse("supervision_order_action", args=[order.pk, "accept"]),
                 {"result": "已答复", "feedback": "满意", "recommendation": ""})
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED


def test_the_handler_sees_no_issue_form_and_cannot_accept(world: World) -> None:
    m = register(world)
    handler = _client(world, "handler")
    assert reverse("supervision_issue", args=[m.pk]) not in handler.get(reverse("matter_detail", kwargs={"pk": m.pk})).content.decode()
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    _client(world, "supervisor").post(reverse("supervision_issue", args=[m.pk]),
                                      {"kind": "reminder", "requirement": "催办", "suggestion": "s", "due": due})
    order = SupervisionOrder.objects.get()
    handler.post(reverse("supervision_order_action", args=[order.pk, "answer"]), {"answer": "已办"})
    r = handler.post(reverse("supervision_order_action", args=[order.pk, "accept"]), {"result": "r", "feedback": "f"})
    assert r.status_code == 403


def test_orders_of_other_units_are_404(world: World) -> None:
    m = register(world)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    _client(world, "supervisor").post(reverse("supervision_issue", args=[m.pk]),
                                      {"kind": "reminder", "requirement": "催办", "suggestion": "s", "due": due})
    order = SupervisionOrder.objects.get()
    assert _client(world, "d2_handler").get(reverse("supervision_order", args=[order.pk])).status_code == 404
    board = _client(world, "d2_handler").get(reverse("supervision_board")).content.decode()
    assert f"#{order.pk}" not in board


def test_the_board_counts_orders_and_lists_overdue_matters_by_unit(world: World) -> None:
    register(world, day=(2026, 3, 2))  # long overdue
    body = _client(world, "supervisor").get(reverse("supervision_board")).content.decode()
    assert "d1区住建局" in body and f"unit={world.units['d1_housing'].pk}" in body


def test_leader_ownership_from_the_matter_page_to_my_cases(world: World) -> None:
    m = register(world)
    sup = _client(world, "supervisor")
    page = sup.get(reverse("matter_detail", kwargs={"pk": m.pk})).content.decode()
    assert reverse("supervision_assign_leader", args=[m.pk]) in page
    r = sup.post(reverse("supervision_assign_leader", args=[m.pk]), {
        "leader_id": world.users["leader"].pk, "member_ids": [world.users["handler"].pk], "plan": "先调查，后协调"})
    case_url = r["Location"]
    leader = _client(world, "leader")
    assert m.title in leader.get(reverse("supervision_my_cases")).content.decode()
    handler = _client(world, "handler")
    assert handler.post(case_url + "/progress", {"text": "已约谈"}).status_code == 302
    assert "已约谈" in leader.get(case_url).content.decode()
    assert _client(world, "d2_handler").get(case_url).status_code == 404


def test_a_backlog_case_from_listing_to_signed_off_dossier(world: World) -> None:
    m = register(world)
    sup = _client(world, "supervisor")
    r = sup.post(reverse("supervision_list_backlog", args=[m.pk]), {"source": "handed_down", "reason": "上级交办积案"})
    entry_url = r["Location"]
    handler = _client(world, "handler")
    assert handler.post(entry_url + "/progress", {"text": "已召开听证会"}).status_code == 302
    assert handler.post(entry_url + "/request", {"evidence": ""}).status_code == 422
    assert handler.post(entry_url + "/request", {"evidence": "听证意见书"}).status_code == 302
    assert handler.post(entry_url + "/approve").status_code == 403
    assert sup.post(entry_url + "/approve").status_code == 302
    assert m.title in sup.get(reverse("supervision_backlog")).content.decode()
    pdf = sup.get(entry_url + "/dossier.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_booking_a_reception_from_the_matter_page(world: World) -> None:
    from supervision.models import ReceptionBooking

    start = timezone.localtime() + timedelta(days=3)
    leader = _client(world, "leader")
    leader.post(reverse("supervision_reception_publish"), {
        "leader_id": world.users["leader"].pk, "kind": "reception", "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00"), "place": "接待室", "capacity": "2"})
    m = register(world)
    registrar = _client(world, "registrar")
    page = registrar.get(reverse("matter_detail", kwargs={"pk": m.pk})).content.decode()
    assert reverse("supervision_reception_book", args=[m.pk]) in page
    slot = world.users["leader"].reception_slots.get()
    registrar.post(reverse("supervision_reception_book", args=[m.pk]), {"slot_id": slot.pk})
    booking = ReceptionBooking.objects.get()
    assert "接待室" in leader.get(reverse("supervision_reception")).content.decode()
    leader.post(reverse("supervision_reception_outcome", args=[booking.pk]), {"outcome": "已当面答复"})
    booking.refresh_from_db()
    assert booking.outcome == "已当面答复"


def test_the_board_counts_visits_beyond_the_proper_level_per_unit(world: World) -> None:
    from matters.models import Matter

    m = register(world)
    Matter.objects.filter(pk=m.pk).update(is_above_level=True, is_to_capital=True, registered_at=timezone.now())
    body = _client(world, "supervisor").get(reverse("supervision_board")).content.decode()
    assert "越级" in body or "beyond the proper level" in body
    from supervision.selectors import above_level_by_unit

    [row] = above_level_by_unit(world.users["supervisor"], timezone.localdate() - timedelta(days=90))
    assert (row["handling_unit__name"], row["above"], row["capital"]) == ("d1区住建局", 1, 1)
