"""Who may do what to a task or a joint meeting, as two tables, and the rule the matter's reply obeys.

A task's assigning side is the lead unit for cooperation (协办) and the meeting's conveners for a
task a meeting handed out (会议交办): the side that set a task judges its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from matters.models import HandlingKind, Matter
from org.models import CONFIDENTIAL_UNIT_KINDS, Role, Unit, UnitKind, User
from org.scope import holds_role_over

from .models import Assignment, AssignmentKind, AssignmentState, JointMeeting, MeetingState

# The lead unit's own staff, and the petition office over it, steer the cooperation.
LEAD_ROLES = (Role.HANDLER, Role.UNIT_HEAD, Role.REVIEWER)
ANSWER_ROLES = (Role.HANDLER, Role.UNIT_HEAD)
CONVENING_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.UNIT_HEAD)
# Joint meetings are standing bodies of the city, district (or county) and street (or town).
MEETING_LEVELS = frozenset({"市", "区", "县", "街道", "镇"})


class Side(StrEnum):
    ASSIGNED = "assigned"  # the unit that got the task
    ASSIGNING = "assigning"  # the lead unit, or the meeting's conveners


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    side: Side


A = AssignmentState
ASSIGNMENT_TRANSITIONS: dict[str, Move] = {
    "answer": Move(frozenset({A.OPEN}), A.ANSWERED, Side.ASSIGNED),
    "accept": Move(frozenset({A.ANSWERED}), A.ACCEPTED, Side.ASSIGNING),
    "return": Move(frozenset({A.ANSWERED}), A.OPEN, Side.ASSIGNING),
}

M = MeetingState
# action: (states it is possible in, state it leads to or None to stay); every move is the conveners'.
MEETING_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "add_item": (frozenset({M.PLANNED, M.HELD}), None),
    "hold": (frozenset({M.PLANNED}), M.HELD),
    "decide": (frozenset({M.HELD}), None),
    "assign": (frozenset({M.HELD}), None),
    "close": (frozenset({M.HELD}), M.CLOSED),
}


def is_lead(user: User, matter: Matter) -> bool:
    return holds_role_over(user, matter.handling_unit, LEAD_ROLES)


def may_convene(user: User, unit: Unit) -> bool:
    return holds_role_over(user, unit, CONVENING_ROLES)


def may_act(user: User, action: str, assignment: Assignment) -> bool:
    """The role half of the table; the state half is ``possible``."""
    if ASSIGNMENT_TRANSITIONS[action].side == Side.ASSIGNED:
        return holds_role_over(user, assignment.unit, ANSWER_ROLES)
    if assignment.kind == AssignmentKind.MEETING:
        assert assignment.agenda_item is not None
        return may_convene(user, assignment.agenda_item.meeting.unit)
    return is_lead(user, assignment.matter)


def possible(action: str, assignment: Assignment) -> bool:
    return assignment.state in ASSIGNMENT_TRANSITIONS[action].sources


def meeting_possible(action: str, meeting: JointMeeting) -> bool:
    return meeting.state in MEETING_TRANSITIONS[action][0]


def hosts_meetings(unit: Unit) -> bool:
    """A territorial government at a meeting level, or the petition office within one."""
    if unit.kind == UnitKind.PETITION_OFFICE and unit.parent is not None:
        unit = unit.parent
    return unit.kind == UnitKind.TERRITORIAL and unit.level_name in MEETING_LEVELS


def territory_of(meeting: JointMeeting) -> Unit:
    """The subtree whose units a meeting may hand tasks to: a petition office's is its government's."""
    unit = meeting.unit
    return unit.parent if unit.kind == UnitKind.PETITION_OFFICE and unit.parent is not None else unit


def confidentiality_blocks(matter: Matter, unit: Unit) -> bool:
    """An accusation (检举控告) goes only to units that may see one and its author (Art. 30)."""
    return matter.handling_kind == HandlingKind.ACCUSATION and unit.kind not in CONFIDENTIAL_UNIT_KINDS


def consolidation_ready(matter: Matter) -> bool:
    """Every cooperation task not yet consolidated is accepted, and there is at least one."""
    pending = Assignment.objects.filter(matter=matter, kind=AssignmentKind.COOPERATION, consolidations__isnull=True)
    return pending.exists() and not pending.exclude(state=AssignmentState.ACCEPTED).exists()


def reply_blocker(matter: Matter) -> str | None:
    """Why the matter may not be replied yet, or None: every cooperation task must be accepted and
    covered by the lead unit's consolidated answer."""
    pending = Assignment.objects.filter(matter=matter, kind=AssignmentKind.COOPERATION, consolidations__isnull=True)
    if not pending.exists():
        return None
    if pending.exclude(state=AssignmentState.ACCEPTED).exists():
        return _("Cooperating units' tasks are still open; accept every answer and consolidate them before replying.")
    return _("The lead unit has not consolidated the cooperating units' answers yet; consolidate them before replying.")
