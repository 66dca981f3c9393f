"""ID-YEAR (R30): the report year of the title against the preamble, the statistics period and the narrative."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Paragraph, Report
from nianbao.numerals import parse_number
from nianbao.rules.agency import self_titles
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.identity import Unit, quote_line, units

# 「本报告所列数据统计期限为2024年1月1日至(2024年)12月31日」, in its usual variants.
PERIOD = re.compile(
    r"统计(?:期限|周期|时限|区间|时间|范围|口径)?[^。;]{0,8}?(?P<y1>\d{4})年0?1月0?1日起?"
    r"(?:至|到|-|—|~|－)+(?:(?P<y2>\d{4})年)?12月31日"
)
YEAR = re.compile(r"(?<![\d.\-])(?P<y>(?:19|20)\d{2}|[二][〇零][〇零一二三四五六七八九]{2})(?=年)")
# YEAR without its leading look-behind, which keeps the regex engine from skipping ahead to a 1, 2 or 二.
_YEAR_BODY = re.compile(r"(?:19|20)\d{2}(?=年)|[二][〇零][〇零一二三四五六七八九]{2}(?=年)")


def years_in(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, year as written) of each match of YEAR in ``text``, in order.

    A candidate right after a digit, 「.」 or 「-」 is not a year; no other match can start inside it,
    because each is four characters followed by 年.
    """
    for m in _YEAR_BODY.finditer(text):
        start = m.start()
        before = text[start - 1] if start else ""
        if before and (before.isdecimal() or before in ".-"):
            continue
        yield start, m.end(), m.group()
# 2024－2027年, 2021至2025年: a plan's range, not a statement about one year.
RANGE = re.compile(r"\d{4}年?(?:-|—|–|~|至|到)\d{4}年")

# Sentence words that make the year before the report year legitimate: last year's problems,
# comparisons, last year's accounts (决算) and report published this year (not 上年结转: a table term).
_PRIOR = re.compile(
    r"上年(?!结转)|上一年|去年|较|相比|同比|环比|对比|增长|下降|减少|增加|提高|问题|整改|改进|决算|年度报告|年报"
    r"|延续|持续"
)
# Sentence words that make a later year legitimate: plans.
_PLAN = re.compile(r"将|计划|拟|力争|争取|预计|下一步|下一年|明年|来年|目标|届时|规划|展望")
# Sentence words that make any earlier year legitimate: history and comparison.
_HISTORY = re.compile(r"历年|先后|连续|相比|较|同比|对比")
# Right after the year: 「2019年以来」, 「2023年12月起」; a date 「2026年1月23日」; a deadline 「2025年1月31日前」.
_SINCE_AFTER = re.compile(r"年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:以来|起|开始|至今)")
_UNTIL_AFTER = re.compile(r"年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底?前|之前)")
_DATED_AFTER = re.compile(r"年\d{1,2}月")
_FULL_YEAR_AFTER = re.compile(r"年0?1月(?:0?1日)?(?:至|到|-|—|~)")


def _year(text: str) -> int:
    """「2024」 or 「二〇二四」 (the patterns admit only these) as a year."""
    value = parse_number(text)
    assert isinstance(value, int), text
    return value


@register
class YearConsistency(Rule):
    """报告年度与统计期限、前言中的报告名称或正文中的年份不一致。

    Checks (format-2021 R30) that the title year Y equals the year of the statistics period
    (「本报告所列数据统计期限为Y年1月1日至Y年12月31日」) and of the preamble's 《…Y年…年度报告》 (error when
    not), and that the narrative's other years have a reason (warning when not): Y−1 in prior-year
    context (针对Y−1年存在的问题, 较上年, Y−1年度部门决算), Y+1 in plans and dates (Y+1年将…, the
    publication date), earlier years with 以来/起, anything inside a cited 《…》 or a range (2024－2027年).

    Why: a wrong year is the usual trace of a report copied from last year's.

    Bad (a 2024 report): 本报告所列数据统计期限为2023年1月1日至2023年12月31日; 2023年共收到申请37件。
    Good: 统计期限为2024年1月1日至2024年12月31日; 针对2023年存在的问题，2024年改进措施如下; 2025年将开展培训。
    """

    code = "ID-YEAR"
    name = "identity.year"
    category = Category.IDENTITY
    severity = Severity.ERROR
    refs = ("R30",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        year = report.metadata.year
        if year is None:
            return
        # Short sub-headings (「（一）2023年度问题整改情况」) are not paragraphs but carry years too.
        headings = [
            Unit(Paragraph(text=h.text, span=h.span, part=h.part))
            for h in report.headings
            if h.depth > 1 and not h.inline_text
        ]
        for unit in [*units(report), *headings]:
            handled: list[tuple[int, int]] = []
            yield from self._stated(unit, year, handled)
            yield from self._stray(unit, year, handled)

    def _stated(self, unit: Unit, year: int, handled: list[tuple[int, int]]) -> Iterator[Finding]:
        norm = unit.norm
        for m in PERIOD.finditer(norm):
            handled.append((m.start(), m.end()))
            for group in ("y1", "y2"):
                if m.group(group) is None or int(m.group(group)) == year:
                    continue
                span = unit.span(m.start(group))
                yield self.finding(
                    f"{quote_line(span)}称数据统计期限为“{unit.original(m.start(), m.end())}”，"
                    f"但标题的报告年度是{year}年。",
                    Location(span=span, part=unit.para.part),
                    expected=year,
                    actual=int(m.group(group)),
                    evidence=[unit.sentence_text(m.start())],
                )
                break
        for t in self_titles(unit):
            handled.append((t.start, t.end))
            stated = _year(t.year)
            if stated == year:
                continue
            span = unit.span(t.year_start)
            yield self.finding(
                f"{quote_line(span)}称本报告为{t.quoted(unit)}，但标题的报告年度是{year}年，不是{stated}年。",
                Location(span=span, part=unit.para.part),
                expected=year,
                actual=stated,
                evidence=[unit.sentence_text(t.start)],
            )

    def _stray(self, unit: Unit, year: int, handled: list[tuple[int, int]]) -> Iterator[Finding]:
        norm = unit.norm
        handled = handled + [(m.start(), m.end()) for m in RANGE.finditer(norm)]
        seen: set[tuple[int, int]] = set()
        for start, end, written in years_in(norm):
            value = _year(written)
            if value == year or unit.in_title(start) or any(a <= start < b for a, b in handled):
                continue
            sentence = unit.sentence(start)
            if (sentence[0], value) in seen or self._explained(norm, start, end, sentence, value, year):
                continue
            seen.add((sentence[0], value))
            span = unit.span(start)
            yield self.finding(
                f"{quote_line(span)}出现“{value}年”，但本报告是{year}年度报告，"
                f"且该句不是上年对比、问题整改、下年计划或发布日期。",
                Location(span=span, part=unit.para.part),
                expected=year,
                actual=value,
                evidence=[unit.sentence_text(start)],
                severity=Severity.WARNING,
            )

    @staticmethod
    def _explained(norm: str, start: int, end: int, sentence: tuple[int, int], value: int, year: int) -> bool:
        """Whether the year's neighbourhood or sentence gives a reason for a year other than the report year."""
        before = norm[max(sentence[0], start - 2) : start]
        since = _SINCE_AFTER.match(norm, end) is not None or before.endswith(("自", "从"))
        # A dated event (「2023年12月，县政府出台…」, the publication date) is a deliberate reference;
        # a whole year's period (「2023年1月至12月」) is not.
        dated = _DATED_AFTER.match(norm, end) is not None and _FULL_YEAR_AFTER.match(norm, end) is None
        if value == year - 1:
            return since or dated or _PRIOR.search(norm, *sentence) is not None
        if value > year:
            until = _UNTIL_AFTER.match(norm, end) is not None or before.endswith(
                ("到", "至", "截至", "截止", "于")
            )
            return until or dated or _PLAN.search(norm, *sentence) is not None
        return since or dated or _HISTORY.search(norm, *sentence) is not None
