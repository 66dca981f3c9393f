"""The eval suite: drafting and checking accuracy measured against reference reports (issue 6, in progress)."""

from __future__ import annotations

from nianbao.evals.cases import DraftingCase, load_drafting_cases
from nianbao.evals.checker import (
    CheckerCase,
    CheckerCaseResult,
    CheckerEvalResult,
    load_checker_cases,
    run_checker_eval,
)
from nianbao.evals.compare import Comparison, compare_results
from nianbao.evals.runner import CaseResult, DraftingResults, load_results, markdown_summary, run_drafting

__all__: list[str] = []
# the drafting eval (helper E2)
__all__ += [
    "CaseResult",
    "Comparison",
    "DraftingCase",
    "DraftingResults",
    "compare_results",
    "load_drafting_cases",
    "load_results",
    "markdown_summary",
    "run_drafting",
]
# the checker eval (helper E3)
__all__ += ["CheckerCase", "CheckerCaseResult", "CheckerEvalResult", "load_checker_cases", "run_checker_eval"]
