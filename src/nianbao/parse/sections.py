"""Blocks → preamble, headings and the six parts with their paragraphs.

Headings:

- depth 1: 「一、总体情况」 (also 「## 一、总体情况」, 「一．」, spaces). A depth-1 line is a *part heading*
  when its title names one of the six parts (template title, alias or distinctive words, compared after
  :func:`~nianbao.normalize.label_key`) whatever its number, so the second numbering system of a report
  (「一、主动公开政府信息情况」 after 「六、…」) still maps to ``active``. A depth-1 line that names no part
  is kept as an unrecognised heading (``Part.key is None``) only if its number follows the previous one
  or restarts at 一; otherwise (「三、本法提供」, a table fragment) it is text. Table-3 row labels
  (「一、本年新收政府信息公开申请数量」) are never headings.
- depth 2: 「（一）…」 / 「(一)…」; depth 3: 「一是…」. When the heading line goes on with text
  (「（一）主动公开情况。全年通过…」) the whole line is also paragraph text and the rest is
  ``Heading.inline_text``. A numbered line that is a whole sentence (a clause break, then 。！？；
  at its end) is not a title: 「一是…，二是…。」 is text (an enumeration inside prose), and
  「（一）本年共收到申请30件，均已办结。」 is a sub-heading whose inline text is the sentence.

Paragraphs join lines wrapped by PDF extraction: a line that does not end a sentence (。！？；： or a
closing quote after one) and is at least :data:`_WRAP_MIN` characters long continues on the next line,
unless that line is a heading or a date. ``Paragraph.segments`` map every character back to its line.

Table text is not narrative: inside the parts that hold the tables (二, 三, 四), lines that look like
table labels, captions, header fragments or bare numbers are dropped (see :func:`_table_like`).

Part 五 without a heading line (PDF extraction lost it): a sub-heading about 问题/改进/整改 after part
三 or 四, when no part-五 heading exists, opens an *inferred* part ``problems`` whose heading has
``number == ""`` (see :func:`is_inferred`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.model.document import Document, Segment, TableBlock, TextBlock
from nianbao.model.report import Heading, Paragraph, Part
from nianbao.model.template import PARTS, T3_ROWS
from nianbao.model.trusted import trusted, trusted_copy
from nianbao.normalize import compact, label_key

__all__ = ["is_inferred", "match_part", "parse_sections", "TABLE_PARTS"]

_NUM = "一二三四五六七八九十"
_TOP_RE = re.compile(rf"^(?P<num>[{_NUM}]{{1,3}})\s*[、．.，,]\s*(?P<rest>\S.*)$")
_SUB_RE = re.compile(rf"^[（(]\s*(?P<num>[{_NUM}]{{1,3}})\s*[)）]\s*[、．.]?\s*(?P<rest>\S.*)$")
_SHI_RE = re.compile(rf"^(?P<num>[{_NUM}]{{1,3}})是(?P<rest>[^，,、].*)$")
_DATE_LINE_RE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")
_TERMINATORS = "。！？；：!?;:"
_WRAP_MIN = 15  # a line shorter than this is a line of its own (title, signature), not a wrapped one
_HEADING_MAX = 40  # a heading title longer than this (with no sentence break) is text
# A whole sentence: a clause break, then a sentence end (closing quotes or brackets may follow).
_SENTENCE_RE = re.compile(r"[，,；;].*[。！？!?；;][”’\"）)]*$")
_CLAUSE_RE = re.compile(r"[，,；;]")

# Parts whose region holds one of the tables.
TABLE_PARTS = frozenset({"active", "requests", "review"})

# Words that identify a part heading when the wording deviates from the template and its aliases.
_PART_WORDS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("overview", (("总体情况",),)),
    ("active", (("主动公开政府信息",),)),
    ("requests", (("收到和处理",), ("处理政府信息公开申请",), ("收到", "处理", "申请"))),
    ("review", (("行政复议", "行政诉讼"),)),
    ("problems", (("问题", "改进"), ("问题", "整改"))),
    ("other", (("其他需要报告",), ("其他需报告",))),
)
_PART_EXACT: dict[str, str] = {}
for _spec in PARTS:
    for _title in (_spec.title, *_spec.aliases):
        _PART_EXACT[label_key(_title)] = _spec.key

_NUMBER_VALUE = {ch: i + 1 for i, ch in enumerate(_NUM)}

# Short lines containing these are table labels, captions or header fragments.
_TABLE_WORDS = (
    "第二十条", "信息内容", "本年制发", "本年废止", "现行有效", "处理决定", "收费金额", "规章", "规范性文件",
    "行政许可", "行政处罚", "行政强制", "行政事业性收费", "勾稽关系", "申请人情况", "法人或其他组织", "自然人",
    "商业企业", "科研机构", "社会公益", "法律服务", "本年新收", "上年结转", "本年度办理结果", "予以公开",
    "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "总计", "结转下年度", "行政复议", "行政诉讼",
    "维持", "纠正", "审结", "直接起诉", "复议后起诉", "区分处理", "数据项目",
    *(kw for row in T3_ROWS for kw in row.keywords),
)  # fmt: skip
_T3_LABEL_KEYS = tuple(
    label_key(re.sub(r"^[一二三四]、", "", r.label)) for r in T3_ROWS if "、" in r.label[:2]
)


def is_inferred(heading: Heading) -> bool:
    """True for a part heading the parser inferred (no 「五、」 line in the text)."""
    return heading.depth == 1 and heading.number == ""


def match_part(title: str) -> str | None:
    """The canonical part key a heading title names, or None."""
    key = label_key(title).rstrip("。.:：")
    if key in _PART_EXACT:
        return _PART_EXACT[key]
    if len(key) > _HEADING_MAX:
        return None
    for part, groups in _PART_WORDS:
        if any(all(w in key for w in group) for group in groups):
            return part
    return None


def _split_title(rest: str) -> tuple[str, str]:
    """(title, inline text) of what follows a heading number."""
    m = re.search(r"[。：:]", rest)
    if m and m.end() < len(rest.rstrip()):
        return rest[: m.start()].strip(), rest[m.end() :].strip()
    title = rest.strip().rstrip("。：:")
    if len(compact(title)) > _HEADING_MAX:
        return title[:_HEADING_MAX], rest.strip()
    return title, ""


def _sentence_heading(heading: Heading, rest: str) -> Heading | None:
    """A numbered line that is a whole sentence, not a title: 「一是部分业务科室对公开属性认定把握不准，二是…。」.

    「一是」 enumerates inside prose: such a line is text (None). 「（一）本年共收到申请30件，均已办结。」
    stays a sub-heading (it numbers the part) whose inline text is the sentence, so the line is
    paragraph text too. Other headings are returned as they are.
    """
    body = rest.strip()
    if heading.inline_text or not _SENTENCE_RE.search(body):  # a title, or a title and its text
        return heading
    if heading.depth > 2:
        return None
    title = _CLAUSE_RE.split(body, maxsplit=1)[0].strip()
    return trusted_copy(heading, title=title[:_HEADING_MAX], inline_text=body)


def _numbered(block: TextBlock, raw: str, continuing: bool) -> tuple[Heading | None, bool]:
    """The sub-heading a 「（一）」 or 「一是」 line opens (None: text), and whether the line is a whole
    sentence (never a table row label then)."""
    m = _SUB_RE.match(raw)
    if m:
        heading = _heading(block, f"（{m.group('num')}）", m.group("rest"), 2)
    elif not continuing and (m := _SHI_RE.match(raw)):
        heading = _heading(block, f"{m.group('num')}是", m.group("rest"), 3)
    else:
        return None, False
    sub = _sentence_heading(heading, m.group("rest"))
    return sub, sub is not heading


def _terminated(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return True
    if t[-1] in _TERMINATORS:
        return True
    return t[-1] in '”’"）)' and len(t) > 1 and t[-2] in _TERMINATORS


def _table_like(text: str) -> bool:
    """A line inside a table region that is a label, caption, header fragment or bare number."""
    c = compact(text)
    if not c:
        return True
    if (
        re.match(r"^\d+\s*[.．、]", c)
        or c.startswith(("第二十条", "表二", "表三", "表四", "##"))
        or "勾稽关系" in c
    ):
        return True
    if c[-1] in "。！？；!?;":
        return False
    if len(c) >= 20 and ("，" in c or "," in c):
        return False
    return True


def _is_t3_label(title: str) -> bool:
    key = label_key(title)
    return any(key.startswith(k) for k in _T3_LABEL_KEYS) or "本年度办理结果" in key


@dataclass
class _Line:
    block: TextBlock
    kind: str  # "top", "sub", "text", "break"
    heading: Heading | None = None
    part_key: str | None = None


@dataclass
class _Builder:
    preamble: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    lines: list[TextBlock] = field(default_factory=list)
    part_key: str | None = None  # key of the last recognised part (paragraphs of unnamed parts get it)

    def flush(self) -> None:
        if not self.lines:
            return
        text, pos = "", 0
        segments: list[Segment] = []
        for block in self.lines:
            if block.segments:
                segments.extend(trusted(Segment, start=pos + s.start, span=s.span) for s in block.segments)
            else:
                segments.append(trusted(Segment, start=pos, span=block.span))
            text += block.text
            pos = len(text)
        first, last = self.lines[0].span, self.lines[-1].span
        span = trusted_copy(
            first,
            end_line=last.line,
            end_column=(last.column or 1) + len(self.lines[-1].text) - 1 if last.column else None,
        )
        para = trusted(Paragraph, text=text, span=span, segments=segments, part=self.part_key)
        (self.parts[-1].paragraphs if self.parts else self.preamble).append(para)
        self.lines = []

    def add_line(self, block: TextBlock) -> None:
        self.lines.append(block)

    def continues(self) -> bool:
        """The paragraph being built runs on to the next line (a wrapped line)."""
        if not self.lines:
            return False
        last = self.lines[-1]
        return not _terminated(last.text) and len(compact(last.text)) >= _WRAP_MIN and last.style is None


def _heading(block: TextBlock, number: str, rest: str, depth: int) -> Heading:
    title, inline = _split_title(rest)
    return trusted(
        Heading,
        text=block.text.strip(),
        number=number,
        title=title,
        depth=depth,
        span=block.span,
        inline_text=inline,
    )


def _classify_top(block: TextBlock, prev_number: int) -> Heading | None:
    m = _TOP_RE.match(block.text.strip())
    if not m:
        return None
    heading = _heading(block, m.group("num"), m.group("rest"), 1)
    if _is_t3_label(heading.title):
        return None
    key = match_part(heading.title)
    if key is not None:
        return trusted_copy(heading, part=key)
    number = _NUMBER_VALUE.get(heading.number, 0)
    short = len(compact(heading.title)) <= 25 and not heading.inline_text
    if short and (number == prev_number + 1 or number == 1):
        return heading
    return None


def _has_problems_heading(blocks: list[TextBlock]) -> bool:
    for block in blocks:
        m = _TOP_RE.match(block.text.strip())
        if m and match_part(_split_title(m.group("rest"))[0]) == "problems":
            return True
    return False


def parse_sections(document: Document, title_index: int) -> tuple[list[Paragraph], list[Heading], list[Part]]:
    """Return (preamble paragraphs, every heading, parts in document order).

    ``title_index`` is the index in ``document.blocks`` of the title's last block (-1: no title).
    """
    blocks = document.blocks[title_index + 1 :]
    text_blocks = [b for b in blocks if isinstance(b, TextBlock)]
    problems_heading = _has_problems_heading(text_blocks)
    b = _Builder()
    prev_number = 0

    for block in blocks:
        if isinstance(block, TableBlock):
            b.flush()
            continue
        raw = block.text.strip()
        if not raw:
            continue
        in_table_part = b.parts[-1].key in TABLE_PARTS if b.parts and b.parts[-1].key else False

        top = _classify_top(block, prev_number)
        if top is not None:
            b.flush()
            prev_number = _NUMBER_VALUE.get(top.number, prev_number)
            b.headings.append(top)
            b.parts.append(Part(key=top.part, heading=top))
            if top.part is not None:
                b.part_key = top.part
            if top.inline_text:
                b.add_line(block)
            continue

        sub, sentence = _numbered(block, raw, b.continues())
        if sub is not None and in_table_part and not sentence:
            title = compact(sub.title)
            if len(title) <= 3 or any(w in title for w in _TABLE_WORDS):
                b.flush()  # a table row label such as 「（二）部分公开（区分处理的…」
                continue
        if sub is not None:
            b.flush()
            if (
                sub.depth == 2
                and not problems_heading
                and b.part_key in ("requests", "review")
                and re.search("问题|改进|整改", sub.title)
            ):
                inferred = Heading(
                    text=sub.text, number="", title=sub.title, depth=1, span=sub.span, part="problems"
                )
                b.headings.append(inferred)
                b.parts.append(Part(key="problems", heading=inferred))
                b.part_key = "problems"
                problems_heading = True
            b.headings.append(sub)
            if b.parts:
                b.parts[-1].subheadings.append(sub)
            if sub.inline_text:
                b.add_line(block)
            continue

        continuing = b.continues() and not _DATE_LINE_RE.match(raw)
        if in_table_part:
            if continuing:
                if re.match(r"^\d+\s*[.．、]", compact(raw)) or "勾稽关系" in raw:
                    b.flush()
                    continue
            elif _table_like(raw):
                b.flush()
                continue
        if not continuing or block.style is not None:
            b.flush()
        b.add_line(block)
        if block.style is not None:
            b.flush()
    b.flush()
    return b.preamble, b.headings, b.parts
