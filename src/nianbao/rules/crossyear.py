"""Cross-year rules: this year's report against last year's (only when ``ctx.previous`` is given).

XY-YEAR checks the pairing first; when it is wrong (not Y−1, or another agency) the other rules stay
silent, because comparing unrelated reports would only produce noise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Part, Report
from nianbao.model.template import PART_BY_KEY, T2_ROW_LABEL, T3_COL_KEYS, T3_COL_LABEL, T3_ROWS
from nianbao.normalize import compact, nfkc
from nianbao.rules.base import Context, Rule, register

_T3_LABEL = {r.key: r.label for r in T3_ROWS}


def _agency_key(name: str) -> str:
    return compact(unicodedata.normalize("NFKC", name))


def pairing_ok(report: Report, previous: Report) -> bool:
    """False when the years are known and not consecutive, or the agencies are known and differ."""
    y, py = report.metadata.year, previous.metadata.year
    if y is not None and py is not None and py != y - 1:
        return False
    a, pa = report.metadata.agency, previous.metadata.agency
    return not (a and pa and _agency_key(a) != _agency_key(pa))


def _prev_year(previous: Report) -> str:
    year = previous.metadata.year
    return f"上一年度（{year}年）报告" if year is not None else "上一年度报告"


def _fmt(value: int | Decimal) -> str:
    return str(value)


@register
class YearPairing(Rule):
    """作为上一年度报告提供的文件不是本单位Y−1年度的报告。

    What it checks: the previous report's title year is Y−1 and its agency is this report's agency
    (compared after normalising spaces and full-width forms).

    Why: the cross-year rules compare carry-overs and stocks between consecutive reports of one agency;
    a wrong pairing (another year, another office) makes every comparison meaningless.

    Bad: checking 泗洪县市场监督管理局2024年报告 with ``--previous`` 泗洪县市场监督管理局2022年报告.
    Good: ``--previous`` 泗洪县市场监督管理局2023年政府信息公开工作年度报告.
    """

    code = "XY-YEAR"
    name = "crossyear.pairing"
    category = Category.CROSS_YEAR
    severity = Severity.ERROR
    refs = ("R16", "R38", "R40")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        previous = ctx.previous
        if previous is None:
            return
        meta, prev = report.metadata, previous.metadata
        where = Location(span=meta.title_span)
        if meta.year is not None and prev.year is not None and prev.year != meta.year - 1:
            yield self.finding(
                f"本报告为{meta.year}年度，但作为上一年度报告提供的是{prev.year}年度报告，应为{meta.year - 1}年度。",
                where,
                expected=meta.year - 1,
                actual=prev.year,
                evidence=[prev.title or str(prev.year)],
            )
        if meta.agency and prev.agency and _agency_key(meta.agency) != _agency_key(prev.agency):
            yield self.finding(
                f"本报告的单位为“{meta.agency}”，但作为上一年度报告提供的是“{prev.agency}”的报告，两者不是同一单位。",
                where,
                expected=meta.agency,
                actual=prev.agency,
                evidence=[prev.title or prev.agency],
            )


@register
class CarryOver(Rule):
    """表三“二、上年结转”与上一年度报告“四、结转下年度继续办理”不一致。

    What it checks: for every column of 表三, this year's row 二、上年结转政府信息公开申请数量 equals
    last year's row 四、结转下年度继续办理 (the applications carried over are the same applications).

    Why: a carry-over that changes between two reports means one of the two tables is wrong; 上级
    政务公开办 compare the two reports side by side.

    Bad: 2023年报告“结转下年度继续办理”自然人3件，2024年报告“上年结转”自然人2件.
    Good: both are 3.
    """

    code = "XY-CARRY"
    name = "crossyear.carry_over"
    category = Category.CROSS_YEAR
    severity = Severity.ERROR
    refs = ("R38",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        previous = ctx.previous
        if previous is None or not pairing_ok(report, previous):
            return
        t3, p3 = report.table3, previous.table3
        if t3 is None or p3 is None or not t3.found or not p3.found:
            return
        for col in T3_COL_KEYS:
            now, before = t3.value("carry_in", col), p3.value("carry_out", col)
            if now is None or before is None or now == before:
                continue
            cell = t3.cell("carry_in", col)
            yield self.finding(
                f"表三“{_T3_LABEL['carry_in']}”行“{T3_COL_LABEL[col]}”列为{_fmt(now)}，"
                f"但{_prev_year(previous)}“{_T3_LABEL['carry_out']}”行同列为{_fmt(before)}，两者应相等。",
                Location(
                    span=cell.span,
                    part="requests",
                    table="表三",
                    row=_T3_LABEL["carry_in"],
                    column=T3_COL_LABEL[col],
                ),
                expected=int(before),
                actual=int(now),
                evidence=[cell.raw, p3.cell("carry_out", col).raw],
            )


@register
class Stock(Rule):
    """表二现行有效件数不等于上年现行有效件数加本年制发件数、减本年废止件数。

    What it checks: for 规章 and 行政规范性文件, 现行有效(Y) = 现行有效(Y−1) + 本年制发(Y) − 本年废止(Y).

    Why: the stock of documents in force moves only by issuing and repealing; a gap usually means a
    wrong figure. It is a warning because documents also lapse when their 有效期 ends.

    Bad: 2023年现行有效14件，2024年制发2件、废止1件，现行有效16件.
    Good: 现行有效15件 (14 + 2 − 1).
    """

    code = "XY-STOCK"
    name = "crossyear.stock"
    category = Category.CROSS_YEAR
    severity = Severity.WARNING
    refs = ("R16",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        previous = ctx.previous
        if previous is None or not pairing_ok(report, previous):
            return
        t2, p2 = report.table2, previous.table2
        if t2 is None or p2 is None or not t2.found or not p2.found:
            return
        for row in ("reg", "norm"):
            valid, issued, repealed = (t2.value(row, c) for c in ("valid", "issued", "repealed"))
            before = p2.value(row, "valid")
            if valid is None or issued is None or repealed is None or before is None:
                continue
            expected = before + issued - repealed
            if expected == valid:
                continue
            label = T2_ROW_LABEL[row]
            cell = t2.cell(row, "valid")
            yield self.finding(
                f"表二“{label}”现行有效件数为{valid}，但按{_prev_year(previous)}现行有效{before}件"
                f"加本年制发{issued}件、减本年废止{repealed}件，应为{expected}件。",
                Location(span=cell.span, part="active", table="表二", row=label, column="现行有效件数"),
                expected=int(expected),
                actual=int(valid),
                evidence=[cell.raw, p2.cell(row, "valid").raw],
            )


_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
_PUNCT_RE = re.compile(r"[^\w]")
MIN_COMPARABLE_CHARS = 60  # short parts (「本机关无其他需要报告的事项。」) are the same every year by nature
SHINGLE = 4


def _shingles(text: str) -> set[str]:
    """Character 4-grams of text with digits collapsed (a copy with new figures is still a copy)."""
    norm = _PUNCT_RE.sub("", _DIGITS_RE.sub("0", nfkc(text)))
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def similarity(text: str, earlier: str) -> float:
    """Share of ``text``'s character 4-grams that also occur in ``earlier`` (0 … 1): the 重复率 of ``text``."""
    mine = _shingles(text)
    if not mine:
        return 0.0
    return len(mine & _shingles(earlier)) / len(mine)


def _comparable_length(text: str) -> int:
    return len(_PUNCT_RE.sub("", compact(text)))


@register
class CopiedPart(Rule):
    """某一部分与上一年度报告同一部分的文字重复率超过阈值（默认50%）。

    What it checks: for each of the six parts, the share of its character 4-grams (digits collapsed,
    punctuation ignored) that also occur in the same part of last year's report. Parts shorter than
    60 characters are skipped. The threshold is ``CheckConfig.similarity_threshold``.

    Why: 宿迁's assessment deducts for a report more than 50 % identical to the year before, and the
    2021 format warns against 内容雷同; copied text also carries last year's facts into this year.

    Bad: 五、存在的主要问题及改进情况 the same as last year with only the year changed.
    Good: this year's problems, the measures taken and how last year's problems were resolved.
    """

    code = "XY-COPY"
    name = "crossyear.copied_part"
    category = Category.DUPLICATION
    severity = Severity.WARNING
    refs = ("R40",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        previous = ctx.previous
        if previous is None or not pairing_ok(report, previous):
            return
        threshold = ctx.config.similarity_threshold
        for part in report.parts:
            if part.key is None:
                continue
            earlier = "\n".join(_part_text(p) for p in previous.parts if p.key == part.key)
            text = _part_text(part)
            if _comparable_length(text) < MIN_COMPARABLE_CHARS or not earlier:
                continue
            ratio = similarity(text, earlier)
            if ratio <= threshold:
                continue
            heading = PART_BY_KEY[part.key].heading if part.key in PART_BY_KEY else part.heading.text
            yield self.finding(
                f"“{heading}”部分与{_prev_year(previous)}同一部分的文字重复率为{ratio:.0%}，超过{threshold:.0%}，"
                "请按本年度实际情况撰写。",
                Location(span=part.heading.span, part=part.key),
                expected=f"≤{threshold:.0%}",
                actual=f"{ratio:.0%}",
                evidence=[text[:60]],
            )


def _part_text(part: Part) -> str:
    # Sub-headings with inline text (「（一）主动公开情况。全年…」) may live outside the paragraphs.
    inline = [h.inline_text for h in part.subheadings if h.inline_text]
    return "\n".join([part.text, *inline]) if inline else part.text
