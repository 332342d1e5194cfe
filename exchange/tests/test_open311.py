"""Open311 GeoReport v2, against the specification's examples (http://wiki.open311.org/GeoReport_v2/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from exchange.models import Open311Request
from exchange.services import create_open311_client
from matters import services as ms
from matters.lifecycle import State
from matters.models import Category, Channel, HandlingKind, Matter
from matters.tests.journeys import register
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def services(world: World) -> dict[str, Category]:
    top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    mid = Category.objects.create(name="市政管理", level=2, parent=top, path="城乡建设/市政管理")
    leaf = Category.objects.create(name="道路塌陷", level=3, parent=mid, path="城乡建设/市政管理/道路塌陷")
    imported = Category.objects.create(name="导入分类", level=1, path="导入分类")
    Category.objects.create(name="x", level=2, parent=imported, path="导入分类/x")
    return {"leaf": leaf, "mid": mid}


@pytest.fixture
def api_key(world: World) -> str:
    return create_open311_client("街道随手拍", now=at(2026, 3, 1))[1]


def _spec_example(key: str, code: str, **changes: str) -> dict[str, str]:
    # The POST example of the specification, with our service code.
    data = {"api_key": key, "jurisdiction_id": "city.gov", "service_code": code, "lat": "37.76524078",
            "long": "-122.4212043", "address_string": "1234 5th street", "email": "smit333@sfgov.edu",
            "device_id": "tt222111", "account_id": "123456", "first_name": "john", "last_name": "smith",
            "phone": "111111111", "description": "A large sinkhole is destroying the street",
            "media_url": "http://media.example.com/asdf.jpg"}
    return {**data, **changes}


def test_service_list_and_definition(services: dict[str, Category]) -> None:
    c = Client()
    listed = c.get(f"{BASE}/services.json").json()
    assert listed == [{"service_code": str(services["leaf"].pk), "service_name": "道路塌陷",
                       "description": "城乡建设/市政管理/道路塌陷", "metadata": False, "type": "realtime",
                       "keywords": "城乡建设,市政管理,道路塌陷", "group": "城乡建设"}]
    assert c.get(f"{BASE}/services/{services['leaf'].pk}.json").json() == {
        "service_code": str(services["leaf"].pk), "attributes": []}
    missing = c.get(f"{BASE}/services/{services['mid'].pk}.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_a_request_made_from_the_spec_example_is_an_ordinary_web_matter(services: dict[str, Category], api_key: str) -> None:
    r = Client().post(f"{BASE}/requests.json", _spec_example(api_key, str(services["leaf"].pk)))
    assert r.status_code == 201
    body = r.json()
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    m = Matter.objects.get(query_code=body[0]["service_request_id"])
    assert (m.channel, m.state, m.category, m.content) == (Channel.WEB, State.REGISTERED, services["leaf"],
                                                           "A large sinkhole is destroying the street")
    assert (m.latitude, m.longitude, m.address) == (37.76524078, -122.4212043, "1234 5th street")
    assert m.petitioner.name == "smithjohn" and m.deadlines.get().clock == "acceptance"
    assert Open311Request.objects.get().account_id == "123456"


@pytest.mark.parametrize(("changes", "code"), [
    ({"api_key": "wrong"}, 403),
    ({"service_code": "999999"}, 404),
    ({"lat": "", "long": "", "address_string": ""}, 400),
    ({"lat": "100", "long": "0"}, 400),
    ({"description": ""}, 400),
    ({"first_name": "", "last_name": ""}, 400),
    ({"lat": "north"}, 400),
])
def test_bad_requests_get_the_specs_error_format(services: dict[str, Category], api_key: str,
                                                 changes: dict[str, str], code: int) -> None:
    r = Client().post(f"{BASE}/requests.json", _spec_example(api_key, str(services["leaf"].pk), **changes))
    assert r.status_code == code
    [error] = r.json()
    assert error["code"] == code and error["description"]
    assert Matter.objects.count() == 0


def test_requests_by_id_and_by_query(world: World, services: dict[str, Category], api_key: str) -> None:
    c = Client()
    code = c.post(f"{BASE}/requests.json", _spec_example(api_key, str(services["leaf"].pk),
                                                         description="电话13812345678，路面塌陷")).json()[0]["service_request_id"]
    [one] = c.get(f"{BASE}/requests/{code}.json").json()
    assert one["status"] == "open" and one["service_name"] == "道路塌陷" and one["agency_responsible"]
    assert one["description"] == "电话138****5678，路面塌陷"  # free text is masked on the public API
    assert one["requested_datetime"].endswith("+08:00") and one["expected_datetime"]
    assert [r["service_request_id"] for r in c.get(f"{BASE}/requests.json?status=open").json()] == [code]
    assert c.get(f"{BASE}/requests.json?status=closed").json() == []
    assert c.get(f"{BASE}/requests.json?service_request_id={code},NOPE").json()[0]["service_request_id"] == code
    old = c.get(f"{BASE}/requests.json?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open")
    assert old.status_code == 200 and old.json() == []
    assert c.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert c.get(f"{BASE}/requests/NOPE.json").status_code == 404


def test_only_open311_requests_are_shown_and_never_accusations(world: World, services: dict[str, Category], api_key: str) -> None:
    other = register(world, title="走访登记的事项")
    assert Client().get(f"{BASE}/requests/{other.query_code}.json").status_code == 404
    code = Client().post(f"{BASE}/requests.json", _spec_example(api_key, str(services["leaf"].pk))).json()[0]["service_request_id"]
    m = Matter.objects.get(query_code=code)
    ms.reclassify_matter(m.pk, actor=world.users["reviewer"], now=at(2026, 3, 3), handling_kind=HandlingKind.ACCUSATION,
                         reason="实为检举")
    assert Client().get(f"{BASE}/requests/{code}.json").status_code == 404


@pytest.fixture
def fresh_counters() -> Iterator[None]:
    cache.clear()  # the limits count in the default cache
    yield
    cache.clear()


def test_reads_are_limited_per_connection(services: dict[str, Category], settings, fresh_counters: None) -> None:  # noqa: ANN001
    settings.OPEN311_READ_RATE = "3/m"
    reader = Client(REMOTE_ADDR="203.0.113.9")
    assert [reader.get(f"{BASE}/services.json").status_code for _i in range(4)] == [200, 200, 200, 429]
    [error] = reader.get(f"{BASE}/requests.json").json()
    assert error["code"] == 429 and "try again" in error["description"]
    assert Client(REMOTE_ADDR="203.0.113.10").get(f"{BASE}/services.json").status_code == 200


def test_requests_are_limited_per_client_key_not_per_address(world: World, services: dict[str, Category], api_key: str,
                                                             settings, fresh_counters: None) -> None:  # noqa: ANN001
    settings.OPEN311_CREATE_RATE = "2/m"
    other_key = create_open311_client("12345 小程序", now=at(2026, 3, 1))[1]
    same_address = Client(REMOTE_ADDR="203.0.113.9")
    code = str(services["leaf"].pk)
    made = [same_address.post(f"{BASE}/requests.json", _spec_example(api_key, code)).status_code for _i in range(3)]
    assert made == [201, 201, 429]
    assert Matter.objects.count() == 2  # the refused one left nothing behind
    assert same_address.post(f"{BASE}/requests.json", _spec_example(other_key, code)).status_code == 201
