"""Demo data: two calls beside the standing collection, and suggestions at every step of their
evaluation, made through the services on the loaded demo organisation."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from org.models import Role, RoleAssignment, Unit, UnitKind, User

from . import services
from .models import Call
from .selectors import standing_call

# title, content, a word in the name of the unit that should evaluate it
TEXTS: list[tuple[str, str, str]] = [
    ("老旧小区加装电梯简化审批", "建议对老旧小区加装电梯推行一窗受理、并联审批，公布办理时限，减少居民来回跑。", "住房"),
    ("社区增设老年助餐点", "不少独居老人做饭困难，建议在社区服务中心增设助餐点，对高龄老人给予补贴。", "住房"),
    ("学校周边上下学交通疏导", "上下学高峰学校门口拥堵严重，建议设置临时停车区并安排志愿者疏导。", "教育"),
    ("课后服务增加体育项目", "建议课后服务多安排体育和兴趣项目，请退休教师和社会体育指导员参与。", "教育"),
    ("农贸市场公示菜价", "建议农贸市场每日在入口电子屏公示主要蔬菜肉类价格，方便群众比价。", "市场"),
    ("灵活就业人员参保指引", "外卖骑手等灵活就业人员不清楚如何参加社保，建议编印简明指引并在站点张贴。", "人力"),
    ("小区充电桩统一规划", "电动车飞线充电隐患大，建议由物业和街道统一规划充电桩，明确收费标准。", "住房"),
    ("社区图书室延长开放", "社区图书室只在工作日白天开放，建议周末和晚上也开放，由志愿者值守。", "教育"),
    ("公交站台增加遮阳棚", "夏季等车暴晒，建议主要公交站台加装遮阳棚和座椅。", "住房"),
    ("就业招聘会进社区", "建议每季度在社区举办小型招聘会，方便附近居民就近就业。", "人力"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def _office_actor() -> User | None:
    """Someone of the petition office holding the reviewer role over a top unit."""
    a = RoleAssignment.objects.filter(role=Role.REVIEWER, scope__parent__isnull=True, user__is_active=True).select_related("user").first()
    return a.user if a else None


def _office_unit() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.PETITION_OFFICE, parent__parent__isnull=True, parent__isnull=False).first()


def _evaluators() -> list[tuple[Unit, User, User]]:
    """Units with their own handler and head: (unit, handler, head)."""
    found = []
    for unit in Unit.objects.filter(~Q(kind=UnitKind.PETITION_OFFICE)).order_by("path"):
        people = {a.role: a.user for a in RoleAssignment.objects.filter(scope=unit, role__in=[Role.HANDLER, Role.UNIT_HEAD])
                  .select_related("user").order_by("user_id")}
        if Role.HANDLER in people and Role.UNIT_HEAD in people:
            found.append((unit, people[Role.HANDLER], people[Role.UNIT_HEAD]))
    return found


def _pick(evaluators: list[tuple[Unit, User, User]], word: str, rng: random.Random) -> tuple[Unit, User, User]:
    matching = [e for e in evaluators if word in e[0].name]
    return rng.choice(matching or evaluators)


def load_demo_data(now: datetime, rng: random.Random) -> str:
    office, actor, evaluators = _office_unit(), _office_actor(), _evaluators()
    if office is None or actor is None or not evaluators:
        return "suggestions: skipped (no petition office reviewer or evaluating unit)"
    today = timezone.localdate(now)
    current = services.create_call(actor=actor, topic=f"{today.year + 1}年为民办实事项目征集", now=now - timedelta(days=21),
                                   description="围绕养老、教育、出行、就业等群众关心的事，征集明年的民生实事项目建议。",
                                   organising_unit_id=office.pk, opens_on=today - timedelta(days=20),
                                   closes_on=today + timedelta(days=25))
    past = services.create_call(actor=actor, topic="老旧小区改造意见征集", now=now - timedelta(days=130),
                                description="就老旧小区改造的内容和方式听取居民意见。", organising_unit_id=office.pk,
                                opens_on=today - timedelta(days=120), closes_on=today - timedelta(days=60))
    calls: list[Call] = [past, standing_call(), current]
    # Oldest first: the older a suggestion, the further its evaluation has gone.
    steps = ["implemented", "reported", "adopted", "partly", "declined", "merged", "evaluating", "evaluating", "received", "received"]
    made = []
    for i, ((title, content, word), step) in enumerate(zip(TEXTS, steps, strict=True)):
        call = calls[min(i * len(calls) // len(TEXTS), len(calls) - 1)]
        sent = now - timedelta(days=100 - i * 9, hours=rng.randint(0, 8)) if call is past else now - timedelta(days=18 - i, hours=rng.randint(0, 8))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        phone = f"139{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else ""
        s = services.submit_suggestion(call.pk, services.SuggestionData(title, content, name if phone else "", phone), now=sent)
        made.append(s)
        if step == "received":
            continue
        if step == "merged":
            services.merge(s.pk, actor=actor, into_id=made[0].pk, now=sent + timedelta(days=1))
            continue
        unit, handler, head = _pick(evaluators, word, rng)
        services.assign(s.pk, actor=actor, unit_id=unit.pk, note="请研究提出意见，按期反馈。", now=sent + timedelta(days=1))
        if step == "evaluating":
            continue
        services.evaluate(s.pk, actor=handler, opinion="经调研，建议具备可行性，所需经费可在年度预算内统筹。", now=sent + timedelta(days=4))
        if step == "declined":
            services.decide(s.pk, "decline", actor=head, now=sent + timedelta(days=6),
                            reply="感谢您的建议。该事项已纳入现行专项工作统一推进，暂不单独立项。")
            continue
        action = "adopt_partly" if step == "partly" else "adopt"
        services.decide(s.pk, action, actor=head, now=sent + timedelta(days=6),
                        reply="您的建议已被采纳，列入本年度工作计划，由我单位牵头落实。" if action == "adopt"
                        else "您的建议部分采纳：先在两个社区试点，总结经验后再推广。")
        if step in ("reported", "implemented"):
            services.report(s.pk, actor=handler, text="已完成方案制定和选址，进入实施阶段。", now=sent + timedelta(days=20))
        if step == "implemented":
            services.implement(s.pk, actor=head, text="项目已建成投用，群众反映良好。", now=sent + timedelta(days=45))
    return f"suggestions: 2 calls besides the standing collection, {len(made)} suggestions at every step of evaluation"
