"""The document as a flat list of lines split into label and value pieces, and cell reading.

Tables reach us in many shapes: tab-separated rows with flattened merges, ``|``-pipe rows, text lines
such as 「行政许可 97」 from PDF extraction, or one cell per line. Every shape becomes a :class:`Line`:
the label pieces (text) followed by the value pieces (numbers, blanks, ``/``, ``—``), each with its span.
Table parsers then take values by position from the end of a line, never by column index.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Protocol

from nianbao.model.cell import Cell, CellKind, Unit
from nianbao.model.document import Document, TableBlock
from nianbao.model.span import Span
from nianbao.model.tables import TableRow
from nianbao.model.trusted import trusted_cell
from nianbao.normalize import nfkc
from nianbao.numerals import parse_number

_BLANK_RE = re.compile(r"^[\s\u3000\u00a0\u200b\ufeff]*$")
_SLASH_RE = re.compile(r"^[/／\\]$")
_DASH_RE = re.compile(r"^[-－—–―─－]+$")
# Text that stands where a number should be: signed or decimal figures, 无/空 written into a cell.
_NUMBERISH_RE = re.compile(r"^[-−－+]?\d[\d,，]*(?:[.．]\d+)?$")
_NOT_A_NUMBER_WORDS = frozenset({"无", "空", "否", "x", "X", "×"})
_TOKEN_RE = re.compile(r"\S+")
_LOOSE_DROP_RE = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)")


@lru_cache(maxsize=16384)
def loose_key(text: str) -> str:
    """Only letters, digits and CJK characters: «(二) 部分公开 (区分处理的, …)» → «二部分公开区分处理的…».

    Row labels are compared on this key because extraction changes punctuation freely (、 → ,).
    """
    return _LOOSE_DROP_RE.sub("", nfkc(text))


def strip_numbering(loose: str) -> str:
    """A loose key without its leading ordinal (一, 七, 3 …)."""
    return _NUMBERING_RE.sub("", loose, count=1)


@lru_cache(maxsize=16384)
def is_value_text(text: str) -> bool:
    """True for text that stands in a value position: a number, blank, slash, dash, 无 or a bad figure."""
    t = text.strip()
    if len(t) > 1 and ("\u4e00" <= t[-1] <= "\u9fff" or t[-1] == "。"):
        return False  # a phrase or sentence (the one-character words 无, 空 … are values)
    if _BLANK_RE.match(t) or _SLASH_RE.match(t) or _DASH_RE.match(t) or t in _NOT_A_NUMBER_WORDS:
        return True
    return bool(_NUMBERISH_RE.match(nfkc(t)))


def read_cell(text: str, span: Span | None, unit: Unit = "count") -> Cell:
    """Read one cell: blank, slash, dash and invalid text are kept apart from numbers.

    A count must be a non-negative integer; an amount in 万元 may have decimals (kept as ``Decimal``).
    Anything else (「无」, 「2.5」 in a count cell, 「-3」) is ``invalid`` with no value.
    """
    kind, value = _classify(text, unit)
    return trusted_cell(text, kind, value, unit, span)


@lru_cache(maxsize=4096)
def _classify(text: str, unit: Unit) -> tuple[CellKind, int | Decimal | None]:
    # Cached: a report repeats the same few cell texts («0», «1», «») hundreds of times.
    raw = text.strip()
    if _BLANK_RE.match(raw):
        return CellKind.BLANK, None
    if _SLASH_RE.match(raw):
        return CellKind.SLASH, None
    if _DASH_RE.match(raw):
        return CellKind.DASH, None
    number = parse_number(raw)
    if number is not None and unit == "wan_yuan":
        return CellKind.NUMBER, Decimal(str(number))
    if isinstance(number, int):
        return CellKind.NUMBER, number
    return CellKind.INVALID, None


def is_blank(text: str) -> bool:
    """True for an empty cell (spaces and &nbsp; included)."""
    if not text:
        return True
    first = text[0]
    if not first.isspace() and first not in "\u200b\ufeff":
        return False  # most cells: a number or a label
    return bool(_BLANK_RE.match(text))


class Piece(Protocol):
    """A cell of a table row, or a token of a text line, with where it starts.

    Table cells (:class:`~nianbao.model.document.TableCellText`) are pieces as they are; spans are
    built only for the few pieces that end up in a table or a note.
    """

    @property
    def text(self) -> str: ...

    @property
    def span(self) -> Span: ...


class FixedPiece(NamedTuple):
    """A piece whose span is already known (e.g. a number split off its label)."""

    text: str
    span: Span


@dataclass(slots=True, eq=False)
class _TokenPiece:
    """A token of a text line; its span is located on first use."""

    text: str
    locate: Callable[[int], Span]
    offset: int
    _span: Span | None = None

    @property
    def span(self) -> Span:
        if self._span is None:
            self._span = self.locate(self.offset)
        return self._span


@dataclass(slots=True)
class Line:
    """One row or text line: label pieces, then the value pieces after the last label piece."""

    index: int  # position in the document's line list
    is_table: bool
    pieces: list[Piece]
    labels: list[Piece] = field(default_factory=list)
    values: list[Piece] = field(default_factory=list)  # untrimmed: trailing blanks kept
    # How many value pieces lie up to the common right edge of the row's table (see :func:`_grid_edge`);
    # None for text lines and tables without one.
    value_end: int | None = None

    label: str = field(init=False)  # the label pieces as written, joined by a space
    text: str = field(init=False)  # every piece joined (for anchors and notes)

    def __post_init__(self) -> None:
        stripped = [p.text.strip() for p in self.pieces]
        n = len(self.labels)
        if self.labels == self.pieces[:n]:  # as document_lines splits: the labels lead the pieces
            self.label = " ".join([t for t in stripped[:n] if t])
        else:
            self.label = " ".join([t for p in self.labels if (t := p.text.strip())])
        self.text = " ".join([t for t in stripped if t])

    @property
    def span(self) -> Span:
        """Where the line starts."""
        return self.pieces[0].span

    @property
    def label_count(self) -> int:
        """How many non-empty label pieces the line has (header rows have several)."""
        return sum(1 for p in self.labels if p.text.strip())

    def trimmed(self) -> list[Piece]:
        """The value pieces without trailing blanks (flattened colspans leave them)."""
        vals = list(self.values)
        while vals and is_blank(vals[-1].text):
            vals.pop()
        return vals

    def numbers(self) -> int:
        """How many value pieces hold something other than a blank."""
        return sum(1 for p in self.values if not is_blank(p.text))


def take_last(values: list[Piece], n: int, value_end: int | None = None) -> list[Piece] | None:
    """The ``n`` value pieces of a row, taken from the end after dropping trailing blanks.

    When fewer than ``n`` remain but the row has ``n`` value positions, trailing blanks are real
    blank cells (「四、结转下年度继续办理 | 1 | 0 | … |  |」 has an empty 总计): count from the first filled one.

    ``value_end`` (:attr:`Line.value_end`) places the row in its table's grid: the ``n`` values end at
    the table's common right edge when every filled value lies there. That tells a blank last cell
    from the empty label cells a flattened merge leaves before the first value (「一、本年新收 |  |  |
    30 | … | 0 |  」 is 30 … 0 and a blank 总计, not a blank 自然人 followed by 30 … 0).
    """
    if value_end is not None and n <= value_end <= len(values):
        start = value_end - n
        outside = values[:start] + values[value_end:]
        if all(is_blank(p.text) for p in outside):
            return values[start:value_end]
    trimmed = list(values)
    while trimmed and is_blank(trimmed[-1].text):
        trimmed.pop()
    if len(trimmed) >= n:
        return trimmed[-n:]
    if len(values) < n:
        return None
    first = next((i for i, p in enumerate(values) if not is_blank(p.text)), 0)
    if len(values) - first >= n:
        return values[first : first + n]
    return values[-n:]


def _split(pieces: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    for i in range(len(pieces) - 1, -1, -1):  # the last label piece splits the row
        if not is_value_text(pieces[i].text):  # (blank text is a value text: no label)
            return pieces[: i + 1], pieces[i + 1 :]
    return [], pieces[:]


def _text_pieces(text: str, locate: Callable[[int], Span]) -> list[Piece]:
    """A text line as one label piece followed by its trailing value tokens (「行政许可 97」)."""
    tokens = [(m.group(), m.start()) for m in _TOKEN_RE.finditer(text)]
    k = len(tokens)
    while k > 0 and is_value_text(tokens[k - 1][0]):
        k -= 1
    pieces: list[Piece] = []
    if k > 0:
        start = tokens[0][1]
        end = tokens[k - 1][1] + len(tokens[k - 1][0])
        pieces.append(_TokenPiece(text[start:end], locate, start))
    pieces.extend(_TokenPiece(tok, locate, off) for tok, off in tokens[k:])
    return pieces


def _last_filled(pieces: list[Piece]) -> int:
    """Index of the last non-blank piece, -1 when every piece is blank."""
    return next((i for i in range(len(pieces) - 1, -1, -1) if not is_blank(pieces[i].text)), -1)


def _grid_edge(rows: list[list[Piece]]) -> int | None:
    """The column where most rows of a table end with a value: the grid's last value column.

    Rows that end with a label (header rows, unfilled rows) say nothing about it; None when no row
    ends with a value.
    """
    ends: dict[int, int] = {}
    for pieces in rows:
        last = _last_filled(pieces)
        if last >= 0 and is_value_text(pieces[last].text):
            ends[last] = ends.get(last, 0) + 1
    if not ends:
        return None
    return max(ends, key=lambda col: (ends[col], col))


def document_lines(document: Document) -> list[Line]:
    """Every table row and text line of the document, in order, split into labels and values."""
    lines: list[Line] = []
    for block in document.blocks:
        if isinstance(block, TableBlock):
            rows: list[list[Piece]] = [list(row) for row in block.rows if row]
            edge = _grid_edge(rows)
            for pieces in rows:
                labels, values = _split(pieces)
                end = edge + 1 - len(labels) if edge is not None and edge + 1 > len(labels) else None
                lines.append(Line(len(lines), True, pieces, labels, values, end))
        else:
            pieces = _text_pieces(block.text, block.span_at)
            if not pieces:
                continue
            labels, values = _split(pieces)
            lines.append(Line(len(lines), False, pieces, labels, values))
    return lines


# Cells are frozen, so one "missing" cell per unit can stand in every absent position.
_MISSING: dict[Unit, Cell] = {"count": Cell(), "wan_yuan": Cell(unit="wan_yuan")}


def complete_rows(
    layout: dict[str, tuple[str, ...]], found: dict[str, TableRow], units: dict[str, Unit] | None = None
) -> dict[str, TableRow]:
    """Every row of a table in template order: the rows found, and missing cells for the others.

    Built without validation because the default factories of the table models create a fresh
    validated cell for each of the 200 positions of every report, which is most of the parse time.
    """
    rows: dict[str, TableRow] = {}
    for key, cols in layout.items():
        if key in found:
            rows[key] = found[key]
            continue
        unit = (units or {}).get(key, "count")
        rows[key] = TableRow.model_construct(
            key=key, label="", span=None, cells=dict.fromkeys(cols, _MISSING[unit])
        )
    return rows
