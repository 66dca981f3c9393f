"""A document as read from a file, before any understanding: blocks of text and tables with spans."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nianbao.model.span import Span


class Segment(BaseModel):
    """Maps a character offset of a joined text back to its source: text[start:] begins at ``span``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int
    span: Span


def locate(span: Span, segments: list[Segment], offset: int) -> Span:
    """The place of character ``offset`` of a text that starts at ``span`` and is pieced from ``segments``."""
    start, base = 0, span
    for seg in segments:
        if seg.start > offset:
            break
        start, base = seg.start, seg.span
    if base.column is not None:
        return base.model_copy(update={"column": base.column + (offset - start)})
    return base


class TextBlock(BaseModel):
    """A paragraph (or one line of plain text) with enough to map every character back to its source."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["text"] = "text"
    text: str
    span: Span
    segments: list[Segment] = Field(default_factory=list)
    style: str | None = None  # e.g. a Word heading style, or "h2" for Markdown "##"

    def span_at(self, offset: int) -> Span:
        """The source place of the character at ``offset`` in :attr:`text`."""
        return locate(self.span, self.segments, offset)


class TableCellText(BaseModel):
    """One cell of a table grid as text."""

    model_config = ConfigDict(extra="forbid")

    text: str
    span: Span


class TableBlock(BaseModel):
    """A table as a grid of text cells; merged cells already expanded or flattened by the reader."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["table"] = "table"
    rows: list[list[TableCellText]]
    span: Span


Block = TextBlock | TableBlock


class Document(BaseModel):
    """Everything a reader produced from one file."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = None
    format: Literal["text", "markdown", "docx", "html", "pdf"] = "text"
    encoding: str | None = None
    blocks: list[TextBlock | TableBlock] = Field(default_factory=list)
    publication_date: str | None = None  # ISO date where the source states one
    notes: list[str] = Field(default_factory=list)  # reader observations (e.g. text boxes ignored)
