"""Inbox for staff, outbox for petitioners: written with the change, delivered after, retried."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from matters.tests.journeys import act, register
from notify.gateways import FileGateway
from notify.models import InboxItem, InboxKind, OutboxMessage, OutboxStatus
from notify.services import MAX_ATTEMPTS, deliver_pending, notify_due_states
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


class FlakyGateway:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[str] = []

    def send(self, message: OutboxMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("SMS gateway unreachable")
        self.sent.append(message.key)


def test_forwarding_tells_the_receiving_units_handlers_and_head_only(world: World) -> None:
    m = register(world, unit="city_office")
    act(world, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    told = set(InboxItem.objects.filter(kind=InboxKind.ASSIGNED).values_list("user__username", flat=True))
    assert told == {"handler", "housing_head"}


def test_an_objection_tells_the_unit_the_matter_returns_to(world: World) -> None:
    m = register(world, unit="city_office")
    act(world, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    act(world, m, "object", "handler", (2026, 3, 4), reason="不属本单位职责")
    items = InboxItem.objects.filter(kind=InboxKind.RETURNED)
    assert set(items.values_list("user__username", flat=True)) == {"registrar", "reviewer"}
    assert all("d1区住建局" in item.text for item in items)


def test_acceptance_queues_an_sms_to_the_petitioner_encrypted_at_rest(world: World) -> None:
    m = register(world, phone="13812345678")
    act(world, m, "accept", "handler", (2026, 3, 4))
    message = OutboxMessage.objects.get(matter=m)
    assert message.recipient == "13812345678" and message.status == OutboxStatus.PENDING
    assert m.query_code[:5] in message.body
    with connection.cursor() as cur:
        cur.execute("SELECT recipient FROM notify_outboxmessage WHERE id = %s", [message.pk])
        assert "13812345678" not in cur.fetchone()[0]


def test_a_failed_send_is_retried_later_and_sent_once(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    gateway = FlakyGateway(failures=1)
    now = at(2026, 3, 4, 12)
    assert deliver_pending(now=now, gateway=gateway) == (0, 1)
    message = OutboxMessage.objects.get(matter=m)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1 and "unreachable" in message.last_error
    assert deliver_pending(now=now, gateway=gateway) == (0, 0)  # not due again yet
    assert deliver_pending(now=now + timedelta(minutes=3), gateway=gateway) == (1, 0)
    assert deliver_pending(now=now + timedelta(hours=1), gateway=gateway) == (0, 0)
    assert gateway.sent == [message.key]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_message_that_keeps_failing_is_given_up_but_kept(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    gateway = FlakyGateway(failures=100)
    now = at(2026, 3, 4, 12)
    for _ in range(MAX_ATTEMPTS):
        deliver_pending(now=now, gateway=gateway)
        now += timedelta(days=2)
    message = OutboxMessage.objects.get(matter=m)
    assert message.status == OutboxStatus.GAVE_UP and message.attempts == MAX_ATTEMPTS


def test_the_file_gateway_writes_one_line_per_message(world: World, settings, tmp_path) -> None:
    settings.NOTIFY_FILE = tmp_path / "outbox.jsonl"
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    deliver_pending(now=at(2026, 3, 4, 12), gateway=FileGateway())
    [line] = settings.NOTIFY_FILE.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == "13812345678"


def test_due_soon_and_overdue_are_told_once_each(world: World) -> None:
    m = register(world, day=(2026, 3, 2))  # acceptance due 17 March
    assert notify_due_states(at(2026, 3, 15).date(), now=at(2026, 3, 15)) == 1
    assert notify_due_states(at(2026, 3, 16).date(), now=at(2026, 3, 16)) == 0
    assert InboxItem.objects.get(kind=InboxKind.DUE_SOON).user.username == "handler"
    assert notify_due_states(at(2026, 3, 20).date(), now=at(2026, 3, 20)) == 2
    assert set(InboxItem.objects.filter(kind=InboxKind.OVERDUE, matter=m).values_list("user__username", flat=True)) == {
        "handler", "housing_head"}


def test_the_inbox_shows_only_ones_own_items(world: World) -> None:
    m = register(world, unit="city_office")
    act(world, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    own, other = Client(), Client()
    own.force_login(world.users["handler"])
    other.force_login(world.users["d2_handler"])
    assert m.title in own.get(reverse("inbox")).content.decode()
    assert m.title not in other.get(reverse("inbox")).content.decode()
    own.post(reverse("inbox_read_all"))
    assert not InboxItem.objects.filter(user=world.users["handler"], read_at__isnull=True).exists()


def test_a_rating_tells_the_handling_unit(world: World) -> None:
    from portal.services import rate_reply

    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    act(world, m, "reply", "handler", (2026, 3, 20), text="答复如下。")
    rate_reply(m.pk, level="dissatisfied", comment="", now=at(2026, 3, 21))
    assert set(InboxItem.objects.filter(kind=InboxKind.RATED).values_list("user__username", flat=True)) == {
        "handler", "housing_head"}


def test_a_petitioner_with_an_email_gets_both_sms_and_email(world: World) -> None:
    from matters import services as ms

    data = ms.RegistrationData(channel="visit", title="噪音扰民", content="夜间施工。",
                               petitioner=ms.PetitionerData(name="王五", phone="13812345678", email="wang@example.com"),
                               handling_unit_id=world.units["d1_housing"].pk)
    m = ms.register_matter(data, actor=world.users["registrar"], now=at(2026, 3, 2))
    act(world, m, "accept", "handler", (2026, 3, 4))
    channels = dict(OutboxMessage.objects.filter(matter=m).values_list("channel", "recipient"))
    assert channels == {"sms": "13812345678", "email": "wang@example.com"}
