"""Supervision orders and automatic escalation. Each change runs in a transaction, under a row
lock, checked against ORDER_TRANSITIONS, and recorded as an event on the order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import selectors as matter_selectors
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import OPEN_STATES
from matters.models import Matter
from notify.models import InboxKind
from notify.services import HANDLERS, notify_due_states, staff_of, tell_staff
from org.models import Role, Unit, UnitKind, User
from org.scope import holds_role_over

from .models import OrderKind, OrderState, Recommendation, SupervisionOrder, SupervisionPolicy
from .selectors import orders_visible_to

S = OrderState
# action: (states it may start from, state it leads to, who: the supervising side, the handling
# side, or the system's escalation job)
ORDER_TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "answer": (frozenset({S.OPEN, S.RETURNED}), S.ANSWERED, "handling"),
    "return": (frozenset({S.ANSWERED}), S.RETURNED, "supervising"),
    "accept": (frozenset({S.ANSWERED}), S.CLOSED, "supervising"),
    "escalate": (frozenset({S.OPEN, S.RETURNED}), S.ESCALATED, "system"),
}
OPEN_ORDER_STATES = frozenset({S.OPEN, S.RETURNED, S.ANSWERED})
# An overdue order goes up a level and up a kind.
NEXT_KIND = {OrderKind.REMINDER: OrderKind.SUPERVISION, OrderKind.SUPERVISION: OrderKind.LISTED,
             OrderKind.LISTED: OrderKind.LISTED, OrderKind.ON_SITE: OrderKind.LISTED}


def _local(now: datetime) -> date:
    return timezone.localtime(now).date()


def supervising_office_for(unit: Unit) -> Unit | None:
    """The nearest petition office above ``unit``: under its parent, else under the grandparent…"""
    ancestor = unit.parent
    while ancestor is not None:
        office = Unit.objects.filter(parent=ancestor, kind=UnitKind.PETITION_OFFICE).exclude(pk=unit.pk).first()
        if office is not None:
            return office
        ancestor = ancestor.parent
    return None


def _snapshot(order: SupervisionOrder) -> dict[str, Any]:
    return {"state": order.state, "kind": order.kind, "due": order.due.isoformat(),
            "handling_unit": order.handling_unit_id, "supervising_unit": order.supervising_unit_id}


def _notify_issue(order: SupervisionOrder, now: datetime) -> None:
    for matter in order.matters.all():
        tell_staff(staff_of(order.handling_unit, HANDLERS), matter, InboxKind.SUPERVISION,
                   _("%(kind)s: %(requirement)s") % {"kind": order.get_kind_display(), "requirement": order.requirement[:200]},
                   key=f"order:{order.pk}:{matter.pk}", now=now)


def issue_order(*, actor: User, matter_ids: list[int], kind: str, requirement: str, due: date, now: datetime,
                suggestion: str = "") -> SupervisionOrder:
    """督办单 over one matter or several of one handling unit, from the supervisor's own unit."""
    errors: dict[str, str] = {}
    if kind not in OrderKind.values:
        errors["kind"] = _("Unknown kind of order.")
    if not requirement.strip():
        errors["requirement"] = _("Say what the handling unit must do.")
    if due < _local(now):
        errors["due"] = _("The due date is in the past.")
    if not matter_ids:
        errors["matter_ids"] = _("Choose at least one matter.")
    if errors:
        raise InvalidInput(_("The order has errors; nothing was saved."), fields=errors)
    matters = list(matter_selectors.matters_visible_to(actor).filter(pk__in=matter_ids, state__in=OPEN_STATES)
                   .select_related("handling_unit"))
    if len(matters) != len(set(matter_ids)):
        raise Matter.DoesNotExist("a matter is not open or not in your scope")
    units = {m.handling_unit_id for m in matters}
    if len(units) != 1:
        raise InvalidInput(_("One order goes to one handling unit."), fields={"matter_ids": _("Matters of several units.")})
    handling_unit = matters[0].handling_unit
    if actor.unit is None or not holds_role_over(actor, handling_unit, [Role.SUPERVISOR]):
        raise NotAllowed(_("Only a supervisor over the handling unit may issue an order."))
    with transaction.atomic():
        order = SupervisionOrder.objects.create(
            kind=kind, supervising_unit=actor.unit, handling_unit=handling_unit, requirement=requirement.strip(),
            suggestion=suggestion.strip(), due=due, created_by=actor, created_at=now)
        order.matters.set(matters)
        record_event("issue_order", actor=actor, target=order, at=now,
                     after={**_snapshot(order), "matters": [m.pk for m in matters]})
        _notify_issue(order, now)
    return order


def _act(action: str, order_id: int, *, actor: User | None, now: datetime, mutate: Any,
         expected_version: int | None = None, reason: str = "") -> SupervisionOrder:
    sources, target, side = ORDER_TRANSITIONS[action]
    with transaction.atomic():
        base = SupervisionOrder.objects.all() if actor is None else orders_visible_to(actor)
        order = base.select_for_update(of=("self",)).get(pk=order_id)
        if order.state not in sources:
            raise IllegalTransition(_("Not possible while the order is %(state)s.") % {"state": order.get_state_display()})
        if side == "handling" and not (actor and holds_role_over(actor, order.handling_unit, HANDLERS)):
            raise NotAllowed(_("Only the handling unit answers an order."))
        if side == "supervising" and not (actor and holds_role_over(actor, order.supervising_unit, [Role.SUPERVISOR])):
            raise NotAllowed(_("Only a supervisor of the supervising unit decides on the answer."))
        if side == "system" and actor is not None:
            raise NotAllowed(_("Only the escalation job escalates orders."))
        if expected_version is not None and expected_version != order.version:
            raise IllegalTransition(_("Someone else changed this order since you opened it; reload and try again."))
        before = _snapshot(order)
        details = mutate(order) or {}
        order.state = target
        order.version += 1
        if target == S.CLOSED:
            order.closed_at = now
        order.save()
        record_event(f"{action}_order", actor=actor, target=order, at=now, before=before,
                     after={**_snapshot(order), **details}, reason=reason)
    return order


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput(message, fields={field: message})
    return value.strip()


def answer_order(order_id: int, *, actor: User, now: datetime, answer: str, evidence: str = "",
                 expected_version: int | None = None) -> SupervisionOrder:
    """The handling unit says what it did, with its evidence."""
    text = _required(answer, "answer", _("Say what your unit did."))

    def mutate(order: SupervisionOrder) -> None:
        order.answer, order.evidence = text, evidence.strip()

    return _act("answer", order_id, actor=actor, now=now, mutate=mutate, expected_version=expected_version)


def return_order(order_id: int, *, actor: User, now: datetime, reason: str, due: date | None = None) -> SupervisionOrder:
    """Not good enough: back to the handling unit, with the reason and optionally a new due date."""
    why = _required(reason, "reason", _("Say why the answer is returned."))

    def mutate(order: SupervisionOrder) -> dict[str, Any]:
        if due is not None:
            order.due = due
        return {"reason": why}

    return _act("return", order_id, actor=actor, now=now, mutate=mutate, reason=why)


def accept_order(order_id: int, *, actor: User, now: datetime, result: str, feedback: str,
                 recommendation: str = "") -> SupervisionOrder:
    """Closes the loop: every order ends with a result and feedback (有结果、有反馈)."""
    res = _required(result, "result", _("Record the result."))
    fb = _required(feedback, "feedback", _("Record the feedback."))
    if recommendation not in Recommendation.values:
        raise InvalidInput(_("Unknown recommendation."), fields={"recommendation": _("Unknown recommendation.")})

    def mutate(order: SupervisionOrder) -> None:
        if not order.suggestion:
            raise InvalidInput(_("The order has no suggestion yet; an order closes with a suggestion, a result and feedback."),
                               fields={"suggestion": _("Required before closing.")})
        order.result, order.feedback, order.recommendation = res, fb, recommendation

    return _act("accept", order_id, actor=actor, now=now, mutate=mutate)


def _open_auto_order(*, key: str, kind: str, matter: Matter, supervising: Unit, requirement: str, suggestion: str,
                     due: date, now: datetime, escalated_from: SupervisionOrder | None = None) -> SupervisionOrder | None:
    """Opens the order named ``key`` unless it exists: the unique key makes a second run, or one
    overlapping this one, create nothing."""
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                kind=kind, supervising_unit=supervising, handling_unit=matter.handling_unit, requirement=requirement,
                suggestion=suggestion, due=due, auto_key=key, created_at=now, escalated_from=escalated_from)
            order.matters.add(matter)
            record_event("issue_order", actor_label="system", target=order, at=now,
                         after={**_snapshot(order), "matters": [matter.pk], "auto_key": key})
            _notify_issue(order, now)
            return order
    except IntegrityError:
        return None


@dataclass
class EscalationReport:
    told: int = 0
    reminders: int = 0
    supervisions: int = 0
    escalated: int = 0


def run_escalation(*, now: datetime) -> EscalationReport:
    """The automatic escalation of §6 (policy): due soon tells the handler; overdue tells the unit
    head and opens a reminder; overdue by more than N days opens a supervision order; an order
    overdue itself goes up a level. Idempotent: every order it opens has a unique key."""
    today = _local(now)
    policy = SupervisionPolicy.current()
    report = EscalationReport(told=notify_due_states(today, now=now))
    due = today + timedelta(days=policy.order_due_days)
    overdue = Matter.objects.filter(state__in=OPEN_STATES, clock_paused=False, statutory_due__lt=today)
    for m in overdue.select_related("handling_unit").iterator():
        assert m.statutory_due is not None
        supervising = supervising_office_for(m.handling_unit)
        if supervising is None:
            continue
        days_over = (today - m.statutory_due).days
        if _open_auto_order(key=f"auto:reminder:{m.pk}:{m.statutory_due}", kind=OrderKind.REMINDER, matter=m,
                            supervising=supervising, due=due, now=now,
                            requirement=_("Overdue since %(due)s: act on it and report.") % {"due": m.statutory_due},
                            suggestion=_("Decide or reply without further delay.")):
            report.reminders += 1
        if days_over > policy.supervise_after_days and _open_auto_order(
                key=f"auto:supervision:{m.pk}:{m.statutory_due}", kind=OrderKind.SUPERVISION, matter=m,
                supervising=supervising, due=due, now=now,
                requirement=_("Overdue by %(days)d days: report what was done and when it will be finished.") % {"days": days_over},
                suggestion=_("Name the person responsible and a date.")):
            report.supervisions += 1
    report.escalated = escalate_overdue_orders(now=now)
    return report


def escalate_overdue_orders(*, now: datetime) -> int:
    """An order not answered by its due date goes to the next level up, one kind stronger."""
    today = _local(now)
    policy = SupervisionPolicy.current()
    escalated = 0
    for order_id in SupervisionOrder.objects.filter(state__in=[S.OPEN, S.RETURNED], due__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            order = SupervisionOrder.objects.select_for_update(skip_locked=True).filter(
                pk=order_id, state__in=[S.OPEN, S.RETURNED], due__lt=today).first()
            if order is None:
                continue  # another run has it, or it was answered meanwhile
            above = supervising_office_for(order.supervising_unit) or order.supervising_unit
            matter = order.matters.first()
            if matter is None:
                continue
            _act("escalate", order.pk, actor=None, now=now, mutate=lambda o, to=above.pk: {"to_unit": to})
            new = _open_auto_order(
                key=f"escalate:{order.pk}", kind=NEXT_KIND[OrderKind(order.kind)], matter=matter, supervising=above,
                due=today + timedelta(days=policy.order_due_days), now=now, escalated_from=order,
                requirement=_("Not answered by %(due)s: %(requirement)s") % {"due": order.due, "requirement": order.requirement},
                suggestion=order.suggestion)
            if new is not None:
                new.matters.set(order.matters.all())
                escalated += 1
    return escalated
