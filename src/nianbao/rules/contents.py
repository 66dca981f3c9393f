"""Content rules (format-2021.md §2, R25, R27, R30 and R35–R37): what the parts must say — the five
总体情况 topics, 考核/评议/追究 results, problems with measures, the fee statement and the statistics period."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import AgencyKind, Heading, Paragraph, Part, Report
from nianbao.model.template import OVERVIEW_TOPICS
from nianbao.normalize import compact
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.part_text import (
    fallback_span,
    find_paragraph,
    find_sentence,
    line_ref,
    matchable,
    paragraphs_of,
    part_name,
    position,
    sentences,
)
from nianbao.rules.shared import paragraphs, per_check

_TOPIC_EXTRA: dict[str, tuple[str, ...]] = {
    "management": ("公开属性", "信息清理", "发布审查", "保密审查", "公文公开"),
    "platform": ("网站建设", "平台"),
    "oversight": ("考核", "培训", "责任追究", "督查", "督导"),
}


@per_check  # two rules read it
def _overview_text(report: Report) -> tuple[str, Heading | None]:
    paras = paragraphs_of(report, "overview")
    subs = [h.title for p in report.parts for h in p.subheadings if p.key == "overview" or p.key is None]
    tops = [p.heading.title for p in report.parts if p.key is None]
    overview = report.part("overview")
    text = compact("\n".join([*(p.text for p in paras), *subs, *tops]))
    return text, overview.heading if overview else None


@register
class TopicsRule(Rule):
    """总体情况应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设和监督保障五个方面。

    What: the text and sub-headings of part 一 must speak of each of the five topics the format
    names (words such as 公开属性 or 信息清理 count for 政府信息管理).
    Why: the format describes 总体情况 as 「主要包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、
    监督保障」.
    Bad: a 总体情况 with only 主动公开 and 依申请公开 paragraphs.
    Good: 「（一）主动公开情况」…「（五）监督保障情况」.
    """

    code = "STR-TOPICS"
    name = "structure.overview_topics"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R35",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        text, heading = _overview_text(report)
        if heading is None:
            return  # a missing part 一 is STR-PARTS's finding
        missing = [
            label
            for key, label, words in OVERVIEW_TOPICS
            if not any(w in text for w in (*words, *_TOPIC_EXTRA.get(key, ())))
        ]
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            yield self.finding(
                f"第一部分“总体情况”（{line_ref(heading.span)}）未涉及{names}，格式要求总体情况包括主动公开、"
                "依申请公开、政府信息管理、政府信息公开平台建设和监督保障五个方面。",
                Location(span=heading.span, part="overview"),
                expected="五个方面",
                actual="、".join(missing),
            )


_ACCOUNT_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("工作考核", ("考核", "考评", "绩效评估")),
    ("社会评议", ("社会评议", "评议", "满意度")),
    ("责任追究", ("责任追究", "追究", "问责", "追责")),
)


@register
class AccountabilityRule(Rule):
    """人民政府的年度报告应说明工作考核、社会评议和责任追究结果情况（条例第五十条第四项）。

    What: for the report of a 人民政府 itself (kind government) 总体情况 must give the results of
    工作考核, 社会评议 and 责任追究; any of them missing is an error. Department and office reports are
    not bound by the clause: when they mention none of the three, an info finding suggests it.
    Why: 条例第五十条 requires 「各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究
    结果情况」.
    Bad (county government): 监督保障 with training only.
    Good: 「将政务公开纳入年度绩效考核……开展社会评议……全年未发生责任追究情况」.
    """

    code = "STR-ACCOUNTABILITY"
    name = "structure.accountability"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R36",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        text, heading = _overview_text(report)
        if heading is None:
            return
        missing = [label for label, words in _ACCOUNT_TOPICS if not any(w in text for w in words)]
        if not missing:
            return
        sub = next(
            (h for p in report.parts if p.key == "overview" for h in p.subheadings if "监督" in h.title),
            heading,
        )
        names = "、".join(f"“{m}”" for m in missing)
        if report.metadata.kind == AgencyKind.GOVERNMENT:
            yield self.finding(
                f"本报告是人民政府的年度报告，但总体情况（{line_ref(sub.span)}）未说明{names}结果情况，"
                "条例第五十条第四项要求各级人民政府的年度报告包括工作考核、社会评议和责任追究结果情况。",
                Location(span=sub.span, part="overview"),
                expected="工作考核、社会评议和责任追究结果情况",
                actual="缺少" + "、".join(missing),
            )
        elif len(missing) == len(_ACCOUNT_TOPICS):
            yield self.finding(
                f"总体情况（{line_ref(sub.span)}）未说明工作考核、社会评议和责任追究结果情况，"
                "部门报告虽不强制，但写明考核和责任追究情况更完整。",
                Location(span=sub.span, part="overview"),
                expected="工作考核、社会评议和责任追究结果情况",
                actual="未提及",
                severity=Severity.INFO,
            )


_PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|有待|仍需|尚需|薄弱|不够")
_MEASURE_WORDS = re.compile(
    r"措施|下一步|整改|拟|计划|(?<!需要)将(?!其|会议)|针对(?:上述|以上|这些|存在的|前述)|根据上述|为此|对此|今后"
)


@register
class ProblemsRule(Rule):
    """第五部分应说明本年度存在的主要问题，并针对这些问题提出改进措施。

    What: part 五 empty or only 「无」 is an error (R27). Problems of the report year stated with no
    improvement measure for them — including the case where the only measures given are for last year's
    problems (「针对2023年存在的问题，2024年改进措施如下」 in a 2024 report) — is a warning (R37).
    Why: the format asks for 「存在的主要问题及改进情况」; assessors require 「逐条提出改进措施」.
    Bad: 2024 problems listed, then only 「针对2023年存在的问题…改进措施」.
    Good: 「（二）存在的主要问题。一是…」 followed by 「（三）改进措施。针对…问题，2025年将…」.
    """

    code = "STR-PROBLEMS"
    name = "structure.problems"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    refs = ("R27", "R37")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        part = report.part("problems")
        if part is None:
            return  # STR-PARTS reports the missing part
        paras = paragraphs_of(report, "problems")
        body = compact("".join(p.text for p in paras))
        if len(re.sub(r"[。.；;，,]", "", body)) <= 2:
            yield self.finding(
                f"{part_name('problems')}（{line_ref(part.heading.span)}）内容为空或只写“无”，应说明存在的主要问题及改进情况。",
                Location(span=part.heading.span, part="problems"),
                expected="存在的主要问题及改进情况",
                actual=body or "空",
                severity=Severity.ERROR,
            )
            return
        year = report.metadata.year
        prior = (
            re.compile(rf"{year - 1}年|上年度|上一年度|去年|上年")
            if year
            else re.compile(r"上年度|上一年度|去年")
        )
        problem_at: tuple[Paragraph, int, str] | None = None
        prior_measure: str | None = None
        current_measure = False
        for para in paras:
            context_prior = self._under_prior_heading(part, para, prior)
            for start, raw in sentences(para.text):
                sentence = matchable(raw)
                is_prior = context_prior or bool(prior.search(sentence))
                if _MEASURE_WORDS.search(sentence):
                    if is_prior:
                        prior_measure = prior_measure or raw.strip()
                    else:
                        current_measure = True
                elif not is_prior and _PROBLEM_WORDS.search(sentence) and problem_at is None:
                    problem_at = (para, start + len(raw) - len(raw.lstrip()), raw.strip())
        if problem_at is None or current_measure:
            return
        para, start, sentence = problem_at
        short = prior_measure.split("：")[0].split("，")[0] if prior_measure else ""
        tail = f"，只写了“{short}”的改进措施" if prior_measure else ""
        yield self.finding(
            f"{part_name('problems')}列出了本年度存在的问题{tail}，未对本年度问题提出改进措施。",
            Location(span=para.span_at(start), part="problems"),
            expected="针对本年度问题的改进措施",
            actual="未提出",
            evidence=[s for s in (sentence, prior_measure) if s],
        )

    @staticmethod
    def _under_prior_heading(part: Part, para: Paragraph, prior: re.Pattern[str]) -> bool:
        where = position(para.span)
        current: Heading | None = None
        for h in part.subheadings:
            if h.depth == 2 and position(h.span) <= where:
                current = h
        return current is not None and bool(prior.search(compact(current.title)))


_FEE_PAID_RE = re.compile(r"(?:未|没有|不)收取[^。]{0,12}费|收取[^。]{0,12}费[^。]*\d|收费事项")
_FEE_RE = re.compile(r"收取[^。]{0,12}费|处理费|收费")
_NOTICE_RE = re.compile(r"收费通知|缴费通知|通知缴费|发出[^。]{0,8}通知")


@register
class FeeStatementRule(Rule):
    """第六部分说明信息处理费时，应同时说明是否发出收费通知。

    What: when part 六 reports 信息处理费 (e.g. 「未收取信息处理费」) it should also state the 收费通知
    issued (number and amount) and the amount actually collected.
    Why: the 2021 format asks part 六 to report 「发出收费通知的件数和总金额以及实际收取的总金额」;
    table 三 has a row for 申请人逾期未按收费通知要求缴纳费用.
    Bad: 「2024年鲁山县人民政府办公室未收取信息处理费。」
    Good: 「本年度本局未发出信息处理费收费通知，未收取信息处理费。」
    """

    code = "STR-FEE-STATEMENT"
    name = "structure.fee_statement"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    refs = ("R25",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        paras = paragraphs_of(report, "other")
        if any(_NOTICE_RE.search(matchable(p.text)) for p in paras):
            return
        hit = find_sentence(paras, _FEE_PAID_RE) or find_sentence(paras, _FEE_RE)
        if hit is None:
            return
        para, start, quote = hit
        yield self.finding(
            f"第六部分只说明“{quote}”，未说明是否发出收费通知及其件数和金额。",
            Location(span=para.span_at(start), part="other"),
            expected="发出收费通知的件数和总金额以及实际收取的总金额",
            actual=quote,
            evidence=[quote],
        )


@register
class PeriodRule(Rule):
    """报告应写明数据统计期限，如“本报告所列数据统计期限为2024年1月1日至2024年12月31日”。

    What: no sentence names the period the figures cover.
    Why: common practice in published reports and recommended by model reports; it anchors the year.
    Bad: a report that never says which dates its figures cover.
    Good: 「本报告所列数据统计期限为2024年1月1日至2024年12月31日。」
    """

    code = "STR-PERIOD"
    name = "structure.period"
    category = Category.STRUCTURE
    severity = Severity.INFO
    refs = ("R30",)

    _PERIOD = re.compile(r"统计(?:期限|周期|时限|时间|区间|范围)|\d{4}年1月1日(?:起)?至(?:\d{4}年)?12月31日")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        if not report.parts and not report.preamble:
            return
        if (
            find_paragraph(paragraphs(report), self._PERIOD, prefilter=r"统计|12\s*月\s*31|１２月３１")
            is not None
        ):
            return
        year = report.metadata.year
        period = f"{year}年1月1日至{year}年12月31日" if year else "本年1月1日至12月31日"
        yield self.finding(
            f"报告未说明数据统计期限，宜写明“本报告所列数据统计期限为{period}”。",
            Location(span=report.metadata.title_span or fallback_span(report)),
            expected=period,
            actual="未说明",
        )
