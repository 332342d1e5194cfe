"""Claim, send, record: what a killed worker leaves behind, leases between workers, the key handed to
the provider so that a repeated hand-over is delivered once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction

from matters.tests.journeys import act, register
from notify import services
from notify.gateways import EmailGateway, FileGateway, message_id
from notify.models import OutboxMessage, OutboxStatus
from notify.services import LEASE, MAX_ATTEMPTS, claim, deliver_pending, queue_message, record
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


class Provider:
    """A provider that honours the contract: every hand-over is a call, a key is delivered once."""

    def __init__(self, fail: int = 0) -> None:
        self.calls: list[str] = []
        self.delivered: Counter[str] = Counter()
        self.fail = fail
        self.in_transaction: list[bool] = []

    def send(self, message: OutboxMessage) -> None:
        self.calls.append(message.key)
        self.in_transaction.append(connection.in_atomic_block)
        if self.fail:
            self.fail -= 1
            raise TimeoutError("no answer from the SMS platform")
        if message.key not in self.delivered:
            self.delivered[message.key] += 1


class Killed(BaseException):
    """kill -9 as far as the worker's code is concerned: nothing after it runs, no handler catches it."""


def accepted_sms(world: World) -> OutboxMessage:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    return OutboxMessage.objects.get(matter=m, channel="sms")


def queued_sms(world: World) -> OutboxMessage:
    """No accept, so no notice from a seeded template: the transactional tests' flush removes those."""
    m = register(world)
    [message] = queue_message("13812345678", "", "您的信访事项已受理。", key=f"{m.pk}:test", now=at(2026, 3, 4), matter=m)
    return message


def test_a_kill_between_send_and_record_resends_after_the_lease_with_the_same_key(world: World, monkeypatch) -> None:
    message = accepted_sms(world)
    provider, now = Provider(), at(2026, 3, 4, 12)

    def killed(*args: object, **kwargs: object) -> bool:
        raise Killed

    monkeypatch.setattr(services, "record", killed)
    with pytest.raises(Killed):
        deliver_pending(now=now, gateway=provider)
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING and message.attempts == 1 and message.claimed_at == now
    assert provider.calls == [message.key]

    # A restarted worker leaves it alone while the dead one's lease lasts…
    assert deliver_pending(now=now + LEASE - timedelta(seconds=1), gateway=provider) == (0, 0)
    # …and then hands it over again, under the same key, which the provider has delivered already.
    assert deliver_pending(now=now + LEASE, gateway=provider) == (1, 0)
    assert provider.calls == [message.key, message.key]
    assert provider.delivered == {message.key: 1}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2 and message.sent_at is not None


def test_a_claimed_message_is_not_taken_by_another_worker_before_its_lease_ends(world: World) -> None:
    message = accepted_sms(world)
    now = at(2026, 3, 4, 12)
    mine = claim(message.pk, now=now)
    assert mine is not None and mine.status == OutboxStatus.SENDING
    other = Provider()
    assert claim(message.pk, now=now) is None
    assert deliver_pending(now=now + LEASE - timedelta(seconds=1), gateway=other) == (0, 0)
    assert other.calls == []

    # Past the lease the second worker claims it; the first, slow but alive, then records too late:
    # its record changes nothing and the second worker's outcome stands.
    theirs = claim(message.pk, now=now + LEASE)
    assert theirs is not None and theirs.attempts == 2
    assert record(mine, now=now + LEASE, error=None) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING and message.attempts == 2
    assert record(theirs, now=now + LEASE, error=TimeoutError("no answer")) is True
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and "no answer" in message.last_error


def test_a_failure_schedules_the_retry_and_gives_up_after_max_attempts(world: World) -> None:
    message = accepted_sms(world)
    provider, now = Provider(fail=MAX_ATTEMPTS), at(2026, 3, 4, 12)
    assert deliver_pending(now=now, gateway=provider) == (0, 1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(minutes=2)
    for _ in range(MAX_ATTEMPTS - 1):
        now = message.next_attempt_at
        assert deliver_pending(now=now, gateway=provider) == (0, 1)
        message.refresh_from_db()
    assert message.status == OutboxStatus.GAVE_UP and message.attempts == MAX_ATTEMPTS
    assert "TimeoutError" in message.last_error
    assert deliver_pending(now=now + timedelta(days=30), gateway=provider) == (0, 0)
    assert len(provider.calls) == MAX_ATTEMPTS and not provider.delivered


def test_a_sending_row_past_its_lease_on_the_last_attempt_is_given_up_not_sent_again(world: World) -> None:
    message = accepted_sms(world)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    now = at(2026, 3, 4, 12)
    assert claim(message.pk, now=now) is not None  # the last attempt; its worker dies
    provider = Provider()
    assert deliver_pending(now=now + LEASE, gateway=provider) == (0, 0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.GAVE_UP and "lease expired" in message.last_error
    assert provider.calls == []


def test_a_message_queued_for_a_dead_workers_claim_is_reclaimed_even_if_never_handed_over(world: World) -> None:
    message = accepted_sms(world)
    now = at(2026, 3, 4, 12)
    assert claim(message.pk, now=now) is not None  # killed before the gateway call
    provider = Provider()
    assert deliver_pending(now=now + LEASE + timedelta(minutes=1), gateway=provider) == (1, 0)
    assert provider.calls == [message.key]


@pytest.mark.django_db(transaction=True)
def test_the_gateway_is_called_with_no_transaction_open_and_the_claim_committed(world: World) -> None:
    queued_sms(world)
    seen: list[str] = []

    class Looking(Provider):
        def send(self, m: OutboxMessage) -> None:
            super().send(m)
            # With no transaction open this is committed: what every other worker sees during the call.
            seen.append(OutboxMessage.objects.get(pk=m.pk).status)

    provider = Looking()
    assert deliver_pending(now=at(2026, 3, 4, 12), gateway=provider) == (1, 0)
    assert provider.in_transaction == [False]
    assert seen == [OutboxStatus.SENDING]


@pytest.mark.django_db(transaction=True)
def test_a_row_being_claimed_by_another_worker_is_skipped_not_waited_for(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: its IMMEDIATE transactions take turns on the whole database")
    message = queued_sms(world)
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    t = threading.Thread(target=other_worker)
    t.start()
    try:
        assert locked.wait(10)
        assert claim(message.pk, now=at(2026, 3, 4, 12)) is None
    finally:
        release.set()
        t.join()
    assert claim(message.pk, now=at(2026, 3, 4, 12)) is not None


def test_the_email_gateway_sets_message_id_from_the_key(world: World, settings, tmp_path) -> None:
    from matters import services as ms

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_FILE = tmp_path / "sms.jsonl"
    settings.DEFAULT_FROM_EMAIL = "信访局 <noreply@xinfang.example.cn>"
    data = ms.RegistrationData(channel="visit", title="噪音扰民", content="夜间施工。",
                               petitioner=ms.PetitionerData(name="王五", phone="13812345678", email="wang@example.com"),
                               handling_unit_id=world.units["d1_housing"].pk)
    m = ms.register_matter(data, actor=world.users["registrar"], now=at(2026, 3, 2))
    act(world, m, "accept", "handler", (2026, 3, 4))
    email = OutboxMessage.objects.get(matter=m, channel="email")
    assert deliver_pending(now=at(2026, 3, 4, 12), gateway=EmailGateway()) == (2, 0)
    [sent] = mail.outbox
    assert sent.to == ["wang@example.com"]
    assert sent.message()["Message-ID"] == message_id(email)
    assert message_id(email).startswith("<email%3A") and message_id(email).endswith("@xinfang.example.cn>")
    assert ":" not in message_id(email).split("@")[0]
    # The SMS went to the SMS side (here the file), not by email.
    assert len(settings.NOTIFY_FILE.read_text(encoding="utf-8").splitlines()) == 1


def test_message_ids_of_different_keys_differ(world: World) -> None:
    a = OutboxMessage(key="email:1:accept:2026-03-04T12:00:00+08:00")
    b = OutboxMessage(key="email:1:accept:2026-03-04T12:00:00 08:00")
    assert message_id(a) != message_id(b)


def test_the_file_gateway_writes_a_repeated_key_once(world: World, settings, tmp_path) -> None:
    settings.NOTIFY_FILE = tmp_path / "outbox.jsonl"
    message = accepted_sms(world)
    FileGateway().send(message)
    FileGateway().send(message)  # a restarted worker, after a crash before the record
    other = OutboxMessage(key="sms:other", channel="sms", recipient="13900000000", body="…")
    FileGateway().send(other)
    lines = settings.NOTIFY_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


def test_the_bench_provider_records_every_call_and_delivers_each_key_once(world: World, monkeypatch, tmp_path) -> None:
    from bench.gateways import RecordingGateway, read_lines

    monkeypatch.setenv("XINFANG_BENCH_DELIVERIES", str(tmp_path / "deliveries.jsonl"))
    monkeypatch.setenv("XINFANG_BENCH_CALLS", str(tmp_path / "calls.jsonl"))
    monkeypatch.setenv("XINFANG_BENCH_GATEWAY_DELAY_MS", "0")
    message = accepted_sms(world)
    RecordingGateway().send(message)
    RecordingGateway().send(message)  # the restarted worker's instance, which has read nothing yet
    RecordingGateway().send(OutboxMessage(key="sms:other", channel="sms"))
    assert [c["key"] for c in read_lines(tmp_path / "calls.jsonl")] == [message.key, message.key, "sms:other"]
    assert [d["key"] for d in read_lines(tmp_path / "deliveries.jsonl")] == [message.key, "sms:other"]
