"""Spacing between Arabic numerals and Chinese characters used both ways in one report (seed E21)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from nianbao.model.document import origin
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Paragraph, Report
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.part_text import line_ref
from nianbao.rules.shared import paragraphs

_CJK = "\u3400-\u9fff"
_SP = "[ \u00a0]*"
# A number with the Chinese characters on either side of it and the spaces between them.
_TOKEN = re.compile(rf"(?P<l>[{_CJK}])?(?P<ls>{_SP})(?P<num>\d+(?:\.\d+)?)(?P<rs>{_SP})(?P<r>[{_CJK}])?")
_MIN_EACH = 2  # one stray space is a typo, not two sources stitched together
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GAP = " \u00a0"


class _Token(NamedTuple):
    """One match of _TOKEN: offsets of the whole, of the number and of the Chinese characters around it."""

    start: int
    end: int
    num_start: int
    num_end: int
    left: int  # offset of the Chinese character before the number, -1 if none
    left_gap: str
    right_gap: str
    right: int  # offset of the Chinese character after the number, -1 if none


def _tokens(text: str) -> Iterator[_Token]:
    """What ``_TOKEN.finditer(text)`` finds, found from the numbers outwards.

    _TOKEN's optional leading groups make the regex engine try every position of the text; a match
    always holds the first number at or after where the search resumes, so look for that number and
    extend it by the spaces and the Chinese character on each side, as the regex does.
    """
    pos, size = 0, len(text)
    while (m := _NUMBER.search(text, pos)) is not None:
        num_start, num_end = m.span()
        gap_start = num_start
        while gap_start > pos and text[gap_start - 1] in _GAP:
            gap_start -= 1
        left = gap_start - 1 if gap_start > pos and "\u3400" <= text[gap_start - 1] <= "\u9fff" else -1
        gap_end = num_end
        while gap_end < size and text[gap_end] in _GAP:
            gap_end += 1
        right = gap_end if gap_end < size and "\u3400" <= text[gap_end] <= "\u9fff" else -1
        end = gap_end + 1 if right >= 0 else gap_end
        yield _Token(
            left if left >= 0 else gap_start,
            end,
            num_start,
            num_end,
            left,
            text[gap_start:num_start],
            text[num_end:gap_end],
            right,
        )
        pos = end


def _same_line(para: Paragraph, start: int, end: int) -> bool:
    """False where the two characters were joined from two lines (PDF wrapping, not the author's habit)."""
    a, _ = origin(para.span, para.segments, start)
    b, _ = origin(para.span, para.segments, end)
    return a is b or (a.line, a.page) == (b.line, b.page)


def _styles(paragraphs: list[Paragraph]) -> tuple[list[tuple[Paragraph, _Token]], ...]:
    """(spaced, tight) numbers next to Chinese characters, each side judged on one source line."""
    spaced: list[tuple[Paragraph, _Token]] = []
    tight: list[tuple[Paragraph, _Token]] = []
    for para in paragraphs:
        # A paragraph read from one line (one segment from its start, or none): no side straddles two.
        one_line = not para.segments or (len(para.segments) == 1 and para.segments[0].start == 0)
        for m in _tokens(para.text):
            is_spaced = is_tight = False
            if m.left >= 0 and (one_line or _same_line(para, m.left, m.num_start)):
                is_spaced, is_tight = bool(m.left_gap), not m.left_gap
            if m.right >= 0 and (one_line or _same_line(para, m.num_end - 1, m.right)):
                is_spaced, is_tight = is_spaced or bool(m.right_gap), is_tight or not m.right_gap
            if is_spaced:
                spaced.append((para, m))
            elif is_tight:
                tight.append((para, m))
    return spaced, tight


@register
class MixedNumberSpacing(Rule):
    """数字与汉字之间的空格应全文统一。

    What it checks: narrative paragraphs where Arabic numerals are separated from the Chinese characters
    around them by a space (「2024 年」) at least twice, and written tight (「2024年」) at least twice.

    Why: a report assembled from two sources (last year's Word file and a new draft, or another agency's
    text) keeps both habits; the mixture is a trace of copying and looks careless in print.
    A report extracted from PDF may carry spaces everywhere; that is consistent and not flagged.

    Bad: 「2024 年，共办理…20 件」 in part 一 and 「2024年，鲁山县…」 in part 五.
    Good: 「2024年」 throughout.
    """

    code = "WD-SPACING"
    name = "wording.number_spacing"
    category = Category.WORDING
    severity = Severity.INFO
    refs = ()

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        spaced, tight = _styles(paragraphs(report))
        if len(spaced) < _MIN_EACH or len(tight) < _MIN_EACH:
            return
        minority = spaced if len(spaced) <= len(tight) else tight
        majority = tight if minority is spaced else spaced
        para, m = minority[0]
        other, other_m = majority[0]
        span, other_span = para.span_at(m.num_start), other.span_at(other_m.num_start)
        example = para.text[m.start : m.end].strip()
        other_example = other.text[other_m.start : other_m.end].strip()
        yield self.finding(
            f"数字与汉字之间的空格不统一：{line_ref(span)}等{len(minority)}处写作“{example}”，"
            f"{line_ref(other_span)}等{len(majority)}处写作“{other_example}”，宜全文统一。",
            Location(span=span, part=para.part),
            expected=f"{len(majority)}处的写法",
            actual=f"{len(minority)}处的写法",
            evidence=[example, other_example],
        )
