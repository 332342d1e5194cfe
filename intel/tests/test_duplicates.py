"""Duplicate detection at intake (intel.duplicates): MinHash LSH index, similar texts, same petitioner."""

from __future__ import annotations

import hashlib
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from intel import duplicates as d
from intel.models import DuplicateBand, DuplicateSignature
from matters.lifecycle import State
from matters.models import Matter
from matters.personal_data import lookup_hash, normalise_phone
from matters.tests.journeys import matter_in, register
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db

NOISE_TITLE = "A3区丽发新城小区附近搅拌站噪音扰民"
NOISE = ("A3区丽发新城小区旁边的搅拌站每天晚上十点以后还在施工，噪音和粉尘非常严重，"
         "严重影响附近居民的休息和身体健康，多次向有关部门反映都没有结果，请求尽快查处并责令停工整改。")
# A re-post: other punctuation and spacing, a few words changed.
NOISE_COPY = ("A3区丽发新城小区旁边的搅拌站每天晚上十一点以后还在施工 噪音和粉尘非常严重！"
              "严重影响附近居民的休息和身体健康，多次向相关部门反映都没有结果，请求尽快查处并责令停工整改")
BUS_TITLE = "建议增开A7县至A市的城际公交线路"
BUS = "目前A7县到A市只有一条长途客运线路，班次少、票价高，建议交通部门增开城际公交，方便群众出行。"
OTHER_PHONE, OTHER_ID = "13900001111", "430102198502023456"
# sha256 prefix of the signature of NOISE_TITLE + "\n" + NOISE: a change of the scheme needs a rebuild.
GOLDEN_SIGNATURE = "2eda53c556918da4"


def _index(*matters: Matter) -> None:
    d.index_matters([(m.pk, m.title, m.content) for m in matters])


def _phone_hash(phone: str) -> str:
    return lookup_hash(normalise_phone(phone))


def test_signature_is_fixed_across_machines_and_databases() -> None:
    sig = d.signature(NOISE_TITLE + "\n" + NOISE)
    assert sig.dtype == np.uint32 and sig.shape == (d.PERMUTATIONS,)
    # Pinned: the scheme is pure integer arithmetic, so any platform gives these bytes.
    assert hashlib.sha256(sig.astype("<u4").tobytes()).hexdigest()[:16] == GOLDEN_SIGNATURE
    keys = d.band_buckets(sig)
    assert keys.shape == (d.BANDS,) and (keys >= 0).all()
    assert [int(k) >> 56 for k in keys] == list(range(d.BANDS))
    # Spacing, punctuation and full-width forms do not matter.
    assert (d.signature("Ａ３区，搅拌站 噪音！") == d.signature("a3区搅拌站噪音")).all()
    assert d.is_empty(d.signature("，。！ \n"))


def test_near_copy_is_found_and_unrelated_text_is_not(world: World) -> None:
    noise = register(world, title=NOISE_TITLE, content=NOISE)
    bus = register(world, title=BUS_TITLE, content=BUS, phone=OTHER_PHONE, id_number=OTHER_ID)
    _index(noise, bus)

    found = d.similar_matters(NOISE_TITLE, NOISE_COPY)
    assert [pk for pk, _s in found] == [noise.pk]
    sim = found[0][1]
    assert sim >= 0.6
    # The score is the signature agreement, identical on every database.
    assert sim == d.estimated_jaccard(d.signature(NOISE_TITLE + "\n" + NOISE_COPY),
                                      d.signature(noise.title + "\n" + noise.content))
    assert d.similar_matters(NOISE_TITLE, NOISE)[0] == (noise.pk, 1.0)
    assert d.similar_matters("咨询孩子入学报名需要哪些材料", "孩子今年上小学，请问报名需要准备哪些材料？") == []

    dups = d.likely_duplicates(NOISE_TITLE, NOISE_COPY, phone_hash=_phone_hash("13700000000"), now=at(2026, 3, 5))
    assert [x.matter.pk for x in dups] == [noise.pk]
    exact = d.exact_jaccard(NOISE_TITLE + "\n" + NOISE_COPY, NOISE_TITLE + "\n" + NOISE)
    assert dups[0].similarity == round(exact, 4) and dups[0].similarity >= 0.6
    assert dups[0].reasons == (f"similar text {exact:.2f}",) and not dups[0].same_petitioner


def test_same_petitioner_with_other_text(world: World) -> None:
    bus = register(world, title=BUS_TITLE, content=BUS, phone=OTHER_PHONE, id_number=OTHER_ID)
    _index(bus)
    dups = d.likely_duplicates(NOISE_TITLE, NOISE, phone_hash=_phone_hash(OTHER_PHONE), now=at(2026, 3, 5))
    assert [(x.matter.pk, x.reasons, x.similarity) for x in dups] == [(bus.pk, ("same petitioner",), None)]
    # By the ID number alone as well; a name is never asked for.
    by_id = d.likely_duplicates(NOISE_TITLE, NOISE, id_hash=lookup_hash(OTHER_ID), now=at(2026, 3, 5))
    assert [x.matter.pk for x in by_id] == [bus.pk]
    assert d.likely_duplicates(NOISE_TITLE, NOISE, phone_hash=_phone_hash("13700000000"), now=at(2026, 3, 5)) == []


def test_same_petitioner_and_similar_text_comes_first(world: World) -> None:
    other = register(world, title=NOISE_TITLE, content=NOISE, phone=OTHER_PHONE, id_number=OTHER_ID)
    mine = register(world, title=NOISE_TITLE, content=NOISE_COPY)
    bus = register(world, title=BUS_TITLE, content=BUS)
    _index(other, mine, bus)
    dups = d.likely_duplicates(NOISE_TITLE, NOISE, phone_hash=_phone_hash("13812345678"), now=at(2026, 3, 5))
    assert [x.matter.pk for x in dups] == [mine.pk, other.pk, bus.pk]
    assert dups[0].reasons[0] == "same petitioner" and dups[0].reasons[1].startswith("similar text 0.")
    assert dups[1].reasons == ("similar text 1.00",) and dups[1].similarity == 1.0
    assert dups[2].reasons == ("same petitioner",)


def test_closed_long_ago_is_excluded_open_old_is_kept(world: World) -> None:
    closed = matter_in(world, State.CLOSED)  # registered 2026-03-02, closed 2026-04-10
    assert closed.closed_at is not None
    still_open = register(world, title="小区停水", content="小区长期停水，请求解决。", phone=OTHER_PHONE,
                          id_number=OTHER_ID)
    _index(closed, still_open)
    soon = d.likely_duplicates("小区停水", "小区长期停水，请求解决。", now=at(2026, 6, 1))
    assert {x.matter.pk for x in soon} == {closed.pk, still_open.pk}
    later = d.likely_duplicates("小区停水", "小区长期停水，请求解决。", phone_hash=_phone_hash("13812345678"),
                                now=at(2027, 1, 15))
    assert [x.matter.pk for x in later] == [still_open.pk]
    # The index itself still finds it: the window is likely_duplicates' rule.
    assert {pk for pk, _s in d.similar_matters("小区停水", "小区长期停水，请求解决。")} == {closed.pk, still_open.pk}


def test_exclude_id(world: World) -> None:
    noise = register(world, title=NOISE_TITLE, content=NOISE)
    copy = register(world, title=NOISE_TITLE, content=NOISE_COPY, phone=OTHER_PHONE, id_number=OTHER_ID)
    _index(noise, copy)
    assert [pk for pk, _s in d.similar_matters(NOISE_TITLE, NOISE, exclude_id=noise.pk)] == [copy.pk]
    dups = d.likely_duplicates(NOISE_TITLE, NOISE, phone_hash=_phone_hash("13812345678"), now=at(2026, 3, 5),
                               exclude_id=noise.pk)
    assert [x.matter.pk for x in dups] == [copy.pk]


def test_index_round_trips_and_is_idempotent(world: World) -> None:
    noise = register(world, title=NOISE_TITLE, content=NOISE)
    _index(noise)
    _index(noise)
    stored = DuplicateSignature.objects.get(matter_id=noise.pk)
    sig = d.signature(noise.title + "\n" + noise.content)
    assert bytes(stored.signature) == sig.astype("<u4").tobytes()
    buckets = sorted(DuplicateBand.objects.filter(matter_id=noise.pk).values_list("bucket", flat=True))
    assert buckets == sorted(int(b) for b in d.band_buckets(sig))
    # A changed text replaces the old buckets.
    d.index_matters([(noise.pk, BUS_TITLE, BUS)])
    assert d.similar_matters(NOISE_TITLE, NOISE) == []
    assert d.similar_matters(BUS_TITLE, BUS) == [(noise.pk, 1.0)]
    assert DuplicateBand.objects.filter(matter_id=noise.pk).count() == d.BANDS
    d.remove_matters([noise.pk])
    assert not DuplicateBand.objects.exists() and not DuplicateSignature.objects.exists()


def test_text_without_letters_is_stored_but_matches_nothing(world: World) -> None:
    m = register(world, title="？？", content="……！！")
    _index(m)
    assert DuplicateSignature.objects.filter(matter_id=m.pk).exists()
    assert not DuplicateBand.objects.exists()
    assert d.similar_matters("？", "！") == []


def test_index_duplicates_command(world: World) -> None:
    a = register(world, title=NOISE_TITLE, content=NOISE)
    b = register(world, title=BUS_TITLE, content=BUS)
    err = StringIO()
    call_command("index_duplicates", "--batch-size", "1", stdout=StringIO(), stderr=err)
    assert "2 / 2 matters" in err.getvalue()
    assert set(DuplicateSignature.objects.values_list("matter_id", flat=True)) == {a.pk, b.pk}
    call_command("index_duplicates", "--rebuild", stdout=StringIO(), stderr=StringIO())
    assert DuplicateBand.objects.count() == 2 * d.BANDS
    assert d.similar_matters(BUS_TITLE, BUS) == [(b.pk, 1.0)]
