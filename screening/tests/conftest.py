from __future__ import annotations

import pytest

from org.models import Area, Role, UnitKind
from org.services import create_unit
from xinfang.testing import *  # noqa: F403
from xinfang.testing import World


@pytest.fixture
def sworld(world: World) -> World:
    """The test world with a community under d1's street, places, and the street's and community's staff."""
    u = world.units
    d1_area = Area.objects.create(code="990101", name="一区")
    street_area = Area.objects.create(code="990101001", name="东街道", parent=d1_area)
    u["c1"] = create_unit("东街道一社区", kind=UnitKind.TERRITORIAL, level_name="社区", parent=u["d1_street"],
                          area=Area.objects.create(code="990101001001", name="一社区", parent=street_area))
    u["c2"] = create_unit("东街道二社区", kind=UnitKind.TERRITORIAL, level_name="社区", parent=u["d1_street"],
                          area=Area.objects.create(code="990101001002", name="二社区", parent=street_area))
    world.user("c1_handler", "c1", (Role.HANDLER, "c1"))
    world.user("c1_head", "c1", (Role.UNIT_HEAD, "c1"))
    world.user("c2_handler", "c2", (Role.HANDLER, "c2"))
    world.user("street_head", "d1_street", (Role.UNIT_HEAD, "d1_street"))
    return world
