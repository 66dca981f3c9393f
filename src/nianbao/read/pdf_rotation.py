"""Pages turned by a quarter (/Rotate 90 or 270, or text drawn sideways) turned back upright.

pdfminer places characters as the viewer shows the page, so on a page rotated by a quarter the lines
of text run down (or up) the page, and every character is "not upright". Reading such a page line by
line would read across the lines. When most characters of a page run the same sideways direction,
characters and rules are mapped into the frame in which that text is upright, and the page is read
there like any other.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def _direction(ch: Obj) -> int:
    """+1 for a glyph whose baseline runs down the page, -1 for one running up, 0 otherwise."""
    matrix = ch.get("matrix")
    if not isinstance(matrix, (tuple, list)) or len(matrix) < 2:
        return 0
    a, b = float(matrix[0]), float(matrix[1])
    if abs(b) <= abs(a):
        return 0
    return 1 if b < 0 else -1  # pdfminer's y axis points up: b < 0 runs down the page


def sideways(chars: list[Obj]) -> int:
    """+1 (text runs down the page), -1 (runs up) when most characters are turned that way, else 0."""
    if not chars:
        return 0
    down = up = 0
    for ch in chars:
        d = _direction(ch)
        down += d == 1
        up += d == -1
    if down * 2 > len(chars):
        return 1
    if up * 2 > len(chars):
        return -1
    return 0


def _turn_box(obj: Obj, turn: int, width: float, height: float) -> Obj:
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    if turn == 1:  # text running down: (x, t) → (t, width − x)
        nx0, nx1, ntop, nbottom = top, bottom, width - x1, width - x0
    else:  # text running up: (x, t) → (height − t, x)
        nx0, nx1, ntop, nbottom = height - bottom, height - top, x0, x1
    new_height = width  # the turned page is as tall as the original is wide
    out = dict(obj)
    out.update(
        x0=nx0,
        x1=nx1,
        top=ntop,
        bottom=nbottom,
        doctop=ntop,
        y0=new_height - nbottom,
        y1=new_height - ntop,
        width=nx1 - nx0,
        height=nbottom - ntop,
    )
    return out


def turn_chars(chars: list[Obj], turn: int, width: float, height: float) -> list[Obj]:
    """Characters in the frame where text running ``turn`` is upright."""
    out = []
    for ch in chars:
        turned = _turn_box(ch, turn, width, height)
        turned["upright"], turned["matrix"] = True, None  # level in the turned frame
        out.append(turned)
    return out


def turn_edges(edges: list[Obj], turn: int, width: float, height: float) -> list[Obj]:
    """Rules in the same frame: horizontal rules become vertical ones and the other way round."""
    out = []
    for edge in edges:
        turned = _turn_box(edge, turn, width, height)
        turned["orientation"] = "h" if edge["orientation"] == "v" else "v"
        out.append(turned)
    return out
