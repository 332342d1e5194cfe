"""Who may sit on a hearing's panel, and the random draw among them that anyone can replay.

Conflicts (回避): a member's declared conflict with a matter excludes them from its hearings. A
declared conflict with a unit covers that unit's subtree, so it excludes the member when any
unit involved in the matter lies in it: the handling unit, the intake unit and, once a review
was decided, the review unit, whose decision a re-review hearing examines. It also excludes them
when the declared unit lies under the handling unit, which answers for its own sub-units. The
review and intake units are not widened downwards: they are district or city bodies, and a tie
to any street below them would shut out most of the pool for no real interest in this matter.
The organising body is not a party: it is the one that holds the hearing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matters.models import Matter
from org.models import Unit

from .models import DeclaredConflict, Hearing, PanelDraw, PoolMember


class Exclusion(StrEnum):
    INACTIVE = "inactive"
    NO_SPECIALTY = "no_specialty"
    UNAVAILABLE = "unavailable"
    CONFLICT_MATTER = "conflict_matter"
    CONFLICT_UNIT = "conflict_unit"
    ON_HEARING = "on_hearing"


EXCLUSION_LABELS: dict[str, object] = {
    Exclusion.INACTIVE: _("not active"),
    Exclusion.NO_SPECIALTY: _("lacks the specialty"),
    Exclusion.UNAVAILABLE: _("unavailable on the hearing date"),
    Exclusion.CONFLICT_MATTER: _("declared a conflict with this matter"),
    Exclusion.CONFLICT_UNIT: _("declared a conflict with a unit involved"),
    Exclusion.ON_HEARING: _("already on this hearing"),
}


def involved_units(matter: Matter) -> list[Unit]:
    units = [matter.handling_unit, matter.intake_unit]
    if matter.review_unit is not None:
        units.append(matter.review_unit)
    return units


def conflicts_with_unit(declared: Unit, matter: Matter) -> bool:
    return any(u.is_within(declared) for u in involved_units(matter)) or declared.is_within(matter.handling_unit)


def pool_for(hearing: Hearing, kind: str) -> list[PoolMember]:
    """The pools of the organising body and of the bodies above it."""
    owners = [*hearing.organising_unit.ancestors(), hearing.organising_unit.pk]
    return list(PoolMember.objects.filter(kind=kind, owner_id__in=owners).prefetch_related("unavailable").order_by("pk"))


@dataclass(frozen=True)
class Eligibility:
    candidates: list[int]  # sorted by id: the order the seed's choice is made from
    excluded: list[tuple[int, str]]


def eligibility(hearing: Hearing, kind: str, specialty: str = "") -> Eligibility:
    matter = hearing.matter
    day = timezone.localtime(hearing.scheduled_for).date()
    members = pool_for(hearing, kind)
    on_hearing = set(hearing.seats.values_list("member_id", flat=True))
    conflicts = DeclaredConflict.objects.filter(member__in=members).select_related("unit")
    matter_conflict = {c.member_id for c in conflicts if c.matter_id == matter.pk}
    unit_conflict = {c.member_id for c in conflicts if c.unit is not None and conflicts_with_unit(c.unit, matter)}
    candidates: list[int] = []
    excluded: list[tuple[int, str]] = []
    for m in members:
        reason = _exclusion(m, specialty, day, on_hearing, matter_conflict, unit_conflict)
        if reason is None:
            candidates.append(m.pk)
        else:
            excluded.append((m.pk, reason))
    return Eligibility(sorted(candidates), excluded)


def _exclusion(m: PoolMember, specialty: str, day: date, on_hearing: set[int], matter_conflict: set[int],
               unit_conflict: set[int]) -> str | None:
    if not m.active:
        return Exclusion.INACTIVE
    if specialty and not m.has_specialty(specialty):
        return Exclusion.NO_SPECIALTY
    if any(u.covers(day) for u in m.unavailable.all()):
        return Exclusion.UNAVAILABLE
    if m.pk in matter_conflict:
        return Exclusion.CONFLICT_MATTER
    if m.pk in unit_conflict:
        return Exclusion.CONFLICT_UNIT
    if m.pk in on_hearing:
        return Exclusion.ON_HEARING
    return None


def choose(seed: str, candidates: list[int], size: int) -> list[int]:
    return random.Random(seed).sample(candidates, size)


def replay_draw(draw: PanelDraw) -> list[int]:
    """The panel the recorded seed and candidate list give; equal to ``draw.chosen`` unless the record was altered."""
    return choose(draw.seed, list(draw.candidates), draw.size)
