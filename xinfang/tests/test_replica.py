"""Reports read from a real streaming replica; writes never reach it.

Needs the primary + hot standby of scripts/pg_replica.sh (scripts/test.sh starts them and runs
`pytest -m replica`). The replica replays the primary's test database: Django's TEST MIRROR gives the
`replica` alias the test database's name on the standby's host and port.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import DatabaseError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from indicators.defaults import create_defaults
from indicators.models import IndicatorDefinition
from matters.tests.journeys import register
from org.models import Unit, UnitKind
from org.services import create_unit
from xinfang.db_router import reporting
from xinfang.testing import World, build_world

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not os.environ.get("XINFANG_PG_REPLICA_HOST"), reason="no streaming replica configured"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _scalar(alias: str, sql: str, params: list[str] | None = None) -> object:
    with connections[alias].cursor() as cur:
        cur.execute(sql, params or [])
        return cur.fetchone()[0]


def wait_for_replay(timeout: float = 15.0) -> None:
    """Until the standby has replayed everything the primary has written so far.

    The insert position, not the write position: with synchronous_commit=off (the test cluster) a
    commit record can sit in the WAL buffers for a moment after the commit returned."""
    target = str(_scalar("default", "SELECT pg_current_wal_insert_lsn()::text"))
    deadline = time.monotonic() + timeout
    while not _scalar("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not replay up to {target} within {timeout} s")
        time.sleep(0.02)


def test_the_replica_is_a_read_only_hot_standby_of_the_primary() -> None:
    assert _scalar("replica", "SELECT pg_is_in_recovery()") is True
    assert _scalar("default", "SELECT pg_is_in_recovery()") is False
    with pytest.raises(DatabaseError, match="read-only"):
        create_unit_on("replica")


def create_unit_on(alias: str) -> Unit:
    return Unit.objects.using(alias).create(name="直写单位", kind=UnitKind.FUNCTIONAL, level_name="市")


def test_a_write_on_the_primary_is_read_back_from_the_replica_inside_a_report() -> None:
    unit = create_unit("复制测试局", kind=UnitKind.FUNCTIONAL, level_name="市")
    wait_for_replay()
    with reporting(), CaptureQueriesContext(connections["replica"]) as on_replica:
        found = Unit.objects.filter(pk=unit.pk)
        assert found.db == "replica"
        assert [u.name for u in found] == ["复制测试局"]
    assert len(on_replica.captured_queries) == 1
    # Outside a report the same read is the primary's.
    assert Unit.objects.filter(pk=unit.pk).db == "default"


def test_writes_inside_a_report_land_on_the_primary() -> None:
    with reporting(), CaptureQueriesContext(connections["replica"]) as on_replica:
        # A service: its own transaction, its audit event, its reads of the chain head.
        unit = create_unit("报表中新建", kind=UnitKind.FUNCTIONAL, level_name="市")
        Unit.objects.filter(pk=unit.pk).update(name="报表中改名")
    assert on_replica.captured_queries == []
    assert Unit.objects.using("default").get(pk=unit.pk).name == "报表中改名"


@pytest.fixture
def world_on_both() -> World:
    # A transactional test's flush also empties the definitions that a data migration wrote.
    if not IndicatorDefinition.objects.exists():
        create_defaults(IndicatorDefinition)
    world = build_world()
    wait_for_replay()
    return world


def test_indicator_pages_read_the_replica_and_their_exports_write_the_primary(world_on_both: World) -> None:
    world = world_on_both
    c = Client()
    c.force_login(world.users["reviewer"])
    q = {"from": "2026-03-01", "to": "2026-03-31"}
    drill_down = reverse("indicator_drill_down", args=["registered", "numerator"])

    register(world, title="复制前已登记")
    wait_for_replay()
    _scalar("replica", "SELECT pg_wal_replay_pause()::text")
    try:
        held = register(world, title="暂停复制时登记")
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            page = c.get(drill_down, q).content.decode()
        # The report is the replica's: the matter replayed before the pause is listed, the one
        # registered since is not yet (reports lag by the replay delay) ...
        assert on_replica.captured_queries, "the indicator page did not read the replica"
        assert "复制前已登记" in page and "暂停复制时登记" not in page
        # ... while the matter's own page, not a report, reads the primary and shows it at once.
        assert "暂停复制时登记" in c.get(reverse("matter_detail", args=[held.pk])).content.decode()

        # An export records an event: the chain head is read on the primary inside its transaction,
        # so it appends after the held matter's events although the replica has not seen them.
        events_before = Event.objects.using("default").count()
        export = c.get(reverse("indicators_export", args=["csv"]), q)
        assert export.status_code == 200
        assert Event.objects.using("default").count() == events_before + 1
    finally:
        _scalar("replica", "SELECT pg_wal_replay_resume()::text")

    wait_for_replay()
    assert "暂停复制时登记" in c.get(drill_down, q).content.decode()
