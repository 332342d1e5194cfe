"""Demo data: two weeks of screening on the demo city: community and street reports (mostly nil,
some late, some missing), ledger entries at every status, escalations and sign-offs, all made
through the services. Street staff act for their communities, as their role over the street
allows; communities have no accounts of their own in the demo."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from org.models import Area, Role, RoleAssignment, Unit, UnitKind, User

from . import services
from .cadence import DISTRICT, STREET, cadence_of, period_containing
from .models import Cadence, RiskLevel, ScreeningPolicy
from .selectors import unreported_entries

DAYS = 14
# summary, measures, people involved (low, high)
RISKS: list[tuple[str, str, tuple[int, int]]] = [
    ("小区物业费调价引发业主不满", "约谈物业公司，组织业主代表协商，公示调价依据", (10, 60)),
    ("老旧小区加装电梯低层住户反对", "社区召开协调会，邀请设计单位解答采光与噪音问题", (6, 20)),
    ("装修工程拖欠农民工工资", "联合人社部门约谈施工方，督促限期支付", (8, 30)),
    ("楼道堆放杂物存在消防隐患", "网格员入户劝导，联合物业集中清理", (3, 12)),
    ("菜市场搬迁商户补偿争议", "街道牵头核对补偿标准，逐户沟通", (15, 40)),
    ("邻里噪音纠纷反复发生", "人民调解员上门调解，签订邻里公约", (2, 4)),
    ("房屋租赁押金退还纠纷", "引导通过人民调解，必要时告知诉讼途径", (2, 6)),
    ("拆迁安置房交付延期", "区住建部门通报进度，街道做好解释", (30, 120)),
]


def _holders(unit: Unit, roles: list[str]) -> list[User]:
    """People holding one of ``roles`` at the unit or above it, nearest first."""
    paths = ["/" + "/".join(unit.path.strip("/").split("/")[: i + 1]) + "/" for i in range(len(unit.path.strip("/").split("/")))]
    rows = RoleAssignment.objects.filter(role__in=roles, scope__path__in=paths, user__is_active=True).select_related("user", "scope")
    return [a.user for a in sorted(rows, key=lambda a: (-len(a.scope.path), a.user_id))]


def _area(unit: Unit) -> Area | None:
    return unit.area or (unit.parent.area if unit.parent else None) or Area.objects.order_by("code").first()


def _risk(rng: random.Random) -> str:
    return rng.choice([RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.HIGH])


def _entry_story(entry_id: int, worker: User, approver: User | None, upper: tuple[User, User | None] | None,
                 start: datetime, rng: random.Random) -> str:
    """Take one entry some way along its life; returns how far it got."""
    step = rng.choice(["open", "in_progress", "proposed", "closed", "closed", "escalated", "rejected"])
    if step == "escalated" and upper is None:
        step = "closed"
    if step == "open":
        return step
    services.start_work(entry_id, actor=worker, now=start + timedelta(hours=20))
    services.add_note(entry_id, actor=worker, text="网格员已上门走访，了解诉求", now=start + timedelta(days=1))
    if step == "escalated":
        assert upper is not None
        services.escalate(entry_id, actor=worker, reason="涉及多个社区和区级部门，需上级协调", now=start + timedelta(days=2))
        worker, approver = upper
        services.add_note(entry_id, actor=worker, text="召开联席会议会商研判", now=start + timedelta(days=3))
        step = "closed"
    if step == "in_progress" or approver is None or approver.pk == worker.pk:
        return "in_progress"
    services.propose_resolution(entry_id, actor=worker, evidence="调解协议书、回访记录", now=start + timedelta(days=4))
    if step == "rejected":
        services.reject_resolution(entry_id, actor=approver, reason="缺少当事人签字确认", now=start + timedelta(days=5))
        return step
    if step == "closed":
        services.sign_off(entry_id, actor=approver, now=start + timedelta(days=5))
    return step


def load_demo_data(now: datetime, rng: random.Random) -> str:
    streets = [u for u in Unit.objects.filter(kind=UnitKind.TERRITORIAL, level_name=STREET).order_by("path")
               if _holders(u, [Role.HANDLER])]
    if not streets:
        return "screening: skipped (no street with a handler)"
    policy = ScreeningPolicy.current()
    reports = entries = 0
    steps: dict[str, int] = {}
    for street in streets[:6]:
        worker = _holders(street, [Role.HANDLER])[0]
        approvers = [u for u in _holders(street, [Role.UNIT_HEAD, Role.SUPERVISOR]) if u.pk != worker.pk]
        district = street.parent
        approver = approvers[0] if approvers else None
        district_heads = _holders(district, [Role.UNIT_HEAD]) if district else []
        above_street = (district_heads[0], next(iter(_holders(district, [Role.SUPERVISOR])), None)) \
            if district and district_heads else None
        communities = [c for c in street.children.filter(kind=UnitKind.TERRITORIAL).order_by("path") if cadence_of(c, policy)]
        for day_offset in range(DAYS, 0, -1):
            base = timezone.localtime(now - timedelta(days=day_offset))
            morning, evening = base.replace(hour=10, minute=0), base.replace(hour=18, minute=0)
            for unit in [*communities, street]:
                cadence = cadence_of(unit, policy)
                if cadence is None:
                    continue
                area = _area(unit)
                if area is not None and rng.random() < 0.08:
                    summary, measures, (low, high) = rng.choice(RISKS)
                    entry = services.create_entry(services.EntryData(
                        found_by_unit_id=unit.pk, responsible_unit_id=unit.pk, summary=summary, area_id=area.pk,
                        people_involved=rng.randint(low, high), risk_level=_risk(rng), measures=measures,
                        deadline=base.date() + timedelta(days=rng.choice([5, 10, 15]))), actor=worker, now=morning)
                    entries += 1
                    if day_offset > 6:  # the story takes up to five days and must end before now
                        upper = above_street if unit == street else (worker, approver)
                        step = _entry_story(entry.pk, worker, approver, upper, morning, rng)
                        steps[step] = steps.get(step, 0) + 1
                if cadence == Cadence.WEEKLY and base.weekday() != 6:
                    continue
                if day_offset <= 2 and rng.random() < 0.3:
                    continue  # a report still missing, for the board and the reminder job
                late = evening + timedelta(days=1)
                filed_at = late if late < now and rng.random() < 0.1 else evening
                found = unreported_entries(unit, period_containing(cadence, base.date()))
                services.file_report(unit.pk, actor=worker, day=base.date(), nil=not found.exists(), now=filed_at)
                reports += 1
    for district_unit in Unit.objects.filter(kind=UnitKind.TERRITORIAL, level_name=DISTRICT).order_by("path"):
        heads = _holders(district_unit, [Role.UNIT_HEAD])
        if heads:
            services.file_report(district_unit.pk, actor=heads[0], day=(now - timedelta(days=7)).date(), nil=True,
                                 now=now - timedelta(days=1))
            reports += 1
    reminded = services.remind_missing(now=now)
    story = ", ".join(f"{n} {k}" for k, n in sorted(steps.items()))
    return f"screening: {reports} reports, {entries} ledger entries ({story}), {reminded} reminders"
