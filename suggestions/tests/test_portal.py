"""The public side: open calls, sending a suggestion, the acknowledgement, tracking by query code,
and adopted suggestions with what became of them, never showing the proposer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suggestions import services
from suggestions.models import Call, Suggestion, SuggestionState
from suggestions.selectors import standing_call
from xinfang.testing import World

from .helpers import adopted, evaluating, suggest

pytestmark = pytest.mark.django_db

FORM = {"title": "增设社区老年食堂", "content": "建议在老旧小区增设老年食堂，解决老人吃饭难。", "proposer_name": "王小明",
        "proposer_phone": "13987654321", "proposer_email": "", "website": ""}


def _call_around_today(world: World, first: int = -1, last: int = 30) -> Call:
    today = timezone.localdate()
    return services.create_call(actor=world.users["reviewer"], topic=f"民生实事 {first}", description="请提出建议",
                                organising_unit_id=world.units["city_office"].pk, opens_on=today + timedelta(days=first),
                                closes_on=today + timedelta(days=last), now=timezone.now())


def _submit(client: Client, call: Call | None = None, **changes: str):  # noqa: ANN202 - a test response
    return client.post(reverse("suggestions_portal_submit", args=[(call or standing_call()).pk]), {**FORM, **changes})


def test_the_list_shows_open_calls_only(client: Client, world: World) -> None:
    current, past = _call_around_today(world), _call_around_today(world, -60, -1)
    page = client.get(reverse("suggestions_portal_calls")).content.decode()
    assert current.topic in page and standing_call().topic in page
    assert reverse("suggestions_portal_submit", args=[past.pk]) not in page
    assert client.get(reverse("suggestions_portal_submit", args=[past.pk])).status_code == 404


def test_a_suggestion_is_sent_acknowledged_with_its_code_and_tracked(client: Client, world: World) -> None:
    call = _call_around_today(world)
    assert client.get(reverse("suggestions_portal_submit", args=[call.pk])).status_code == 200
    response = _submit(client, call)
    assert response.status_code == 302
    s = Suggestion.objects.get()
    assert s.call == call and s.proposer_phone == "13987654321"
    ack = client.get(response["Location"]).content.decode()
    assert f"{s.query_code[:5]}-{s.query_code[5:]}" in ack
    page = client.get(reverse("suggestions_portal_status", args=[s.query_code])).content.decode()
    assert s.title in page and "王小明" not in page and "13987654321" not in page


def test_errors_are_shown_per_field_and_nothing_typed_is_lost(client: Client, world: World) -> None:
    response = _submit(client, title="", content="太短", proposer_phone="12", proposer_name="王小明")
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"title", "content", "proposer_phone"}
    page = response.content.decode()
    assert "太短" in page and 'value="王小明"' in page and 'value="12"' in page
    assert not Suggestion.objects.exists()


def test_the_honeypot_refuses_bots(client: Client, world: World) -> None:
    assert _submit(client, website="http://spam.example").status_code == 400
    assert not Suggestion.objects.exists()


def test_submissions_are_rate_limited_per_connection(client: Client, world: World, settings) -> None:  # noqa: ANN001
    settings.PORTAL_SUBMIT_RATE = "2/h"
    assert _submit(client).status_code == 302
    assert _submit(client).status_code == 302
    assert _submit(client).status_code == 429
    assert Suggestion.objects.count() == 2


def test_tracking_needs_the_right_code_and_wrong_codes_are_limited(client: Client, world: World, settings) -> None:  # noqa: ANN001
    settings.PORTAL_TRACK_FAILURES_RATE = "3/10m"
    s = evaluating(world)
    assert client.get(reverse("suggestions_portal_status", args=[s.query_code])).status_code == 404
    assert client.get(reverse("suggestions_portal_track")).status_code == 200
    for _ in range(3):
        assert client.post(reverse("suggestions_portal_track"), {"code": "WRONGCODE9"}).status_code == 404
    assert client.post(reverse("suggestions_portal_track"), {"code": s.query_code}).status_code == 429


def test_the_tracking_page_shows_the_answer_and_updates_but_no_internal_notes(client: Client, world: World) -> None:
    s = evaluating(world)  # the assignment note "请研究" is internal
    services.evaluate(s.pk, actor=world.users["handler"], opinion="内部评估：预算偏高", now=timezone.now())
    services.decide(s.pk, "adopt_partly", actor=world.users["housing_head"], reply="部分采纳：先在两个社区试点", now=timezone.now())
    services.report(s.pk, actor=world.users["handler"], text="试点食堂已选址", now=timezone.now())
    response = client.post(reverse("suggestions_portal_track"), {"code": s.query_code.lower()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "部分采纳：先在两个社区试点" in page and "试点食堂已选址" in page
    assert "内部评估" not in page and "请研究" not in page and "李四" not in page


def test_a_merged_suggestion_shows_the_outcome_of_the_one_it_repeats(client: Client, world: World) -> None:
    first = adopted(world)
    dup = services.merge(evaluating(world, title="同样的建议").pk, actor=world.users["reviewer"], into_id=first.pk,
                         now=timezone.now())
    client.post(reverse("suggestions_portal_track"), {"code": dup.query_code})
    page = client.get(reverse("suggestions_portal_status", args=[dup.query_code])).content.decode()
    assert first.reply in page and first.query_code not in page


def test_the_adopted_page_lists_adopted_suggestions_with_their_updates_and_no_proposer(client: Client, world: World) -> None:
    s = adopted(world)
    services.implement(s.pk, actor=world.users["housing_head"], text="老年食堂已开业", now=timezone.now())
    declined = services.decide(evaluating(world, title="不予采纳的建议").pk, "decline", actor=world.users["housing_head"],
                               reply="已有规划", now=timezone.now())
    received = suggest(world, title="尚未评估的建议")
    page = client.get(reverse("suggestions_portal_adopted")).content.decode()
    assert s.title in page and "老年食堂已开业" in page
    assert declined.title not in page and received.title not in page
    assert "李四" not in page and "13812345678" not in page and s.query_code not in page
    assert Suggestion.objects.get(pk=s.pk).state == SuggestionState.IMPLEMENTED


def test_the_adopted_page_pages(client: Client, world: World) -> None:
    for _ in range(21):
        adopted(world)
    assert len(client.get(reverse("suggestions_portal_adopted")).context["page"].object_list) == 20
    assert len(client.get(reverse("suggestions_portal_adopted") + "?page=2").context["page"].object_list) == 1
