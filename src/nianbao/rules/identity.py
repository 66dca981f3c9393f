"""What the identity rules (ID-AGENCY, ID-LEVEL-WORD, ID-YEAR) share: the report's own scope and its text.

A report speaks for one agency of one jurisdiction (the title's 鲁山县人民政府办公室 of 鲁山县, a county
under 平顶山市 in 河南省). Copied reports betray themselves by names and words of another agency or
level (平顶山市人民政府办公室, 舞钢市, 全市, 市政府办公室) and by years of another report. These helpers give
the rules the scope (:class:`Scope`: own region, its level word, the level words of its superiors, the
gazetteer division) and the narrative as matchable text (:class:`Unit`) with sentence and clause bounds,
book-title ranges (《…》, whose content is a citation, not a statement) and the way back to the source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from nianbao import divisions
from nianbao.divisions import Division
from nianbao.model.report import Level, Paragraph, Report
from nianbao.model.span import Span
from nianbao.rules.shared import paragraphs, per_check

# Full-width ASCII (！ … ～) to half-width; whitespace is dropped before matching because extracted
# reports put spaces and line breaks anywhere (「2024 年」, 「市政府办公厅行\n政规范性文件」).
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_SPACES = re.compile(r"\s+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")  # the keys of _HALF
_HALF_OF = {chr(full): chr(half) for full, half in _HALF.items()}


def _half_width(m: re.Match[str]) -> str:
    return _HALF_OF[m.group()]
SENTENCE_END = frozenset("。!?;")
_MARKS = re.compile(r"[。!?;,:]")

LEVEL_NAMES = {
    Level.NATIONAL: "国家级",
    Level.PROVINCIAL: "省级",
    Level.PREFECTURE: "地市级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇级",
    Level.UNKNOWN: "",
}

# Suffixes that carry a level word, longest first (自治县 → 县, 街道 stays 街道).
_SUFFIX_WORDS = (
    ("自治区", "区"),
    ("自治州", "州"),
    ("自治县", "县"),
    ("自治旗", "旗"),
    ("街道", "街道"),
    ("地区", "地区"),
)


def level_word(name: str) -> str:
    """The level word of a division name: 鲁山县 → 县, 平顶山市 → 市, 广西壮族自治区 → 区, 城关街道 → 街道."""
    for suffix, word in _SUFFIX_WORDS:
        if name.endswith(suffix):
            return word
    return name[-1:] if name else ""


def short_name(name: str) -> str:
    """The name without its level suffix where two characters remain (鲁山县 → 鲁山; 叶县 stays 叶县)."""
    for suffix, _ in _SUFFIX_WORDS:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name[:-1] if len(name) >= 3 else name


def near(a: str, b: str) -> bool:
    """Equal, or one character apart where one of them is no known division: an OCR slip (沐阳县 for
    沭阳县) is not another place, but 泗阳县 and 泗洪县 both exist and are neighbours."""
    if a == b:
        return True
    if len(a) != len(b) or len(a) < 3 or sum(x != y for x, y in zip(a, b, strict=True)) != 1:
        return False
    return not (divisions.lookup(a) and divisions.lookup(b))


def canon_body(body: str) -> str:
    """An agency body for comparison: 人民政府 → 政府, 委员会 → 委 (市科委 / 科学技术委员会)."""
    return body.replace("人民政府", "政府").replace("委员会", "委")


def same_body(a: str, b: str) -> bool:
    """Whether two agency bodies name the same kind of body, allowing the usual shortenings.

    The shorter must be a subsequence of the longer with the same first and last character:
    市场监管局 ~ 市场监督管理局, 政府办公室 ~ 人民政府办公室; but 政府 ≁ 政府办公室 and 办公厅 ≁ 办公室.
    """
    a, b = canon_body(a), canon_body(b)
    if a == b:
        return True
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(ch in it for ch in short)


def leading_divisions(text: str) -> list[divisions.DivisionMatch]:
    """The division names written one after another from the start of ``text`` (河南省平顶山市鲁山县…)."""
    chain: list[divisions.DivisionMatch] = []
    for m in divisions.find_in_text(text):
        if m.start != (chain[-1].end if chain else 0):
            break
        chain.append(m)
    return chain


@dataclass(frozen=True)
class Scope:
    """Who the report speaks for, from the title metadata and the gazetteer."""

    agency: str  # 鲁山县人民政府办公室 (whitespace removed)
    region: str  # 鲁山县
    short: str  # 鲁山
    body: str  # 人民政府办公室: the agency without its region
    level: Level
    own_word: str  # 县: the level word of the region (全县, 县政府)
    # 市, 省: level words of the superiors that differ from own_word, nearest first
    superior_words: tuple[str, ...]
    division: Division | None  # the region's gazetteer entry (None when unknown, e.g. a misspelt name)
    anchor: Division | None  # the nearest known division the agency belongs to (the county of a township)

    @property
    def level_name(self) -> str:
        """县级, 地市级, … for messages."""
        return LEVEL_NAMES.get(self.level, "")

    def is_own_name(self, name: str) -> bool:
        """Whether ``name`` (a division name) is the report's own region, allowing an OCR slip."""
        return near(name, self.region)

    def is_related(self, name: str, candidates: tuple[Division, ...]) -> bool | None:
        """True when a division named in the text is the region itself, a superior or a subordinate;
        None when the report's own division is unknown (nothing can be said)."""
        if self.is_own_name(name):
            return True
        if self.anchor is None:
            return None
        return any(divisions.related(c, self.anchor) for c in candidates)


def _own_division(region: str, code: str | None, agency: str) -> Division | None:
    if code:
        d = divisions.by_code(code)
        if d is not None:
            return d
    chain = divisions.resolve_chain(agency)
    if chain and chain[-1].name == region:
        return chain[-1]
    found = divisions.lookup(region)
    return found[0] if len(found) == 1 else None


@per_check
def scope_of(report: Report) -> Scope | None:
    """The report's own scope, or None when the title names no agency or region."""
    meta = report.metadata
    agency = "".join(meta.agency.split())
    region = "".join(meta.region.split())
    if not agency or not region:
        return None
    division = _own_division(region, meta.region_code, agency)
    anchor = division
    if anchor is None and meta.level == Level.TOWNSHIP:
        chain = divisions.resolve_chain(agency)
        anchor = chain[-1] if chain else None
    own = level_word(region)
    words: list[str] = []
    if anchor is not None:
        ups = ([anchor] if anchor is not division else []) + divisions.ancestors(anchor)
        words = [level_word(d.name) for d in ups]
    elif meta.level == Level.COUNTY:
        words = ["市"]
    elif meta.level == Level.PREFECTURE:
        words = ["省"]
    elif meta.level == Level.TOWNSHIP:
        words = ["县"]
    superior = tuple(dict.fromkeys(w for w in words if w != own))
    body = agency
    idx = agency.find(region)
    if idx >= 0:
        body = agency[idx + len(region) :]
    return Scope(
        agency=agency,
        region=region,
        short=short_name(region),
        body=body,
        level=meta.level,
        own_word=own,
        superior_words=superior,
        division=division,
        anchor=anchor,
    )


class Unit:
    """One paragraph as matchable text: whitespace removed, full-width ASCII made half-width.

    Offsets back to the source, 《…》 ranges and sentence and clause marks are computed on first use:
    most paragraphs are only searched, and the three rules run on every report.
    """

    def __init__(self, para: Paragraph) -> None:
        self.para = para
        norm = _SPACES.sub("", para.text)
        # str.translate(_HALF), by regex: translate looks up every character of Chinese text one by one.
        self.norm = _FULL_WIDTH.sub(_half_width, norm)

    @cached_property
    def offsets(self) -> list[int]:
        """offsets[i] = index in para.text of norm[i]."""
        return [i for i, ch in enumerate(self.para.text) if not ch.isspace()]

    @cached_property
    def titles(self) -> list[tuple[int, int]]:
        """《…》 ranges in norm, brackets included."""
        return _book_titles(self.norm) if "《" in self.norm else []

    @cached_property
    def _marks(self) -> tuple[list[int], list[int]]:
        sentence: list[int] = []
        clause: list[int] = []
        titles = self.titles
        for m in _MARKS.finditer(self.norm):
            i = m.start()
            if titles and self.in_title(i):
                continue
            clause.append(i)
            if m.group() in SENTENCE_END:
                sentence.append(i)
        return sentence, clause

    @cached_property
    def clause_starts(self) -> list[int]:
        """Index where each clause's subject would start (after an opening time phrase or numbering)."""
        starts = [0] + [i + 1 for i in self._marks[1]]
        out = []
        for i in starts:
            m = CLAUSE_OPENER.match(self.norm, i)
            out.append(m.end() if m else i)
        return [i for i in out if i < len(self.norm)]

    def span(self, i: int) -> Span:
        """Source place of norm[i]."""
        if not self.offsets:
            return self.para.span
        return self.para.span_at(self.offsets[min(i, len(self.offsets) - 1)])

    def original(self, start: int, end: int) -> str:
        """The source text behind norm[start:end]."""
        if start >= end or not self.offsets:
            return ""
        return self.para.text[self.offsets[start] : self.offsets[end - 1] + 1]

    def in_title(self, i: int) -> bool:
        """Whether norm[i] lies inside a 《…》 citation."""
        return any(a <= i < b for a, b in self.titles)

    @staticmethod
    def _bounds(marks: list[int], i: int, size: int) -> tuple[int, int]:
        k = bisect_left(marks, i)
        start = marks[k - 1] + 1 if k > 0 else 0
        end = marks[k] + 1 if k < len(marks) else size
        return start, end

    def sentence(self, i: int) -> tuple[int, int]:
        """Bounds of the sentence around norm[i] (。！？；), the closing mark included."""
        return self._bounds(self._marks[0], i, len(self.norm))

    def clause(self, i: int) -> tuple[int, int]:
        """Bounds of the clause around norm[i] (also ，：), the closing mark included."""
        return self._bounds(self._marks[1], i, len(self.norm))

    def sentence_text(self, i: int) -> str:
        """The source sentence around norm[i], for evidence."""
        a, b = self.sentence(i)
        return self.original(a, b).strip()


_BOOK_MARKS = re.compile("[《》]")


def _book_titles(norm: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for m in _BOOK_MARKS.finditer(norm):
        i, ch = m.start(), m.group()
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


@per_check  # three rules read the same units
def units(report: Report) -> list[Unit]:
    """Every narrative paragraph of ``report`` (preamble first) as a :class:`Unit`."""
    return [Unit(p) for p in paragraphs(report) if p.text.strip()]


def quote_line(span: Span) -> str:
    """「第19行」 (「第2页第19行」 in a PDF) for messages (the place as the reader sees it)."""
    if span.line is None:
        return span.describe() or "正文"
    return f"第{span.page}页第{span.line}行" if span.page is not None else f"第{span.line}行"


# A clause may open with a time phrase or an enumeration before its subject: 「2024 年，」 is its own
# clause, but 「全年」, 「一是」, 「（三）」 are not.
CLAUSE_OPENER = re.compile(
    r"(?:\d{4}年度?|全年|本年度|今年|年内|报告期内|同时|此外|另外|其中|期间|[一二三四五六七八九十]是"
    r"|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d+[.、])*"
)
