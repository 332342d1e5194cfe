"""Telling people what happened. Called inside the transaction of the change (so nothing is lost),
never sending there: the worker delivers the outbox after commit (``deliver_pending``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from matters.lifecycle import OPEN_STATES
from matters.models import Matter, grouped_code
from org.models import Role, RoleAssignment, Unit, User

from .gateways import Gateway, configured_gateway
from .models import InboxItem, InboxKind, OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 8
HANDLERS = (Role.HANDLER, Role.UNIT_HEAD)


def staff_of(unit: Unit, roles: Iterable[str]) -> list[User]:
    """The unit's own people with one of ``roles`` over it: a role held at the unit, or held above
    it by someone who works there (a city registrar of the city petition office). Not the
    district head above a bureau: the head hears of it through supervision, not the inbox."""
    parts = unit.path.strip("/").split("/")
    covering = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    ids = RoleAssignment.objects.filter(role__in=list(roles), scope__path__in=covering).filter(
        Q(scope=unit) | Q(user__unit=unit)).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def tell_staff(users: Iterable[User], matter: Matter, kind: str, text: str, *, key: str, now: datetime) -> int:
    """One inbox item per user and key; a repeat of the same key is ignored."""
    made = 0
    for user in users:
        try:
            with transaction.atomic():
                InboxItem.objects.create(user=user, matter=matter, kind=kind, text=text[:300], key=key, created_at=now)
            made += 1
        except IntegrityError:
            continue
    return made


def _petitioner_text(matter: Matter, action: str, details: dict[str, Any]) -> str | None:
    code = grouped_code(matter.query_code)
    texts = {
        "accept": _("Your petition %(code)s was accepted; a written reply follows within 60 days."),
        "refuse": _("Your petition %(code)s was not accepted; the notice gives the reason and the route to take."),
        "forward": _("Your petition %(code)s was sent to %(unit)s, the competent unit."),
        "extend": _("The handling period of your petition %(code)s was extended by %(days)s days."),
        "reply": _("Your petition %(code)s has a written reply; see and rate it with your query code."),
        "decide_review": _("The review decision on your petition %(code)s was made."),
        "decide_re_review": _("The re-review decision on your petition %(code)s was made."),
    }
    text = texts.get(action)
    return text % {"code": code, "unit": details.get("to_unit_name", ""), "days": details.get("days", "")} if text else None


def queue_for_petitioner(matter: Matter, body: str, *, key: str, now: datetime) -> list[OutboxMessage]:
    """An SMS to the phone and an email to the address the petitioner gave, whichever exist."""
    return queue_message(matter.petitioner.phone, matter.petitioner.email, body, key=key, now=now, matter=matter)


def queue_message(phone: str, email: str, body: str, *, key: str, now: datetime,
                  matter: Matter | None = None) -> list[OutboxMessage]:
    """An SMS and an email to whichever of the two is given, once per ``key`` (a proposer of a
    suggestion, say, who has no matter)."""
    queued = []
    for channel, recipient in (("sms", phone), ("email", email)):
        if recipient:
            message, _created = OutboxMessage.objects.get_or_create(
                key=f"{channel}:{key}", defaults={"channel": channel, "recipient": recipient, "body": body,
                                                  "matter": matter, "next_attempt_at": now, "created_at": now},
            )
            queued.append(message)
    return queued


def notify_transition(matter: Matter, action: str, *, now: datetime, details: dict[str, Any],
                      previous_unit: Unit | None) -> None:
    """Staff: a new assignment for the receiving unit, a returned matter for the unit it came back to.
    Petitioner: an SMS for each step the Regulation tells them of."""
    title = matter.title[:60]
    if action == "forward":
        tell_staff(staff_of(matter.handling_unit, HANDLERS), matter, InboxKind.ASSIGNED,
                   _("New matter for your unit: %(title)s") % {"title": title}, key=f"assigned:{matter.pk}:{now.isoformat()}", now=now)
    elif action == "object":
        tell_staff(staff_of(matter.handling_unit, (Role.REGISTRAR, Role.REVIEWER)), matter, InboxKind.RETURNED,
                   _("Returned by %(unit)s as not competent: %(title)s") % {"unit": previous_unit.name if previous_unit else "", "title": title},
                   key=f"returned:{matter.pk}:{now.isoformat()}", now=now)
    body = _petitioner_text(matter, action, details)
    if body:
        queue_for_petitioner(matter, body, key=f"{matter.pk}:{action}:{now.isoformat()}", now=now)


def notify_rating(matter: Matter, level_label: str, *, now: datetime) -> None:
    tell_staff(staff_of(matter.handling_unit, HANDLERS), matter, InboxKind.RATED,
               _("The petitioner rated the reply: %(level)s (%(title)s)") % {"level": level_label, "title": matter.title[:60]},
               key=f"rated:{matter.pk}", now=now)


def notify_due_states(today: date, *, now: datetime) -> int:
    """Due soon: the unit's handlers hear it; overdue: its heads too. Once per matter and deadline."""
    made = 0
    open_matters = Matter.objects.filter(state__in=OPEN_STATES, clock_paused=False, statutory_due__isnull=False)
    for m in open_matters.filter(due_soon_from__lte=today, statutory_due__gte=today).select_related("handling_unit"):
        made += tell_staff(staff_of(m.handling_unit, (Role.HANDLER,)), m, InboxKind.DUE_SOON,
                           _("Due on %(due)s: %(title)s") % {"due": m.statutory_due, "title": m.title[:60]},
                           key=f"due_soon:{m.pk}:{m.statutory_due}", now=now)
    for m in open_matters.filter(statutory_due__lt=today).select_related("handling_unit"):
        made += tell_staff(staff_of(m.handling_unit, HANDLERS), m, InboxKind.OVERDUE,
                           _("Overdue since %(due)s: %(title)s") % {"due": m.statutory_due, "title": m.title[:60]},
                           key=f"overdue:{m.pk}:{m.statutory_due}", now=now)
    return made


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** attempts, 24 * 60))


# How long a claimed message is one worker's. Well above GATEWAY_TIMEOUT (a gateway returns or raises
# within it) plus the two short transactions around the call: a lease that ran out under a worker
# that is merely slow would let a second worker hand the same message over while the first is still
# waiting for its answer. Not much longer than that, because a message claimed by a worker that was
# killed waits out the lease before anyone sends it; ten minutes is within the first retry backoffs.
LEASE = timedelta(minutes=10)


def _due(now: datetime) -> Q:
    """Pending and due, or sending under a lease that has run out (its worker died, or hung past it)."""
    return Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=now)


def claim(pk: int, *, now: datetime, lease: timedelta = LEASE) -> OutboxMessage | None:
    """Make one due message this worker's, in its own committed transaction, or None when it is no
    longer due or another worker holds it. Reclaiming counts as an attempt: a message that kills
    every worker that sends it stops after MAX_ATTEMPTS like one that fails."""
    with transaction.atomic():
        # skip_locked: a row another worker is claiming right now is theirs, not worth waiting for.
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(_due(now), pk=pk).first()
        if message is None:
            return None
        if message.status == OutboxStatus.SENDING and message.attempts >= MAX_ATTEMPTS:
            # The last attempt's worker died with it: whether the provider got it is unknown (its key
            # tells it if asked). Kept, as a failure is.
            message.status = OutboxStatus.GAVE_UP
            message.last_error = f"lease expired during attempt {message.attempts}; no worker recorded its outcome"
            message.save(update_fields=["status", "last_error"])
            return None
        message.status, message.claimed_at = OutboxStatus.SENDING, now
        message.attempts += 1
        message.next_attempt_at = now + lease
        message.save(update_fields=["status", "claimed_at", "attempts", "next_attempt_at"])
    return message


def record(message: OutboxMessage, *, now: datetime, error: Exception | None) -> bool:
    """Write down what the gateway said, in a second short transaction. Only while the claim is still
    ours (status SENDING, our attempt number): once the lease has run out and another worker has
    claimed the row, its outcome is the one that counts; ours changes nothing, and the provider has
    dropped whichever of the two hand-overs came second by the key. False when the claim was lost."""
    if error is None:
        changes: dict[str, Any] = {"status": OutboxStatus.SENT, "sent_at": now, "last_error": ""}
    else:
        changes = {"last_error": f"{type(error).__name__}: {error}"[:2000], "next_attempt_at": now + _backoff(message.attempts),
                   "status": OutboxStatus.GAVE_UP if message.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING}
    with transaction.atomic():
        held = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts).update(**changes)
    return held == 1


def deliver_pending(*, now: datetime, gateway: Gateway | None = None, limit: int = 200,
                    lease: timedelta = LEASE) -> tuple[int, int]:
    """Send what is due, one message at a time: claim it (committed: SENDING, attempts + 1, leased),
    hand it to the gateway outside any transaction, record the outcome. Returns (sent, failed this
    round). A failure waits 2, 4, 8… minutes; after MAX_ATTEMPTS the message is given up and stays in
    the table with its last error.

    A worker killed between the hand-over and the record leaves the row SENDING; once the lease ends
    the next round sends it again, with the same ``key``, which the provider uses to deliver it once
    (the gateway contract). No transaction is open during the call, so no row lock waits on the
    network and the database never has to hold the fate of a message it cannot roll back."""
    gateway = gateway or configured_gateway()
    started = time.monotonic()
    ids = list(OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    sent = failed = 0
    for pk in ids:
        # Every claim of the round is dated ``now``, so its lease counts from the round's start: the
        # round stops claiming after a quarter of the lease, leaving the last hand-over (at most
        # GATEWAY_TIMEOUT) well inside its lease. The rest waits for the next round.
        if time.monotonic() - started > lease.total_seconds() / 4:
            break
        message = claim(pk, now=now, lease=lease)
        if message is None:
            continue
        try:
            gateway.send(message)
        except Exception as err:  # noqa: BLE001 - any gateway failure is retried, and recorded
            record(message, now=now, error=err)
            failed += 1
        else:
            record(message, now=now, error=None)
            sent += 1
    return sent, failed


def mark_read(user: User, *, now: datetime) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
