"""Domain objects → response schemas. Personal data leaves only masked."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Event
from deadlines.calendar import WorkCalendar
from deadlines.models import DayKind
from deadlines.periods import Due, DueState, compute_due
from deadlines.rules import CLOCKS, Clock
from matters.lifecycle import State
from matters.models import Deadline, Matter, Petitioner
from matters.personal_data import mask_id_number, mask_name, mask_phone
from matters.selectors import available_actions
from org.models import Unit, User

from .schemas import (
    AttachmentOut,
    DeadlineCalcOut,
    DeadlineOut,
    EventOut,
    MatterListItem,
    MatterOut,
    PetitionerOut,
    UnitRef,
)


def unit_ref(unit: Unit | None) -> UnitRef | None:
    return UnitRef(id=unit.pk, name=unit.name) if unit is not None else None


def _unit(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name)


def due_state(matter: Matter, today: date) -> DueState | None:
    """The same buckets as the queue filter (matters.selectors)."""
    if matter.clock_paused:
        return DueState.PAUSED
    if matter.statutory_due is None:
        return None
    if matter.statutory_due < today:
        return DueState.OVERDUE
    if matter.due_soon_from is not None and matter.due_soon_from <= today:
        return DueState.DUE_SOON
    return DueState.ON_TIME


def _item_fields(matter: Matter, today: date) -> dict[str, object]:
    petitioner: Petitioner = matter.petitioner
    return {
        "id": matter.pk,
        "query_code": matter.query_code,
        "state": matter.state,
        "state_label": str(State(matter.state).label),
        "channel": matter.channel,
        "handling_kind": matter.handling_kind,
        "title": matter.title,
        "handling_unit": _unit(matter.handling_unit),
        "registered_at": timezone.localtime(matter.registered_at),
        "statutory_due": matter.statutory_due,
        "due_state": due_state(matter, today),
        "due_provisional": matter.due_provisional,
        "clock_paused": matter.clock_paused,
        "petitioner_name": mask_name(petitioner.name),
        "petitioner_phone": mask_phone(petitioner.phone),
    }


def matter_item(matter: Matter, today: date) -> MatterListItem:
    return MatterListItem.model_validate(_item_fields(matter, today))


def deadline_out(d: Deadline) -> DeadlineOut:
    rule = CLOCKS[Clock(d.clock)]
    return DeadlineOut(
        clock=d.clock,
        label=str(rule.label),
        start=d.start,
        days=d.days,
        day_kind=DayKind(d.day_kind),
        due=d.due,
        rolled_from=d.rolled_from,
        provisional=d.provisional,
        basis=str(rule.basis),
        stopped_on=d.stopped_on,
        paused=d.paused,
        profile_name=d.profile_name,
    )


def petitioner_out(p: Petitioner) -> PetitionerOut:
    return PetitionerOut.model_validate(
        {
            "kind": p.kind,
            "name": mask_name(p.name),
            "phone": mask_phone(p.phone),
            "id_number": mask_id_number(p.id_number),
            "group_size": p.group_size,
        }
    )


def matter_out(matter: Matter, user: User, today: date) -> MatterOut:
    return MatterOut.model_validate(
        {
            **_item_fields(matter, today),
            "content": matter.content,
            "category_id": matter.category_id,
            "area_id": matter.area_id,
            "address": matter.address,
            "intake_unit": _unit(matter.intake_unit),
            "review_unit": unit_ref(matter.review_unit),
            "merged_into_id": matter.merged_into_id,
            "closed_at": timezone.localtime(matter.closed_at) if matter.closed_at else None,
            "is_first": matter.is_first,
            "is_repeat": matter.is_repeat,
            "is_group": matter.is_group,
            "is_above_level": matter.is_above_level,
            "is_to_capital": matter.is_to_capital,
            "reply_text": matter.reply_text,
            "decision_text": matter.decision_text,
            "legal_route": matter.legal_route,
            "version": matter.version,
            "petitioner": petitioner_out(matter.petitioner),
            "deadlines": [deadline_out(d) for d in matter.deadlines.all()],
            "attachments": [
                AttachmentOut(
                    id=a.pk,
                    filename=a.filename,
                    content_type=a.content_type,
                    size=a.size,
                    sha256=a.sha256,
                    uploaded_at=timezone.localtime(a.uploaded_at),
                )
                for a in matter.attachments.order_by("id")
            ],
            "available_actions": available_actions(user, matter),
        }
    )


def event_out(e: Event) -> EventOut:
    return EventOut(
        seq=e.seq,
        at=timezone.localtime(e.at),
        verb=e.verb,
        actor=e.actor.get_username() if e.actor else None,
        actor_label=e.actor_label,
        unit=unit_ref(e.unit),
        before=e.before,
        after=e.after,
        reason=e.reason,
    )


def explain_due(start: date, days: int, kind: DayKind, due: Due, rollover: bool) -> str:
    """Whole sentences (each one translatable) a person can check against a paper calendar."""
    values = {"days": days, "start": start, "last": due.rolled_from, "due": due.date}
    if kind == DayKind.WORKING:
        sentences = [
            _(
                "%(days)d working days counted from the day after %(start)s; rest days are skipped "
                "and make-up workdays count."
            )
            % values
        ]
    else:
        sentences = [_("%(days)d calendar days counted from the day after %(start)s.") % values]
    if due.rolled_from is not None:
        sentences.append(
            _("The last day %(last)s is a rest day, so the period ends on the next working day %(due)s.")
            % values
        )
    elif kind == DayKind.CALENDAR and not rollover:
        sentences.append(_("A last day on a rest day is not moved (policy)."))
    if due.provisional:
        sentences.append(
            _(
                "Provisional: the period touches a year whose official holiday notice has not been entered, "
                "so only weekends were taken as rest days there."
            )
        )
    return " ".join(sentences)


def deadline_calc(
    start: date, days: int, kind: DayKind, calendar: WorkCalendar, rollover: bool
) -> DeadlineCalcOut:
    due = compute_due(start, days, kind, calendar, rollover=rollover)
    return DeadlineCalcOut(
        start=start,
        days=days,
        kind=kind,
        due=due.date,
        rolled_from=due.rolled_from,
        provisional=due.provisional,
        rule=explain_due(start, days, kind, due, rollover),
    )
