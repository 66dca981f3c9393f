"""Where the structure rules look and how they quote: a part's paragraphs, its sentences, a line reference
(「第9行」) and a part's name as the findings write it (「第五部分“存在的主要问题及改进情况”」)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.report import Paragraph, Report
from nianbao.model.span import Span
from nianbao.model.template import PART_BY_KEY
from nianbao.normalize import compact, nfkc, normalized
from nianbao.rules.shared import paragraphs

__all__ = [
    "fallback_span",
    "find_paragraph",
    "find_sentence",
    "line_ref",
    "matchable",
    "paragraphs_of",
    "part_name",
    "position",
    "sentences",
    "span_of",
]


def part_name(key: str) -> str:
    """A part as the findings name it: 第五部分“存在的主要问题及改进情况”."""
    spec = PART_BY_KEY[key]
    return f"第{spec.number}部分“{spec.title}”"


def line_ref(span: Span | None) -> str:
    """「第9行」 (「第2页第9行」 in a PDF, 「第5段」 in Word), or 「文中」 when the place is unknown."""
    if span is None:
        return "文中"
    if span.line is None:
        return span.describe() if span.paragraph is not None or span.table is not None else "文中"
    return f"第{span.page}页第{span.line}行" if span.page is not None else f"第{span.line}行"


_PAGE_LINES = 100_000  # PDF lines are counted per page: page p, line l comes before page p + 1, line 1


def position(span: Span) -> int:
    """Document order of a span: its line for text sources (page first for PDF), its paragraph index
    for Word."""
    if span.line is not None:
        return span.line if span.page is None else span.page * _PAGE_LINES + span.line
    return span.paragraph if span.paragraph is not None else 0


def fallback_span(report: Report) -> Span | None:
    """Where a finding about the whole report points: the first part heading, else the title."""
    if report.parts:
        return report.parts[0].heading.span
    return report.metadata.title_span


def paragraphs_of(report: Report, key: str) -> list[Paragraph]:
    """Paragraphs tagged with a part key (includes those under unnumbered sub-parts of that part)."""
    return [p for p in paragraphs(report) if p.part == key]


def find_paragraph(
    paras: list[Paragraph], pattern: re.Pattern[str], prefilter: str = ""
) -> tuple[Paragraph, re.Match[str]] | None:
    """The first paragraph whose normalised text matches, with the match on the normalised text.

    ``prefilter`` (a regex on the raw text) skips paragraphs cheaply before normalising them.
    """
    for para in paras:
        if prefilter and not re.search(prefilter, para.text):
            continue
        text, _ = normalized(para.text)
        m = pattern.search(text)
        if m:
            return para, m
    return None


def span_of(para: Paragraph, norm_offset: int) -> Span:
    _, offsets = normalized(para.text)
    if not offsets:
        return para.span
    return para.span_at(offsets[min(norm_offset, len(offsets) - 1)])


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of the original text, sentences ending in 。！？ (kept)."""
    start = 0
    for m in re.finditer(r"[。！？!?]", text):
        if text[start : m.end()].strip():
            yield start, text[start : m.end()]
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def matchable(sentence: str) -> str:
    """A sentence as patterns see it: half-width forms, no spaces (「2024 年」 → 「2024年」)."""
    return nfkc(compact(sentence))


def find_sentence(paras: list[Paragraph], pattern: re.Pattern[str]) -> tuple[Paragraph, int, str] | None:
    """The first sentence (original text, its offset in the paragraph) whose matchable form matches."""
    for para in paras:
        for start, sentence in sentences(para.text):
            if pattern.search(matchable(sentence)):
                lead = len(sentence) - len(sentence.lstrip())
                return para, start + lead, sentence.strip().rstrip("。")
    return None
