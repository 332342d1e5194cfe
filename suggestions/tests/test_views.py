"""Staff pages: calls with counts that lead to the queue, the filtered queue, a suggestion with
the moves the user may make now, and each form posted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from suggestions.models import Call, Suggestion, SuggestionState
from suggestions.selectors import standing_call
from xinfang.testing import World

from .helpers import adopted, evaluating, open_call, suggest

pytestmark = pytest.mark.django_db


def _as(client: Client, world: World, name: str) -> Client:
    client.force_login(world.users[name])
    return client


def test_the_calls_page_counts_per_call_and_state_and_links_to_the_queue(client: Client, world: World) -> None:
    call = open_call(world)
    evaluating(world, call)
    evaluating(world, call)
    suggest(world)
    response = _as(client, world, "reviewer").get(reverse("suggestions_calls"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.call == call)
    assert {v: n for v, _label, n in row.counts}[SuggestionState.EVALUATING] == 2 and row.total == 2
    link = f'{reverse("suggestions_queue")}?call={call.pk}&amp;state=evaluating'
    assert link in response.content.decode()
    queue = client.get(reverse("suggestions_queue"), {"call": str(call.pk), "state": "evaluating"})
    assert queue.context["page"].paginator.count == 2


def test_counts_only_cover_suggestions_in_scope(client: Client, world: World) -> None:
    evaluating(world, unit="d2_housing")
    response = _as(client, world, "handler").get(reverse("suggestions_calls"))
    assert all(r.total == 0 for r in response.context["rows"])
    assert response.context["form"] is None  # a handler opens no calls


def test_the_office_publishes_a_call_from_the_page(client: Client, world: World) -> None:
    response = _as(client, world, "reviewer").post(reverse("suggestions_call_create"), {
        "topic": "公园改造", "description": "", "organising_unit": world.units["city_office"].pk,
        "opens_on": "2026-05-01", "closes_on": "2026-05-31"})
    assert response.status_code == 302
    assert Call.objects.filter(topic="公园改造", organising_unit=world.units["city_office"]).exists()


def test_a_bad_call_is_shown_again_with_its_errors(client: Client, world: World) -> None:
    response = _as(client, world, "reviewer").post(reverse("suggestions_call_create"), {
        "topic": "公园改造", "organising_unit": world.units["city_office"].pk, "opens_on": "2026-05-31", "closes_on": "2026-05-01"})
    assert response.status_code == 422
    assert "closes_on" in response.context["form"].errors
    assert 'value="公园改造"' in response.content.decode()
    assert not Call.objects.filter(topic="公园改造").exists()


def test_closing_a_call_from_the_page(client: Client, world: World) -> None:
    call = open_call(world)
    assert _as(client, world, "supervisor").post(reverse("suggestions_call_close", args=[call.pk])).status_code == 302
    assert Call.objects.get(pk=call.pk).closed_at is None
    _as(client, world, "reviewer").post(reverse("suggestions_call_close", args=[call.pk]))
    assert Call.objects.get(pk=call.pk).closed_at is not None


def test_a_call_outside_the_scope_is_not_found(client: Client, world: World) -> None:
    call = open_call(world, unit="d2_office")
    assert _as(client, world, "d1_reviewer").post(reverse("suggestions_call_close", args=[call.pk])).status_code == 404


def test_the_queue_filters_by_call_state_and_unit_and_masks_the_proposer(client: Client, world: World) -> None:
    call = open_call(world)
    a = evaluating(world, call)
    b = evaluating(world, unit="d1_street")
    c = suggest(world)
    _as(client, world, "reviewer")

    def shown(**params: str | int) -> set[int]:
        return {s.pk for s in client.get(reverse("suggestions_queue"), params).context["page"]}

    assert shown() == {a.pk, b.pk, c.pk}
    assert shown(call=call.pk) == {a.pk}
    assert shown(state="received") == {c.pk}
    assert shown(unit=world.units["d1_street"].pk) == {b.pk}
    page = client.get(reverse("suggestions_queue")).content.decode()
    assert "李*" in page and "李四" not in page and "13812345678" not in page


def test_the_queue_shows_a_unit_only_what_is_received_by_or_assigned_to_it(client: Client, world: World) -> None:
    mine, other = evaluating(world), evaluating(world, unit="d2_housing")
    rows = {s.pk for s in _as(client, world, "handler").get(reverse("suggestions_queue")).context["page"]}
    assert rows == {mine.pk}
    assert client.get(reverse("suggestions_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("suggestions_act", args=[other.pk, "evaluate"]), {"opinion": "x"}).status_code == 404


def test_the_queue_pages_by_fifty(client: Client, world: World) -> None:
    for _ in range(51):
        suggest(world)
    _as(client, world, "reviewer")
    assert len(client.get(reverse("suggestions_queue")).context["page"].object_list) == 50
    assert len(client.get(reverse("suggestions_queue"), {"page": 2}).context["page"].object_list) == 1


@pytest.mark.parametrize(("user", "actions"), [
    ("reviewer", ["assign", "merge"]),
    ("handler", ["evaluate"]),
    ("housing_head", ["evaluate", "adopt", "adopt_partly", "decline"]),
    ("supervisor", []),
])
def test_the_page_offers_exactly_the_moves_the_user_may_make(client: Client, world: World, user: str, actions: list[str]) -> None:
    s = evaluating(world)
    response = _as(client, world, user).get(reverse("suggestions_detail", args=[s.pk]))
    assert response.status_code == 200
    assert [a for a, _label, _form in response.context["actions"]] == actions
    page = response.content.decode()
    assert "李四" not in page and "13812345678" not in page and "138****5678" in page


def test_posting_each_form_moves_the_suggestion(client: Client, world: World) -> None:
    s = suggest(world)
    first = suggest(world, title="先到的建议")

    def post(user: str, action: str, data: dict[str, object], pk: int = s.pk) -> Suggestion:
        response = _as(client, world, user).post(reverse("suggestions_act", args=[pk, action]), data)
        assert response.status_code == 302, response.content.decode()[:500]
        return Suggestion.objects.get(pk=pk)

    assert post("reviewer", "assign", {"unit": world.units["d1_housing"].pk, "note": "请研究"}).state == SuggestionState.EVALUATING
    assert post("handler", "evaluate", {"opinion": "可行"}).opinion == "可行"
    assert post("housing_head", "adopt", {"adopt-reply": "采纳"}).state == SuggestionState.ADOPTED
    assert post("handler", "report", {"text": "已选址"}).updates.count() == 1
    assert post("housing_head", "implement", {"implement-text": "已开业"}).state == SuggestionState.IMPLEMENTED
    assert post("registrar", "merge", {"into": first.pk}, pk=suggest(world).pk).state == SuggestionState.MERGED
    other = evaluating(world)
    assert post("housing_head", "adopt_partly", {"adopt_partly-reply": "部分采纳"}, pk=other.pk).state == SuggestionState.PARTLY_ADOPTED
    third = evaluating(world)
    assert post("housing_head", "decline", {"decline-reply": "已有规划"}, pk=third.pk).state == SuggestionState.NOT_ADOPTED


def test_a_decision_without_a_reason_is_shown_again_with_the_error(client: Client, world: World) -> None:
    s = evaluating(world)
    response = _as(client, world, "housing_head").post(reverse("suggestions_act", args=[s.pk, "decline"]), {"decline-reply": " "})
    assert response.status_code == 422
    form = next(f for a, _l, f in response.context["actions"] if a == "decline")
    assert "reply" in form.errors
    assert Suggestion.objects.get(pk=s.pk).state == SuggestionState.EVALUATING


def test_a_move_not_allowed_is_refused_with_a_message(client: Client, world: World) -> None:
    s = evaluating(world)
    response = _as(client, world, "handler").post(reverse("suggestions_act", args=[s.pk, "adopt"]), {"adopt-reply": "采纳"})
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=s.pk).state == SuggestionState.EVALUATING


def test_the_timeline_shows_each_move(client: Client, world: World) -> None:
    s = adopted(world)
    response = _as(client, world, "reviewer").get(reverse("suggestions_detail", args=[s.pk]))
    assert [e.verb for e in response.context["events"]] == ["suggestion_submit", "suggestion_assign", "suggestion_adopt"]
    assert "采纳，列入年度计划。" in response.content.decode()


def test_the_standing_call_has_no_close_button(client: Client, world: World) -> None:
    response = _as(client, world, "reviewer").get(reverse("suggestions_calls"))
    assert standing_call().pk not in response.context["closable"]
    assert open_call(world).pk in client.get(reverse("suggestions_calls")).context["closable"]
