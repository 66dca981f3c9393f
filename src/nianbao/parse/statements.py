"""The standard statements of a 年度报告's narrative, as patterns on normalised prose.

Each pattern reads one figure and says what it is about (a fact key). Matching happens on the
normalised, line-joined text of one paragraph (:func:`nianbao.prose.flatten`): half-width punctuation
(，→, ；→; （）→()), no spaces between digits and CJK. Numbers may be Arabic or Chinese numerals
(二十, 两, 一百零五); 近/约/超/逾 before and 余/多 after a number make it approximate (qualifier
``approx``), and rules never raise an error on an approximate figure.

Fact keys (value, unit):

========================  ============================================================================
``requests.received``     新收/收到/受理/接收…申请 N 件 (qualifier ``incl_carry_in`` when 含上年结转 applies,
                          ``verb:新收`` etc. records the verb)
``requests.handled``      办理/答复/办结…(申请) N 件
``requests.carry_in``     上年结转 N 件, (含上年度结转申请 N 件)
``requests.carry_out``    结转下年度/结转下一年/顺延至下年度/转下一年度办理 N 件, N 件转结下年度
``applicants.natural``    自然人(申请) N 件
``applicants.legal``      法人或其他组织(申请) N 件
``applicants.person_times``  涉及自然人及法人… N 人次 (unit 人次)
``outcome.<group>``       予以公开 (open), 部分公开 (partial), 予以公开及部分公开 (open_partial),
                          不予公开 (deny), 无法提供 (unable), 不予处理 (noproc), 其他处理 (other)
``percent.<group>``       the percentage next to an outcome (unit %, a Decimal); ``of_received`` or
                          ``of_handled`` when the text names the denominator
``review.total``          行政复议 N 件 (``none`` for 未发生行政复议; ``all_upheld`` / ``all_concluded``
                          for 均获维持 / 均已审结 in the same sentence)
``suit.total``            行政诉讼 N 件 (same qualifiers)
``review_suit.none``      未发生行政复议、行政诉讼 (value 0)
``documents.issued``      制发/出台/印发 规范性文件 N 件
``documents.repealed``    废止 N 件 (in a sentence about 规范性文件)
``documents.valid``       现行有效 N 件 (same)
``fee.notices``           发出收费通知 N 件; 未发出收费通知 → 0 with ``none`` (part 六 only)
``fee.notice_amount``     收费通知的金额 X 元 (unit 元)
``fee.collected``         实际收取 Z 元, 收取信息处理费共计 Z 元; 未收取信息处理费 → 0 with ``none``
========================  ============================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.numerals import NUMBER_PATTERN, parse_number
from nianbao.prose import sentence_bounds

NUM = rf"(?P<pre>近|约|超过|超|逾|大约)?(?P<num>{NUMBER_PATTERN})(?P<suf>余|多)?"
UNIT = r"(?:件|宗|份|个)(?!次)"
# A gap inside one clause: no digits, no clause punctuation, no brackets.
_GAP_CHARS = r"[^\d,。;:!?()\[\]]"

OUTCOME_WORDS: dict[str, str] = {
    "open_partial": r"予以公开(?:及|和|与|、)部分公开",
    "open": r"(?:予以公开|同意公开)(?!及|和|与|、部分)",
    "partial": r"(?<!予以公开及)(?<!予以公开和)(?<!予以公开、)(?<!予以公开与)部分公开",
    "deny": r"不予公开",
    "unable": r"无法提供",
    "noproc": r"不予处理",
    "other": r"其他处理",
}


@dataclass
class Statement:
    """One figure read from a normalised text: offsets are into that text."""

    key: str
    value: int | Decimal
    start: int  # start of the matched phrase
    end: int  # end of the matched phrase
    num_start: int  # start of the number (where findings point)
    unit: str = "件"
    qualifiers: list[str] = field(default_factory=list)


def _value(m: re.Match[str]) -> int | Decimal | None:
    return parse_number(m.group("num"))


def _approx(m: re.Match[str]) -> list[str]:
    return ["approx"] if (m.group("pre") or m.group("suf")) else []


def _window_before(text: str, pos: int, n: int) -> str:
    """Up to ``n`` characters before ``pos`` within the same clause."""
    return _CLAUSE_MARK.split(text[max(0, pos - n) : pos])[-1]


_CLAUSE_MARK = re.compile(r"[,。;:!?]")


# ---- requests ---------------------------------------------------------------------------------------

_RECEIVED_VERBS = ("新收", "收到", "受理", "接收", "接到")
_RECEIVED_RE = re.compile(
    rf"(?P<verb>{'|'.join(_RECEIVED_VERBS)})(?P<gap>{_GAP_CHARS}{{0,25}}?)(?:共计|共|合计|总计|数量为|为|达)?{NUM}{UNIT}"
)
_REQUEST_NOUN = re.compile(r"申请|依申请")
_NOT_REQUESTS = re.compile(
    r"复议|诉讼|信访|投诉|建议|提案|来信|来电|举报|咨询|留言|案件|热线|许可|审批|登记|补贴|办件|事项|工单"
)
# What is left of a gap that names no kind of application: 「受理申请20件」, 「收到各类申请20件」.
_PLAIN_GAP = re.compile(r"^(?:各类|有关|相关|的|群众|申请人?|提出|提交|共|了)*$")
_DISCLOSURE = re.compile(r"公开|依申请")

_HANDLED_VERBS = ("办理", "答复", "办结", "处理")
_HANDLED_RE = re.compile(
    rf"(?P<verb>{'|'.join(_HANDLED_VERBS)})(?P<gap>{_GAP_CHARS}{{0,25}}?)(?:共计|共|合计|总计|数量为|为|达)?{NUM}{UNIT}"
)
_HANDLED_GAP_BAD = re.compile(
    r"复议|诉讼|案件|信访|投诉|建议|提案|予以|同意|部分|不予|无法|其他|中|结转|转结|人大|政协|来信|热线"
    r"|许可|审批|登记|事项|工单|办件"
)
_HANDLED_BEFORE_BAD = re.compile(r"不予|其他|无法|公开|结转|转结|顺延|下年|下一年|继续|同意|区分|转$")
_BARE_GAPS = {"", "答复", "完毕", "完成", "了", "办结", "办理"}

_CARRY_IN_RE = re.compile(
    rf"(?P<lead>含)?(?:上一?年度?|去年|上年)的?(?:结转|转结)(?P<gap>{_GAP_CHARS}{{0,15}}?)(?:共计|共|为)?{NUM}{UNIT}"
)
_CARRY_IN_FLAG_RE = re.compile(r"含(?:上一?年度?|去年)的?(?:结转|转结)")
_NEXT_YEAR = r"(?:下一?年度?|次年度?|\d{4}年度?)"
_CARRY_OUT_RE = re.compile(
    rf"(?:结转|转结|顺延|转入|转)(?:至|到|入)?{_NEXT_YEAR}(?:继续)?(?:办理|答复|处理)*的?(?:申请)?(?:有|共|为)?{NUM}{UNIT}"
)
_CARRY_WORD_RE = re.compile(r"结转|转结|顺延|转入")
_CARRY_OUT_BEFORE_RE = re.compile(
    rf"{NUM}{UNIT}(?:政府信息公开)?(?:申请)?(?:需|将|已|均)?(?:结转|转结|顺延|转入)(?:至|到|入)?{_NEXT_YEAR}"
)

# ---- applicants --------------------------------------------------------------------------------------

_NATURAL_RE = re.compile(rf"(?<![及和与、])自然人(?:提出的?|提交的?|的)?(?:申请人?)?(?:共|为|有)?{NUM}{UNIT}")
_LEGAL_RE = re.compile(
    rf"(?<![及和与、])法人(?:或者?|和|及|与)?(?:其他)?组织(?:提出的?|提交的?|的)?(?:申请人?)?(?:共|为|有)?{NUM}{UNIT}"
)
_PERSON_TIMES_RE = re.compile(
    rf"(?:自然人|法人|申请人|其他组织)(?P<gap>{_GAP_CHARS}{{0,15}}?)(?:共计|共|合计)?{NUM}人次"
)

# ---- outcomes and percentages -----------------------------------------------------------------------

# Literal words of OUTCOME_WORDS: every match of a group's patterns contains one of its words.
_OUTCOME_LITERALS: dict[str, tuple[str, ...]] = {
    "open_partial": ("部分公开",),
    "open": ("予以公开", "同意公开"),
    "partial": ("部分公开",),
    "deny": ("不予公开",),
    "unable": ("无法提供",),
    "noproc": ("不予处理",),
    "other": ("其他处理",),
}
_OUTCOME_RES: dict[str, re.Pattern[str]] = {
    group: re.compile(
        rf"(?P<word>{word})(?:的|答复的?|申请|类|决定)?(?:共|为|有)?{NUM}(?P<u>{UNIT})"
        rf"(?:\((?P<pct1>\d+(?:\.\d+)?)%|,?占(?:比|[^,。;%\d]{{0,10}}?的)?(?P<pct2>\d+(?:\.\d+)?)%)?"
    )
    for group, word in OUTCOME_WORDS.items()
}
_PERCENT_ALONE_RES: dict[str, re.Pattern[str]] = {
    group: re.compile(
        rf"(?P<word>{word})(?:的|申请|件数|数量)?(?:占|占比|比例为|比例|率为|率)(?P<den>[^,。;%\d]{{0,12}}?)(?:的|为)?(?P<pct>\d+(?:\.\d+)?)%"
    )
    for group, word in OUTCOME_WORDS.items()
}

# ---- review and suit ---------------------------------------------------------------------------------

_COUNT_WORDS = r"(?:案件|申请|案)?(?:数量?为|数|共计|共|合计|总计|为|有)*"
_REVIEW_RE = re.compile(rf"(?:被申请)?行政复议{_COUNT_WORDS}{NUM}{UNIT}")
_SUIT_RE = re.compile(rf"(?:被提起|被起诉|提起)?行政诉讼{_COUNT_WORDS}{NUM}{UNIT}")
_REVIEW_BEFORE_RE = re.compile(
    rf"{NUM}{UNIT}(?P<gap>{_GAP_CHARS}{{0,15}}?)行政复议(?!(?:和|、|及|或|与)(?:被?提起)?行政诉讼|纠错|决定|机关)"
)
_SUIT_BEFORE_RE = re.compile(rf"{NUM}{UNIT}(?P<gap>{_GAP_CHARS}{{0,15}}?)行政诉讼(?!败诉|判决)")
_REVIEW_WORD_RE = re.compile("行政复议")
_SUIT_WORD_RE = re.compile("行政诉讼")
_NONE_BOTH_RE = re.compile(
    rf"未(?:发生|出现|有)(?P<gap>{_GAP_CHARS}{{0,20}}?)行政复议(?:[、和及或与]|或者)(?:被?提起|被)?行政诉讼(?!败诉|纠错)"
)
_NONE_REVIEW_RE = re.compile(
    rf"未(?:发生|出现|有)(?P<gap>{_GAP_CHARS}{{0,20}}?)行政复议(?=案件|情况|的情况|情形|事项|[,。;]|$)"
)
_NONE_SUIT_RE = re.compile(
    rf"未(?:发生|出现|有)(?P<gap>{_GAP_CHARS}{{0,20}}?)行政诉讼(?=案件|情况|的情况|情形|事项|[,。;]|$)"
)
_ALL_UPHELD_RE = re.compile(r"均获维持|全部维持|均维持|均被维持|均予维持|均予以维持|全部获得维持")
_ALL_CONCLUDED_RE = re.compile(r"均已审结|全部审结|均已结案|全部结案")

# ---- documents ---------------------------------------------------------------------------------------

_DOC_ISSUED_RE = re.compile(
    rf"(?:制发|出台|印发|制定|新制定|发布)(?P<gap>{_GAP_CHARS}{{0,12}}?)规范性文件(?:共计|共|合计)?{NUM}{UNIT}"
)
_DOC_REPEALED_RE = re.compile(rf"废止(?:了)?(?:行政)?(?:规范性文件)?(?:共计|共)?{NUM}{UNIT}")
_DOC_VALID_RE = re.compile(rf"现行有效(?:的)?(?:行政)?(?:规范性文件)?(?:共计|共|为)?{NUM}{UNIT}")

# ---- fees (part 六) ----------------------------------------------------------------------------------

YUAN = r"元"
_FEE_NO_NOTICE_RE = re.compile(rf"(?:未|没有)(?:发出|出具|发送|开具)(?P<gap>{_GAP_CHARS}{{0,10}}?)收费通知")
_FEE_NONE_RE = re.compile(rf"(?:未|没有|无)(?:收取|产生|发生)(?P<gap>{_GAP_CHARS}{{0,12}}?)(?:处理费|收费)")
_FEE_NOTICES_RE = re.compile(
    rf"(?<![未没])(?:发出|出具|发送|开具)(?P<gap>{_GAP_CHARS}{{0,10}}?)收费通知(?:书)?(?:共计|共|合计)?{NUM}{UNIT}"
)
_FEE_AMOUNT_RE = re.compile(rf"(?:总金额|金额|应收|合计金额)(?:共计|为|共)?{NUM}(?P<wan>万)?{YUAN}")
_FEE_ACTUAL_RE = re.compile(
    rf"实际收取(?P<gap>{_GAP_CHARS}{{0,10}}?)(?:共计|合计|总额为?|金额为?|为)?{NUM}(?P<wan>万)?{YUAN}"
)
_FEE_COLLECTED_RE = re.compile(
    rf"(?<![未没不])收取(?:了)?(?:政府)?信息(?:公开)?处理费(?:共计|合计|总计|共|总额为?|金额为?|为)?{NUM}(?P<wan>万)?{YUAN}"
)


def _stmt(
    key: str, m: re.Match[str], value: int | Decimal, unit: str = "件", quals: list[str] | None = None
) -> Statement:
    return Statement(
        key=key,
        value=value,
        start=m.start(),
        end=m.end(),
        num_start=m.start("num") if "num" in m.re.groupindex and m.group("num") else m.start(),
        unit=unit,
        qualifiers=[*(quals or []), *(_approx(m) if "num" in m.re.groupindex else [])],
    )


def _near(pattern: re.Pattern[str], keyword: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a number-first ``pattern`` («有1件…行政复议») tried only around ``keyword``.

    A pattern that starts with a number is tried at every position by the regex engine; anchoring it
    on its keyword keeps the facts pass fast on long paragraphs.
    """
    seen: set[int] = set()
    for k in keyword.finditer(text):
        for m in pattern.finditer(text, max(0, k.start() - 40), min(len(text), k.end() + 12)):
            if m.start() not in seen:
                seen.add(m.start())
                yield m


def _counts(
    key: str, pattern: re.Pattern[str], text: str, near: re.Pattern[str] | None = None
) -> Iterator[Statement]:
    for m in pattern.finditer(text) if near is None else _near(pattern, near, text):
        value = _value(m)
        if value is not None:
            yield _stmt(key, m, value)


def _requests(text: str) -> Iterator[Statement]:
    # A paragraph about 依申请公开: bare counts (「共办理718件」, 「受理申请20件」) belong to it.
    has_request_context = bool(_REQUEST_NOUN.search(text)) and bool(_DISCLOSURE.search(text))

    def received_ok(m: re.Match[str]) -> bool:
        gap = m.group("gap")
        if not _REQUEST_NOUN.search(gap) or _NOT_REQUESTS.search(gap):
            return False
        if re.search(r"不予|未|不$", _window_before(text, m.start(), 3)):
            return False
        return "公开" in gap or (bool(_PLAIN_GAP.match(gap)) and has_request_context)

    # Each pattern below starts with one of a few words: a text without them is not scanned.
    received = _RECEIVED_RE.finditer(text) if any(w in text for w in _RECEIVED_VERBS) else ()
    for m in received:
        value = _value(m)
        if value is None or not received_ok(m):
            continue
        yield _stmt("requests.received", m, value, quals=[f"verb:{m.group('verb')}"])

    def handled_ok(m: re.Match[str]) -> bool:
        gap = m.group("gap")
        if _HANDLED_GAP_BAD.search(gap) or _HANDLED_BEFORE_BAD.search(_window_before(text, m.start(), 6)):
            return False
        if re.search(r"未$|尚未$", _window_before(text, m.start(), 2)):
            return False
        if "公开" in gap and (_REQUEST_NOUN.search(gap) or "信息" in gap):
            return True
        # 「共办理718件」 after 「受理…申请749件」: a bare count in a paragraph about applications.
        return (gap in _BARE_GAPS or bool(_PLAIN_GAP.match(gap))) and has_request_context

    handled = _HANDLED_RE.finditer(text) if any(w in text for w in _HANDLED_VERBS) else ()
    for m in handled:
        value = _value(m)
        if value is None or not handled_ok(m):
            continue
        yield _stmt("requests.handled", m, value, quals=[f"verb:{m.group('verb')}"])

    carried_in = _CARRY_IN_RE.finditer(text) if "结转" in text or "转结" in text else ()
    for m in carried_in:
        value = _value(m)
        if value is None or re.search(r"下一?年|次年", m.group("gap")):
            continue
        yield _stmt("requests.carry_in", m, value, quals=["in_parentheses"] if m.group("lead") else [])

    if "转" in text or "顺延" in text:
        yield from _counts("requests.carry_out", _CARRY_OUT_RE, text)
        yield from _counts("requests.carry_out", _CARRY_OUT_BEFORE_RE, text, near=_CARRY_WORD_RE)


def _applicants(text: str) -> Iterator[Statement]:
    yield from _counts("applicants.natural", _NATURAL_RE, text)
    yield from _counts("applicants.legal", _LEGAL_RE, text)
    for m in _PERSON_TIMES_RE.finditer(text):
        value = _value(m)
        if value is not None and not re.search(r"培训|参训|参加|会议|活动|访问|浏览", m.group("gap")):
            yield _stmt("applicants.person_times", m, value, unit="人次")


def _outcomes(text: str) -> Iterator[Statement]:
    taken: list[tuple[int, int]] = []
    present = {group for group, words in _OUTCOME_LITERALS.items() if any(w in text for w in words)}
    for group, pattern in _OUTCOME_RES.items():
        if group not in present:
            continue  # the pattern cannot match without its word
        for m in pattern.finditer(text):
            value = _value(m)
            if value is None or any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            count = _stmt(f"outcome.{group}", m, value)
            count.end = m.end("u")  # the quote stops at 件; the percentage is a fact of its own
            yield count
            pct = m.group("pct1") or m.group("pct2")
            if pct:
                pstart = m.start("pct1") if m.group("pct1") else m.start("pct2")
                yield Statement(f"percent.{group}", Decimal(pct), m.start(), m.end(), pstart, "%", [])
    if "%" not in text:
        return
    for group, pattern in _PERCENT_ALONE_RES.items():
        if group not in present:
            continue
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            den = m.group("den")
            quals = ["of_received"] if re.search(r"受理|收到|新收|申请总", den) else []
            quals += ["of_handled"] if re.search(r"办理|办结|答复", den) else []
            yield Statement(
                f"percent.{group}", Decimal(m.group("pct")), m.start(), m.end(), m.start("pct"), "%", quals
            )


def _about_disclosure(text: str, pos: int, bounds: list[tuple[int, int]]) -> bool:
    """The sentence at ``pos`` or the one before it is about 政府信息公开 (a 县政府 report may also state
    all its 行政复议 cases, which table 四 does not count)."""
    for i, (s, e) in enumerate(bounds):
        if s <= pos < e:
            start = bounds[i - 1][0] if i > 0 else s
            return bool(re.search(r"信息公开|依申请|公开申请", text[start:e]))
    return False


def _review(text: str, in_part: bool = False) -> Iterator[Statement]:
    """Statements on 行政复议/行政诉讼; ``in_part``: the paragraph is in part 四, where every case counts."""
    bounds = sentence_bounds(text)
    for st in _review_statements(text):
        if in_part or _about_disclosure(text, st.num_start, bounds):
            yield st


def _review_statements(text: str) -> Iterator[Statement]:
    seen: set[tuple[str, int]] = set()
    for key, patterns in (
        ("review.total", ((_REVIEW_RE, None), (_REVIEW_BEFORE_RE, _REVIEW_WORD_RE))),
        ("suit.total", ((_SUIT_RE, None), (_SUIT_BEFORE_RE, _SUIT_WORD_RE))),
    ):
        for pattern, near in patterns:
            for st in _counts(key, pattern, text, near):
                if (key, st.num_start) not in seen:
                    seen.add((key, st.num_start))
                    yield st
    for m in _NONE_BOTH_RE.finditer(text):
        yield Statement("review_suit.none", 0, m.start(), m.end(), m.start(), "件", ["none"])
    both = [(m.start(), m.end()) for m in _NONE_BOTH_RE.finditer(text)]
    for key, pattern in (("review.total", _NONE_REVIEW_RE), ("suit.total", _NONE_SUIT_RE)):
        for m in pattern.finditer(text):
            if re.search(r"纠错|败诉|违反", m.group("gap")) or any(s <= m.start() < e for s, e in both):
                continue
            yield Statement(key, 0, m.start(), m.end(), m.start(), "件", ["none"])


def _documents(text: str) -> Iterator[Statement]:
    for s, e in sentence_bounds(text):
        sentence = text[s:e]
        if "规范性文件" not in sentence:
            continue
        for key, pattern in (
            ("documents.issued", _DOC_ISSUED_RE),
            ("documents.repealed", _DOC_REPEALED_RE),
            ("documents.valid", _DOC_VALID_RE),
        ):
            for st in _counts(key, pattern, sentence):
                st.start, st.end, st.num_start = st.start + s, st.end + s, st.num_start + s
                yield st


def _money(m: re.Match[str]) -> int | Decimal | None:
    value = _value(m)
    if value is not None and m.group("wan"):
        value = value * 10_000
    return value


def _fees(text: str) -> Iterator[Statement]:
    for m in _FEE_NO_NOTICE_RE.finditer(text):
        yield Statement("fee.notices", 0, m.start(), m.end(), m.start(), "件", ["none"])
    for m in _FEE_NONE_RE.finditer(text):
        if "收费通知" not in m.group("gap"):
            yield Statement("fee.collected", 0, m.start(), m.end(), m.start(), "元", ["none"])
    for m in _FEE_NOTICES_RE.finditer(text):
        value = _value(m)
        if value is None:
            continue
        yield _stmt("fee.notices", m, value)
        # The amount of those notices follows in the same sentence, before 实际收取.
        rest_end = min((e for s, e in sentence_bounds(text) if s <= m.end() < e), default=len(text))
        rest = text[m.end() : rest_end]
        cut = rest.find("实际")
        am = _FEE_AMOUNT_RE.search(rest if cut < 0 else rest[:cut])
        if am is not None and (amount := _money(am)) is not None:
            yield Statement(
                "fee.notice_amount",
                amount,
                m.end() + am.start(),
                m.end() + am.end(),
                m.end() + am.start("num"),
                "元",
                _approx(am),
            )
    for pattern in (_FEE_ACTUAL_RE, _FEE_COLLECTED_RE):
        for m in pattern.finditer(text):
            value = _money(m)
            if value is not None:
                yield _stmt("fee.collected", m, value, unit="元")


_CLAUSE_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)年")
_CLAUSE_PRIOR_RE = re.compile(r"(?:上一?年度?|去年|上年同期)(?!结转|转结|度?结转)|同比|较上年")


def _clause_years(text: str, statements: list[Statement]) -> None:
    """A year named in the figure's own clause (「2023年受理申请30件」): ``year:2023``, or ``prior_year``
    for 上年/去年 (but not 上年结转). Rules compare only figures of the report year."""
    for st in statements:
        clause = _window_before(text, st.start, 20)
        year = _CLAUSE_YEAR_RE.search(clause)
        if year is not None:
            st.qualifiers.append(f"year:{year.group(1)}")
        if _CLAUSE_PRIOR_RE.search(clause):
            st.qualifiers.append("prior_year")


def _qualify(text: str, statements: list[Statement]) -> None:
    """Sentence-level qualifiers: 含上年结转 and 均获维持/均已审结."""
    for s, e in sentence_bounds(text):
        inside = sorted((st for st in statements if s <= st.num_start < e), key=lambda st: st.num_start)
        for flag in _CARRY_IN_FLAG_RE.finditer(text, s, e):
            # 「办结1191件（含上年结转189件）」: 含上年结转 belongs to the nearest count before it.
            before = [
                st
                for st in inside
                if st.num_start < flag.start() and st.key in ("requests.received", "requests.handled")
            ]
            if before and "incl_carry_in" not in before[-1].qualifiers:
                before[-1].qualifiers.append("incl_carry_in")
        sentence = text[s:e]
        for regex, qual in ((_ALL_UPHELD_RE, "all_upheld"), (_ALL_CONCLUDED_RE, "all_concluded")):
            hit = regex.search(sentence)
            if hit is None:
                continue
            for st in inside:
                if st.key in ("review.total", "suit.total") and st.num_start < s + hit.start():
                    st.qualifiers.append(qual)


def find_statements(text: str, *, part: str | None = None) -> list[Statement]:
    """Every standard statement in one normalised paragraph text, in text order.

    ``part`` is the canonical key of the paragraph's part: fee statements are read in part 六 (``other``)
    only, and in part 四 (``review``) every 行政复议/行政诉讼 figure is about 政府信息公开.
    """
    out: list[Statement] = []
    # Cheap keyword tests first: most paragraphs state none of these figures.
    counted = "件" in text or "人次" in text or "%" in text
    if counted and ("申请" in text or "转" in text or "顺延" in text or "办" in text or "答复" in text):
        out.extend(_requests(text))
    if counted and ("自然人" in text or "法人" in text or "申请人" in text):
        out.extend(_applicants(text))
    if counted and ("公开" in text or "提供" in text or "处理" in text):
        out.extend(_outcomes(text))
    if "复议" in text or "诉讼" in text:
        out.extend(_review(text, in_part=part == "review"))
    if counted and "规范性文件" in text:
        out.extend(_documents(text))
    if part == "other" and "费" in text:
        out.extend(_fees(text))
    if out:  # both only annotate statements
        _qualify(text, out)
        _clause_years(text, out)
    out.sort(key=lambda st: (st.num_start, st.key))
    return out
