"""Text normalisation for matching: full-width/half-width forms, spaces, quotes.

Reports arrive with full-width and half-width punctuation and digits mixed, spaces inside labels
(「结果 维持」) and between digits and CJK (「2024 年」). Matching happens on normalised text; values and
places are always taken from the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_DOT_AFTER_DIGIT = re.compile(r"(?<=\d)[、．]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}\d％%，。；：、）（”“])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[{_CJK}％%，。；：、）（”“])")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Key for comparing table labels and headings: NFKC, no whitespace, unified quotes and 「1.」.

    >>> label_key("(二) 部分公开 (区分处理的, 只计这一情形)") == label_key("（二）部分公开（区分处理的，只计这一情形）")
    True
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE_RE.sub("", text)
    text = _DOT_AFTER_DIGIT.sub(".", text)
    return text.translate(_QUOTES)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise narrative text for pattern matching and keep, per output char, its offset in ``text``.

    Full-width digits, letters and punctuation become half-width (NFKC, character by character),
    and spaces next to CJK characters or digits are dropped («2024 年» → «2024年», «4376 余条» → «4376余条»).
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm:
            out.append(c)
            offsets.append(i)
    joined = "".join(out)
    keep = [True] * len(joined)
    for m in _SPACE_NEAR_CJK.finditer(joined):
        for k in range(m.start(), m.end()):
            keep[k] = False
    text_out = "".join(c for c, k in zip(joined, keep, strict=True) if k)
    offs = [o for o, k in zip(offsets, keep, strict=True) if k]
    return text_out, offs


def normalize_text(text: str) -> str:
    """:func:`normalize_with_map` without the offsets."""
    return normalize_with_map(text)[0]


def compact(text: str) -> str:
    """Text with every kind of whitespace removed (for containment tests on wrapped lines)."""
    return _SPACE_RE.sub("", text)
