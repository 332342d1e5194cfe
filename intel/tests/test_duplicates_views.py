"""最多访一次 at intake and on the matter page: likely duplicates, only those in the user's scope."""

import pytest
from django.test import Client
from django.urls import reverse

from matters.tests.journeys import register
from xinfang.testing import World

pytestmark = pytest.mark.django_db

TEXT = "幸福小区三号楼电梯已经停运两个月，老人上下楼十分困难，物业一直推诿，请求尽快维修电梯。"


def test_registration_shows_a_similar_open_matter_and_registration_indexes_it(world: World) -> None:
    earlier = register(world, title="电梯停运", content=TEXT, phone="13900000001", id_number="1")
    c = Client()
    c.force_login(world.users["registrar"])
    assert reverse("intel_duplicates") in c.get(reverse("matter_create")).content.decode()
    body = c.get(reverse("intel_duplicates"), {"title": "电梯停运", "content": TEXT.replace("两个月", "三个月")}).content.decode()
    assert earlier.query_code[:5] in body and "%" in body


def test_the_same_petitioner_is_found_by_phone(world: World) -> None:
    earlier = register(world, title="噪音扰民", content="夜间施工噪音很大。", phone="13900000001", id_number="1")
    c = Client()
    c.force_login(world.users["registrar"])
    body = c.get(reverse("intel_duplicates"), {"title": "别的问题", "content": "完全不同的内容描述",
                                               "petitioner_phone": "139-0000-0001"}).content.decode()
    assert earlier.query_code[:5] in body


def test_a_similar_matter_outside_the_scope_is_not_shown(world: World) -> None:
    theirs = register(world, unit="d2_housing", title="电梯停运", content=TEXT, phone="13900000001", id_number="1")
    mine = register(world, title="电梯停运", content=TEXT, phone="13900000002", id_number="2")
    c = Client()
    c.force_login(world.users["handler"])
    page = c.get(reverse("matter_detail", kwargs={"pk": mine.pk})).content.decode()
    assert theirs.query_code[:5] not in page
    office = Client()
    office.force_login(world.users["reviewer"])
    assert theirs.query_code[:5] in office.get(reverse("matter_detail", kwargs={"pk": mine.pk})).content.decode()
