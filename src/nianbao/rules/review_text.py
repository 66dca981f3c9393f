"""Text vs table 四: 行政复议/行政诉讼 figures and outcome words (format-2021 §2 D, R23 and R23b)."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Severity
from nianbao.model.report import Fact, Report
from nianbao.model.tables import Table4
from nianbao.model.template import T4_FIELD_LABEL, T4_GROUP_LABEL
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.textfacts import at_fact, exact_facts, fmt, quoted

SUIT_GROUPS = ("suit_direct", "suit_after_review")
TOTAL = T4_FIELD_LABEL["total"]


def _value(t4: Table4, group: str, field: str) -> int | None:
    value = t4.value(group, field)
    return value if isinstance(value, int) else None


def _sum(t4: Table4, groups: tuple[str, ...], field: str) -> int | None:
    values = [_value(t4, g, field) for g in groups]
    return sum(v for v in values if v is not None) if all(v is not None for v in values) else None


@register
class ReviewSuitText(Rule):
    """正文所述行政复议、行政诉讼的件数和结果应与表四一致。

    What it checks: 「行政复议N件」 against 行政复议 总计; 「行政诉讼N件」 against 未经复议直接起诉 总计 +
    复议后起诉 总计 (or 直接起诉 alone); 「未发生行政复议、行政诉讼」 against a table 四 with cases;
    「均获维持」 against 结果纠正/其他结果/尚未审结 > 0 in the groups the sentence names; 「均已审结」
    against 尚未审结 > 0.

    Why: the outcome words are a claim about the office's legal record; saying 「均获维持」 while a case is
    pending or was corrected misstates it.

    Bad: 「行政复议7件，行政诉讼9件，均获维持」 with 尚未审结 2 (复议) and 1 (诉讼).
    Good: 「被申请行政复议4件，被提起行政诉讼2件」 with 复议 总计 4 and 诉讼 1 + 1.
    """

    code = "TXT-REVIEW"
    name = "text.review"
    category = Category.TEXT_VS_TABLE
    severity = Severity.ERROR
    refs = ("R23", "R23b")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t4 = report.table4
        if t4 is None or not t4.found:
            return
        review = _value(t4, "review", "total")
        suits = _sum(t4, SUIT_GROUPS, "total")
        direct = _value(t4, "suit_direct", "total")
        for fact in exact_facts(report, "review.total"):
            if review is not None and fact.value != review:
                yield self._mismatch(fact, "review", review, "行政复议")
            yield from self._outcome_words(fact, t4, ("review",))
        for fact in exact_facts(report, "suit.total"):
            if suits is not None and fact.value not in (suits, direct):
                yield self._mismatch(fact, "suit_direct", suits, "行政诉讼（直接起诉与复议后起诉）")
            yield from self._outcome_words(fact, t4, SUIT_GROUPS)
        everything = _sum(t4, ("review", *SUIT_GROUPS), "total")
        for fact in exact_facts(report, "review_suit.none"):
            if everything:
                yield self.finding(
                    f"正文称{quoted(fact)}，但表四行政复议、行政诉讼“{TOTAL}”合计为{everything}件。",
                    at_fact(fact, "表四", T4_GROUP_LABEL["review"], TOTAL),
                    expected=everything,
                    actual=0,
                    evidence=[fact.quote, f"表四总计合计={everything}"],
                )

    def _mismatch(self, fact: Fact, group: str, value: int, what: str) -> Finding:
        return self.finding(
            f"正文称{quoted(fact)}，但表四{what}“{TOTAL}”为{value}。",
            at_fact(fact, "表四", T4_GROUP_LABEL[group], TOTAL),
            expected=value,
            actual=fmt(fact.value),
            evidence=[fact.quote, f"表四{what}总计={value}"],
        )

    def _outcome_words(self, fact: Fact, t4: Table4, groups: tuple[str, ...]) -> Iterator[Finding]:
        checks: list[tuple[str, tuple[str, ...]]] = []
        if "all_upheld" in fact.qualifiers:
            checks.append(("均获维持", ("correct", "other", "pending")))
        if "all_concluded" in fact.qualifiers:
            checks.append(("均已审结", ("pending",)))
        for word, fields in checks:
            for group in groups:
                for field in fields:
                    value = _value(t4, group, field)
                    if not value:
                        continue
                    yield self.finding(
                        f"正文称{quoted(fact)}“{word}”，但表四“{T4_GROUP_LABEL[group]}”的“{T4_FIELD_LABEL[field]}”为{value}。",
                        at_fact(fact, "表四", T4_GROUP_LABEL[group], T4_FIELD_LABEL[field]),
                        expected=0,
                        actual=value,
                        evidence=[
                            fact.quote,
                            word,
                            f"表四{T4_GROUP_LABEL[group]}{T4_FIELD_LABEL[field]}={value}",
                        ],
                    )
