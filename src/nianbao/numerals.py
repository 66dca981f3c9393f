"""Numbers as written in Chinese reports: Arabic (with full-width digits), Chinese numerals, 万/亿."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
# A number as it appears in narrative text (after normalize_text): 4376, 1,295, 17.46, 二十, 两, 1.2万.
NUMBER_PATTERN = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:万|亿)?|[{CHINESE_NUMERAL_CHARS}]+)"
_ARABIC_RE = re.compile(r"^(\d+(?:,\d{3})*(?:\.\d+)?)(万|亿)?$")


def _chinese_to_int(text: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch] if ch == "亿" else total + section * _BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(text: str) -> int | Decimal | None:
    """Parse «4376», «４３７６», «1,295», «17.46», «二十», «两», «一百零五», «1.2万» into a number.

    Integers come back as ``int``; anything with a fractional part as ``Decimal``. Unparseable text
    gives ``None``.

    >>> parse_number("二十"), parse_number("两"), parse_number("1.2万"), parse_number("17.46")
    (20, 2, 12000, Decimal('17.46'))
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    m = _ARABIC_RE.match(text)
    if m:
        try:
            value = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None
        if m.group(2):
            value *= _BIG_UNITS[m.group(2)]
        return int(value) if value == value.to_integral_value() else value
    if all(ch in CHINESE_NUMERAL_CHARS for ch in text):
        # 「二〇二四」 is a year written digit by digit, not a quantity.
        if all(ch in _DIGITS for ch in text) and len(text) > 1:
            return int("".join(str(_DIGITS[ch]) for ch in text))
        return _chinese_to_int(text)
    return None
