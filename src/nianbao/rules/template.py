"""Template conformance of the three tables: what the table parser could not match to the 2021 format.

The parser never guesses: a missing table or row, a renamed label, values it could not place and
labels of the 2019 试行 format become ParseNotes, and these rules report them.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import ParseNote, Report
from nianbao.rules.base import Context, Rule, register

_PART_OF_TABLE = {"表二": "active", "表三": "requests", "表四": "review"}
# Note codes of the table parser and how sure we are that the report itself is wrong.
# A wholly missing table ("table-missing") is STR-TABLES' finding (R34), not reported twice here.
LABEL_NOTE_SEVERITY: dict[str, Severity] = {
    "row-missing": Severity.ERROR,
    "values-unreadable": Severity.WARNING,
    "label-renamed": Severity.WARNING,
    "row-extra": Severity.WARNING,
    "row-duplicate": Severity.WARNING,
    "label-alias": Severity.INFO,
    "row-by-position": Severity.INFO,
    "values-stray": Severity.INFO,
}


def _location(note: ParseNote) -> Location:
    return Location(
        span=note.span,
        part=_PART_OF_TABLE.get(note.table or ""),
        table=note.table,
        row=note.row,
        column=note.column,
    )


@register
class TemplateLabel(Rule):
    """表二、表三、表四应完整使用2021年格式的表格、行和标签。

    Reports what the table parser could not match to the template: a missing row (error),
    a renamed, duplicated or extra row and values that cannot be placed in a column (warning), and
    harmless differences such as the old name 「规范性文件」 or rows read by position (info).
    Half-width punctuation and spaces inside labels (「(七) 总计」, 「结果 维持」) are not differences.
    A table that is missing altogether is reported by STR-TABLES.

    Bad: table 三 without 「（五）不予处理／3.要求提供公开出版物」. Good: all 25 rows present.
    """

    code = "TPL-LABEL"
    name = "template.label"
    category = Category.TEMPLATE
    severity = Severity.ERROR
    refs = ("R07",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for note in report.notes:
            severity = LABEL_NOTE_SEVERITY.get(note.code)
            if severity is None:
                continue
            yield self.finding(
                note.message,
                _location(note),
                expected=note.expected,
                actual=note.actual,
                evidence=[note.actual] if note.actual else [],
                severity=severity,
            )


@register
class Template2019(Rule):
    """报告不应使用2019年试行格式的表格标签。

    Reports for 2021 and later must use the format of 国办公开办函〔2021〕30号. Labels such as
    本年新制作数量, 对外公开总数量, 上一年项目数量, 本年增/减, 第二十条第（九）项, 政府集中采购, or a single
    「（六）其他处理」 row without its three sub-items, show that last decade's template was reused.

    Bad: 表二 columns 「本年新制作数量 | 本年新公开数量 | 对外公开总数量」. Good: 「本年制发件数 | 本年废止件数 | 现行有效件数」.
    """

    code = "TPL-2019"
    name = "template.format_2019"
    category = Category.TEMPLATE
    severity = Severity.ERROR
    refs = ("R32",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for note in report.notes:
            if note.code != "label-2019":
                continue
            yield self.finding(
                note.message,
                _location(note),
                expected=note.expected,
                actual=note.actual,
                evidence=[note.actual] if note.actual else [],
            )
