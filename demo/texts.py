"""Demo petition texts: building ``fixtures/demo_texts.csv`` from the shared data sets, and reading it.

The fixture is a seeded subset of real public texts so the demo works without ``../shared``:

- teddy2020 ``messages_train.csv`` (labelled message-board posts) and ``replies.csv`` (posts with the
  office's written reply; these carry no label, except where the same post is in the training set);
- haikou12345 ``cases.csv`` (12345 hotline work orders: 工单标题, 诉求内容, the source's own level-1
  category 行业分类1级, and the reply 市民答复要点 or else the closing report 办结汇报).

Columns: ``source`` (``<set>/<file>#<id>``, so every row can be traced), ``subject``, ``text``, ``label``
(teddy2020: one of the seven level-1 labels or empty; haikou12345: its 行业分类1级) and ``reply`` (the real
reply where the source has one). The ``user`` column and the hotline operator id are never copied.
Nothing is masked: the teddy2020 texts code place names (A市, A3区) and the product masks on display.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FIELDS = ["source", "subject", "text", "label", "reply"]

TEDDY_LABELS = ("城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输")

# haikou12345 行业分类1级 → teddy2020 level-1 label (the competent department's field); others: territorial.
HAIKOU_LABELS = {
    "住房保障": "城乡建设",
    "城乡建设": "城乡建设",
    "人力保障": "劳动和社会保障",
    "教育": "教育文体",
    "工商(消保)": "商贸旅游",
    "食品药品安全": "商贸旅游",
    "质量技术监督": "商贸旅游",
    "旅游": "商贸旅游",
    "环境保护": "环境保护",
    "卫生计生": "卫生计生",
    "交通港口": "交通运输",
}
# Hotline categories handled by the street office (属地) in the demo.
HAIKOU_TERRITORIAL = ("城管问题", "绿化市容", "其他")

# Accusations (检举控告, Art. 30) against officials or public bodies, picked by hand: a keyword rule
# cannot tell them from complaints about a nuisance that merely say "举报".
ACCUSATION_SOURCES = frozenset(
    {
        "teddy2020/messages_train.csv#R01429",  # 村道工程招投标违规
        "teddy2020/messages_train.csv#R04225",  # 原文化局文物所违规进人
        "teddy2020/messages_train.csv#R04374",  # 校长违规招生
        "teddy2020/messages_train.csv#258629",  # 学分办主任涉嫌诈骗
        "teddy2020/messages_train.csv#R08843",  # 卫生院院长不思进取
        "teddy2020/replies.csv#4333",  # 教育局包庇无证办学机构
        "teddy2020/replies.csv#5133",  # 村支两委的问题
        "teddy2020/replies.csv#6891",  # 执法大队副队长工作作风
        "teddy2020/replies.csv#7909",  # 区政府及街道办事处渎职
    }
)
SUGGESTION_SUBJECT = re.compile(r"建议")

TEDDY_TRAIN_ROWS = 1200
TEDDY_REPLY_ROWS = 400
HAIKOU_ROWS = 400
HAIKOU_TERRITORIAL_ROWS = 80
MAX_TEXT = 700
MAX_REPLY = 800
BUILD_SEED = 2020
TRAIN, REPLIES, CASES = "teddy2020/messages_train.csv", "teddy2020/replies.csv", "haikou12345/cases.csv"


@dataclass(frozen=True)
class DemoText:
    source: str
    subject: str
    text: str
    label: str
    reply: str

    @property
    def is_accusation(self) -> bool:
        return self.source in ACCUSATION_SOURCES

    @property
    def is_suggestion(self) -> bool:
        return bool(SUGGESTION_SUBJECT.search(self.subject))

    @property
    def dataset(self) -> str:
        return self.source.split("/", 1)[0]

    @property
    def department_label(self) -> str:
        """One of TEDDY_LABELS, or "" when the text names no department's field."""
        if self.dataset == "haikou12345":
            return HAIKOU_LABELS.get(self.label, "")
        return self.label if self.label in TEDDY_LABELS else ""


def read_texts(path: Path) -> list[DemoText]:
    with path.open(encoding="utf-8", newline="") as f:
        return [DemoText(**{k: row[k] for k in FIELDS}) for row in csv.DictReader(f)]


# --- building the fixture from ../shared/data -----------------------------------------------


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _fits(text: str, limit: int = MAX_TEXT) -> bool:
    return 20 <= len(text.strip()) <= limit


def _unique(rows: Iterable[dict[str, str]], key: str) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    for row in rows:
        k = row[key].strip()
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def build_rows(shared_data: Path, seed: int = BUILD_SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    train = _read(shared_data / "teddy2020" / "messages_train.csv")
    replies = _read(shared_data / "teddy2020" / "replies.csv")
    cases = _read(shared_data / "haikou12345" / "cases.csv")

    out: list[dict[str, str]] = []
    used_texts: set[str] = set()

    def add(source: str, subject: str, text: str, label: str, reply: str) -> None:
        used_texts.add(text.strip())
        out.append(
            {
                "source": source,
                "subject": subject.strip(),
                "text": text.strip(),
                "label": label,
                "reply": reply.strip(),
            }
        )

    # teddy2020 messages_train: every usable accusation, the rest a seeded sample.
    train = _unique((r for r in train if r["subject"].strip() and _fits(r["text"])), "text")
    accusations = [r for r in train if f"{TRAIN}#{r['id']}" in ACCUSATION_SOURCES]
    others = [r for r in train if f"{TRAIN}#{r['id']}" not in ACCUSATION_SOURCES]
    rng.shuffle(others)
    for r in accusations + others[: TEDDY_TRAIN_ROWS - len(accusations)]:
        add(f"{TRAIN}#{r['id']}", r["subject"], r["text"], r["label"], "")

    # teddy2020 replies: posts with a substantive written reply; label only where the post is labelled.
    label_by_text = {r["text"].strip(): r["label"] for r in train}
    picked = [r for r in replies if f"{REPLIES}#{r['id']}" in ACCUSATION_SOURCES]
    rest = _unique(
        (
            r
            for r in replies
            if r["subject"].strip()
            and _fits(r["text"])
            and _fits(r["reply"], MAX_REPLY)
            and r["text"].strip() not in used_texts
            and f"{REPLIES}#{r['id']}" not in ACCUSATION_SOURCES
        ),
        "text",
    )
    rng.shuffle(rest)
    for r in picked + rest[: TEDDY_REPLY_ROWS - len(picked)]:
        add(
            f"{REPLIES}#{r['id']}",
            r["subject"],
            r["text"],
            label_by_text.get(r["text"].strip(), ""),
            r["reply"],
        )

    # haikou12345: mostly orders a department handles, some the street handles.
    cases = _unique((r for r in cases if r["工单标题"].strip() and _fits(r["诉求内容"], 600)), "诉求内容")
    mapped = [r for r in cases if r["行业分类1级"] in HAIKOU_LABELS]
    territorial = [r for r in cases if r["行业分类1级"] in HAIKOU_TERRITORIAL]
    rng.shuffle(mapped)
    rng.shuffle(territorial)
    chosen = mapped[: HAIKOU_ROWS - HAIKOU_TERRITORIAL_ROWS] + territorial[:HAIKOU_TERRITORIAL_ROWS]
    for r in chosen:
        reply = r["市民答复要点"].strip() or r["办结汇报"].strip()
        add(
            f"{CASES}#{r['工单编号']}",
            r["工单标题"],
            r["诉求内容"],
            r["行业分类1级"],
            reply if len(reply) <= MAX_REPLY else "",
        )
    return out


def write_rows(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
