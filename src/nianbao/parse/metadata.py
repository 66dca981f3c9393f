"""Title → agency, region, level, kind and year.

The title is one of the first text blocks, possibly wrapped over two or three lines by PDF extraction
(「2024 年上海市科委政府信息公开工作」+「年度报告」). A first line such as 「正文」 is noise. The agency
is what stands before the year (「鲁山县人民政府办公室 2024 年…」) or, when the year comes first,
between the year and 「政府信息公开」 (「2025 年上海市人民政府办公厅政府信息公开…」).

The region is the jurisdiction the agency belongs to: the last name of the longest chain of division
names at the start of the agency (gazetteer, :mod:`nianbao.divisions`), else a suffix heuristic
(「沐阳县」 — an OCR error for 沭阳县 — is not in the gazetteer and is kept as written, never replaced by a
guess). What follows the jurisdiction is the body (人民政府, 住房和城乡建设局): a 乡/镇/区/市 inside it
(城乡, 乡村振兴, 市场监督, 区域合作) names no place, so a township is the region only when the body is
its own government or office (「张官营镇人民政府」, 「青阳街道办事处」).
"""

from __future__ import annotations

import datetime as dt
import re

from nianbao import divisions
from nianbao.model.document import Document, TextBlock
from nianbao.model.report import AgencyKind, Level, Metadata
from nianbao.normalize import compact, normalize_text
from nianbao.numerals import parse_number

__all__ = ["parse_metadata", "parse_agency"]

_TITLE_LOOKAHEAD = 6  # text blocks searched for the title
_NOISE = frozenset({"正文", "目录", "全文", "附件"})
_YEAR = r"(?P<year>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年度?"
_TITLE_RE = re.compile(rf"^(?P<before>.*?){_YEAR}(?P<after>.*?)(?:政府)?信息公开")
_PREFIX_RE = re.compile(r"^(?:关于|《)")
_DATE_RE = re.compile(
    r"^[（(]?\s*(?P<y>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*[)）]?$"
)
# The body of a government itself (not a department): what may follow a place name that the gazetteer
# does not know, so that the 城乡 of 「住房和城乡建设局」 or the 城市 of 「城市管理局」 is not taken for one.
_GOVERNMENT_BODY = r"(?=(?:人民)?政府|办事处|党(?:工)?委|人大|$)"
# Suffix-based names, matched at a position (no ^: ``pattern.match(text, pos)``). A township (街道 before
# 道) counts only before a government body; the lazy stem grows past an inner 镇 (「曹镇乡人民政府」).
_TOWNSHIP_RE = re.compile(rf"(?P<name>.{{1,8}}?(?:街道|镇|乡|苏木)){_GOVERNMENT_BODY}")
# An unknown county or city needs a two-character stem: 「城市管理局」 is no 城市.
_PLACE_RE = re.compile(r"(?P<name>.{2,10}?(?:自治区|自治州|自治县|特别行政区|省|市|县|区|旗|州|盟))")
_GOVERNMENT_RE = re.compile(_GOVERNMENT_BODY)


def _year_value(text: str) -> int | None:
    """「2024」 or 「二〇二四」 as a year."""
    value = parse_number(text)
    return value if isinstance(value, int) else None


def _find_title(blocks: list[TextBlock]) -> tuple[str, int, int] | None:
    """(title text, first block index, last block index) among the first text blocks."""
    for i, block in enumerate(blocks[:_TITLE_LOOKAHEAD]):
        line = compact(block.text)
        if not line or line in _NOISE:
            continue
        if "信息公开" not in line and "年度报告" not in line:
            continue
        parts, last = [block.text.strip()], i
        # A wrapped title: keep adding short lines until the title ends in 报告.
        while not compact(" ".join(parts)).endswith("报告") and last + 1 < len(blocks) and last - i < 2:
            nxt = compact(blocks[last + 1].text)
            if len(nxt) > 20 or not nxt:
                break
            parts.append(blocks[last + 1].text.strip())
            last += 1
        if not compact("".join(parts)).endswith("报告"):
            parts, last = [block.text.strip()], i
        first = i
        # 「淮安市人民政府」 on one line, 「2025年政府信息公开工作年度报告」 on the next: the agency line
        # comes before the line that holds the year.
        prev = compact(blocks[i - 1].text) if i > 0 else ""
        if re.match(_YEAR, line) and prev and prev not in _NOISE and len(prev) <= 30 and "报告" not in prev:
            parts.insert(0, blocks[i - 1].text.strip())
            first = i - 1
        return "".join(parts), first, last
    return None


def _kind(agency: str) -> AgencyKind:
    if not agency:
        return AgencyKind.UNKNOWN
    if re.search(r"政府办公(?:室|厅)$", agency) or agency in ("国务院办公厅",):
        return AgencyKind.OFFICE
    if re.search(r"(?:人民)?政府$", agency):
        return AgencyKind.GOVERNMENT
    return AgencyKind.DEPARTMENT


def _nested_chain(agency: str) -> list[divisions.Division]:
    """The gazetteer chain at the start of ``agency``, cut where a name does not lie inside the previous one.

    「泗洪县城区管理局」: 城区 is a district of 大同, not of 泗洪县, so it belongs to the body.
    """
    chain = divisions.resolve_chain(agency)
    kept = chain[:1]
    for division in chain[1:]:
        if not divisions.is_descendant(division, kept[-1]):
            break
        kept.append(division)
    return kept


def _suffix_level(name: str) -> Level:
    if re.search(r"(?:省|自治区|特别行政区)$", name):
        return Level.PROVINCIAL
    if re.search(r"(?:自治州|州|盟)$", name):
        return Level.PREFECTURE
    if re.search(r"(?:县|旗|区)$", name):
        return Level.COUNTY
    # An unknown 市 may be a prefecture or a county-level city: do not guess.
    return Level.UNKNOWN


def parse_agency(agency: str) -> tuple[str, str | None, Level]:
    """(region, region code, level) of an agency name such as 「鲁山县人民政府办公室」.

    The region is the longest jurisdiction at the start of the name: the gazetteer chain, then possibly
    an unknown county by its suffix and a township (「鲁山县张官营镇人民政府」 → 张官营镇, township). A
    suffix-based name after a known chain, and any township, counts only when a government body follows
    it, so 「泗洪县住房和城乡建设局」 stays 泗洪县 (county).
    """
    if re.match(r"^(?:国务院|国家|中华人民共和国|中国)", agency):
        return "", None, Level.NATIONAL
    chain = _nested_chain(agency)
    pos = sum(len(d.name) for d in chain)
    place = _PLACE_RE.match(agency, pos)
    # A township may follow an unknown county (「沐阳县某镇人民政府」) or the known chain directly.
    for start in ([place.end()] if place else []) + [pos]:
        town = _TOWNSHIP_RE.match(agency, start)
        if town:
            return town.group("name"), None, Level.TOWNSHIP
    if place and (not chain or _GOVERNMENT_RE.match(agency, place.end())):
        name = place.group("name")
        return name, None, _suffix_level(name)
    if chain:
        last = chain[-1]
        return last.name, last.code, last.level
    return "", None, Level.UNKNOWN


def _publication_date(blocks: list[TextBlock], last_title: int) -> dt.date | None:
    """A date line just below the title or among the last lines (the signature)."""
    candidates = blocks[last_title + 1 : last_title + 4] + blocks[-3:]
    for block in candidates:
        m = _DATE_RE.match(normalize_text(block.text.strip()))
        if not m:
            continue
        year = _year_value(m.group("y"))
        month, day = parse_number(m.group("m")), parse_number(m.group("d"))
        if year is None or month is None or day is None:
            continue
        try:
            return dt.date(year, int(month), int(day))
        except ValueError:
            continue
    return None


def parse_metadata(document: Document) -> tuple[Metadata, int]:
    """Return the metadata and the index in ``document.blocks`` of the title's last block (-1 if none).

    A title wrapped over several lines ends at the returned index; sections start after it.
    """
    meta = Metadata(source_path=document.path, source_format=document.format, encoding=document.encoding)
    if document.publication_date:
        try:
            meta.publication_date = dt.date.fromisoformat(document.publication_date)
        except ValueError:
            pass
    indexed = [(i, b) for i, b in enumerate(document.blocks) if isinstance(b, TextBlock)]
    texts = [b for _, b in indexed]
    found = _find_title(texts)
    if found is None:
        return meta, -1
    title, first, last = found
    meta.title = re.sub(r"\s+", " ", title).strip()
    meta.title_span = texts[first].span
    if meta.publication_date is None:
        meta.publication_date = _publication_date(texts, last)
    flat = compact(normalize_text(title))
    m = _TITLE_RE.match(flat)
    if m:
        meta.year = _year_value(m.group("year"))
        agency = m.group("before") or m.group("after")
    else:
        # 「…政府信息公开工作年度报告（2024年）」: the year after the title words.
        agency = flat.split("政府信息公开")[0] if "政府信息公开" in flat else ""
        year = re.search(_YEAR, flat)
        meta.year = _year_value(year.group("year")) if year else None
    agency = _PREFIX_RE.sub("", agency).rstrip("的")
    meta.agency = agency
    meta.kind = _kind(agency)
    meta.region, meta.region_code, meta.level = parse_agency(agency)
    return meta, indexed[last][0]
