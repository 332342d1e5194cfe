"""The demo city: units and administrative areas, and the staff accounts that work in them.

江城市 is fictional (area codes 99xxxx belong to no province). Each district has a petition office,
housing, labour, education and market bureaus and two streets with two communities each.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password

from org.models import Area, Role, RoleAssignment, Unit, UnitKind, User
from org.services import create_unit, grant_role

DEMO_PASSWORD = "xinfang-demo"

CITY = "江城市"
CITY_AREA_CODE = "990100"  # fictional: no province has code 99
DEPARTMENTS: dict[str, str] = {
    "housing": "住房和城乡建设局",
    "hrss": "人力资源和社会保障局",
    "education": "教育局",
    "market": "市场监督管理局",
    "environment": "生态环境局",
    "health": "卫生健康委员会",
    "transport": "交通运输局",
}
DISTRICT_DEPARTMENTS = ("housing", "hrss", "education", "market")
DISTRICTS: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    ("东湖区", [("湖滨街道", ("湖滨社区", "柳岸社区")), ("东岳街道", ("东岳社区", "桃园社区"))]),
    ("西江区", [("江岸街道", ("江岸社区", "码头社区")), ("西苑街道", ("西苑社区", "枫林社区"))]),
    ("南山区", [("南岭街道", ("南岭社区", "松涛社区")), ("山湖街道", ("山湖社区", "竹园社区"))]),
]
# Level-1 label of the text → the competent department (谁主管、谁负责).
LABEL_DEPARTMENT: dict[str, str] = {
    "城乡建设": "housing",
    "劳动和社会保障": "hrss",
    "教育文体": "education",
    "商贸旅游": "market",
    "环境保护": "environment",
    "卫生计生": "health",
    "交通运输": "transport",
}


@dataclass
class Street:
    unit: Unit
    area: Area
    district: int
    communities: list[Area] = field(default_factory=list)


@dataclass
class District:
    gov: Unit
    office: Unit
    area: Area
    departments: dict[str, Unit] = field(default_factory=dict)
    streets: list[Street] = field(default_factory=list)


@dataclass
class Org:
    city: Unit
    office: Unit
    discipline: Unit
    area: Area
    departments: dict[str, Unit] = field(default_factory=dict)
    districts: list[District] = field(default_factory=list)
    handlers: dict[int, User] = field(default_factory=dict)
    heads: dict[int, User] = field(default_factory=dict)
    registrars: dict[int, User] = field(default_factory=dict)
    reviewers: dict[int, User] = field(default_factory=dict)

    def district_of(self, unit: Unit) -> District | None:
        for d in self.districts:
            if unit.is_within(d.gov):
                return d
        return None


def build_org() -> Org:
    city_area = Area.objects.create(code=CITY_AREA_CODE, name=CITY)
    city = create_unit(f"{CITY}人民政府", kind=UnitKind.TERRITORIAL, level_name="市", area=city_area)
    org = Org(
        city=city,
        office=create_unit(
            f"{CITY}信访局", kind=UnitKind.PETITION_OFFICE, level_name="市", parent=city, area=city_area
        ),
        discipline=create_unit(
            f"{CITY}纪委监委", kind=UnitKind.DISCIPLINE, level_name="市", parent=city, area=city_area
        ),
        area=city_area,
    )
    for key, name in DEPARTMENTS.items():
        org.departments[key] = create_unit(
            f"{CITY}{name}", kind=UnitKind.FUNCTIONAL, level_name="市", parent=city, area=city_area
        )
    for i, (district_name, streets) in enumerate(DISTRICTS):
        code = f"9901{i + 2:02d}"
        area = Area.objects.create(code=code, name=district_name, parent=city_area)
        gov = create_unit(
            f"{district_name}人民政府", kind=UnitKind.TERRITORIAL, level_name="区", parent=city, area=area
        )
        district = District(
            gov=gov,
            area=area,
            office=create_unit(
                f"{district_name}信访局",
                kind=UnitKind.PETITION_OFFICE,
                level_name="区",
                parent=gov,
                area=area,
            ),
        )
        for key in DISTRICT_DEPARTMENTS:
            district.departments[key] = create_unit(
                f"{district_name}{DEPARTMENTS[key]}",
                kind=UnitKind.FUNCTIONAL,
                level_name="区",
                parent=gov,
                area=area,
            )
        for j, (street_name, communities) in enumerate(streets):
            street_area = Area.objects.create(code=f"{code}{j + 1:03d}", name=street_name, parent=area)
            street = Street(
                unit=create_unit(
                    f"{district_name}{street_name}办事处",
                    kind=UnitKind.TERRITORIAL,
                    level_name="街道",
                    parent=gov,
                    area=street_area,
                ),
                area=street_area,
                district=i,
            )
            for k, community_name in enumerate(communities):
                community_area = Area.objects.create(
                    code=f"{code}{j + 1:03d}{k + 1:03d}", name=community_name, parent=street_area
                )
                create_unit(
                    f"{street_name}{community_name}居民委员会",
                    kind=UnitKind.TERRITORIAL,
                    level_name="社区",
                    parent=street.unit,
                    area=community_area,
                )
                street.communities.append(community_area)
            district.streets.append(street)
        org.districts.append(district)
    return org


# --- accounts ---------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅建国志文斌海燕晓东鹏辉丹宇浩凯俊健琳雪慧兰云峰德福春"

# username, home unit key, [(role, scope key)]: the accounts a demo user logs in with.
DemoAccount = tuple[str, str, list[tuple[str, str]]]
DEMO_ACCOUNTS: list[DemoAccount] = [
    ("admin", "office", []),
    ("registrar", "office", [(Role.REGISTRAR, "city")]),
    ("reviewer", "office", [(Role.REVIEWER, "city")]),
    ("supervisor", "office", [(Role.SUPERVISOR, "city")]),
    ("analyst", "office", [(Role.ANALYST, "city")]),
    ("auditor", "office", [(Role.AUDITOR, "city")]),
    ("leader", "city", [(Role.LEADER, "city")]),
    ("discipline", "discipline", [(Role.HANDLER, "discipline"), (Role.UNIT_HEAD, "discipline")]),
    ("district_registrar", "d1_office", [(Role.REGISTRAR, "d1")]),
    ("district_reviewer", "d1_office", [(Role.REVIEWER, "d1")]),
    ("district_head", "d1", [(Role.UNIT_HEAD, "d1")]),
    ("handler", "d1_housing", [(Role.HANDLER, "d1_housing")]),
    ("unit_head", "d1_housing", [(Role.UNIT_HEAD, "d1_housing")]),
    ("street_registrar", "s1", [(Role.REGISTRAR, "s1")]),
    ("street_handler", "s1", [(Role.HANDLER, "s1")]),
]
DEMO_USERNAMES = [a[0] for a in DEMO_ACCOUNTS]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


class _Staff:
    """Creates staff accounts with one shared password hash (hashing 70 times would take most of a minute)."""

    def __init__(self, password_hash: str, granted_at: datetime, rng: random.Random) -> None:
        self.password_hash, self.granted_at, self.rng = password_hash, granted_at, rng
        self.count = 0

    def user(
        self, username: str, home: Unit, grants: Iterable[tuple[str, Unit]], *, superuser: bool = False
    ) -> User:
        user = User(
            username=username,
            unit=home,
            display_name=person_name(self.rng),
            password=self.password_hash,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.save()
        for role, scope in grants:
            grant_role(user, role, scope, now=self.granted_at)
        self.count += 1
        return user


def create_accounts(org: Org, granted_at: datetime, rng: random.Random) -> int:
    """The demo accounts, then one registrar/reviewer per office and handler/head per unit that handles."""
    staff = _Staff(make_password(DEMO_PASSWORD), granted_at, rng)
    d1, s1 = org.districts[0], org.districts[0].streets[0]
    keys: dict[str, Unit] = {
        "city": org.city,
        "office": org.office,
        "discipline": org.discipline,
        "d1": d1.gov,
        "d1_office": d1.office,
        "d1_housing": d1.departments["housing"],
        "s1": s1.unit,
    }
    named: dict[str, User] = {}
    for username, home, grants in DEMO_ACCOUNTS:
        named[username] = staff.user(
            username,
            keys[home],
            [(role, keys[scope]) for role, scope in grants],
            superuser=username == "admin",
        )
    org.registrars[org.office.pk] = named["registrar"]
    org.reviewers[org.office.pk] = named["reviewer"]
    org.registrars[d1.office.pk] = named["district_registrar"]
    org.reviewers[d1.office.pk] = named["district_reviewer"]
    org.heads[d1.gov.pk] = named["district_head"]
    org.handlers[d1.departments["housing"].pk] = named["handler"]
    org.heads[d1.departments["housing"].pk] = named["unit_head"]
    org.registrars[s1.unit.pk] = named["street_registrar"]
    org.handlers[s1.unit.pk] = named["street_handler"]
    org.handlers[org.discipline.pk] = org.heads[org.discipline.pk] = named["discipline"]

    for district in org.districts:
        office = district.office
        if office.pk not in org.registrars:
            org.registrars[office.pk] = staff.user(
                f"registrar_{office.pk}", office, [(Role.REGISTRAR, district.gov)]
            )
            org.reviewers[office.pk] = staff.user(
                f"reviewer_{office.pk}", office, [(Role.REVIEWER, district.gov)]
            )
        if district.gov.pk not in org.heads:
            org.heads[district.gov.pk] = staff.user(
                f"head_{district.gov.pk}", district.gov, [(Role.UNIT_HEAD, district.gov)]
            )
        for street in district.streets:
            if street.unit.pk not in org.registrars:
                org.registrars[street.unit.pk] = staff.user(
                    f"registrar_{street.unit.pk}", street.unit, [(Role.REGISTRAR, street.unit)]
                )
    handling_units = [*org.departments.values()]
    for district in org.districts:
        handling_units += [*district.departments.values(), *(s.unit for s in district.streets)]
    for unit in handling_units:
        if unit.pk not in org.handlers:
            org.handlers[unit.pk] = staff.user(f"handler_{unit.pk}", unit, [(Role.HANDLER, unit)])
        if unit.pk not in org.heads:
            org.heads[unit.pk] = staff.user(f"head_{unit.pk}", unit, [(Role.UNIT_HEAD, unit)])
    return staff.count


def accounts_table() -> list[tuple[str, str, str]]:
    """(username, roles with scope, home unit) of the demo accounts, read from the database."""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("unit")}
    grants: dict[int, list[str]] = {}
    for a in RoleAssignment.objects.filter(user__in=users.values()).select_related("scope").order_by("pk"):
        grants.setdefault(a.user_id, []).append(f"{a.role} @ {a.scope.name}")
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is not None:
            roles = "superuser" if user.is_superuser else ", ".join(grants.get(user.pk, [])) or "-"
            rows.append((username, roles, user.unit.name if user.unit else "-"))
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_accounts_table() -> str:
    header = ("username", "role", "unit")
    rows = [header, *accounts_table()]
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    extra = User.objects.filter(username__regex=r"^(registrar|reviewer|handler|head)_\d+$").count()
    lines.append(f"Password for all: {DEMO_PASSWORD}")
    if extra:
        lines.append(
            f"(+ {extra} unit staff accounts: registrar_<unit id>, reviewer_<unit id>, handler_<unit id>, "
            "head_<unit id>, same password)"
        )
    return "\n".join(lines)
