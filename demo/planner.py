"""Planning the demo matters: what happens to each, by whom and when.

Each matter gets a *fate*, the state it should be in today. Its steps are drawn with realistic
delays, and the time from its last step to today is chosen so that the fate holds (a ``replied``
matter was answered less than 30 days ago, so its review window is still open; a ``closed`` one more
than 40 days ago, so the closing job has closed it), with open matters spread over on time, due soon
and overdue. Nothing here touches the database except reading the org tree built before.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings

from matters.models import Channel, HandlingKind, PetitionerKind
from matters.services import PetitionerData, RegistrationData
from org.models import Area, Unit, User

from .categories import CategoryPicker
from .organisation import CITY, LABEL_DEPARTMENT, District, Org, Street, person_name
from .texts import DemoText

K = TypeVar("K")

HORIZON_DAYS = 150  # matters are spread over the last ~5 months
DISTRICT_WEIGHTS = (0.45, 0.30, 0.25)
ACCUSATION_CATEGORY = "纪检监察"


# The state each matter should be in today, and how often.
FATES: dict[str, float] = {
    "registered": 0.05,
    "forwarded": 0.07,
    "not_accepted": 0.06,
    "merged": 0.03,
    "accepted": 0.12,
    "extended": 0.04,
    "replied": 0.08,
    "followed_up": 0.08,
    "review_requested": 0.03,
    "reviewed": 0.03,
    "re_review_requested": 0.02,
    "closed_review_lapsed": 0.04,  # reviewed, the re-review window lapsed: closed by the job
    "closed_re_reviewed": 0.03,  # closed at once by the re-review decision
    "closed": 0.32,  # replied, the review window lapsed: closed by the job
}
RE_REVIEW_FATES = frozenset({"re_review_requested", "closed_re_reviewed"})
ACCUSATION_FATES = frozenset({"registered", "forwarded", "accepted", "replied", "followed_up", "closed"})
ACCUSATION_SHARE = 0.005
# The first plans take these (fate, channel, accusation, paused at the end) so a small run covers every
# state, channel and kind of handling.
ROTATION: list[tuple[str, str | None, bool, bool]] = [
    ("registered", Channel.LETTER, False, False),
    ("forwarded", Channel.VISIT, False, False),
    ("accepted", Channel.WEB, False, False),
    ("extended", Channel.PHONE, False, False),
    ("replied", Channel.HOTLINE, False, False),
    ("followed_up", Channel.LEADER_MAILBOX, False, False),
    ("review_requested", Channel.REFERRAL, False, True),
    ("reviewed", None, False, False),
    ("re_review_requested", None, False, False),
    ("closed_review_lapsed", None, False, False),
    ("closed_re_reviewed", None, False, False),
    ("closed", None, False, False),
    ("not_accepted", None, False, False),
    ("merged", None, False, False),
    ("accepted", Channel.LETTER, True, True),
]
TEDDY_CHANNELS = {
    Channel.WEB: 0.40,
    Channel.LEADER_MAILBOX: 0.12,
    Channel.LETTER: 0.14,
    Channel.VISIT: 0.14,
    Channel.PHONE: 0.12,
    Channel.REFERRAL: 0.08,
}
HOTLINE_SHARE = 0.2
ESTATES = (
    "丽景苑",
    "锦绣华庭",
    "滨江花园",
    "翠湖小区",
    "阳光家园",
    "金色港湾",
    "幸福里",
    "书香名邸",
    "和平新村",
    "东方明珠小区",
)

EXTENSION_REASONS = (
    "案情复杂，需多部门会商研判",
    "涉及历史遗留问题，需调取档案逐一核实",
    "需现场勘查并组织相关各方协调",
)
HANDLING_PAUSES = (
    ("委托第三方开展房屋安全鉴定，鉴定期间不计入办理期限", "鉴定意见已出具，恢复计时"),
    ("等待司法鉴定结论，鉴定期间不计入办理期限", "鉴定结论已送达，恢复计时"),
)
REVIEW_PAUSE = ("组织复查听证，听证期间不计入期限", "听证结束，恢复计时")
FOLLOW_UPS = (
    "电话回访：信访人对答复意见表示满意。",
    "电话回访：信访人表示基本满意。",
    "上门回访：信访人对处理结果不满意，表示将申请复查。",
    "短信回访：信访人未提出新的诉求。",
)
REVIEW_DECISIONS = (
    "经复查，原答复意见认定事实清楚，适用政策正确，予以维持。",
    "经复查，原答复意见部分事实认定不清，责成原办理单位重新核实并补充答复。",
)
RE_REVIEW_DECISION = (
    "经复核，维持复查意见。本复核意见为终结意见，信访人以同一事实和理由提出投诉请求的，不再受理。"
)
REFUSALS: dict[str, tuple[str, str]] = {
    "劳动和社会保障": (
        "诉求属劳动争议，依法应通过劳动人事争议仲裁解决（《信访工作条例》第三十一条）。",
        "向劳动人事争议仲裁委员会申请仲裁",
    ),
    "城乡建设": (
        "诉求系业主与开发企业之间的合同纠纷，应通过诉讼途径解决（《信访工作条例》第三十一条）。",
        "向人民法院提起民事诉讼",
    ),
    "": (
        "诉求已由法律、行政法规规定的途径处理，依法不作为信访事项受理（《信访工作条例》第三十一条）。",
        "依法申请行政复议或者提起行政诉讼",
    ),
}
FINDINGS: dict[str, str] = {
    "城乡建设": "已会同属地街道和相关企业现场核查，责成有关单位限期整改，并将持续跟踪整改情况",
    "劳动和社会保障": "已约谈用人单位，依据《劳动合同法》《社会保险法》有关规定督促其依法履行义务",
    "教育文体": "已责成学校依据教育主管部门有关规定规范办学行为，并将加强日常监督检查",
    "商贸旅游": "已依据《消费者权益保护法》对经营者开展检查，督促其依法整改并退还不当收费",
    "环境保护": "已组织执法人员现场监测，依据《环境保护法》对超标排放行为立案查处",
    "卫生计生": "已责成医疗机构依据有关诊疗规范进行自查整改，并对相关情况进行了调查核实",
    "交通运输": "已依据《道路运输条例》对相关线路和经营者进行检查，督促其整改",
}


def _weighted(rng: random.Random, weights: dict[K, float]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Step:
    day: int  # days after registration
    action: str
    actor: User | None
    params: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None


@dataclass
class Plan:
    index: int
    fate: str
    text: DemoText
    label: str
    data: RegistrationData
    intake: Unit
    unit: Unit  # the competent unit
    steps: list[Step] = field(default_factory=list)
    merge_into: Plan | None = None
    matter_id: int | None = None

    @property
    def registered_at(self) -> datetime:
        at = self.steps[0].at
        assert at is not None
        return at


class _Script:
    """The steps of one matter, as day offsets from its registration."""

    def __init__(self, registrar: User) -> None:
        self.steps = [Step(0, "register", registrar)]
        self.day = 0

    def add(self, delay: int, action: str, actor: User, **params: Any) -> int:
        self.day += max(0, delay)
        self.steps.append(Step(self.day, action, actor, params))
        return self.day

    def add_on(self, day: int, action: str, actor: User, *, min_delay: int = 0, **params: Any) -> int:
        """On ``day`` after registration, or ``min_delay`` days after the last step if that is later."""
        return self.add(max(min_delay, day - self.day), action, actor, **params)


# How the time between the last step and today is chosen: (anchor day, days from anchor to today, strict).
# Strict: the fate depends on it (a window still open or lapsed, a clock on time or overdue).
Timing = tuple[int, int, bool]


def _elapsed_on_obligation(rng: random.Random, period: int) -> int:
    """Days since a clock started: mostly on time, some due soon, some overdue."""
    window = max(3, math.ceil(0.2 * period))
    r = rng.random()
    if r < 0.62:
        return rng.randint(0, max(0, period - window - 1))
    if r < 0.80:
        return rng.randint(period - window + 1, period - 1)
    return rng.randint(period + 3, period + 25)


class Planner:
    def __init__(
        self, rng: random.Random, org: Org, categories: CategoryPicker, texts: list[DemoText], now: datetime
    ) -> None:
        self.rng, self.org, self.categories = rng, org, categories
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.today = now.astimezone(self.tz).date()
        pools: dict[str, list[DemoText]] = {"accusation": [], "haikou12345": [], "teddy2020": []}
        for t in texts:
            pools["accusation" if t.is_accusation else t.dataset].append(t)
        for pool in pools.values():
            rng.shuffle(pool)
        self.pools = pools
        self.used: Counter[str] = Counter()

    def plan_all(self, count: int) -> list[Plan]:
        plans: list[Plan] = []
        duplicates: list[int] = []
        for index in range(count):
            draw = self._draw(index)
            if draw[0] == "merged":
                duplicates.append(index)
            else:
                plans.append(self._plan(index, *draw))
        originals = [p for p in plans if p.data.handling_kind != HandlingKind.ACCUSATION]
        for index in duplicates:
            plans.append(
                self._plan_duplicate(index, originals) or self._plan(index, "registered", None, False, False)
            )
        plans.sort(key=lambda p: p.index)
        return plans

    # -- drawing ----------------------------------------------------------------------

    def _draw(self, index: int) -> tuple[str, str | None, bool, bool]:
        if index < len(ROTATION):
            return ROTATION[index]
        rng = self.rng
        fate = _weighted(rng, FATES)
        accusation = fate in ACCUSATION_FATES and rng.random() < ACCUSATION_SHARE
        paused_end = rng.random() < {
            "accepted": 0.12,
            "review_requested": 0.25,
            "re_review_requested": 0.15,
        }.get(fate, 0)
        return fate, None, accusation, paused_end

    def _text(self, pool: str) -> DemoText:
        texts = self.pools[pool] or self.pools["teddy2020"]
        text = texts[self.used[pool] % len(texts)]
        self.used[pool] += 1
        return text

    def _phone(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def _id_number(self, area_code: str) -> str:
        born = date(1950, 1, 1) + timedelta(days=self.rng.randint(0, 50 * 365))
        body = f"{area_code[:6]}{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]

    def _petitioner(self, channel: str, area: Area, place: str) -> PetitionerData:
        rng = self.rng
        r = rng.random()
        if r < 0.06:  # a group: the number of people, at most five representatives (Art. 20)
            size = rng.randint(6, 80)
            reps = [(person_name(rng), self._phone()) for _ in range(rng.randint(1, 5))]
            estate = rng.choice(ESTATES)
            return PetitionerData(
                name=f"{estate}业主{size}人",
                kind=PetitionerKind.GROUP,
                phone=reps[0][1],
                address=f"{place}{estate}",
                group_size=size,
                representatives=reps,
            )
        if r < 0.08:
            return PetitionerData(
                name=f"{rng.choice(ESTATES)}业主委员会",
                kind=PetitionerKind.ORGANISATION,
                phone=self._phone(),
                address=place,
            )
        return PetitionerData(
            name=person_name(rng),
            phone=self._phone() if rng.random() < 0.92 else "",
            id_number=self._id_number(area.code) if channel == Channel.VISIT and rng.random() < 0.8 else "",
            address=f"{place}{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元",
        )

    # -- one matter --------------------------------------------------------------------

    def _plan(self, index: int, fate: str, channel: str | None, accusation: bool, paused_end: bool) -> Plan:
        rng, org = self.rng, self.org
        if channel is None:
            channel = Channel.HOTLINE if rng.random() < HOTLINE_SHARE else _weighted(rng, TEDDY_CHANNELS)
        if accusation:
            channel = Channel.LETTER if channel in (Channel.HOTLINE, Channel.REFERRAL) else channel
            text = self._text("accusation")
        else:
            text = self._text("haikou12345" if channel == Channel.HOTLINE else "teddy2020")
        label = text.department_label
        kind = (
            HandlingKind.ACCUSATION
            if accusation
            else (HandlingKind.SUGGESTION if text.is_suggestion else HandlingKind.CLAIM)
        )
        category = self.categories.pick(ACCUSATION_CATEGORY if accusation else label, text.subject, text.text)
        if not label and category is not None and not accusation:
            label = category.path.split("/", 1)[0]

        # Where: a community or street of a district, sometimes the whole city.
        needs_district = fate in RE_REVIEW_FATES or not label
        district = org.districts[rng.choices(range(len(org.districts)), weights=DISTRICT_WEIGHTS)[0]]
        street = rng.choice(district.streets)
        city_wide = bool(label) and not needs_district and not accusation and rng.random() < 0.1
        area: Area
        if city_wide:
            area, place = org.area, CITY
        elif rng.random() < 0.8:
            area = rng.choice(street.communities)
            place = f"{district.area.name}{street.area.name}{area.name}"
        else:
            area, place = street.area, f"{district.area.name}{street.area.name}"

        # Who registers: the city office takes the hotline, mailbox, referrals and accusations; else any level.
        level = "city"
        if (
            not accusation
            and not city_wide
            and channel not in (Channel.HOTLINE, Channel.REFERRAL, Channel.LEADER_MAILBOX)
        ):
            r = rng.random()
            if channel == Channel.WEB:
                level = "district" if r < 0.2 else "city"
            else:
                level = "city" if r < 0.45 else ("district" if r < 0.85 else "street")
        if level == "street" and fate == "forwarded":
            level = "district"
        intake = {"city": org.office, "district": district.office, "street": street.unit}[level]
        unit = self._competent(label, district, street, level, needs_district, accusation, city_wide)
        data = RegistrationData(
            channel=channel,
            title=text.subject[:200],
            content=text.text,
            petitioner=self._petitioner(channel, area, place),
            handling_kind=kind,
            category_id=category.pk if category else None,
            area_id=area.pk,
            address="" if city_wide else place,
            is_first=rng.random() >= 0.08,
            is_above_level=channel == Channel.VISIT and level == "city" and rng.random() < 0.3,
            is_to_capital=channel == Channel.REFERRAL and rng.random() < 0.1,
        )
        plan = Plan(index=index, fate=fate, text=text, label=label, data=data, intake=intake, unit=unit)
        script, timing = self._script(plan, paused_end)
        plan.steps = script.steps
        self._place(plan, timing)
        return plan

    def _competent(
        self,
        label: str,
        district: District,
        street: Street,
        level: str,
        needs_district: bool,
        accusation: bool,
        city_wide: bool,
    ) -> Unit:
        """属地管理、分级负责，谁主管、谁负责: the department for the label, at the level of the intake."""
        rng, org = self.rng, self.org
        if accusation:
            return org.discipline
        if level == "street":
            return street.unit
        dept = LABEL_DEPARTMENT.get(label)
        if dept is None:
            return street.unit  # no competent department: the territorial government
        if city_wide:
            return org.departments[dept]
        if dept in district.departments:
            if level == "district" or needs_district or rng.random() < 0.6:
                return (
                    street.unit if dept == "housing" and rng.random() < 0.12 else district.departments[dept]
                )
            return org.departments[dept]
        if level == "district" or needs_district or rng.random() < 0.15:
            return street.unit
        return org.departments[dept]

    def _review_body(self, unit: Unit) -> Unit:
        """The body above the handling unit, which reviews its reply (复查)."""
        district = self.org.district_of(unit)
        return self.org.city if district is None or unit.pk == district.gov.pk else district.gov

    def _reviewer(self, body: Unit) -> User:
        if body.pk == self.org.city.pk:
            return self.org.reviewers[self.org.office.pk]
        district = next(d for d in self.org.districts if d.gov.pk == body.pk)
        return self.org.heads[body.pk] if self.rng.random() < 0.5 else self.org.reviewers[district.office.pk]

    def _reply(self, plan: Plan) -> str:
        text = plan.text
        body = text.reply or (
            f"您反映的“{text.subject}”问题已收悉。经{plan.unit.name}调查核实，"
            f"{FINDINGS.get(plan.label, '已责成有关单位对反映的问题逐项核实，依法依规予以处理')}。"
            "现将办理情况答复如下：您反映的问题属实部分已责令整改，整改情况将接受群众监督。感谢您对我们工作的关心和支持。"
        )
        body_above = self._review_body(plan.unit)
        return f"{body}\n\n如对本答复意见不服，可自收到本答复意见书之日起30日内向{body_above.name}申请复查。"

    def _refusal(self, plan: Plan) -> dict[str, str]:
        if plan.data.handling_kind == HandlingKind.SUGGESTION:
            return {"reason": "所提建议不属于本机关职权范围，已告知信访人向有权机关提出。", "legal_route": ""}
        reason, route = REFUSALS.get(plan.label, REFUSALS[""])
        return {"reason": reason, "legal_route": route}

    def _script(self, plan: Plan, paused_end: bool) -> tuple[_Script, Timing]:
        """The steps that lead to the matter's fate, and how long ago the fate should be reached."""
        rng, org, fate = self.rng, self.org, plan.fate
        s = _Script(org.registrars[plan.intake.pk])
        handler, head = org.handlers[plan.unit.pk], org.heads[plan.unit.pk]
        anywhen = rng.randint(0, HORIZON_DAYS)
        if fate == "registered":
            return s, (0, _elapsed_on_obligation(rng, 15), True)
        direct = plan.unit.pk == plan.intake.pk
        if fate == "not_accepted" and (direct or rng.random() < 0.4):  # refused at intake (诉访分离)
            decider = org.reviewers.get(plan.intake.pk) or org.handlers[plan.intake.pk]
            s.add(rng.randint(0, 5), "refuse", decider, **self._refusal(plan))
            return s, (s.day, anywhen, False)
        if not direct:
            forwarder = org.reviewers[plan.intake.pk]
            if (
                fate not in ("forwarded", "not_accepted")
                and plan.data.handling_kind != HandlingKind.ACCUSATION
                and rng.random() < 0.04
            ):  # sent to the wrong unit, which objects within 5 working days
                district = org.district_of(plan.intake)
                wrong = rng.choice(
                    [u for u in (district or org).departments.values() if u.pk != plan.unit.pk]
                )
                s.add(rng.randint(0, 2), "forward", forwarder, to_unit_id=wrong.pk)
                s.add(
                    rng.randint(1, 3),
                    "object",
                    org.handlers[wrong.pk],
                    reason=f"该事项不属于本单位职责范围，建议转{plan.unit.name}办理。",
                )
            s.add(
                rng.randint(0, 2),
                "forward",
                forwarder,
                to_unit_id=plan.unit.pk,
                reason=f"按照属地管理、分级负责原则，转{plan.unit.name}办理。",
            )
        if fate == "forwarded":
            return s, (s.day, _elapsed_on_obligation(rng, 15), True)
        if fate == "not_accepted":
            s.add(rng.randint(1, 10), "refuse", handler, **self._refusal(plan))
            return s, (s.day, anywhen, False)

        accepted = s.add(
            rng.randint(0, 7) if direct else rng.randint(1, 10),
            "accept",
            handler if rng.random() < 0.7 else head,
        )
        if fate == "accepted":
            if paused_end:
                s.add(rng.randint(2, 20), "pause", head, reason=rng.choice(HANDLING_PAUSES)[0])
            return s, (accepted, _elapsed_on_obligation(rng, 60), True)
        period = 60
        if rng.random() < 0.06:
            pause, resume = rng.choice(HANDLING_PAUSES)
            paused = s.add(rng.randint(3, 15), "pause", head, reason=pause)
            period += s.add(rng.randint(5, 20), "resume", head, reason=resume) - paused
        replier = handler if rng.random() < 0.8 else head
        if fate == "extended" or rng.random() < 0.08:
            days = rng.randint(15, 30)
            s.add_on(
                accepted + rng.randint(25, 50),
                "extend",
                head,
                days=days,
                reason=rng.choice(EXTENSION_REASONS),
            )
            if fate == "extended":
                return s, (accepted, _elapsed_on_obligation(rng, period + days), True)
            s.add(rng.randint(5, 25), "reply", replier, text=self._reply(plan))
        else:
            s.add_on(accepted + rng.randint(7, 55), "reply", replier, min_delay=1, text=self._reply(plan))
        replied = s.day
        followed = fate == "followed_up" or (fate != "replied" and rng.random() < 0.6)
        if followed:
            follower = org.reviewers.get(plan.intake.pk, handler) if rng.random() < 0.3 else handler
            s.add(rng.randint(1, 9), "follow_up", follower, note=rng.choice(FOLLOW_UPS))
        if fate in ("replied", "followed_up"):  # the 30-day review window is still open
            return s, (replied, rng.randint(s.day - replied, 25), True)
        if fate == "closed":  # the window lapsed; the nightly job closed it
            return s, (replied, rng.randint(40, HORIZON_DAYS), True)

        registrar = org.registrars[plan.intake.pk]
        body = self._review_body(plan.unit)
        reviewer = self._reviewer(body)
        requested = s.add_on(
            replied + rng.randint(3, 25),
            "request_review",
            registrar,
            min_delay=1,
            reason="信访人对答复意见不服，申请复查。",
        )
        if fate == "review_requested":
            if paused_end:
                s.add(rng.randint(1, 5), "pause", reviewer, reason=REVIEW_PAUSE[0])
            return s, (requested, _elapsed_on_obligation(rng, 30), True)
        if rng.random() < 0.1:
            s.add(rng.randint(1, 5), "pause", reviewer, reason=REVIEW_PAUSE[0])
            s.add(rng.randint(5, 15), "resume", reviewer, reason=REVIEW_PAUSE[1])
        decided = s.add_on(
            requested + rng.randint(5, 28),
            "decide_review",
            reviewer,
            min_delay=1,
            decision=rng.choice(REVIEW_DECISIONS),
        )
        if fate == "reviewed":  # the 30-day re-review window is still open
            return s, (decided, rng.randint(0, 25), True)
        if fate == "closed_review_lapsed":
            return s, (decided, rng.randint(40, HORIZON_DAYS), True)
        re_requested = s.add(
            rng.randint(3, 25), "request_re_review", registrar, reason="信访人对复查意见不服，申请复核。"
        )
        if fate == "re_review_requested":
            if paused_end:
                s.add(rng.randint(1, 5), "pause", org.reviewers[org.office.pk], reason=REVIEW_PAUSE[0])
            return s, (re_requested, _elapsed_on_obligation(rng, 30), True)
        s.add(
            rng.randint(5, 28), "decide_re_review", org.reviewers[org.office.pk], decision=RE_REVIEW_DECISION
        )
        return s, (s.day, anywhen, False)

    # -- time ------------------------------------------------------------------------------

    def _place(self, plan: Plan, timing: Timing) -> None:
        """Fix the registration day so the last step lies ``elapsed - (last - anchor)`` days before today,
        compressing the steps when that would start before the horizon."""
        anchor, elapsed, strict = timing
        steps = plan.steps
        while True:
            last = steps[-1].day
            before_today = max(0, elapsed - (last - anchor))
            if last + before_today <= HORIZON_DAYS:
                break
            if not strict and last <= HORIZON_DAYS:
                before_today = HORIZON_DAYS - last
                break
            for step in steps:  # shrinking every gap keeps each "within N days" rule
                step.day = math.floor(step.day * 0.85)
            anchor = math.floor(anchor * 0.85)
        self._times(steps, self.today - timedelta(days=last + before_today))

    def _times(self, steps: list[Step], registered_on: date) -> None:
        """Office hours on past days; earlier today on today."""
        by_day: dict[date, list[Step]] = {}
        for step in steps:
            by_day.setdefault(registered_on + timedelta(days=step.day), []).append(step)
        for day, group in by_day.items():
            if day >= self.today:
                hi = self.now - timedelta(seconds=30)
                lo = max(
                    datetime.combine(self.today, datetime.min.time(), tzinfo=self.tz), hi - timedelta(hours=8)
                )
            else:
                lo = datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
                    hours=8, minutes=30
                )
                hi = lo + timedelta(hours=9)
            span = max(0.0, (hi - lo).total_seconds())
            for step, offset in zip(group, sorted(self.rng.uniform(0, span) for _ in group), strict=True):
                step.at = (lo + timedelta(seconds=offset)).replace(microsecond=0)

    # -- duplicates (合并) ---------------------------------------------------------------

    def _open_until(self, plan: Plan) -> date:
        """The last day the matter is surely still open (merging needs an open target)."""
        for step in plan.steps:
            if step.action in ("refuse", "decide_re_review") and step.at is not None:
                return step.at.astimezone(self.tz).date() - timedelta(days=1)
            if step.action == "reply" and step.at is not None:
                return step.at.astimezone(self.tz).date() + timedelta(days=27)
        return self.today

    def _plan_duplicate(self, index: int, originals: list[Plan]) -> Plan | None:
        """A repeat petition on an open matter, registered by the city office and merged into it."""
        rng = self.rng
        for _attempt in range(50):
            if not originals:
                return None
            target = rng.choice(originals)
            first = target.registered_at.astimezone(self.tz).date() + timedelta(days=1)
            last = min(self._open_until(target), self.today)
            if first > last:
                continue
            registered_on = first + timedelta(days=rng.randint(0, (last - first).days))
            merge_day = min(rng.randint(0, 2), (last - registered_on).days)
            channel = rng.choice((Channel.PHONE, Channel.VISIT, Channel.WEB, Channel.LETTER))
            data = replace(target.data, channel=channel, is_first=False, attachments=[])
            plan = Plan(
                index=index,
                fate="merged",
                text=target.text,
                label=target.label,
                data=data,
                intake=self.org.office,
                unit=self.org.office,
                merge_into=target,
            )
            script = _Script(self.org.registrars[self.org.office.pk])
            script.add(
                merge_day,
                "merge",
                self.org.reviewers[self.org.office.pk],
                reason=f"与在办信访事项重复，合并办理（原事项登记于{target.registered_at.astimezone(self.tz):%Y-%m-%d}）。",
            )
            plan.steps = script.steps
            self._times(plan.steps, registered_on)
            if plan.steps[0].at and plan.steps[0].at > target.registered_at:
                return plan
        return None
