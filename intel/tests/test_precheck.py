"""Reply pre-check (intel.precheck): pure functions, no database."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management import call_command

from intel.management.commands import precheck_replies
from intel.precheck import WEIGHTS, extract_demands, precheck

PETITION = (
    "我家住在A市A2区景蓉华苑小区，小区物业从今年4月起把停车费从每月100元涨到300元，业主大会没有表决。"
    "请求有关部门核查停车费上涨是否合法？希望尽快恢复原来的收费标准。"
)
GOOD_REPLY = (
    "网友您好！您反映的景蓉华苑小区停车费上涨问题已收悉，现答复如下：经A2区发改局、住建局现场核查，"
    "该小区物业于今年4月将停车费由每月100元调整为300元，调整前未经业主大会表决。"
    "依据《西地省物业服务收费管理办法》第十二条规定，小区停车费调整须经业主大会表决，物业此次上涨不合法。"
    "我局已责令物业公司恢复原来的收费标准，多收费用予以退还。"
    "如您对本答复意见不服，可自收到本答复意见书之日起30日内向A市人民政府请求复查。感谢您对我们工作的支持！"
)
NO_REVIEW_REPLY = GOOD_REPLY.split("如您对本答复意见不服")[0]


def test_good_reply_passes_every_check() -> None:
    res = precheck(PETITION, GOOD_REPLY, subject="景蓉华苑物业乱涨停车费")
    assert [c.key for c in res.failed] == []
    assert res.score == 100
    assert len(res.demands) == 2 and all(d.answered for d in res.demands)
    assert all(c.reason for c in res.checks)  # every finding, passed or not, says why
    assert set(res.as_dict()) == {"score", "checks", "demands"}


def test_missing_review_right_fails_with_reason() -> None:
    res = precheck(PETITION, NO_REVIEW_REPLY)
    review = res.check("review_right")
    assert not review.passed
    assert "复查" in review.reason and "30日" in review.reason
    assert res.score == 100 - WEIGHTS["review_right"]


def test_review_right_without_period_names_what_is_missing() -> None:
    res = precheck(PETITION, NO_REVIEW_REPLY + "如不服，可向A市人民政府申请复查。")
    review = res.check("review_right")
    assert not review.passed and "期限" in review.reason and "复查机关" not in review.reason


def test_unanswered_demand_is_listed() -> None:
    petition = PETITION + "另外，小区电梯经常停运，请问何时能修好电梯？"
    res = precheck(petition, GOOD_REPLY)
    unanswered = [d for d in res.demands if not d.answered]
    assert len(unanswered) == 1 and "电梯" in unanswered[0].text
    check = res.check("demands")
    assert not check.passed and "电梯" in check.reason


def test_demand_extraction_falls_back_to_subject() -> None:
    assert extract_demands("小区门口的路灯坏了三个月了。", "景蓉华苑路灯不亮") == ["景蓉华苑路灯不亮"]
    assert "请问何时能修好电梯？" in extract_demands("电梯坏了。请问何时能修好电梯？")


def test_phone_number_and_accuser_name_are_flagged() -> None:
    leak = GOOD_REPLY.replace("经A2区发改局", "经与举报人王小明（电话13812345678）联系并由A2区发改局")
    res = precheck(PETITION, leak)
    privacy = res.check("privacy")
    assert not privacy.passed
    assert "手机号" in privacy.reason and "王小明" in privacy.reason
    assert "13812345678" not in privacy.reason  # the reason itself does not repeat the number
    assert res.score <= 50


def test_office_hotline_and_masked_numbers_are_not_flagged() -> None:
    reply = GOOD_REPLY + "如有疑问请拨打区住建局咨询电话0731-84567890或0000-00000000，联系人：张明。"
    assert precheck(PETITION, reply).check("privacy").passed
    assert precheck(PETITION, GOOD_REPLY.replace("经A2区", "经与投诉人李某沟通，A2区")).check("privacy").passed


def test_id_number_is_flagged() -> None:
    reply = GOOD_REPLY + "当事人身份证号430102198001011234。"
    assert not precheck(PETITION, reply).check("privacy").passed


def test_rude_reply_fails_tone() -> None:
    res = precheck(PETITION, GOOD_REPLY.replace("感谢您对我们工作的支持！", "请不要无理取闹，请勿重复发帖。"))
    tone = res.check("tone")
    assert not tone.passed and "无理取闹" in tone.reason
    assert res.score <= 50


def test_boilerplate_replies_fail() -> None:
    for reply in ("网友：您好！留言已收悉", "网友：您好！您反映的问题已转L1区调查、核处。2018年9月18日"):
        res = precheck(PETITION, reply)
        assert not res.check("boilerplate").passed, reply
        assert res.score <= 20


def test_scores_are_ordered_sensibly() -> None:
    good = precheck(PETITION, GOOD_REPLY).score
    no_review = precheck(PETITION, NO_REVIEW_REPLY).score
    partial = precheck(PETITION, "网友您好！经核查，该小区停车费由物业自行调整，我们将督促物业整改。").score
    boiler = precheck(PETITION, "已收悉").score
    assert good > no_review > partial > boiler


def test_command_reports_and_writes_rows(tmp_path: Path) -> None:
    src, dst = tmp_path / "replies.csv", tmp_path / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "subject", "text", "reply"])
        w.writerow(["1", "停车费", PETITION, GOOD_REPLY])
        w.writerow(["2", "停车费", PETITION, "已收悉"])
    out = tmp_path / "report.txt"
    with open(out, "w", encoding="utf-8") as fh:
        call_command(precheck_replies.Command(), data=str(src), out=str(dst), stdout=fh)
    text = out.read_text(encoding="utf-8")
    assert "2 replies checked" in text and "boilerplate" in text
    with open(dst, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["score"] for r in rows] == ["100", "20"]
    assert rows[1]["boilerplate"] == "0" and "非套话答复" in rows[1]["reasons"]
