"""Property-based test of the staff API from its own OpenAPI schema (schemathesis): generated
requests to every operation, authenticated with a real token, never get a 5xx.

Bounded: MAX_EXAMPLES per operation, no shrinking deadline, so the module runs in well under a
minute on a shared two-core machine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.models import ApiToken, hash_token, new_token
from matters.tests.journeys import register
from xinfang.testing import World, at
from xinfang.wsgi import application

MAX_EXAMPLES = 20

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def unthrottled_reads() -> Iterator[None]:
    # The property tests call the read endpoints more often than a client may in a minute; the
    # limit has its own test (exchange/tests/test_open311.py).
    with override_settings(OPEN311_READ_RATE="100000/m"):
        yield


@pytest.fixture
def token(world: World) -> Iterator[str]:
    # Something to find: matters in the registrar's city, so ids and filters hit real rows too.
    for i in range(3):
        register(world, title=f"小区停水{i}", phone=f"1381234000{i}")
    clear = new_token()
    ApiToken.objects.create(user=world.users["registrar"], key_hash=hash_token(clear), created=at(2026, 3, 1))
    # Called through WSGI, not Django's test client: keep the request signals from closing the
    # test's database connection after each response, as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield clear
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_error(case: schemathesis.Case, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, response.text[:500]


open311_schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", application)


@pytest.mark.django_db
@open311_schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_open311_no_server_error(case: schemathesis.Case, token: str) -> None:
    """The public Open311 GeoReport v2 endpoint, unauthenticated as its clients are."""
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, response.text[:500]


@pytest.mark.django_db
def test_open311_service_code_with_a_unicode_digit() -> None:
    # Found by this file's property test: str.isdigit() accepts "³", which int() refuses.
    from django.test import Client

    assert Client(raise_request_exception=False).get("/open311/v2/services/%C2%B3.json").status_code < 500
