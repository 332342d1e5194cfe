"""Likely duplicates as a staff member may see them: the index knows every matter, a user only
those in their scope (an accusation elsewhere must not show up as a 'similar matter')."""

from __future__ import annotations

from datetime import datetime

from matters.personal_data import lookup_hash, normalise_id_number, normalise_phone
from matters.selectors import matters_visible_to
from org.models import User

from .duplicates import LikelyDuplicate, likely_duplicates


def likely_duplicates_for(user: User, title: str, content: str, *, phone: str = "", id_number: str = "",
                          phone_hash: str = "", id_hash: str = "", now: datetime,
                          exclude_id: int | None = None) -> list[LikelyDuplicate]:
    found = likely_duplicates(
        title, content, now=now, exclude_id=exclude_id,
        phone_hash=phone_hash or lookup_hash(normalise_phone(phone)),
        id_hash=id_hash or lookup_hash(normalise_id_number(id_number)),
    )
    visible = set(matters_visible_to(user).filter(pk__in=[d.matter.pk for d in found]).values_list("pk", flat=True))
    return [d for d in found if d.matter.pk in visible]
