"""Reading tasks and meetings. A cooperating unit does not get the matter in its queue: it reaches
its own task here, and through the task what it needs of the matter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from matters.models import HandlingKind, Matter
from matters.selectors import matters_visible_to
from org.models import CONFIDENTIAL_UNIT_KINDS, Unit, User
from org.scope import sees_confidential, unit_ids_in_scope, units_in_scope

from .models import (
    AgendaItem,
    Assignment,
    AssignmentKind,
    AssignmentState,
    Consolidation,
    JointMeeting,
    MeetingState,
)
from .rules import ANSWER_ROLES, CONVENING_ROLES, LEAD_ROLES, hosts_meetings, territory_of


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    """Tasks to units in the user's scope, tasks on matters the user sees, and tasks handed out by
    meetings of units in the user's scope; accusations only for those who may see them."""
    qs = Assignment.objects.select_related("matter", "unit", "agenda_item__meeting")
    units = unit_ids_in_scope(user)
    if units is not None:
        qs = qs.filter(Q(unit__in=units) | Q(matter__in=matters_visible_to(user).values("pk"))
                       | Q(agenda_item__meeting__unit__in=units))
    if not sees_confidential(user):
        qs = qs.exclude(matter__handling_kind=HandlingKind.ACCUSATION)
    return qs


def get_assignment_for(user: User, pk: int) -> Assignment:
    """Raises Assignment.DoesNotExist outside the user's reach, exactly as for a missing one."""
    return assignments_visible_to(user).select_related(
        "matter__category", "matter__area", "matter__handling_unit", "matter__petitioner").get(pk=pk)


def tasks_to_do(user: User) -> QuerySet[Assignment]:
    """Open tasks of the units the user answers for; the earliest due, so the overdue, first."""
    units = units_in_scope(user, ANSWER_ROLES)
    return assignments_visible_to(user).filter(unit__in=units, state=AssignmentState.OPEN).order_by("due", "id")


def answers_to_judge(user: User) -> QuerySet[Assignment]:
    """Answered tasks the user's side set: as lead unit, or as convener of the meeting."""
    lead = units_in_scope(user, LEAD_ROLES)
    convening = units_in_scope(user, CONVENING_ROLES)
    return assignments_visible_to(user).filter(state=AssignmentState.ANSWERED).filter(
        Q(kind=AssignmentKind.COOPERATION, matter__handling_unit__in=lead)
        | Q(kind=AssignmentKind.MEETING, agenda_item__meeting__unit__in=convening)).order_by("due", "id")


def meetings_visible_to(user: User) -> QuerySet[JointMeeting]:
    """Meetings of units in the user's scope, and those that handed a task to one."""
    qs = JointMeeting.objects.select_related("unit", "convened_by")
    units = unit_ids_in_scope(user)
    if units is None:
        return qs
    tasked = Assignment.objects.filter(unit__in=units, agenda_item__isnull=False).values("agenda_item__meeting")
    return qs.filter(Q(unit__in=units) | Q(pk__in=tasked))


def agenda_for(user: User, meeting: JointMeeting) -> list[AgendaItem]:
    """The agenda with each item's tasks; an accusation's item only for those who may see it."""
    items = meeting.items.select_related("matter", "matter__handling_unit").prefetch_related("assignments__unit")
    if not sees_confidential(user):
        items = items.exclude(matter__handling_kind=HandlingKind.ACCUSATION)
    return list(items)


def cooperation_units(matter: Matter) -> list[Unit]:
    """Units the lead may ask to cooperate: any other, and for an accusation only those that may see it."""
    qs = Unit.objects.exclude(pk=matter.handling_unit_id)
    if matter.handling_kind == HandlingKind.ACCUSATION:
        qs = qs.filter(kind__in=CONFIDENTIAL_UNIT_KINDS)
    return list(qs)


def convening_units(user: User) -> list[Unit]:
    """Where the user may convene a joint meeting."""
    return [u for u in units_in_scope(user, CONVENING_ROLES).select_related("parent") if hosts_meetings(u)]


def member_units(meeting: JointMeeting) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=territory_of(meeting).path))


def meetings_to_put_on(user: User, matter: Matter) -> list[JointMeeting]:
    """Meetings not yet past their agenda that the user runs and that do not have the matter yet."""
    units = units_in_scope(user, CONVENING_ROLES)
    return list(meetings_visible_to(user).filter(unit__in=units, state__in=[MeetingState.PLANNED, MeetingState.HELD])
                .exclude(items__matter=matter))


def consolidations_of(matter: Matter) -> list[Consolidation]:
    return list(Consolidation.objects.filter(matter=matter).select_related("by"))
