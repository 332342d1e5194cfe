from __future__ import annotations

import pytest
from django.test import Client

from matters.services import ACTIONS

pytestmark = pytest.mark.django_db


def test_openapi_schema_loads_and_lists_the_action_endpoint() -> None:
    r = Client().get("/api/v1/openapi.json")

    assert r.status_code == 200
    schema = r.json()
    path = schema["paths"]["/api/v1/matters/{matter_id}/actions/{action}"]["post"]
    variants = path["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert [v["title"] for v in variants] == list(ACTIONS)
    assert {"200", "403", "404", "409", "422"} <= set(path["responses"])
    for name in (
        "/api/v1/auth/token",
        "/api/v1/matters",
        "/api/v1/matters/{matter_id}",
        "/api/v1/matters/{matter_id}/events",
        "/api/v1/calendar/deadline",
    ):
        assert name in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_docs_page_loads() -> None:
    assert Client().get("/api/v1/docs").status_code == 200
