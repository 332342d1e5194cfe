"""The monthly tallies give exactly the all-live numbers: on a randomised world of several months,
for every scope and period shape, after changes to old matters through the services, and after a
definition's parameters change."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import pytest
from django.db import transaction

from audit.models import Event
from audit.services import record_event
from indicators import tallies
from indicators.compute import Period, figures, registered_spec
from indicators.dashboard import city_overview, unit_dashboard
from indicators.models import IndicatorDefinition, Span, TalliedBucket, Tally, VolumeTally
from indicators.periods import without
from indicators.services import refresh_tallies
from matters import services as ms
from matters.errors import DomainError
from matters.models import Channel, Deadline, HandlingKind, Matter
from matters.services import close_lapsed_matters
from portal.models import Rating
from portal.services import rate_reply
from xinfang.testing import SHANGHAI, World, at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)
NOW = at(2026, 12, 10, 12)
YEAR = Period(TODAY - timedelta(days=364), TODAY)
EDGES = Period(date(2026, 7, 15), date(2026, 10, 20))
T = TypeVar("T")
# (unit, the handler acting there, its head or None)
UNITS = [("d1_housing", "handler", "housing_head"), ("d2_housing", "d2_handler", "d2_head"),
         ("d1_street", "street_handler", None), ("city_discipline", "discipline", "discipline")]
_serial = iter(range(1, 10**6))


def _register(world: World, unit: str, moment: datetime, channel: str, kind: str) -> Matter:
    n = next(_serial)
    data = ms.RegistrationData(
        channel=channel, title="小区停水", content="请求解决。", handling_kind=kind,
        petitioner=ms.PetitionerData(name=f"信访人{n}", phone=f"137{n:08d}", id_number=f"TY{n:08d}"),
        handling_unit_id=world.units[unit].pk)
    return ms.register_matter(data, actor=world.users["registrar"], now=moment)


def _moment(rng: random.Random, day: date) -> datetime:
    # Hours at both ends of the local day, so the Shanghai day, not the UTC one, decides the month.
    return datetime(day.year, day.month, day.day, rng.choice([0, 1, 9, 14, 22, 23]), rng.randint(0, 59), tzinfo=SHANGHAI)


def _file(box: dict[str, Matter], world: World, unit: str, moment: datetime, channel: str, kind: str) -> None:
    box["m"] = _register(world, unit, moment, channel, kind)


def _rate(box: dict[str, Matter], level: str, moment: datetime) -> None:
    rate_reply(box["m"].pk, level=level, comment="", now=moment)


def build(world: World, seed: int = 6, n: int = 160) -> None:
    """``n`` matters registered from June to early December, each taken some way along its path, every
    step through the services in time order; steps the rules refuse are skipped."""
    rng = random.Random(seed)
    steps: list[tuple[datetime, int, Callable[[], Any]]] = []
    for i in range(n):
        unit, handler, head = rng.choice(UNITS)
        kind = HandlingKind.ACCUSATION if unit == "city_discipline" else HandlingKind.CLAIM
        day = date(2026, 6, 1) + timedelta(days=rng.randint(0, 190))
        reg = _moment(rng, day)
        channel = Channel.HOTLINE if rng.random() < 0.4 else Channel.VISIT
        forwarded = rng.random() < 0.15
        box: dict[str, Matter] = {}

        def step(name: str, actor: str, when: datetime, box: dict[str, Matter] = box, **kw: Any) -> Callable[[], Any]:
            return lambda: ms.ACTIONS[name](box["m"].pk, actor=world.users[actor], now=when, **kw)

        steps.append((reg, i, partial(_file, box, world, "city_office" if forwarded else unit, reg, channel, kind)))
        t = reg
        if forwarded:
            t += timedelta(hours=rng.randint(2, 60))
            steps.append((t, i, step("forward", "reviewer", t, to_unit_id=world.units[unit].pk)))
        t += timedelta(hours=rng.choice([3, 20, 26, 100, 300, 400]))
        if rng.random() < 0.1:
            steps.append((t, i, step("refuse", handler, t, reason="属于诉讼", legal_route="人民法院")))
            continue
        steps.append((t, i, step("accept", handler, t)))
        if head and rng.random() < 0.15:
            steps.append((t + timedelta(days=5), i, step("pause", head, t + timedelta(days=5), reason="鉴定")))
            steps.append((t + timedelta(days=12), i, step("resume", head, t + timedelta(days=12), reason="鉴定结束")))
        if head and rng.random() < 0.1:
            steps.append((t + timedelta(days=40), i, step("extend", head, t + timedelta(days=40), days=30, reason="需鉴定")))
        if rng.random() < 0.2:
            continue  # left overdue or still open
        t += timedelta(days=rng.randint(5, 80), hours=rng.randint(0, 12))
        steps.append((t, i, step("reply", handler, t, text="答复")))
        if rng.random() < 0.7:
            r = t + timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 10))
            level = rng.choice(list(Rating.Level.values))
            steps.append((r, i, partial(_rate, box, level, r)))
    day = date(2026, 6, 1)
    while day < TODAY:  # the closing job, as the worker runs it
        when = datetime(day.year, day.month, day.day, 3, tzinfo=SHANGHAI)
        steps.append((when, -1, partial(close_lapsed_matters, now=when)))
        day += timedelta(days=3)
    for when, _i, fn in sorted(steps, key=lambda s: (s[0], s[1])):
        if when < NOW:
            try:
                fn()
            except (DomainError, KeyError):
                continue


def all_live(fn: Callable[[], T]) -> T:
    """``fn`` with no tally trusted, as before any refresh."""
    with transaction.atomic():
        TalliedBucket.objects.all().delete()
        out = fn()
        transaction.set_rollback(True)
    return out


def _numbers(world: World, user: str, unit: str | None, period: Period, own: bool = False) -> list[tuple[str, int, int | None]]:
    u = world.units[unit] if unit else None
    return [(f.definition.key, f.numerator, f.denominator) for f in figures(world.users[user], u, period, TODAY, own=own)]


CASES = [("reviewer", None, False), ("leader", None, False), ("d1_reviewer", "d1", False), ("d1_head", "d1", False),
         ("reviewer", "d1_housing", True), ("reviewer", "city_office", True), ("handler", "d1_housing", False)]


def _every_case(world: World) -> list[Any]:
    out: list[Any] = []
    for period in (YEAR, EDGES, Period(date(2026, 8, 1), date(2026, 9, 30)), Period(date(2026, 9, 3), date(2026, 9, 17))):
        out += [_numbers(world, user, unit, period, own) for user, unit, own in CASES]
    for user, unit in (("d1_reviewer", "d1"), ("reviewer", "city"), ("leader", "city"), ("handler", "d1_housing")):
        d = unit_dashboard(world.users[user], world.units[unit], TODAY)
        out.append(([(k, [(f.definition.key, f.numerator, f.denominator) for f in fs]) for k, fs in d.sets],
                    [(c.title, [s.values for s in c.series]) for c in d.charts]))
    for user in ("reviewer", "d1_reviewer", "handler"):
        out.append(_overview(world, user))
    return out


def _overview(world: World, user: str) -> Any:
    o = city_overview(world.users[user], TODAY)
    return (o.total, o.by_channel, [(c.title, [(s.name, s.values) for s in c.series]) for c in o.charts], o.heat)


@pytest.fixture
def built(world: World) -> World:
    build(world)
    return world


def test_tallied_figures_equal_all_live_for_every_scope_and_period_shape(built: World) -> None:
    world = built
    live = _every_case(world)
    year = live[0]
    assert all(n > 0 for k, n, _d in year if k != "repeat_rate"), year  # every figure has something to count
    refreshed = refresh_tallies(NOW)
    # 25 finished months, and this month for its finished days.
    assert refreshed[-6:] == [date(2026, m, 1) for m in (7, 8, 9, 10, 11, 12)]
    assert len(refreshed) == 26 and Tally.objects.filter(span=Span.DAY, start=date(2026, 12, 9)).exists()
    assert not Tally.objects.filter(start=TODAY).exists()  # today is not finished
    assert _every_case(world) == live
    # The tallies are read: a month's row changed by hand changes the year's figure, a day's row
    # of this month the dashboard's, and a day's of a partly covered month a period's.
    for span, day, check in ((Span.MONTH, date(2026, 8, 1), lambda: _numbers(world, "reviewer", None, YEAR)),
                             (Span.DAY, date(2026, 12, 3), lambda: unit_dashboard(world.users["reviewer"], world.units["city"], TODAY)),
                             (Span.DAY, date(2026, 7, 20), lambda: _numbers(world, "reviewer", None, EDGES))):
        row = Tally.objects.filter(span=span, start=day).first()
        assert row is not None, (span, day)
        before = check()
        Tally.objects.filter(pk=row.pk).update(count=row.count + 1000)
        assert check() != before, (span, day)
        Tally.objects.filter(pk=row.pk).update(count=row.count)
    vol = VolumeTally.objects.filter(month=date(2026, 9, 1)).first()
    assert vol is not None and not VolumeTally.objects.filter(month=date(2026, 12, 1)).exists()
    before = _overview(world, "reviewer")
    VolumeTally.objects.filter(pk=vol.pk).update(count=vol.count + 1000)
    assert _overview(world, "reviewer")[0] == before[0] + 1000
    VolumeTally.objects.filter(pk=vol.pk).update(count=vol.count)
    # Idempotent: nothing is stale, nothing is tallied again, one event per run that did work.
    def rows() -> list[tuple[Any, ...]]:
        return sorted(Tally.objects.values_list("key", "span", "start", "handling_unit_id", "intake_unit_id", "handling_kind", "count"))
    before = rows()
    runs = Event.objects.filter(verb="refresh_indicator_tallies").count()
    assert refresh_tallies(NOW + timedelta(hours=1)) == []
    assert rows() == before
    assert runs == 1 == Event.objects.filter(verb="refresh_indicator_tallies").count()


def _changed(world: World, change: Callable[[], Any]) -> list[date]:
    """Applies ``change`` after a refresh; the numbers equal all-live at once and after the next refresh."""
    refresh_tallies(NOW)
    old = _every_case(world)
    change()
    now = _every_case(world)
    assert now != old, "the change must show in some figure"
    assert now == all_live(lambda: _every_case(world))
    again = refresh_tallies(NOW + timedelta(hours=2))
    assert _every_case(world) == now
    return again


def test_a_rating_for_a_matter_closed_months_ago_counts_at_once(built: World) -> None:
    world = built
    m = Matter.objects.filter(state="closed", rating__isnull=True, closed_at__lt=at(2026, 10, 1)).order_by("pk").first()
    assert m is not None
    assert _changed(world, lambda: rate_reply(m.pk, level="satisfied", comment="", now=NOW))


def test_forwarding_an_old_matter_counts_at_once(built: World) -> None:
    world = built
    m = _register(world, "city_office", at(2026, 8, 20, 23), Channel.HOTLINE, HandlingKind.CLAIM)
    _changed(world, lambda: ms.forward_matter(m.pk, actor=world.users["reviewer"], now=NOW,
                                              to_unit_id=world.units["d1_housing"].pk))


def test_resuming_an_overdue_clock_moves_its_due_out_of_a_tallied_month(built: World) -> None:
    """The month the due date leaves is not among the matter's facts any more: it must go stale too."""
    world = built
    m = _register(world, "d1_housing", at(2026, 7, 2), Channel.VISIT, HandlingKind.CLAIM)
    ms.accept_matter(m.pk, actor=world.users["handler"], now=at(2026, 7, 3))
    ms.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 8, 20), reason="鉴定")
    handling = Deadline.objects.get(matter=m, clock="handling")
    _changed(world, lambda: ms.resume_clock(m.pk, actor=world.users["housing_head"], now=NOW, reason="鉴定结束"))
    handling.refresh_from_db()
    assert handling.due >= TODAY
    assert handling.earliest_due < date(2026, 10, 1) and handling.latest_due == handling.due  # the range of its due dates


def test_a_changed_definition_counts_at_once(built: World) -> None:
    world = built
    _changed(world, lambda: IndicatorDefinition.objects.filter(key="satisfaction").update(params={"count_basically_satisfied": False}))


def test_a_holiday_notice_makes_every_month_stale(world: World) -> None:
    """It recomputes open windows' due dates with one event on no matter: no tally can be trusted."""
    assert len(refresh_tallies(NOW)) == 26
    assert refresh_tallies(NOW) == []
    ms.publish_holiday_notice(2027, actor=world.users["reviewer"], now=NOW)
    assert len(refresh_tallies(NOW)) == 26


def test_a_change_makes_only_the_days_of_the_matters_facts_stale(built: World) -> None:
    """Accepting today a matter registered on 20 August makes the tallies of 20 August (registered,
    its acceptance window started) and 4 September (that window's due date) stale, and their months;
    August is read from its other days meanwhile, and the next refresh counts only those two months."""
    world = built
    refresh_tallies(NOW)
    m = _register(world, "d1_housing", at(2026, 8, 20, 10), Channel.VISIT, HandlingKind.CLAIM)
    ms.accept_matter(m.pk, actor=world.users["handler"], now=NOW)
    august = Period(date(2026, 8, 1), date(2026, 8, 31))
    keys = [c.key for c in registered_spec(august, TODAY).conditions() if c is not None]
    (used,) = tallies.cover([(august, TODAY, keys)])
    assert used == [tallies.Bucket(Span.DAY, date(2026, 8, d)) for d in range(1, 32) if d != 20]
    assert _every_case(world) == all_live(lambda: _every_case(world))
    assert refresh_tallies(NOW + timedelta(hours=1)) == [date(2026, 8, 1), date(2026, 9, 1)]
    (used,) = tallies.cover([(august, TODAY, keys)])
    assert used == [tallies.Bucket(Span.MONTH, date(2026, 8, 1))]


def test_a_refresh_marks_untouched_tallies_good_up_to_its_watermark(built: World) -> None:
    """So a read checks the events since the last refresh, not every event since the oldest tally."""
    world = built
    refresh_tallies(NOW)
    _register(world, "d1_housing", NOW, Channel.VISIT, HandlingKind.CLAIM)  # today's: touches no finished day
    mark = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert refresh_tallies(NOW + timedelta(minutes=10)) == []
    assert set(TalliedBucket.objects.values_list("computed_seq", flat=True)) == {mark}


def test_scattered_stale_days_are_counted_live_in_a_few_ranges(built: World) -> None:
    """Events on a dozen matters registered on days across four months leave each figure's live
    part in at most ``LIVE_PARTS`` ranges, and the figures exact."""
    world = built
    refresh_tallies(NOW)
    touched = list(Matter.objects.filter(registered_at__gte=at(2026, 8, 1), registered_at__lt=at(2026, 12, 1))
                   .order_by("registered_at")[::8][:12])
    assert len(touched) == 12
    with transaction.atomic():
        for m in touched:
            record_event("add_note", actor=world.users["reviewer"], target=m, at=NOW, after={"note": "回访"})
    for s in (registered_spec(YEAR, TODAY), registered_spec(EDGES, TODAY)):
        keys = [c.key for c in s.conditions() if c is not None]
        (used,) = tallies.cover([(s.period, TODAY, keys)])
        assert used and len(without(s.period, [b.period for b in used])) <= tallies.LIVE_PARTS
    assert _every_case(world) == all_live(lambda: _every_case(world))


def test_the_period_columns_are_indexed() -> None:
    """The live part of every figure reads one period column's index (a migration that remade the
    deadline table on SQLite once dropped two of them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, column in (("matters_deadline", "due"), ("matters_deadline", "start"), ("matters_matter", "closed_at"),
                              ("matters_matter", "registered_at"), ("portal_rating", "rated_at")):
            found = connection.introspection.get_constraints(cursor, table).values()
            assert any(c["index"] and c["columns"] == [column] for c in found), (table, column)


def test_a_taxonomy_change_leaves_the_volume_tallies_untrusted(built: World) -> None:
    """They hold categories rolled up to the top level: once a category moves, its months are
    counted live until the next refresh rolls them up anew."""
    from indicators.volume import Rollup
    from matters.models import Category

    world = built
    old_top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    leaf = Category.objects.create(name="物业", level=2, parent=old_top, path="城乡建设/物业")
    refresh_tallies(NOW)
    before = Rollup.current()
    assert TalliedBucket.objects.filter(key=before.key).count() == 25 and before.categories[leaf.pk] == "城乡建设"
    top = Category.objects.create(name="新领域", level=1, path="新领域")
    Category.objects.filter(pk=leaf.pk).update(parent=top, path="新领域/物业")
    after = Rollup.current()
    assert after.key != before.key and after.categories[leaf.pk] == "新领域"
    assert not TalliedBucket.objects.filter(key=after.key).exists()
    assert _overview(world, "reviewer") == all_live(lambda: _overview(world, "reviewer"))
    assert len(refresh_tallies(NOW + timedelta(hours=1))) == 25
    assert TalliedBucket.objects.filter(key=after.key).count() == 25
