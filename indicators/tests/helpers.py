"""Matters for the report tests, registered through the services with the flags reports count."""

from __future__ import annotations

from itertools import count

from matters import services as ms
from matters.models import Category, Channel, Matter
from org.models import Area
from xinfang.testing import World, at

_serial = count(1)


def file(world: World, unit: str = "d1_housing", day: tuple[int, int, int] = (2026, 3, 2), hour: int = 10, *,
         channel: str = Channel.VISIT, title: str = "小区停水", above_level: bool = False, to_capital: bool = False,
         category: Category | None = None, area: Area | None = None) -> Matter:
    """A matter of a petitioner of its own, so no two are repeats of each other."""
    n = next(_serial)
    data = ms.RegistrationData(
        channel=channel, title=title, content="请求解决。",
        petitioner=ms.PetitionerData(name=f"信访人{n}", phone=f"139{n:08d}", id_number=f"ID{n:08d}"),
        handling_unit_id=world.units[unit].pk, is_above_level=above_level, is_to_capital=to_capital,
        category_id=category.pk if category else None, area_id=area.pk if area else None,
    )
    return ms.register_matter(data, actor=world.users["registrar"], now=at(*day, hour))
