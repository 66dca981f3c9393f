"""`nianbao draft`: notes + table data (+ last year's report) → a checked report. Imports nianbao.draft
only inside the command, so that `nianbao check` never loads the model layer.

Exit codes: 0 = written, the draft has no errors (warnings and hints are printed); 1 = written with
errors because of --force; 2 = bad input (notes, table data, last year's report, options, a model
that is not configured) or a draft with errors that was not written (no --force), or the output could
not be written; 3 = internal error.
"""

from __future__ import annotations

import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from nianbao.errors import ConfigError, NianbaoError

if TYPE_CHECKING:
    from nianbao.draft.model import Drafter, ReportDraft

EXIT_OK = 0
EXIT_FORCED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

OUTPUT_SUFFIXES = (".docx", ".md", ".txt")
TABLE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


class DraftFormat(StrEnum):
    """How findings are printed."""

    TEXT = "text"
    JSON = "json"


def _stderr() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _say(zh: str, en: str | None = None) -> None:
    console = _stderr()
    console.print(f"nianbao: {zh}", markup=False)
    if en:
        console.print(f"nianbao: {en}", markup=False, style="dim")


def _print_error(error: NianbaoError) -> None:
    problems = getattr(error, "problems", None)
    if problems and len(problems) > 1:
        console = _stderr()
        console.print(f"nianbao: 输入有{len(problems)}处问题，未开始起草：", markup=False)
        for p in problems:
            console.print(f"  {p}", markup=False)
        console.print(f"nianbao: {error.message_en}", markup=False, style="dim")
        return
    _say(error.message_zh, error.message_en)


def tables_beside(notes: Path) -> Path | None:
    """The table data next to a notes file: ``x.notes.yaml`` → ``x.tables.yaml`` (or .yml/.json/.csv)."""
    name = notes.name
    stem = name[: -len(".notes" + notes.suffix)] if name.endswith(".notes" + notes.suffix) else notes.stem
    for suffix in TABLE_SUFFIXES:
        candidate = notes.with_name(f"{stem}.tables{suffix}")
        if candidate.is_file():
            return candidate
    return None


def _drafter(offline: bool, model: str | None) -> tuple[Drafter, Any]:
    """The drafter and, for the model, the LLM client to close afterwards."""
    from nianbao.draft.offline import OfflineDrafter

    if model is None:
        return OfflineDrafter(), None
    if offline:
        raise ConfigError("--offline and --model exclude each other", "--offline 与 --model 不能同时使用。")
    try:
        from nianbao.draft.llm_drafter import LLMDrafter
        from nianbao.llm import LLM, LLMConfig
    except ImportError as exc:  # the model drafter is not installed in this build
        raise ConfigError(
            f"--model: the model drafter is not available ({exc}); use --offline",
            f"--model：当前版本没有模型起草功能（{exc}），请使用 --offline。",
        ) from exc
    llm = LLM(LLMConfig.from_env(model=model))
    return LLMDrafter(llm), llm


def _draft_json(
    draft: ReportDraft, out: Path, written: bool, drafter: str, messages: list[str]
) -> dict[str, Any]:
    return {
        "output": str(out),
        "written": written,
        "drafter": drafter,
        "unused_notes": list(draft.unused_notes),
        "removed": [r.model_dump(mode="json") for r in draft.removed],
        "messages": messages,
    }


def _run(
    notes_path: Path,
    tables_path: Path | None,
    previous_path: Path | None,
    out: Path,
    offline: bool,
    model: str | None,
    force: bool,
    fmt: DraftFormat,
) -> int:
    import nianbao
    from nianbao.draft.assemble import (
        agency_problem,
        assemble,
        carry_over_problem,
        check_draft,
        input_problems,
        render_bytes,
    )
    from nianbao.draft.model import draft_report
    from nianbao.draft.notes import DraftInputError, load_notes
    from nianbao.draft.table_data import load_tables
    from nianbao.model.finding import Severity
    from nianbao.model.report import Metadata
    from nianbao.output import write_atomic
    from nianbao.review.checked import CheckedReport
    from nianbao.review.json import check_payload, dump, report_entry
    from nianbao.review.text import render_report

    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ConfigError(
            f"{out}: the output must end in .docx, .md or .txt",
            f"{out}：输出文件的扩展名应为 .docx、.md 或 .txt。",
        )
    if out.resolve() in {notes_path.resolve(), *(p.resolve() for p in (tables_path, previous_path) if p)}:
        raise ConfigError(
            f"{out}: the output must not overwrite an input file", f"{out}：输出文件不能覆盖输入文件。"
        )
    notes = load_notes(notes_path)
    previous = nianbao.read(previous_path) if previous_path is not None else None
    if tables_path is None:
        tables_path = tables_beside(notes_path)
        if tables_path is None:
            raise ConfigError(
                f"{notes_path}: no table data; give --tables DATA (YAML, JSON or CSV)",
                f"{notes_path}：没有表格数据，请用 --tables 指定表二、表三、表四的数据文件（YAML、JSON或CSV）。",
            )
    meta = Metadata(
        agency=notes.agency, region=notes.region, level=notes.level, kind=notes.kind, year=notes.year
    )
    tables = load_tables(tables_path, metadata=meta, previous=previous)
    mismatched = input_problems(notes, tables)
    if mismatched:
        raise DraftInputError(
            "\n".join(f"{notes_path}: {en}" for _zh, en in mismatched),
            "\n".join(f"{notes_path}：{zh}" for zh, _en in mismatched),
            path=str(notes_path),
            problems=[f"{notes_path}：{zh}" for zh, _en in mismatched],
        )

    messages: list[str] = []
    other = agency_problem(notes, previous)
    if other is not None:
        _say(*other)
        messages.append(other[0])
    carry = carry_over_problem(tables, previous)
    if carry is not None:
        if not force:
            _say(
                carry[0] + "未起草（加 --force 仍可起草）。",
                carry[1] + " Nothing was drafted (--force drafts anyway).",
            )
            return EXIT_BAD_INPUT
        _say(carry[0], carry[1])
        messages.append(carry[0])

    drafter, llm = _drafter(offline, model)
    try:
        draft = draft_report(drafter, notes, tables, previous)
    finally:
        if llm is not None:
            llm.close()
    messages.extend(getattr(drafter, "messages", []) or [])
    report = assemble(draft, notes, tables, previous)
    read_back, findings = check_draft(report, previous, name=str(out))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    write = not errors or force
    if write:
        write_atomic(render_bytes(report, out.suffix), out, what_en="the draft", what_zh="起草的报告")

    drafter_name = "offline" if model is None else f"model:{model}"
    item = CheckedReport(path=str(out), report=read_back, findings=findings)
    if fmt is DraftFormat.JSON:
        payload = check_payload([report_entry(item)], nianbao.__version__)
        payload["draft"] = _draft_json(draft, out, write, drafter_name, messages)
        sys.stdout.write(dump(payload) + "\n")
    else:
        render_report(item, Console(highlight=False))
        for m in getattr(drafter, "messages", []) or []:
            _say(m)
        if draft.unused_notes:
            _say(
                f"以下要点未写入报告，请核对：{'、'.join(draft.unused_notes)}。",
                f"notes not used in the draft: {', '.join(draft.unused_notes)}",
            )
        for r in draft.removed:
            ids = f"（要点 {'、'.join(r.note_ids)}）" if r.note_ids else ""
            _say(f"已删去无依据的句子{ids}：“{r.text}”——{r.reason}")
    if not write:
        _say(
            f"草稿有{len(errors)}项错误，未写入{out}；修改要点或表格数据后重新起草，或加 --force 仍然写入。",
            f"the draft has {len(errors)} error(s); {out} was not written (--force writes it anyway).",
        )
        return EXIT_BAD_INPUT
    _say(f"已写入{out}。", f"wrote {out}.")
    return EXIT_FORCED if errors else EXIT_OK


def draft_command(
    notes: Annotated[
        Path,
        typer.Argument(
            help="The notes (YAML or Markdown bullets). 工作要点文件。", metavar="NOTES", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="OUT.docx, OUT.md or OUT.txt. 输出文件。",
            show_default=False,
        ),
    ],
    tables: Annotated[
        Path | None,
        typer.Option(
            "--tables",
            metavar="DATA",
            help="Table data for 表二/表三/表四 (YAML, JSON or CSV); default: NAME.tables.yaml beside "
            "NAME.notes.yaml. 表格数据文件。",
            show_default=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="REPORT",
            help="Last year's report: checks 上年结转 and runs the cross-year rules; never a source of facts. "
            "上一年度的年度报告。",
            show_default=False,
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Template drafter, no model (the default). 不用模型，按模板起草。"),
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            metavar="M",
            help="Draft with this model (NIANBAO_BASE_URL …). 用模型起草。",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write the draft even with errors. 有错误也写入。")
    ] = False,
    fmt: Annotated[
        DraftFormat, typer.Option("--format", help="How findings are printed. 输出格式。")
    ] = DraftFormat.TEXT,
) -> None:
    """Draft a report from notes and table data, check it, write it. 根据工作要点和表格数据起草年度报告。

    Exit codes 退出码: 0 = written, no errors 已写入且无错误; 1 = written with errors (--force) 有错误但已强制写入;
    2 = bad input, or errors and not written 输入有误或草稿有错误未写入; 3 = internal error 内部错误.
    """
    try:
        code = _run(notes, tables, previous, output, offline, model, force, fmt)
    except NianbaoError as e:
        _print_error(e)
        code = EXIT_BAD_INPUT
    except Exception as e:  # the CLI edge: no traceback for the clerk
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        _say(
            "内部错误（这是nianbao的缺陷，不是输入的问题），请将输入文件和以下信息报告给维护者。",
            f"internal error (a bug in nianbao); please report it with the input files: {detail}",
        )
        code = EXIT_INTERNAL
    raise typer.Exit(code)
