"""Routing suggestion: the most specific rule, else history, else the area's government."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from matters.models import Category, RoutingRule
from matters.routing import RoutingSuggestion
from matters.routing import suggest_unit as _suggest_unit
from org.models import Area
from xinfang.testing import World, at

from .journeys import act, register

pytestmark = pytest.mark.django_db


def suggest_unit(category_id: int | None, area_id: int | None, *, now: datetime) -> RoutingSuggestion:
    found = _suggest_unit(category_id, area_id, now=now)
    assert found is not None
    return found


@pytest.fixture
def taxonomy(world: World) -> dict[str, Category]:
    top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    mid = Category.objects.create(name="物业管理", level=2, parent=top, path="城乡建设/物业管理")
    leaf = Category.objects.create(name="物业服务", level=3, parent=mid, path="城乡建设/物业管理/物业服务")
    return {"top": top, "mid": mid, "leaf": leaf}


@pytest.fixture
def areas(world: World) -> dict[str, Area]:
    city = Area.objects.create(code="1", name="A市")
    d1 = Area.objects.create(code="11", name="d1区", parent=city)
    world.units["d1"].area = d1
    world.units["d1"].save()
    return {"city": city, "d1": d1}


def test_the_most_specific_rule_wins(world: World, taxonomy, areas) -> None:
    RoutingRule.objects.create(category=taxonomy["top"], unit=world.units["city_housing"], note="城建类")
    RoutingRule.objects.create(category=taxonomy["mid"], area=areas["d1"], unit=world.units["d1_housing"], note="d1物业")
    s = suggest_unit(taxonomy["leaf"].pk, areas["d1"].pk, now=at(2026, 3, 1))
    assert (s.unit, s.source) == (world.units["d1_housing"], "rule") and "d1物业" in s.reason
    elsewhere = suggest_unit(taxonomy["leaf"].pk, areas["city"].pk, now=at(2026, 3, 1))
    assert elsewhere.unit == world.units["city_housing"]


def test_without_a_rule_history_decides(world: World, taxonomy, areas) -> None:
    for _ in range(2):
        m = register(world, day=(2026, 2, 2))
        m.category, m.area = taxonomy["leaf"], areas["d1"]
        m.save()
        act(world, m, "accept", "handler", (2026, 2, 3))
    s = suggest_unit(taxonomy["mid"].pk, areas["d1"].pk, now=at(2026, 3, 1))
    assert (s.unit, s.source) == (world.units["d1_housing"], "history") and "2" in s.reason


def test_with_nothing_known_the_area_government(world: World, taxonomy, areas) -> None:
    s = suggest_unit(None, areas["d1"].pk, now=at(2026, 3, 1))
    assert (s.unit, s.source) == (world.units["d1"], "territory")
    assert _suggest_unit(None, None, now=at(2026, 3, 1)) is None


def test_the_registration_form_shows_the_suggestion(world: World, taxonomy, areas) -> None:
    RoutingRule.objects.create(category=taxonomy["top"], unit=world.units["city_housing"])
    c = Client()
    c.force_login(world.users["registrar"])
    assert reverse("routing_suggestion") in c.get(reverse("matter_create")).content.decode()
    body = c.get(reverse("routing_suggestion"), {"category": taxonomy["leaf"].pk}).content.decode()
    assert world.units["city_housing"].name in body
