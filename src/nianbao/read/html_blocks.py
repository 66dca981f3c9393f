"""The article container of a page → text blocks and table blocks with element spans.

Every block-level element (``<p>``, ``<div>``, ``<h1>``…``<h6>``, ``<li>``…) starts a new line, and so
does every ``<br>``: a paragraph 「沭阳县发展和改革局<br>2024年1月17日」 gives the signature and the date
as two lines, like the text reader, and the parser joins wrapped lines where it needs to. Inline
markup (``<span style=…>`` nests, ``<font>``, Word's ``<o:p>``) only contributes its text.

Tables become grids with ``rowspan``/``colspan`` expanded (the text of a spanning cell repeated in every
grid position it covers), ``<th>`` and ``<td>`` alike, a cell's paragraphs and ``<br>``-wrapped label
joined into one text. A table that holds another table, or a single cell, is page layout: its cells are
read as flowing text and the inner tables as tables.

Spans: a text block → ``Span(path, element=<getpath of its block element>, line=<sourceline>)``; a table
cell → ``Span(path, element=<getpath of the td>, line=<its sourceline>, table=t, row=r, cell=c)`` with t
the index among the article's tables and r/c grid indices.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml.etree import _ElementTree
from lxml.html import HtmlElement

from nianbao.errors import TooLargeError
from nianbao.model.document import TableBlock, TableCellText, TextBlock
from nianbao.model.span import Span
from nianbao.model.trusted import trusted
from nianbao.read.html_boilerplate import is_furniture_line, is_hard_junk, tag_of
from nianbao.read.html_text import collapse
from nianbao.read.text import is_page_footer

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "li", "listing", "main", "menu", "nav", "ol", "p",
        "plaintext", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        "xmp",
    }
)  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPAN_ATTR_RE = re.compile(r"\s*(\d+)")
# The HTML standard's limits for colspan and rowspan; the grid as a whole is bounded too.
_MAX_COLSPAN = 1000
_MAX_GRID_CELLS = 50_000  # a report's tables have a few hundred cells

Skip = Callable[[HtmlElement], bool]


def table_rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows in display order: thead rows first, tfoot rows last (not nested tables')."""
    head: list[HtmlElement] = []
    body: list[HtmlElement] = []
    foot: list[HtmlElement] = []
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            body.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if tag_of(tr) == "tr"]
            (head if tag == "thead" else foot if tag == "tfoot" else body).extend(rows)
    return head + body + foot


def row_cells(tr: HtmlElement) -> list[HtmlElement]:
    """The ``<td>`` and ``<th>`` children of a row."""
    return [cell for cell in tr if tag_of(cell) in ("td", "th")]


def _span_attr(cell: HtmlElement, name: str) -> int:
    m = _SPAN_ATTR_RE.match(cell.get(name) or "")
    return int(m.group(1)) if m else 1


def has_inner_table(table: HtmlElement) -> bool:
    """True when a table holds another table (a layout table around the real one)."""
    return any(True for _ in table.iterdescendants("table"))


def is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout: it holds another table, or it has a single cell."""
    if has_inner_table(table):
        return True
    cells = [cell for tr in table_rows(table) for cell in row_cells(tr)]
    return len(cells) <= 1


class Flow:
    """Walks an article container in document order and collects its blocks."""

    def __init__(self, tree: _ElementTree, path: str | None, skip: Skip) -> None:
        self.tree = tree
        self.path = path
        self.skip = skip
        self.blocks: list[TextBlock | TableBlock] = []
        self.tables = 0
        self._pieces: list[str] = []
        self._anchor: HtmlElement | None = None
        self._line: int | None = None
        self._block: HtmlElement | None = None
        self._grid_cells = 0
        self.page_footers = 0  # 「— 4 —」 lines of a PDF pasted into the CMS

    # --- text lines -------------------------------------------------------------------------------

    def _add(self, text: str, block: HtmlElement, line: int | None) -> None:
        if not self._pieces:
            self._anchor, self._line, self._block = block, line, block
        self._pieces.append(text)

    def _flush(self) -> None:
        if not self._pieces:
            return
        text = collapse("".join(self._pieces))
        anchor, line, block = self._anchor, self._line, self._block
        self._pieces, self._anchor, self._line, self._block = [], None, None, None
        if not text or anchor is None or is_furniture_line(text):
            return
        if is_page_footer(text):
            self.page_footers += 1
            return
        style = tag_of(block) if block is not None and tag_of(block) in _HEADING_TAGS else None
        span = Span(path=self.path, element=self.tree.getpath(anchor), line=line)
        self.blocks.append(TextBlock(text=text, path=self.path, line=line, given=span, style=style))

    def walk(self, element: HtmlElement, block: HtmlElement | None = None) -> None:
        """Collect the blocks of ``element`` and its descendants (not its tail)."""
        if self.skip(element):
            return
        tag = tag_of(element)
        if tag == "br":
            self._flush()
            return
        if tag == "table":
            self._flush()
            self._table(element)
            return
        is_block = tag in BLOCK_TAGS or block is None
        if is_block:
            self._flush()
            block = element
        assert block is not None
        if element.text:
            self._add(element.text, block, element.sourceline)
        for child in element:
            self.walk(child, block)
            if child.tail:
                self._add(child.tail, block, child.sourceline)
        if is_block:
            self._flush()

    def finish(self) -> list[TextBlock | TableBlock]:
        """The blocks collected so far (the last line flushed)."""
        self._flush()
        return self.blocks

    # --- tables -----------------------------------------------------------------------------------

    @staticmethod
    def _spans(td: HtmlElement, rows_left: int) -> tuple[int, int]:
        """(rowspan, colspan) as a browser applies them: rowspan="0" spans to the end of the table, no
        span reaches past the last row, colspan is at most 1000."""
        rowspan = _span_attr(td, "rowspan")
        rowspan = rows_left if rowspan == 0 else min(rowspan, rows_left)
        return rowspan, min(max(_span_attr(td, "colspan"), 1), _MAX_COLSPAN)

    def _table(self, table: HtmlElement) -> None:
        if is_layout_table(table):
            for tr in table_rows(table):
                for cell in row_cells(tr):
                    self.walk(cell, cell)
            return
        for caption in table.iterchildren("caption"):
            self.walk(caption, caption)  # 「表三 收到和处理政府信息公开申请情况」 before the grid
            self._flush()
        rows = self._grid(table, self.tables)
        if not rows:
            return
        span = Span(
            path=self.path, element=self.tree.getpath(table), line=table.sourceline, table=self.tables
        )
        self.blocks.append(TableBlock(rows=rows, span=span))
        self.tables += 1

    def _grid(self, table: HtmlElement, index: int) -> list[list[TableCellText]]:
        trs = table_rows(table)
        spans = [[self._spans(td, len(trs) - r) for td in row_cells(tr)] for r, tr in enumerate(trs)]
        # Refuse before building: colspan="1000" on every row of a crafted page would take seconds.
        self._grid_cells += sum(rs * cs for row in spans for rs, cs in row)
        if self._grid_cells > _MAX_GRID_CELLS:
            where = self.path or "<input>"
            raise TooLargeError(
                f"{where}: the page's tables expand to more than {_MAX_GRID_CELLS} cells",
                f"{where}：网页中的表格展开后超过{_MAX_GRID_CELLS}个单元格，不像一份年度报告。",
                path=self.path,
            )
        grid: list[dict[int, TableCellText]] = [{} for _ in trs]
        for r, tr in enumerate(trs):
            c = 0
            for td, (rowspan, colspan) in zip(row_cells(tr), spans[r], strict=True):
                while c in grid[r]:
                    c += 1
                text = cell_text(td, self.skip)
                element = self.tree.getpath(td)
                for dr in range(rowspan):
                    row = grid[r + dr]
                    for dc in range(colspan):
                        given = trusted(
                            Span,
                            path=self.path,
                            line=td.sourceline,
                            table=index,
                            row=r + dr,
                            cell=c + dc,
                            element=element,
                        )
                        row[c + dc] = TableCellText(text, td.sourceline, None, self.path, given)
                c += colspan
        rows: list[list[TableCellText]] = []
        for r, (tr, cells) in enumerate(zip(trs, grid, strict=True)):
            if not cells:
                continue
            width = max(cells) + 1
            # A hole (a row with fewer cells than the ones around it) is an empty cell at its place.
            hole = Span(path=self.path, element=self.tree.getpath(tr), line=tr.sourceline, table=index, row=r)
            rows.append([cells.get(c) or _hole(hole, c) for c in range(width)])
        return rows


def _hole(span: Span, c: int) -> TableCellText:
    return TableCellText("", span.line, None, span.path, span.model_copy(update={"cell": c}))


def _raw_text(element: HtmlElement, skip: Skip) -> Iterator[str]:
    """The raw text of an element with a line break at every block boundary and ``<br>``."""
    if skip(element):
        return
    tag = tag_of(element)
    if tag == "br":
        yield "\n"
        return
    is_block = tag in BLOCK_TAGS
    if is_block:
        yield "\n"
    if element.text:
        yield element.text
    for child in element:
        yield from _raw_text(child, skip)
        if child.tail:
            yield child.tail
    if is_block:
        yield "\n"


def cell_text(cell: HtmlElement, skip: Skip) -> str:
    """A cell's text on one line: paragraphs and ``<br>`` lines joined, whitespace collapsed."""
    return collapse("".join(_raw_text(cell, skip)))


def default_skip(element: HtmlElement) -> bool:
    """Skip only elements that never hold report text."""
    return is_hard_junk(element)
