"""Page headers and footers: page numbers and text repeated in the margins of every page.

Only the outermost lines of a page are candidates (at most two at the top and two at the bottom, in
the top or bottom eighth of the page, with nothing between them and the edge). A candidate is dropped
when it is a page number (「- 3 -」「— 3 —」「第3页 共5页」「3/5」「3」), or when the same text (digits
aside) stands at the same height on at least half the pages of a document of two pages or more (a
running header such as the agency's name, or 「第 3 页」 in a form the patterns do not know).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from nianbao.normalize import compact
from nianbao.read.pdf_lines import PageItem, PageLine
from nianbao.read.text import is_page_footer

_MARGIN = 0.125  # the top and bottom eighth of the page
_CANDIDATES = 2  # lines per edge that may be a header or a footer
_SAME_HEIGHT = 4.0  # points
_PAGE_NUMBER_RE = re.compile(
    r"^[-－—–―─~～\s]*(?:\d{1,3}|[一二三四五六七八九十]{1,3})[-－—–―─~～\s]*$"
    r"|^(?:第\s*\d{1,3}\s*页\s*[,，/／]?\s*)?共\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*第\s*\d{1,3}\s*页)?$"
    r"|^(?:page|Page|PAGE)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$"
)
_DIGITS_RE = re.compile(r"\d+")


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number, in any of the usual forms."""
    t = text.strip()
    return bool(_PAGE_NUMBER_RE.match(t)) or is_page_footer(t)


@dataclass(slots=True)
class PageLines:
    """A page's items in reading order, with its height (the margins are fractions of it)."""

    height: float
    items: list[PageItem]
    dropped: set[int] = field(default_factory=set)  # ids of the lines found to be headers or footers


def _edge_candidates(page: PageLines) -> list[PageLine]:
    """The outermost lines at the top and at the bottom that lie in the margins."""
    ordered = sorted(page.items, key=lambda it: it.top if isinstance(it, PageLine) else it.bbox[1])
    found: dict[int, PageLine] = {}  # by id: on a short page a line can be outermost at both edges
    for item in ordered[:_CANDIDATES]:
        if not isinstance(item, PageLine) or item.bottom > page.height * _MARGIN:
            break  # a table or a body line: nothing below it is at the edge
        found[id(item)] = item
    for item in ordered[::-1][:_CANDIDATES]:
        if not isinstance(item, PageLine) or item.top < page.height * (1 - _MARGIN):
            break
        found[id(item)] = item
    return list(found.values())


def drop_margins(pages: list[PageLines]) -> tuple[int, int]:
    """Mark page numbers and running headers or footers in ``pages`` (``PageLines.dropped``).

    Returns (page numbers, other repeated margin lines) found.
    """
    numbers = repeated = 0
    by_text: dict[str, list[tuple[int, PageLine]]] = defaultdict(list)
    for i, page in enumerate(pages):
        for line in _edge_candidates(page):
            if is_page_number(line.text):
                page.dropped.add(id(line))
                numbers += 1
            else:
                by_text[_DIGITS_RE.sub("#", compact(line.text))].append((i, line))
    if len(pages) < 2:
        return numbers, repeated
    needed = max(2, (len(pages) + 1) // 2)
    for occurrences in by_text.values():
        if len({i for i, _ in occurrences}) < needed:
            continue
        tops = sorted(line.top for _, line in occurrences)
        middle = tops[len(tops) // 2]
        same = [(i, line) for i, line in occurrences if abs(line.top - middle) <= _SAME_HEIGHT]
        if len({i for i, _ in same}) >= needed:
            for i, line in same:
                pages[i].dropped.add(id(line))
                repeated += 1
    return numbers, repeated
