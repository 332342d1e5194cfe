"""The intake suggestion fragment: top three with confidence and the words behind them."""

import pytest
from django.test import Client
from django.urls import reverse

from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_the_registration_form_asks_for_suggestions_and_gets_three(world: World) -> None:
    c = Client()
    c.force_login(world.users["registrar"])
    form = c.get(reverse("matter_create")).content.decode()
    assert reverse("intel_suggestions") in form
    body = c.get(reverse("intel_suggestions"), {"title": "学校乱收补课费", "content": "某中学违规组织学生有偿补课，每人收费两千元。"}).content.decode()
    assert body.count("<li>") == 3 and "教育文体" in body


def test_too_little_text_gives_no_suggestion_and_anonymous_users_none(world: World, client: Client) -> None:
    c = Client()
    c.force_login(world.users["registrar"])
    assert "<li>" not in c.get(reverse("intel_suggestions"), {"title": "问题"}).content.decode()
    assert client.get(reverse("intel_suggestions"), {"title": "学校乱收补课费"}).status_code == 302


def test_the_suggestion_speaks_chinese(world: World) -> None:
    c = Client()
    c.force_login(world.users["registrar"])
    body = c.get(reverse("intel_suggestions"), {"title": "学校乱收补课费", "content": "某中学违规组织学生有偿补课。"}).content.decode()
    assert "建议分类" in body
