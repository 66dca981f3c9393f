"""A Word table as a grid: merged cells expanded the way a reader of the printed table sees them.

Word stores a row as its cells (``w:tc``); a cell merged across columns carries ``w:gridSpan``, a cell
merged down rows is a ``w:vMerge="restart"`` cell followed by ``w:vMerge`` (continue) cells in the rows
below, and a row may start or end beside the grid (``w:gridBefore``/``w:gridAfter``). Here every grid
position a cell covers repeats the cell's text, so that a header such as 「申请人情况」 or a row label
such as 「三、本年度办理结果」 stands beside every value it labels. A row deleted as a tracked change is
left out; grid positions before a row's first cell (``w:gridBefore``) are blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from nianbao.read.word_xml import W, attr, child, int_attr

MAX_GRID_COLUMNS = 256  # Word allows 63 columns; a larger span is damage, not a table
_WRAPPERS = frozenset({W.sdt, W.customXml})


@dataclass(frozen=True, slots=True)
class GridCell:
    """One grid position of a row: the ``w:tc`` covering it (None before the row's first cell)."""

    col: int
    text: str
    tc: etree._Element | None


def unwrapped(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking inside content controls and custom XML wrappers."""
    for node in element:
        if node.tag == tag:
            yield node
        elif node.tag in _WRAPPERS:
            content = child(node, W.sdtContent) if node.tag == W.sdt else node
            if content is not None:
                yield from unwrapped(content, tag)


def _vmerge(tcpr: etree._Element | None) -> str | None:
    merge = child(tcpr, W.vMerge)
    if merge is None:
        return None
    return "restart" if attr(merge, W.val) == "restart" else "continue"


def grid_rows(
    tbl: etree._Element, cell_text: Callable[[etree._Element], str]
) -> Iterator[tuple[int, list[GridCell]]]:
    """(row index among the table's rows, the row's grid cells) for every row not deleted.

    ``cell_text`` is called once per cell that holds content, in document order.
    """
    above: dict[int, str] = {}  # grid column → text of the row above, for vertically merged cells
    for r, tr in enumerate(unwrapped(tbl, W.tr)):
        trpr = child(tr, W.trPr)
        if child(trpr, W("del")) is not None:
            continue
        col = max(0, min(int_attr(child(trpr, W.gridBefore), W.val) or 0, MAX_GRID_COLUMNS))
        cells = [GridCell(c, "", None) for c in range(col)]
        for tc in unwrapped(tr, W.tc):
            if col >= MAX_GRID_COLUMNS:
                break
            tcpr = child(tc, W.tcPr)
            span = max(1, min(int_attr(child(tcpr, W.gridSpan), W.val) or 1, MAX_GRID_COLUMNS - col))
            if _vmerge(tcpr) == "continue":
                cells.extend(GridCell(col + k, above.get(col + k, ""), tc) for k in range(span))
            else:
                text = cell_text(tc)
                cells.extend(GridCell(col + k, text, tc) for k in range(span))
            col += span
        above = {cell.col: cell.text for cell in cells}
        yield r, cells
