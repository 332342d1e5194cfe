"""The hotspots page clusters the recent matters a user may see."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matters.models import Matter
from matters.tests.journeys import register
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_recent_matters_on_one_topic_make_a_hotspot_in_scope_only(world: World) -> None:
    for i in range(4):
        m = register(world, title="丽发新城小区旁搅拌站噪音扰民", phone=f"1390000000{i}", id_number=str(i),
                     content=f"丽发新城小区旁边的混凝土搅拌站日夜施工，噪音和粉尘严重，第{i}次反映，请求关停搅拌站。")
        Matter.objects.filter(pk=m.pk).update(registered_at=timezone.now())
    own, other = Client(), Client()
    own.force_login(world.users["reviewer"])
    other.force_login(world.users["d2_handler"])
    page = own.get(reverse("intel_hotspots")).content.decode()
    assert "搅拌站" in page and "<svg" in page  # the trend chart
    assert "搅拌站" not in other.get(reverse("intel_hotspots")).content.decode()
