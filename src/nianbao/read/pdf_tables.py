"""Ruled tables on a PDF page → grids of cell texts.

Tables are found from the page's *visible* rules only (given to pdfplumber's table finder as explicit
edges): Word and WPS draw a white, unstroked rectangle
behind every line of text (and tools shade cells), and pdfplumber would otherwise take those rectangles'
edges for table rules and return every paragraph as a one-column "table". A found grid is a data table
when it has at least two rows and two columns, two of them with two filled cells, and no cell holds a
paragraph unless several rows hold figures; a grid of paragraphs is a layout frame (a side-by-side
comparison, a boxed note) and its text is read as lines.

Cells are placed on the grid that the cell edges span: a merged cell's text stands in its first (top
left) position and the positions it covers are empty, the way flattened merges look in text (the
parser takes values from the ends of rows). Characters inside the table but in no cell (a rule missing
where a table continues from the previous page) go to the grid position they stand in. A label wrapped
inside its cell is joined into one line (no break between CJK characters).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import TableFinder
from pdfplumber.utils.geometry import obj_to_edges
from pdfplumber.utils.text import extract_text

from nianbao.read.pdf_glyphs import clean_line, join_wrapped

_PARAGRAPH_CHARS = 120  # a cell with this much text is a paragraph: the grid may be a layout frame
_FIGURE_ROWS = 3  # … unless this many rows hold figures (a table of figures with a long note row)
_FIGURE_RE = re.compile(r"^[-+]?\d[\d,.]*%?$")
_WHITE = 0.95  # a colour component at least this light counts as white (paper)
_EDGE_TOLERANCE = 1.0
_MIN_CELL = 3.0  # points: rules closer than this are one rule drawn twice (a double border)

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class PageTable:
    """A data table found on a page: its box and the text of each grid position (row by row)."""

    bbox: BBox
    rows: list[list[str]]


def _is_visible_colour(colour: Any) -> bool:
    if colour is None:
        return False
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not isinstance(colour, (tuple, list)) or not all(isinstance(v, (int, float)) for v in colour):
        return True  # a pattern or a named colour space: assume it shows
    if len(colour) == 1:
        return bool(colour[0] < _WHITE)
    if len(colour) == 3:
        return bool(min(colour) < _WHITE)
    if len(colour) == 4:
        return bool(max(colour) > 1 - _WHITE)  # CMYK: white is no ink
    return True


def _is_visible(obj: dict[str, Any]) -> bool:
    """Graphics a reader would see: stroked or filled in a colour other than the paper's."""
    if obj.get("stroke") and _is_visible_colour(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill") and _is_visible_colour(obj.get("non_stroking_color")))


def visible_rules(page: Page) -> list[dict[str, Any]]:
    """The horizontal and vertical edges of the page's visible lines, rectangles and curves."""
    edges: list[dict[str, Any]] = []
    for obj in (*page.lines, *page.rects, *page.curves):
        if not _is_visible(obj):
            continue
        for edge in obj_to_edges(obj):
            if edge.get("orientation") == "v" and abs(edge["x1"] - edge["x0"]) <= _EDGE_TOLERANCE:
                edges.append(edge)
            elif edge.get("orientation") == "h" and abs(edge["bottom"] - edge["top"]) <= _EDGE_TOLERANCE:
                edges.append(edge)
    return edges


def _positions(values: list[float]) -> list[float]:
    """Sorted distinct positions, those closer than a cell can be narrow counted once."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _MIN_CELL:
            out.append(v)
    return out


def _index(bounds: list[float], value: float) -> int:
    """The grid band of ``value`` among ``bounds`` (clamped to the grid)."""
    return min(max(bisect_right(bounds, value + _EDGE_TOLERANCE) - 1, 0), len(bounds) - 2)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


Interval = tuple[float, float]


def _merged(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching intervals as one (a rule drawn cell by cell is one rule)."""
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + _EDGE_TOLERANCE:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class _Grid:
    """The table's rules as a grid: every rule position, and which neighbouring positions a rule
    separates. Positions no rule separates belong to one (merged) cell."""

    def __init__(self, bbox: BBox, edges: list[dict[str, Any]]) -> None:
        x0, top, x1, bottom = bbox
        near = _EDGE_TOLERANCE * 2
        vertical = [
            e
            for e in edges
            if e["orientation"] == "v"
            and x0 - near <= e["x0"] <= x1 + near
            and _overlap(e["top"], e["bottom"], top - near, bottom + near) > 0
        ]
        horizontal = [e for e in edges if e["orientation"] == "h" and top - near <= e["top"] <= bottom + near]
        # A table broken by a page ends in an open row: its side rules run on past the last cross rule
        # (and a table continued from the previous page may start with one).
        left = [e for e in vertical if abs(e["x0"] - x0) <= near]
        right = [e for e in vertical if abs(e["x0"] - x1) <= near]
        if left and right:
            bottom = max(bottom, min(max(e["bottom"] for e in left), max(e["bottom"] for e in right)))
            top = min(top, max(min(e["top"] for e in left), min(e["top"] for e in right)))
        self.bbox: BBox = (x0, top, x1, bottom)
        # The box's sides, and the rules strictly inside it (a rule next to a side is that side drawn
        # twice: a double border, or a frame drawn around the table).
        inner_x = [e["x0"] for e in vertical if x0 + _MIN_CELL < e["x0"] < x1 - _MIN_CELL]
        inner_y = [e["top"] for e in horizontal if top + _MIN_CELL < e["top"] < bottom - _MIN_CELL]
        self.xs = [x0, *_positions(inner_x), x1]
        self.ys = [top, *_positions(inner_y), bottom]
        self.vertical = self._by_position([(e["x0"], e["top"], e["bottom"]) for e in vertical], self.xs)
        self.horizontal = self._by_position([(e["top"], e["x0"], e["x1"]) for e in horizontal], self.ys)

    @staticmethod
    def _by_position(
        edges: list[tuple[float, float, float]], bounds: list[float]
    ) -> dict[int, list[Interval]]:
        """The rules at each grid position, as merged intervals along the rule."""
        found: dict[int, list[Interval]] = {}
        for at, a, b in edges:
            k = bisect_right(bounds, at + _MIN_CELL) - 1
            if k >= 0 and abs(bounds[k] - at) <= _MIN_CELL:
                found.setdefault(k, []).append((a, b))
        return {k: _merged(v) for k, v in found.items()}

    @staticmethod
    def _ruled(rules: list[Interval], a0: float, a1: float) -> bool:
        """True when rules cover at least half of the stretch from ``a0`` to ``a1``."""
        covered = sum(max(0.0, _overlap(a, b, a0, a1)) for a, b in rules)
        return covered >= (a1 - a0) / 2

    def cells(self) -> list[list[int]]:
        """For every grid position, the index of the (merged) cell it belongs to."""
        nrows, ncols = len(self.ys) - 1, len(self.xs) - 1
        parent = list(range(nrows * ncols))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for r in range(nrows):
            for c in range(ncols):
                here = r * ncols + c
                if c + 1 < ncols and not self._ruled(
                    self.vertical.get(c + 1, []), self.ys[r], self.ys[r + 1]
                ):
                    parent[find(here + 1)] = find(here)
                if r + 1 < nrows and not self._ruled(
                    self.horizontal.get(r + 1, []), self.xs[c], self.xs[c + 1]
                ):
                    parent[find(here + ncols)] = find(here)
        return [[find(r * ncols + c) for c in range(ncols)] for r in range(nrows)]


def _grid(grid: _Grid, chars: list[dict[str, Any]]) -> list[list[str]]:
    owner = grid.cells()
    ncols = len(grid.xs) - 1
    # A merged cell's text stands in its first position (top row, then left column).
    first: dict[int, tuple[int, int]] = {}
    for r, row in enumerate(owner):
        for c, cell in enumerate(row):
            first.setdefault(cell, (r, c))
    texts: dict[int, list[dict[str, Any]]] = {}
    for ch in chars:
        r = _index(grid.ys, (ch["top"] + ch["bottom"]) / 2)
        c = _index(grid.xs, (ch["x0"] + ch["x1"]) / 2)
        texts.setdefault(owner[r][c], []).append(ch)
    rows = [[""] * ncols for _ in owner]
    for cell, cell_chars in texts.items():
        r, c = first[cell]
        rows[r][c] = cell_text(cell_chars)
    return rows


def cell_text(chars: list[dict[str, Any]]) -> str:
    """The text of a cell's characters: lines in reading order, a wrapped label joined into one."""
    text = extract_text(chars)
    return clean_line(join_wrapped(text.split("\n")))


def _inside(ch: dict[str, Any], bbox: BBox) -> bool:
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return bool(bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3])


def _is_data_table(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or not rows or len(rows[0]) < 2:
        return False
    filled = [t for row in rows for t in row if t]
    if not filled:
        return False
    figure_rows = sum(1 for row in rows if any(_FIGURE_RE.match(t) for t in row))
    if any(len(t) >= _PARAGRAPH_CHARS for t in filled) and figure_rows < _FIGURE_ROWS:
        return False  # a paragraph in a cell and few figures: a layout frame, not a table
    # At least two rows with two filled positions: a grid of boxes around single words is not a table.
    return sum(1 for row in rows if sum(1 for t in row if t) >= 2) >= 2


def find_tables(page: Page, chars: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[PageTable]:
    """The data tables that the rules ``edges`` (:func:`visible_rules`) draw on ``page``, top to
    bottom and left to right, their cells filled from ``chars``."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    found: list[PageTable] = []
    for table in TableFinder(page, settings).tables:
        if len({c[0] for c in table.cells}) < 2 or len({c[1] for c in table.cells}) < 2:
            continue  # a single row or column of boxes (highlighted words, a framed paragraph)
        grid = _Grid(tuple(float(v) for v in table.bbox), edges)  # type: ignore[arg-type]
        inside = [ch for ch in chars if _inside(ch, grid.bbox)]
        rows = _grid(grid, inside)
        if _is_data_table(rows):
            found.append(PageTable(grid.bbox, rows))
    found.sort(key=lambda t: (round(t.bbox[1]), t.bbox[0]))
    return found
