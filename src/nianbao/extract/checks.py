"""Checks that need a model's reading, joining the deterministic findings with ``source="llm"``.

They read part 五 through the grounded extraction (:mod:`nianbao.extract.extractor`): every problem and
measure they talk about has a quote found in the report. They only ever add findings; a rule finding is
never replaced or removed, and they are not deterministic rules (not in ``nianbao rules``, not
``--ignore``-able): they run only with ``nianbao check --llm`` or :func:`llm_check`.

Codes (documented here, in ``nianbao check --help`` and in the README):

- ``LLM-PROBLEM-MEASURE`` (warning, format-2021 R37 / C07): a problem of the report year with no
  improvement measure that answers it. The deterministic STR-PROBLEMS sees only whether part 五 has
  any current-year measure; this check pairs them one by one (「逐条提出改进措施」).
  Bad: 「一是…把握不准，二是…不够统一。」 then only 「针对公开属性认定问题，将开展专题培训。」
  (the second problem has no measure). Good: one measure for each problem.
- ``LLM-BOILERPLATE`` (info, C07): a problem stated as a set phrase without saying in what
  (「思想认识有待提高」, 「工作力度不够」). Good: 「部分业务科室对公开属性认定把握不准」.
"""

from __future__ import annotations

from nianbao.extract.extractor import extract_report
from nianbao.extract.models import ExtractResult, ModelFact
from nianbao.llm import LLM, LLMConfig
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report

PROBLEM_MEASURE = "LLM-PROBLEM-MEASURE"
BOILERPLATE = "LLM-BOILERPLATE"

#: The LLM-backed check codes with their one-line Chinese summaries (for help texts and docs).
LLM_CHECKS: dict[str, str] = {
    PROBLEM_MEASURE: "第五部分列出的本年度问题应逐条有对应的改进措施（模型判断）。",
    BOILERPLATE: "第五部分的问题应写明具体对象，而非“思想认识有待提高”之类的套话（模型判断）。",
}


def _location(fact: ModelFact) -> Location:
    return Location(span=fact.span, part="problems")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def problem_findings(result: ExtractResult) -> list[Finding]:
    """LLM-PROBLEM-MEASURE and LLM-BOILERPLATE findings from the grounded problems and measures."""
    facts = [f for f in result.model_facts if f.part == "problems"]
    problems = [f for f in facts if f.kind == "problem" and not f.prior]
    answered = {f.answers for f in facts if f.kind == "measure" and f.answers is not None}
    findings: list[Finding] = []
    for problem in problems:
        if problem.no not in answered:
            findings.append(
                Finding(
                    rule=PROBLEM_MEASURE,
                    category=Category.STRUCTURE,
                    severity=Severity.WARNING,
                    message=(
                        f"（模型判断）第五部分列出的问题“{_short(problem.quote)}”没有对应的改进措施，"
                        "应逐条提出改进措施。"
                    ),
                    location=_location(problem),
                    expected="针对该问题的改进措施",
                    actual="未找到",
                    evidence=[problem.quote],
                    source="llm",
                )
            )
        if problem.concrete is False:
            findings.append(
                Finding(
                    rule=BOILERPLATE,
                    category=Category.WORDING,
                    severity=Severity.INFO,
                    message=(
                        f"（模型判断）第五部分的问题“{_short(problem.quote)}”是套话，没有写明具体在哪项工作、"
                        "哪个栏目或环节。"
                    ),
                    location=_location(problem),
                    expected="写明具体对象的问题",
                    actual=_short(problem.quote),
                    evidence=[problem.quote],
                    source="llm",
                )
            )
    return findings


def llm_check(report: Report, llm: LLM | LLMConfig | None = None) -> tuple[list[Finding], ExtractResult]:
    """The LLM-backed findings of ``report`` (only part 五 is sent) and the extraction they rest on.

    ``llm`` as for :func:`nianbao.extract`; without a configured endpoint nothing is sent and there are
    no findings (the result's notes say why). Callers add these to the rule findings, never in their place.
    """
    result = extract_report(report, llm, parts=("problems",))
    return problem_findings(result), result
