"""Narrative paragraphs as text to match: a normalised, line-joined view that keeps offsets back to the source.

Facts (``parse/``) and wording rules (``rules/``) both match patterns on narrative prose, never on table
rows or on table debris that text extraction left between paragraphs (「行政许可 0」, 「总计总计」, the
table 三 note). This module holds what both sides share: the normalised view and the test that tells
prose from debris.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nianbao.model.report import Paragraph, Report
from nianbao.model.trusted import trusted, trusted_copy
from nianbao.normalize import label_key, nfkc, normalize_with_map

# Sentence ends (after NFKC: 。 stays, ！？； become !?;).
SENTENCE_END = "。!?;"
# Clause punctuation after NFKC (，→, ：→: ；→; （）→()).
CLAUSE_PUNCT = ",。;:!?"
_CJK_PUNCT_RE = re.compile(r"[，。；：、,;:]")
# Labels of the three tables: a paragraph that starts with one is table text, not prose.
_TABLE_LABEL_STARTS = (
    "第二十条第",
    "信息内容",
    "一、本年新收",
    "二、上年结转",
    "三、本年度办理结果",
    "四、结转下年度继续办理",
    "(七)总计",
    "（七）总计",
    "申请人情况",
    "表二",
    "表三",
    "表四",
    "##表",
)
_TABLE_LABEL_WORDS = ("勾稽关系", "本年制发件数", "本年处理决定数量", "结果维持结果纠正")
# A table 二 row flattened into a line: the label and its values only (「行政许可 97」).
_TABLE_ROW_RE = re.compile(
    r"^(?:规章|(?:行政)?规范性文件|行政许可|行政处罚|行政强制|行政事业性收费)[\d.,/|—\-]*$"
)


@dataclass(frozen=True)
class FlatText:
    """A paragraph's text normalised (NFKC, whitespace removed except between ASCII words), on one line.

    ``offsets[i]`` is the offset in the original paragraph text of ``text[i]``.
    """

    text: str
    offsets: tuple[int, ...]

    def source_offset(self, index: int) -> int:
        """Offset in the original text of the normalised character at ``index`` (clamped)."""
        if not self.offsets:
            return 0
        return self.offsets[min(max(index, 0), len(self.offsets) - 1)]


_WS_RE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def flatten(raw: str) -> FlatText:
    """Normalise ``raw`` for matching: NFKC (full-width → half-width), no line breaks, no spaces next to
    CJK characters or digits («20 件» → «20件», «审查管\n理» → «审查管理»).

    Cached: the facts and several wording rules read the same paragraphs.
    """
    norm = nfkc(raw)
    if len(norm) == len(raw):
        offsets: Sequence[int] = range(len(raw))  # NFKC changed characters one for one
    else:
        # A character expanded (「①」, 「㈠」): map character by character.
        norm, offsets = normalize_with_map(raw)
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in _WS_RE.finditer(norm):
        chars.append(norm[pos : m.start()])
        offs.extend(offsets[pos : m.start()])
        before = norm[m.start() - 1] if m.start() > 0 else ""
        after = norm[m.end()] if m.end() < len(norm) else ""
        # Keep one space between ASCII words («Word 文档» keeps none, «PDF file» keeps one).
        if before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
            chars.append(" ")
            offs.append(offsets[m.start()])
        pos = m.end()
    chars.append(norm[pos:])
    offs.extend(offsets[pos:])
    return FlatText("".join(chars), tuple(offs))


@lru_cache(maxsize=4096)
def is_prose(raw: str) -> bool:
    """True for narrative prose; False for table rows, labels and extraction debris.

    Prose has sentence or clause punctuation; debris (「行政许可 0」, 「总计总计」, 「维持纠正结果审结」) has
    none. Template labels (the table 三 note, row labels) are not prose even when they carry commas.
    """
    key = label_key(raw)
    if not key:
        return False
    if (
        key.startswith(_TABLE_LABEL_STARTS)
        or any(w in key for w in _TABLE_LABEL_WORDS)
        or _TABLE_ROW_RE.match(key)
    ):
        return False
    return bool(_CJK_PUNCT_RE.search(raw))


_SENTENCE_RE = re.compile(r"[^。!?;]+[。!?;]?|[。!?;]")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a normalised text (ends after 。!?;)."""
    return [m.span() for m in _SENTENCE_RE.finditer(text)]


def prose_paragraphs(report: Report) -> Iterator[Paragraph]:
    """Every prose paragraph of a report (preamble first), in document order.

    Text that follows a sub-heading on its line (「（二）依申请公开情况。2024年，共办理…」) is included:
    as the heading line's paragraph, or, when the section parser kept it only on the heading, as a
    paragraph built from ``Heading.inline_text``.
    """
    yield from (p for p in report.preamble if is_prose(p.text))
    for part in report.parts:
        lines = {p.span.line for p in part.paragraphs}
        for head in part.subheadings:
            inline = head.inline_text.strip()
            if not inline or head.span.line in lines:
                continue
            at = head.text.find(inline)
            column = head.span.column + at if head.span.column is not None and at >= 0 else head.span.column
            para = trusted(Paragraph, text=inline, span=trusted_copy(head.span, column=column), part=part.key)
            if is_prose(para.text):
                yield para
        yield from (p for p in part.paragraphs if is_prose(p.text))
