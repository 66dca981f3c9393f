"""Spacing between Arabic numerals and Chinese characters used both ways in one report (seed E21)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Paragraph, Report
from nianbao.rules.base import Context, Rule, register

_CJK = "\u3400-\u9fff"
_SP = "[ \u00a0]*"
# A number with the Chinese characters on either side of it and the spaces between them.
_TOKEN = re.compile(rf"(?P<l>[{_CJK}])?(?P<ls>{_SP})(?P<num>\d+(?:\.\d+)?)(?P<rs>{_SP})(?P<r>[{_CJK}])?")
_MIN_EACH = 2  # one stray space is a typo, not two sources stitched together


def _same_line(para: Paragraph, start: int, end: int) -> bool:
    """False where the two characters were joined from two lines (PDF wrapping, not the author's habit)."""
    a, b = para.span_at(start), para.span_at(end)
    return (a.line, a.page) == (b.line, b.page)


def _styles(paragraphs: list[Paragraph]) -> tuple[list[tuple[Paragraph, re.Match[str]]], ...]:
    """(spaced, tight) numbers next to Chinese characters, each side judged on one source line."""
    spaced: list[tuple[Paragraph, re.Match[str]]] = []
    tight: list[tuple[Paragraph, re.Match[str]]] = []
    for para in paragraphs:
        for m in _TOKEN.finditer(para.text):
            sides = [(m.group("l"), m.group("ls"), m.start("l"), m.start("num"))]
            sides.append((m.group("r"), m.group("rs"), m.end("num") - 1, m.start("r")))
            kinds = {
                "spaced" if gap else "tight"
                for cjk, gap, a, b in sides
                if cjk and _same_line(para, a, b)
            }
            if "spaced" in kinds:
                spaced.append((para, m))
            elif "tight" in kinds:
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
        paragraphs = report.paragraphs()
        spaced, tight = _styles(paragraphs)
        if len(spaced) < _MIN_EACH or len(tight) < _MIN_EACH:
            return
        minority = spaced if len(spaced) <= len(tight) else tight
        majority = tight if minority is spaced else spaced
        para, m = minority[0]
        other, other_m = majority[0]
        span, other_span = para.span_at(m.start("num")), other.span_at(other_m.start("num"))
        example, other_example = m.group().strip(), other_m.group().strip()
        yield self.finding(
            f"数字与汉字之间的空格不统一：第{span.line}行等{len(minority)}处写作“{example}”，"
            f"第{other_span.line}行等{len(majority)}处写作“{other_example}”，宜全文统一。",
            Location(span=span, part=para.part),
            expected=f"{len(majority)}处的写法",
            actual=f"{len(minority)}处的写法",
            evidence=[example, other_example],
        )
