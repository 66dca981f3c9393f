"""Word comments for a report that is not a Word document: render it, then comment the rendered copy.

A report read from text, a web page or a PDF has no .docx to write comments into. Its typed
:class:`~nianbao.model.report.Report` is rendered in the official layout (:func:`nianbao.render.render_docx`)
and the rendered document is read back; the two reports have the same structure, so every span of the
original (a table cell, a heading, a paragraph, a figure inside a paragraph) is found again at the same
place of the rendered one, and each finding is moved there before :func:`annotate_document` writes it.
Findings whose place cannot be found again go into the shared comment on the title, naming the original
place (「见report.txt第13行」).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import docx
from pydantic import BaseModel

from nianbao.model.finding import Finding
from nianbao.model.report import Heading, Paragraph, Report
from nianbao.model.span import Span
from nianbao.parse import parse
from nianbao.read import read_data
from nianbao.render import render_docx
from nianbao.review.annotate import annotate_document, write_atomic

__all__ = ["annotate_rendered", "move_findings"]


def _spans(value: Any, path: str) -> Iterator[tuple[str, Span]]:
    """(structural path, span) of every span in a model, in field order: 「table3.rows[2].cells[0].span」."""
    if isinstance(value, Span):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if isinstance(value, Report) and name == "notes":
                continue  # the parser's notes differ between formats: their order places nothing
            yield from _spans(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _spans(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _spans(item, f"{path}[{key!r}]")


def _texts(report: Report) -> list[Paragraph | Heading]:
    # Narrative paragraphs and headings: the places a finding can point inside of (a figure, a word).
    return [*report.paragraphs(), *report.headings]


def _container(span: Span) -> tuple[Any, ...]:
    """What a span is inside of, without its column: a line, a page line, a Word paragraph, an element."""
    return (span.path, span.line, span.page, span.paragraph, span.table, span.row, span.cell, span.element)


class _SpanMap:
    """Original report spans → rendered report spans, by structural position."""

    def __init__(self, original: Report, rendered: Report) -> None:
        self.by_path = dict(_spans(rendered, "report"))
        self.paths: dict[Span, str] = {}
        for path, span in _spans(original, "report"):
            self.paths.setdefault(span, path)
        self.texts = list(zip(_texts(original), _texts(rendered), strict=False))

    def move(self, span: Span) -> Span | None:
        path = self.paths.get(span)
        if path is not None and path in self.by_path:
            return self.by_path[path]
        if span.column is None:
            return None
        # A place inside a paragraph or heading (a figure, a word): the same offset in its rendered twin.
        where = _container(span)
        for old, new in self.texts:
            pieces = [old.span, *(segment.span for segment in getattr(old, "segments", []))]
            if not any(_container(piece) == where for piece in pieces):
                continue
            for offset in range(len(old.text)):
                if _span_at(old, offset) == span:
                    return _span_at(new, offset)
        return None


def _span_at(item: Paragraph | Heading, offset: int) -> Span:
    if isinstance(item, Paragraph):
        return item.span_at(offset)
    column = item.span.column
    return item.span.model_copy(update={"column": column + offset}) if column is not None else item.span


def move_findings(findings: Sequence[Finding], original: Report, rendered: Report) -> list[Finding]:
    """The findings with their spans moved from ``original`` to the same places of ``rendered``; a span
    with no twin is kept as it was (it then names the original file, so it stays unplaced)."""
    spans = _SpanMap(original, rendered)
    moved: list[Finding] = []
    for finding in findings:
        span = finding.location.span
        twin = spans.move(span) if span is not None else None
        if twin is None and span is not None and span.path is None:
            # Name the original, so that its indices are never taken for places in the rendered copy.
            twin = span.model_copy(update={"path": original.metadata.source_path or "<original>"})
        if twin is None:
            moved.append(finding)
        else:
            location = finding.location.model_copy(update={"span": twin})
            moved.append(finding.model_copy(update={"location": location}))
    return moved


def annotate_rendered(report: Report, findings: Sequence[Finding], target: Path) -> int:
    """Render ``report`` to .docx in the official layout and write it to ``target`` with one comment per
    finding, placed where the finding's original span is in the rendered document; return the number of
    comments. Raises :class:`~nianbao.review.annotate.AnnotateError` when ``target`` cannot be written."""
    data = render_docx(report)
    where = str(target)
    rendered = parse(read_data(data, where))
    document = docx.Document(io.BytesIO(data))
    count = annotate_document(
        document,
        move_findings(findings, report, rendered),
        source_path=where,
        title_span=rendered.metadata.title_span,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(buffer.getvalue(), target)
    return count
