"""Outline rules (format-2021.md §2 F, R33 and R34): the six parts once each and in order, one numbering
system, tables 二–四 under their parts, and the preamble's names for the parts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Heading, Part, Report
from nianbao.model.span import Span
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import PART_BY_KEY, PARTS
from nianbao.normalize import label_key
from nianbao.parse.sections import is_inferred, match_part
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.part_text import fallback_span, find_paragraph, line_ref, part_name, position, span_of
from nianbao.rules.shared import paragraphs

_PART_INDEX = {p.key: i for i, p in enumerate(PARTS)}
_NUMBERS = "一二三四五六七八九十"


@register
class PartsRule(Rule):
    """报告应包括六个部分，每个部分恰好出现一次，并按2021年格式的顺序排列。

    What: every part of 国办公开办函〔2021〕30号 (一、总体情况 … 六、其他需要报告的事项) must have one
    heading; a part named twice, a part missing, or parts out of order is an error. A part whose heading
    line is absent but whose content the parser recognised by its sub-headings (「（一）2024年工作中存在问题
    的改进情况」 after part 四) is reported as info: PDF extraction often loses such a line.
    Why: the format says the content 「不能遗漏」; a duplicated heading is the trace of a pasted text.
    Bad: 「一、总体情况」 on line 5 and again on line 9 (the seed).
    Good: 一、总体情况 … 六、其他需要报告的事项, each once, in this order.
    """

    code = "STR-PARTS"
    name = "structure.parts"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        if not report.parts:
            yield self.finding(
                "报告中未找到“一、总体情况”至“六、其他需要报告的事项”六个部分的标题。",
                Location(span=report.metadata.title_span),
                expected="六个部分",
                actual="无",
            )
            return
        by_key: dict[str, list[Part]] = {}
        for part in report.parts:
            if part.key is not None:
                by_key.setdefault(part.key, []).append(part)
        yield from self._duplicates(by_key)
        yield from self._missing(report, by_key)
        yield from self._order(report)
        for part in report.parts:
            if part.key is not None and is_inferred(part.heading):
                spec = PART_BY_KEY[part.key]
                yield self.finding(
                    f"{part_name(part.key)}没有“{spec.heading}”标题行，已按{line_ref(part.heading.span)}"
                    f"的“{part.heading.text}”推定为该部分的开始。",
                    Location(span=part.heading.span, part=part.key),
                    expected=spec.heading,
                    actual=part.heading.text,
                    evidence=[part.heading.text],
                    severity=Severity.INFO,
                )

    def _duplicates(self, by_key: dict[str, list[Part]]) -> Iterator[Finding]:
        for key, found in by_key.items():
            if len(found) < 2:
                continue
            lines = "、".join(line_ref(p.heading.span) for p in found)
            first = found[0].heading
            for dup in found[1:]:
                yield self.finding(
                    f"{part_name(key)}的标题“{dup.heading.text}”重复出现（{lines}），"
                    f"{line_ref(dup.heading.span)}的标题与{line_ref(first.span)}的重复。",
                    Location(span=dup.heading.span, part=key),
                    expected=1,
                    actual=len(found),
                    evidence=[f"{line_ref(p.heading.span)}：{p.heading.text}" for p in found],
                )

    def _missing(self, report: Report, by_key: dict[str, list[Part]]) -> Iterator[Finding]:
        for i, spec in enumerate(PARTS):
            if spec.key in by_key:
                continue
            # Point at the next part that is present (where the missing one should have been).
            after = next((by_key[s.key][0] for s in PARTS[i + 1 :] if s.key in by_key), None)
            span = after.heading.span if after else report.parts[-1].heading.span
            yield self.finding(
                f"报告缺少{part_name(spec.key)}，格式要求六个部分一个不缺。",
                Location(span=span, part=spec.key),
                expected=spec.heading,
                actual="缺失",
            )

    def _order(self, report: Report) -> Iterator[Finding]:
        seen: set[str] = set()
        last: Part | None = None
        for part in report.parts:
            if part.key is None or part.key in seen:
                continue
            seen.add(part.key)
            if last is not None and last.key is not None and _PART_INDEX[part.key] < _PART_INDEX[last.key]:
                yield self.finding(
                    f"{part_name(part.key)}（{line_ref(part.heading.span)}）出现在{part_name(last.key)}"
                    f"（{line_ref(last.heading.span)}）之后，部分顺序与格式不符。",
                    Location(span=part.heading.span, part=part.key),
                    expected=f"{PART_BY_KEY[part.key].number}在{PART_BY_KEY[last.key].number}之前",
                    actual=f"{PART_BY_KEY[part.key].number}在{PART_BY_KEY[last.key].number}之后",
                    evidence=[part.heading.text, last.heading.text],
                )
            else:
                last = part


@register
class NumberingRule(Rule):
    """一级标题应只用一套编号，六个部分依次编为“一”至“六”。

    What: a second run of 「一、二、…」 headings that restarts at 一 after a higher number (the
    总体情况 topics written as top-level 「一、…六、」 and the six parts numbered again from 一), or —
    without such a restart — a part heading whose number is not the template's (「四、其他需要报告的事项」).
    Why: two numbering systems make the statutory parts impossible to find; the format numbers the
    sub-topics of 总体情况 （一）…（五）.
    Bad: 「一、总体情况 二、工作机制保障 … 六、政府信息公开平台建设」 then 「一、主动公开政府信息情况」.
    Good: 「一、总体情况」 with 「（一）主动公开情况」…「（五）监督保障情况」, then 「二、主动公开政府信息情况」.
    """

    code = "STR-NUMBERING"
    name = "structure.numbering"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        tops = [h for h in report.headings if h.depth == 1 and not is_inferred(h)]
        restarts = False
        prev: Heading | None = None
        first_one: Heading | None = None
        for h in tops:
            value = _NUMBERS.find(h.number) + 1
            if value == 1 and first_one is None:
                first_one = h
            prev_value = _NUMBERS.find(prev.number) + 1 if prev else 0
            if prev is not None and value == 1 and prev_value > 1 and first_one is not None:
                restarts = True
                unnamed = [x.text for x in tops if x.part is None and x.span.line is not None]
                extra = f"，其中“{unnamed[0]}”等不是年度报告的部分" if unnamed else ""
                yield self.finding(
                    f"一级标题编号在{line_ref(h.span)}“{h.text}”处从“一”重新开始（前一套编号始于"
                    f"{line_ref(first_one.span)}“{first_one.text}”，至“{prev.text}”）{extra}，报告使用了两套编号。",
                    Location(span=h.span, part=h.part),
                    expected=PART_BY_KEY[h.part].number if h.part else None,
                    actual=h.number,
                    evidence=[first_one.text, prev.text, h.text],
                )
            prev = h
        if restarts:
            return
        for h in tops:
            if h.part is None:
                continue
            spec = PART_BY_KEY[h.part]
            if h.number != spec.number:
                yield self.finding(
                    f"{line_ref(h.span)}的标题“{h.text}”是{part_name(h.part)}，编号应为“{spec.number}”而不是“{h.number}”。",
                    Location(span=h.span, part=h.part),
                    expected=spec.number,
                    actual=h.number,
                    evidence=[h.text],
                )


_TABLES: tuple[tuple[str, str, str], ...] = (
    ("table2", "表二", "active"),
    ("table3", "表三", "requests"),
    ("table4", "表四", "review"),
)


def _table_line(table: Table2 | Table3 | Table4) -> Span | None:
    """Where the table starts, as a span with a line number (None for sources without lines)."""
    if table.span is not None and table.span.line is not None:
        return table.span
    spans = [r.span for r in table.rows.values() if r.span is not None and r.span.line is not None]
    return min(spans, key=position) if spans else None


@register
class TablesRule(Rule):
    """表二、表三、表四应齐全，并各自位于所属部分的标题之下。

    What: table 二 (第二十条…) must sit under 「二、主动公开政府信息情况」, table 三 under 「三、收到和处理
    政府信息公开申请情况」, table 四 under 「四、…行政复议、行政诉讼情况」; a table that is absent or sits
    under another part is an error.
    Why: the tables are the report's statistics; a missing or misplaced table means missing or misread data.
    Bad: no table 四 after 「四、政府信息公开行政复议、行政诉讼情况」.
    Good: each table right after its part heading.
    """

    code = "STR-TABLES"
    name = "structure.tables"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R34",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        ranges = self._part_ranges(report)
        for attr, label, key in _TABLES:
            table: Table2 | Table3 | Table4 | None = getattr(report, attr)
            part = report.part(key)
            if table is None or not table.found:
                span = part.heading.span if part else fallback_span(report)
                yield self.finding(
                    f"报告中未找到{label}，{part_name(key)}应附{label}。",
                    Location(span=span, part=key, table=label),
                    expected=label,
                    actual="缺失",
                )
                continue
            start_span = _table_line(table)
            if start_span is None or not ranges:
                continue
            line = position(start_span)
            owner = next((k for k, start, end in ranges if start <= line < end), None)
            if owner != key and part is not None:
                where = part_name(owner) if owner else "第一部分之前"
                yield self.finding(
                    f"{label}（{line_ref(start_span)}）位于{where}下，而不在{part_name(key)}下。",
                    Location(span=table.span or start_span, part=owner, table=label),
                    expected=PART_BY_KEY[key].heading,
                    actual=PART_BY_KEY[owner].heading if owner else "无",
                )

    @staticmethod
    def _part_ranges(report: Report) -> list[tuple[str | None, int, float]]:
        out: list[tuple[str | None, int, float]] = []
        parts = [p for p in report.parts if p.heading.span.line is not None]
        for i, part in enumerate(parts):
            start = position(part.heading.span)
            end: float = position(parts[i + 1].heading.span) if i + 1 < len(parts) else float("inf")
            out.append((part.key, start, end))
        return out


# Extra words that show a topic is covered when a report words its sub-headings freely.
_LISTING = re.compile(r"(?:全文|报告|内容)?包括(?P<items>[^。]{10,200}?)(?:等?[六6]个?部分|。)")


def _listed_items(segment: str) -> list[str]:
    pieces = [p for p in re.split(r"、|，|,|以及|；", segment) if p]
    items: list[str] = []
    i = 0
    while i < len(pieces):
        item = pieces[i]
        if match_part(item) is None and i + 1 < len(pieces) and match_part(item + "、" + pieces[i + 1]):
            item = item + "、" + pieces[i + 1]
            i += 1
        items.append(re.sub(r"^(?:和|及)|等$", "", item))
        i += 1
    return items


@register
class PreambleNamesRule(Rule):
    """导语对各部分的称谓应与正文标题一致。

    What: the sentence 「全文包括总体情况、…六个部分」 names a part in other words than its heading, e.g. the
    条例/2019 wording 「因政府信息公开工作被申请行政复议和提起行政诉讼情况」 while the heading reads
    「四、政府信息公开行政复议、行政诉讼情况」.
    Why: a cosmetic inconsistency, typical of a preamble copied from an older report.
    Bad: preamble 「政府信息公开工作存在的主要问题及改进情况」, heading 「五、存在的主要问题及改进情况」.
    Good: the preamble repeats the six headings verbatim.
    """

    code = "STR-PREAMBLE-NAMES"
    name = "structure.preamble_names"
    category = Category.STRUCTURE
    severity = Severity.INFO
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        active = report.part("active")
        limit = position(active.heading.span) if active and active.heading.span.line else None
        paras = [p for p in paragraphs(report) if limit is None or position(p.span) < limit]
        hit = find_paragraph(paras, _LISTING, prefilter="包括")
        if hit is None:
            return
        para, m = hit
        headings = {p.key: p.heading for p in reversed(report.parts) if p.key and not is_inferred(p.heading)}
        differences: list[str] = []
        for item in _listed_items(m.group("items")):
            key = match_part(item)
            heading = headings.get(key) if key else None
            if heading is None or label_key(item) == label_key(heading.title):
                continue
            differences.append(f"“{item}”与标题“{heading.text}”")
        if differences:
            yield self.finding(
                f"导语对各部分的称谓与正文标题不一致：{'；'.join(differences)}。",
                Location(span=span_of(para, m.start())),
                expected="与正文标题一致",
                actual="；".join(differences),
                evidence=[m.group(0)],
            )
