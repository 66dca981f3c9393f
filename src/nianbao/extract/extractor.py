"""Grounded extraction: one model call per chunk of narrative, every proposed fact checked before use.

For each chunk (:mod:`nianbao.extract.chunks`) the model fills a small response model
(:mod:`nianbao.extract.models`) through :meth:`nianbao.llm.LLM.structured`, with the chunk's text as the
validation context, so an ungrounded item makes instructor re-ask with the reason. When the re-ask
budget is used up, the last reply is re-read leniently: its grounded items are kept and the others are
dropped and reported. Every item is grounded again here whatever the adapter did (defence in depth):
a fact reaches the caller only with its quote found in the report and its number in its quote.

Nothing is sent without a configured endpoint: with no model the result holds the deterministic facts
and a note, and this module does not even create a client.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from nianbao.extract.chunks import Chunk, chunk_report
from nianbao.extract.grounding import Ungrounded, as_decimal, check_grounding, find_quote, match_view
from nianbao.extract.models import (
    CallRecord,
    DroppedFact,
    ExtractResult,
    ModelFact,
    NarrativeFacts,
    NarrativeItem,
    Outcome,
)
from nianbao.llm import (
    LLM,
    DryRunCall,
    LLMConfig,
    LLMError,
    LLMTransportError,
    LLMTruncated,
    LLMValidationError,
    PromptError,
    TokenBudgetExceeded,
    count_message_tokens,
    count_tokens,
    load_prompt,
)
from nianbao.llm.errors import first_error
from nianbao.model.report import Fact, Report

NO_MODEL_NOTE = (
    "未配置模型服务，只返回规则读取的事实（未发送任何请求）。"
    "No model endpoint configured: deterministic facts only (nothing was sent)."
)
DEFAULT_CHUNK_TOKENS = 6000  # text per call: small enough for an 8k-context intranet server


PROMPT = "extract_narrative"  # prompts/extract_narrative.jinja
RESPONSE = NarrativeFacts


def prompt_variables(chunk: Chunk) -> dict[str, str]:
    """The Jinja variables of a chunk's prompt."""
    return {"text": chunk.text}  # the text names its parts: each starts with its template heading


def schema_text(response: type[BaseModel]) -> str:
    """The response model's JSON schema as sent (instructor dumps it with ensure_ascii=False)."""
    return json.dumps(response.model_json_schema(), ensure_ascii=False)


def prompt_overhead(config: LLMConfig) -> int:
    """Tokens of the prompt and schema without any report text (counted as the adapter counts)."""
    messages = load_prompt(PROMPT).render(text="")
    return count_message_tokens(
        messages,
        config.model,
        extra_text=schema_text(RESPONSE),
        tiktoken_file=config.tiktoken_file,
        cache_dir=config.tiktoken_cache_dir,
    ).count


def chunk_budget(config: LLMConfig, limit: int | None = None) -> int:
    """Tokens of report text per call: the per-call budget less the reply's max_tokens and the prompt,
    capped at ``limit`` (default :data:`DEFAULT_CHUNK_TOKENS`)."""
    cap = limit or DEFAULT_CHUNK_TOKENS
    if config.call_token_budget is None:
        return cap
    overhead = prompt_overhead(config)
    room = config.call_token_budget - (config.max_tokens or 0) - overhead
    return max(200, min(cap, room))


def plan_chunks(
    report: Report, config: LLMConfig, parts: Sequence[str] | None = None, limit: int | None = None
) -> list[Chunk]:
    """The chunks an extraction sends, optionally only of some parts."""
    budget = chunk_budget(config, limit)

    def count(text: str) -> int:
        return count_tokens(
            text, config.model, tiktoken_file=config.tiktoken_file, cache_dir=config.tiktoken_cache_dir
        ).count

    return chunk_report(report, budget, count, parts)


# --- reading a reply -------------------------------------------------------------------------------


def _json_candidates(text: str) -> Iterable[Any]:
    """JSON values in a raw reply: the whole text, then every object starting at a 「{」, last first
    (MD_JSON replies put prose, fences or an injected object before the answer)."""
    stripped = text.strip()
    try:
        yield json.loads(stripped)
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    starts = [i for i, ch in enumerate(text) if ch == "{"]
    for i in reversed(starts):
        try:
            value, _ = decoder.raw_decode(text, i)
        except ValueError:
            continue
        yield value


def lenient_items(text: str | None, field: str) -> list[Any] | None:
    """The list of items in a last reply that did not validate, or None when no such list is found."""
    if not text:
        return None
    for value in _json_candidates(text):
        if isinstance(value, dict) and isinstance(value.get(field), list):
            return list(value[field])
    return None


# --- grounding items into facts --------------------------------------------------------------------


def _value_of(value: int | float | None) -> int | Decimal | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    number = as_decimal(value)
    if number is not None and number == number.to_integral_value():
        return int(number)
    return number


def _shown(value: Any) -> str | None:
    """A value as the dropped-fact report shows it: 88, not 88.0."""
    if isinstance(value, float):
        return str(_value_of(value))
    return None if value is None else str(value)


def _dropped_raw(raw: Any, chunk: Chunk, detail: str) -> DroppedFact:
    item = raw if isinstance(raw, dict) else {}
    return DroppedFact(
        reason=Ungrounded.INVALID,
        detail=detail,
        part=chunk.part,
        chunk=chunk.label,
        kind=str(item.get("kind", "")),
        subject=str(item.get("subject", "")),
        value=_shown(item.get("value")),
        unit=str(item.get("unit") or ""),
        quote=str(item.get("quote", "")),
    )


class Grounder:
    """Turns a chunk's validated items into grounded :class:`ModelFact` records or :class:`DroppedFact`s."""

    def __init__(self, chunk: Chunk, rule_facts: Sequence[Fact], number_offset: int = 0) -> None:
        self.chunk = chunk
        self.source = chunk.text
        self.rule_facts = rule_facts
        self.offset = number_offset  # part 五 split into chunks: numbers go on across chunks
        self.kept: list[ModelFact] = []
        self.dropped: list[DroppedFact] = []
        self.duplicates = 0
        self._seen: set[tuple[object, ...]] = set()

    def add(self, item: NarrativeItem) -> None:
        """Keep ``item`` as a :class:`ModelFact` if grounded (and not a rule fact already), else drop it."""
        problem = check_grounding(item.quote, self.source, item.value, item.number_texts())
        if problem is not None:
            self.dropped.append(
                DroppedFact(
                    reason=problem.reason,
                    detail=problem.message,
                    part=self.chunk.part,
                    chunk=self.chunk.label,
                    kind=item.kind,
                    subject=item.subject,
                    value=_shown(item.value),
                    unit=item.unit or "",
                    quote=item.quote,
                )
            )
            return
        where = find_quote(item.quote, self.source)
        assert where is not None  # check_grounding found it
        start, end = where
        part = self.chunk.part_at(start)
        value = _value_of(item.value)
        key = (item.kind, item.subject, value, start, end)
        if key in self._seen:
            return
        self._seen.add(key)
        if value is not None and self._covered(value, item.quote, part):
            self.duplicates += 1
            return
        pairing: dict[str, Any] = {}
        if item.kind in ("problem", "measure"):
            pairing = {
                "no": item.no + self.offset if item.no is not None else None,
                "answers": item.answers + self.offset
                if item.kind == "measure" and item.answers is not None
                else None,
                "prior": bool(item.prior),
                "concrete": item.concrete if item.kind == "problem" else None,
            }
        self.kept.append(
            ModelFact(
                key=f"llm.{item.kind}",
                kind=item.kind,
                subject=item.subject,
                value=value,
                unit=item.unit or "",
                quote=self.source[start:end],
                span=self.chunk.span_at(start),
                part=part,
                **pairing,
            )
        )

    def _covered(self, value: int | Decimal, quote: str, part: str | None) -> bool:
        """A figure the deterministic patterns already read from the same words (kept once, as theirs)."""
        inside = match_view(quote).text
        return any(
            f.part == part and Decimal(f.value) == Decimal(value) and match_view(f.quote).text in inside
            for f in self.rule_facts
        )

    def add_raw(self, raw: Any) -> None:
        """An item of a reply re-read without grounding context: shape first, then grounding."""
        try:
            item = NarrativeItem.model_validate(raw)
        except ValidationError as error:
            self.dropped.append(_dropped_raw(raw, self.chunk, first_error(error)))
            return
        self.add(item)


# --- the extraction --------------------------------------------------------------------------------


_OUTCOMES: dict[type[LLMError], Outcome] = {
    LLMTruncated: "truncated",
    LLMTransportError: "transport-error",
    TokenBudgetExceeded: "budget",
}


def _record(chunk: Chunk, outcome: Outcome, **fields: Any) -> CallRecord:
    return CallRecord(chunk=chunk.label, parts=list(chunk.parts), prompt=PROMPT, outcome=outcome, **fields)


def extract_chunk(
    llm: LLM, chunk: Chunk, rule_facts: Sequence[Fact], result: ExtractResult, number_offset: int = 0
) -> int:
    """Send one chunk and ground its items into ``result``. Returns the largest problem/measure number
    so far, so that numbers stay unique across chunks."""
    grounder = Grounder(chunk, rule_facts, number_offset)
    try:
        completion = llm.structured(PROMPT, prompt_variables(chunk), RESPONSE, context={"source": chunk.text})
    except DryRunCall as planned:
        call = planned.planned
        result.calls.append(
            _record(
                chunk,
                "planned",
                estimated_tokens=call.estimated_prompt_tokens,
                exact=call.exact,
                message=call.token_method,
            )
        )
        return number_offset
    except LLMValidationError as error:
        result.usage.add(error.usage.prompt_tokens, error.usage.completion_tokens)
        raws = lenient_items(error.last_text, "facts")
        for raw in raws or []:
            grounder.add_raw(raw)
        if raws is None:
            result.notes.append(
                f"{chunk.label}：模型回复无法解析，本段未提取事实。"
                f"{chunk.label}: the model's reply could not be read; no facts from this chunk."
            )
        _finish(result, grounder)
        result.calls.append(
            _record(
                chunk,
                "re-read" if raws is not None else "validation-failed",
                attempts=error.attempts,
                prompt_tokens=error.usage.prompt_tokens,
                completion_tokens=error.usage.completion_tokens,
                kept=len(grounder.kept),
                dropped=len(grounder.dropped),
                message=error.errors[:300],
            )
        )
        return _max_no(grounder, number_offset)
    except PromptError:
        raise  # a missing or broken prompt file is a bug in nianbao, not a model failure
    except LLMError as error:  # truncated, transport failure, budget refused, request failed
        result.usage.add(error.usage.prompt_tokens, error.usage.completion_tokens)
        result.calls.append(
            _record(
                chunk,
                _OUTCOMES.get(type(error), "error"),
                attempts=error.attempts,
                prompt_tokens=error.usage.prompt_tokens,
                completion_tokens=error.usage.completion_tokens,
                message=error.message_en,
            )
        )
        result.notes.append(f"{chunk.label}：{error.message_zh} {chunk.label}: {error.message_en}")
        return number_offset
    result.usage.add(completion.usage.prompt_tokens, completion.usage.completion_tokens)
    for item in completion.value.facts:
        grounder.add(item)
    _finish(result, grounder)
    result.calls.append(
        _record(
            chunk,
            "ok",
            attempts=completion.attempts,
            cache_hit=completion.cache_hit,
            prompt_tokens=completion.usage.prompt_tokens,
            completion_tokens=completion.usage.completion_tokens,
            kept=len(grounder.kept),
            dropped=len(grounder.dropped),
        )
    )
    return _max_no(grounder, number_offset)


def _finish(result: ExtractResult, grounder: Grounder) -> None:
    result.facts.extend(grounder.kept)
    result.dropped.extend(grounder.dropped)


def _max_no(grounder: Grounder, offset: int) -> int:
    return max([offset, *(f.no for f in grounder.kept if f.no is not None)])


def extract_with(
    llm: LLM, report: Report, *, parts: Sequence[str] | None = None, chunk_tokens: int | None = None
) -> ExtractResult:
    """Extract with an open :class:`~nianbao.llm.LLM`: the deterministic facts, then each chunk's grounded facts."""
    result = ExtractResult(facts=list(report.facts), model=llm.config.model)
    offset = 0
    for chunk in plan_chunks(report, llm.config, parts, chunk_tokens):
        offset = extract_chunk(llm, chunk, report.facts, result, offset)
    return result


def extract_report(
    report: Report,
    llm: LLM | LLMConfig | None = None,
    *,
    parts: Sequence[str] | None = None,
    chunk_tokens: int | None = None,
) -> ExtractResult:
    """:func:`nianbao.extract`: with ``llm`` an open :class:`~nianbao.llm.LLM`, a :class:`~nianbao.llm.LLMConfig`,
    or None (configuration from the environment). Without a configured endpoint (and not a dry run)
    nothing is sent: the deterministic facts and a note."""
    if isinstance(llm, LLM):
        return extract_with(llm, report, parts=parts, chunk_tokens=chunk_tokens)
    config = llm if isinstance(llm, LLMConfig) else LLMConfig.from_env()
    if not config.configured and not config.dry_run:
        return ExtractResult(facts=list(report.facts), notes=[NO_MODEL_NOTE])
    with LLM(config) as client:
        return extract_with(client, report, parts=parts, chunk_tokens=chunk_tokens)
