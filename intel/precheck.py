"""Reply pre-check (答复预审): rule-based checks of a written reply (答复意见书) against its petition.

What a reply must do (《信访工作条例》2022 and the project's spec):
  1. answer each demand (诉求) of the petition;
  2. state the facts found (经查 / 经核实 / 调查…);
  3. state the basis (依据《…》第…条, 根据…规定, 政策);
  4. tell the petitioner of the right to ask for review (复查): to which body and by when
     (Art. 35: within 30 days of receiving the written reply, to the next-higher administrative body);
  5. never reveal third parties' personal data (an accuser's name, phone numbers, ID numbers);
  6. keep a civil tone and not be a boilerplate non-answer (only "已收悉" / "已转交").

Every check returns a reason in Chinese that says what was found or what is missing, with evidence
snippets where there are any. The result is a suggestion for the person who signs the reply; nothing
here blocks or rewrites a reply.

Everything is a pure function of (petition, reply, subject): no database, no model file. The only
heavy dependency is jieba (word segmentation for demand matching and a part-of-speech look at
candidate personal names); its dictionary loads once per process (~1 s).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import jieba
import jieba.posseg as pseg  # type: ignore[import-untyped]  # pyproject only exempts "jieba"

jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO

# --- scoring -------------------------------------------------------------------------------------
# Weights sum to 100. Answering the demands is the point of a reply, so it weighs most and is scored
# pro rata (share of demands answered). Facts, basis and the review right are the three things the
# Regulation asks a written reply to state (equal weight). Privacy, tone and "not a boilerplate" are
# pass/fail and get the rest; the two that must stop a reply from going out also cap the score.
WEIGHTS: dict[str, int] = {
    "demands": 25,
    "facts": 15,
    "basis": 15,
    "review_right": 15,
    "privacy": 10,
    "tone": 10,
    "boilerplate": 10,
}
# A reply that leaks an accuser's data or insults the petitioner must not go out however complete it
# is, so its score is capped; a boilerplate non-answer is capped lower (it answers nothing).
CAP_PRIVACY_OR_TONE = 50
CAP_BOILERPLATE = 20

# --- demand matching -----------------------------------------------------------------------------
# A demand counts as answered when the reply contains at least ANSWER_MIN_TERMS of the demand's
# content terms AND at least ANSWER_MIN_SHARE of them; a short demand (<= SHORT_DEMAND_TERMS terms,
# e.g. "首付几成？") needs one. Two terms for longer demands, because one shared word (e.g. "物业")
# is found in nearly every reply on that topic; only a quarter of them (and never more than
# ANSWER_MAX_NEEDED), because replies paraphrase
# and jieba segments them differently from the petition, so asking for most of the terms misses real
# answers. A term of 3+ characters also counts when one of its 2-character pieces is in the reply
# ("收费站" ~ "收费"). Chosen by reading teddy2020 replies (a third, and no cap, marked many demands
# a reader sees answered). Lexical matching cannot see a paraphrase, and its flags are often wrong
# (15% precision on the labelled sample in bench/RESULTS.md): an "unanswered" demand is a
# prompt to look, not a verdict.
ANSWER_MIN_TERMS = 2
ANSWER_MIN_SHARE = 1 / 4
SHORT_DEMAND_TERMS = 3  # a demand with at most this many content terms needs just one of them
ANSWER_MAX_NEEDED = 3  # never ask for more than 3 shared terms: long clauses list many side words
MAX_DEMANDS = 8  # long petitions: keep the first 8 demand clauses (the UI lists them all to a person)
MAX_DEMAND_CHARS = 120  # a demand clause longer than this is cut at the end (display and matching)

# Request markers. 请 alone only when not part of 申请/邀请/聘请/提请 (those describe, not ask).
_DEMAND_MARKER = re.compile(
    r"请求|要求|希望|恳请|恳求|请问|能否|能不能|可否|可不可以|是否|有没有|为什么|为何|何时|什么时候|"
    r"多久|怎么办|如何|怎样|建议|呼吁|敦促|盼望|期望|期盼|望能|望尽快|望早日|望相关|急需|尽快|"
    r"(?<![申邀聘提])请(?![假客示柬帖])"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE_SPLIT = re.compile(r"[，,：:、]")
_QUESTION_END = re.compile(r"[？?]\s*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")

# Words that carry no topic: pronouns, request markers, forms of address and the office vocabulary
# every reply uses (部门, 政府, 工作 …) -- matching on them would make every demand look answered.
STOPWORDS: frozenset[str] = frozenset(
    """
    我们 你们 他们 她们 它们 我的 你的 自己 大家 本人 这个 那个 这些 那些 这样 那样 这里 那里 这种
    什么 怎么 怎样 如何 为什么 为何 是否 能否 能不能 可否 有没有 何时 什么时候 多久 怎么办 哪里 哪些
    请求 要求 希望 恳请 恳求 请问 建议 呼吁 敦促 盼望 期望 期盼 尽快 急需 早日 谢谢 感谢 您好 你好
    领导 书记 市长 县长 区长 局长 主任 相关 有关 部门 单位 政府 工作 问题 情况 事情 现在 目前 已经
    一直 还是 就是 但是 而且 并且 因为 所以 如果 虽然 可是 不过 然后 以及 或者 没有 不是 可以 应该
    能够 需要 进行 处理 解决 反映 关注 重视 一下 一个 一些 很多 非常 特别 真的 到底 究竟 为了 对于
    关于 通过 根据 按照 由于 其中 以上 以下 之前 之后 今年 去年 明年 时候 时间 地方 我市 我区 我县
    网友 群众 市民 老百姓 百姓 业主 居民 给予 予以 得到 帮助 帮忙 支持 理解 回复 答复 留言 来信
    引起 满意 解释 合理 告知 具体 内容 一下 抽空 日理万机 敬请 为盼 作为 难道 多少 一样 其他 以前
    不要 就行了 拜托 麻烦 及时 落实 调查 调研 研究 核实 说法 公道 给个 这么 那么 怎么样 不能 还有
    百忙 百忙之中 知道 不知 不知道 试问 到底是 解决问题 实际问题 为民做主
    """.split()
)

# --- facts / basis / review right ----------------------------------------------------------------
# "调查" alone is not enough: forwarding notes say "已转某区调查处理" without any finding.
_FACTS = re.compile(
    r"经(?:过)?(?:调查|核查|核实|查|了解|排查|检查|现场|实地|走访|询问|调取|查阅|测量|检测|比对|复查|核对)|"
    r"经[^。；，！？]{1,15}?(?:调查|核查|核实|了解|检查|排查|查看|勘查|沟通|联系)|"
    r"据(?:查|了解|核实|调查|统计|初步统计)|据[^。；，]{1,12}?(?:反馈|报告|介绍|核实)|调查(?:发现|了解|核实|结果|显示|表明|情况)|"
    r"查明|核实(?:发现|情况|后|了)|核查|排查|查看|察看|勘查|勘察|踏勘|走访|巡查|了解到|得知|获悉|"
    r"(?:情况|问题)(?:基本)?属实|不属实|(?:到|赴|前往|上户|上门)[^。；，]{0,15}(?:现场|实地|调查|检查|了解)"
)
# A consultation (咨询 / 请问 …) asks for a rule, not an investigation: there a cited basis stands in
# for the facts found.
_CONSULTATION = re.compile(r"咨询|^\s*(?:请问|询问|想问|问一下)")
# A cited instrument: 《…》 ending like a law / regulation / policy document (so 《问政西地省》, the
# message board's column name, does not count), an article number, or a document number 〔2018〕53号.
_BASIS_STRONG = re.compile(
    r"《[^《》]{2,60}(?:法|条例|规定|办法|细则|通知|意见|决定|规划|方案|标准|规范|制度|纲要|规程|准则|"
    r"章程|批复|解释|公告|通告|目录|指南|政策)(?:（[^）]{0,20}）)?》"
    r"|第[0-9一二三四五六七八九十百零]+条|[〔\[【(（]\d{4}[〕\]】)）]\s*\d+\s*号"
    r"|\[政府发文\]"  # the data set masks document numbers as "[政府发文]53号"
)
_BASIS_WEAK = re.compile(
    r"(?:根据|依据|按照|依照|遵照|按)(?![您你])[^。；！？]{0,30}?(?:规定|政策|文件|条例|法律|法规|标准|办法|精神|"
    r"原则|职责|程序|通知|意见|合同|协议|要求)"
    r"|政策(?:规定|要求)|(?:相关|现行|有关|国家|省|市)政策"
)
# The review right: the right itself (申请/请求…复查 or 复核, or 复查机关), then a period and a body
# close to it. "经复查" / "进行了复查" (a re-inspection) is not the right.
_REVIEW_RIGHT = re.compile(
    r"(?:申请|请求|提出|要求|提请)[^。；！？]{0,15}(?:复查|复核)|(?:复查|复核)(?:申请|请求|机关)"
)
_REVIEW_PERIOD = re.compile(
    r"(?:30|３０|三十)\s*(?:日|天|个工作日)\s*(?:内|之内)|之日起[^。；]{0,10}(?:30|３０|三十)\s*(?:日|天)|"
    r"一个月内|1个月内"
)
_REVIEW_BODY = re.compile(
    r"上一级|上级|人民政府|行政机关|信访(?:工作)?(?:机构|部门|局|办)|主管部门|[市县区省州]\S{0,8}?(?:局|委|办|政府)"
)
_REVIEW_WINDOW = 100  # characters either side of the right where the period and the body must be
_OTHER_REMEDY = re.compile(r"行政复议|行政诉讼|向人民法院(?:提起|起诉)|司法途径|司法程序|法律途径")

# --- privacy -------------------------------------------------------------------------------------
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}\s*[-—－]?\s*)?[2-9]\d{6,7}(?!\d)")
# Markers of the person who reported / complained (the accuser) and of other private persons
# (当事人, 户主). Not 联系人: replies name the office's own contact person, which is fine.
# 被举报人 / 被投诉人 (the accused) are excluded: rule 5 protects the accuser.
_PERSON_MARKER = re.compile(
    r"(?<!被)(?:举报人|检举人|控告人|反映人|投诉人|信访人|来信人|申诉人|揭发人|诉求人|当事人|户主)"
    r"[：:\s（(]*"
)
# Common surnames (top ~120, enough to tell 郑俭勤 from 向镇国土所 together with jieba's 'nr' tag).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"  # no 和/与/及
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝"
)
_NAME_AFTER_MARKER = re.compile(r"[\u4e00-\u9fff]{2,4}")

# --- tone ----------------------------------------------------------------------------------------
# Small on purpose: each phrase is one no careful official would write to a petitioner. Left out after
# the run on teddy2020: "神经病" (a diagnosis there: "患有轻度神经病") and "后果自负" (said to the
# offending party in an enforcement notice, not to the petitioner). Matching is literal.
RUDE_PHRASES: tuple[str, ...] = (
    "无理取闹", "胡搅蛮缠", "刁民", "活该", "自找的", "滚开", "滚蛋", "白痴", "傻子", "愚蠢",
    "不可理喻", "别来烦", "少管闲事", "爱信不信", "你懂什么", "吃饱了撑", "闹什么", "素质低", "没素质",
)
BLAME_PHRASES: tuple[str, ...] = (
    "你自己的问题", "您自己的问题", "都怪你", "怪你自己", "咎由自取", "自己负责吧", "责任在你",
    "责任在您", "自作自受",
)
DISMISSIVE_PHRASES: tuple[str, ...] = (
    "无可奉告", "与我们无关", "与我单位无关", "与本单位无关", "不关我们的事", "不归我们管", "别再反映",
    "不要再反映", "不要再发帖", "请勿重复发帖", "不要重复发帖", "不予理睬", "自己想办法", "爱找谁找谁",
    "没空处理", "懒得",
)

# --- boilerplate ---------------------------------------------------------------------------------
# Stripped before measuring what the reply actually says: addresses, greetings, acknowledgements,
# thanks, sign-off formulas, dates.
_FORMULAS = re.compile(
    r"尊敬的|网友|“[^”]{0,24}”|\"[^\"]{0,24}\"|[A-Z]{1,2}\d{3,}|您好|你好|"
    r"(?:您|你)?(?:的|所)?(?:反映的|提出的)?(?:留言|来信|来邮|帖文|网帖|帖子|信件|问题|情况|事情|诉求)?(?:我们|我办|我局)?(?:已)?(?:收悉|已阅|收到)|"
    r"感谢[^。！!]{0,40}[。！!]?|谢谢[！!。]?|祝[^。！!]{0,12}[。！!]?|特此(?:回复|答复|函复)|"
    r"现(?:将|就)?[^。：:]{0,20}(?:回复|答复)如下[：:]?|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}|"
    r"[二〇零一二三四五六七八九十]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
_FORWARD_ONLY = re.compile(
    r"已(?:经)?(?:转|转交|转至|转办|转给|交由|移交|批转)|转(?:交|至|相关|有关)|已有相关单位作出回复|"
    r"相关部门已经答复|详见|耐心等待|敬请关注|将(?:在第一时间|及时)回复"
)
_NON_CONTENT = re.compile(r"[\s\W_]+")
BOILERPLATE_MIN_CHARS = 20  # substantive characters below which a reply says nothing
FORWARD_ONLY_MAX_CHARS = 60  # a forwarding note with no more than this (and no facts) is a non-answer


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    reason: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Demand:
    text: str
    answered: bool
    terms: tuple[str, ...]  # the demand's content terms
    matched_terms: tuple[str, ...]  # those found in the reply


@dataclass(frozen=True)
class PrecheckResult:
    score: int
    checks: list[Check] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the UI / API."""
        return asdict(self)


# --- helpers -------------------------------------------------------------------------------------


def _snippet(text: str, start: int, end: int, width: int = 18) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:right].replace("\n", " ").strip() + ("…" if right < len(text) else "")


def _snippets(text: str, matches: Iterable[re.Match[str]], limit: int = 3) -> tuple[str, ...]:
    out: list[str] = []
    for m in matches:
        s = _snippet(text, m.start(), m.end())
        if s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return tuple(out)


def content_terms(text: str) -> tuple[str, ...]:
    """Distinct jieba words of 2+ characters with a Han character, stopwords removed, in text order."""
    seen: dict[str, None] = {}
    for w in jieba.lcut(text):
        w = w.strip()
        if len(w) >= 2 and _HAN.search(w) and w not in STOPWORDS:
            seen.setdefault(w, None)
    return tuple(seen)


def extract_demands(petition: str, subject: str = "") -> list[str]:
    """Demand clauses of a petition, in order of preference:
    1. clauses with a request marker (from the clause holding it to the sentence's end), preceded by
       the subject when the subject itself asks for something ("请求解决……");
    2. if there are none, questions without a marker (their last clause, 2+ content terms so that
       "良心何在？" is not a demand) -- with explicit asks present, bare questions are mostly
       rhetorical ("蔬菜卖出去会不会中毒呢？");
    3. if there are none, the subject line (the petition's gist); else nothing."""
    marked: list[str] = []
    bare: list[str] = []
    subj = subject.strip()
    if subj and _DEMAND_MARKER.search(subj) and content_terms(subj):
        marked.append(subj[:MAX_DEMAND_CHARS])
    for sentence in _SENTENCE_SPLIT.split(petition):
        sentence = sentence.strip()
        if not sentence:
            continue
        m = _DEMAND_MARKER.search(sentence)
        if m:
            # Start at the clause that holds the marker: the preceding clauses are usually narrative.
            cut = max((c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, m.start())), default=0)
            target, clause, min_terms = marked, sentence[cut:], 1
        elif _QUESTION_END.search(sentence):
            parts = [p for p in _CLAUSE_SPLIT.split(sentence) if p.strip()]
            target, clause, min_terms = bare, parts[-1] if parts else sentence, 2
        else:
            continue
        clause = clause.strip(" \u3000，,。；;")[:MAX_DEMAND_CHARS]
        if clause and clause not in target and not any(clause in d or d in clause for d in marked) and len(content_terms(clause)) >= min_terms:
            target.append(clause)
    demands = marked or bare
    if not demands and subj and content_terms(subj):
        demands = [subj]
    return demands[:MAX_DEMANDS]


def match_demand(demand: str, reply: str) -> Demand:
    terms = content_terms(demand)
    # Substring, not token, match: jieba may cut the reply differently from the petition.
    matched = tuple(t for t in terms if t in reply or (len(t) >= 3 and any(t[i : i + 2] in reply for i in range(len(t) - 1))))
    needed = (
        1 if len(terms) <= SHORT_DEMAND_TERMS
        else min(ANSWER_MAX_NEEDED, max(ANSWER_MIN_TERMS, math.ceil(ANSWER_MIN_SHARE * len(terms))))
    )
    return Demand(text=demand, answered=bool(terms) and len(matched) >= needed, terms=terms, matched_terms=matched)


def _substantive(reply: str) -> str:
    return _NON_CONTENT.sub("", _FORMULAS.sub("", reply))


def _name_token(window: str, offset: int) -> str | None:
    """The jieba token starting at offset in window if it is tagged as a person name (nr)."""
    pos = 0
    for tok in pseg.cut(window):
        if pos == offset:
            return str(tok.word) if tok.flag == "nr" else None
        if pos > offset:
            return None
        pos += len(tok.word)
    return None


def _names_after_markers(reply: str) -> list[tuple[str, str, re.Match[str]]]:
    """(marker, name, match) for each personal name right after an accuser/person marker."""
    found: list[tuple[str, str, re.Match[str]]] = []
    for m in _PERSON_MARKER.finditer(reply):
        cand = _NAME_AFTER_MARKER.match(reply, m.end())
        if not cand or cand.group()[0] not in _SURNAMES:
            continue
        # jieba must tag a person name (nr) starting right there, cut with the marker in front so it
        # has context: "反映人向镇国土所" is 向/p 镇/n …, "举报人刘英正" is 刘英正/nr.
        name = _name_token(reply[m.start() : m.end() + 12], m.end() - m.start())
        if name is None or len(name) < 2 or "某" in name:
            continue
        found.append((m.group().rstrip("：: （(\u3000"), name, m))
    return found


# --- the checks ----------------------------------------------------------------------------------


def check_demands(demands: list[Demand]) -> Check:
    if not demands:
        return Check("demands", "逐项答复诉求", True, "来信中未识别出明确的诉求（无请求、疑问等标记），请人工确认答复是否切题。")
    missing = [d for d in demands if not d.answered]
    if not missing:
        return Check(
            "demands", "逐项答复诉求", True,
            f"识别出 {len(demands)} 项诉求，答复均涉及其关键内容。",
            tuple(f"{d.text[:30]} → {'、'.join(d.matched_terms[:4])}" for d in demands[:3]),
        )
    return Check(
        "demands", "逐项答复诉求", False,
        f"识别出 {len(demands)} 项诉求，其中 {len(missing)} 项在答复中未见对应内容"
        f"（答复须含诉求关键词的至少三分之一且不少于 2 个）：" + "；".join(f"“{d.text[:40]}”" for d in missing[:3]),
        tuple(f"{d.text[:40]}（关键词：{'、'.join(d.terms[:6])}；答复中有：{'、'.join(d.matched_terms) or '无'}）" for d in missing[:3]),
    )


def check_facts(reply: str, *, consultation: bool = False) -> Check:
    ms = list(_FACTS.finditer(reply))
    if ms:
        return Check("facts", "写明查明的事实", True, f"答复写明了调查核实情况（如“{ms[0].group()}”）。", _snippets(reply, ms))
    if consultation and _BASIS_STRONG.search(reply):
        return Check("facts", "写明查明的事实", True, "咨询类来信，答复以引用的规定作答，无需另写调查事实。")
    return Check("facts", "写明查明的事实", False, "未见“经查”“经核实”“调查发现”“现场查看”等表述，答复没有写明查明的事实。")


def check_basis(reply: str) -> Check:
    strong = list(_BASIS_STRONG.finditer(reply))
    if strong:
        return Check("basis", "写明处理依据", True, f"答复引用了具体依据（如“{strong[0].group()}”）。", _snippets(reply, strong))
    weak = list(_BASIS_WEAK.finditer(reply))
    if weak:
        return Check(
            "basis", "写明处理依据", True,
            f"答复提到了依据（“{weak[0].group()}”），但未写明具体法规名称或条款，建议补充。",
            _snippets(reply, weak),
        )
    return Check("basis", "写明处理依据", False, "未见“依据《……》第……条”“根据……规定”或政策文件等处理依据。")


def check_review_right(reply: str) -> Check:
    label = "告知复查权利"
    rights = list(_REVIEW_RIGHT.finditer(reply))
    other = _OTHER_REMEDY.search(reply)
    for m in rights:
        window = reply[max(0, m.start() - _REVIEW_WINDOW) : m.end() + _REVIEW_WINDOW]
        period, body = _REVIEW_PERIOD.search(window), _REVIEW_BODY.search(window)
        if period and body:
            return Check(
                "review_right", label, True,
                f"答复告知了复查权利、期限（“{period.group()}”）和复查机关（“{body.group()}”）。",
                (_snippet(reply, m.start(), m.end(), 40),),
            )
    if rights:
        m = rights[0]
        window = reply[max(0, m.start() - _REVIEW_WINDOW) : m.end() + _REVIEW_WINDOW]
        lacking = [name for name, rx in (("期限（收到答复之日起30日内）", _REVIEW_PERIOD), ("复查机关（如上一级行政机关）", _REVIEW_BODY))
                   if not rx.search(window)]
        return Check("review_right", label, False, f"提到了复查，但缺少{'和'.join(lacking)}。", (_snippet(reply, m.start(), m.end(), 40),))
    reason = "未告知信访人不服处理意见时的复查权利：应写明可自收到答复之日起30日内向上一级行政机关请求复查（《信访工作条例》第三十五条）。"
    if other:
        reason += f"答复提到了“{other.group()}”，但这不能代替信访复查告知。"
    return Check("review_right", label, False, reason)


def check_privacy(reply: str) -> Check:
    label = "不泄露他人信息"
    hits: list[str] = []
    evidence: list[str] = []
    for m in _MOBILE.finditer(reply):
        hits.append(f"手机号 {m.group()[:3]}****{m.group()[-4:]}")
        evidence.append(_snippet(reply, m.start(), m.end()))
    for m in _ID_NUMBER.finditer(reply):
        hits.append(f"身份证号 {m.group()[:6]}…")
        evidence.append(_snippet(reply, m.start(), m.end()))
    # Landlines are usually the office's own hotline (咨询电话), which a reply should give; one is
    # flagged only when it follows a person marker closely.
    for m in _LANDLINE.finditer(reply):
        before = reply[max(0, m.start() - 15) : m.start()]
        if _PERSON_MARKER.search(before) and not _MOBILE.fullmatch(m.group()):
            hits.append(f"个人电话 {m.group()[:4]}…")
            evidence.append(_snippet(reply, m.start(), m.end()))
    for marker, name, m in _names_after_markers(reply):
        hits.append(f"{marker}姓名“{name}”")
        evidence.append(_snippet(reply, m.start(), m.end() + len(name)))
    hits = list(dict.fromkeys(hits))  # a name repeated through the reply is one finding
    if hits:
        return Check(
            "privacy", label, False,
            "答复中出现了可能属于他人（尤其举报人、投诉人）的个人信息：" + "、".join(hits[:5])
            + "。答复不得透露举报人等第三人的身份，请删除或隐去。",
            tuple(evidence[:5]),
        )
    return Check("privacy", label, True, "未发现手机号、身份证号或举报人/投诉人等人员的姓名（办公电话、已打码号码不计）。")


def check_tone(reply: str) -> Check:
    label = "语气文明"
    found = [(kind, p) for kind, phrases in (("不文明用语", RUDE_PHRASES), ("指责信访人", BLAME_PHRASES),
                                            ("推诿敷衍", DISMISSIVE_PHRASES)) for p in phrases if p in reply]
    if found:
        ev = tuple(_snippet(reply, reply.index(p), reply.index(p) + len(p)) for _, p in found[:3])
        return Check("tone", label, False, "答复含有不当措辞：" + "；".join(f"{k}“{p}”" for k, p in found) + "。", ev)
    return Check("tone", label, True, "未发现侮辱、指责信访人或推诿敷衍的措辞。")


def check_boilerplate(reply: str, facts_found: bool) -> Check:
    label = "非套话答复"
    body = _substantive(reply)
    if len(body) < BOILERPLATE_MIN_CHARS:
        return Check(
            "boilerplate", label, False,
            f"去掉称呼、“已收悉”、致谢和日期后只剩 {len(body)} 个字，答复没有实质内容。",
            (reply.strip()[:60],),
        )
    fwd = _FORWARD_ONLY.search(reply)
    if fwd and not facts_found and len(body) <= FORWARD_ONLY_MAX_CHARS:
        return Check(
            "boilerplate", label, False,
            f"答复只告知已转交或将另行回复（“{fwd.group()}”），未答复诉求本身；应在办理后作出实质答复。",
            (_snippet(reply, fwd.start(), fwd.end(), 30),),
        )
    return Check("boilerplate", label, True, f"答复有实质内容（去掉套话后 {len(body)} 字）。")


def precheck(petition: str, reply: str, *, subject: str = "") -> PrecheckResult:
    """Run every check of a reply against its petition; see the module docstring for the rules."""
    petition, reply = petition or "", reply or ""
    demands = [match_demand(d, reply) for d in extract_demands(petition, subject)]
    facts = check_facts(reply, consultation=bool(_CONSULTATION.search(subject) or _CONSULTATION.match(petition)))
    checks = [
        check_demands(demands),
        facts,
        check_basis(reply),
        check_review_right(reply),
        check_privacy(reply),
        check_tone(reply),
        check_boilerplate(reply, facts.passed),
    ]
    score = 0.0
    for c in checks:
        if c.key == "demands" and demands:
            score += WEIGHTS["demands"] * sum(d.answered for d in demands) / len(demands)
        elif c.passed:
            score += WEIGHTS[c.key]
    by_key = {c.key: c for c in checks}
    if not by_key["privacy"].passed or not by_key["tone"].passed:
        score = min(score, CAP_PRIVACY_OR_TONE)
    if not by_key["boilerplate"].passed:
        score = min(score, CAP_BOILERPLATE)
    return PrecheckResult(score=int(round(score)), checks=checks, demands=demands)
