"""Bring a matter to any state through the services, on a fixed 2026 timeline."""

from __future__ import annotations

from typing import Any

from matters import services as s
from matters.lifecycle import State
from matters.models import HandlingKind, Matter
from xinfang.testing import World, at

# Each step: (state reached, action, actor, day, params)
TIMELINE: list[tuple[State, str, str, tuple[int, int, int], dict[str, Any]]] = [
    (State.ACCEPTED, "accept", "handler", (2026, 3, 4), {}),
    (State.EXTENDED, "extend", "housing_head", (2026, 3, 10), {"days": 30, "reason": "需现场勘查"}),
    (State.REPLIED, "reply", "handler", (2026, 3, 20), {"text": "经核查，答复如下。"}),
    (State.FOLLOWED_UP, "follow_up", "handler", (2026, 3, 22), {"note": "信访人表示知悉"}),
    (State.REVIEW_REQUESTED, "request_review", "registrar", (2026, 3, 25), {}),
    (State.REVIEWED, "decide_review", "d1_head", (2026, 4, 1), {"decision": "维持原处理意见"}),
    (State.RE_REVIEW_REQUESTED, "request_re_review", "registrar", (2026, 4, 5), {}),
    (State.CLOSED, "decide_re_review", "reviewer", (2026, 4, 10), {"decision": "维持复查意见"}),
]


def register(w: World, *, unit: str = "d1_housing", day: tuple[int, int, int] = (2026, 3, 2),
             kind: str = HandlingKind.CLAIM, title: str = "小区停水", phone: str = "13812345678",
             content: str = "小区长期停水，请求解决。", id_number: str = "430102199001011234") -> Matter:
    data = s.RegistrationData(
        channel="visit", title=title, content=content, handling_kind=kind,
        petitioner=s.PetitionerData(name="张三", phone=phone, id_number=id_number),
        handling_unit_id=w.units[unit].pk,
    )
    return s.register_matter(data, actor=w.users["registrar"], now=at(*day))


def act(w: World, matter: Matter, action: str, actor: str, day: tuple[int, int, int], **params: Any) -> Matter:
    return s.ACTIONS[action](matter.pk, actor=w.users[actor], now=at(*day), **params)


def matter_in(w: World, state: State) -> Matter:
    """A fresh matter in ``state``, reached by the lawful path."""
    if state == State.FORWARDED:
        m = register(w, unit="city_office")
        return act(w, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=w.units["d1_housing"].pk)
    m = register(w)
    if state == State.REGISTERED:
        return m
    if state == State.NOT_ACCEPTED:
        return act(w, m, "refuse", "handler", (2026, 3, 4), reason="属于劳动争议", legal_route="劳动人事争议仲裁")
    if state == State.MERGED:
        other = register(w, title="另一件")
        return act(w, m, "merge", "registrar", (2026, 3, 3), into_id=other.pk)
    for reached, action, actor, day, params in TIMELINE:
        if state == State.RE_REVIEWED:
            break
        if state == State.ACCEPTED and reached == State.EXTENDED:
            break
        if action == "extend" and state != State.EXTENDED:
            continue
        m = act(w, m, action, actor, day, **params)
        if reached == state:
            return m
    raise ValueError(f"no lawful path to {state}")
