"""Table 二 (第二十条第（一）（五）（六）（八）项): values, blanks, the 万元 unit, 规章 and the document stock.

Rules here only use cells that hold a number; the others are T2-VALUE's and T2-BLANK's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from nianbao.model.cell import CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import AgencyKind, Level, Metadata, Report
from nianbao.model.tables import Table2
from nianbao.model.template import T2_ROW_COLUMNS, T2_ROW_LABEL
from nianbao.normalize import normalize_text
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.table3 import cell_text, empty_findings, int_values

TABLE = "表二"
PART = "active"
_COL_LABEL = {c: label for cols in T2_ROW_COLUMNS.values() for c, label in cols}
_LOCAL_LEVELS = (Level.PROVINCIAL, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)
_YUAN_RE = re.compile(r"(?<![万\d.])(\d+(?:,\d{3})*(?:\.\d+)?)元")
# A fee this large in 万元 (1亿元) is implausible for a county-level or smaller body: likely 元.
_FEE_YUAN_THRESHOLD = Decimal(10000)


def location(t: Table2, row: str, col: str) -> Location:
    """Where a table-二 cell is."""
    return Location(
        span=t.cell(row, col).span or t.rows[row].span,
        part=PART,
        table=TABLE,
        row=T2_ROW_LABEL[row],
        column=_COL_LABEL[col],
    )


def cannot_make_rules(meta: Metadata) -> bool | None:
    """Whether the agency is one that cannot make 规章 (立法法): None when its level is unknown.

    Only 国务院部门 and the governments of provinces and 设区的市 make 规章; county-level and township
    bodies and every department of a local government do not.
    """
    if meta.level is Level.UNKNOWN:
        return None
    if meta.level in (Level.COUNTY, Level.TOWNSHIP):
        return True
    return meta.kind is AgencyKind.DEPARTMENT and meta.level in _LOCAL_LEVELS


@register
class T2Value(Rule):
    """表二的件数应为非负整数，收费金额应为非负数（单位万元）。

    Checks the 9 count cells (规章, 行政规范性文件, 行政许可, 行政处罚, 行政强制) for decimals, negatives
    and text, and the 行政事业性收费 cell for text and negatives (decimals are fine: it is in 万元).

    Bad: 行政许可 「12.5」, 行政处罚 「无」. Good: 「12」, 「0」, fee 「3.25」.
    """

    code = "T2-VALUE"
    name = "table2.value"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R12",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table2
        if t is None:
            return
        for row, col, cell in t.iter_cells():
            if cell.kind is CellKind.INVALID:
                want = "非负数（单位：万元）" if cell.unit == "wan_yuan" else "非负整数"
                yield self.finding(
                    f"表二“{T2_ROW_LABEL[row]}”行“{_COL_LABEL[col]}”为“{cell.raw.strip()}”，应为{want}。",
                    location(t, row, col),
                    expected=want,
                    actual=cell.raw.strip(),
                    evidence=[cell.raw],
                )


@register
class T2Blank(Rule):
    """表二不应有空白、“/”或“—”单元格：没有发生的应填0。

    The template expects a number in each of the 10 cells. Reported once per row. A 规章 row of 「/」
    is accepted from a body that cannot make 规章 (county level or below, local departments).

    Bad: 行政强制 left blank. Good: 行政强制 「0」.
    """

    code = "T2-BLANK"
    name = "table2.blank"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R12",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table2
        if t is None:
            return
        skip: list[str] = []
        reg = t.rows["reg"].cells.values()
        if cannot_make_rules(report.metadata) and all(c.kind in (CellKind.SLASH, CellKind.DASH) for c in reg):
            skip.append("reg")
        yield from empty_findings(self, t, TABLE, dict(T2_ROW_LABEL), _COL_LABEL, PART, skip_rows=skip)


def _yuan_figures(report: Report) -> list[tuple[Decimal, str]]:
    """Amounts stated in 元 (not 万元) in part 六, with the matched text."""
    part = report.part("other")
    out: list[tuple[Decimal, str]] = []
    for para in part.paragraphs if part else []:
        for m in _YUAN_RE.finditer(normalize_text(para.text)):
            try:
                out.append((Decimal(m.group(1).replace(",", "")), m.group(0)))
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
                continue
    return out


@register
class T2FeeUnit(Rule):
    """表二“行政事业性收费”的单位是万元：填入的数字看起来像是以元计。

    The cell's unit is 万元 (本年收费金额（单位：万元）). A county-level or smaller body with a whole
    number of 10000 or more (1亿元 and up) has almost certainly entered 元; so has a report whose part
    六 states the same figure in 元.

    Bad: 县级部门 「38000」 (38000元 is 3.8万元). Good: 「3.8」.
    """

    code = "T2-FEE-UNIT"
    name = "table2.fee_unit"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R13",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table2
        if t is None:
            return
        fee = t.value("fee", "amount")
        if fee is None or fee <= 0:
            return
        amount = Decimal(fee)
        loc = location(t, "fee", "amount")
        for yuan, quote in _yuan_figures(report):
            if yuan == amount:
                yield self.finding(
                    f"表二“行政事业性收费”填{amount}（单位万元），与第六部分所述“{quote}”数字相同，疑将元填作万元。",
                    loc,
                    expected=str(amount / 10000),
                    actual=str(amount),
                    evidence=[quote, f"行政事业性收费：{cell_text(t.cell('fee', 'amount'))}"],
                )
                return
        small = report.metadata.level in (Level.COUNTY, Level.TOWNSHIP)
        if small and amount >= _FEE_YUAN_THRESHOLD and amount == amount.to_integral_value():
            yield self.finding(
                f"表二“行政事业性收费”为{amount}万元（即{amount / 10000}亿元），对县级及以下机关明显偏大，疑将元填作万元。",
                loc,
                expected=str(amount / 10000),
                actual=str(amount),
                evidence=[f"行政事业性收费：{cell_text(t.cell('fee', 'amount'))}"],
            )


@register
class T2RegLevel(Rule):
    """表二“规章”行应为0：县级及以下机关和地方政府部门不能制定规章。

    Only 国务院部门 and the governments of provinces and 设区的市 make 规章 (立法法). A county-level body,
    a township or any department of a local government that reports 规章 has usually put its
    行政规范性文件 in the wrong row. Skipped when the agency's level is unknown.

    Bad: 某县市场监督管理局 规章 本年制发1. Good: 规章 0/0/0.
    """

    code = "T2-REG-LEVEL"
    name = "table2.reg_level"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R14",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table2
        if t is None or not cannot_make_rules(report.metadata):
            return
        nonzero = [(c, t.value("reg", c)) for c, _ in T2_ROW_COLUMNS["reg"] if (t.value("reg", c) or 0) > 0]
        if not nonzero:
            return
        col, value = nonzero[0]
        agency = report.metadata.agency or "本机关"
        shown = "、".join(f"“{_COL_LABEL[c]}”{v}" for c, v in nonzero)
        yield self.finding(
            f"{agency}不是可以制定规章的机关，但表二“规章”行{shown}，应为0（行政规范性文件应填入下一行）。",
            location(t, "reg", col),
            expected=0,
            actual=int(value) if value is not None else None,
            evidence=[f"规章／{_COL_LABEL[c]}：{v}" for c, v in nonzero],
        )


@register
class T2Stock(Rule):
    """表二“本年废止件数”为0时，“现行有效件数”不应少于“本年制发件数”。

    Documents made this year and not repealed are still in force (unless they expired by their own
    term), so 现行有效 < 本年制发 with no repeal usually means a figure is wrong. Checked for 规章 and
    行政规范性文件; skipped when a cell is not a number.

    Bad: 行政规范性文件 制发5 废止0 现行有效3. Good: 制发5 废止0 现行有效20.
    """

    code = "T2-STOCK"
    name = "table2.stock"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R15",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table2
        if t is None:
            return
        for row in ("reg", "norm"):
            vals = int_values(t, ((row, c) for c in ("issued", "repealed", "valid")))
            if vals is None:
                continue
            issued, repealed, valid = vals
            if repealed == 0 and valid < issued:
                yield self.finding(
                    f"表二“{T2_ROW_LABEL[row]}”本年制发{issued}件、废止0件，现行有效却只有{valid}件，少于本年制发数。",
                    location(t, row, "valid"),
                    expected=f"不少于{issued}",
                    actual=valid,
                    evidence=[
                        f"{_COL_LABEL[c]}：{cell_text(t.cell(row, c))}"
                        for c in ("issued", "repealed", "valid")
                    ],
                )
