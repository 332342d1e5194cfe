"""Leader case ownership (领导包案), task forces (专班) and dual assignment (双交办), §6."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import selectors as matter_selectors
from matters import services as matter_services
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import OPEN_STATES, REPLIED_STATES, State
from matters.models import Matter
from notify.models import InboxKind
from notify.services import tell_staff
from org.models import Role, User
from org.scope import holds_role_over

from .models import CaseState, LeaderCase, ProgressEntry

ASSIGNING_ROLES = (Role.SUPERVISOR, Role.REVIEWER)
# A case is signed off once the matter has its written answer and no review is pending.
ANSWERED_STATES = REPLIED_STATES - {State.REVIEW_REQUESTED, State.RE_REVIEW_REQUESTED}


def assign_leader(matter_id: int, *, actor: User, leader_id: int, plan: str, member_ids: list[int], now: datetime,
                  to_unit_id: int | None = None) -> LeaderCase:
    """包案: a leader over the handling unit takes the matter, with a plan and a task force. With
    ``to_unit_id`` it is 双交办: the matter is forwarded to the responsible unit in the same act."""
    if not plan.strip():
        raise InvalidInput(_("A plan (一案一策) is required."), fields={"plan": _("Required.")})
    with transaction.atomic():
        if to_unit_id is not None:
            matter_services.forward_matter(matter_id, actor=actor, now=now, to_unit_id=to_unit_id,
                                           reason=_("Dual assignment with leader ownership"))
        matter = matter_selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if matter.state not in OPEN_STATES:
            raise IllegalTransition(_("Only an open matter is taken into leader ownership."))
        if not holds_role_over(actor, matter.handling_unit, ASSIGNING_ROLES):
            raise NotAllowed(_("Only a supervisor or the petition office assigns a leader."))
        if LeaderCase.objects.filter(matter=matter).exists():
            raise IllegalTransition(_("This matter already has a responsible leader."))
        leader = User.objects.filter(pk=leader_id, is_active=True).first()
        if leader is None or not holds_role_over(leader, matter.handling_unit, [Role.LEADER]):
            raise InvalidInput(_("Choose a responsible leader over the handling unit."), fields={"leader_id": _("Not a leader here.")})
        members = list(User.objects.filter(pk__in=member_ids, is_active=True).exclude(pk=leader.pk))
        if len(members) != len(set(member_ids) - {leader.pk}):
            raise InvalidInput(_("Unknown task force member."), fields={"member_ids": _("Unknown user.")})
        case = LeaderCase.objects.create(matter=matter, leader=leader, plan=plan.strip(), assigned_by=actor, assigned_at=now)
        case.members.set(members)
        record_event("assign_leader", actor=actor, target=matter, at=now,
                     after={"leader": leader.pk, "members": [m.pk for m in members], "dual": to_unit_id is not None,
                            "handling_unit": matter.handling_unit_id})
        tell_staff([leader, *members], matter, InboxKind.ASSIGNED,
                   _("Leader ownership: %(title)s") % {"title": matter.title[:60]}, key=f"case:{case.pk}", now=now)
    return case


def cases_of(user: User) -> QuerySet[LeaderCase]:
    """The cases a user leads or works on in a task force."""
    return (LeaderCase.objects.filter(Q(leader=user) | Q(members=user)).distinct()
            .select_related("matter", "leader", "matter__handling_unit"))


def _case_for(user: User, case_id: int) -> LeaderCase:
    """A case is reached by its leader, its task force, or anyone who sees its matter."""
    visible = matter_selectors.matters_visible_to(user).values("pk")
    case = (LeaderCase.objects.filter(pk=case_id).filter(Q(leader=user) | Q(members=user) | Q(matter__in=visible))
            .select_related("matter").first())
    if case is None:
        raise Matter.DoesNotExist("no such case in scope")
    return case


def add_progress(case_id: int, *, actor: User, text: str, now: datetime) -> ProgressEntry:
    if not text.strip():
        raise InvalidInput(_("Write what was done."), fields={"text": _("Required.")})
    with transaction.atomic():
        case = _case_for(actor, case_id)
        case = LeaderCase.objects.select_for_update().get(pk=case.pk)
        if actor.pk != case.leader_id and not case.members.filter(pk=actor.pk).exists():
            raise NotAllowed(_("Only the leader and the task force record progress."))
        if case.state != CaseState.OPEN:
            raise IllegalTransition(_("The case is signed off."))
        entry = ProgressEntry.objects.create(case=case, author=actor, at=now, text=text.strip())
        record_event("add_progress", actor=actor, target=case, at=now, after={"entry": entry.pk})
    return entry


def sign_off(case_id: int, *, actor: User, note: str, now: datetime) -> LeaderCase:
    """销号: the leader signs off once the matter has its written answer."""
    if not note.strip():
        raise InvalidInput(_("Say how the matter was resolved."), fields={"note": _("Required.")})
    with transaction.atomic():
        case = LeaderCase.objects.select_for_update().select_related("matter").get(pk=_case_for(actor, case_id).pk)
        if actor.pk != case.leader_id:
            raise NotAllowed(_("Only the responsible leader signs off."))
        if case.state != CaseState.OPEN:
            raise IllegalTransition(_("The case is signed off."))
        if case.matter.state not in ANSWERED_STATES:
            raise IllegalTransition(_("Sign off after the written reply."))
        case.state, case.signed_off_at, case.sign_off_note = CaseState.SIGNED_OFF, now, note.strip()
        case.save()
        record_event("sign_off_case", actor=actor, target=case, at=now, after={"matter": case.matter_id})
    return case
