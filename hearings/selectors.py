"""Read queries. Hearings and consultations are reached through their matter: the one access rule."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from matters import selectors as matter_selectors
from org.models import RoleAssignment, User

from .models import Consultation, DutyShift, Hearing, PoolMember


def _scope_paths(user: User) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user).values_list("scope__path", flat=True))


def members_visible_to(user: User) -> QuerySet[PoolMember]:
    """Members of the pools a user's work can draw on: pools kept in their scope or above it."""
    paths = _scope_paths(user)
    if not paths:
        return PoolMember.objects.none()
    q = Q()
    for path in paths:
        ancestors = [int(p) for p in path.strip("/").split("/")]
        q |= Q(owner__path__startswith=path) | Q(owner_id__in=ancestors)
    return PoolMember.objects.filter(q).select_related("owner")


def hearings_visible_to(user: User) -> QuerySet[Hearing]:
    visible = matter_selectors.matters_visible_to(user).values("pk")
    return Hearing.objects.filter(matter__in=visible).select_related("matter", "organising_unit")


def consultations_for(user: User, matter_id: int) -> QuerySet[Consultation]:
    visible = matter_selectors.matters_visible_to(user).filter(pk=matter_id).values("pk")
    return Consultation.objects.filter(matter__in=visible).select_related("lawyer", "recorded_by")


def roster(user: User, since: date) -> QuerySet[DutyShift]:
    """Shifts from ``since`` on at receptions in the user's scope or beside the bodies above it
    (the city petition office's hall sits under the city, beside the district)."""
    paths = _scope_paths(user)
    if not paths:
        return DutyShift.objects.none()
    q = Q()
    for path in paths:
        q |= Q(unit__path__startswith=path) | Q(unit__parent_id__in=[int(p) for p in path.strip("/").split("/")])
    return DutyShift.objects.filter(q, day__gte=since).select_related("lawyer", "unit")
