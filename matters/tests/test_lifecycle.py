"""Every transition of the table, from every state: legal ones land where the table says, the
rest raise IllegalTransition and change nothing."""

from typing import Any

import pytest
from django.utils import translation

from audit.models import Event
from matters import services as s
from matters.errors import IllegalTransition, InvalidInput
from matters.lifecycle import TRANSITIONS, State
from matters.models import Deadline, Matter
from xinfang.testing import World, at

from .journeys import act, matter_in, register

pytestmark = pytest.mark.django_db

# Who performs each action in the journeys world, and with what.
PERFORMER: dict[str, tuple[str, dict[str, Any]]] = {
    "forward": ("reviewer", {"to_unit_id": "d2_housing"}),
    "object": ("handler", {"reason": "不属本单位职责"}),
    "accept": ("handler", {}),
    "refuse": ("handler", {"reason": "属于劳动争议", "legal_route": "劳动人事争议仲裁"}),
    "merge": ("registrar", {"into_id": "OTHER"}),
    "extend": ("housing_head", {"days": 10, "reason": "需现场勘查"}),
    "reply": ("handler", {"text": "答复"}),
    "follow_up": ("handler", {"note": "已回访"}),
    "request_review": ("registrar", {}),
    "decide_review": ("d1_head", {"decision": "维持"}),
    "request_re_review": ("registrar", {}),
    "decide_re_review": ("reviewer", {"decision": "维持"}),
}
REACHABLE = [st for st in State if st != State.RE_REVIEWED]  # re-review closes at once


def _params(w: World, raw: dict[str, Any]) -> dict[str, Any]:
    params = dict(raw)
    if params.get("to_unit_id") == "d2_housing":
        params["to_unit_id"] = w.units["d2_housing"].pk
    if params.get("into_id") == "OTHER":
        params["into_id"] = register(w, title="另一件").pk
    return params


def test_the_table_covers_every_action_with_a_service():
    assert set(TRANSITIONS) - {"close"} == set(PERFORMER)
    assert set(PERFORMER) <= set(s.ACTIONS)


@pytest.mark.parametrize("action", sorted(PERFORMER))
@pytest.mark.parametrize("state", REACHABLE)
def test_transition_from_state(world, action, state):
    t = TRANSITIONS[action]
    matter = matter_in(world, state)
    actor, raw = PERFORMER[action]
    events_before = Event.objects.count()
    version = Matter.objects.get(pk=matter.pk).version
    # The last day any window in the journeys is still open.
    day = (2026, 3, 5) if action == "object" else (2026, 4, 12)
    if state in t.sources:
        result = act(world, matter, action, actor, day, **_params(world, raw))
        expected = State.CLOSED if action == "decide_re_review" else t.target
        assert result.state == expected
        assert Event.objects.filter(target_id=matter.pk, verb=action).exists()
    else:
        with pytest.raises(IllegalTransition):
            act(world, matter, action, actor, day, **_params(world, raw))
        fresh = Matter.objects.get(pk=matter.pk)
        assert (fresh.state, fresh.version) == (state, version)
        assert Event.objects.count() == events_before + (1 if action == "merge" else 0)  # merge's target registration


def test_registration_starts_the_fifteen_day_acceptance_clock(world):
    m = register(world, day=(2026, 3, 2))
    assert m.state == State.REGISTERED
    assert m.statutory_due.isoformat() == "2026-03-17"
    assert [(d.clock, d.due.isoformat()) for d in m.deadlines.all()] == [("acceptance", "2026-03-17")]


def test_forwarding_gives_the_receiver_fifteen_days_and_five_working_days_to_object(world):
    m = matter_in(world, State.FORWARDED)  # forwarded on Tue 3 March 2026
    open_clocks = {d.clock: d.due.isoformat() for d in m.deadlines.filter(stopped_on__isnull=True)}
    assert open_clocks == {"acceptance": "2026-03-18", "objection": "2026-03-10"}
    assert m.handling_unit == world.units["d1_housing"]


def test_objection_after_five_working_days_is_refused(world):
    m = matter_in(world, State.FORWARDED)
    with pytest.raises(IllegalTransition, match="2026-03-10"):
        act(world, m, "object", "handler", (2026, 3, 11), reason="不属本单位职责")
    m = act(world, m, "object", "handler", (2026, 3, 10), reason="不属本单位职责")
    assert m.state == State.REGISTERED and m.handling_unit == world.units["city_office"]


def test_acceptance_starts_sixty_days_rolled_past_labour_day(world):
    m = matter_in(world, State.ACCEPTED)  # accepted 4 March 2026
    handling = m.deadlines.get(clock="handling")
    assert (handling.due.isoformat(), handling.rolled_from.isoformat()) == ("2026-05-06", "2026-05-03")
    assert m.statutory_due.isoformat() == "2026-05-06"


def test_extension_adds_at_most_thirty_days_before_the_deadline(world):
    m = matter_in(world, State.ACCEPTED)
    with pytest.raises(InvalidInput):
        act(world, m, "extend", "housing_head", (2026, 3, 10), days=31, reason="复杂")
    with pytest.raises(IllegalTransition):
        act(world, m, "extend", "housing_head", (2026, 5, 7), days=30, reason="复杂")
    m = act(world, m, "extend", "housing_head", (2026, 3, 10), days=30, reason="复杂")
    assert m.deadlines.get(clock="handling").due.isoformat() == "2026-06-02"
    assert m.statutory_due.isoformat() == "2026-06-02"


def test_only_one_extension(world):
    m = matter_in(world, State.EXTENDED)
    with pytest.raises(IllegalTransition):
        act(world, m, "extend", "housing_head", (2026, 3, 12), days=5, reason="再延")


def test_reply_opens_the_thirty_day_review_window_and_policy_follow_up(world):
    m = matter_in(world, State.REPLIED)  # replied 20 March 2026
    open_clocks = {d.clock: d.due.isoformat() for d in m.deadlines.filter(stopped_on__isnull=True)}
    # 19 April 2026 is a Sunday: the window ends on Monday 20 April.
    assert open_clocks == {"review_request": "2026-04-20", "follow_up": "2026-03-30"}
    assert m.statutory_due is None  # no office obligation runs while the petitioner may ask for review


def test_review_request_after_the_window_is_refused_with_the_date(world):
    m = matter_in(world, State.REPLIED)
    with pytest.raises(IllegalTransition, match="2026-04-20"):
        act(world, m, "request_review", "registrar", (2026, 4, 21))


def test_review_decision_due_in_thirty_days_then_re_review_window(world):
    m = matter_in(world, State.REVIEW_REQUESTED)  # 25 March
    assert m.statutory_due.isoformat() == "2026-04-24"
    m = act(world, m, "decide_review", "d1_head", (2026, 4, 1), decision="维持")
    assert m.review_unit == world.units["d1"]
    assert m.deadlines.get(clock="re_review_request", stopped_on__isnull=True).due.isoformat() == "2026-05-06"


def test_re_review_is_final_and_closes(world):
    m = matter_in(world, State.RE_REVIEW_REQUESTED)
    assert m.statutory_due.isoformat() == "2026-05-06"  # 5 April + 30 = 5 May, a holiday: rolled over
    m = act(world, m, "decide_re_review", "reviewer", (2026, 4, 10), decision="维持")
    assert m.state == State.CLOSED and m.closed_at is not None
    assert not m.deadlines.filter(stopped_on__isnull=True).exists()


def test_closing_job_closes_only_lapsed_windows_and_is_idempotent(world):
    m = matter_in(world, State.REPLIED)
    assert s.close_lapsed_matters(now=at(2026, 4, 20)) == 0
    assert s.close_lapsed_matters(now=at(2026, 4, 21)) == 1
    assert Matter.objects.get(pk=m.pk).state == State.CLOSED
    assert s.close_lapsed_matters(now=at(2026, 4, 22)) == 0
    assert Event.objects.filter(target_id=m.pk, verb="close").count() == 1


def test_pause_and_resume_exclude_the_paused_span(world):
    m = register(world, day=(2026, 3, 2))
    m = s.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 5), reason="听证")
    assert m.clock_paused
    with pytest.raises(IllegalTransition):
        s.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 6), reason="again")
    m = s.resume_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 10), reason="听证结束")
    assert not m.clock_paused
    assert m.statutory_due.isoformat() == "2026-03-23"  # 5 days excluded, Sunday rolled to Monday
    assert m.deadlines.get(clock="acceptance").pauses == [["2026-03-05", "2026-03-10"]]


def test_stale_version_is_refused(world):
    m = register(world)
    with translation.override("en"), pytest.raises(IllegalTransition, match="changed this matter"):
        s.accept_matter(m.pk, actor=world.users["handler"], now=at(2026, 3, 3), expected_version=m.version + 1)
    assert Matter.objects.get(pk=m.pk).state == State.REGISTERED


def test_merge_links_to_the_open_matter(world):
    m = matter_in(world, State.MERGED)
    assert m.merged_into is not None and m.merged_into.state == State.REGISTERED


def test_refusing_a_claim_requires_the_legal_route(world):
    m = register(world)
    with pytest.raises(InvalidInput) as e:
        act(world, m, "refuse", "handler", (2026, 3, 3), reason="属于诉讼")
    assert "legal_route" in e.value.fields
    assert Matter.objects.get(pk=m.pk).state == State.REGISTERED


def test_local_twenty_one_day_target_runs_beside_the_statutory_deadline(world):
    from deadlines.models import ServiceProfile

    ServiceProfile.objects.create(name="首次信访三周办结", days=21, first_petition_only=True)
    m = matter_in(world, State.ACCEPTED)
    clocks = {d.clock: d for d in Deadline.objects.filter(matter=m)}
    assert clocks["local_target"].due.isoformat() == "2026-03-25"
    assert clocks["local_target"].profile_name == "首次信访三周办结"
    assert m.statutory_due.isoformat() == "2026-05-06"  # the law still governs the queue


def test_publishing_next_years_holiday_notice_recomputes_provisional_deadlines(world):
    from deadlines.models import CalendarOverride

    m = register(world, day=(2026, 12, 20))
    assert m.due_provisional and m.statutory_due.isoformat() == "2027-01-04"
    CalendarOverride.objects.create(date="2027-01-04", is_workday=False, note="元旦调休")
    changed = s.publish_holiday_notice(2027, actor=world.users["reviewer"], now=at(2026, 12, 21))
    m.refresh_from_db()
    assert changed == 1
    assert not m.due_provisional and m.statutory_due.isoformat() == "2027-01-05"


def test_close_lapsed_command(world):
    from django.core.management import call_command

    m = matter_in(world, State.REPLIED)
    call_command("close_lapsed", "--now", "2026-04-21T02:00:00+08:00")
    assert Matter.objects.get(pk=m.pk).state == State.CLOSED


def test_kind_of_handling_changes_with_a_reason_and_an_event(world):
    m = register(world)
    with pytest.raises(InvalidInput):
        s.reclassify_matter(m.pk, actor=world.users["registrar"], now=at(2026, 3, 3), handling_kind="suggestion", reason=" ")
    m = s.reclassify_matter(m.pk, actor=world.users["registrar"], now=at(2026, 3, 3), handling_kind="suggestion",
                            reason="实为意见建议")
    assert m.handling_kind == "suggestion"
    ev = Event.objects.get(verb="reclassify", target_id=m.pk)
    assert (ev.before["handling_kind"], ev.after["handling_kind"], ev.reason) == ("claim", "suggestion", "实为意见建议")


def test_reclassify_rules(world):
    from matters.errors import NotAllowed

    m = register(world)
    with pytest.raises(NotAllowed):
        s.reclassify_matter(m.pk, actor=world.users["handler"], now=at(2026, 3, 3), handling_kind="suggestion", reason="x")
    with pytest.raises(InvalidInput):  # an accusation may not stay at a functional unit
        s.reclassify_matter(m.pk, actor=world.users["registrar"], now=at(2026, 3, 3), handling_kind="accusation", reason="x")
    closed = matter_in(world, State.CLOSED)
    with pytest.raises(IllegalTransition):
        s.reclassify_matter(closed.pk, actor=world.users["registrar"], now=at(2026, 5, 1), handling_kind="suggestion", reason="x")
