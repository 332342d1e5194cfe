"""A small organisation for tests: a city with its petition office, discipline inspection and a
housing bureau; two districts, each with a housing bureau and a street. One user per role and
place. Import the fixtures into a tests package's conftest with ``from xinfang.testing import *``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from org.models import Role, Unit, UnitKind, User
from org.services import create_unit, grant_role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 10) -> datetime:
    """A moment on a Shanghai calendar day."""
    return datetime(y, m, d, hh, tzinfo=SHANGHAI)


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str, home: str, *grants: tuple[str, str]) -> User:
        u = User.objects.create_user(username=name, password="pw-" + name, unit=self.units[home])
        for role, scope in grants:
            grant_role(u, role, self.units[scope])
        self.users[name] = u
        return u


def build_world() -> World:
    w = World()
    u = w.units
    u["city"] = create_unit("A市", kind=UnitKind.TERRITORIAL, level_name="市")
    u["city_office"] = create_unit("A市信访局", kind=UnitKind.PETITION_OFFICE, level_name="市", parent=u["city"])
    u["city_discipline"] = create_unit("A市纪委监委", kind=UnitKind.DISCIPLINE, level_name="市", parent=u["city"])
    u["city_housing"] = create_unit("A市住房和城乡建设局", kind=UnitKind.FUNCTIONAL, level_name="市", parent=u["city"])
    for d in ("d1", "d2"):
        u[d] = create_unit(f"{d}区", kind=UnitKind.TERRITORIAL, level_name="区", parent=u["city"])
        u[f"{d}_office"] = create_unit(f"{d}区信访局", kind=UnitKind.PETITION_OFFICE, level_name="区", parent=u[d])
        u[f"{d}_housing"] = create_unit(f"{d}区住建局", kind=UnitKind.FUNCTIONAL, level_name="区", parent=u[d])
        u[f"{d}_street"] = create_unit(f"{d}区东街道", kind=UnitKind.TERRITORIAL, level_name="街道", parent=u[d])
    w.user("registrar", "city_office", (Role.REGISTRAR, "city"))
    w.user("reviewer", "city_office", (Role.REVIEWER, "city"))
    w.user("supervisor", "city_office", (Role.SUPERVISOR, "city"))
    w.user("discipline", "city_discipline", (Role.HANDLER, "city_discipline"), (Role.UNIT_HEAD, "city_discipline"))
    w.user("d1_registrar", "d1_office", (Role.REGISTRAR, "d1"))
    w.user("d1_reviewer", "d1_office", (Role.REVIEWER, "d1"))
    w.user("d1_head", "d1", (Role.UNIT_HEAD, "d1"))
    w.user("handler", "d1_housing", (Role.HANDLER, "d1_housing"))
    w.user("housing_head", "d1_housing", (Role.UNIT_HEAD, "d1_housing"))
    w.user("d2_handler", "d2_housing", (Role.HANDLER, "d2_housing"))
    w.user("d2_head", "d2_housing", (Role.UNIT_HEAD, "d2_housing"))
    w.user("street_handler", "d1_street", (Role.HANDLER, "d1_street"))
    w.user("leader", "city", (Role.LEADER, "city"))
    w.user("nobody", "d1_housing")
    return w


@pytest.fixture
def world(db: None) -> World:
    return build_world()
