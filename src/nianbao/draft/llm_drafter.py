"""The LLM drafter: one model call per part, every sentence checked against the notes it cites.

For each part the model fills :class:`PartSentences` (a list of sentences, each with the ids of the notes
it rests on) from ``prompts/draft_<part>.jinja``, through :meth:`nianbao.llm.LLM.structured` with a
:class:`~nianbao.draft.support.Support` as the validation context: a sentence with a number, place,
agency or year that its notes and the tables do not hold, an unknown note id, a repeat, filler, or a part
over its length budget fails validation with the reason, so instructor re-asks. When the re-ask budget is
used up, the last reply is re-read leniently: the supported sentences are kept and every other one is
removed and reported (:class:`~nianbao.draft.model.Removed`, collected by
:func:`~nianbao.draft.model.draft_report` through :meth:`LLMDrafter.take_removed`); a part still over
budget is cut at a sentence boundary, and what was cut is reported too. Every sentence is checked again
here whatever the adapter did (defence in depth).

:meth:`LLMDrafter.stream_part` is the streaming variant for the notebook: it yields the sentences as the
model writes them, then returns the part checked the same way (without a re-ask: the adapter does not
re-ask a streamed call, so the last reply is re-read leniently when it does not validate).

A part with no notes (二、四 beside their tables), or whose call failed (transport, truncation, budget),
is drafted by the ``fallback`` drafter (the offline templates) when one is given; every call is recorded
in :attr:`LLMDrafter.calls`. Last year's report is never sent: it is not a source of this year's facts.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from nianbao.draft.model import Drafter, DraftPart, DraftSentence, Removed, part_heading
from nianbao.draft.notes import TOPIC_BY_KEY, Measure, Notes, PriorProblem, Problem
from nianbao.draft.offline import OVERVIEW_SECTIONS, OfflineDrafter, cn_index, sentence
from nianbao.draft.support import Support, check_sentence, sentence_key, text_length
from nianbao.llm import LLM, Completion, DryRunCall, LLMError, LLMValidationError, PromptError
from nianbao.llm.errors import first_error
from nianbao.model.template import (
    T2_ROW_COLUMNS,
    T2_ROW_KEYS,
    T2_ROW_LABEL,
    T3_COL_LABEL,
    T3_ROW_BY_KEY,
    T3_ROW_KEYS,
    T4_FIELDS,
    T4_GROUPS,
)

if TYPE_CHECKING:
    from nianbao.draft.table_data import TableData
    from nianbao.model.report import Report

__all__ = [
    "DEFAULT_BUDGETS",
    "DraftCall",
    "LLMDrafter",
    "PartSentences",
    "Sentence",
    "figure_lines",
    "note_lines",
    "prompt_name",
]

# Characters (字) per part; 总体情况 at most 1000 (issue 5).
DEFAULT_BUDGETS: Final[dict[str, int]] = {
    "overview": 1000,
    "active": 300,
    "requests": 400,
    "review": 200,
    "problems": 800,
    "other": 400,
}

OFFLINE: Final = OfflineDrafter()  # stateless: drafts parts with no notes, or whose call failed


def prompt_name(key: str) -> str:
    """The prompt file of a part: ``draft_<key>`` (prompts/draft_overview.jinja …)."""
    return f"draft_{key}"


# --- the response model ----------------------------------------------------------------------------


def _compact_schema(schema: dict[str, Any]) -> None:
    """Property titles and defaults cost tokens and tell a model nothing (the prompt explains the fields)."""
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        prop.pop("default", None)


class Sentence(BaseModel):
    """一句正文：text 为句子，notes 为其依据的笔记编号。"""

    model_config = ConfigDict(json_schema_extra=_compact_schema)

    text: str
    notes: list[str] = Field(default_factory=list)

    @field_validator("notes", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        # 「a1, a2」 or 「a1」 for a list: small models do that.
        if isinstance(value, str):
            return [v.strip() for v in value.replace("，", ",").replace("、", ",").split(",") if v.strip()]
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return value


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


class PartSentences(BaseModel):
    """本部分正文，按顺序逐句列出。"""

    model_config = ConfigDict(json_schema_extra=_compact_schema)

    sentences: list[Sentence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _supported(self, info: ValidationInfo) -> Self:
        support = Support.from_context(info.context)
        if support is None:
            return self  # no context: shape only (the drafter checks every sentence again anyway)
        problems: list[str] = []
        seen: dict[str, str] = {}
        for i, s in enumerate(self.sentences, 1):
            problem = check_sentence(s.text, s.notes, support, seen)
            if problem is not None:
                problems.append(f"sentences[{i - 1}] 第{i}句「{_short(s.text)}」：{problem.message}")
            else:
                seen[sentence_key(s.text)] = f"第{i}句"
        length = text_length(s.text for s in self.sentences)
        if support.budget is not None and length > support.budget:
            problems.append(
                f"the part has {length} characters, over its budget of {support.budget}: shorten it, keep "
                f"every noted fact once 本部分共{length}字，超过上限{support.budget}字：请精简，每个事实只写一次"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self


# --- what is sent ----------------------------------------------------------------------------------


def _label(note: Any, notes: Notes) -> str:
    if isinstance(note, Problem):
        return "本年度问题"
    if isinstance(note, Measure):
        return f"改进措施，针对问题{note.answers}"
    if isinstance(note, PriorProblem):
        return "上年度问题及整改情况"
    topic = TOPIC_BY_KEY.get(getattr(note, "topic", ""))
    return topic.label if topic is not None else ""


def note_lines(key: str, notes: Notes) -> list[dict[str, str]]:
    """The notes a part's prompt holds: id, label (topic, 问题, 改进措施…), text."""
    if key == "problems":
        items: Sequence[Any] = [*notes.prior_problems, *notes.problems, *notes.measures]
    else:
        items = notes.by_part(key)
    return [
        {"id": n.id, "label": _label(n, notes), "text": notes.text_of(n.id).replace("\n", "；")}
        for n in items
    ]


def _fmt(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _t2_lines(tables: TableData) -> list[str]:
    out = []
    for row in T2_ROW_KEYS:
        for col, col_label in T2_ROW_COLUMNS[row]:
            value = tables.table2.value(row, col)
            if value is not None:
                out.append(f"表二 {T2_ROW_LABEL[row]} {col_label}：{_fmt(value)}")
    return out


def _t3_lines(tables: TableData) -> list[str]:
    out = []
    for row in T3_ROW_KEYS:
        value = tables.table3.value(row, "tot")
        if value is None or (value == 0 and row not in ("new", "carry_in", "total", "carry_out")):
            continue
        spec = T3_ROW_BY_KEY[row]
        out.append(f"表三 {spec.full_label}（{T3_COL_LABEL['tot']}）：{_fmt(value)}")
    return out


def _t4_lines(tables: TableData) -> list[str]:
    out = []
    for group, group_label in T4_GROUPS:
        for fkey, flabel in T4_FIELDS:
            value = tables.table4.value(group, fkey)
            if value is not None and (value != 0 or fkey == "total"):
                out.append(f"表四 {group_label} {flabel}：{_fmt(value)}")
    return out


def figure_lines(key: str, tables: TableData | None) -> list[str]:
    """The table figures a part's prompt holds (表三 rows that are 0 are left out, except the totals)."""
    if tables is None:
        return []
    if key == "active":
        return _t2_lines(tables)
    if key == "requests":
        return _t3_lines(tables)
    if key == "review":
        return _t4_lines(tables)
    if key == "other":
        fee = [line for line in _t2_lines(tables) if "收费" in line]
        other_2 = tables.table3.value("other_2", "tot")
        return [*fee, f"表三 {T3_ROW_BY_KEY['other_2'].full_label}（总计）：{_fmt(other_2 or 0)}"]
    if key == "overview":
        wanted = ("new", "carry_in", "total", "carry_out")
        return [line for line in _t3_lines(tables) if any(T3_ROW_BY_KEY[w].label in line for w in wanted)] + [
            line for line in _t4_lines(tables) if "总计" in line
        ]
    return []


# --- records ---------------------------------------------------------------------------------------


@dataclass
class DraftCall:
    """One part's model call: outcome (ok, re-read, failed, fallback, planned, no-notes), attempts, tokens."""

    part: str
    prompt: str
    outcome: str
    attempts: int = 0
    cache_hit: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    kept: int = 0
    removed: int = 0
    message: str = ""


@dataclass
class _Settled:
    kept: list[DraftSentence] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)


# --- the drafter -----------------------------------------------------------------------------------


class LLMDrafter:
    """Drafts each part with a model (:class:`nianbao.llm.LLM`); implements :class:`~nianbao.draft.model.Drafter`.

    ``budgets`` overrides :data:`DEFAULT_BUDGETS` per part (characters). ``fallback`` (the offline
    drafter unless given; None for none) drafts a part that has no notes or whose call failed; without
    one such a part is empty. Failures are in :attr:`calls` and :attr:`messages`.
    """

    def __init__(
        self, llm: LLM, budgets: dict[str, int] | None = None, *, fallback: Drafter | None = OFFLINE
    ) -> None:
        self.llm = llm
        self.budgets = {**DEFAULT_BUDGETS, **(budgets or {})}
        self.fallback = fallback
        self.calls: list[DraftCall] = []
        self.messages: list[str] = []  # for the user: failed calls, unreadable replies
        self._removed: dict[str, list[Removed]] = {}
        self._sentences: dict[str, list[str]] = {}  # part → sentence keys kept (repeats across parts)

    def take_removed(self, key: str) -> list[Removed]:
        """The sentences removed while drafting part ``key`` (since last taken)."""
        return self._removed.pop(key, [])

    def _earlier(self, key: str) -> dict[str, str]:
        return {
            s: f"“{part_heading(part)}”中的句子"
            for part, keys in self._sentences.items()
            if part != key
            for s in keys
        }

    def _prepare(
        self, key: str, notes: Notes, tables: TableData
    ) -> tuple[str, Support, dict[str, Any]] | None:
        """The prompt name, the support (validation context) and the variables of part ``key``'s call;
        None when the part has no notes and a fallback drafts it."""
        self._removed[key] = []
        self._sentences.pop(key, None)
        lines = note_lines(key, notes)
        name = prompt_name(key)
        if not lines and self.fallback is not None:
            self.calls.append(DraftCall(part=key, prompt=name, outcome="no-notes"))
            return None
        support = Support.build(key, notes, tables, budget=self.budgets.get(key), earlier=self._earlier(key))
        variables = {
            "agency": notes.agency,
            "year": notes.year,
            "heading": part_heading(key),
            "budget": support.budget or 2000,
            "notes": lines,
            "figures": figure_lines(key, tables),
        }
        return name, support, variables

    def draft_part(self, key: str, notes: Notes, tables: TableData, previous: Report | None) -> DraftPart:
        """Draft part ``key``: one model call (plus re-asks), every sentence supported or removed."""
        prepared = self._prepare(key, notes, tables)
        if prepared is None:
            return self._fallback(key, notes, tables, previous)
        name, support, variables = prepared
        result: Completion[PartSentences] | LLMError
        try:
            result = self.llm.structured(name, variables, PartSentences, context=support.as_context())
        except PromptError:
            raise  # a missing or broken prompt file is a bug, not a model failure
        except LLMError as error:
            result = error
        return self._conclude(key, notes, tables, previous, name, support, result)

    def stream_part(
        self, key: str, notes: Notes, tables: TableData, previous: Report | None
    ) -> Generator[list[str], None, DraftPart]:
        """Draft part ``key`` streamed (:meth:`nianbao.llm.LLM.stream_structured`): yields the sentences
        received so far (unchecked, each time the list changes) while the model writes; the generator's
        return value (``yield from``) is the part checked exactly like :meth:`draft_part`'s (unsupported
        sentences removed and reported). No re-ask when streaming: a reply that does not validate is
        re-read leniently, its supported sentences kept."""
        prepared = self._prepare(key, notes, tables)
        if prepared is None:
            part = self._fallback(key, notes, tables, previous)
            yield [s.text for s in part.sentences]
            return part
        name, support, variables = prepared
        result: Completion[PartSentences] | LLMError
        try:
            stream = self.llm.stream_structured(name, variables, PartSentences, context=support.as_context())
            shown: list[str] = []
            while True:
                try:
                    partial = next(stream)
                except StopIteration as stop:
                    result = stop.value
                    break
                texts = [s.text for s in (partial.sentences or []) if s is not None and s.text]
                if texts != shown:
                    shown = texts
                    yield list(texts)
        except PromptError:
            raise
        except LLMError as error:
            result = error
        return self._conclude(key, notes, tables, previous, name, support, result)

    def _conclude(
        self,
        key: str,
        notes: Notes,
        tables: TableData,
        previous: Report | None,
        name: str,
        support: Support,
        result: Completion[PartSentences] | LLMError,
    ) -> DraftPart:
        """The part from a call's result: the checked sentences of a reply, or of the last reply that
        did not validate (re-read leniently), or the fallback's part when the call failed."""
        if isinstance(result, DryRunCall):
            self.calls.append(
                DraftCall(part=key, prompt=name, outcome="planned", message=result.planned.token_method)
            )
            return DraftPart(key=key, heading=part_heading(key))
        if isinstance(result, LLMValidationError):
            error = result
            raws = _lenient_sentences(error.last_text)
            settled = self._settle(raws or [], support, key)
            outcome = "re-read" if raws is not None else "unreadable"
            self.calls.append(
                DraftCall(
                    part=key,
                    prompt=name,
                    outcome=outcome,
                    attempts=error.attempts,
                    prompt_tokens=error.usage.prompt_tokens,
                    completion_tokens=error.usage.completion_tokens,
                    kept=len(settled.kept),
                    removed=len(settled.removed),
                    message=error.errors[:300],
                )
            )
            if raws is None:
                self.messages.append(
                    f"{part_heading(key)}：模型回复无法解析。{part_heading(key)}: the model's reply could not be read."
                )
                if self.fallback is not None:
                    return self._fallback(key, notes, tables, previous)
            return self._finish(key, notes, settled)
        if isinstance(result, LLMError):  # transport, truncation, token budget, request failure
            failed = result
            self.calls.append(
                DraftCall(
                    part=key,
                    prompt=name,
                    outcome="failed",
                    attempts=failed.attempts,
                    prompt_tokens=failed.usage.prompt_tokens,
                    completion_tokens=failed.usage.completion_tokens,
                    message=failed.message_en,
                )
            )
            self.messages.append(f"{part_heading(key)}：{failed.message_zh} {failed.message_en}")
            if self.fallback is not None:
                return self._fallback(key, notes, tables, previous)
            return DraftPart(key=key, heading=part_heading(key))
        completion = result
        raws = [s.model_dump() for s in completion.value.sentences]
        settled = self._settle(raws, support, key)
        self.calls.append(
            DraftCall(
                part=key,
                prompt=name,
                outcome="ok",
                attempts=completion.attempts,
                cache_hit=completion.cache_hit,
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
                kept=len(settled.kept),
                removed=len(settled.removed),
            )
        )
        return self._finish(key, notes, settled)

    def _fallback(self, key: str, notes: Notes, tables: TableData, previous: Report | None) -> DraftPart:
        assert self.fallback is not None
        part = self.fallback.draft_part(key, notes, tables, previous)
        taken = getattr(self.fallback, "take_removed", None)
        if callable(taken):
            self._removed[key].extend(taken(key) or [])
        self._sentences[key] = [sentence_key(s.text) for s in part.sentences]
        return part

    def _settle(self, raws: Iterable[Any], support: Support, key: str) -> _Settled:
        """Each proposed sentence checked; the supported kept in order, the others removed with the
        reason; then the part cut at a sentence boundary to its budget."""
        out = _Settled()
        seen: dict[str, str] = {}
        for i, raw in enumerate(raws, 1):
            try:
                sentence = Sentence.model_validate(raw)
            except ValidationError as error:
                text = str(raw.get("text", "")) if isinstance(raw, dict) else str(raw)
                out.removed.append(
                    Removed(text=text, reason=f"格式不符 invalid: {first_error(error)}", part=key)
                )
                continue
            text = sentence.text.strip()
            problem = check_sentence(text, sentence.notes, support, seen)
            if problem is not None:
                out.removed.append(
                    Removed(
                        text=text,
                        reason=f"{problem.code}: {problem.message}",
                        note_ids=sentence.notes,
                        part=key,
                    )
                )
                continue
            seen[sentence_key(text)] = f"第{i}句"
            out.kept.append(DraftSentence(text=text, note_ids=list(sentence.notes)))
        if support.budget is not None:
            total = 0
            for n, s in enumerate(out.kept):
                total += text_length([s.text])
                if total > support.budget:
                    for cut in out.kept[n:]:
                        out.removed.append(
                            Removed(
                                text=cut.text,
                                reason=f"over-budget: 超出本部分篇幅上限{support.budget}字，已截断 "
                                f"the part was cut at its budget of {support.budget} characters",
                                note_ids=cut.note_ids,
                                part=key,
                            )
                        )
                    del out.kept[n:]
                    break
        return out

    def _finish(self, key: str, notes: Notes, settled: _Settled) -> DraftPart:
        self._removed[key].extend(settled.removed)
        sentences = _arrange(key, settled.kept, notes)
        self._sentences[key] = [sentence_key(s.text) for s in sentences]
        return DraftPart(key=key, heading=part_heading(key), sentences=sentences)


def _lenient_sentences(text: str | None) -> list[Any] | None:
    """The ``sentences`` list of a last reply that did not validate, or None when none is found
    (MD_JSON replies may put prose or fences around the JSON: every object is tried, last first)."""
    if not text:
        return None
    candidates: list[Any] = []
    try:
        candidates.append(json.loads(text.strip()))
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    for i in reversed([i for i, ch in enumerate(text) if ch == "{"]):
        try:
            value, _ = decoder.raw_decode(text, i)
        except ValueError:
            continue
        candidates.append(value)
    for value in candidates:
        if isinstance(value, dict) and isinstance(value.get("sentences"), list):
            return list(value["sentences"])
    return None


# --- sub-headings and order ----------------------------------------------------------------------

_SECTION_OF: Final[dict[str, int]] = {
    t: i for i, (_k, topics, _t) in enumerate(OVERVIEW_SECTIONS) for t in topics
}


def _overview(sentences: list[DraftSentence], notes: Notes) -> list[DraftSentence]:
    """总体情况: sentences grouped by the topic of their first note in the format's order (the model's order
    within a topic), each group under the offline drafter's sub-heading 「（一）主动公开情况。」."""

    def section(s: DraftSentence) -> int:
        note = notes.get(s.note_ids[0]) if s.note_ids else None
        return _SECTION_OF.get(getattr(note, "topic", ""), len(OVERVIEW_SECTIONS))

    out: list[DraftSentence] = []
    current: int | None = None
    n = 0
    for s in sorted(sentences, key=section):
        index = section(s)
        if index != current and index < len(OVERVIEW_SECTIONS):
            n += 1
            head = f"（{cn_index(n)}）{OVERVIEW_SECTIONS[index][2]}。"
            out.append(s.model_copy(update={"subheading": head}))
        else:
            out.append(s)
        current = index
    return out


def _problems(sentences: list[DraftSentence], notes: Notes) -> list[DraftSentence]:
    """五: last year's problems first (「（一）上年度问题整改情况。」), then each problem followed by the
    measures that answer it (「（二）存在的主要问题及改进措施。」), as the offline drafter lays it out."""
    prior = {p.id for p in notes.prior_problems}
    problem_index = {p.id: i for i, p in enumerate(notes.problems)}
    answers = {m.id: m.answers for m in notes.measures}

    def order(s: DraftSentence) -> tuple[int, int, int]:
        first = s.note_ids[0] if s.note_ids else ""
        if first in prior:
            return (0, 0, 0)
        if first in problem_index:
            return (1, problem_index[first], 0)
        if first in answers:
            return (1, problem_index.get(answers[first], len(problem_index)), 1)
        return (2, 0, 0)

    out: list[DraftSentence] = []
    groups = 0
    last: tuple[int, int, int] | None = None
    for s in sorted(sentences, key=order):
        key = order(s)
        update: dict[str, Any] = {}
        if last is None or key[0] != last[0]:
            groups += 1
            title = "上年度问题整改情况" if key[0] == 0 else "存在的主要问题及改进措施"
            if key[0] < 2:
                update["subheading"] = f"（{cn_index(groups)}）{title}。"
            else:
                update["paragraph_break"] = True
        elif key[0] == 1 and key[2] == 0 and last[1] != key[1]:
            update["paragraph_break"] = True  # each problem (with its measures) a paragraph
        out.append(s.model_copy(update=update) if update else s)
        last = key
    return out


def _arrange(key: str, sentences: list[DraftSentence], notes: Notes) -> list[DraftSentence]:
    sentences = [s.model_copy(update={"text": sentence(s.text)}) for s in sentences]
    if key == "overview":
        return _overview(sentences, notes)
    if key == "problems":
        return _problems(sentences, notes)
    return sentences
