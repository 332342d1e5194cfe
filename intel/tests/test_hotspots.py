"""intel.hotspots on small synthetic sets (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from intel.hotspots import Message, find_hotspots, markdown_table, tokenize

T0 = datetime(2024, 6, 1, 9, 0)

FLOOD = [
    "A2区丽发新城小区一下雨就积水内涝，地下车库被淹，请尽快疏通排水管道。联系电话13812345678",
    "丽发新城小区暴雨后积水严重，内涝淹了车库，排水管道堵塞，电话0731-88886666",
    "A2区丽发新城小区排水不畅，每逢下雨积水内涝，车库进水，居民出行困难",
    "反映丽发新城小区内涝积水问题，排水管道老化，地下车库被淹多次，联系人13987654321",
    "丽发新城小区下雨积水没过膝盖，内涝严重，排水系统需要改造，车库被淹",
    "A2区丽发新城小区积水内涝，车库被淹，排水管道堵了，请相关部门疏通",
]
OTHERS = [
    "A5区某学校乱收补课费，每学期额外收取资料费，家长负担重",
    "A3区公交线路调整后站点太远，老人乘车不便，希望恢复原线路",
    "A7县春华镇养老保险缴费标准咨询，农村居民如何办理养老保险",
    "A4区夜宵摊油烟扰民，烧烤油烟直排居民楼，晚上噪音很大",
    "A6区医院挂号难，专家号总是被黄牛抢光，看病排队时间长",
]


def _msgs() -> list[Message]:
    rows = [Message(id=f"f{i}", subject="丽发新城小区积水内涝", text=t, time=T0 + timedelta(days=i), likes=i)
            for i, t in enumerate(FLOOD)]
    rows += [Message(id=f"o{i}", subject=t[:10], text=t, time=T0 + timedelta(days=i)) for i, t in enumerate(OTHERS)]
    return rows


def test_flooding_estate_clusters_and_unrelated_do_not() -> None:
    found = find_hotspots(_msgs(), min_size=2)
    assert len(found) == 1
    (h,) = found
    assert sorted(str(i) for i in h.ids) == [f"f{i}" for i in range(6)]
    assert h.size == 6 and h.distinct_texts == 6
    assert h.place == "丽发新城小区" and h.district == "A2区"
    assert {"积水", "内涝"} & set(h.terms)
    assert h.first == T0 and h.last == T0 + timedelta(days=5)
    assert h.likes == sum(range(6))


def test_growth_counts_recent_against_previous_window() -> None:
    now = datetime(2024, 7, 31, 12, 0)
    # 2 messages in the previous 7-day window, 4 in the latest, 1 older than both (counted in size only).
    offsets = [20, 10, 9, 6, 3, 1, 0]
    rows = [Message(id=i, subject="丽发新城小区积水内涝", text=FLOOD[i % 6], time=now - timedelta(days=d, hours=1))
            for i, d in enumerate(offsets)]
    (h,) = find_hotspots(rows, window_days=7, now=now)
    assert (h.size, h.recent, h.previous) == (7, 4, 2)
    assert h.growth == (4 + 1) / (2 + 1)
    # now defaults to the latest message; a later explicit now leaves the windows empty
    (later,) = find_hotspots(rows, window_days=7, now=now + timedelta(days=30))
    assert (later.recent, later.previous) == (0, 0)


def test_phone_numbers_never_become_terms() -> None:
    for m in _msgs():
        assert not any(sum(c.isdigit() for c in t) >= 2 for t in tokenize(m.subject, m.text))
    (h,) = find_hotspots(_msgs(), min_size=2)
    assert not any(ch.isdigit() for t in h.terms for ch in t)
    assert "13812345678" not in markdown_table([h])


def test_empty_input_gives_empty_list() -> None:
    assert find_hotspots([]) == []
    assert find_hotspots(iter([])) == []
    assert find_hotspots(_msgs(), min_size=50) == []
    assert markdown_table([]).count("\n") == 1  # header and rule only
