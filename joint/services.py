"""Tasks (交办任务) and the lead unit's consolidation. Each change runs in a transaction, is checked
against ``rules.ASSIGNMENT_TRANSITIONS`` and recorded as an event on the matter, so it shows on
the matter's timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import OPEN_STATES, State
from matters.models import Matter
from matters.selectors import matters_visible_to
from org.models import Unit, User

from . import rules
from .models import Assignment, AssignmentKind, AssignmentState, Consolidation
from .selectors import assignments_visible_to

# A unit cooperates while the lead unit handles the matter: after acceptance, before the reply.
COOPERATION_STATES = frozenset({State.ACCEPTED, State.EXTENDED})


def snapshot(a: Assignment) -> dict[str, Any]:
    return {"assignment": a.pk, "kind": a.kind, "unit": a.unit_id, "task_state": a.state, "due": a.due.isoformat()}


def check_task(matter: Matter, unit: Unit | None, task: str, due: date | None, now: datetime) -> dict[str, str]:
    """The per-field problems of a task for ``unit``; shared by cooperation and meeting tasks."""
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit_id"] = _("Choose a unit.")
    elif rules.confidentiality_blocks(matter, unit):
        errors["unit_id"] = _("An accusation may go only to a petition office or discipline inspection.")
    if not task.strip():
        errors["task"] = _("Say what the unit must do.")
    if due is None:
        errors["due"] = _("Give the due date.")
    elif due < timezone.localtime(now).date():
        errors["due"] = _("The due date is in the past.")
    return errors


def lock_matter(actor: User, matter_id: int) -> Matter:
    """The matter row, locked: its tasks and consolidation change one at a time."""
    return matters_visible_to(actor).select_for_update(of=("self",)).select_related("handling_unit").get(pk=matter_id)


def assign_cooperation(matter_id: int, *, actor: User, unit_id: int | None, task: str, due: date | None,
                       now: datetime) -> Assignment:
    """The lead unit (or the petition office over it) asks another unit to cooperate (协办)."""
    with transaction.atomic():
        matter = lock_matter(actor, matter_id)
        if not rules.is_lead(actor, matter):
            raise NotAllowed(_("Only the lead unit or the petition office over it assigns cooperating units."))
        if matter.state not in COOPERATION_STATES:
            raise IllegalTransition(_("Cooperating units are assigned while the matter is being handled."))
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        errors = check_task(matter, unit, task, due, now)
        if unit is not None and unit.pk == matter.handling_unit_id:
            errors["unit_id"] = _("The lead unit does not cooperate with itself.")
        elif unit is not None and Assignment.objects.filter(
                matter=matter, unit=unit, kind=AssignmentKind.COOPERATION).exclude(state=AssignmentState.ACCEPTED).exists():
            errors["unit_id"] = _("This unit already has an open task on this matter.")
        if errors:
            raise InvalidInput(_("The task has errors; nothing was saved."), fields=errors)
        assert unit is not None and due is not None
        a = Assignment.objects.create(matter=matter, unit=unit, kind=AssignmentKind.COOPERATION, task=task.strip(),
                                      due=due, assigned_by=actor, assigned_at=now)
        record_event("joint_assign", actor=actor, target=matter, at=now, after={**snapshot(a), "task": a.task})
    return a


def _move(action: str, assignment_id: int, *, actor: User, now: datetime,
          mutate: Callable[[Assignment], None], reason: str = "") -> Assignment:
    move = rules.ASSIGNMENT_TRANSITIONS[action]
    with transaction.atomic():
        if not assignments_visible_to(actor).filter(pk=assignment_id).exists():
            raise Assignment.DoesNotExist
        a = Assignment.objects.select_for_update(of=("self",)).select_related("matter__handling_unit", "unit").get(pk=assignment_id)
        if not rules.may_act(actor, action, a):
            raise NotAllowed(_("The unit that got the task answers it; the side that set it accepts or returns it.")
                             if move.side == rules.Side.ASSIGNING else _("Only the unit that got the task answers it."))
        if not rules.possible(action, a):
            raise IllegalTransition(_("Not possible while the task is %(state)s.") % {"state": a.get_state_display()})
        if a.matter.state not in OPEN_STATES:
            raise IllegalTransition(_("The matter is finished; its tasks are closed."))
        before = snapshot(a)
        mutate(a)
        a.state = move.target
        a.save()
        record_event(f"joint_{action}", actor=actor, target=a.matter, at=now, before=before, after=snapshot(a),
                     reason=reason)
    return a


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput(message, fields={field: message})
    return value.strip()


def answer_assignment(assignment_id: int, *, actor: User, answer: str, now: datetime) -> Assignment:
    text = _required(answer, "answer", _("Say what your unit found and did."))

    def mutate(a: Assignment) -> None:
        a.answer, a.answered_by, a.answered_at = text, actor, now

    return _move("answer", assignment_id, actor=actor, now=now, mutate=mutate, reason=text)


def accept_assignment(assignment_id: int, *, actor: User, now: datetime) -> Assignment:
    def mutate(a: Assignment) -> None:
        a.decided_by, a.decided_at = actor, now

    return _move("accept", assignment_id, actor=actor, now=now, mutate=mutate)


def return_assignment(assignment_id: int, *, actor: User, reason: str, now: datetime) -> Assignment:
    """Not good enough: back to the unit, open again, with the reason."""
    why = _required(reason, "reason", _("Say why the answer is returned."))

    def mutate(a: Assignment) -> None:
        a.return_reason, a.decided_by, a.decided_at = why, actor, now

    return _move("return", assignment_id, actor=actor, now=now, mutate=mutate, reason=why)


def consolidate(matter_id: int, *, actor: User, text: str, now: datetime) -> Consolidation:
    """汇总: the lead unit's answer over every accepted cooperation answer not yet consolidated."""
    with transaction.atomic():
        matter = lock_matter(actor, matter_id)
        if not rules.is_lead(actor, matter):
            raise NotAllowed(_("Only the lead unit consolidates the cooperating units' answers."))
        tasks = Assignment.objects.filter(matter=matter, kind=AssignmentKind.COOPERATION)
        pending = list(tasks.filter(consolidations__isnull=True))
        if not pending:
            raise IllegalTransition(_("There are no cooperating units' answers to consolidate."))
        if any(a.state != AssignmentState.ACCEPTED for a in pending):
            raise IllegalTransition(_("Every cooperating unit's answer must be accepted first."))
        body = _required(text, "text", _("Write the consolidated answer."))
        c = Consolidation.objects.create(matter=matter, text=body, by=actor, at=now)
        c.assignments.set(tasks)
        record_event("joint_consolidate", actor=actor, target=matter, at=now, reason=body,
                     after={"consolidation": c.pk, "assignments": sorted(a.pk for a in tasks)})
    return c
