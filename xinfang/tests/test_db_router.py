"""The router's decisions, without a replica server (test_replica.py runs them against a real one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, transaction

from matters.models import Matter
from xinfang import db_router
from xinfang.db_router import ReportingRouter, in_reporting, is_reporting_view, reporting

router = ReportingRouter()


@pytest.fixture
def replica_alias(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Only the alias's presence is consulted by the decisions under test; nothing connects to it.
    monkeypatch.setitem(connections.settings, "replica", dict(connections.settings["default"]))
    yield


def test_reads_stay_on_the_primary_outside_a_report(replica_alias: None) -> None:
    assert router.db_for_read(Matter) == "default"


def test_report_reads_go_to_the_replica(replica_alias: None) -> None:
    with reporting():
        assert router.db_for_read(Matter) == "replica"
    assert router.db_for_read(Matter) == "default"


def test_without_a_replica_reports_read_the_primary() -> None:
    assert "replica" not in connections.settings
    with reporting():
        assert router.db_for_read(Matter) == "default"


def test_writes_never_go_to_the_replica(replica_alias: None) -> None:
    with reporting():
        assert router.db_for_write(Matter) == "default"
    assert router.allow_migrate("replica", "matters") is False
    assert router.allow_migrate("default", "matters") is True


def test_sessions_and_identity_never_lag(replica_alias: None) -> None:
    with reporting():
        assert router.db_for_read(Session) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_use_the_primary(replica_alias: None) -> None:
    # A service that records an event reads the chain head inside its transaction: never from a replica.
    with reporting():
        assert router.db_for_read(Matter) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Matter) == "default"
        assert router.db_for_read(Matter) == "replica"


def test_reporting_blocks_nest_and_unwind() -> None:
    assert not in_reporting()
    with reporting():
        with reporting():
            assert in_reporting()
        assert in_reporting()
    assert not in_reporting()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/indicators/", True),
        ("/indicators/dispatch/", True),
        ("/indicators/dispatch/export.csv", True),
        ("/", False),
        ("/portal/", False),
        ("/no/such/page", False),
    ],
)
def test_indicator_pages_are_the_reporting_views(path: str, expected: bool) -> None:
    assert is_reporting_view(path) is expected


def test_a_streamed_report_body_is_produced_inside_reporting() -> None:
    def body() -> Iterator[bool]:
        for _ in range(3):
            yield in_reporting()

    assert list(db_router._reporting_iter(body())) == [True, True, True]
    assert not in_reporting()
