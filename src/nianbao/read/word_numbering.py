"""Word's automatic list numbering: the visible 「一、」「（一）」「1.」 that exists only in numbering.xml.

A heading typed with Word's numbering button carries no number in its text: the paragraph has a
``w:numPr`` (list and level), and ``word/numbering.xml`` says how that level is shown (``w:numFmt``,
``w:lvlText`` such as ``%1、`` or ``（%1）``, ``w:start``). Counters run in document order, one set per
abstract list; a level restarts when a shallower level advances. Without this prefix the parser would
see 「总体情况」 where the reader of the document sees 「一、总体情况」.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from nianbao.read.word_xml import W, attr, child, int_attr, is_on

_CJK_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
_MAX_LEVELS = 9
# A prefix ending in one of these needs no space before the text: 「一、总体情况」, 「1.属于国家秘密」.
_CLOSING = "、.．)）:：，,"


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (Word's chineseCounting up to 999)."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = f"{_CJK_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        if hundreds or tens > 1:
            out += _CJK_DIGITS[tens]
        out += "十"
    elif hundreds and units:
        out += "零"
    if units:
        out += _CJK_DIGITS[units]
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, digits in _ROMAN:
        while n >= value:
            out += digits
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter value in one of Word's number formats (``w:numFmt``); unknown formats as decimals."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):  # fmt: skip
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CJK_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[n - 1] if 0 < n <= 10 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 0 < n <= 20 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(frozen=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    fmt: str = "decimal"
    text: str = ""  # lvlText, e.g. 「%1、」
    start: int = 1
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    suffix: str = "tab"
    legal: bool = False  # isLgl: every number shown as a decimal


def _levels(parent: etree._Element) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in parent.iterchildren(W.lvl):
        ilvl = int_attr(lvl, W.ilvl)
        if ilvl is None or not 0 <= ilvl < _MAX_LEVELS:
            continue
        start = int_attr(child(lvl, W.start), W.val)
        levels[ilvl] = Level(
            fmt=attr(child(lvl, W.numFmt), W.val) or "decimal",
            text=attr(child(lvl, W.lvlText), W.val) or "",
            start=1 if start is None else start,
            restart=int_attr(child(lvl, W.lvlRestart), W.val),
            suffix=attr(child(lvl, W.suff), W.val) or "tab",
            legal=is_on(child(lvl, W.isLgl)),
        )
    return levels


@dataclass
class _List:
    abstract: str
    levels: dict[int, Level]  # the abstract levels with this list's w:lvlOverride/w:lvl applied
    start_overrides: dict[int, int]
    used: bool = False


@dataclass
class Numbering:
    """List definitions of a document and the counters as the document is read in order."""

    lists: dict[str, _List] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstract list

    @classmethod
    def from_xml(cls, root: etree._Element | None) -> Numbering:
        """Read ``word/numbering.xml`` (None: a document without lists)."""
        numbering = cls()
        if root is None:
            return numbering
        abstracts = {attr(a, W.abstractNumId) or "": _levels(a) for a in root.iterchildren(W.abstractNum)}
        for num in root.iterchildren(W.num):
            num_id = attr(num, W.numId)
            abstract = attr(child(num, W.abstractNumId), W.val)
            if num_id is None or abstract is None or abstract not in abstracts:
                continue
            levels = dict(abstracts[abstract])
            starts: dict[int, int] = {}
            for override in num.iterchildren(W.lvlOverride):
                ilvl = int_attr(override, W.ilvl)
                if ilvl is None or not 0 <= ilvl < _MAX_LEVELS:
                    continue
                start = int_attr(child(override, W.startOverride), W.val)
                if start is not None:
                    starts[ilvl] = start
                levels.update(_levels(override))  # a w:lvl replacing the abstract one
            numbering.lists[num_id] = _List(abstract, levels, starts)
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The visible number of the next paragraph of list ``num_id`` at level ``ilvl``, with the
        separator before the text: 「一、」, 「（二）」, 「3.」 (「」 for bullets and unknown lists)."""
        lst = self.lists.get(num_id)
        if lst is None or not 0 <= ilvl < _MAX_LEVELS or ilvl not in lst.levels:
            return ""
        counters = self.counters.setdefault(lst.abstract, [None] * _MAX_LEVELS)
        if not lst.used:
            lst.used = True
            for restarted in lst.start_overrides:  # a restarted list (「重新开始编号」) starts afresh
                counters[restarted] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(lst, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            restart = lst.levels[deeper].restart if deeper in lst.levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        level = lst.levels[ilvl]
        if level.fmt == "bullet":
            return ""
        text = level.text
        for shown in range(_MAX_LEVELS - 1, -1, -1):  # %10 does not exist: replace %9 … %1
            marker = f"%{shown + 1}"
            if marker not in text:
                continue
            value = counters[shown]
            if value is None:
                value = self._start(lst, shown)
            fmt = lst.levels[shown].fmt if shown in lst.levels else "decimal"
            shown_text = "" if fmt == "none" else format_number(value, "decimal" if level.legal else fmt)
            text = text.replace(marker, shown_text)
        text = text.strip()
        if not text or level.suffix == "nothing":
            return text
        if level.suffix == "space":
            return text + " "
        # Word's default tab after the number: no gap after 「一、」 (the parser reads 「一、总体情况」),
        # a space after a bare number or letter.
        return text if text[-1] in _CLOSING else text + " "

    @staticmethod
    def _start(lst: _List, ilvl: int) -> int:
        if ilvl in lst.start_overrides:
            return lst.start_overrides[ilvl]
        return lst.levels[ilvl].start if ilvl in lst.levels else 1
