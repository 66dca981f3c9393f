"""Text as a PDF's glyphs give it: radical code points mapped back to characters, spacing tidied.

Fonts in Chinese PDFs often map glyphs to the Kangxi radical block (「⼀」 U+2F00 for 一, 「⾏」 for 行)
or to the CJK radicals supplement (「⺠」 for 民, 「⻅」 for 见): the page looks right, but the text does
not match 一、总体情况 or 行政许可. Only those two blocks are mapped here (NFKC for the Kangxi radicals,
a table for the supplement, which has no compatibility mappings); the rest of the text is left as it is,
because the parser normalises text for matching itself.

pdfplumber puts a space wherever two glyphs stand apart, so justified Chinese lines come out as
「号 ， 邮 编 ：」 and a label spread over its cell as 「总 计」. A space between two CJK characters is
never meaningful in these reports and is removed; a space next to a digit or a Latin letter is kept
(「行政许可 550」 is a label followed by its value).
"""

from __future__ import annotations

import re
import unicodedata

# CJK radicals supplement: radicals drawn exactly like a common character (C-simplified forms included).
_SUPPLEMENT = {
    0x2E81: "厂", 0x2E87: "几", 0x2E8A: "卜", 0x2E8E: "兀", 0x2E92: "巳", 0x2E93: "幺", 0x2E9B: "旡",
    0x2E9C: "日", 0x2E9D: "月", 0x2E9E: "歺", 0x2E9F: "母", 0x2EA0: "民", 0x2EA9: "王", 0x2EAC: "示",
    0x2EAF: "糸", 0x2EBC: "月", 0x2EBD: "臼", 0x2EC1: "虎", 0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角",
    0x2EC9: "贝", 0x2ECB: "车", 0x2ED3: "长", 0x2ED4: "门", 0x2ED7: "雨", 0x2ED8: "青", 0x2ED9: "韦",
    0x2EDA: "页", 0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼",
    0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾", 0x2EEC: "齐",
    0x2EEE: "齿", 0x2EF0: "龙", 0x2EF3: "龟",
}  # fmt: skip
_RADICALS: dict[int, str] = {
    **{cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)},
    **_SUPPLEMENT,
}
_RADICAL_RE = re.compile("[\u2e80-\u2fdf]")

# CJK ideographs, CJK punctuation, full-width forms and the quotes and brackets set in CJK text.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’…—·"
_CJK_GAP_RE = re.compile(f"(?<=[{_CJK}])[ \u3000\u00a0]+(?=[{_CJK}])")
_SPACES_RE = re.compile("[ \u00a0]{2,}")


def fix_radicals(text: str) -> str:
    """Radical code points (「⼀」「⾏」「⺠」) as the characters they stand for (「一」「行」「民」)."""
    if _RADICAL_RE.search(text) is None:
        return text
    return text.translate(_RADICALS)


def tidy_spaces(text: str) -> str:
    """No space between two CJK characters; runs of spaces elsewhere as one; no spaces at the ends."""
    return _SPACES_RE.sub(" ", _CJK_GAP_RE.sub("", text)).strip()


def clean_line(text: str) -> str:
    """A line of PDF text ready for the parser: radicals mapped, spacing tidied."""
    return tidy_spaces(fix_radicals(text))


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph, CJK punctuation or a full-width form."""
    return bool(_CJK_ONE_RE.match(ch))


_CJK_ONE_RE = re.compile(f"[{_CJK}]")


def join_wrapped(lines: list[str]) -> str:
    """The lines of a table cell as one text: a label wrapped inside its cell is one label again.

    Between CJK characters (「只计这一情形，不」 + 「计其他情形）」) nothing is inserted; between Latin
    letters or digits a space is, so that words and numbers stay apart.
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(line[0])):
            out += " "
        out += line
    return out
