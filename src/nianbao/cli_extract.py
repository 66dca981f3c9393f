"""`nianbao extract` and the model side of `nianbao check --llm`: deterministic facts plus grounded
model-extracted facts. Imports nianbao.extract / nianbao.llm only inside functions, so that
`nianbao check` (without --llm) never loads openai or instructor.

Exit codes of `nianbao extract`: 0 = done (also with no model configured: deterministic facts only);
2 = the report could not be read, bad settings, or a model call failed (what was extracted is still
printed); 3 = internal error.
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from nianbao.errors import NianbaoError

if TYPE_CHECKING:
    from nianbao.extract import ExtractResult
    from nianbao.model.finding import Finding
    from nianbao.model.report import Report

EXIT_OK = 0
EXIT_FAILED = 2
EXIT_INTERNAL = 3
FAILED_OUTCOMES = frozenset({"transport-error", "truncated", "budget", "error", "validation-failed"})

#: The LLM-backed check codes (kept here too, so that help texts need not import nianbao.extract).
LLM_CHECK_CODES = ("LLM-PROBLEM-MEASURE", "LLM-BOILERPLATE")


class ExtractFormat(StrEnum):
    """Output formats of ``extract``."""

    TEXT = "text"
    JSON = "json"


def _err(message_zh: str, message_en: str) -> None:
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    console.print(f"nianbao: {message_zh}", markup=False)
    console.print(f"nianbao: {message_en}", markup=False, style="dim")


def _print_error(error: NianbaoError) -> None:
    _err(error.message_zh, error.message_en)


def _internal(exc: BaseException) -> None:
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    _err(
        "内部错误（这是nianbao的缺陷，不是报告的问题），请将输入文件和以下信息报告给维护者。",
        f"internal error (a bug in nianbao, not in the report); please report it with the input file: {detail}",
    )


# --- nianbao check --llm ---------------------------------------------------------------------------


def llm_endpoint_problem() -> NianbaoError | None:
    """Why ``check --llm`` cannot run (no endpoint configured, a bad setting), or None when it can."""
    from nianbao.llm import LLMConfig, LLMNotConfigured

    try:
        config = LLMConfig.from_env()
    except NianbaoError as error:
        return error
    if not config.configured:
        missing = LLMNotConfigured(config.missing())
        return NianbaoError(
            "--llm needs a model endpoint: " + missing.message_en,
            "--llm 需要模型服务：" + missing.message_zh,
        )
    return None


def llm_check_findings(report: Report) -> tuple[list[Finding], list[str], bool]:
    """The LLM-backed findings of one report (``source="llm"``), notes for the user, and whether a
    model call failed. Only part 五 is sent."""
    from nianbao.extract import llm_check

    findings, result = llm_check(report)
    failed = any(c.outcome in FAILED_OUTCOMES for c in result.calls)
    notes = list(result.notes)
    if result.dropped:
        notes.append(
            f"模型提出的{len(result.dropped)}条事实未能在原文中核实，已舍弃。"
            f"{len(result.dropped)} fact(s) proposed by the model could not be grounded and were dropped."
        )
    return findings, notes, failed


def print_notes(notes: list[str]) -> None:
    """Notes of the model layer on stderr (they are not findings)."""
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    for note in notes:
        console.print(f"nianbao: {note}", markup=False)


# --- nianbao extract -------------------------------------------------------------------------------


def _place(span: Any) -> str:
    return span.describe() if span is not None else "（位置不明）"


def _value(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value}{unit}"


def render_text(path: Path, report: Report, result: ExtractResult, console: Console) -> None:
    """The extraction as text for a clerk: rule facts, model facts, dropped facts, calls and tokens."""
    from nianbao.extract import ModelFact
    from nianbao.extract.models import KIND_ZH

    def line(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    line(f"{report.metadata.title or path}")
    rule = result.rule_facts
    line(f"规则读取的事实 Facts read by the rules: {len(rule)}")
    for fact in rule:
        line(f"  {fact.key} = {_value(fact.value, fact.unit)}  「{fact.quote}」  {_place(fact.span)}")
    model = [f for f in result.facts if isinstance(f, ModelFact)]
    who = f"（{result.model}）" if result.model else ""
    line(f"模型读取并经原文核实的事实{who} Facts read by the model, grounded: {len(model)}")
    for f in model:
        tag = KIND_ZH.get(f.kind, f.kind)
        if f.no is not None:
            tag += f" #{f.no}"
        if f.answers is not None:
            tag += f" → #{f.answers}"
        if f.prior:
            tag += " 上年"
        if f.concrete is False:
            tag += " 套话"
        subject = f" {f.subject}" if f.subject else ""
        line(f"  [{tag}]{subject} {_value(f.value, f.unit)}  「{f.quote}」  {_place(f.span)}")
    line(f"未采信（未能在原文中核实）Dropped, not grounded: {len(result.dropped)}")
    for d in result.dropped:
        value = f" {d.value}{d.unit}" if d.value is not None else ""
        line(f"  [{d.reason.value}] {d.kind} {d.subject}{value}  「{d.quote}」  {d.detail}")
    calls = [c for c in result.calls if c.outcome != "planned"]
    if calls:
        u = result.usage
        line(
            f"调用 Calls: {len(calls)}；token 输入 prompt {u.prompt_tokens}，输出 completion {u.completion_tokens}，"
            f"合计 total {u.total_tokens}"
        )
        for c in calls:
            cached = " 缓存 cached" if c.cache_hit else ""
            line(
                f"  {c.chunk}: {c.outcome}, 尝试 attempts {c.attempts}, 保留 kept {c.kept}, 舍弃 dropped {c.dropped}{cached}"
            )
    for note in result.notes:
        line(f"说明 Note: {note}")


def _planned_text(result: ExtractResult, planned: list[Any], console: Console) -> None:
    from nianbao.llm import format_planned

    console.print(format_planned(planned), markup=False, highlight=False)
    for call in result.calls:
        console.print(f"  {call.chunk}: ≈{call.estimated_tokens} tokens", markup=False, highlight=False)


def _run_extract(path: Path, output: ExtractFormat, dry_run: bool) -> int:
    import nianbao
    from nianbao.extract import extract_report, extract_with
    from nianbao.llm import LLM, LLMConfig

    report = nianbao.read(path)
    config = LLMConfig.from_env(dry_run=True if dry_run else None)
    console = Console(highlight=False, soft_wrap=True)
    if dry_run:
        with LLM(config) as llm:
            result = extract_with(llm, report)
            planned = list(llm.planned)
        if output is ExtractFormat.JSON:
            payload = {
                "path": str(path),
                "dry_run": True,
                "calls": [c.model_dump(mode="json") for c in result.calls],
                "planned": [p.as_dict() for p in planned],
            }
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:
            _planned_text(result, planned, console)
        return EXIT_OK
    result = extract_report(report, config)
    if output is ExtractFormat.JSON:
        payload = {"path": str(path), **result.model_dump(mode="json")}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        render_text(path, report, result, console)
    if any(c.outcome in FAILED_OUTCOMES for c in result.calls):
        _err(
            "部分模型调用失败，以上结果不完整（见“说明”）。",
            "Some model calls failed; the output above is incomplete (see the notes).",
        )
        return EXIT_FAILED
    return EXIT_OK


def extract_command(
    report: Annotated[
        Path,
        typer.Argument(
            help="A report file (.txt, .md, .docx, .html, .pdf). 年度报告文件。", metavar="REPORT"
        ),
    ],
    output: Annotated[
        ExtractFormat, typer.Option("--format", help="Output format. 输出格式。")
    ] = ExtractFormat.TEXT,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the calls that would be made and their token estimates; send nothing. "
            "只列出将发送的调用及token估算，不发送。",
        ),
    ] = False,
) -> None:
    """Facts of a report: the rules' facts plus narrative facts read by a model, each checked against the
    report's text (quote found, numbers in the quote); unverified ones are dropped and listed. Without a
    configured model (NIANBAO_BASE_URL, NIANBAO_MODEL) nothing is sent. Exit codes: 0 done, 2 unreadable
    input / bad settings / a model call failed, 3 internal error.
    提取报告中的事实：规则读取的事实，加上模型读取并经原文核实的叙述性事实；未配置模型时不发送任何请求。"""
    try:
        code = _run_extract(report, output, dry_run)
    except NianbaoError as error:
        _print_error(error)
        code = EXIT_FAILED
    except Exception as error:  # the CLI edge: no traceback
        _internal(error)
        code = EXIT_INTERNAL
    raise typer.Exit(code)
