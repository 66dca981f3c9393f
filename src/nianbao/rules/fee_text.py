"""Part 六's 信息处理费 statement against table 三 row （六）2 and table 二 (format-2021 §2 D, R25–R26)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.model.template import T2_FEE, T2_ROW_LABEL, T3_COL_LABEL
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.textfacts import at_fact, exact_facts, fmt, quoted, t3_label, t3_row_total, table3

TOT = T3_COL_LABEL["tot"]


@register
class FeeStatement(Rule):
    """第六部分关于收费通知和信息处理费的说明应与表三“（六）2”行及表二“行政事业性收费”一致。

    What it checks: 「未发出收费通知」 while table 三 row （六）2 (申请人逾期未按收费通知要求缴纳费用) is
    above 0 — that row needs a 收费通知 — (error); fewer notices stated than that row counts (error);
    实际收取 above the notices' amount (error); 「未收取信息处理费」 with （六）2 above 0 (warning: possible
    when no applicant paid, but the notices must then be reported); table 二's 行政事业性收费 above 0 while
    part 六 says nothing about fees (warning).

    Why: the 2021 format asks part 六 for the 收费通知 issued and the fees collected; the row （六）2 counts
    applications closed because a notified fee was not paid.

    Bad: 「本年度未发出收费通知」 with （六）2 总计 2.
    Good: 「本年度未发出信息处理费收费通知，未收取信息处理费」 with （六）2 总计 0.
    """

    code = "TXT-FEE"
    name = "text.fee"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R25", "R26")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        yield from self._notices(report)
        yield from self._amounts(report)
        yield from self._table2_fee(report)

    def _notices(self, report: Report) -> Iterator[Finding]:
        t3 = table3(report)
        unpaid = t3_row_total(t3, "other_2") if t3 is not None else None
        if not unpaid:
            return
        row = t3_label("other_2")
        for fact in exact_facts(report, "fee.notices"):
            if fact.value >= unpaid:
                continue
            yield self.finding(
                f"第六部分称{quoted(fact)}，但表三“（六）其他处理／{row}”行“{TOT}”列为{unpaid}，"
                "该情形须先发出收费通知。",
                at_fact(fact, "表三", row, TOT),
                expected=unpaid,
                actual=fmt(fact.value),
                evidence=[fact.quote, f"表三（六）2={unpaid}"],
            )
        if report.facts_for("fee.notices"):
            return  # the notices were stated: what was collected may well be 0
        for fact in exact_facts(report, "fee.collected"):
            if "none" not in fact.qualifiers:
                continue
            yield self.finding(
                f"第六部分称{quoted(fact)}，但表三“（六）其他处理／{row}”行“{TOT}”列为{unpaid}，"
                "说明曾发出收费通知，应写明发出收费通知的件数和金额。",
                at_fact(fact, "表三", row, TOT),
                expected=unpaid,
                actual=0,
                evidence=[fact.quote, f"表三（六）2={unpaid}"],
                severity=Severity.WARNING,
            )

    def _amounts(self, report: Report) -> Iterator[Finding]:
        amounts = list(exact_facts(report, "fee.notice_amount"))
        if len(amounts) != 1:
            return
        billed = amounts[0]
        for fact in exact_facts(report, "fee.collected"):
            if "none" in fact.qualifiers or fact.value <= billed.value:
                continue
            yield self.finding(
                f"第六部分称{quoted(fact)}，超过收费通知金额{quoted(billed)}。",
                at_fact(fact),
                expected=f"≤{fmt(billed.value)}",
                actual=fmt(fact.value),
                evidence=[billed.quote, fact.quote],
            )

    def _table2_fee(self, report: Report) -> Iterator[Finding]:
        t2 = report.table2
        fee = t2.value("fee", "amount") if t2 is not None and t2.found else None
        part = report.part("other")
        if fee is None or Decimal(fee) <= 0 or part is None or "费" in part.text:
            return
        row, col = T2_ROW_LABEL["fee"], T2_FEE[0][1]
        cell = t2.cell("fee", "amount") if t2 is not None else None
        yield self.finding(
            f"表二“{row}”为{fmt(fee)}万元，但第六部分“其他需要报告的事项”未对收费作任何说明。",
            Location(
                span=cell.span if cell else part.heading.span, part="other", table="表二", row=row, column=col
            ),
            expected="第六部分说明收费情况",
            actual=fmt(fee),
            evidence=[f"表二{row}={fmt(fee)}"],
            severity=Severity.WARNING,
        )
