"""Repeat petitions: the same petitioner (by the keyed hash of phone or ID), inside the window."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matters.models import IntakePolicy
from xinfang.testing import World

from .journeys import TIMELINE, act, register

pytestmark = pytest.mark.django_db


def test_a_second_petition_while_the_first_is_open_is_a_repeat(world: World) -> None:
    first = register(world, day=(2026, 3, 2))
    second = register(world, day=(2026, 3, 20), title="还是停水")
    assert (second.is_repeat, second.is_first, second.repeat_of) == (True, False, first)
    other = register(world, day=(2026, 3, 21), phone="13900000000", id_number="430102199202022345")
    assert not other.is_repeat


def _closed_on_10_april(world: World):
    m = register(world, day=(2026, 3, 2))
    for _reached, action, actor, day, params in TIMELINE:
        m = act(world, m, action, actor, day, **params)
    return m


def test_inside_the_window_after_closing_it_is_a_repeat(world: World) -> None:
    IntakePolicy.objects.update_or_create(pk=1, defaults={"repeat_window_days": 30})
    m = _closed_on_10_april(world)
    assert register(world, day=(2026, 5, 9), title="同一问题").repeat_of == m


def test_after_the_window_it_is_a_new_petition(world: World) -> None:
    IntakePolicy.objects.update_or_create(pk=1, defaults={"repeat_window_days": 30})
    _closed_on_10_april(world)
    assert not register(world, day=(2026, 5, 11), title="新问题").is_repeat


def test_the_matter_page_warns_when_the_earlier_matter_is_final(world: World) -> None:
    m = _closed_on_10_april(world)
    again = register(world, day=(2026, 4, 20), title="再次反映停水")
    c = Client()
    c.force_login(world.users["handler"])
    page = c.get(reverse("matter_detail", kwargs={"pk": again.pk})).content.decode()
    assert "第三十六条" in page or "Art. 36" in page
    assert m.query_code[:5] in page


def test_an_earlier_matter_out_of_scope_is_not_shown(world: World) -> None:
    earlier = register(world, unit="d2_housing", day=(2026, 3, 2))
    mine = register(world, day=(2026, 3, 5))
    assert mine.repeat_of == earlier
    c = Client()
    c.force_login(world.users["handler"])
    page = c.get(reverse("matter_detail", kwargs={"pk": mine.pk})).content.decode()
    assert earlier.query_code[:5] not in page and "权限范围" in page
