"""Full-text search in the queue: the bigram index must give exactly what a substring scan gives."""

import pytest

from matters import search, selectors
from matters.selectors import QueueFilter
from xinfang.testing import World

from .journeys import register

pytestmark = pytest.mark.django_db


def test_bigrams_keep_adjacent_han_pairs_with_a_gap_between_runs() -> None:
    assert search.positioned_bigrams("物业费，物业") == [("物业", 1), ("业费", 2), ("物业", 4)]
    assert search.positioned_bigrams("A栋3单元漏水") == [("单元", 2), ("元漏", 3), ("漏水", 4)]
    assert search.bigrams("停") == []


def _found(world: World, term: str) -> set[str]:
    qs = selectors.queue(world.users["reviewer"], QueueFilter(q=term), today=None)  # type: ignore[arg-type]
    return set(qs.values_list("title", flat=True))


def test_search_finds_by_title_and_content_and_nothing_else(world: World) -> None:
    register(world, title="物业费上涨", content="今年涨价没有公示。")
    register(world, title="小区停水", content="小区长期停水，请求解决。")
    register(world, title="噪音扰民", content="夜间施工，影响休息。")
    assert _found(world, "物业") == {"物业费上涨"}
    assert _found(world, "停水") == {"小区停水"}
    assert _found(world, "长期停水") == {"小区停水"}
    assert _found(world, "小区") == {"小区停水"}
    assert _found(world, "燃气") == set()


def test_bigrams_split_by_punctuation_do_not_count_as_a_match(world: World) -> None:
    """物业。业费 holds both bigrams of 物业费, but not one after the other."""
    register(world, title="物业。业费", content="无")
    assert _found(world, "物业费") == set()
    assert _found(world, "物业") == {"物业。业费"}


def test_queries_the_index_cannot_answer_still_scan(world: World) -> None:
    m = register(world, title="3号楼电梯故障", content="无")
    assert not search.uses_index("3号楼")
    assert _found(world, "3号楼") == {"3号楼电梯故障"}
    assert _found(world, "梯") == {"3号楼电梯故障"}
    assert _found(world, m.query_code) == {"3号楼电梯故障"}


def test_search_stays_within_scope(world: World) -> None:
    register(world, title="物业纠纷", unit="d2_housing")
    handler = world.users["handler"]
    assert not selectors.queue(handler, QueueFilter(q="物业"), today=None).exists()  # type: ignore[arg-type]
