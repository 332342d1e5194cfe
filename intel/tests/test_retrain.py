"""retrain_classifier's reading of closed matters (training itself is covered by the shipped model)."""

from __future__ import annotations

import pytest

from intel.management.commands.retrain_classifier import closed_matter_examples
from matters.lifecycle import State
from matters.models import Category, Matter
from matters.tests.journeys import register
from xinfang.testing import build_world


@pytest.mark.django_db
def test_closed_matters_with_a_known_top_level_become_examples() -> None:
    world = build_world()
    school = Category.objects.create(name="学校收费", level=3, path="教育文体/教育/学校收费")
    unknown = Category.objects.create(name="其他", level=3, path="纪检监察/其他/其他")
    closed = register(world, title="学校乱收费", content="强制收取补课费")
    open_one = register(world, title="学校食堂", content="饭菜差")
    other = register(world, title="干部作风", content="不作为")
    Matter.objects.filter(pk__in=[closed.pk, other.pk]).update(state=State.CLOSED)
    Matter.objects.filter(pk__in=[closed.pk, open_one.pk]).update(category=school)
    Matter.objects.filter(pk=other.pk).update(category=unknown)

    examples = closed_matter_examples({"教育文体", "城乡建设"})

    assert [(e.subject, e.text, e.label) for e in examples] == [("学校乱收费", "强制收取补课费", "教育文体")]
