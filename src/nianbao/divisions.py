"""The administrative-division gazetteer (行政区划): provinces, prefectures and counties by 6-digit adcode.

Data: ``nianbao/data/divisions.csv`` (``adcode,name``, about 3,500 entries), loaded lazily on first use
and cached. Townships (乡/镇/街道) are not in it.

Codes encode the hierarchy: a province is ``PP0000``, a prefecture ``PPCC00``, a county ``PPCCXX``.
Municipalities (直辖市) and province-governed county-level units use placeholder prefectures
(``110100 市辖区``, ``500200 县``, ``419000 省直辖县级行政区划``); those placeholders are skipped when
walking up, so the parent of 北京市朝阳区 (110105) is 北京市 (110000).

API for the identity rules (codes ``ID-*``):

- :func:`find_in_text` ``(text) -> list[DivisionMatch]``: every full division name in ``text``
  (「舞钢市」 in 「指导舞钢市开展…」), left to right, non-overlapping, longest match first. Each match
  carries ``start``/``end`` offsets into ``text`` and the ``candidates`` (names repeat across provinces:
  朝阳区 is in 北京 and in 长春). Two-character names (「成县」, 「城区」) only count at a word boundary
  (start of text, after a non-CJK character or right after another division name), so 「完成县级」 is
  not 成县.
- :func:`lookup` ``(name)``: all entries with that exact name.
- :func:`parent`, :func:`ancestors`, :func:`is_descendant`, :func:`related`: hierarchy by code.
- :func:`resolve_chain` ``(text)``: the chain of consecutive names at the start of an agency name
  (「江苏省宿迁市沭阳县人民政府」 → 江苏省, 宿迁市, 沭阳县), each disambiguated by the one before it.
- :func:`level_of` ``(division)``: provincial, prefecture or county (:class:`nianbao.model.report.Level`).

A typical identity check: take ``report.metadata.region_code``, run :func:`find_in_text` on a
paragraph, and flag a match none of whose candidates is :func:`related` to the report's own division.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nianbao.model.report import Level

__all__ = [
    "Division",
    "DivisionMatch",
    "all_divisions",
    "ancestors",
    "by_code",
    "find_in_text",
    "is_descendant",
    "level_of",
    "lookup",
    "parent",
    "related",
    "resolve_chain",
]

# Entries that are not names of a place: prefecture-level placeholders.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True, slots=True)
class Division:
    """One entry of the gazetteer."""

    code: str  # 6-digit adcode
    name: str

    @property
    def level(self) -> Level:
        """provincial, prefecture or county."""
        return level_of(self)

    @property
    def is_placeholder(self) -> bool:
        """True for 市辖区 / 县 / 省直辖县级行政区划 entries that group a municipality's districts."""
        return self.name in _PLACEHOLDERS


@dataclass(frozen=True, slots=True)
class DivisionMatch:
    """A full division name found in a text."""

    start: int
    end: int
    name: str
    candidates: tuple[Division, ...]


@dataclass(frozen=True)
class _Gazetteer:
    entries: tuple[Division, ...]
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    last_chars: frozenset[str]
    max_len: int
    # Name lengths by last character, longest first: only these lengths can end at that character.
    lengths_by_last: dict[str, tuple[int, ...]]
    last_char_re: re.Pattern[str]  # one of last_chars (lets the regex engine skip the other characters)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    text = resources.files("nianbao").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    entries: list[Division] = []
    for row in csv.reader(line for line in text.splitlines() if line and not line.startswith("#")):
        if len(row) < 2 or not row[0].isdigit():
            continue  # header
        entries.append(Division(code=row[0].strip(), name=row[1].strip()))
    by_name: dict[str, list[Division]] = {}
    for d in entries:
        if not d.is_placeholder:
            by_name.setdefault(d.name, []).append(d)
    names = list(by_name)
    lengths: dict[str, set[int]] = {}
    for n in names:
        lengths.setdefault(n[-1], set()).add(len(n))
    return _Gazetteer(
        entries=tuple(entries),
        by_code={d.code: d for d in entries},
        by_name={k: tuple(v) for k, v in by_name.items()},
        last_chars=frozenset(n[-1] for n in names),
        max_len=max(len(n) for n in names),
        lengths_by_last={ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()},
        last_char_re=re.compile("[" + "".join(re.escape(ch) for ch in sorted(lengths)) + "]"),
    )


def all_divisions() -> tuple[Division, ...]:
    """Every entry, placeholders included, in file order."""
    return _gazetteer().entries


def by_code(code: str) -> Division | None:
    """The entry with this adcode."""
    return _gazetteer().by_code.get(code)


def lookup(name: str) -> list[Division]:
    """All entries with exactly this name (names repeat across provinces); placeholders never match."""
    return list(_gazetteer().by_name.get(name, ()))


def level_of(division: Division) -> Level:
    """provincial for PP0000, prefecture for PPCC00, county otherwise (直辖市 districts are county level)."""
    if division.code.endswith("0000"):
        return Level.PROVINCIAL
    if division.code.endswith("00"):
        return Level.PREFECTURE
    return Level.COUNTY


def parent(division: Division) -> Division | None:
    """The enclosing division, skipping placeholders (市辖区 → the municipality itself)."""
    code = division.code
    candidates: list[str] = []
    if not code.endswith("00"):
        candidates.append(code[:4] + "00")
    if not code.endswith("0000"):
        candidates.append(code[:2] + "0000")
    for c in candidates:
        d = by_code(c)
        if d is not None and not d.is_placeholder:
            return d
    return None


def ancestors(division: Division) -> list[Division]:
    """Enclosing divisions, nearest first (鲁山县 → 平顶山市, 河南省)."""
    out: list[Division] = []
    d = parent(division)
    while d is not None:
        out.append(d)
        d = parent(d)
    return out


def is_descendant(child: Division, ancestor: Division) -> bool:
    """True when ``child`` lies strictly inside ``ancestor`` (by code prefix)."""
    if child.code == ancestor.code:
        return False
    if ancestor.code.endswith("0000"):
        return child.code[:2] == ancestor.code[:2]
    if ancestor.code.endswith("00"):
        return child.code[:4] == ancestor.code[:4]
    return False


def related(a: Division, b: Division) -> bool:
    """Same division, or one contains the other."""
    return a.code == b.code or is_descendant(a, b) or is_descendant(b, a)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def find_in_text(text: str) -> list[DivisionMatch]:
    """Every full division name in ``text``, left to right, non-overlapping, longest first.

    Scans only at characters that end some name (县, 区, 市, 旗, 州, 省, 盟, …) and tries lengths from
    the longest name down, so a report of a few thousand characters takes well under a millisecond.
    """
    g = _gazetteer()
    matches: list[DivisionMatch] = []
    prev_end = 0
    for hit in g.last_char_re.finditer(text):
        end = hit.end()
        for length in g.lengths_by_last[hit.group()]:
            if length > end - prev_end or length < 2:
                continue
            start = end - length
            name = text[start:end]
            found = g.by_name.get(name)
            if found is None:
                continue
            if length == 2 and start > 0:
                before = text[start - 1]
                after_name = bool(matches) and matches[-1].end == start
                if _is_cjk(before) and not after_name:
                    continue
            matches.append(DivisionMatch(start=start, end=end, name=name, candidates=found))
            prev_end = end
            break
    return matches


def resolve_chain(text: str) -> list[Division]:
    """The divisions named one after another at the start of ``text``, each chosen inside the previous.

    「江苏省宿迁市沭阳县人民政府」 → [江苏省, 宿迁市, 沭阳县]; 「鲁山县人民政府办公室」 → [鲁山县];
    「沐阳县人民政府」 → [] (an OCR misspelling is not guessed).
    """
    chain: list[Division] = []
    pos = 0
    for m in find_in_text(text):
        if m.start != pos:
            break
        options = list(m.candidates)
        if chain:
            inside = [d for d in options if is_descendant(d, chain[-1])]
            options = inside or options
        # A name ambiguous on its own: prefer the higher level, then the first listed.
        options.sort(key=lambda d: (not d.code.endswith("0000"), not d.code.endswith("00"), d.code))
        chain.append(options[0])
        pos = m.end
    return chain
