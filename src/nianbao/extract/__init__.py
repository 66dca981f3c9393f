"""Grounded extraction of narrative facts with a model, and the LLM-backed checks.

The deterministic parser reads the standard statements; what it does not read (items published per
channel, 政策解读, trainings, meetings, part 五's problems and measures, fee statements) a model proposes
here, and nothing it proposes is returned unless its verbatim quote is found in the report and every
number of the fact is in that quote. Ungrounded facts are dropped and reported (``ExtractResult.dropped``).

    import nianbao
    result = nianbao.extract(nianbao.read("report.txt"))          # endpoint from NIANBAO_* / OPENAI_*
    for fact in result.model_facts:
        print(fact.kind, fact.subject, fact.value, fact.unit, fact.quote, fact.span)

Importing this package loads the model layer (openai, instructor); ``import nianbao`` and
``nianbao check`` never do. Use ``from nianbao.extract import …`` (not ``import nianbao.extract as …``:
``nianbao.extract`` is also the function).
"""

from __future__ import annotations

from nianbao.extract.checks import BOILERPLATE, LLM_CHECKS, PROBLEM_MEASURE, llm_check, problem_findings
from nianbao.extract.chunks import Chunk, chunk_report
from nianbao.extract.extractor import NO_MODEL_NOTE, extract_report, extract_with, plan_chunks
from nianbao.extract.grounding import Ungrounded, check_grounding, find_quote, numbers_in
from nianbao.extract.models import (
    CallRecord,
    DroppedFact,
    ExtractResult,
    ModelFact,
    NarrativeFacts,
    NarrativeItem,
    TokenUsage,
)

__all__ = [
    "BOILERPLATE",
    "LLM_CHECKS",
    "NO_MODEL_NOTE",
    "PROBLEM_MEASURE",
    "CallRecord",
    "Chunk",
    "DroppedFact",
    "ExtractResult",
    "ModelFact",
    "NarrativeFacts",
    "NarrativeItem",
    "TokenUsage",
    "Ungrounded",
    "check_grounding",
    "chunk_report",
    "extract_report",
    "extract_with",
    "find_quote",
    "llm_check",
    "numbers_in",
    "plan_chunks",
    "problem_findings",
]
