"""Keeping the pools: members, their unavailability and their declared conflicts.

A pool belongs to the petition work of a unit (its ``owner``); reviewers whose scope covers that
unit keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import selectors as matter_selectors
from matters.errors import InvalidInput, NotAllowed
from org.models import Role, Unit, User
from org.scope import holds_role_over

from .models import DeclaredConflict, PoolKind, PoolMember, Unavailability, specialty_tags

POOL_ROLES = (Role.REVIEWER,)


def may_keep(user: User, owner: Unit) -> bool:
    return holds_role_over(user, owner, POOL_ROLES)


@dataclass
class MemberData:
    kind: str
    name: str
    organisation: str = ""
    specialties: str = ""
    contact: str = ""
    active: bool = True


def _clean(data: MemberData) -> MemberData:
    errors: dict[str, str] = {}
    if data.kind not in PoolKind.values:
        errors["kind"] = _("Choose a pool.")
    if not data.name.strip():
        errors["name"] = _("The name is required.")
    tags = specialty_tags(data.specialties)
    if len(",".join(tags)) > 290:
        errors["specialties"] = _("Too many specialties.")
    if errors:
        raise InvalidInput(_("The member has errors; nothing was saved."), fields=errors)
    return MemberData(data.kind, data.name.strip(), data.organisation.strip(), f",{','.join(tags)}," if tags else "",
                      data.contact.strip(), data.active)


def _member_for_update(member_id: int, actor: User) -> PoolMember:
    member = PoolMember.objects.select_for_update(of=("self",)).select_related("owner").get(pk=member_id)
    if not may_keep(actor, member.owner):
        raise NotAllowed(_("Only the petition office that keeps this pool may change it."))
    return member


def add_member(data: MemberData, *, owner_id: int, actor: User, now: datetime) -> PoolMember:
    clean = _clean(data)
    owner = Unit.objects.filter(pk=owner_id).first()
    if owner is None:
        raise InvalidInput(_("Choose whose pool it is."), fields={"owner": _("Choose whose pool it is.")})
    if not may_keep(actor, owner):
        raise NotAllowed(_("Only a petition-office reviewer over this unit keeps its pools."))
    with transaction.atomic():
        member = PoolMember.objects.create(kind=clean.kind, owner=owner, name=clean.name,
                                           organisation=clean.organisation, specialties=clean.specialties,
                                           contact=clean.contact, active=clean.active, created_at=now)
        record_event("pool_member_added", actor=actor, target=member, at=now,
                     after={"kind": member.kind, "owner": owner.pk, "name": member.name})
    return member


def update_member(member_id: int, data: MemberData, *, actor: User, now: datetime) -> PoolMember:
    """A blank contact keeps the stored one: the form never shows it in clear."""
    clean = _clean(data)
    with transaction.atomic():
        member = _member_for_update(member_id, actor)
        before = {"kind": member.kind, "name": member.name, "specialties": member.specialties, "active": member.active}
        member.kind, member.name, member.organisation = clean.kind, clean.name, clean.organisation
        member.specialties, member.active = clean.specialties, clean.active
        contact_changed = bool(clean.contact)
        if contact_changed:
            member.contact = clean.contact
        member.save()
        record_event("pool_member_changed", actor=actor, target=member, at=now, before=before,
                     after={"kind": member.kind, "name": member.name, "specialties": member.specialties,
                            "active": member.active, "contact_changed": contact_changed})
    return member


def add_unavailability(member_id: int, *, start: date | None, end: date | None, note: str = "", actor: User,
                       now: datetime) -> Unavailability:
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = _("Give the first day.")
    if end is None:
        errors["end"] = _("Give the last day.")
    if start and end and end < start:
        errors["end"] = _("The last day is before the first.")
    if errors:
        raise InvalidInput(_("The dates have errors; nothing was saved."), fields=errors)
    assert start is not None and end is not None
    with transaction.atomic():
        member = _member_for_update(member_id, actor)
        period = Unavailability.objects.create(member=member, start=start, end=end, note=note.strip())
        record_event("pool_member_unavailable", actor=actor, target=member, at=now,
                     after={"start": start.isoformat(), "end": end.isoformat()}, reason=period.note)
    return period


def declare_conflict(member_id: int, *, actor: User, now: datetime, note: str, unit_id: int | None = None,
                     matter_id: int | None = None) -> DeclaredConflict:
    """With a unit (and its subtree) or with one matter the actor can see; never both."""
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = _("Say what the conflict is.")
    if (unit_id is None) == (matter_id is None):
        errors["unit"] = _("Name either a unit or a matter.")
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit_id is not None and unit is None:
        errors["unit"] = _("Unknown unit.")
    matter = matter_selectors.matters_visible_to(actor).filter(pk=matter_id).first() if matter_id is not None else None
    if matter_id is not None and matter is None:
        errors["matter"] = _("No such matter in your scope.")
    if errors:
        raise InvalidInput(_("The conflict has errors; nothing was saved."), fields=errors)
    with transaction.atomic():
        member = _member_for_update(member_id, actor)
        conflict = DeclaredConflict.objects.create(member=member, unit=unit, matter=matter, note=note.strip(),
                                                   declared_at=now)
        record_event("pool_conflict_declared", actor=actor, target=member, at=now,
                     after={"unit": unit_id, "matter": matter_id}, reason=conflict.note)
    return conflict
