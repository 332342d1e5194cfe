"""The indicator definitions and the assessment rulebook as shipped (§7 defaults); admins edit them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DEFINITIONS: list[dict[str, Any]] = [
    {"key": "timely_acceptance", "name": "及时受理率", "order": 1,
     "numerator": "受理期限届满于统计期内、且在期限内作出受理、转送或不予受理决定的事项",
     "denominator": "受理期限（15日）届满于统计期内的事项", "params": {}},
    {"key": "on_time_completion", "name": "按期办结率", "order": 2,
     "numerator": "答复期限届满于统计期内、且在期限内书面答复的事项",
     "denominator": "答复期限（60日，延期的加30日）届满于统计期内的事项", "params": {}},
    {"key": "satisfaction", "name": "满意率", "order": 3,
     "numerator": "统计期内评价为满意（及基本满意）的事项", "denominator": "统计期内参加评价的事项",
     "params": {"count_basically_satisfied": True}},
    {"key": "participation", "name": "参评率", "order": 4,
     "numerator": "统计期内答复、且已评价的事项", "denominator": "统计期内答复的事项", "params": {}},
    {"key": "repeat_rate", "name": "重复信访率", "order": 5,
     "numerator": "统计期内登记的重复信访事项", "denominator": "统计期内登记的全部事项", "params": {}},
    {"key": "registered", "name": "登记量", "order": 6, "numerator": "统计期内登记的事项", "denominator": "", "params": {}},
]

HOTLINE_DEFINITIONS: list[dict[str, Any]] = [
    {"key": "hotline_response", "name": "响应率", "order": 1, "indicator_set": "hotline",
     "numerator": "派单后在响应时限内被承办单位受理或作出不予受理决定的12345工单",
     "denominator": "统计期内派单（登记）的12345工单（不含已合并的）", "params": {"response_hours": 24}},
    {"key": "hotline_resolution", "name": "解决率", "order": 2, "indicator_set": "hotline",
     "numerator": "统计期内办结、且诉求人评价为已解决（满意或基本满意）的12345工单",
     "denominator": "统计期内办结的12345工单", "params": {"resolved_levels": ["satisfied", "basically"]}},
    {"key": "hotline_satisfaction", "name": "满意率（12345）", "order": 3, "indicator_set": "hotline",
     "numerator": "统计期内评价为满意（及基本满意）的12345工单", "denominator": "统计期内参加评价的12345工单",
     "params": {"count_basically_satisfied": True}},
    {"key": "hotline_registered", "name": "工单量", "order": 4, "indicator_set": "hotline",
     "numerator": "统计期内登记的12345工单", "denominator": "", "params": {}},
]

D = Decimal
# (kind, label, indicator key or count, points, target, floor, per_item, cap)
RULEBOOK: list[tuple[str, str, str, Decimal, Decimal | None, Decimal | None, Decimal, Decimal | None]] = [
    ("score", "及时受理", "timely_acceptance", D(25), D("0.98"), D("0.80"), D(0), None),
    ("score", "按期办结", "on_time_completion", D(30), D("0.95"), D("0.70"), D(0), None),
    ("score", "群众满意", "satisfaction", D(25), D("0.90"), D("0.60"), D(0), None),
    ("score", "参与评价", "participation", D(20), D("0.80"), D("0.30"), D(0), None),
    ("deduction", "越级信访", "above_level", D(0), None, None, D(1), D(10)),
    ("deduction", "进京访", "to_capital", D(0), None, None, D(2), D(10)),
    ("deduction", "超期未办", "overdue", D(0), None, None, D("0.5"), D(10)),
    ("bonus", "积案化解销号", "backlog_signed_off", D(0), None, None, D(1), D(5)),
]


def create_defaults(IndicatorDefinition: Any, rows: list[dict[str, Any]] = DEFINITIONS) -> None:  # noqa: N803 - a model class, historical or real
    for row in rows:
        IndicatorDefinition.objects.get_or_create(key=row["key"], defaults={k: v for k, v in row.items() if k != "key"})


def create_rulebook(Rulebook: Any, RuleLine: Any, IndicatorDefinition: Any, year: int = 2026) -> Any:  # noqa: N803
    book, created = Rulebook.objects.get_or_create(year=year, defaults={
        "name": f"{year}年度信访工作考核细则", "note": "满分100分；未达目标按比例得分，低于底线不得分；扣分、加分各有上限。"})
    if not created:
        return book
    for order, (kind, label, what, points, target, floor, per_item, cap) in enumerate(RULEBOOK, start=1):
        indicator = IndicatorDefinition.objects.get(key=what) if kind == "score" else None
        RuleLine.objects.create(rulebook=book, order=order, kind=kind, label=label, indicator=indicator,
                                count="" if kind == "score" else what, points=points, target=target, floor=floor,
                                per_item=per_item, cap=cap)
    return book
