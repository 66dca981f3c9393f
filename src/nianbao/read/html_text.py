"""HTML text as a browser shows it: collapsed whitespace, no-break spaces, line breaks between CJK.

Whitespace runs become one space, as in a browser. A run that holds a line break between two wide
(CJK) characters disappears instead (the CSS segment-break rule for Chinese): Word-pasted pages wrap
「政府信息\\n公开」 in the middle of words, and a ``<br>`` inside a table label (「本年新收政府信息<br>公开申请数量」)
joins without a space. ``&nbsp;`` and ``&#12288;`` are spaces; zero-width characters are dropped.
"""

from __future__ import annotations

import re

_WS_RE = re.compile(r"[ \t\n\r\f\v\u00a0\u3000\u2002-\u200a\u202f\u205f]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def is_wide(ch: str) -> bool:
    """CJK ideographs, CJK punctuation, full-width forms and the curly quotes of Chinese text."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3001 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF60
        or 0xFFE0 <= code <= 0xFFE6
        or 0x2018 <= code <= 0x201D
        or code == 0x2026
    )


def collapse(raw: str) -> str:
    """Browser-rendered text of raw HTML text (see the module docstring), stripped."""
    raw = _ZERO_WIDTH_RE.sub("", raw)

    def replace(m: re.Match[str]) -> str:
        run = m.group()
        if "\n" in run or "\r" in run:
            start, end = m.start(), m.end()
            if start and end < len(raw) and is_wide(raw[start - 1]) and is_wide(raw[end]):
                return ""
        return " "

    return _WS_RE.sub(replace, raw).strip()
