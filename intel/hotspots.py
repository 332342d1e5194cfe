"""Hotspot detection (热点发现): clusters of matters by topic x place x time, with their growth.

Pure functions, no database: ``find_hotspots(rows)`` takes any iterable of ``Message`` (id, subject,
text, time, likes) and returns ``Hotspot`` objects sorted by heat. The platform feeds its own matters
with ``Message(id=m.pk, subject=m.title, text=m.content, time=m.registered_at)``.

Method (see HOTSPOTS.md for the run on the Teddy Cup 2020 data):

1. Words: jieba tokens of subject + text; the subject is counted twice because it is the citizen's
   own one-line summary. Tokens that are digit-heavy (phone numbers, ids, plates, house numbers),
   masks (``***``), punctuation and a short stop list are dropped, so personal numbers never
   become topic terms.
2. TF-IDF (sublinear tf, L2 norm) over those words.
3. Clustering: average-linkage agglomerative clustering on cosine distance, cut at
   ``COSINE_DISTANCE_CUT`` (0.75, i.e. mean pairwise cosine similarity >= 0.25). Average linkage
   was chosen over a similarity graph + connected components because components chain: one
   message that mentions two estates glues two unrelated complaints together, and on this data a
   threshold graph yields one giant component. Average linkage needs the whole cluster to be
   similar on average. Cost is O(n^2) memory (n=4,326 -> ~150 MB, ~2-4 s); feed it the recent
   window of matters (``lookback_days``), not the whole history.
4. Per cluster: place (most frequent fine place mention: estate/street/road/town/village, and the
   most frequent coded district such as A7县), top terms (highest summed TF-IDF), size, distinct
   texts, first/last time, growth and heat.

Growth: ``recent`` = messages in (now - window, now], ``previous`` = messages in
(now - 2*window, now - window]; ``now`` defaults to the latest message time (so a historical file
is judged at its own end, not today).

Heat (documented formula, all terms natural logs so no single factor dominates):

    heat = ln(1 + distinct_texts) + 0.5 * ln(1 + likes) + max(0, ln((1 + recent) / (1 + previous)))

Size counts distinct texts so a citizen re-posting the same text 20 times does not make a hotspot;
likes are other citizens' agreement (damped, since one viral message can collect thousands);
growth only adds heat when the topic is rising.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import jieba
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO

COSINE_DISTANCE_CUT = 0.75  # average-linkage cut; tuned by reading the top clusters of the Teddy data
DEFAULT_WINDOW_DAYS = 30
DEFAULT_MIN_SIZE = 3
TOP_TERMS = 5

# Tokens we never want as topic terms: function words and petition boilerplate that every message has.
_STOPWORDS = frozenset(
    """
    的 了 是 在 和 与 及 或 也 都 就 而 又 还 但 我 我们 你 你们 他 她 他们 她们 它 这 那 这个 那个 这些 那些 这样 那样
    什么 怎么 如何 为什么 是否 能否 可以 能 会 要 应该 没有 有 没 不 很 非常 已经 一直 现在 目前 因为 所以 如果 因此 并且
    以及 对于 关于 进行 问题 反映 咨询 投诉 举报 建议 希望 请求 要求 请问 情况 相关 部门 领导 政府 您好 你好 谢谢 感谢
    尊敬 市长 书记 一下 一个 一些 自己 大家 还是 不是 就是 但是 可是 然后 之后 以后 以前 时候 每天 今年 去年 本人 我家
    个 上 下 中 里 后 前 多 少 等 把 被 让 给 对 向 从 到 为 以 于 之 其 该 此 各 每 请 吗 呢 吧 啊 呀 嘛 着 过 地 得 所
    A市 市 区 县 万 年 月 日 号 元
    """.split()
)
_DIGIT = re.compile(r"\d")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")

# Coded districts as the data set writes them (A3区, A7县, B市); "A市" alone is the whole city.
_DISTRICT = re.compile(r"[A-Z]\d+[区县市]")
# Fine place: 2-8 name characters ending in a place suffix. The name may not contain punctuation,
# digits/latin (house numbers, codes), 市区县 (so "A3区丽发新城小区" starts after 区) or the
# function characters that usually sit right before a name.
_PLACE = re.compile(
    r"[^\s\dA-Za-z，。、；：！？,.;:!?（）()《》“”\"'‘’【】\[\]/\\*\-—~·…的在是了和与及对到从向把被我你他她们有为于请市区县省该这那个几至还如也都就不整]{2,8}?"
    r"(?:小区|花园|新城|公寓|家园|广场|社区|街道|大道|苑|庭|府|湾|园|城|镇|乡|村|路|街)+"  # "丽发新城" + "小区"
)
# Leading verbs/prepositions that the lazy regex can still swallow ("反映春华镇" -> "春华镇").
_PLACE_LEADS = ("反映", "咨询", "投诉", "举报", "关于", "建议", "希望", "请求", "要求", "位于", "地处", "座落", "坐落",
                "居住", "住在", "家住", "处于", "位置", "靠近", "附近", "经过", "沿着", "门口", "通往")
# Common words that end in a place suffix but name no place.
_NOT_PLACES = frozenset({"道路", "马路", "公路", "线路", "思路", "出路", "门路", "铁路", "走路", "农村", "乡村", "城镇",
                         "乡镇", "本村", "全村", "城乡", "小区", "社区", "街道", "广场", "花园", "家园", "公园", "校园",
                         "城市", "县城", "进城", "省城", "园", "城", "苑", "庭", "府", "湾", "路", "街", "村", "乡", "镇"})


@dataclass(frozen=True)
class Message:
    """One citizen message / matter. ``id`` is whatever the caller uses (CSV id or Matter pk)."""

    id: str | int
    subject: str
    text: str
    time: datetime
    likes: int = 0


@dataclass(frozen=True)
class Hotspot:
    terms: list[str]
    place: str  # most frequent fine place mention ("丽发新城小区"), "" if none
    district: str  # most frequent coded district ("A7县"), "" if none
    size: int  # messages
    distinct_texts: int
    first: datetime
    last: datetime
    recent: int  # messages in the latest window
    previous: int  # messages in the window before it
    likes: int
    heat: float
    ids: list[str | int] = field(default_factory=list)

    @property
    def growth(self) -> float:
        """Recent over previous window, +1 smoothed so an empty previous window stays finite."""
        return (self.recent + 1) / (self.previous + 1)

    @property
    def label(self) -> str:
        return " ".join(self.terms)


# ---------------------------------------------------------------- text


def _keep(token: str) -> bool:
    t = token.strip()
    if len(t) < 2 or t in _STOPWORDS or not _WORDISH.search(t):
        return False
    # Digit-heavy tokens (phone numbers, ids, plates, amounts, house numbers) carry personal data
    # or noise, never a topic: drop anything with 2+ digits or half digits.
    digits = len(_DIGIT.findall(t))
    return digits < 2 and digits * 2 < len(t) and "*" not in t


def tokenize(subject: str, text: str) -> list[str]:
    """Topic words of one message (subject counted twice: it is the citizen's own summary)."""
    subj = [t for t in jieba.lcut(subject) if _keep(t)]
    body = [t for t in jieba.lcut(text) if _keep(t)]
    return subj + subj + body


def place_mentions(text: str) -> tuple[list[str], list[str]]:
    """(fine places, coded districts) mentioned in ``text``, in order of appearance."""
    places = []
    for m in _PLACE.finditer(text):
        p = m.group(0)
        for lead in _PLACE_LEADS:
            if p.startswith(lead) and len(p) - len(lead) >= 3:
                p = p[len(lead):]
                break
        generic = max((w for w in _NOT_PLACES if p.endswith(w)), key=len, default="")
        if len(p) - len(generic) >= 2:  # "修道路" is no place, "丽发新城小区" is
            places.append(p)
    return places, _DISTRICT.findall(text)


def _best_place(counts: Counter[str], terms: Sequence[str]) -> str:
    """The cluster's place: a mention containing one of the cluster's top terms beats one that does
    not (the lazy regex also catches phrases like "投诉小区" that name no place), then the number
    of messages mentioning it, then length. A mention in one message only must contain a top term."""
    best, best_key = "", (False, 0, 0)
    for name, n in counts.items():
        on_topic = any(t in name for t in terms)
        if n < 2 and not on_topic:
            continue
        key = (on_topic, n, len(name))
        if key > best_key:
            best, best_key = name, key
    return best


def _most_common(counts: Counter[str]) -> str:
    # Ties: the longer (more specific) name wins, then alphabetical, so output is deterministic.
    if not counts:
        return ""
    return max(counts.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


# ---------------------------------------------------------------- clustering


def _cluster(docs: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cluster labels per doc, the TF-IDF matrix (dense rows are not needed) and the vocabulary."""
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, norm="l2")
    x = vec.fit_transform(docs)
    vocab = list(vec.get_feature_names_out())
    n = x.shape[0]
    if n == 1:
        return np.array([1]), x, vocab
    sim = (x @ x.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    # An empty document (all tokens dropped) has similarity 0 to everything: it stays a singleton.
    z = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(z, t=COSINE_DISTANCE_CUT, criterion="distance")
    return labels, x, vocab


def find_hotspots(
    rows: Iterable[Message],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = DEFAULT_MIN_SIZE,
    now: datetime | None = None,
    lookback_days: int | None = None,
) -> list[Hotspot]:
    """Hotspots of ``rows``, hottest first. ``now`` defaults to the latest message time;
    ``lookback_days`` (optional) keeps only messages newer than ``now - lookback_days``."""
    msgs = list(rows)
    if not msgs:
        return []
    if now is None:
        now = max(m.time for m in msgs)
    if lookback_days is not None:
        start = now - timedelta(days=lookback_days)
        msgs = [m for m in msgs if start < m.time <= now]
        if not msgs:
            return []
    docs = [tokenize(m.subject, m.text) for m in msgs]
    if not any(docs):
        return []
    labels, x, vocab = _cluster(docs)

    window = timedelta(days=window_days)
    recent_start, previous_start = now - window, now - 2 * window
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        if docs[i]:
            groups.setdefault(int(lab), []).append(i)

    out: list[Hotspot] = []
    for idx in groups.values():
        if len(idx) < min_size:
            continue
        members = [msgs[i] for i in idx]
        distinct = len({(m.subject.strip(), m.text.strip()) for m in members})
        weights = np.asarray(x[idx].sum(axis=0)).ravel()
        top = np.argsort(-weights, kind="stable")[: 2 * TOP_TERMS]
        ranked = [vocab[j] for j in top if weights[j] > 0]
        terms = ranked[:TOP_TERMS]
        places: Counter[str] = Counter()
        districts: Counter[str] = Counter()
        for m in members:
            p, d = place_mentions(f"{m.subject}。{m.text}")
            places.update(set(p))  # count messages mentioning a place, not repetitions inside one
            districts.update(set(d))
        recent = sum(1 for m in members if recent_start < m.time <= now)
        previous = sum(1 for m in members if previous_start < m.time <= recent_start)
        likes = sum(max(0, m.likes) for m in members)
        heat = math.log1p(distinct) + 0.5 * math.log1p(likes) + max(0.0, math.log((1 + recent) / (1 + previous)))
        times = sorted(m.time for m in members)
        out.append(
            Hotspot(
                terms=terms,
                place=_best_place(places, ranked),
                district=_most_common(districts),
                size=len(members),
                distinct_texts=distinct,
                first=times[0],
                last=times[-1],
                recent=recent,
                previous=previous,
                likes=likes,
                heat=round(heat, 3),
                ids=[m.id for m in sorted(members, key=lambda m: (-m.likes, m.time))],
            )
        )
    out.sort(key=lambda h: (-h.heat, -h.size, h.first))
    return out


# ---------------------------------------------------------------- input / output


def load_csv(path: str | Path) -> list[Message]:
    """Messages from a CSV with columns id, subject, text, time ('YYYY-MM-DD[ HH:MM:SS]'), likes."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            when = (row.get("time") or "").strip()
            if not when:
                continue  # no time, no place on the time axis
            likes = (row.get("likes") or "0").strip()
            out.append(
                Message(
                    id=row["id"],
                    subject=row.get("subject") or "",
                    text=row.get("text") or "",
                    time=datetime.fromisoformat(when),
                    likes=int(likes) if likes.lstrip("-").isdigit() else 0,
                )
            )
    return out


def markdown_table(hotspots: Sequence[Hotspot], *, examples: int = 3) -> str:
    """Markdown table: rank, topic terms, place, messages, first-last date, growth, heat, example ids."""
    lines = [
        "| rank | topic terms | place | messages | first – last | growth (recent/prev) | heat | example ids |",
        "|---:|---|---|---:|---|---|---:|---|",
    ]
    for rank, h in enumerate(hotspots, 1):
        place = " · ".join(p for p in (h.district, h.place) if p) or "–"
        ids = ", ".join(str(i) for i in h.ids[:examples])
        lines.append(
            f"| {rank} | {h.label} | {place} | {h.size} ({h.distinct_texts} distinct) | "
            f"{h.first:%Y-%m-%d} – {h.last:%Y-%m-%d} | {h.recent}/{h.previous} (×{h.growth:.2f}) | "
            f"{h.heat:.2f} | {ids} |"
        )
    return "\n".join(lines)
