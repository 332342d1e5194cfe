"""The indicator definitions as shipped (§7 defaults); admins edit names and parameters."""

from __future__ import annotations

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


def create_defaults(IndicatorDefinition: Any) -> None:  # noqa: N803 - a model class, historical or real
    for row in DEFINITIONS:
        IndicatorDefinition.objects.get_or_create(key=row["key"], defaults={k: v for k, v in row.items() if k != "key"})
