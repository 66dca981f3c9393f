"""Text vs table 三: the narrative's figures on applications against the table (format-2021 §2 D, R17–R22)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from nianbao.model.finding import Category, Finding, Severity
from nianbao.model.report import Fact, Report
from nianbao.model.tables import Table3
from nianbao.model.template import T3_COL_LABEL, T3_GROUP_LABELS, T3_GROUPS, T3_LEGAL_COLS
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.textfacts import at_fact, exact_facts, fmt, quoted, t3_label, t3_row_total, t3_sum, table3

TOT = T3_COL_LABEL["tot"]
OUTCOME_GROUPS = (*T3_GROUPS, "open_partial")


@register
class RequestTotals(Rule):
    """正文所述收到、办理、上年结转和结转下年度的申请件数应与表三一致。

    What it checks: 「新收/收到/受理…申请N件」 against 一、本年新收 总计 (or 一+二 when the text counts
    上年结转 in: 「含上年结转」, or the verbs 受理/收到 that many offices use for everything on hand);
    「办理/答复/办结…N件」 against （七）总计 (or 一+二); 「上年结转N件」 against 二; 「结转下年度…N件」
    against 四. An approximate figure (「20余件」) is never an error.

    Why: the narrative and the table state the same counts; when they differ one of them is wrong, and
    reviewers send the report back.

    Bad: 「共办理依申请公开20件」 with a table 三 whose （七）总计 is 0.
    Good: 「共收到申请37件，上年结转3件，办理答复37件，结转下年度继续办理3件」 with 一=37, 二=3, （七）=37, 四=3.
    """

    code = "TXT-REQUESTS"
    name = "text.requests"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R17", "R18", "R19")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t3 = table3(report)
        if t3 is None:
            return
        new, carry_in = t3_row_total(t3, "new"), t3_row_total(t3, "carry_in")
        on_hand = new + carry_in if new is not None and carry_in is not None else None
        for fact in exact_facts(report, "requests.received"):
            yield from self._received(fact, new, on_hand)
        total = t3_row_total(t3, "total")
        for fact in exact_facts(report, "requests.handled"):
            if total is None or fact.value in (total, on_hand):
                continue
            extra = (
                f"（本年新收与上年结转合计为{on_hand}）" if on_hand is not None and on_hand != total else ""
            )
            yield self.finding(
                f"正文称{quoted(fact)}，但表三“{t3_label('total')}”行“{TOT}”列为{total}{extra}。",
                at_fact(fact, "表三", t3_label("total"), TOT),
                expected=total,
                actual=fmt(fact.value),
                evidence=[fact.quote, f"表三（七）总计={total}"],
            )
        for key, row in (("requests.carry_in", "carry_in"), ("requests.carry_out", "carry_out")):
            value = t3_row_total(t3, row)
            for fact in exact_facts(report, key):
                if value is None or fact.value == value:
                    continue
                yield self.finding(
                    f"正文称{quoted(fact)}，但表三“{t3_label(row)}”行“{TOT}”列为{value}。",
                    at_fact(fact, "表三", t3_label(row), TOT),
                    expected=value,
                    actual=fmt(fact.value),
                    evidence=[fact.quote, f"表三{t3_label(row)}={value}"],
                )

    def _received(self, fact: Fact, new: int | None, on_hand: int | None) -> Iterator[Finding]:
        if new is None:
            return
        counts_carry = "incl_carry_in" in fact.qualifiers
        strictly_new = "verb:新收" in fact.qualifiers and not counts_carry
        accepted = {on_hand} if counts_carry else ({new} if strictly_new else {new, on_hand})
        if counts_carry and on_hand == new:
            accepted.add(new)
        if fact.value in accepted:
            return
        expected = on_hand if counts_carry else new
        extra = f"（与上年结转合计为{on_hand}）" if on_hand is not None and on_hand != new else ""
        yield self.finding(
            f"正文称{quoted(fact)}，但表三“{t3_label('new')}”行“{TOT}”列为{new}{extra}。",
            at_fact(fact, "表三", t3_label("new"), TOT),
            expected=expected,
            actual=fmt(fact.value),
            evidence=[fact.quote, f"表三一、本年新收={new}", f"一+二={on_hand}"],
        )


@register
class ApplicantCounts(Rule):
    """正文所述自然人、法人或其他组织的申请件数和人次应与表三各类申请人列一致。

    What it checks: 「自然人申请N件」 against 一、本年新收 自然人 (or 一+二 when the text counts 上年结转
    in); 「法人或其他组织申请N件」 against the sum of the five 法人或其他组织 columns (or 一+二); a 「…N人次」
    of applicants that is larger than all applications in the table (一+二 总计).

    Why: the applicant split is stated twice; a figure the table cannot hold is a copied or stale text.

    Bad: 「涉及自然人及法人共5人次」 with a table 三 of zeros.
    Good: 「自然人申请30件，法人或其他组织申请7件」 with 一: 自然人 30, 法人 columns 4+0+1+2+0 = 7.
    """

    code = "TXT-APPLICANTS"
    name = "text.applicants"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R20",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t3 = table3(report)
        if t3 is None:
            return
        for key, cols, what in (
            ("applicants.natural", ("np",), "自然人"),
            ("applicants.legal", T3_LEGAL_COLS, "法人或其他组织"),
        ):
            new = t3_sum(t3, ["new"], cols)
            both = t3_sum(t3, ["new", "carry_in"], cols)
            for fact in exact_facts(report, key):
                if new is None or fact.value in (new, both):
                    continue
                extra = f"（含上年结转为{both}）" if both is not None and both != new else ""
                yield self.finding(
                    f"正文称{quoted(fact)}，但表三“{t3_label('new')}”行{what}为{new}{extra}。",
                    at_fact(fact, "表三", t3_label("new"), "自然人" if cols == ("np",) else "法人或其他组织"),
                    expected=new,
                    actual=fmt(fact.value),
                    evidence=[fact.quote, f"表三一、本年新收 {what}={new}"],
                )
        applications = t3_sum(t3, ["new", "carry_in"])
        for fact in exact_facts(report, "applicants.person_times"):
            if applications is None or fact.value <= applications:
                continue
            yield self.finding(
                f"正文称{quoted(fact)}，但表三本年新收与上年结转的申请合计只有{applications}件。",
                at_fact(fact, "表三", t3_label("new"), TOT),
                expected=applications,
                actual=fmt(fact.value),
                evidence=[fact.quote, f"表三一+二 总计={applications}"],
            )


def _group_count(t3: Table3, group: str) -> int | None:
    rows = T3_GROUPS["open"] + T3_GROUPS["partial"] if group == "open_partial" else T3_GROUPS[group]
    return t3_sum(t3, rows)


def _group_label(group: str) -> str:
    if group == "open_partial":
        return f"{T3_GROUP_LABELS['open']}＋{T3_GROUP_LABELS['partial']}"
    return T3_GROUP_LABELS[group]


@register
class OutcomeCounts(Rule):
    """正文所述予以公开、部分公开、不予公开、无法提供、不予处理和其他处理的件数应与表三一致。

    What it checks: each outcome count stated in the text against the 总计 column of its rows: （一）;
    （二）; （一）+（二） for 「予以公开及部分公开」; the sum of 1–8 under （三）; 1–3 under （四）; 1–5 under
    （五）; 1–3 under （六）.

    Why: the outcome figures are the heart of the 依申请 report; a text that counts only 「本机关不掌握」
    as 无法提供 (and not the other two reasons) understates the table.

    Bad: 「因本机关不掌握等原因无法提供265件」 with （四） rows 265 + 47 + 25 = 337.
    Good: 「无法提供10件」 with （四） rows 9 + 1 + 0 = 10.
    """

    code = "TXT-OUTCOMES"
    name = "text.outcomes"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R21",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t3 = table3(report)
        if t3 is None:
            return
        for fact in exact_facts(report, *(f"outcome.{g}" for g in OUTCOME_GROUPS)):
            group = fact.key.split(".", 1)[1]
            count = _group_count(t3, group)
            if count is None or fact.value == count:
                continue
            label = _group_label(group)
            yield self.finding(
                f"正文称{quoted(fact)}，但表三“{label}”的“{TOT}”列合计为{count}。",
                at_fact(fact, "表三", label, TOT),
                expected=count,
                actual=fmt(fact.value),
                evidence=[fact.quote, f"表三{label}={count}"],
            )


def _matches(percent: Decimal, count: int, denominator: int) -> bool:
    """True when ``percent`` is ``count / denominator`` rounded (or cut) to the places it shows."""
    exponent = percent.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    tolerance = Decimal(1).scaleb(-places)
    return abs(percent - Decimal(count) * 100 / Decimal(denominator)) <= tolerance


@register
class OutcomePercentages(Rule):
    """正文中办理结果所附的百分比应等于该结果占办理总数的比例。

    What it checks: 「予以公开及部分公开208件（17.46%）」 or 「…占办理总数的51.35%」 against the table's
    count of that outcome divided by （七）总计 (or by 一、本年新收, or 一+二, when the text names
    受理/收到 as the base), within the rounding of the places shown.

    Why: percentages are computed by hand and copied from last year; a wrong one is a visible slip.

    Bad: 「予以公开及部分公开占办理总数的60%」 when the table has 19 of 37 (51.35%).
    Good: 「予以公开及部分公开208件（17.46%）」 with 206 + 2 = 208 of 1191.
    """

    code = "TXT-PERCENT"
    name = "text.percentages"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R22",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t3 = table3(report)
        if t3 is None:
            return
        handled = t3_row_total(t3, "total")
        new = t3_row_total(t3, "new")
        on_hand = t3_sum(t3, ["new", "carry_in"])
        for fact in exact_facts(report, *(f"percent.{g}" for g in OUTCOME_GROUPS)):
            group = fact.key.split(".", 1)[1]
            count = _group_count(t3, group)
            bases = [handled] if "of_received" not in fact.qualifiers else []
            bases += [new, on_hand] if "of_handled" not in fact.qualifiers else []
            bases_ok = [b for b in bases if b]
            if count is None or not bases_ok:
                continue
            percent = Decimal(fact.value)
            if any(_matches(percent, count, b) for b in bases_ok):
                continue
            base = bases_ok[0]
            share = (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.01"))
            label = _group_label(group)
            yield self.finding(
                f"正文称{quoted(fact)}，但按表三计算“{label}”{count}件占{base}件的{fmt(share)}%。",
                at_fact(fact, "表三", label, TOT),
                expected=f"{fmt(share)}%",
                actual=f"{fmt(percent)}%",
                evidence=[fact.quote, f"表三{label}={count}", f"分母={base}"],
            )
