"""Demo data: cooperation tasks on matters under handling at every stage (open, answered, returned,
accepted, consolidated), a district joint meeting held and closed with its decisions handed out as
tasks, and a city meeting planned for next week. All through the services; loaded after the
matters, it works with whatever open matters and units it finds."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from matters.lifecycle import OPEN_STATES, State
from matters.models import HandlingKind, Matter
from org.models import Role, RoleAssignment, Unit, UnitKind, User

from . import meetings, rules, services
from .models import Assignment

TASKS = ["核实信访人反映的情况并提出处理意见", "提供相关政策依据和办理记录", "现场勘查并出具书面意见",
         "协调物业和产权单位落实整改", "核查用工和工资支付情况"]
ANSWERS = ["经现场核查，情况基本属实，已督促责任单位限期整改。", "相关政策依据已整理，详见附件说明。",
           "已约谈相关单位负责人，明确整改时限为十五个工作日。"]
DECISIONS = ["由属地街道牵头，住建部门配合，十日内拿出化解方案。", "请人社部门依法核查，街道做好信访人思想疏导工作。",
             "涉及历史遗留问题，由区政府分管领导包案，相关部门限期反馈。"]


def _staff(unit: Unit, roles: tuple[str, ...]) -> User | None:
    """Someone holding one of ``roles`` over the unit, the nearest scope first."""
    rows = [a for a in RoleAssignment.objects.filter(role__in=roles, user__is_active=True).select_related("scope", "user")
            if unit.path.startswith(a.scope.path)]
    rows.sort(key=lambda a: (-len(a.scope.path), a.user_id))
    return rows[0].user if rows else None


def _partner(lead: Unit, rng: random.Random, taken: set[int]) -> tuple[Unit, User] | None:
    """Another unit of the lead's parent with someone to answer for it."""
    siblings = list(Unit.objects.filter(parent_id=lead.parent_id).exclude(pk__in={lead.pk, *taken})
                    .exclude(kind__in=[UnitKind.PETITION_OFFICE, UnitKind.DISCIPLINE]))
    rng.shuffle(siblings)
    for unit in siblings:
        if (answerer := _staff(unit, rules.ANSWER_ROLES)) is not None:
            return unit, answerer
    return None


def _cooperation(matter: Matter, stage: int, now: datetime, rng: random.Random) -> tuple[int, bool]:
    """Tasks on one matter taken to ``stage``: 0 open, 1 answered, 2 returned, 3 accepted, 4 and up
    consolidated (5 with two units). Returns (tasks made, consolidated)."""
    lead = _staff(matter.handling_unit, rules.LEAD_ROLES)
    if lead is None:
        return 0, False
    start = now - timedelta(days=rng.randint(8, 14))
    made, taken = 0, set[int]()
    for _ in range(2 if stage == 5 else 1):
        found = _partner(matter.handling_unit, rng, taken)
        if found is None:
            break
        unit, answerer = found
        taken.add(unit.pk)
        a = services.assign_cooperation(matter.pk, actor=lead, unit_id=unit.pk, task=rng.choice(TASKS),
                                        due=timezone.localtime(start).date() + timedelta(days=rng.choice([5, 7, 10])),
                                        now=start)
        made += 1
        _answer_through(a, stage, answerer, lead, start, rng)
    if made and stage >= 4:
        services.consolidate(matter.pk, actor=lead, now=start + timedelta(days=5),
                             text="综合各配合单位意见：" + rng.choice(ANSWERS))
        return made, True
    return made, False


def _answer_through(a: Assignment, stage: int, answerer: User, judge: User, start: datetime, rng: random.Random) -> None:
    if stage == 0:
        return
    services.answer_assignment(a.pk, actor=answerer, answer=rng.choice(ANSWERS), now=start + timedelta(days=2))
    if stage == 2:
        services.return_assignment(a.pk, actor=judge, reason="未说明整改时限和责任人，请补充。", now=start + timedelta(days=3))
    elif stage >= 3:
        services.accept_assignment(a.pk, actor=judge, now=start + timedelta(days=3))


def _district_meeting(gov: Unit, now: datetime, rng: random.Random) -> tuple[int, int, int]:
    """A meeting held a week ago at a district, closed, its decisions handed to member units."""
    convener = _staff(gov, (Role.REVIEWER,))
    if convener is None:
        return 0, 0, 0
    open_here = list(Matter.objects.filter(handling_unit__path__startswith=gov.path, state__in=[State.ACCEPTED, State.EXTENDED])
                     .exclude(handling_kind=HandlingKind.ACCUSATION).order_by("registered_at")[:40])
    picked = rng.sample(open_here, min(2, len(open_here)))
    if not picked:
        return 0, 0, 0
    held = now - timedelta(days=7)
    meeting = meetings.convene_meeting(actor=convener, unit_id=gov.pk, title=f"{gov.name}信访工作联席会议",
                                       day=timezone.localtime(held).date(), place="区政府三楼会议室",
                                       now=now - timedelta(days=14))
    items = [meetings.add_agenda_item(meeting.pk, actor=convener, matter_id=m.pk, note="涉及多个部门职责，需会商研判",
                                      now=now - timedelta(days=12)) for m in picked]
    meetings.hold_meeting(meeting.pk, actor=convener, minutes="会议听取了各单位情况汇报，逐件研究了议题，形成如下决定。", now=held)
    tasks = 0
    for item in items:
        meetings.record_decision(item.pk, actor=convener, decision=rng.choice(DECISIONS), now=held)
        lead = item.matter.handling_unit
        units = [u for u in [lead] + [p[0] for p in [_partner(lead, rng, set())] if p is not None] if u.is_within(gov)]
        made = meetings.assign_from_decision(item.pk, actor=convener, unit_ids=[u.pk for u in units],
                                             task="落实联席会议决定，按期报送办理情况",
                                             due=timezone.localtime(held).date() + timedelta(days=10), now=held)
        tasks += len(made)
        answerer = _staff(made[0].unit, rules.ANSWER_ROLES)
        if answerer is not None:
            services.answer_assignment(made[0].pk, actor=answerer, answer=rng.choice(ANSWERS), now=held + timedelta(days=3))
    meetings.close_meeting(meeting.pk, actor=convener, now=held + timedelta(hours=4))
    return 1, len(items), tasks


def _city_meeting(city: Unit, now: datetime, rng: random.Random) -> tuple[int, int]:
    """A city meeting next week, its agenda being drawn up."""
    convener = _staff(city, (Role.REVIEWER,))
    if convener is None:
        return 0, 0
    day = timezone.localtime(now).date() + timedelta(days=5)
    meeting = meetings.convene_meeting(actor=convener, unit_id=city.pk, title=f"{city.name}信访工作联席会议（季度）", day=day,
                                       place="市民中心二楼会议室", now=now - timedelta(days=1))
    candidates = list(Matter.objects.filter(state__in=OPEN_STATES).exclude(handling_kind=HandlingKind.ACCUSATION)
                      .order_by("-is_repeat", "registered_at")[:30])
    items = 0
    for m in rng.sample(candidates, min(3, len(candidates))):
        meetings.add_agenda_item(meeting.pk, actor=convener, matter_id=m.pk, note="跨区域、跨部门，需市级层面统筹化解", now=now)
        items += 1
    return 1, items


def load_demo_data(now: datetime, rng: random.Random) -> str:
    handled = list(Matter.objects.filter(state__in=[State.ACCEPTED, State.EXTENDED])
                   .exclude(handling_kind=HandlingKind.ACCUSATION).select_related("handling_unit")
                   .order_by("registered_at")[:200])
    tasks = consolidated = 0
    for stage, matter in enumerate(rng.sample(handled, min(12, len(handled)))):
        made, done = _cooperation(matter, stage % 6, now, rng)
        tasks, consolidated = tasks + made, consolidated + done
    city = Unit.objects.filter(parent__isnull=True, kind=UnitKind.TERRITORIAL).order_by("pk").first()
    held = items = meeting_tasks = planned = 0
    if city is not None:
        for gov in Unit.objects.filter(parent=city, kind=UnitKind.TERRITORIAL).order_by("pk")[:1]:
            held, items, meeting_tasks = _district_meeting(gov, now, rng)
        planned, more = _city_meeting(city, now, rng)
        items += more
    return (f"joint: {tasks} cooperation tasks ({consolidated} matters consolidated); {held + planned} joint meetings, "
            f"{items} agenda items, {meeting_tasks} meeting tasks")
