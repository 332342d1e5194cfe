"""Changes to the organisation: units and role grants. A permission change is an event (§12)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from audit.services import record_event

from .models import Area, RoleAssignment, Unit, User
from .scope import forget_cached_scope


def create_unit(
    name: str, *, kind: str, level_name: str, parent: Unit | None = None, area: Area | None = None,
    now: datetime | None = None,
) -> Unit:
    with transaction.atomic():
        unit = Unit(name=name, kind=kind, level_name=level_name, parent=parent, area=area)
        unit.save()
        record_event("create_unit", target=unit, at=now, after={"name": name, "kind": kind, "parent": parent.pk if parent else None})
    return unit


def grant_role(user: User, role: str, scope: Unit, *, actor: User | None = None, now: datetime | None = None) -> RoleAssignment:
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope)
        if created:
            record_event("grant_role", actor=actor, target=user, at=now,
                         after={"role": role, "scope": scope.pk, "scope_name": scope.name})
    forget_cached_scope(user)
    return assignment


def revoke_role(user: User, role: str, scope: Unit, *, actor: User | None = None, now: datetime | None = None) -> None:
    with transaction.atomic():
        deleted, _ = RoleAssignment.objects.filter(user=user, role=role, scope=scope).delete()
        if deleted:
            record_event("revoke_role", actor=actor, target=user, at=now, before={"role": role, "scope": scope.pk})
    forget_cached_scope(user)
