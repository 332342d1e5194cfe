"""Fast checks of the shipped model and the CSV command (the model loads once per process)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from intel import classifier

OBVIOUS = [
    ("孩子学校乱收费", "A市某小学强制学生家长缴纳补课费和资料费，每学期两千多元，请教育局查处。", "教育文体"),
    # Not a bus route: the training labels put 公交 matters under 城乡建设 (40 of 51 subjects naming
    # 公交), and the taxonomy's 交通运输 is taxis, road building, freight and post.
    ("出租车司机拒载绕路", "在A市火车站打出租车，司机拒载短途乘客，还故意绕路多收费。", "交通运输"),
    (
        "公司拖欠工资不发",
        "我在A市某公司工作半年，公司拖欠工资三个月，也没有缴纳社保，请劳动部门帮忙。",
        "劳动和社会保障",
    ),
    (
        "工厂夜间排放废气",
        "A5区某化工厂每天夜里偷排废气，气味刺鼻，河水也被污染，请环保部门查处。",
        "环境保护",
    ),
]


@pytest.mark.parametrize(("subject", "text", "label"), OBVIOUS)
def test_obvious_messages_get_the_right_label(subject: str, text: str, label: str) -> None:
    top = classifier.suggest(subject, text)[0]
    assert top.label == label
    assert not top.low_confidence


def test_suggestions_are_sorted_bounded_and_explained() -> None:
    suggestions = classifier.suggest("", "小区门口道路破损多年无人维修，下雨天积水严重", k=3)
    assert len(suggestions) == 3
    confidences = [s.confidence for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences) and sum(confidences) <= 1.0 + 1e-9
    assert all(s.reasons and len(s.reasons) <= 5 for s in suggestions)
    assert len({s.label for s in suggestions}) == 3
    assert len(classifier.suggest("", "道路破损", k=10)) == 7  # k above the label count: all labels


def test_low_confidence_flag_follows_the_top_confidence() -> None:
    suggestions = classifier.suggest("", "你好")
    expected = suggestions[0].confidence < classifier.LOW_CONFIDENCE_THRESHOLD
    assert all(s.low_confidence == expected for s in suggestions)


def test_classify_csv_round_trip(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "subject", "text", "extra"])
        w.writerows([(str(i), s, t, "x") for i, (s, t, _) in enumerate(OBVIOUS)])
        w.writerow(["99", "", "学校食堂饭菜质量差", "y"])  # empty subject
    assert classifier.classify_csv(src, dst) == len(OBVIOUS) + 1
    with open(dst, encoding="utf-8", newline="") as fh:
        out = list(csv.DictReader(fh))
    assert list(out[0]) == ["id", "subject", "text", "extra", "label", "confidence"]
    assert [r["label"] for r in out[: len(OBVIOUS)]] == [lab for _, _, lab in OBVIOUS]
    assert out[-1]["id"] == "99" and out[-1]["extra"] == "y" and 0 < float(out[-1]["confidence"]) <= 1


def test_classify_csv_bad_input(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        classifier.classify_csv(tmp_path / "missing.csv", tmp_path / "out.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,subject,body\n1,a,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="text"):
        classifier.classify_csv(bad, tmp_path / "out.csv")


def test_near_duplicates_share_a_group() -> None:
    a = "小区物业乱收停车费，业主多次投诉无果，请相关部门处理。"
    groups = classifier.near_duplicate_groups([a, a.replace("，", " ") + "谢谢", "学校食堂卫生很差"])
    assert groups[0] == groups[1] != groups[2]
