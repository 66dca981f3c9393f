"""Typed narrative facts: what the model is asked for, what is kept, what is dropped.

Two layers, on purpose:

- **Response model** (:class:`NarrativeFacts` of :class:`NarrativeItem`) is what the model must fill.
  They are small and flat (small models on intranet servers follow short schemas better), and they
  ground themselves: with a validation context ``{"source": <the chunk's text>}`` (instructor's
  ``context=``) an item whose quote is not in the source, or whose number is not in its quote, fails
  validation with a message the model can act on, so instructor re-asks. Without a context (lenient
  re-reading of a last reply) they check only the shape.
- **Records** (:class:`ModelFact`, :class:`DroppedFact`, :class:`ExtractResult`) are what callers get:
  a grounded model fact has the fields of :class:`nianbao.model.report.Fact` (key, value, unit, quote,
  span, part, qualifiers, source) with ``source="llm"``, its quote is the report's own text at its place;
  a fact that could not be grounded is only ever reported as dropped, with the reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from nianbao.extract.grounding import Ungrounded, check_grounding
from nianbao.model.report import Fact
from nianbao.model.span import Span
from nianbao.numerals import parse_number

FactKind = Literal[
    "published",  # items published on a channel (门户网站, 政务新媒体, 微信公众号, 政府公报 …): 条/篇/期
    "interpretation",  # 政策解读: 篇/条
    "training",  # trainings: 次 / 人次
    "meeting",  # meetings, 座谈会, 新闻发布会: 次/场
    "request",  # 依申请公开 handling not read by the deterministic patterns (催办, 沟通, time limits …)
    "fee",  # 信息处理费 / 收费 statements
    "other",  # another figure of the narrative
    "problem",  # part 五: a problem
    "measure",  # part 五: an improvement measure
]

FACT_KINDS: tuple[str, ...] = FactKind.__args__  # type: ignore[attr-defined]
KIND_ZH: dict[str, str] = {
    "published": "发布信息",
    "interpretation": "政策解读",
    "training": "培训",
    "meeting": "会议",
    "request": "依申请公开",
    "fee": "收费",
    "other": "其他",
    "problem": "问题",
    "measure": "改进措施",
}


def _number_or_none(value: Any) -> Any:
    """Accept a number written as text (「4,376」, 「二十三」): models often quote rather than convert."""
    if isinstance(value, bool):
        raise ValueError("value must be a number or null, not true/false; value 应为数字或 null")
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() == "null":
            return None
        number = parse_number(text)
        if number is None:
            raise ValueError(f"value {value!r} is not a number; value 应为数字或 null")
        return float(number)
    return value


def _compact_schema(schema: dict[str, Any]) -> None:
    """The schema as sent, without what costs tokens and tells a model nothing: property titles and
    defaults (the system prompt explains the fields; every schema is sent with every call). The model's
    own title stays: instructor names the tool after it."""
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        prop.pop("default", None)
        options = prop.get("anyOf")
        if isinstance(options, list) and all(set(o) == {"type"} for o in options):
            del prop[
                "anyOf"
            ]  # {"anyOf": [{"type": "number"}, {"type": "null"}]} → {"type": ["number", "null"]}
            prop["type"] = [o["type"] for o in options]


class NarrativeItem(BaseModel):
    """一条事实：quote 逐字摘自原文。"""

    # The model fills this; the docstring above is sent to it (instructor), so it stays short Chinese.
    # One flat item for every kind keeps the schema small: the part 五 fields (no, answers, prior,
    # concrete) are ignored for other kinds.
    model_config = ConfigDict(json_schema_extra=_compact_schema)

    kind: FactKind
    subject: str = ""
    value: float | None = None
    unit: str | None = None
    quote: str
    no: int | None = None
    answers: int | None = None
    prior: bool | None = None
    concrete: bool | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return _number_or_none(value)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Self:
        context = info.context
        if not isinstance(context, dict) or not isinstance(context.get("source"), str):
            return self  # no source given: shape only (the extractor grounds every item again anyway)
        problem = check_grounding(self.quote, context["source"], self.value, self.number_texts())
        if problem is not None:
            raise ValueError(problem.message)
        return self

    def number_texts(self) -> tuple[str, ...]:
        """The fields besides ``value`` whose Arabic figures must be in the quote too. A problem's or
        measure's subject is the model's own summary, not a statement, so it is not held to the quote."""
        if self.kind in ("problem", "measure"):
            return (self.unit or "",)
        return (self.subject, self.unit or "")


class NarrativeFacts(BaseModel):
    """年度报告叙述部分的事实。"""

    # The response model of prompts/extract_narrative.jinja.
    model_config = ConfigDict(json_schema_extra=_compact_schema)

    facts: list[NarrativeItem] = Field(default_factory=list)


class ModelFact(BaseModel):
    """A grounded fact read by a model: the fields of :class:`~nianbao.model.report.Fact` (``source="llm"``),
    plus what only a model reads (kind, subject; for part 五 the numbering and pairing).

    ``quote`` is the report's own text where the model's quote was found (not the model's copy of it),
    and ``span`` its place.
    """

    model_config = ConfigDict(extra="forbid")

    key: str  # llm.<kind>, e.g. llm.published, llm.problem
    kind: str
    subject: str
    value: int | Decimal | None = None
    unit: str = ""
    quote: str
    span: Span | None = None
    part: str | None = None
    qualifiers: list[str] = Field(default_factory=list)
    source: Literal["llm"] = "llm"
    no: int | None = None
    answers: int | None = None
    prior: bool = False
    concrete: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _restore_decimal(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            data = {**data, "value": Decimal(data["value"])}
        return data

    @field_serializer("value")
    def _serialize_value(self, value: int | Decimal | None) -> int | str | None:
        return str(value) if isinstance(value, Decimal) else value

    def to_fact(self) -> Fact | None:
        """This fact as a :class:`Fact` (``source="llm"``), or None when it states no figure or has no place."""
        if self.value is None or self.span is None:
            return None
        return Fact(
            key=self.key,
            value=self.value,
            unit=self.unit,
            quote=self.quote,
            span=self.span,
            part=self.part,
            qualifiers=[*self.qualifiers, f"subject:{self.subject}"],
            source="llm",
        )


class DroppedFact(BaseModel):
    """A fact a model proposed that was not grounded: reported, never returned as true."""

    model_config = ConfigDict(extra="forbid")

    reason: Ungrounded
    detail: str
    part: str | None = None
    chunk: str = ""
    kind: str = ""
    subject: str = ""
    value: str | None = None  # as the model gave it
    unit: str = ""
    quote: str = ""


class TokenUsage(BaseModel):
    """Tokens sent and received, summed over calls and attempts (as the server reported them)."""

    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, prompt: int, completion: int) -> None:
        """Add one call's (or attempt's) usage."""
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += prompt + completion


Outcome = Literal[
    "ok", "re-read", "validation-failed", "truncated", "transport-error", "budget", "planned", "error"
]


class CallRecord(BaseModel):
    """One model call of an extraction (one chunk): what happened, with attempts and tokens."""

    model_config = ConfigDict(extra="forbid")

    chunk: str  # e.g. 「一、总体情况；五、存在的主要问题及改进情况」 or 「一、总体情况（2/3）」
    parts: list[str]  # the part keys the chunk holds
    prompt: str  # prompt file name without suffix
    outcome: Outcome
    attempts: int = 0
    cache_hit: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    kept: int = 0
    dropped: int = 0
    estimated_tokens: int | None = None  # the prompt's token count before sending (planned calls)
    exact: bool | None = None  # whether estimated_tokens is an exact tiktoken count or an estimate
    message: str = ""


class ExtractResult(BaseModel):
    """What :func:`nianbao.extract` returns: deterministic facts first, then the grounded model facts;
    the facts a model proposed that were dropped; tokens used; one record per call; notes for the user."""

    model_config = ConfigDict(extra="forbid")

    facts: list[Fact | ModelFact] = Field(default_factory=list)
    dropped: list[DroppedFact] = Field(default_factory=list)
    usage: TokenUsage = Field(default_factory=TokenUsage)
    calls: list[CallRecord] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    model: str | None = None

    @property
    def model_facts(self) -> list[ModelFact]:
        """Only the facts a model read (all grounded)."""
        return [f for f in self.facts if isinstance(f, ModelFact)]

    @property
    def rule_facts(self) -> list[Fact]:
        """Only the facts the deterministic patterns read."""
        return [f for f in self.facts if isinstance(f, Fact)]
