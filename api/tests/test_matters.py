from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from audit.models import Event
from matters.models import Attachment, Matter, Petitioner
from org.models import Role
from xinfang.testing import World

from .conftest import ApiClient, Clock, matter_body

pytestmark = pytest.mark.django_db

Register = Callable[..., dict[str, Any]]
AsUser = Callable[[str], ApiClient]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_create_returns_201_with_the_15_day_acceptance_deadline(
    world: World, as_user: AsUser, clock: Clock
) -> None:
    r = as_user("d1_registrar").post("/matters", matter_body(handling_unit_id=world.units["d1_housing"].pk))

    assert r.status_code == 201, r.content
    data = r.json()
    assert data["id"] and len(data["query_code"]) == 10
    assert data["state"] == "registered"
    assert data["handling_unit"] == {"id": world.units["d1_housing"].pk, "name": "d1区住建局"}
    [deadline] = data["deadlines"]
    assert deadline["clock"] == "acceptance"
    assert deadline["days"] == 15 and deadline["day_kind"] == "calendar"
    assert deadline["start"] == "2026-03-02"
    assert deadline["due"] == "2026-03-17"  # a Tuesday: no roll-over
    assert deadline["rolled_from"] is None and deadline["provisional"] is False
    assert deadline["stopped_on"] is None
    assert deadline["basis"] and deadline["label"]  # Art. 22–23, in the request's language
    assert data["statutory_due"] == "2026-03-17"
    assert data["petitioner"]["phone"] == "138****5678"
    assert data["petitioner"]["name"] == "张**"
    assert "13812345678" not in r.content.decode()
    assert Matter.objects.get(pk=data["id"]).registered_at == clock.now


def test_create_stores_base64_attachments(world: World, as_user: AsUser, clock: Clock) -> None:
    body = matter_body(
        attachments=[
            {
                "filename": "photo.png",
                "content_type": "image/png",
                "data_base64": base64.b64encode(PNG).decode(),
            }
        ]
    )
    r = as_user("d1_registrar").post("/matters", body)

    assert r.status_code == 201, r.content
    [att] = r.json()["attachments"]
    assert att["filename"] == "photo.png" and att["size"] == len(PNG)
    assert Attachment.objects.get(matter_id=r.json()["id"]).size == len(PNG)


def _nothing_written() -> tuple[int, int, int]:
    return Matter.objects.count(), Petitioner.objects.count(), Event.objects.filter(verb="register").count()


def test_create_with_domain_errors_is_422_listing_the_fields_and_writes_nothing(
    world: World, as_user: AsUser, clock: Clock
) -> None:
    before = _nothing_written()
    body = matter_body(title="   ", petitioner={"name": "", "phone": "12"})
    body["attachments"] = [
        {"filename": "x.exe", "content_type": "application/x-msdownload", "data_base64": "TVo="}
    ]

    r = as_user("d1_registrar").post("/matters", body)

    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert {"title", "petitioner.name", "petitioner.phone", "attachments[0]"} <= set(fields)
    assert r.json()["detail"]
    assert _nothing_written() == before


def test_create_with_schema_errors_is_422_with_field_paths_and_writes_nothing(
    world: World, as_user: AsUser, clock: Clock
) -> None:
    before = _nothing_written()
    body = matter_body(channel="pigeon", handling_kind="gossip", surprise=1)
    del body["content"]
    body["petitioner"] = {"phone": "13812345678"}
    body["attachments"] = [{"filename": "a.pdf", "content_type": "application/pdf", "data_base64": "%%%"}]

    r = as_user("d1_registrar").post("/matters", body)

    assert r.status_code == 422, r.content
    fields = r.json()["fields"]
    assert {
        "channel",
        "handling_kind",
        "content",
        "surprise",
        "petitioner.name",
        "attachments[0].data_base64",
    } <= set(fields)
    assert _nothing_written() == before


def test_create_with_unknown_area_or_unit_out_of_scope_is_422(
    world: World, as_user: AsUser, clock: Clock
) -> None:
    client = as_user("d1_registrar")
    r = client.post("/matters", matter_body(area_id=999_999))
    assert r.status_code == 422 and "area_id" in r.json()["fields"]
    r = client.post("/matters", matter_body(handling_unit_id=world.units["d2_housing"].pk))
    assert r.status_code == 422 and "handling_unit_id" in r.json()["fields"]
    assert Matter.objects.count() == 0


def test_create_by_a_non_registrar_is_403(world: World, as_user: AsUser, clock: Clock) -> None:
    r = as_user("handler").post("/matters", matter_body())
    assert r.status_code == 403
    assert r.json()["detail"]
    assert Matter.objects.count() == 0


def test_list_is_scoped_masked_and_counted(world: World, as_user: AsUser, register: Register) -> None:
    m = register()  # handled by d1 housing

    d2 = as_user("d2_handler").get("/matters")
    assert d2.status_code == 200
    assert d2.json() == {"count": 0, "limit": 20, "offset": 0, "items": []}

    r = as_user("handler").get("/matters")
    assert r.status_code == 200
    page = r.json()
    assert page["count"] == 1
    [item] = page["items"]
    assert item["id"] == m["id"]
    assert item["petitioner_phone"] == "138****5678"
    assert item["petitioner_name"] == "张**"
    assert item["due_state"] == "on_time"
    text = r.content.decode()
    assert "13812345678" not in text and "张三丰" not in text and "110101199003071234" not in text


def test_list_sorts_by_statutory_due_and_paginates(
    world: World, as_user: AsUser, register: Register, clock: Clock
) -> None:
    from xinfang.testing import at

    clock.set(at(2026, 3, 5))
    late = register(title="later")
    clock.set(at(2026, 3, 2))
    early = register(title="earlier")
    client = as_user("handler")

    r = client.get("/matters", limit=1)
    assert r.json()["count"] == 2
    assert [i["id"] for i in r.json()["items"]] == [early["id"]]
    r = client.get("/matters", limit=1, offset=1)
    assert [i["id"] for i in r.json()["items"]] == [late["id"]]


def test_list_filters(world: World, as_user: AsUser, register: Register, clock: Clock) -> None:
    a = register(channel="letter", title="噪音扰民")
    b = register(channel="web", title="道路破损")
    client = as_user("d1_registrar")

    def ids(**params: Any) -> list[int]:
        r = client.get("/matters", **params)
        assert r.status_code == 200, r.content
        return sorted(i["id"] for i in r.json()["items"])

    assert ids(channel="letter") == [a["id"]]
    assert ids(q="道路") == [b["id"]]
    assert ids(q=a["query_code"]) == [a["id"]]
    assert ids(state="registered") == sorted([a["id"], b["id"]])
    assert ids(state="accepted") == []
    assert ids(due_state="overdue") == []
    assert ids(unit_id=world.units["d1_housing"].pk) == sorted([a["id"], b["id"]])
    assert ids(unit_id=world.units["d1_street"].pk) == []
    assert ids(date_from="2026-03-02", date_to="2026-03-02") == sorted([a["id"], b["id"]])
    assert ids(date_from="2026-03-03") == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"state": "nonsense"},
        {"due_state": "late"},
        {"date_from": "March"},
    ],
)
def test_list_bad_query_is_422(world: World, as_user: AsUser, params: dict[str, Any]) -> None:
    r = as_user("handler").get("/matters", **params)
    assert r.status_code == 422
    assert set(params) <= set(r.json()["fields"])


def test_detail_includes_deadlines_masked_petitioner_and_available_actions(
    world: World, as_user: AsUser, register: Register
) -> None:
    m = register()

    r = as_user("handler").get(f"/matters/{m['id']}")

    assert r.status_code == 200
    data = r.json()
    assert data["deadlines"][0]["clock"] == "acceptance"
    assert data["petitioner"] == {
        "kind": "person",
        "name": "张**",
        "phone": "138****5678",
        "id_number": "1101**********1234",
        "group_size": None,
    }
    assert set(data["available_actions"]) == {"accept", "refuse"}
    assert set(as_user("d1_registrar").get(f"/matters/{m['id']}").json()["available_actions"]) == {
        "forward",
        "merge",
    }


def test_detail_out_of_scope_or_missing_is_404(world: World, as_user: AsUser, register: Register) -> None:
    m = register()
    r = as_user("d2_handler").get(f"/matters/{m['id']}")
    assert r.status_code == 404
    missing = as_user("d2_handler").get("/matters/999999")
    assert missing.status_code == 404
    assert r.json() == missing.json()  # out of scope looks exactly like missing
    assert as_user("d2_handler").get(f"/matters/{m['id']}/events").status_code == 404


def test_accusation_is_invisible_to_a_handler_but_visible_to_discipline(
    world: World, as_user: AsUser, register: Register
) -> None:
    # A handler whose scope covers the whole city but who works in a functional department.
    world.user("city_handler", "city_housing", (Role.HANDLER, "city"))
    accusation = register(
        by="registrar", unit="city_discipline", handling_kind="accusation", title="举报某局长受贿"
    )
    claim = register(by="registrar", unit="city_discipline", title="普通诉求")

    wide = as_user("city_handler")
    assert wide.get(f"/matters/{claim['id']}").status_code == 200
    assert wide.get(f"/matters/{accusation['id']}").status_code == 404
    assert wide.get(f"/matters/{accusation['id']}/events").status_code == 404
    assert [i["id"] for i in wide.get("/matters").json()["items"]] == [claim["id"]]
    assert as_user("handler").get(f"/matters/{accusation['id']}").status_code == 404

    discipline = as_user("discipline")
    r = discipline.get(f"/matters/{accusation['id']}")
    assert r.status_code == 200
    assert r.json()["handling_kind"] == "accusation"
    assert accusation["id"] in [i["id"] for i in discipline.get("/matters").json()["items"]]


def test_events_returns_register_then_accept(world: World, as_user: AsUser, register: Register) -> None:
    m = register()
    assert as_user("handler").post(f"/matters/{m['id']}/actions/accept").status_code == 200

    r = as_user("handler").get(f"/matters/{m['id']}/events")

    assert r.status_code == 200
    events = r.json()
    # The acceptance notice is issued with the acceptance, as an event of its own.
    assert [e["verb"] for e in events] == ["register", "accept", "issue_document"]
    assert events[0]["seq"] < events[1]["seq"]
    assert events[0]["actor"] == "d1_registrar" and events[1]["actor"] == "handler"
    assert events[1]["before"]["state"] == "registered" and events[1]["after"]["state"] == "accepted"
    assert events[1]["unit"]["id"] == world.units["d1_housing"].pk


def test_due_state_in_list_follows_the_clock(
    world: World, as_user: AsUser, register: Register, clock: Clock
) -> None:
    from xinfang.testing import at

    register()  # due 2026-03-17
    client = as_user("handler")
    clock.set(at(2026, 3, 15))
    assert client.get("/matters").json()["items"][0]["due_state"] == "due_soon"
    clock.set(at(2026, 3, 18))
    item = client.get("/matters").json()["items"][0]
    assert item["due_state"] == "overdue"
    assert date.fromisoformat(item["statutory_due"]) == date(2026, 3, 17)
    assert [i["due_state"] for i in client.get("/matters", due_state="overdue").json()["items"]] == [
        "overdue"
    ]


def test_a_body_over_djangos_upload_limit_is_413(
    world: World, as_user: AsUser, clock: Clock, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = matter_body(
        attachments=[
            {
                "filename": "big.png",
                "content_type": "image/png",
                "data_base64": base64.b64encode(PNG * 100).decode(),
            }
        ]
    )
    r = as_user("d1_registrar").post("/matters", body)
    assert r.status_code == 413
    assert Matter.objects.count() == 0


def test_list_puts_matters_without_a_running_clock_last(
    world: World, as_user: AsUser, register: Register
) -> None:
    keep, dup = register(), register()
    assert (
        as_user("d1_registrar")
        .post(f"/matters/{dup['id']}/actions/merge", {"into_id": keep["id"]})
        .status_code
        == 200
    )
    items = as_user("handler").get("/matters").json()["items"]
    assert [i["id"] for i in items] == [keep["id"], dup["id"]]
