"""Run a drafter over drafting cases: draft, assemble, check, score; results as JSON and Markdown.

::

    from nianbao.draft import OfflineDrafter
    from nianbao.evals import load_drafting_cases, run_drafting

    results = run_drafting(load_drafting_cases(), OfflineDrafter())
    print(results.means["number_recall"])
    Path("results.json").write_text(results.model_dump_json(indent=2))

The results hold the configuration (drafter, model, prompt hashes, date, versions), every case's
metrics (overall and per part, with the missing numbers, unsupported numbers, identity issues and
checker findings behind them), the model usage and a cost estimate, and the means over the cases.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nianbao.draft.model import DRAFT_PARTS, Drafter
from nianbao.evals import metrics as m
from nianbao.evals.cases import DraftingCase

__all__ = [
    "CaseResult",
    "DraftingConfig",
    "DraftingResults",
    "Usage",
    "load_results",
    "markdown_summary",
    "price_per_million",
    "run_drafting",
]


class Usage(BaseModel):
    """Model calls and tokens of a case (or of the run); cost in ``currency`` (0 when the price is unknown)."""

    model_config = ConfigDict(extra="forbid")

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost += other.cost


class DraftingConfig(BaseModel):
    """What produced the results."""

    model_config = ConfigDict(extra="forbid")

    eval: str = "drafting"
    drafter: str
    model: str | None = None
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    date: str
    versions: dict[str, str] = Field(default_factory=dict)
    price_per_million: dict[str, float] | None = None  # {"prompt": …, "completion": …}; None: unknown
    currency: str = "USD"


class CaseResult(BaseModel):
    """One case: the headline metrics (``metrics``), per part scores and what lies behind them."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = ""
    source: str = ""
    skipped: str | None = None
    error: str | None = None
    metrics: dict[str, float | None] = Field(default_factory=dict)
    parts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    missing_numbers: list[str] = Field(default_factory=list)
    unsupported_numbers: list[str] = Field(default_factory=list)
    missing_facts: list[str] = Field(default_factory=list)
    identity: list[str] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)


class DraftingResults(BaseModel):
    """The whole run: config, cases, means over the cases that ran, total usage."""

    model_config = ConfigDict(extra="forbid")

    config: DraftingConfig
    cases: list[CaseResult] = Field(default_factory=list)
    means: dict[str, float | None] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)

    def case(self, case_id: str) -> CaseResult | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def write(self, path: str | Path) -> None:
        Path(path).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def load_results(path: str | Path) -> DraftingResults:
    """Results written by :meth:`DraftingResults.write` (``nianbao eval drafting -o``)."""
    return DraftingResults.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


# ------------------------------------------------------------------------------------------ prices


def price_per_million(model: str | None, env: dict[str, str] | None = None) -> dict[str, float] | None:
    """Prices per million tokens: ``NIANBAO_PRICE_PROMPT`` / ``NIANBAO_PRICE_COMPLETION``, or
    ``NIANBAO_PRICES`` = JSON ``{"model": [prompt, completion], …}``; None when unknown (cost 0)."""
    env = dict(os.environ) if env is None else env
    table = env.get("NIANBAO_PRICES")
    if table and model:
        try:
            data = json.loads(table)
            if isinstance(data, dict) and model in data:
                p, c = data[model]
                return {"prompt": float(p), "completion": float(c)}
        except (ValueError, TypeError):
            pass
    p_env, c_env = env.get("NIANBAO_PRICE_PROMPT"), env.get("NIANBAO_PRICE_COMPLETION")
    if p_env is not None or c_env is not None:
        try:
            return {"prompt": float(p_env or 0), "completion": float(c_env or 0)}
        except ValueError:
            return None
    return None


def _cost(usage: Usage, prices: dict[str, float] | None) -> float:
    if prices is None:
        return 0.0
    return (usage.prompt_tokens * prices["prompt"] + usage.completion_tokens * prices["completion"]) / 1e6


# ------------------------------------------------------------------------------------------ config


def _versions() -> dict[str, str]:
    import nianbao

    out = {"nianbao": nianbao.__version__, "python": platform.python_version()}
    try:
        import sacrebleu

        out["sacrebleu"] = str(sacrebleu.__version__)
    except ImportError:  # pragma: no cover
        out["sacrebleu"] = "missing"
    return out


def prompt_hashes(drafter: Drafter) -> dict[str, str]:
    """sha256 of each part's prompt file for a model drafter (``draft_<part>``); {} for the offline one."""
    if not hasattr(drafter, "llm"):
        return {}
    from nianbao.draft.llm_drafter import prompt_name
    from nianbao.llm import PromptError, load_prompt

    out = {}
    for key in DRAFT_PARTS:
        name = prompt_name(key)
        try:
            out[name] = load_prompt(name).sha256
        except PromptError:
            out[name] = "missing"
    return out


def _calls_usage(calls: Sequence[Any]) -> Usage:
    sent = [c for c in calls if getattr(c, "outcome", "") not in ("no-notes", "planned")]
    return Usage(
        calls=len(sent),
        prompt_tokens=sum(int(getattr(c, "prompt_tokens", 0)) for c in sent),
        completion_tokens=sum(int(getattr(c, "completion_tokens", 0)) for c in sent),
    )


# --------------------------------------------------------------------------------------- one case


def score_case(case: DraftingCase, drafter: Drafter, *, with_chrf: bool = True) -> CaseResult:
    """Draft the case with ``drafter``, assemble and check the report, score it."""
    import nianbao
    from nianbao.draft import assemble, check_draft, draft_report, load_notes, load_tables

    result = CaseResult(id=case.id, title=case.title, source=case.source)
    if case.skip is not None or case.reference_path is None:
        result.skipped = case.skip or "no reference"
        return result
    notes = load_notes(case.notes_path)
    tables = load_tables(case.tables_path)
    reference = m.reference_texts(nianbao.read(case.reference_path))
    draft = draft_report(drafter, notes, tables)
    report = assemble(draft, notes, tables)
    read_back, findings = check_draft(report)
    texts = m.part_texts(report)
    whole = "\n".join(texts[k] for k in DRAFT_PARTS)

    numbers = m.noted_numbers(notes, tables)
    grouped = m.by_part(numbers)
    allowed = m.allowed_values(notes, tables)
    for key in DRAFT_PARTS:
        ref = reference.get(key) if key in m.NARRATIVE_PARTS else None
        score = m.score_text(
            texts[key], grouped.get(key, []), allowed, ref, with_chrf=with_chrf and key in m.NARRATIVE_PARTS
        )
        result.parts[key] = asdict(score)

    narrative_draft = "\n".join(texts[k] for k in m.NARRATIVE_PARTS if reference.get(k) is not None)
    narrative_ref = "\n".join(r for r in (reference.get(k) for k in m.NARRATIVE_PARTS) if r is not None)
    overall = m.score_text(whole, numbers, allowed, None, with_chrf=False)
    chrf = m.chrf(narrative_draft, narrative_ref or None) if with_chrf else None
    length = m.length_ratio(narrative_draft, narrative_ref or None)
    facts, missing_facts = m.required_fact_recall(case.required_facts, whole)
    scan = m.identity_scan(whole, notes, read_back)
    id_findings = m.identity_findings(findings)
    counts = m.checker_counts(findings)

    result.metrics = {
        "number_recall": overall.number_recall,
        "unsupported_rate": overall.unsupported_rate,
        "required_fact_recall": facts,
        "identity_errors": float(len(id_findings) + len(scan)),
        "checker_errors": float(counts["error"]),
        "checker_warnings": float(counts["warning"]),
        "chrf": chrf,
        "length_ratio": length,
        "repeated_rate": overall.repeated_rate,
    }
    result.missing_numbers = overall.numbers_missing
    result.unsupported_numbers = overall.unsupported
    result.missing_facts = missing_facts
    result.identity = [i.label() for i in scan] + [f"check:{f.rule} {f.message}" for f in id_findings]
    result.findings = [
        {"rule": f.rule, "category": f.category.value, "severity": f.severity.value, "message": f.message}
        for f in findings
    ]
    return result


def _means(cases: Iterable[CaseResult]) -> dict[str, float | None]:
    ran = [c for c in cases if c.skipped is None and c.error is None]
    out: dict[str, float | None] = {}
    for name in m.HEADLINE:
        values = [v for c in ran if (v := c.metrics.get(name)) is not None]
        out[name] = sum(values) / len(values) if values else None
    return out


def run_drafting(
    cases: Sequence[DraftingCase],
    drafter: Drafter,
    *,
    drafter_name: str | None = None,
    model: str | None = None,
    progress: bool | Callable[[str], None] = False,
    with_chrf: bool = True,
) -> DraftingResults:
    """Run ``drafter`` over ``cases``. A case that fails (bad notes, unreadable reference) is reported with
    its error; a skipped case (corpus absent) with its reason. ``progress``: True for a rich progress bar
    on stderr, or a callable given each case id."""
    from nianbao.draft.notes import DraftInputError
    from nianbao.errors import NianbaoError

    name = drafter_name or ("llm" if hasattr(drafter, "llm") else "offline")
    if model is None and hasattr(drafter, "llm"):
        model = getattr(getattr(drafter.llm, "config", None), "model", None)
    prices = price_per_million(model) if name != "offline" else None
    config = DraftingConfig(
        drafter=name,
        model=model,
        prompt_hashes=prompt_hashes(drafter),
        date=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        versions=_versions(),
        price_per_million=prices,
    )
    results = DraftingResults(config=config)

    def one(case: DraftingCase) -> CaseResult:
        calls: list[Any] = getattr(drafter, "calls", [])
        before = len(calls)
        try:
            res = score_case(case, drafter, with_chrf=with_chrf)
        except (DraftInputError, NianbaoError, OSError, ValueError) as error:
            res = CaseResult(id=case.id, title=case.title, source=case.source, error=str(error))
        if isinstance(getattr(drafter, "calls", None), list):
            res.usage = _calls_usage(drafter.calls[before:])  # type: ignore[attr-defined]
            res.usage.cost = _cost(res.usage, prices)
        return res

    if progress is True:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("[bold]eval drafting[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("", total=len(cases))
            for case in cases:
                bar.update(task, description=case.id)
                results.cases.append(one(case))
                bar.advance(task)
    else:
        for case in cases:
            if callable(progress):
                progress(case.id)
            results.cases.append(one(case))
    results.means = _means(results.cases)
    for c in results.cases:
        results.usage.add(c.usage)
    return results


# ----------------------------------------------------------------------------------------- Markdown

COLUMNS: tuple[tuple[str, str], ...] = (
    ("number_recall", "number recall"),
    ("unsupported_rate", "unsupported"),
    ("required_fact_recall", "required facts"),
    ("identity_errors", "identity errors"),
    ("checker_errors", "checker errors"),
    ("checker_warnings", "checker warnings"),
    ("chrf", "chrF"),
    ("length_ratio", "length ratio"),
    ("repeated_rate", "repeats"),
)


def fmt(name: str, value: float | None) -> str:
    """A metric for a table: rates with two decimals, counts as integers (means with one), chrF with one."""
    if value is None:
        return "—"
    if name in ("identity_errors", "checker_errors", "checker_warnings"):
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    if name == "chrf":
        return f"{value:.1f}"
    return f"{value:.2f}"


def table_rows(results: DraftingResults) -> list[list[str]]:
    """The rows of the per-case table (case id, then one column per metric), the means last."""
    rows = []
    for c in results.cases:
        if c.skipped is not None:
            rows.append([c.id, f"skipped: {c.skipped}"] + [""] * (len(COLUMNS) - 1))
        elif c.error is not None:
            rows.append([c.id, f"error: {c.error}"] + [""] * (len(COLUMNS) - 1))
        else:
            rows.append([c.id] + [fmt(k, c.metrics.get(k)) for k, _ in COLUMNS])
    rows.append(["**mean**"] + [fmt(k, results.means.get(k)) for k, _ in COLUMNS])
    return rows


def markdown_summary(results: DraftingResults) -> str:
    """The results as Markdown: the configuration, a table per case with the means, the details."""
    cfg = results.config
    lines = [
        f"# Drafting eval: {cfg.drafter}" + (f" ({cfg.model})" if cfg.model else ""),
        "",
        f"- date: {cfg.date}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in cfg.versions.items())}",
    ]
    if cfg.prompt_hashes:
        lines.append("- prompts: " + ", ".join(f"{k} {v[:12]}" for k, v in cfg.prompt_hashes.items()))
    u = results.usage
    if u.calls:
        lines.append(
            f"- usage: {u.calls} calls, {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens, "
            f"cost {u.cost:.4f} {cfg.currency}" + ("" if cfg.price_per_million else " (price unknown)")
        )
    lines += ["", "| case | " + " | ".join(label for _, label in COLUMNS) + " |"]
    lines.append("|---" * (len(COLUMNS) + 1) + "|")
    for row in table_rows(results):
        lines.append("| " + " | ".join(row) + " |")
    details = []
    for c in results.cases:
        bits = []
        if c.missing_numbers:
            bits.append("missing numbers: " + "、".join(c.missing_numbers))
        if c.unsupported_numbers:
            bits.append("unsupported numbers: " + "、".join(c.unsupported_numbers))
        if c.missing_facts:
            bits.append("missing facts: " + "、".join(c.missing_facts))
        if c.identity:
            bits.append("identity: " + "；".join(c.identity))
        errors = [f["rule"] for f in c.findings if f["severity"] == "error" and f["category"] != "identity"]
        if errors:
            bits.append("checker errors: " + ", ".join(errors))
        if bits:
            details.append(f"- **{c.id}**: " + "; ".join(bits))
    if details:
        lines += ["", "## Details", "", *details]
    return "\n".join(lines) + "\n"
