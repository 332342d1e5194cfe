"""The access matrix: every role of the test world × every staff page × a matter of the user's own
unit or of another unit. Read the table whole: a row per endpoint (URL name), a column per user.

Cells: ``ok`` 200, ``login`` a redirect to the login page (302), ``403``/``404`` refused. In rows
that take a matter, ``A/B`` gives the answer for matter A (handled by d1区住建局) and matter B
(handled by d2区住建局); a single value holds for both. So d1 users see A and not B, d2 users the
reverse, city-wide roles both, discipline inspection and the street neither (no accusation, not
their area), and a user without a role nothing.

Columns: anon (not logged in), reg registrar, rev reviewer, sup supervisor (city petition office),
disc discipline (city discipline inspection), d1reg/d1rev d1 petition office, d1head head of d1区,
hand/hhead handler and head of d1区住建局, d2hand/d2head the same at d2区住建局, street handler at
d1's street, leader (city), nobody (no role, d1区住建局).

Every resolved staff URL must appear here, in POST_ONLY or in NOT_COVERED, so a new page fails
this test until someone decides who may open it.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import Event
from matters.models import Matter
from matters.tests.journeys import register
from xinfang.testing import World

pytestmark = pytest.mark.django_db

COLUMNS = {"anon": "", "reg": "registrar", "rev": "reviewer", "sup": "supervisor", "disc": "discipline",
           "d1reg": "d1_registrar", "d1rev": "d1_reviewer", "d1head": "d1_head", "hand": "handler",
           "hhead": "housing_head", "d2hand": "d2_handler", "d2head": "d2_head", "street": "street_handler",
           "leader": "leader", "nobody": "nobody"}

MATRIX = """
                                anon     reg     rev     sup    disc   d1reg   d1rev  d1head    hand   hhead  d2hand  d2head  street  leader  nobody
inbox                            login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
supervision_board                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
supervision_my_cases             login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
supervision_backlog              login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
supervision_reception            login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
intel_suggestions                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
intel_duplicates                 login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
intel_hotspots                   login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators                       login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_export                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_dispatch              login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_dispatch_export       login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_bulletin              login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_bulletin_export       login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_campaign              login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_campaign_export       login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_assessment            login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_assessment_export     login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_city_dashboard        login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
indicators_unit_dashboard        login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_ledger                 login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_entry_new              login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_reports                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_missing                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_levels                 login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
screening_rollup                 login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
suggestions_calls                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
suggestions_queue                login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
hearings_list                    login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
hearings_pools                   login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
hearings_duty                    login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
hearings_schedule                login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
hearings_consultation            login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
exchange_import                  login      ok      ok     404     404      ok      ok     404     404     404     404     404     404     404     404
exchange_export_matters          login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
joint_my_tasks                   login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
joint_assign                     login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
joint_consolidate                login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
joint_meetings                   login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
queue                            login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
matter_create                    login      ok     403     403     403      ok     403     403     403     403     403     403     403     403     403
routing_suggestion               login      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok
matter_detail                    login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
matter_action                    login      ok      ok      ok     404  ok/404  ok/404  ok/404  ok/404  ok/404  404/ok  404/ok     404      ok     404
"""

# GET answers 405 for everyone; those that take a matter are POSTed by test_post_outside_scope.
POST_ONLY = {
    "inbox_read_all", "supervision_reception_publish", "screening_report_file", "suggestions_call_create",
    "hearings_member_add", "hearings_duty_add",
    # take a matter:
    "supervision_issue", "supervision_assign_leader", "supervision_list_backlog", "supervision_reception_book",
    "reply_precheck", "joint_put_on_agenda", "matter_reveal",
}
MATTER_POSTS = ["supervision_issue", "supervision_assign_leader", "supervision_list_backlog",
                "supervision_reception_book", "reply_precheck", "joint_put_on_agenda", "matter_reveal",
                "matter_action"]

# Not in the matrix: they take the id of another kind of object (their apps' own tests cover them)
# or query parameters the table cannot guess.
NOT_COVERED = {
    "supervision_order", "supervision_order_action", "supervision_backlog_entry", "supervision_backlog_dossier",
    "supervision_backlog_action", "supervision_reception_outcome", "supervision_case", "supervision_case_progress",
    "supervision_case_sign_off", "screening_entry", "screening_dossier", "screening_entry_action",
    "screening_evidence", "suggestions_call_close", "suggestions_detail", "suggestions_act", "hearings_member",
    "hearings_member_action", "hearings_document", "hearings_detail", "hearings_action", "exchange_run",
    "exchange_run_progress", "exchange_run_import", "exchange_mapping", "joint_task", "joint_task_action",
    "joint_meeting", "joint_meeting_action", "joint_item_action", "document_pdf",
    "indicators_dispatch_matters", "indicators_campaign_entries", "indicators_assessment_matters",
    "indicator_drill_down",
}
PUBLIC_PREFIXES = ("admin/", "api/", "open311/", "portal/", "i18n/", "accounts/", "healthz")
CODES = {"ok": 200, "login": 302, "403": 403, "404": 404}


def _table() -> dict[str, dict[str, tuple[str, str]]]:
    lines = [line for line in MATRIX.strip("\n").splitlines() if line.strip()]
    header = lines[0].split()
    assert header == list(COLUMNS), header
    table = {}
    for line in lines[1:]:
        name, *cells = line.split()
        assert len(cells) == len(header), name
        table[name] = {col: tuple(cell.split("/")) if "/" in cell else (cell, cell)
                       for col, cell in zip(header, cells, strict=True)}
    return table  # type: ignore[return-value]


TABLE = _table()


def _routes(patterns: list, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            found |= _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name and not (prefix + str(p.pattern)).startswith(PUBLIC_PREFIXES):
            found[p.name] = prefix + str(p.pattern)
    return found


ROUTES = _routes(get_resolver().url_patterns)


def _url(route: str, matter: Matter | None) -> str:
    url = route.replace("<slug:action>", "accept").replace("<slug:fmt>", "csv")
    if matter is not None:
        url = re.sub(r"<int:(pk|matter_pk)>", str(matter.pk), url)
    assert "<" not in url, url
    return "/" + url


def _takes_matter(route: str) -> bool:
    return "<int:" in route


def test_every_staff_endpoint_is_decided() -> None:
    decided = set(TABLE) | POST_ONLY | NOT_COVERED
    assert set(ROUTES) - decided == set(), "new staff URLs: add them to the matrix"
    assert decided - set(ROUTES) == set(), "gone from the URLconf: remove them here"
    assert not set(TABLE) & (POST_ONLY | NOT_COVERED)


def _client(world: World, col: str) -> Client:
    client = Client()
    if COLUMNS[col]:
        client.force_login(world.users[COLUMNS[col]])
    return client


@pytest.mark.parametrize("col", list(COLUMNS))
def test_matrix(world: World, col: str) -> None:
    a = register(world, unit="d1_housing")
    b = register(world, unit="d2_housing", phone="13900001111", id_number="110101198001010011")
    client = _client(world, col)
    wrong = []
    for name, row in TABLE.items():
        route = ROUTES[name]
        for matter, expected in zip((a, b), row[col], strict=True):
            response = client.get(_url(route, matter if _takes_matter(route) else None))
            if response.status_code != CODES[expected]:
                wrong.append(f"{name} ({'A' if matter is a else 'B'}): {response.status_code}, table says {expected}")
            if expected == "login":
                assert response.headers["Location"].startswith("/accounts/login/"), name
            if not _takes_matter(route):
                break
    assert wrong == []


# Enough for the forms of these endpoints to be valid, so the scope check is what refuses.
VALID_LOOKING = {"reason": "x", "text": "x", "kind": "reminder", "due": "2030-01-01", "requirement": "x",
                 "leader": "1", "note": "x"}


@pytest.mark.parametrize("col", [c for c in COLUMNS if c != "anon"])
def test_post_outside_scope_is_not_found_and_changes_nothing(world: World, col: str) -> None:
    a = register(world, unit="d1_housing")
    b = register(world, unit="d2_housing", phone="13900001111", id_number="110101198001010011")
    hidden = [m for m, cell in zip((a, b), TABLE["matter_detail"][col], strict=True) if cell == "404"]
    client = _client(world, col)
    events = Event.objects.count()
    for matter in hidden:
        for name in MATTER_POSTS:
            response = client.post(_url(ROUTES[name], matter), VALID_LOOKING)
            # Not found; a few views check their form first and send an invalid one back to the
            # matter page, which then is not found: either way nothing may change (below).
            assert response.status_code in (302, 404), (name, matter.handling_unit.name, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"] == f"/matters/{matter.pk}/", name
        assert Matter.objects.get(pk=matter.pk).version == matter.version
    assert Event.objects.count() == events


@pytest.mark.parametrize("col", [c for c in COLUMNS if c != "anon"])
def test_queue_and_export_list_exactly_the_visible_matters(world: World, col: str) -> None:
    a = register(world, unit="d1_housing")
    b = register(world, unit="d2_housing", phone="13900001111", id_number="110101198001010011")
    client = _client(world, col)
    page = client.get("/").content.decode()
    export = client.get("/exchange/export/matters.csv")
    csv = export.getvalue().decode()  # streamed or not
    for matter, cell in zip((a, b), TABLE["matter_detail"][col], strict=True):
        shown = matter.query_code in page or matter.title in page and f"/matters/{matter.pk}/" in page
        assert shown is (cell == "ok"), (col, "queue", matter.handling_unit.name)
        assert (matter.query_code in csv) is (cell == "ok"), (col, "export", matter.handling_unit.name)
