"""The evaluation workflow: the table decides what may happen, who may do it, and whether the
proposer hears of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from notify.models import OutboxMessage
from org.models import Role
from suggestions import services
from suggestions.models import Suggestion, SuggestionState
from suggestions.workflow import MOVES
from xinfang.testing import World, at

from .helpers import adopted, evaluating, suggest

pytestmark = pytest.mark.django_db

S = SuggestionState
DAY = at(2026, 3, 12)


def _run(w: World, action: str, pk: int, actor: str) -> Suggestion:
    user = w.users[actor]
    calls: dict[str, Callable[[], Suggestion]] = {
        "assign": lambda: services.assign(pk, actor=user, unit_id=w.units["d1_street"].pk, now=DAY),
        "merge": lambda: services.merge(pk, actor=user, into_id=suggest(w, title="同一建议").pk, now=DAY),
        "evaluate": lambda: services.evaluate(pk, actor=user, opinion="可行，成本可控", now=DAY),
        "adopt": lambda: services.decide(pk, "adopt", actor=user, reply="采纳", now=DAY),
        "adopt_partly": lambda: services.decide(pk, "adopt_partly", actor=user, reply="部分采纳", now=DAY),
        "decline": lambda: services.decide(pk, "decline", actor=user, reply="已有同类项目", now=DAY),
        "report": lambda: services.report(pk, actor=user, text="已完成选址", now=DAY),
        "implement": lambda: services.implement(pk, actor=user, text="食堂已开业", now=DAY),
    }
    return calls[action]()


def _in_source_state(w: World, action: str) -> Suggestion:
    return adopted(w) if S.ADOPTED in MOVES[action].sources and S.EVALUATING not in MOVES[action].sources else evaluating(w)


# The standing collection is received at the city; the suggestion is evaluated by the d1 housing bureau.
ALLOWED: dict[str, set[str]] = {
    "assign": {"registrar", "reviewer"},
    "merge": {"registrar", "reviewer"},
    "evaluate": {"handler", "housing_head", "d1_head"},
    "adopt": {"housing_head", "d1_head"},
    "adopt_partly": {"housing_head", "d1_head"},
    "decline": {"housing_head", "d1_head"},
    "report": {"handler", "housing_head", "d1_head"},
    "implement": {"housing_head", "d1_head"},
}
ACTORS = ["registrar", "reviewer", "supervisor", "d1_registrar", "d1_reviewer", "d1_head", "handler", "housing_head",
          "d2_head", "street_handler", "leader", "nobody"]


def test_the_matrix_covers_every_move() -> None:
    assert set(ALLOWED) == set(MOVES)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", list(MOVES))
def test_who_may_take_each_move(world: World, action: str, actor: str) -> None:
    s = _in_source_state(world, action)
    allowed = actor in ALLOWED[action]
    assert services.may(world.users[actor], s, action) is allowed
    if allowed:
        moved = _run(world, action, s.pk, actor)
        assert moved.state == (MOVES[action].target or s.state)
        assert Event.objects.filter(verb=f"suggestion_{action}", target_id=s.pk, actor=world.users[actor]).exists()
    else:
        with pytest.raises((NotAllowed, Suggestion.DoesNotExist)):
            _run(world, action, s.pk, actor)
        assert Suggestion.objects.get(pk=s.pk).state == s.state


def _reach(w: World, state: S) -> Suggestion:
    s = evaluating(w) if state != S.RECEIVED else suggest(w)
    heads = {S.ADOPTED: "adopt", S.PARTLY_ADOPTED: "adopt_partly", S.NOT_ADOPTED: "decline"}
    if state in heads:
        s = _run(w, heads[state], s.pk, "housing_head")
    elif state == S.IMPLEMENTED:
        s = _run(w, "implement", adopted(w).pk, "housing_head")
    elif state == S.MERGED:
        s = _run(w, "merge", s.pk, "reviewer")
    return s


ILLEGAL = [(action, state) for action, move in MOVES.items() for state in S if state not in move.sources]


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_a_move_from_a_state_outside_the_table_is_refused(world: World, action: str, state: S) -> None:
    s = _reach(world, state)
    assert s.state == state
    # Every role over the whole city: only the state can refuse.
    world.user("all_roles", "city_office", *[(role, "city") for role in Role])
    assert not services.may(world.users["all_roles"], s, action)
    with pytest.raises(IllegalTransition):
        _run(world, action, s.pk, "all_roles")
    assert Suggestion.objects.get(pk=s.pk).state == state


def test_not_adopting_needs_a_reason_and_every_decision_an_answer(world: World) -> None:
    s = evaluating(world)
    for action in ("decline", "adopt", "adopt_partly"):
        with pytest.raises(InvalidInput) as err:
            services.decide(s.pk, action, actor=world.users["housing_head"], reply="  ", now=DAY)
        assert "reply" in err.value.fields
    assert Suggestion.objects.get(pk=s.pk).state == S.EVALUATING


def test_the_decision_is_dated_and_its_answer_kept_for_the_proposer(world: World) -> None:
    s = services.decide(evaluating(world).pk, "decline", actor=world.users["housing_head"], reply="该路段已有规划", now=DAY)
    assert (s.state, s.reply, s.decided_at) == (S.NOT_ADOPTED, "该路段已有规划", DAY)


@pytest.mark.parametrize(("actor", "unit", "ok"), [
    ("reviewer", "d2_housing", True), ("d1_reviewer", "d1_housing", True), ("d1_reviewer", "d2_housing", False)])
def test_assignment_stays_within_the_office_scope(world: World, actor: str, unit: str, ok: bool) -> None:
    call = services.create_call(actor=world.users["d1_reviewer"], topic="街区更新", description="", now=at(2026, 2, 1),
                                organising_unit_id=world.units["d1_office"].pk, opens_on=at(2026, 3, 1).date(),
                                closes_on=at(2026, 3, 31).date())
    s = suggest(world, call)
    if ok:
        assert services.assign(s.pk, actor=world.users[actor], unit_id=world.units[unit].pk, now=DAY).evaluating_unit == world.units[unit]
    else:
        with pytest.raises(InvalidInput):
            services.assign(s.pk, actor=world.users[actor], unit_id=world.units[unit].pk, now=DAY)


def test_a_unit_outside_the_scope_does_not_even_find_the_suggestion(world: World) -> None:
    s = evaluating(world)
    with pytest.raises(Suggestion.DoesNotExist):
        services.evaluate(s.pk, actor=world.users["d2_handler"], opinion="x", now=DAY)


def test_reassigning_moves_the_suggestion_to_the_new_unit(world: World) -> None:
    s = evaluating(world)
    s = services.assign(s.pk, actor=world.users["reviewer"], unit_id=world.units["d2_housing"].pk, now=DAY)
    assert services.may(world.users["d2_head"], s, "adopt") and not services.may(world.users["housing_head"], s, "adopt")


@pytest.mark.parametrize("into", ["self", "merged", "hidden"])
def test_a_duplicate_merges_only_into_another_live_suggestion_in_scope(world: World, into: str) -> None:
    s = suggest(world)
    if into == "self":
        target = s
    elif into == "merged":
        target = services.merge(suggest(world).pk, actor=world.users["reviewer"], into_id=suggest(world).pk, now=DAY)
    else:
        d2_call = services.create_call(actor=world.users["reviewer"], topic="x", description="", now=at(2026, 2, 1),
                                       organising_unit_id=world.units["d2_office"].pk, opens_on=at(2026, 3, 1).date(),
                                       closes_on=at(2026, 3, 31).date())
        target = suggest(world, d2_call)
        s = suggest(world, services.create_call(actor=world.users["d1_reviewer"], topic="y", description="",
                                                now=at(2026, 2, 1), organising_unit_id=world.units["d1_office"].pk,
                                                opens_on=at(2026, 3, 1).date(), closes_on=at(2026, 3, 31).date()))
    actor = "d1_reviewer" if into == "hidden" else "reviewer"
    with pytest.raises(InvalidInput):
        services.merge(s.pk, actor=world.users[actor], into_id=target.pk, now=DAY)


def test_merging_points_to_the_suggestion_it_repeats(world: World) -> None:
    first, second = suggest(world), suggest(world, title="同一建议")
    merged = services.merge(second.pk, actor=world.users["registrar"], into_id=first.pk, now=DAY)
    assert (merged.state, merged.merged_into) == (S.MERGED, first)


def test_implementation_updates_pile_up_and_the_last_one_closes_it(world: World) -> None:
    s = adopted(world)
    services.report(s.pk, actor=world.users["handler"], text="已完成选址", now=at(2026, 4, 1))
    done = services.implement(s.pk, actor=world.users["housing_head"], text="食堂已开业", now=at(2026, 6, 1))
    assert [u.text for u in done.updates.all()] == ["已完成选址", "食堂已开业"]
    assert (done.state, done.implemented_at) == (S.IMPLEMENTED, at(2026, 6, 1))
    with pytest.raises(InvalidInput):
        services.report(adopted(world).pk, actor=world.users["handler"], text="", now=DAY)


def _messages_for(s: Suggestion) -> list[str]:
    return sorted(OutboxMessage.objects.filter(key__startswith=f"sms:suggestion:{s.pk}:").values_list("key", flat=True))


def test_the_proposer_with_contact_hears_of_every_move_but_the_internal_opinion(world: World) -> None:
    s = evaluating(world)
    services.evaluate(s.pk, actor=world.users["handler"], opinion="内部意见：可行", now=at(2026, 3, 8))
    services.decide(s.pk, "adopt", actor=world.users["housing_head"], reply="采纳", now=at(2026, 3, 10))
    services.report(s.pk, actor=world.users["handler"], text="已选址", now=at(2026, 4, 1))
    services.implement(s.pk, actor=world.users["housing_head"], text="已开业", now=at(2026, 6, 1))
    actions = [key.split(":")[3] for key in _messages_for(s)]
    assert sorted(actions) == ["adopt", "assign", "implement", "report", "submit"]
    assert not any("内部意见" in body for body in OutboxMessage.objects.values_list("body", flat=True))


def test_a_proposer_without_contact_gets_no_message_but_the_moves_are_still_recorded(world: World) -> None:
    s = adopted(world, phone="")
    assert not OutboxMessage.objects.exists()
    verbs = set(Event.objects.filter(target_type="suggestion", target_id=s.pk).values_list("verb", flat=True))
    assert verbs == {"suggestion_submit", "suggestion_assign", "suggestion_adopt"}


def test_events_keep_the_state_before_and_after_but_no_personal_data(world: World) -> None:
    s = evaluating(world, phone="13812345678")
    event: Any = Event.objects.get(verb="suggestion_assign", target_id=s.pk)
    assert event.before["state"] == S.RECEIVED and event.after["state"] == S.EVALUATING
    assert event.reason == "请研究"
    assert "13812345678" not in str(Event.objects.filter(target_id=s.pk).values_list("before", "after", "reason"))
