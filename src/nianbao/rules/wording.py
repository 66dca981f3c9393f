"""Wording: approximations of exact figures, truncated paragraphs, duplicated words, half-width punctuation,
「均已办结」 against cases carried over, and citations (format-2021 §2 G, R41–R44)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Paragraph, Report
from nianbao.model.template import T3_COL_LABEL
from nianbao.prose import FlatText, flatten, sentence_bounds
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.shared import prose
from nianbao.rules.textfacts import t3_label, t3_row_total, table3

_CJK = "\u3400-\u9fff"


def _at(para: Paragraph, flat: FlatText, index: int) -> Location:
    return Location(span=para.span_at(flat.source_offset(index)), part=para.part)


def _raw(para: Paragraph, flat: FlatText, start: int, end: int) -> str:
    """The original text (as written, full-width marks kept, whitespace removed) of ``flat.text[start:end]``."""
    if end <= start:
        return ""
    return "".join(para.text[flat.source_offset(start) : flat.source_offset(end - 1) + 1].split())


def _excerpt(para: Paragraph, flat: FlatText, start: int, end: int, pad: int = 8) -> str:
    """The match with up to ``pad`` characters of its clause on each side, as written."""
    left = len(re.split(r"[,。;:!?]", flat.text[max(0, start - pad) : start])[-1])
    right = len(re.split(r"[,。;:!?]", flat.text[end : end + pad])[0])
    return _raw(para, flat, start - left, end + right)


_APPROX_RE = re.compile(r"(?<![\d.,])(?P<pre>约|大约)?(?P<num>\d{2,})(?![\d.,])(?P<suf>余|多)?")


_APPROX_WORDS = re.compile("[约余多]")


def _round(n: int) -> bool:
    """True for figures one would write with 余/约 (multiples of ten, or small numbers)."""
    return n % 10 == 0 or n <= 10


@register
class ExactApproximation(Rule):
    """不是整十整百的确切数字不应写成约数（如“4376余条”“约4376条”）。

    What it checks: an integer that is not a multiple of ten followed by 余/多, or one of three or more
    digits after 约.

    Why: 余 and 约 belong to round figures; 「4376余条」 is neither exact nor approximate and looks like a
    figure edited by hand.

    Bad: 「全年发布信息4376余条」.
    Good: 「全年发布信息4376条」 or 「全年发布信息4300余条」; 「300余条」 is fine.
    """

    code = "WD-APPROX"
    name = "wording.approximate_exact"
    category = Category.WORDING
    severity = Severity.INFO
    refs = ("R41",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for para in prose(report):
            flat = flatten(para.text)
            if not _APPROX_WORDS.search(flat.text):
                continue  # every finding needs 约, 余 or 多
            for m in _APPROX_RE.finditer(flat.text):
                n = int(m.group("num"))
                word = m.group("suf") or m.group("pre")
                if word is None or _round(n) or (m.group("pre") and not m.group("suf") and n < 100):
                    continue
                if m.group("suf") is None and flat.text[m.end() : m.end() + 1] in ("%", "年", "."):
                    continue
                yield self.finding(
                    f"“{_excerpt(para, flat, m.start(), m.end(), 4)}”中的{n}是精确数，不宜再加“{word}”，"
                    f"应写作“{n}”或取整后加“{word}”。",
                    _at(para, flat, m.start("num")),
                    expected=str(n),
                    actual=_raw(para, flat, m.start(), m.end()),
                    evidence=[_excerpt(para, flat, m.start(), m.end())],
                )


_LIST_START_RE = re.compile(r"一是|1[.、]|\(1\)|①|首先")
_HEADING_START_RE = re.compile(r"\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、")


def _paragraph_ends(para: Paragraph, nxt: Paragraph | None) -> bool:
    """True when ``para`` really ends where its text ends.

    Text extracted from PDF has no blank lines, and the section parser breaks paragraphs after a line
    ending in 「；」; such a break followed by more prose on the very next line is a wrapped paragraph,
    not a truncated one. A following paragraph after a blank line, in another part, or opening a
    heading (「（三）…」) means the text really stopped.
    """
    if nxt is None or nxt.part != para.part:
        return True
    head = flatten(nxt.text).text[:6]
    if _LIST_START_RE.match(head):
        return False  # a list introduced with the wrong mark is not a cut-off sentence
    last_line = para.span.end_line or para.span.line or 0
    return (nxt.span.line or 0) > last_line + 1 or bool(_HEADING_START_RE.match(head))


@register
class TruncatedParagraph(Rule):
    """段落应以完整的句子结束，不应以“；”或“，”结尾。

    What it checks: the last character of each narrative paragraph that really ends there (followed by a
    blank line, a heading or another part). A paragraph that introduces a list (the next one starts
    with 「一是」, 「1.」, 「（1）」) is left alone.

    Why: a paragraph that stops on a comma or semicolon is usually the trace of figures deleted from a
    copied text.

    Bad: 「（二）依申请公开情况。2024年，共办理依申请公开20件，涉及自然人及法人共5人次；」
    Good: 「（二）依申请公开情况。2024年，共办理依申请公开20件，涉及自然人及法人共5人次。」
    """

    code = "WD-TRUNCATED"
    name = "wording.truncated"
    category = Category.WORDING
    severity = Severity.INFO
    refs = ("R42",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        paras = prose(report)
        for i, para in enumerate(paras):
            text = para.text.rstrip()
            if not text or text[-1] not in "；，;,":
                continue
            if not _paragraph_ends(para, paras[i + 1] if i + 1 < len(paras) else None):
                continue
            tail = "".join(text[-20:].split())
            yield self.finding(
                f"段落以“{text[-1]}”结尾，句子不完整：“…{tail}”。",
                Location(span=para.span_at(len(text) - 1), part=para.part),
                expected="。",
                actual=text[-1],
                evidence=[tail],
            )


_DUP_RE = re.compile(rf"([{_CJK}]{{2,6}}?)\1")


@register
class DuplicatedWord(Rule):
    """两个字以上的词语不应连续重复（如“资金资金”）。

    What it checks: the same run of 2–6 Chinese characters repeated immediately. Single-character
    reduplication (常常, 人人, 一一) and phrases that start with 一 (一步一步) are not flagged.

    Why: a doubled word is a typing or copy-and-paste slip that a reader notices at once.

    Bad: 「2023年上海市科技计划资金资金分配结果」.
    Good: 「2023年上海市科技计划资金分配结果」.
    """

    code = "WD-DUP-WORD"
    name = "wording.duplicated_word"
    category = Category.WORDING
    severity = Severity.WARNING
    refs = ("R42",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for para in prose(report):
            flat = flatten(para.text)
            for m in _DUP_RE.finditer(flat.text):
                word = m.group(1)
                if word.startswith("一"):
                    continue
                yield self.finding(
                    f"“{_excerpt(para, flat, m.start(), m.end(), 4)}”中“{word}”重复。",
                    _at(para, flat, m.start() + len(word)),
                    expected=word,
                    actual=_raw(para, flat, m.start(), m.end()),
                    evidence=[_excerpt(para, flat, m.start(), m.end())],
                )


_PUNCT_RE = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]*(?P<p>[,;:])[ \t\u3000]*(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "："}


@register
class HalfWidthPunctuation(Rule):
    """中文之间的逗号、分号和冒号应使用全角符号。

    What it checks: ASCII comma, semicolon and colon with Chinese text on both sides, once per paragraph
    (the first place, and how many there are).

    Why: Chinese official documents use full-width punctuation (GB/T 15834); half-width marks show text
    pasted from another source.

    Bad: 「…以及其他需要报告的事项等六部分, 并附相关指标统计表。」
    Good: 「…以及其他需要报告的事项等六部分，并附相关指标统计表。」
    """

    code = "WD-PUNCT"
    name = "wording.half_width_punctuation"
    category = Category.WORDING
    severity = Severity.INFO
    refs = ("R42",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for para in prose(report):
            text = para.text
            if "," not in text and ";" not in text and ":" not in text:
                continue  # the half-width marks _PUNCT_RE looks for
            hits = list(_PUNCT_RE.finditer(text))
            if not hits:
                continue
            first = hits[0]
            mark = first.group("p")
            around = "".join(para.text[max(0, first.start() - 6) : first.end() + 6].split())
            more = f"（本段共{len(hits)}处）" if len(hits) > 1 else ""
            yield self.finding(
                f"“{around}”中使用了半角“{mark}”，应为全角“{_FULL[mark]}”{more}。",
                Location(span=para.span_at(first.start("p")), part=para.part),
                expected=_FULL[mark],
                actual=mark,
                evidence=["".join(para.text[max(0, h.start() - 6) : h.end() + 6].split()) for h in hits[:5]],
            )


_ALL_DONE_RE = re.compile(
    r"(?:均已|已全部|全部已|均|全部)(?:按[^,。;]{0,6}?|在[^,。;]{0,8}?)?(?:办结|办理完成|办理完毕|处理完毕|答复完毕|完成办理|办理结束)"
)


@register
class AllDoneContradiction(Rule):
    """有申请结转下年度继续办理时，正文不应称申请“均已办结”。

    What it checks: a sentence about applications that says they were all closed (「均已办结」,
    「所有申请均已按要求办理完成」) while table 三 row 四、结转下年度继续办理 is above 0 or the text itself
    reports cases carried over (「转下一年度办理答复的有1件」).

    Why: the two statements cannot both be true; one of them was copied from another year.

    Bad: 「所有申请均已按要求办理完成……转下一年度办理答复的有1件」.
    Good: 「已办结35件，结转下年度继续办理1件」, or 「除1件结转下年度继续办理外，其余申请均已办结」.
    """

    code = "WD-ALL-DONE"
    name = "wording.all_done"
    category = Category.WORDING
    severity = Severity.ERROR
    refs = ("R43",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t3 = table3(report)
        carried = t3_row_total(t3, "carry_out") if t3 is not None else None
        stated = [f for f in report.facts_for("requests.carry_out") if f.value > 0]
        if not carried and not stated:
            return
        for para in prose(report):
            flat = flatten(para.text)
            if not _ALL_DONE_RE.search(flat.text):
                continue  # a match inside a sentence is a match in the paragraph
            for s, e in sentence_bounds(flat.text):
                m = _ALL_DONE_RE.search(flat.text, s, e)
                if (
                    m is None
                    or "申请" not in flat.text[s : m.start()]
                    or re.search(r"除|其余|外", flat.text[s : m.start()])
                ):
                    continue
                # Quote the clause that says so: from the previous comma to the next one.
                c_start = max(flat.text.rfind(p, s, m.start()) for p in ",;:") + 1 or s
                c_end = min((i for i in (flat.text.find(p, m.end(), e) for p in ",。;") if i >= 0), default=e)
                said = _raw(para, flat, max(c_start, s), c_end)
                if carried:
                    why = f"表三“{t3_label('carry_out')}”行“{T3_COL_LABEL['tot']}”为{carried}"
                else:
                    why = f"正文又称“{''.join(stated[0].quote.split())}”"
                loc = _at(para, flat, m.start())
                yield self.finding(
                    f"正文称“{said}”，但{why}，仍有申请结转下年度办理。",
                    Location(
                        span=loc.span,
                        part=loc.part,
                        table="表三" if carried else None,
                        row=t3_label("carry_out") if carried else None,
                        column=T3_COL_LABEL["tot"] if carried else None,
                    ),
                    expected=0,
                    actual=carried or sum(int(f.value) for f in stated),
                    evidence=[said, *(f.quote for f in stated)],
                )


@dataclass(frozen=True)
class Citation:
    """A document reports cite, with its issuer and 文号, and how a wrong 文号 for it looks."""

    title: re.Pattern[str]
    issuer: str
    number: str  # the right 文号, as written in messages
    number_family: re.Pattern[str]  # 文号 of the same series: serial in group "n", year in group "y"
    serial: str  # the right serial: "711" or "2021-30"


_BRACKET_YEAR = r"[〔\[(（【]\s*{year}\s*[〕\])）】]"

KNOWN_CITATIONS: tuple[Citation, ...] = (
    Citation(
        re.compile(r"《中华人民共和国政府信息公开条例》"),
        "国务院",
        "国务院令第711号",
        re.compile(r"国务院令第(?P<n>\d+)号"),
        "711",
    ),
    Citation(
        re.compile(r"《[^》]*年度报告格式[^》]*》"),
        "国务院办公厅政府信息与政务公开办公室",
        "国办公开办函〔2021〕30号",
        re.compile(r"国办公开办函" + _BRACKET_YEAR.format(year=r"(?P<y>\d{4})") + r"(?P<n>\d+)号"),
        "2021-30",
    ),
    Citation(
        re.compile(r"《政府信息公开信息处理费管理办法》"),
        "国务院办公厅",
        "国办函〔2020〕109号",
        re.compile(r"国办函" + _BRACKET_YEAR.format(year=r"(?P<y>\d{4})") + r"(?P<n>\d+)号"),
        "2020-109",
    ),
)

# Titles known not to exist under the issuer they are attributed to, with what to say about them.
KNOWN_BAD: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (
        re.compile(r"《关于政府信息公开(?:信息)?处理费管理有关事项的通知》"),
        re.compile(r"国务院办公厅|国办"),
        "国务院办公厅未发布过该标题的文件，处理费配套通知是各省财政、发展改革部门的"
        "《关于政府信息公开信息处理费有关事项的通知》",
    ),
)


@register
class CitationCheck(Rule):
    """引用文件的名称、发文机关和文号应准确。

    What it checks: the 条例 with a 国务院令 other than 第711号 (第492号 is the 2007 text, replaced in
    2019); the 年度报告格式 with a 文号 other than 国办公开办函〔2021〕30号; the 处理费管理办法 with a
    文号 other than 国办函〔2020〕109号; titles known not to exist under the issuer named
    (「国务院办公厅…《关于政府信息公开处理费管理有关事项的通知》」).

    Why: reports cite the legal basis of their work; a wrong title or 文号 is a factual error in a
    published document.

    Bad: 「认真贯彻执行国务院办公厅《政府信息公开信息处理费管理办法》和《关于政府信息公开处理费管理有关事项的通知》」.
    Good: 「认真贯彻执行《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）」.
    """

    code = "WD-CITATION"
    name = "wording.citation"
    category = Category.WORDING
    severity = Severity.WARNING
    refs = ("R44",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for para in prose(report):
            flat = flatten(para.text)
            if "《" not in flat.text:
                continue  # every title checked starts with 《
            for s, e in sentence_bounds(flat.text):
                yield from self._known_bad(para, flat, s, e)
                yield from self._numbers(para, flat, s, e)

    def _known_bad(self, para: Paragraph, flat: FlatText, s: int, e: int) -> Iterator[Finding]:
        for title, issuer, why in KNOWN_BAD:
            for m in title.finditer(flat.text, s, e):
                if issuer.search(flat.text, s, m.start()) is None:
                    continue
                yield self.finding(
                    f"引用的{_raw(para, flat, m.start(), m.end())}疑似有误：{why}，请核实发文机关和标题。",
                    _at(para, flat, m.start()),
                    expected="《关于政府信息公开信息处理费有关事项的通知》（省级财政、发展改革部门）",
                    actual=_raw(para, flat, m.start(), m.end()),
                    evidence=[_raw(para, flat, s, e)],
                )

    def _numbers(self, para: Paragraph, flat: FlatText, s: int, e: int) -> Iterator[Finding]:
        for cite in KNOWN_CITATIONS:
            for m in cite.title.finditer(flat.text, s, e):
                # The 文号 follows the title in brackets: 《…》（国务院令第711号）.
                window = flat.text[m.end() : min(e, m.end() + 30)]
                n = cite.number_family.search(window)
                if n is None or n.start() > 3:  # only a 文号 in the brackets right after the title
                    continue
                serial = f"{n.group('y')}-{n.group('n')}" if "y" in n.re.groupindex else n.group("n")
                if serial == cite.serial:
                    continue
                yield self.finding(
                    f"{_raw(para, flat, m.start(), m.end())}的文号应为{cite.number}，"
                    f"正文写作“{_raw(para, flat, m.end() + n.start(), m.end() + n.end())}”。",
                    _at(para, flat, m.end() + n.start()),
                    expected=cite.number,
                    actual=_raw(para, flat, m.end() + n.start(), m.end() + n.end()),
                    evidence=[_raw(para, flat, m.start(), m.end() + n.end())],
                )
