"""A document as read from a file, before any understanding: blocks of text and tables with spans.

These types live only between the readers and the parser, so they are plain slotted dataclasses rather
than pydantic models: a report has hundreds of table cells, and validating a model per cell was a large
share of the time to check a report. A block or cell keeps its line and column and builds its
:class:`Span` (a pydantic model, part of the public contract) only when something asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from nianbao.model.span import Span
from nianbao.model.trusted import text_span, trusted_copy


class Segment(BaseModel):
    """Maps a character offset of a joined text back to its source: text[start:] begins at ``span``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int
    span: Span


def origin(span: Span, segments: list[Segment], offset: int) -> tuple[Span, int]:
    """The span of the source piece (line) that holds character ``offset`` of a text that starts at
    ``span`` and is pieced from ``segments``, and the offset of that character within the piece.

    Cheaper than :func:`locate` when only the line or page matters (no new span is built).
    """
    start, base = 0, span
    for seg in segments:
        if seg.start > offset:
            break
        start, base = seg.start, seg.span
    return base, offset - start


def locate(span: Span, segments: list[Segment], offset: int) -> Span:
    """The place of character ``offset`` of a text that starts at ``span`` and is pieced from ``segments``."""
    base, delta = origin(span, segments, offset)
    if base.column is not None:
        return trusted_copy(base, column=base.column + delta)
    return base


@dataclass(slots=True, kw_only=True, eq=False)
class TextBlock:
    """A paragraph (or one line of plain text) with enough to map every character back to its source."""

    text: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    given: Span | None = None  # a span set by the reader (e.g. Word paragraph indices), or the one built
    segments: list[Segment] = field(default_factory=list)
    style: str | None = None  # e.g. a Word heading style, or "h2" for Markdown "##"
    kind: Literal["text"] = "text"

    @property
    def span(self) -> Span:
        """The source place: the span the reader gave, else built from path, line and column on first use."""
        if self.given is None:
            self.given = text_span(self.path, self.line, self.column)
        return self.given

    def span_at(self, offset: int) -> Span:
        """The source place of the character at ``offset`` in :attr:`text`."""
        if self.given is None and not self.segments and self.column is not None:
            return text_span(self.path, self.line, self.column + offset)
        return locate(self.span, self.segments, offset)


@dataclass(slots=True, eq=False)
class TableCellText:
    """One cell of a table grid as text."""

    text: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    given: Span | None = None  # a span set by the reader, or the one built on first use

    @property
    def span(self) -> Span:
        """The source place: the span the reader gave, else built from path, line and column on first use."""
        if self.given is None:
            self.given = text_span(self.path, self.line, self.column)
        return self.given


@dataclass(slots=True, kw_only=True, eq=False)
class TableBlock:
    """A table as a grid of text cells; merged cells already expanded or flattened by the reader."""

    rows: list[list[TableCellText]]
    span: Span
    kind: Literal["table"] = "table"


Block = TextBlock | TableBlock


@dataclass(slots=True, kw_only=True, eq=False)
class Document:
    """Everything a reader produced from one file."""

    path: str | None = None
    format: Literal["text", "markdown", "docx", "html", "pdf"] = "text"
    encoding: str | None = None
    blocks: list[TextBlock | TableBlock] = field(default_factory=list)
    publication_date: str | None = None  # ISO date where the source states one
    notes: list[str] = field(default_factory=list)  # reader observations (e.g. text boxes ignored)

    def text(self) -> str:
        """All the text: text blocks one per line, table cells one per line, in document order."""
        pieces: list[str] = []
        for block in self.blocks:
            if isinstance(block, TableBlock):
                pieces.extend(cell.text for row in block.rows for cell in row)
            else:
                pieces.append(block.text)
        return "\n".join(pieces)
