"""Table 四 (行政复议、行政诉讼): each group's 总计, values and blanks.

The arithmetic rule only uses cells that hold a number; the others are T4-VALUE's and T4-BLANK's.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.model.cell import CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.model.tables import Table4
from nianbao.model.template import T4_FIELD_LABEL, T4_FIELDS, T4_GROUP_LABEL, T4_GROUPS
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.table3 import cell_text, empty_findings

TABLE = "表四"
PART = "review"
PARTS = ("keep", "correct", "other", "pending")


def location(t: Table4, group: str, field: str) -> Location:
    """Where a table-四 cell is."""
    return Location(
        span=t.cell(group, field).span or t.rows[group].span,
        part=PART,
        table=TABLE,
        row=T4_GROUP_LABEL[group],
        column=T4_FIELD_LABEL[field],
    )


@register
class T4Total(Rule):
    """表四每组的“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。

    Checks the three groups 行政复议, 未经复议直接起诉 and 复议后起诉 (c5 = c1+c2+c3+c4, c10, c15). A
    case is in exactly one of the four states, so the 总计 cannot differ from their sum. Groups with a
    cell that is not a number are skipped (T4-VALUE, T4-BLANK).

    Bad: 行政复议 维持10 纠正1 其他0 尚未审结0, 总计0. Good: 总计11.
    """

    code = "T4-TOTAL"
    name = "table4.total"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R08", "R09", "R10")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table4
        if t is None:
            return
        for group, glabel in T4_GROUPS:
            parts = [t.value(group, f) for f in PARTS]
            total = t.value(group, "total")
            if not isinstance(total, int) or not all(isinstance(v, int) for v in parts):
                continue
            expected = sum(v for v in parts if isinstance(v, int))
            if expected != total:
                yield self.finding(
                    f"表四“{glabel}”：结果维持、结果纠正、其他结果、尚未审结之和为{expected}，但“总计”为{total}。",
                    location(t, group, "total"),
                    expected=expected,
                    actual=total,
                    evidence=[f"{label}：{cell_text(t.cell(group, f))}" for f, label in T4_FIELDS],
                )


@register
class T4Value(Rule):
    """表四每格应为非负整数。

    Checks that no cell of table 四 holds a decimal, a negative number or text such as 「无」 where a
    count of cases belongs. Blank, ``/`` and ``—`` cells are T4-BLANK's business.

    Bad: 「无」 under 行政复议/结果维持. Good: 「0」.
    """

    code = "T4-VALUE"
    name = "table4.value"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R11",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table4
        if t is None:
            return
        for group, field, cell in t.iter_cells():
            if cell.kind is CellKind.INVALID:
                yield self.finding(
                    f"表四“{T4_GROUP_LABEL[group]}”的“{T4_FIELD_LABEL[field]}”为“{cell.raw.strip()}”，应为非负整数。",
                    location(t, group, field),
                    expected="非负整数",
                    actual=cell.raw.strip(),
                    evidence=[cell.raw],
                )


@register
class T4Blank(Rule):
    """表四不应有空白、“/”或“—”单元格：没有案件的应填0。

    An empty cell leaves the reader unsure whether there was no case or the figure was forgotten, and
    the 总计 cannot be checked. Reported once per group (行政复议, 未经复议直接起诉, 复议后起诉).

    Bad: 复议后起诉 「/ / / / /」. Good: 「0 0 0 0 0」.
    """

    code = "T4-BLANK"
    name = "table4.blank"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R11",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table4
        if t is None:
            return
        yield from empty_findings(self, t, TABLE, dict(T4_GROUP_LABEL), dict(T4_FIELD_LABEL), PART)
