"""The reply form's pre-check: the draft is scored against the matter's own petition."""

import pytest
from django.test import Client
from django.urls import reverse

from matters.tests.journeys import act, register
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_the_reviewer_prechecks_a_draft_reply(world: World) -> None:
    m = register(world, content="小区长期停水，请求尽快恢复供水。")
    act(world, m, "accept", "handler", (2026, 3, 4))
    c = Client()
    c.force_login(world.users["handler"])
    form = c.get(reverse("matter_action", args=[m.pk, "reply"])).content.decode()
    assert reverse("reply_precheck", args=[m.pk]) in form
    body = c.post(reverse("reply_precheck", args=[m.pk]), {"text": "已收悉。"}).content.decode()
    assert "复查" in body and "/ 100" in body
    other = Client()
    other.force_login(world.users["d2_handler"])
    assert other.post(reverse("reply_precheck", args=[m.pk]), {"text": "x"}).status_code == 404
