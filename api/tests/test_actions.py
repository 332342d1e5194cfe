from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.actions import ACTION_PARAMS
from audit.models import Event
from matters.models import Matter
from matters.services import ACTIONS
from xinfang.testing import World

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

Register = Callable[..., dict[str, Any]]
AsUser = Callable[[str], ApiClient]


def act(client: ApiClient, matter: dict[str, Any], action: str, body: Any = None, **kw: Any) -> Any:
    return client.post(f"/matters/{matter['id']}/actions/{action}", body, **kw)


def test_200_returns_the_updated_matter(world: World, as_user: AsUser, register: Register) -> None:
    m = register()

    r = act(as_user("handler"), m, "accept", {"expected_version": m["version"]})

    assert r.status_code == 200, r.content
    data = r.json()
    assert data["state"] == "accepted" and data["version"] == m["version"] + 1
    clocks = {d["clock"]: d for d in data["deadlines"]}
    assert clocks["acceptance"]["stopped_on"] == "2026-03-02"
    assert clocks["handling"]["days"] == 60 and clocks["handling"]["stopped_on"] is None
    assert data["available_actions"] == ["reply"]


def test_403_when_the_caller_sees_the_matter_but_holds_no_role_for_the_action(
    world: World, as_user: AsUser, register: Register
) -> None:
    m = register()
    r = act(as_user("handler"), m, "forward", {"to_unit_id": world.units["d1_street"].pk})
    assert r.status_code == 403
    assert r.json()["detail"]
    accepted = act(as_user("handler"), m, "accept").json()
    assert act(as_user("handler"), accepted, "pause", {"reason": "听证"}).status_code == 403
    assert Matter.objects.get(pk=m["id"]).state == "accepted"


def test_404_out_of_scope_missing_or_unknown_action(
    world: World, as_user: AsUser, register: Register
) -> None:
    m = register()
    assert act(as_user("d2_handler"), m, "accept").status_code == 404
    assert act(as_user("handler"), {"id": 999_999}, "accept").status_code == 404

    r = act(as_user("handler"), m, "explode")
    assert r.status_code == 404
    assert "explode" in r.json()["detail"] and "accept" in r.json()["detail"]
    assert Matter.objects.get(pk=m["id"]).state == "registered"


def test_409_illegal_transition_or_stale_version(world: World, as_user: AsUser, register: Register) -> None:
    m = register()
    handler = as_user("handler")
    assert act(handler, m, "reply", {"text": "答复"}).status_code == 409

    accepted = act(handler, m, "accept").json()
    again = act(handler, m, "accept")
    assert again.status_code == 409 and again.json()["detail"]

    stale = act(handler, m, "reply", {"text": "答复", "expected_version": m["version"]})
    assert stale.status_code == 409
    fresh = act(handler, m, "reply", {"text": "答复", "expected_version": accepted["version"]})
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("refuse", {"reason": "属于诉讼事项"}, "legal_route"),  # domain: a claim needs the legal route
        ("refuse", {"legal_route": "民事诉讼"}, "reason"),  # schema: required
        ("refuse", {"reason": "  ", "legal_route": "民事诉讼"}, "reason"),  # domain: blank
        ("accept", {"bogus": 1}, "bogus"),  # unknown parameter
        ("forward", {}, "to_unit_id"),
        ("forward", {"to_unit_id": "5"}, "to_unit_id"),  # strict: a number, not a string
        ("forward", {"to_unit_id": 999_999}, "to_unit_id"),  # domain: unknown unit
        ("accept", {"expected_version": "x"}, "expected_version"),
    ],
)
def test_422_names_the_field(
    world: World, as_user: AsUser, register: Register, action: str, body: dict[str, Any], field: str
) -> None:
    m = register()
    client = as_user("d1_registrar" if action == "forward" else "handler")
    before = Event.objects.count()

    r = act(client, m, action, body)

    assert r.status_code == 422, r.content
    assert field in r.json()["fields"], r.json()
    assert r.json()["detail"]
    assert Event.objects.count() == before
    assert Matter.objects.get(pk=m["id"]).state == "registered"


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"'])
def test_422_for_a_body_that_is_not_a_json_object(
    world: World, as_user: AsUser, register: Register, raw: str
) -> None:
    m = register()
    r = act(as_user("handler"), m, "accept", raw=raw)
    assert r.status_code == 422
    assert "__all__" in r.json()["fields"]


def test_extend_days_out_of_range_is_422(world: World, as_user: AsUser, register: Register) -> None:
    m = register()
    act(as_user("handler"), m, "accept")
    r = act(as_user("housing_head"), m, "extend", {"days": 31, "reason": "需要鉴定"})
    assert r.status_code == 422 and "days" in r.json()["fields"]


def test_every_action_through_the_api(world: World, as_user: AsUser, register: Register) -> None:
    registrar, handler, head = as_user("d1_registrar"), as_user("handler"), as_user("housing_head")
    housing = world.units["d1_housing"].pk
    m = register(unit=None)  # stays with the registrar's own office

    def ok(client: ApiClient, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        r = act(client, m, action, body)
        assert r.status_code == 200, (action, r.content)
        data: dict[str, Any] = r.json()
        return data

    assert ok(registrar, "forward", {"to_unit_id": housing, "reason": "属地管理"})["state"] == "forwarded"
    back = ok(handler, "object", {"reason": "不属于本单位职责"})
    assert back["state"] == "registered" and back["handling_unit"]["id"] == world.units["d1_office"].pk
    ok(registrar, "forward", {"to_unit_id": housing})
    ok(handler, "accept")
    assert ok(head, "pause", {"reason": "等待鉴定"})["clock_paused"] is True
    assert ok(head, "resume", {"reason": "鉴定完成"})["clock_paused"] is False
    extended = ok(head, "extend", {"days": 20, "reason": "情况复杂"})
    assert extended["state"] == "extended"
    assert next(d for d in extended["deadlines"] if d["clock"] == "handling")["days"] == 80
    assert ok(handler, "reply", {"text": "经调查，已责成物业维修。"})["state"] == "replied"
    assert ok(handler, "follow_up", {"note": "信访人表示满意"})["state"] == "followed_up"
    assert ok(registrar, "request_review", {"reason": "信访人不服"})["state"] == "review_requested"
    reviewed = ok(as_user("d1_head"), "decide_review", {"decision": "维持原答复"})
    assert reviewed["state"] == "reviewed" and reviewed["review_unit"]["id"] == world.units["d1"].pk
    assert ok(registrar, "request_re_review")["state"] == "re_review_requested"
    closed = ok(as_user("reviewer"), "decide_re_review", {"decision": "复核维持"})
    assert closed["state"] == "closed" and closed["closed_at"]

    verbs = [e["verb"] for e in registrar.get(f"/matters/{m['id']}/events").json()]
    assert verbs == [
        "register",
        "forward",
        "issue_document",
        "object",
        "forward",
        "issue_document",
        "accept",
        "issue_document",
        "pause_clock",
        "resume_clock",
        "extend",
        "issue_document",
        "reply",
        "issue_document",
        "follow_up",
        "request_review",
        "decide_review",
        "issue_document",
        "request_re_review",
        "decide_re_review",
        "issue_document",
        "close",
    ]


def test_merge_and_refuse(world: World, as_user: AsUser, register: Register) -> None:
    keep, dup, other = register(), register(), register()
    registrar, handler = as_user("d1_registrar"), as_user("handler")

    merged = act(registrar, dup, "merge", {"into_id": keep["id"]})
    assert merged.status_code == 200, merged.content
    assert merged.json()["state"] == "merged" and merged.json()["merged_into_id"] == keep["id"]
    assert act(registrar, other, "merge", {"into_id": dup["id"]}).status_code == 422  # not open any more

    refused = act(handler, other, "refuse", {"reason": "属于劳动争议", "legal_route": "劳动仲裁"})
    assert refused.status_code == 200
    assert refused.json()["state"] == "not_accepted" and refused.json()["legal_route"] == "劳动仲裁"


def test_every_service_action_has_a_parameter_model() -> None:
    assert set(ACTION_PARAMS) == set(ACTIONS)
    assert "to_unit_id" in ACTION_PARAMS["forward"].model_fields
    assert {"days", "reason", "expected_version"} == set(ACTION_PARAMS["extend"].model_fields)
    assert (
        "actor" not in ACTION_PARAMS["accept"].model_fields
        and "now" not in ACTION_PARAMS["accept"].model_fields
    )


def test_reclassify_through_the_api(world: World, as_user: AsUser, register: Register) -> None:
    m = register()
    r = act(as_user("registrar"), m, "reclassify", {"handling_kind": "suggestion", "reason": "实为建议"})
    assert r.status_code == 200, r.content
    assert r.json()["handling_kind"] == "suggestion"
    assert act(as_user("registrar"), m, "reclassify", {"handling_kind": "accusation", "reason": "x"}).status_code == 422
    assert act(as_user("handler"), m, "reclassify", {"handling_kind": "claim", "reason": "x"}).status_code == 403
