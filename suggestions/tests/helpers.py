"""Calls and suggestions on a fixed 2026 timeline, made through the services."""

from __future__ import annotations

from datetime import date

from suggestions import services
from suggestions.models import Call, Suggestion
from suggestions.selectors import standing_call
from xinfang.testing import World, at


def open_call(w: World, *, unit: str = "city_office", actor: str = "reviewer") -> Call:
    return services.create_call(actor=w.users[actor], topic="2026年为民办实事项目", description="征集民生实事建议",
                                organising_unit_id=w.units[unit].pk, opens_on=date(2026, 3, 1),
                                closes_on=date(2026, 3, 31), now=at(2026, 2, 20))


def suggest(w: World, call: Call | None = None, *, phone: str = "13812345678", email: str = "",
            title: str = "增设社区老年食堂") -> Suggestion:
    data = services.SuggestionData(title=title, content="建议在老旧小区增设老年食堂，解决老人吃饭难。",
                                   proposer_name="李四", proposer_phone=phone, proposer_email=email)
    return services.submit_suggestion((call or standing_call()).pk, data, now=at(2026, 3, 5))


def evaluating(w: World, call: Call | None = None, *, unit: str = "d1_housing", **kw: str) -> Suggestion:
    s = suggest(w, call, **kw)
    return services.assign(s.pk, actor=w.users["reviewer"], unit_id=w.units[unit].pk, note="请研究", now=at(2026, 3, 6))


def adopted(w: World, call: Call | None = None, **kw: str) -> Suggestion:
    s = evaluating(w, call, **kw)
    return services.decide(s.pk, "adopt", actor=w.users["housing_head"], reply="采纳，列入年度计划。", now=at(2026, 3, 10))
