"""Bulk loader for the benchmarks: an organisation, the taxonomy, areas, and N matters.

Matters are written with ``bulk_create`` (petitioners, matters, their open deadlines) in chunks, not
through ``register_matter``: seeding 100,000 matters through the services would take most of an hour.
What the services keep consistent is kept consistent here too:

- each state has the open clocks the lifecycle table leaves running in it (``registered``: acceptance;
  ``forwarded``: acceptance + objection; ``accepted``/``extended``: handling; ``replied``: follow-up +
  review request; ...; finished states: none), with due dates from the real calendar arithmetic;
- ``statutory_due``, ``due_soon_from``, ``clock_paused`` and ``due_provisional`` are derived from those
  clocks exactly as ``matters.clocks.refresh_due_columns`` derives them;
- accusations are handled only by a petition office or the discipline inspection;
- petitioner fields are encrypted: a small pool of values is encrypted once and the same ciphertexts
  are reused (passed as ``Value`` expressions, so the field does not encrypt them a second time).

The organisation mirrors ``xinfang.testing.build_world`` (same user names, passwords ``pw-<username>``)
with four more districts and more city bureaus, so a unit's share of the matters is closer to a real
city's. It is built here rather than imported because ``xinfang.testing`` needs pytest, which the
production venv that ``scripts/bench.sh`` uses does not have.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import TextField, Value
from django.utils import timezone

from deadlines.calendar import WorkCalendar
from deadlines.models import DayKind, DeadlinePolicy
from deadlines.periods import Due, compute_due, due_soon_window
from deadlines.rules import CLOCKS, Clock
from intel import duplicates
from matters import search
from matters.lifecycle import TERMINAL_STATES, State
from matters.models import Category, Channel, Deadline, HandlingKind, Matter, Petitioner, PetitionerKind
from matters.personal_data import encrypt, lookup_hash
from matters.services import QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH
from org.models import Area, Role, Unit, UnitKind, User
from org.services import create_unit, grant_role

CHUNK = 5000
DISTRICTS = ("d1", "d2", "d3", "d4", "d5", "d6")
CITY_BUREAUS = {
    "city_housing": "A市住房和城乡建设局",
    "city_hrss": "A市人力资源和社会保障局",
    "city_transport": "A市交通运输局",
    "city_market": "A市市场监督管理局",
}


# --- organisation, areas, taxonomy -------------------------------------------------------------


@dataclass
class Org:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    leaf_categories: list[int] = field(default_factory=list)

    def user(self, name: str, home: str, *grants: tuple[str, str]) -> User:
        u = User.objects.create_user(username=name, password="pw-" + name, unit=self.units[home])
        for role, scope in grants:
            grant_role(u, role, self.units[scope])
        self.users[name] = u
        return u


def build_org() -> Org:
    """The tree of ``xinfang.testing.build_world`` plus districts d3–d6 and three more city bureaus."""
    org = Org()
    u, a = org.units, org.areas
    a["city"] = Area.objects.create(code="BA00", name="A市")
    u["city"] = create_unit("A市", kind=UnitKind.TERRITORIAL, level_name="市", area=a["city"])
    u["city_office"] = create_unit(
        "A市信访局", kind=UnitKind.PETITION_OFFICE, level_name="市", parent=u["city"]
    )
    u["city_discipline"] = create_unit(
        "A市纪委监委", kind=UnitKind.DISCIPLINE, level_name="市", parent=u["city"]
    )
    for key, name in CITY_BUREAUS.items():
        u[key] = create_unit(name, kind=UnitKind.FUNCTIONAL, level_name="市", parent=u["city"])
    for i, d in enumerate(DISTRICTS, start=1):
        a[d] = Area.objects.create(code=f"BA{i:02d}", name=f"{d}区", parent=a["city"])
        for s, street in enumerate(("东街道", "西街道"), start=1):
            a[f"{d}_s{s}"] = Area.objects.create(code=f"BA{i:02d}{s:02d}", name=f"{d}区{street}", parent=a[d])
        u[d] = create_unit(f"{d}区", kind=UnitKind.TERRITORIAL, level_name="区", parent=u["city"], area=a[d])
        u[f"{d}_office"] = create_unit(
            f"{d}区信访局", kind=UnitKind.PETITION_OFFICE, level_name="区", parent=u[d]
        )
        u[f"{d}_housing"] = create_unit(
            f"{d}区住建局", kind=UnitKind.FUNCTIONAL, level_name="区", parent=u[d]
        )
        u[f"{d}_street"] = create_unit(
            f"{d}区东街道", kind=UnitKind.TERRITORIAL, level_name="街道", parent=u[d], area=a[f"{d}_s1"]
        )
    org.user("registrar", "city_office", (Role.REGISTRAR, "city"))
    org.user("reviewer", "city_office", (Role.REVIEWER, "city"))
    org.user("supervisor", "city_office", (Role.SUPERVISOR, "city"))
    org.user(
        "discipline",
        "city_discipline",
        (Role.HANDLER, "city_discipline"),
        (Role.UNIT_HEAD, "city_discipline"),
    )
    org.user("d1_registrar", "d1_office", (Role.REGISTRAR, "d1"))
    org.user("d1_reviewer", "d1_office", (Role.REVIEWER, "d1"))
    org.user("d1_head", "d1", (Role.UNIT_HEAD, "d1"))
    org.user("handler", "d1_housing", (Role.HANDLER, "d1_housing"))
    org.user("housing_head", "d1_housing", (Role.UNIT_HEAD, "d1_housing"))
    org.user("street_handler", "d1_street", (Role.HANDLER, "d1_street"))
    org.leaf_categories = load_taxonomy(Path(settings.BASE_DIR) / "fixtures" / "taxonomy.csv")
    return org


def load_taxonomy(path: Path) -> list[int]:
    """The three-level taxonomy from fixtures/taxonomy.csv, one bulk insert per level; returns the leaf ids."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            [row["level1"].strip(), row["level2"].strip(), row["level3"].strip()] for row in csv.DictReader(f)
        ]
    ids: dict[str, int] = {}
    for level in (1, 2, 3):
        new: dict[str, Category] = {}
        for names in rows:
            cat_path = "/".join(names[:level])
            if cat_path not in ids and cat_path not in new:
                parent = ids["/".join(names[: level - 1])] if level > 1 else None
                new[cat_path] = Category(name=names[level - 1], level=level, parent_id=parent, path=cat_path)
        for cat in Category.objects.bulk_create(list(new.values())):
            ids[cat.path] = cat.pk
    return [ids["/".join(names)] for names in rows]


# --- synthetic texts and personal data -------------------------------------------------------

PLACES = (
    "幸福里小区",
    "朝阳路",
    "滨江花园",
    "和平街",
    "新华村",
    "东湖社区",
    "翠苑三区",
    "解放北路",
    "金色家园",
    "南门市场",
)
TOPICS = (
    "物业服务费收费不合理",
    "物业公司不作为",
    "小区停车位分配争议",
    "拖欠农民工工资",
    "房屋征收补偿标准过低",
    "道路施工噪音扰民",
    "生活垃圾清运不及时",
    "养老保险待遇核定有误",
    "学校招生划片不公",
    "医保报销比例过低",
    "违章建筑影响采光",
    "自来水水质发黄",
    "燃气管道老化",
    "公交线路调整不便",
    "餐饮油烟污染",
    "商铺拖欠押金不退",
    "宅基地确权纠纷",
    "低保资格被取消",
    "房产证迟迟办不下来",
    "电梯长期故障无人维修",
)
FILLER = (
    "多次向有关部门反映，至今没有得到答复。",
    "涉及住户约两百户，影响日常生活。",
    "希望有关部门尽快调查核实并依法处理。",
    "已向社区和街道反映过，对方表示不归其管理。",
    "相关费用标准未经公示，群众意见较大。",
    "请求依法保障我们的合法权益。",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟")

# Weights out of 100. ``re_reviewed`` is absent: deciding a re-review closes the matter at once.
STATE_WEIGHTS: dict[str, int] = {
    State.REGISTERED: 8,
    State.FORWARDED: 6,
    State.ACCEPTED: 15,
    State.EXTENDED: 3,
    State.REPLIED: 5,
    State.FOLLOWED_UP: 4,
    State.REVIEW_REQUESTED: 2,
    State.REVIEWED: 2,
    State.RE_REVIEW_REQUESTED: 1,
    State.CLOSED: 45,
    State.NOT_ACCEPTED: 6,
    State.MERGED: 3,
}
CHANNEL_WEIGHTS: dict[str, int] = {
    Channel.WEB: 30,
    Channel.HOTLINE: 25,
    Channel.LETTER: 12,
    Channel.VISIT: 15,
    Channel.PHONE: 8,
    Channel.LEADER_MAILBOX: 6,
    Channel.REFERRAL: 4,
}
KIND_WEIGHTS: dict[str, int] = {
    HandlingKind.CLAIM: 70,
    HandlingKind.SUGGESTION: 25,
    HandlingKind.ACCUSATION: 5,
}
# (where, weight): city-level intake, or one of the districts (d1 busiest).
LEVEL_WEIGHTS: dict[str, int] = {"city": 25, "d1": 20, "d2": 15, "d3": 12, "d4": 10, "d5": 10, "d6": 8}
PAUSED_SHARE = 0.03
REPLIED_STATES = frozenset(
    {
        State.REPLIED,
        State.FOLLOWED_UP,
        State.REVIEW_REQUESTED,
        State.REVIEWED,
        State.RE_REVIEW_REQUESTED,
        State.CLOSED,
    }
)
OBLIGATIONS = frozenset(c for c, rule in CLOCKS.items() if rule.statutory and rule.office_obligation)


def _encrypted(value: str) -> Value:
    """An already-encrypted value that bulk_create writes as it is."""
    return Value(encrypt(value), output_field=TextField())


class Pool:
    """A few hundred personal-data values, encrypted once."""

    def __init__(self, rng: random.Random, size: int = 200) -> None:
        self.people: list[tuple[Value, Value, Value, Value, str, str]] = []
        for _i in range(size):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            phone = "1" + "".join(rng.choice("0123456789") for _d in range(10))
            id_number = "".join(rng.choice("0123456789") for _d in range(17)) + rng.choice("0123456789X")
            address = rng.choice(PLACES) + f"{rng.randint(1, 30)}号"
            self.people.append(
                (
                    _encrypted(name),
                    _encrypted(phone),
                    _encrypted(id_number),
                    _encrypted(address),
                    lookup_hash(phone),
                    lookup_hash(id_number),
                )
            )


def query_code(seq: int) -> str:
    """A unique code per sequence number (a bijection on 25^10, then base 25 in the code alphabet)."""
    base = len(QUERY_CODE_ALPHABET)
    n = (seq * 77_777_777_777 + 123_456_789) % base**QUERY_CODE_LENGTH
    chars = []
    for _i in range(QUERY_CODE_LENGTH):
        n, r = divmod(n, base)
        chars.append(QUERY_CODE_ALPHABET[r])
    return "".join(chars)


# --- matters -------------------------------------------------------------------------------


@dataclass
class ClockSpec:
    clock: Clock
    start: date
    days: int
    day_kind: str
    paused_on: date | None = None


def _choice(rng: random.Random, weights: dict[str, int]) -> Callable[[], str]:
    keys, cum = list(weights), []
    total = 0
    for w in weights.values():
        total += w
        cum.append(total)
    return lambda: rng.choices(keys, cum_weights=cum)[0]


def by_day(rng: random.Random, start: date, day: date, last: date) -> date:
    """``day``, or if it is after ``last`` a day between ``start`` and ``last``: a step drawn for the
    future of a recent matter happened lately, spread over those days. (Putting them all on the last
    day gave the day the indicators bench measures 30 times the closings of any other.)"""
    if day <= last:
        return day
    return start + timedelta(days=rng.randint(0, max(0, (last - start).days)))


class Seeder:
    """Adds matters in bulk; call ``seed(n)`` repeatedly to grow the data set."""

    def __init__(self, org: Org, *, seed: int = 20240501, today: date | None = None, index: bool = True) -> None:
        self.org = org
        self.index = index  # the search and duplicate indexes; a bench that reads neither skips them
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.pool = Pool(self.rng)
        self.policy = DeadlinePolicy.current()
        self.calendar = WorkCalendar.load()
        self.seq = 0
        self.pick_state = _choice(self.rng, STATE_WEIGHTS)
        self.pick_channel = _choice(self.rng, CHANNEL_WEIGHTS)
        self.pick_kind = _choice(self.rng, KIND_WEIGHTS)
        self.pick_level = _choice(self.rng, LEVEL_WEIGHTS)
        u = org.units
        self.office = {"city": u["city_office"], **{d: u[f"{d}_office"] for d in DISTRICTS}}
        self.handlers: dict[str, list[Unit]] = {
            "city": [u[k] for k in CITY_BUREAUS],
            **{d: [u[d], u[f"{d}_housing"], u[f"{d}_street"], u[f"{d}_housing"]] for d in DISTRICTS},
        }
        self.parent = {unit.pk: unit.parent_id for unit in u.values()}
        self.areas: dict[str, list[Area]] = {
            "city": [org.areas["city"]],
            **{d: [org.areas[d], org.areas[f"{d}_s1"], org.areas[f"{d}_s2"]] for d in DISTRICTS},
        }
        self._due = lru_cache(maxsize=None)(self._compute_due)

    def _compute_due(self, start: date, days: int, day_kind: str) -> Due:
        return compute_due(start, days, day_kind, self.calendar, rollover=self.policy.rest_day_rollover)

    def _day(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def _after(self, day: date, lo: int, hi: int) -> date:
        """A day ``lo``..``hi`` days after ``day``, never after today."""
        return by_day(self.rng, day, day + timedelta(days=self.rng.randint(lo, hi)), self.today)

    def _clocks(self, state: str, registered: date) -> tuple[list[ClockSpec], date | None]:
        """The open clocks of a matter in ``state`` and, for a finished one, the day it finished."""
        cal, work = DayKind.CALENDAR, DayKind.WORKING
        if state == State.REGISTERED:
            return [ClockSpec(Clock.ACCEPTANCE, registered, 15, cal)], None
        if state == State.FORWARDED:
            fwd = self._after(registered, 0, 3)
            return [ClockSpec(Clock.ACCEPTANCE, fwd, 15, cal), ClockSpec(Clock.OBJECTION, fwd, 5, work)], None
        if state in (State.ACCEPTED, State.EXTENDED):
            accepted = self._after(registered, 1, 10)
            days = 60 + (self.rng.randint(10, 30) if state == State.EXTENDED else 0)
            return [ClockSpec(Clock.HANDLING, accepted, days, cal)], None
        if state in (State.REPLIED, State.FOLLOWED_UP):
            replied = self._day(0, 29)
            specs = [ClockSpec(Clock.REVIEW_REQUEST, replied, 30, cal)]
            if state == State.REPLIED:
                specs.append(ClockSpec(Clock.FOLLOW_UP, replied, self.policy.follow_up_days, cal))
            return specs, None
        if state == State.REVIEW_REQUESTED:
            return [ClockSpec(Clock.REVIEW_DECISION, self._day(0, 40), 30, cal)], None
        if state == State.REVIEWED:
            return [ClockSpec(Clock.RE_REVIEW_REQUEST, self._day(0, 29), 30, cal)], None
        if state == State.RE_REVIEW_REQUESTED:
            return [ClockSpec(Clock.RE_REVIEW_DECISION, self._day(0, 40), 30, cal)], None
        return [], self._after(registered, 5, 90)

    AGE: dict[str, tuple[int, int]] = {
        State.REGISTERED: (0, 22),
        State.FORWARDED: (1, 22),
        State.ACCEPTED: (2, 75),
        State.EXTENDED: (45, 95),
        State.REPLIED: (30, 110),
        State.FOLLOWED_UP: (30, 110),
        State.REVIEW_REQUESTED: (60, 160),
        State.REVIEWED: (90, 200),
        State.RE_REVIEW_REQUESTED: (120, 240),
    }

    def _one(self) -> tuple[Petitioner, Matter, list[ClockSpec]]:
        rng = self.rng
        self.seq += 1
        state, kind, level = self.pick_state(), self.pick_kind(), self.pick_level()
        registered = self._day(*self.AGE.get(state, (30, 730)))
        specs, finished = self._clocks(state, registered)
        intake = self.office[level]
        if state == State.REGISTERED:
            handling = intake
        elif kind == HandlingKind.ACCUSATION:
            handling = self.org.units["city_discipline"] if level == "city" or rng.random() < 0.4 else intake
        else:
            handling = rng.choice(self.handlers[level])
        review_unit = None
        if state in (State.REVIEWED, State.RE_REVIEW_REQUESTED):
            review_unit = self.parent[handling.pk] or handling.pk
        name, phone, id_number, address, phone_hash, id_hash = rng.choice(self.pool.people)
        group = rng.random() < 0.03
        petitioner = Petitioner(
            kind=PetitionerKind.GROUP if group else PetitionerKind.PERSON,
            name=name,
            phone=phone,
            id_number=id_number,
            address=address,
            phone_hash=phone_hash,
            id_hash=id_hash,
            group_size=rng.randint(5, 60) if group else None,
        )
        place, topic = rng.choice(PLACES), rng.choice(TOPICS)
        content = f"我是{place}的居民，反映{topic}的问题。" + "".join(rng.sample(FILLER, 3)) * 2
        at = datetime.combine(registered, time(rng.randint(8, 17), rng.randint(0, 59)))
        matter = Matter(
            query_code=query_code(self.seq),
            channel=self.pick_channel(),
            handling_kind=kind,
            state=state,
            title=f"{place}{topic}",
            content=content,
            category_id=rng.choice(self.org.leaf_categories),
            area=rng.choice(self.areas[level]),
            address=f"{place}{rng.randint(1, 99)}号",
            is_first=rng.random() > 0.2,
            is_repeat=rng.random() < 0.1,
            is_group=group,
            is_above_level=rng.random() < 0.02,
            is_to_capital=rng.random() < 0.005,
            intake_unit=intake,
            handling_unit=handling,
            review_unit_id=review_unit,
            registered_at=timezone.make_aware(at),
            closed_at=timezone.make_aware(datetime.combine(finished, time(16))) if finished else None,
            reply_text="经调查核实，已责成相关单位整改。" if state in REPLIED_STATES else "",
            version=1 + len(specs),
        )
        if specs and specs[0].clock in OBLIGATIONS and rng.random() < PAUSED_SHARE:
            specs[0].paused_on = self._after(specs[0].start, 1, 10)
        self._refresh_due_columns(matter, specs)
        return petitioner, matter, specs

    def _refresh_due_columns(self, matter: Matter, specs: Sequence[ClockSpec]) -> None:
        """As ``matters.clocks.refresh_due_columns``, from the specs instead of saved rows."""
        obligations = [s for s in specs if s.clock in OBLIGATIONS]
        if not obligations:
            return
        first = min(obligations, key=lambda s: self._due(s.start, s.days, s.day_kind).date)
        due = self._due(first.start, first.days, first.day_kind)
        window = due_soon_window(
            first.start, due.date, self.policy.due_soon_fraction, self.policy.due_soon_min_days
        )
        matter.statutory_due = due.date
        matter.due_soon_from = due.date - timedelta(days=window)
        matter.clock_paused = any(s.paused_on is not None for s in obligations)
        matter.due_provisional = due.provisional

    def _deadline(self, matter: Matter, spec: ClockSpec) -> Deadline:
        due = self._due(spec.start, spec.days, spec.day_kind)
        return Deadline(
            matter=matter,
            clock=spec.clock,
            start=spec.start,
            days=spec.days,
            day_kind=spec.day_kind,
            due=due.date,
            earliest_due=due.date,
            latest_due=due.date,
            rolled_from=due.rolled_from,
            provisional=due.provisional,
            pauses=[[spec.paused_on.isoformat(), None]] if spec.paused_on else [],
        )

    def seed(self, n: int, progress: Callable[[int], None] | None = None) -> None:
        """Add ``n`` matters, ``CHUNK`` per transaction."""
        done = 0
        while done < n:
            size = min(CHUNK, n - done)
            rows = [self._one() for _i in range(size)]
            with transaction.atomic():
                Petitioner.objects.bulk_create([p for p, _m, _s in rows])
                for p, m, _s in rows:
                    m.petitioner_id = p.pk
                matters = Matter.objects.bulk_create([m for _p, m, _s in rows])
                if self.index:
                    search.index_matters((m.pk, m.title, m.content) for m in matters)
                    duplicates.index_matters([(m.pk, m.title, m.content) for m in matters])
                Deadline.objects.bulk_create([self._deadline(m, s) for _p, m, specs in rows for s in specs])
                # A merged matter points at the open matter it was merged into.
                targets = [m.pk for m in matters if m.state not in TERMINAL_STATES]
                merged = [m for m in matters if m.state == State.MERGED]
                for m in merged:
                    m.merged_into_id = self.rng.choice(targets)
                Matter.objects.bulk_update(merged, ["merged_into"])
            done += size
            if progress:
                progress(done)
