"""Text vs table 二: the 行政规范性文件 figures of the narrative (format-2021 §2 D, R24)."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Severity
from nianbao.model.report import Report
from nianbao.model.template import T2_DOC_COLUMNS, T2_ROW_LABEL
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.textfacts import at_fact, exact_facts, fmt, quoted

_COLUMNS = {"documents.issued": "issued", "documents.repealed": "repealed", "documents.valid": "valid"}
_COLUMN_LABEL = dict(T2_DOC_COLUMNS)


@register
class DocumentCounts(Rule):
    """正文所述规范性文件的制发、废止和现行有效件数应与表二一致。

    What it checks: 「制发/出台/印发…规范性文件N件」, 「废止N件」 and 「现行有效N件」 (in a sentence about
    规范性文件) against the 行政规范性文件 row of table 二 (第二十条第（一）项).

    Why: 政府信息管理 must report these figures, and they must be the table's.

    Bad: 「全年制发行政规范性文件5件」 with 本年制发件数 3.
    Good: 「全年制发行政规范性文件2件，废止1件，现行有效15件」 with 2 / 1 / 15.
    """

    code = "TXT-DOCUMENTS"
    name = "text.documents"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R24",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t2 = report.table2
        if t2 is None or not t2.found:
            return
        row = T2_ROW_LABEL["norm"]
        for fact in exact_facts(report, *_COLUMNS):
            col = _COLUMNS[fact.key]
            value = t2.value("norm", col)
            if not isinstance(value, int) or fact.value == value:
                continue
            label = _COLUMN_LABEL[col]
            yield self.finding(
                f"正文称{quoted(fact)}，但表二“{row}”行“{label}”列为{value}。",
                at_fact(fact, "表二", row, label),
                expected=value,
                actual=fmt(fact.value),
                evidence=[fact.quote, f"表二{row}{label}={value}"],
            )
