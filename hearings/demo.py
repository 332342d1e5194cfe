"""Demo data: the city's pools of hearing officers, review experts and lawyers, with some dates
away and declared conflicts; a fortnight of lawyers on duty at the petition offices; hearings on
matters under review or hard to settle, at every stage; lawyers' consultations on open matters.
All through the services. Hearings need matters: loaded after the matters, it finds some."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from matters.errors import DomainError
from matters.lifecycle import OPEN_STATES, State
from matters.models import Deadline, Matter
from org.models import Role, RoleAssignment, Unit, UnitKind, User

from . import pools, reception, services
from .models import Hearing, PoolKind, PoolMember, Session

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "建国志文斌海燕晓东鹏辉丹宇浩凯俊健琳雪慧兰云峰德福春明华"
ORGANISATIONS: dict[str, list[str]] = {
    PoolKind.HEARING_OFFICER: ["市人大代表", "市政协委员", "社区党委书记", "人民调解委员会", "退休法官", "新闻媒体"],
    PoolKind.REVIEW_EXPERT: ["江城大学法学院", "市住建局（退休）", "市社会科学院", "市人社局劳动仲裁院（退休）", "江城职业技术学院"],
    PoolKind.LAWYER: ["江城正信律师事务所", "湖滨明德律师事务所", "西江公正律师事务所", "南山法援律师事务所"],
}
SPECIALTIES = ["住房", "拆迁", "物业", "劳动", "社保", "教育", "市场监管", "环境", "土地", "行政法"]
COUNTS = {PoolKind.HEARING_OFFICER: 9, PoolKind.REVIEW_EXPERT: 7, PoolKind.LAWYER: 6}
PURPOSE_STATES = [("review", State.REVIEW_REQUESTED), ("re_review", State.RE_REVIEW_REQUESTED),
                  ("hard_matter", State.ACCEPTED), ("hard_matter", State.EXTENDED)]
CONSULTATIONS = [
    ("咨询房屋征收补偿标准及计算方式", "告知补偿依据《国有土地上房屋征收与补偿条例》，对补偿决定不服可申请行政复议或提起行政诉讼"),
    ("用人单位拖欠工资、未签劳动合同", "建议先向劳动保障监察投诉，或在一年内申请劳动人事争议仲裁"),
    ("物业服务质量差，业主拒交物业费被起诉", "释明物业服务合同双方义务，建议通过业主委员会协商，必要时应诉并举证"),
    ("学生入学学位分配有异议", "说明学区划分属教育行政部门职责，可依信访程序反映或申请政府信息公开"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _reviewers() -> list[tuple[User, Unit]]:
    """Reviewers with their scope, the widest scope first."""
    rows = RoleAssignment.objects.filter(role=Role.REVIEWER, user__is_active=True).select_related("user", "scope")
    return [(a.user, a.scope) for a in sorted(rows, key=lambda a: (len(a.scope.path), a.user_id))]


def _pools(reviewer: User, owner: Unit, now: datetime, rng: random.Random) -> list[PoolMember]:
    made = []
    for kind, count in COUNTS.items():
        for _ in range(count):
            data = pools.MemberData(kind=kind, name=_name(rng), organisation=rng.choice(ORGANISATIONS[kind]),
                                    specialties="，".join(rng.sample(SPECIALTIES, rng.randint(1, 3))),
                                    contact=f"139{rng.randint(10_000_000, 99_999_999)}")
            made.append(pools.add_member(data, owner_id=owner.pk, actor=reviewer, now=now - timedelta(days=60)))
    for m in rng.sample(made, 4):
        start = timezone.localtime(now).date() + timedelta(days=rng.randint(-3, 10))
        pools.add_unavailability(m.pk, start=start, end=start + timedelta(days=rng.randint(1, 6)), note="出差",
                                 actor=reviewer, now=now - timedelta(days=30))
    departments = list(Unit.objects.filter(kind=UnitKind.FUNCTIONAL, path__startswith=owner.path))
    for m in rng.sample(made, min(3, len(made))) if departments else []:
        pools.declare_conflict(m.pk, actor=reviewer, now=now - timedelta(days=30), unit_id=rng.choice(departments).pk,
                               note="曾任该单位法律顾问")
    pools.update_member(made[0].pk, pools.MemberData(kind=made[0].kind, name=made[0].name, active=False,
                                                     organisation=made[0].organisation), actor=reviewer,
                        now=now - timedelta(days=10))
    return made


def _roster(reviewers: list[tuple[User, Unit]], lawyers: list[PoolMember], now: datetime) -> int:
    shifts = 0
    offices = [(u, office) for u, scope in reviewers
               for office in Unit.objects.filter(kind=UnitKind.PETITION_OFFICE, parent=scope)][:3]
    today = timezone.localtime(now).date()
    for offset in range(14):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for i, (reviewer, office) in enumerate(offices):
            lawyer = lawyers[(offset + i) % len(lawyers)]
            reception.add_shift(actor=reviewer, now=now, lawyer_id=lawyer.pk, unit_id=office.pk, day=day,
                                session=Session.FULL_DAY if i == 0 else Session.MORNING, place=f"{office.name}接待大厅")
            shifts += 1
    return shifts


def _hearing_story(hearing: Hearing, reviewer: User, start: datetime, stage: str, rng: random.Random) -> None:
    services.draw_panel(hearing.pk, actor=reviewer, now=start, kind=PoolKind.HEARING_OFFICER, size=3)
    try:
        services.draw_panel(hearing.pk, actor=reviewer, now=start, kind=PoolKind.REVIEW_EXPERT, size=1)
    except DomainError:
        pass  # too few experts left for this matter: the panel sits without one
    services.issue_notice(hearing.pk, actor=reviewer, now=start, addressee=services.PETITIONER,
                          text=f"定于{timezone.localtime(hearing.scheduled_for):%Y年%m月%d日%H时}在{hearing.place}举行听证，"
                               "请携带身份证件及相关材料按时参加。无正当理由不参加的，视为放弃听证。")
    if stage == "scheduled":
        return
    held = hearing.scheduled_for + timedelta(hours=2)
    services.record_minutes(hearing.pk, actor=reviewer, now=held,
                            text="主持人宣布听证纪律，核对参加人身份。信访人陈述诉求及理由，承办单位说明事实、依据和处理意见，"
                                 "听证员就争议焦点提问，双方作最后陈述。")
    if stage == "held":
        return
    services.give_opinion(hearing.pk, actor=reviewer, now=held + timedelta(days=1),
                          text=rng.choice(["听证员一致认为原处理意见事实清楚、依据充分，建议予以维持。",
                                           "听证员多数认为补偿标准计算有误，建议承办单位重新核算并答复信访人。"]))
    if stage == "closed":
        services.close_hearing(hearing.pk, actor=reviewer, now=held + timedelta(days=2))


def _matters_in(state: State, before: datetime) -> list[Matter]:
    """Matters whose open clocks all started before ``before``, so a hearing then is in order."""
    return list(Matter.objects.filter(state=state).annotate(first=Min("deadlines__start")).filter(
        first__lte=before.date()).exclude(
        pk__in=Deadline.objects.filter(stopped_on__isnull=True, start__gt=before.date()).values("matter_id"))
        .order_by("pk")[:4])


def _hearings(reviewers: list[tuple[User, Unit]], now: datetime, rng: random.Random) -> int:
    made = 0
    stages = ["closed", "opinion", "held", "scheduled", "scheduled"]
    for purpose, state in PURPOSE_STATES:
        for matter in _matters_in(state, now - timedelta(days=12)):
            reviewer = next((u for u, _s in reviewers if services.organising_scope(u, matter, purpose)), None)
            if reviewer is None:
                continue
            stage = stages[made % len(stages)]
            start = now - timedelta(days=10) if stage != "scheduled" else now
            when = timezone.localtime(start + timedelta(days=5)).replace(hour=9, minute=30, second=0, microsecond=0)
            try:
                hearing = services.schedule_hearing(matter.pk, actor=reviewer, now=start, purpose=purpose,
                                                    scheduled_for=when, place="信访听证室")
                _hearing_story(hearing, reviewer, start, stage, rng)
            except DomainError:
                continue  # the matter moved on meanwhile, or the pool is too small for it
            made += 1
    return made


def _consultations(lawyers: list[PoolMember], now: datetime, rng: random.Random) -> int:
    registrar = (RoleAssignment.objects.filter(role=Role.REGISTRAR, user__is_active=True)
                 .select_related("user", "scope").order_by("scope__path").first())
    if registrar is None:
        return 0
    made = 0
    matters = Matter.objects.filter(state__in=OPEN_STATES, registered_at__lte=now - timedelta(days=3)).order_by("pk")
    for matter in matters[:8]:
        summary, advice = rng.choice(CONSULTATIONS)
        day = max(timezone.localtime(matter.registered_at).date(), timezone.localtime(now).date() - timedelta(days=2))
        try:
            reception.record_consultation(matter.pk, actor=registrar.user, now=now, lawyer_id=rng.choice(lawyers).pk,
                                          consulted_on=day, summary=summary, advice=advice)
        except (DomainError, Matter.DoesNotExist):
            continue  # outside the registrar's scope or role
        made += 1
    return made


def load_demo_data(now: datetime, rng: random.Random) -> str:
    reviewers = _reviewers()
    if not reviewers:
        return "hearings: skipped (no petition-office reviewer)"
    top, owner = reviewers[0]
    members = _pools(top, owner, now, rng)
    lawyers = [m for m in members if m.kind == PoolKind.LAWYER and m.active]
    shifts = _roster(reviewers, lawyers, now)
    hearings = _hearings(reviewers, now, rng)
    consultations = _consultations(lawyers, now, rng)
    return (f"hearings: {len(members)} pool members, {shifts} duty shifts, {hearings} hearings, "
            f"{consultations} lawyer consultations")
