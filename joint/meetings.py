"""Joint meetings (信访工作联席会议): convened at a city, district or street, an agenda of matters,
held with minutes, a decision per item turned into tasks for member units, then closed. Every
move is checked against ``rules.MEETING_TRANSITIONS`` and recorded as an event."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import OPEN_STATES
from matters.selectors import get_matter_for
from org.models import Unit, User

from . import rules
from .models import AgendaItem, Assignment, AssignmentKind, JointMeeting, MeetingState
from .selectors import meetings_visible_to
from .services import check_task, snapshot


def convene_meeting(*, actor: User, unit_id: int | None, title: str, day: date | None, place: str,
                    now: datetime) -> JointMeeting:
    unit = Unit.objects.select_related("parent").filter(pk=unit_id).first() if unit_id else None
    errors: dict[str, str] = {}
    if unit is None or not rules.hosts_meetings(unit):
        errors["unit_id"] = _("Choose a city, district or street government, or its petition office.")
    if not title.strip():
        errors["title"] = _("Give the meeting a title.")
    if day is None:
        errors["day"] = _("Give the date.")
    elif day < timezone.localtime(now).date():
        errors["day"] = _("The date is in the past.")
    if not place.strip():
        errors["place"] = _("Say where.")
    if errors:
        raise InvalidInput(_("The meeting has errors; nothing was saved."), fields=errors)
    assert unit is not None and day is not None
    if not rules.may_convene(actor, unit):
        raise NotAllowed(_("The petition office or a head over the unit convenes its joint meeting."))
    with transaction.atomic():
        meeting = JointMeeting.objects.create(unit=unit, title=title.strip(), date=day, place=place.strip(),
                                              convened_by=actor, convened_at=now)
        record_event("joint_convene", actor=actor, target=meeting, at=now,
                     after={"unit": unit.pk, "date": day.isoformat(), "title": meeting.title})
    return meeting


def _lock(actor: User, meeting_id: int, action: str) -> JointMeeting:
    if not meetings_visible_to(actor).filter(pk=meeting_id).exists():
        raise JointMeeting.DoesNotExist
    meeting = JointMeeting.objects.select_for_update(of=("self",)).select_related("unit__parent").get(pk=meeting_id)
    if not rules.may_convene(actor, meeting.unit):
        raise NotAllowed(_("Only the meeting's conveners run it."))
    if not rules.meeting_possible(action, meeting):
        raise IllegalTransition(_("Not possible while the meeting is %(state)s.") % {"state": meeting.get_state_display()})
    return meeting


def add_agenda_item(meeting_id: int, *, actor: User, matter_id: int | None, note: str, now: datetime) -> AgendaItem:
    """Puts a matter the convener can see on the agenda; the matter's timeline says so."""
    with transaction.atomic():
        meeting = _lock(actor, meeting_id, "add_item")
        if matter_id is None:
            raise InvalidInput(_("Choose a matter."), fields={"matter_id": _("Choose a matter.")})
        matter = get_matter_for(actor, matter_id)
        if matter.state not in OPEN_STATES:
            raise InvalidInput(_("Only an open matter goes on the agenda."), fields={"matter_id": _("This matter is finished.")})
        try:
            with transaction.atomic():
                item = AgendaItem.objects.create(meeting=meeting, matter=matter, note=note.strip())
        except IntegrityError:
            raise InvalidInput(_("The matter is already on the agenda."),
                               fields={"matter_id": _("The matter is already on the agenda.")}) from None
        record_event("joint_agenda", actor=actor, target=matter, at=now,
                     after={"meeting": meeting.pk, "item": item.pk, "date": meeting.date.isoformat()})
    return item


def hold_meeting(meeting_id: int, *, actor: User, minutes: str, now: datetime) -> JointMeeting:
    text = minutes.strip()
    if not text:
        raise InvalidInput(_("Record the minutes."), fields={"minutes": _("Record the minutes.")})
    with transaction.atomic():
        meeting = _lock(actor, meeting_id, "hold")
        meeting.state, meeting.minutes, meeting.held_at = MeetingState.HELD, text, now
        meeting.save()
        record_event("joint_hold", actor=actor, target=meeting, at=now, after={"state": meeting.state}, reason=text)
    return meeting


def _item(actor: User, item_id: int, action: str) -> AgendaItem:
    item = AgendaItem.objects.select_related("matter").get(pk=item_id)
    item.meeting = _lock(actor, item.meeting_id, action)
    get_matter_for(actor, item.matter_id)  # an item the actor may not see is not found
    return item


def record_decision(item_id: int, *, actor: User, decision: str, now: datetime) -> AgendaItem:
    text = decision.strip()
    if not text:
        raise InvalidInput(_("Record the decision."), fields={"decision": _("Record the decision.")})
    with transaction.atomic():
        item = _item(actor, item_id, "decide")
        item.decision, item.decided_by, item.decided_at = text, actor, now
        item.save()
        record_event("joint_decision", actor=actor, target=item.matter, at=now, reason=text,
                     after={"meeting": item.meeting_id, "item": item.pk})
    return item


def assign_from_decision(item_id: int, *, actor: User, unit_ids: list[int], task: str, due: date | None,
                         now: datetime) -> list[Assignment]:
    """会议交办: one task per unit chosen within the meeting's territory, from a recorded decision."""
    with transaction.atomic():
        item = _item(actor, item_id, "assign")
        if not item.decision:
            raise IllegalTransition(_("Record the decision before turning it into tasks."))
        territory = rules.territory_of(item.meeting)
        units = list(Unit.objects.filter(pk__in=unit_ids))
        errors = check_task(item.matter, units[0] if units else None, task, due, now)
        if units and len(units) != len(set(unit_ids)):
            errors["unit_id"] = _("Choose units that exist.")
        elif outside := [u.name for u in units if not u.is_within(territory)]:
            errors["unit_id"] = _("Not a member of this meeting: %(units)s") % {"units": "、".join(outside)}
        elif blocked := [u.name for u in units if rules.confidentiality_blocks(item.matter, u)]:
            errors["unit_id"] = _("An accusation may go only to a petition office or discipline inspection: %(units)s") % {
                "units": "、".join(blocked)}
        if errors:
            raise InvalidInput(_("The task has errors; nothing was saved."), fields=errors)
        assert due is not None
        made = []
        for unit in units:
            a = Assignment.objects.create(matter=item.matter, unit=unit, kind=AssignmentKind.MEETING, agenda_item=item,
                                          task=task.strip(), due=due, assigned_by=actor, assigned_at=now)
            record_event("joint_assign", actor=actor, target=item.matter, at=now,
                         after={**snapshot(a), "task": a.task, "meeting": item.meeting_id})
            made.append(a)
    return made


def close_meeting(meeting_id: int, *, actor: User, now: datetime) -> JointMeeting:
    """Closed once every item on the agenda has a decision; the tasks it handed out live on."""
    with transaction.atomic():
        meeting = _lock(actor, meeting_id, "close")
        if meeting.items.filter(decision="").exists():
            raise IllegalTransition(_("Every item on the agenda needs a decision before the meeting closes."))
        meeting.state, meeting.closed_at = MeetingState.CLOSED, now
        meeting.save()
        record_event("joint_close", actor=actor, target=meeting, at=now, after={"state": meeting.state})
    return meeting
