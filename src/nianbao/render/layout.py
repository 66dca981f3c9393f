"""The official 2021 layout of a report, shared by the .docx, HTML and text renderers.

A report becomes a flat list of blocks in reading order: the title, the preamble, each part's heading
followed by its sub-headings and paragraphs, and the three tables in parts 二, 三 and 四. A table is a
:class:`Grid` of origin cells with row and column spans, exactly as the 2021 template merges them
(国办公开办函〔2021〕30号; labels from :mod:`nianbao.model.template`), so every renderer draws the
same merged header cells and readers that expand merges see the same grid.

Data cells hold the cell's raw text as written: blank stays blank, 「0」, 「/」 and 「—」 are kept.
Rows the report lacks are drawn with blank cells, because the official layout always has every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from nianbao.model.cell import Cell
from nianbao.model.report import Heading, Paragraph, Part, Report
from nianbao.model.span import Span
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import (
    PART_BY_KEY,
    PARTS,
    T2_ROWS,
    T3_COLUMNS,
    T3_HEADER_LABELS,
    T3_NOTE,
    T3_ROWS,
    T4_FIELDS,
    T4_GROUPS,
)

__all__ = [
    "Block",
    "CellRole",
    "Grid",
    "GridCell",
    "TableKey",
    "blocks",
    "grid_table2",
    "grid_table3",
    "grid_table4",
    "report_title",
]

CellRole = Literal["caption", "header", "label", "value"]
TableKey = Literal["table2", "table3", "table4"]
BlockKind = Literal["title", "text", "heading", "subheading", "table"]

# Which part each table belongs to.
TABLE_PART: dict[TableKey, str] = {"table2": "active", "table3": "requests", "table4": "review"}


@dataclass(frozen=True, slots=True)
class GridCell:
    """An origin cell of a table grid: its text, place and the rows and columns it spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: CellRole = "value"


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as origin cells on an ``n_rows`` × ``n_cols`` grid (cells covered by a merge have no entry)."""

    key: TableKey
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]
    widths: tuple[int, ...]  # relative column widths, for renderers that size columns

    def rows(self) -> list[list[GridCell]]:
        """Origin cells grouped by the row they start in, left to right."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    def text_grid(self, *, repeat_labels: bool = False) -> list[list[str]]:
        """The expanded grid: an origin's text at its top-left place, covered places blank.

        With ``repeat_labels`` a row label merged across columns (「一、本年新收政府信息公开申请数量」
        over the three label columns) is written in each of them, so that in a flat grid the label
        visibly ends where the values begin.
        """
        grid = [[""] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row][cell.col] = cell.text
            if repeat_labels and cell.role == "label":
                for col in range(cell.col + 1, cell.col + cell.colspan):
                    grid[cell.row][col] = cell.text
        return grid


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the rendered document, in reading order.

    ``lead`` is, for a text block that begins with a sub-heading (「（一）主动公开情况。全年…」), the
    length of that sub-heading prefix, so renderers can set it apart (楷体 in Word) without changing
    the text.
    """

    kind: BlockKind
    text: str = ""
    grid: Grid | None = None
    lead: int = 0


@dataclass
class _GridBuilder:
    key: TableKey
    n_cols: int
    widths: tuple[int, ...]
    cells: list[GridCell] = field(default_factory=list)
    n_rows: int = 0

    def add(
        self, text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1, *, role: CellRole
    ) -> None:
        self.cells.append(GridCell(text, row, col, rowspan, colspan, role))
        self.n_rows = max(self.n_rows, row + rowspan)

    def build(self) -> Grid:
        return Grid(self.key, self.n_rows, self.n_cols, tuple(self.cells), self.widths)


def _raw(cell: Cell | None) -> str:
    """A data cell's text: the raw text as written (blank, 「0」, 「/」, 「—」 kept), trimmed."""
    return cell.raw.strip() if cell is not None else ""


def grid_table2(table: Table2 | None) -> Grid:
    """Table 二: four 第二十条第（X）项 blocks, each a caption row over 4 columns, a 信息内容 header row
    and the data rows; a single value column (处理决定数量, 收费金额) spans the three value columns."""
    g = _GridBuilder("table2", 4, (4, 3, 3, 3))
    row = 0
    caption = ""
    for key, item, label, columns in T2_ROWS:
        if item != caption:
            caption = item
            g.add(item, row, 0, colspan=4, role="caption")
            g.add("信息内容", row + 1, 0, role="header")
            span = 3 // len(columns)
            for i, (_, col_label) in enumerate(columns):
                g.add(col_label, row + 1, 1 + i * span, colspan=span, role="header")
            row += 2
        g.add(label, row, 0, role="label")
        span = 3 // len(columns)
        for i, (col_key, _) in enumerate(columns):
            cell = table.rows[key].cells.get(col_key) if table is not None and key in table.rows else None
            g.add(_raw(cell), row, 1 + i * span, colspan=span, role="value")
        row += 1
    return g.build()


def grid_table3(table: Table3 | None) -> Grid:
    """Table 三: 3 label columns and 7 value columns under a three-row header.

    The 勾稽关系 note spans the label columns of the header; 申请人情况 spans the 7 value columns with
    自然人 and 总计 merged down over two rows and 法人或其他组织 over its five sub-columns. Row labels are
    laid out by their template path: 「三、本年度办理结果」 merged down over its 22 rows, 「（三）不予公开」
    and the other groups over their numbered rows, a label with fewer levels spanning the free columns.
    """
    g = _GridBuilder("table3", 10, (3, 3, 6, 2, 2, 2, 2, 2, 2, 2))
    g.add(T3_NOTE, 0, 0, rowspan=3, colspan=3, role="header")
    g.add(T3_HEADER_LABELS[0], 0, 3, colspan=7, role="header")
    labels = dict(T3_COLUMNS)
    g.add(labels["np"], 1, 3, rowspan=2, role="header")
    g.add(T3_HEADER_LABELS[1], 1, 4, colspan=5, role="header")
    g.add(labels["tot"], 1, 9, rowspan=2, role="header")
    for i, (_, label) in enumerate(T3_COLUMNS[1:6]):
        g.add(label, 2, 4 + i, role="header")
    first = 3
    # Enclosing labels merge down over the consecutive rows that share them.
    for depth in range(2):
        start = 0
        while start < len(T3_ROWS):
            path = T3_ROWS[start].path
            if len(path) <= depth:
                start += 1
                continue
            end = start
            while end + 1 < len(T3_ROWS) and T3_ROWS[end + 1].path[: depth + 1] == path[: depth + 1]:
                end += 1
            g.add(path[depth], first + start, depth, rowspan=end - start + 1, role="label")
            start = end + 1
    for i, spec in enumerate(T3_ROWS):
        depth = len(spec.path)
        g.add(spec.label, first + i, depth, colspan=3 - depth, role="label")
        row = table.rows.get(spec.key) if table is not None else None
        for j, (col_key, _) in enumerate(T3_COLUMNS):
            g.add(_raw(row.cells.get(col_key) if row is not None else None), first + i, 3 + j, role="value")
    return g.build()


def grid_table4(table: Table4 | None) -> Grid:
    """Table 四: 行政复议 over 5 columns and 行政诉讼 over 10 (未经复议直接起诉 and 复议后起诉, 5 each);
    the five 行政复议 result labels merge down over the two lower header rows; one row of 15 values."""
    g = _GridBuilder("table4", 15, (1,) * 15)
    suit = T4_GROUPS[1][1].split("／")[0]
    g.add(T4_GROUPS[0][1], 0, 0, colspan=5, role="header")
    g.add(suit, 0, 5, colspan=10, role="header")
    col = 0
    for gi, (gkey, glabel) in enumerate(T4_GROUPS):
        if gi:
            g.add(glabel.split("／")[-1], 1, col, colspan=len(T4_FIELDS), role="header")
        for fkey, flabel in T4_FIELDS:
            if gi:
                g.add(flabel, 2, col, role="header")
            else:
                g.add(flabel, 1, col, rowspan=2, role="header")
            row = table.rows.get(gkey) if table is not None else None
            g.add(_raw(row.cells.get(fkey) if row is not None else None), 3, col, role="value")
            col += 1
    return g.build()


def report_title(report: Report) -> str:
    """The report's title as read, else 「{机关}{年度}年政府信息公开工作年度报告」 from the metadata."""
    meta = report.metadata
    if meta.title.strip():
        return meta.title.strip()
    year = f"{meta.year}年" if meta.year is not None else ""
    return f"{meta.agency}{year}政府信息公开工作年度报告"


def _position(span: Span | None) -> tuple[int, int, int, int] | None:
    """A sortable place in the source, or None when the span gives none that orders blocks."""
    if span is None:
        return None
    if span.line is not None:
        return (0, span.page or 0, span.line, span.column or 0)
    if span.paragraph is not None:
        return (1, 0, span.paragraph, span.column or 0)
    return None


_Item = tuple[Paragraph | Heading, Span | None]


def _ordered(items: Sequence[_Item]) -> list[Paragraph | Heading]:
    """Paragraphs and sub-headings in source order when their spans order them (same kind of place),
    else as given (sub-headings first, then paragraphs: the parser keeps them in two lists)."""
    keys = [_position(span) for _, span in items]
    if all(k is not None for k in keys) and len({k[0] for k in keys if k is not None}) <= 1:
        order = sorted(range(len(items)), key=lambda i: (keys[i], i))
        return [items[i][0] for i in order]
    return [item for item, _ in items]


def _text_blocks(paragraphs: Iterable[Paragraph], headings: Iterable[Heading]) -> Iterator[Block]:
    # A sub-heading that goes on with text (「（一）主动公开情况。全年…」) is already the start of a
    # paragraph; only stand-alone sub-headings are blocks of their own.
    inline = [h for h in headings if h.inline_text]
    items: list[_Item] = [(h, h.span) for h in headings if not h.inline_text]
    items += [(p, p.span) for p in paragraphs]
    for item in _ordered(items):
        if isinstance(item, Heading):
            # 「（一）…」 is a sub-heading; a short 「一是…」 sentence the parser takes for a third-level
            # heading is body text in a 公文.
            yield Block("subheading" if item.depth <= 2 else "text", item.text)
            continue
        lead = 0
        for h in inline:
            prefix = h.text[: len(h.text) - len(h.inline_text)] if h.text.endswith(h.inline_text) else ""
            if prefix and item.text.startswith(prefix):
                lead = len(prefix)
                break
        yield Block("text", item.text, lead=lead)


def _table_grid(report: Report, key: TableKey) -> Grid | None:
    """The grid of one of the report's tables, or None when the report has no such table."""
    if key == "table2":
        t2 = report.table2
        return grid_table2(t2) if t2 is not None and t2.found else None
    if key == "table3":
        t3 = report.table3
        return grid_table3(t3) if t3 is not None and t3.found else None
    t4 = report.table4
    return grid_table4(t4) if t4 is not None and t4.found else None


def _table_blocks(report: Report, keys: Iterable[TableKey]) -> Iterator[Block]:
    for key in keys:
        grid = _table_grid(report, key)
        if grid is not None:
            yield Block("table", grid=grid)


def _part_index(key: str | None) -> int:
    return next((i for i, p in enumerate(PARTS) if p.key == key), -1)


def _table_places(report: Report) -> dict[int, list[TableKey]]:
    """Which part (index in report.parts, -1 = before the first part) each table is drawn in: the first
    part with the table's key, else the last part that comes before it in the template."""
    places: dict[int, list[TableKey]] = {}
    for tkey, pkey in TABLE_PART.items():
        index = next((i for i, p in enumerate(report.parts) if p.key == pkey), None)
        if index is None:
            wanted = _part_index(pkey)
            earlier = [i for i, p in enumerate(report.parts) if 0 <= _part_index(p.key) < wanted]
            index = earlier[-1] if earlier else -1
        places.setdefault(index, []).append(tkey)
    return places


def _part_blocks(part: Part, tables: list[TableKey], report: Report) -> Iterator[Block]:
    yield Block("heading", part.heading.text or (PART_BY_KEY[part.key].heading if part.key else ""))
    # In the template the table follows the part heading; text of the part comes after it.
    yield from _table_blocks(report, tables)
    yield from _text_blocks(part.paragraphs, part.subheadings)


def blocks(report: Report) -> list[Block]:
    """The report in reading order, in the official layout."""
    out = [Block("title", report_title(report))]
    places = _table_places(report)
    # Sub-headings before the first part (the parser lists them only in report.headings). Compared by
    # value: a report loaded from JSON has separate copies in report.headings and in its parts.
    in_parts = [h for p in report.parts for h in p.subheadings]
    loose = [h for h in report.headings if h.depth > 1 and h not in in_parts]
    out.extend(_text_blocks(report.preamble, loose))
    out.extend(_table_blocks(report, places.get(-1, [])))
    for i, part in enumerate(report.parts):
        out.extend(_part_blocks(part, places.get(i, []), report))
    return out
