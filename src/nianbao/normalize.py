"""Text normalisation for matching: full-width/half-width forms, spaces, quotes.

Reports arrive with full-width and half-width punctuation and digits mixed, spaces inside labels
(「结果 维持」) and between digits and CJK (「2024 年」). Matching happens on normalised text; values and
places are always taken from the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_DOT_AFTER_DIGIT = re.compile(r"(?<=\d)[、．]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}\d％%，。；：、）（”“])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[{_CJK}％%，。；：、）（”“])")


# Characters whose NFKC forms are characters that never combine with their neighbours (ASCII, CJK
# ideographs and punctuation, full-width forms): a text of only these normalises character by character.
# (CJK ideographs are NFKC-stable; the other ranges are small enough to map out at import.)
_NFKC_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_NFKC_SMALL = (
    (0x00, 0x7F), (0xB7, 0xB7), (0x2010, 0x2016), (0x2018, 0x2027), (0x2030, 0x203D),
    (0x3000, 0x3011), (0x3014, 0x301F), (0xFF01, 0xFF5E),
)  # fmt: skip
_NFKC_OTHER_RE = re.compile(
    "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in (*_NFKC_SMALL, *_NFKC_CJK)) + "]"
)
_NFKC_MAP = {
    ch: norm
    for a, b in _NFKC_SMALL
    for ch in map(chr, range(a, b + 1))
    if (norm := unicodedata.normalize("NFKC", ch)) != ch
}  # the 100 or so characters of that set that change (full-width forms, 「　」, 「…」)
_NFKC_CHANGE_RE = re.compile("[" + "".join(map(re.escape, _NFKC_MAP)) + "]")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, several times faster on ordinary report text.

    Normalising Chinese prose is slow (every full-width mark makes the whole text go through
    decomposition and composition); text made only of characters that never combine is mapped
    character by character instead, with the same result.
    """
    if _NFKC_OTHER_RE.search(text):
        return unicodedata.normalize("NFKC", text)
    return _NFKC_CHANGE_RE.sub(_nfkc_match, text)


def _nfkc_match(m: re.Match[str]) -> str:
    return _NFKC_MAP[m.group()]


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Key for comparing table labels and headings: NFKC, no whitespace, unified quotes and 「1.」.

    >>> label_key("(二) 部分公开 (区分处理的, 只计这一情形)") == label_key("（二）部分公开（区分处理的，只计这一情形）")
    True
    """
    text = nfkc(text)
    text = _SPACE_RE.sub("", text)
    text = _DOT_AFTER_DIGIT.sub(".", text)
    return _QUOTE_RE.sub(_quote, text)  # text.translate(_QUOTES), without a lookup per character


class _NfkcByCharacter(dict[int, str]):
    """``str.translate`` table: each character to its own NFKC form (ASCII unchanged), filled on first use."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        norm = unicodedata.normalize("NFKC", ch) if code > 127 else ch
        self[code] = norm
        return norm


# Bounded by the number of distinct characters (tens of thousands at most).
_NFKC_CHARS = _NfkcByCharacter()


_QUOTE_OF = {chr(k): v for k, v in _QUOTES.items()}
_QUOTE_RE = re.compile("[" + "".join(_QUOTE_OF) + "]")


def _quote(m: re.Match[str]) -> str:
    return _QUOTE_OF[m.group()]


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise narrative text for pattern matching and keep, per output char, its offset in ``text``.

    Full-width digits, letters and punctuation become half-width (NFKC, character by character),
    and spaces next to CJK characters or digits are dropped («2024 年» → «2024年», «4376 余条» → «4376余条»).
    """
    # Text of characters that never combine: the per-character NFKC of nfkc(), without a lookup per
    # character (str.translate); other text through the table of per-character forms.
    joined = text.translate(_NFKC_CHARS) if _NFKC_OTHER_RE.search(text) else _NFKC_CHANGE_RE.sub(_nfkc_match, text)
    offsets: Sequence[int]
    if len(joined) == len(text):
        offsets = range(len(text))  # every character stayed one character
    else:
        # Some character expanded (「①」 → 「1」 is one, 「㈠」 → 「(一)」 three): map character by character.
        out: list[str] = []
        offs_list: list[int] = []
        for i, ch in enumerate(text):
            norm = _NFKC_CHARS[ord(ch)]
            out.append(norm)
            offs_list.extend([i] * len(norm))
        joined, offsets = "".join(out), offs_list
    if " " not in joined and "\t" not in joined:
        return joined, list(offsets)  # no space left to drop (NFKC made 「　」 and NBSP plain spaces)
    pieces: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in _SPACE_NEAR_CJK.finditer(joined):
        pieces.append(joined[pos : m.start()])
        offs.extend(offsets[pos : m.start()])
        pos = m.end()
    pieces.append(joined[pos:])
    offs.extend(offsets[pos:])
    return "".join(pieces), offs


@lru_cache(maxsize=4096)
def normalized(text: str) -> tuple[str, tuple[int, ...]]:
    """:func:`normalize_with_map`, cached: several rules normalise the same paragraphs of a report."""
    norm, offsets = normalize_with_map(text)
    return norm, tuple(offsets)


def normalize_text(text: str) -> str:
    """:func:`normalize_with_map` without the offsets."""
    return normalize_with_map(text)[0]


def compact(text: str) -> str:
    """Text with every kind of whitespace removed (for containment tests on wrapped lines)."""
    return _SPACE_RE.sub("", text)
