"""Characters outside tables → visual lines of text, in reading order (one or two columns).

Words (pdfplumber's, split where glyphs stand apart) are grouped into lines by vertical overlap and
read left to right. A page set in two columns (a side-by-side comparison printed from a web page) is
read column by column: a vertical gutter free of words, with prose lines on both sides, splits the
page; lines and tables that cross it are full-width and separate bands, each band read left column
first. A one-column page (every report as published) has no such gutter and is read top to bottom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pdfplumber.utils.text import extract_words

from nianbao.read.pdf_glyphs import clean_line
from nianbao.read.pdf_tables import PageTable

_GUTTER_MIN = 10.0  # points of empty width between two columns
_GUTTER_ZONE = (0.25, 0.75)  # where a gutter may lie, as fractions of the page width
_COLUMN_PROSE_LINES = 5  # lines of prose each column needs before the page counts as two columns
_PROSE_RE = re.compile(r"[\u4e00-\u9fff]")
_PROSE_MIN_CJK = 8


@dataclass(slots=True)
class PageLine:
    """One visual line of text on a page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


PageItem = PageLine | PageTable


def _lines(words: list[dict[str, Any]]) -> list[PageLine]:
    """Words grouped into lines: a word whose middle lies within a line's height is on that line."""
    groups: list[tuple[list[float], list[dict[str, Any]]]] = []  # ([top, bottom], words)
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        mid = (word["top"] + word["bottom"]) / 2
        if groups and groups[-1][0][0] <= mid <= groups[-1][0][1]:
            box, members = groups[-1]
            box[0], box[1] = min(box[0], word["top"]), max(box[1], word["bottom"])
            members.append(word)
        else:
            groups.append(([word["top"], word["bottom"]], [word]))
    lines: list[PageLine] = []
    for (top, bottom), members in groups:
        members.sort(key=lambda w: w["x0"])
        text = clean_line(" ".join(w["text"] for w in members))
        if text:
            lines.append(
                PageLine(text, min(w["x0"] for w in members), top, max(w["x1"] for w in members), bottom)
            )
    return lines


def _is_prose(line: PageLine) -> bool:
    return len(_PROSE_RE.findall(line.text)) >= _PROSE_MIN_CJK


def _gutter(words: list[dict[str, Any]], width: float) -> tuple[float, float] | None:
    """The widest vertical band in the middle of the page that (almost) no word crosses, when both
    sides of it hold prose lines: the page is set in two columns."""
    if len(words) < 2 * _COLUMN_PROSE_LINES or width <= 0:
        return None
    lo, hi = int(width * _GUTTER_ZONE[0]), int(width * _GUTTER_ZONE[1])
    delta = [0] * (hi - lo + 1)
    for w in words:
        a, b = max(lo, int(w["x0"])), min(hi, int(w["x1"]) + 1)
        if a < b:
            delta[a - lo] += 1
            delta[b - lo] -= 1
    # A title or a caption centred across both columns crosses the gutter: a few crossings are allowed
    # (those lines are read as full-width lines between the two columns' bands).
    allowed = max(2, len({round(w["top"]) for w in words}) // 20)
    best: tuple[int, int] | None = None
    start: int | None = None
    for i, covered in enumerate(accumulate(delta)):
        if covered <= allowed and i < hi - lo:
            start = i if start is None else start
            continue
        if start is not None and (best is None or i - start > best[1] - best[0]):
            best = (start, i)
        start = None
    if best is None or best[1] - best[0] < _GUTTER_MIN:
        return None
    left, right = lo + best[0], lo + best[1]
    sides = (
        _lines([w for w in words if w["x1"] <= left + 1]),
        _lines([w for w in words if w["x0"] >= right - 1]),
    )
    if all(sum(1 for line in side if _is_prose(line)) >= _COLUMN_PROSE_LINES for side in sides):
        return float(left), float(right)
    return None


def _top(item: PageItem) -> float:
    return item.top if isinstance(item, PageLine) else item.bbox[1]


def _x_range(item: PageItem) -> tuple[float, float]:
    return (item.x0, item.x1) if isinstance(item, PageLine) else (item.bbox[0], item.bbox[2])


def page_items(chars: list[dict[str, Any]], tables: list[PageTable], width: float) -> list[PageItem]:
    """The page's text lines (from ``chars``, the characters outside tables) and its tables, in
    reading order."""
    words = extract_words(chars, x_tolerance=3, y_tolerance=3, keep_blank_chars=False)
    gutter = _gutter(words, width)
    if gutter is None:
        items: list[PageItem] = [*_lines(words), *tables]
        items.sort(key=lambda it: (round(_top(it), 1), _x_range(it)[0]))
        return items
    left, right = gutter
    full: list[PageItem] = [*_lines([w for w in words if w["x1"] > left + 1 and w["x0"] < right - 1])]
    columns: list[list[PageItem]] = [
        [*_lines([w for w in words if w["x1"] <= left + 1])],
        [*_lines([w for w in words if w["x0"] >= right - 1])],
    ]
    for table in tables:
        x0, x1 = _x_range(table)
        if x1 <= left + 1:
            columns[0].append(table)
        elif x0 >= right - 1:
            columns[1].append(table)
        else:
            full.append(table)
    full.sort(key=_top)
    bands: list[list[PageItem]] = [[] for _ in range(len(full) + 1)]
    for column in columns:
        column.sort(key=_top)
        for item in column:
            index = sum(1 for f in full if _top(f) < _top(item))
            bands[index].append(item)  # left column's items first: columns are visited in order
    ordered: list[PageItem] = []
    for i, band in enumerate(bands):
        ordered.extend(band)
        if i < len(full):
            ordered.append(full[i])
    return ordered
