"""The command line: ``nianbao check`` and ``nianbao rules``. The only place where errors become exit codes.

Exit codes (also in ``nianbao check --help`` and the README):

- 0: no finding at or above ``--fail-on`` (default ``error``);
- 1: at least one finding at or above ``--fail-on``;
- 2: an input could not be read (empty, binary, not a report, too large, unsupported format, missing),
  or bad options (unknown rule code in ``--ignore``, unknown option, ``--annotate`` with several inputs), or
  the ``--annotate`` copy could not be written (target unwritable, damaged .docx), or ``--llm`` without a
  configured model endpoint or with a model call that failed; the other inputs are still checked;
- 3: internal error (a bug in nianbao: please report it with the input file).

With several inputs (or a directory: a batch) the exit code is the highest of these over all files: an
unreadable file in the middle of a batch is reported on stderr, the other files are still checked, and
the run ends with 2 even when reports had findings (1); an internal error (3) outranks both.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

import nianbao
from nianbao import render
from nianbao.batch import CheckResult, PreviousIndex, Summary, run_batch
from nianbao.cli_batch import (
    BatchOptions,
    advance,
    batch_progress,
    expand_inputs,
    load_previous_dir,
    unpaired_note,
    write_summary,
)
from nianbao.cli_draft import draft_command
from nianbao.cli_eval import eval_app
from nianbao.cli_extract import (
    LLM_CHECK_CODES,
    extract_command,
    llm_check_findings,
    llm_endpoint_problem,
    print_notes,
)
from nianbao.cli_llm import llm_app
from nianbao.errors import ConfigError, NianbaoError
from nianbao.model.finding import Finding, Severity
from nianbao.model.report import Report
from nianbao.output import write_atomic
from nianbao.review import (
    CheckedReport,
    check_payload,
    dump,
    render_report,
    render_rules_json,
    render_rules_text,
    render_total,
    report_entry,
)
from nianbao.review.annotate import annotate_docx, same_file
from nianbao.review.formats import CI_FORMATS, make_writer
from nianbao.review.rendered_copy import annotate_rendered
from nianbao.rules import REGISTRY, CheckConfig, all_rules

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 1  # what rich does when the text report meets a closed pipe

EXIT_CODES_HELP = (
    "Exit codes 退出码: 0 = nothing at or above --fail-on 未发现达到阈值的问题; "
    "1 = findings at or above --fail-on 发现问题; "
    "2 = an input could not be read, bad options, or the --annotate copy could not be written "
    "文件无法读取、参数错误或带批注的文件未能写入 (other inputs are still checked); "
    "3 = internal error 内部错误 (please report it). "
    "Several files or a directory: the highest of these over all files 多份报告时取其中最高的退出码."
)


class RulesFormat(StrEnum):
    """Output formats of ``rules`` (the CI formats are for findings only)."""

    TEXT = "text"
    JSON = "json"


class OutputFormat(StrEnum):
    """Output formats of ``check``."""

    TEXT = "text"
    JSON = "json"
    # CI formats (check only; review/formats.py)
    MARKDOWN = "markdown"
    RDJSONL = "rdjsonl"
    GITHUB = "github"
    SARIF = "sarif"
    GITLAB = "gitlab"


class FailOn(StrEnum):
    """The lowest severity that makes ``check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"


app = typer.Typer(
    name="nianbao",
    help="Check 政府信息公开工作年度报告 (Government Information Disclosure Annual Reports), offline. "
    "检查政府信息公开工作年度报告：离线、确定性规则。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _err_console() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _print_error(error: NianbaoError) -> None:
    console = _err_console()
    console.print(f"nianbao: {error.message_zh}", markup=False)
    console.print(f"nianbao: {error.message_en}", markup=False, style="dim")


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"nianbao {nianbao.__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit. 显示版本号。",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Check 政府信息公开工作年度报告 offline, with deterministic rules. 离线检查政府信息公开工作年度报告。"""


def _parse_ignore(values: list[str]) -> frozenset[str]:
    codes = {c.strip().upper() for v in values for c in v.split(",") if c.strip()}
    unknown = sorted(codes - set(REGISTRY))
    if unknown:
        raise ConfigError(
            f"unknown rule code(s) in --ignore: {', '.join(unknown)} (see `nianbao rules`)",
            f"--ignore 中有未知的规则代码：{'、'.join(unknown)}（可用 nianbao rules 查看全部规则）。",
        )
    return frozenset(codes)


def _parse_deadline(option: str, value: str) -> tuple[int, int]:
    """「01-31」 → (1, 31): a real day of the month (29 February never is, a deadline must exist every year)."""
    try:
        month_s, day_s = value.strip().replace("/", "-").split("-")
        month, day = int(month_s), int(day_s)
        dt.date(2023, month, day)
    except ValueError:
        raise ConfigError(
            f"{option} {value}: expected a month and day as MM-DD, e.g. 01-31",
            f"{option} {value}：应为“月-日”，如 01-31。",
        ) from None
    return month, day


def _fails(findings: list[Finding], fail_on: FailOn) -> bool:
    if fail_on is FailOn.NEVER:
        return False
    threshold = Severity(fail_on.value).rank
    return any(f.severity.rank >= threshold for f in findings)


def _internal_error(exc: BaseException) -> None:
    console = _err_console()
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    console.print(
        "nianbao: 内部错误（这是nianbao的缺陷，不是报告的问题），请将输入文件和以下信息报告给维护者。",
        markup=False,
    )
    console.print(
        f"nianbao: internal error (a bug in nianbao, not in the report); please report it with the input file: {detail}",
        markup=False,
    )


def _closed_pipe() -> int:
    # `nianbao check … | head`: the reader went away; stop quietly, as other Unix tools do.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


@app.command(epilog=EXIT_CODES_HELP)
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Report files (.txt, .md, .docx, .html, .pdf) or directories (every report file under "
            "them). 年度报告文件或文件夹。",
            metavar="PATH...",
            show_default=False,
        ),
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="PATH",
            help="Last year's report, for the cross-year rules. 上一年度的年度报告。",
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Output format. 输出格式。")
    ] = OutputFormat.TEXT,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on", help="Lowest severity that makes the exit code 1. 以何种级别的问题判为不通过。"
        ),
    ] = FailOn.ERROR,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULE",
            help="Rule code to skip (repeat, or comma-separated). 跳过的规则代码。",
            show_default=False,
        ),
    ] = None,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="OUT.docx",
            help="Also write a Word copy of the report with every finding as a comment (批注): a copy of a .docx "
            "input, or the report rendered in the official layout for text, HTML and PDF; one input only; the "
            # Phrases separated by spaces: the help table wraps at spaces and would cut a long CJK run.
            "input is never modified. 另存一份带批注的Word文件： 每个问题一条批注， "
            "非Word文件 先按标准格式生成Word文档， 只能用于一份报告， 原文件不改动。",
            show_default=False,
        ),
    ] = None,
    deadline_department: Annotated[
        str,
        typer.Option(
            "--deadline",
            metavar="MM-DD",
            help="Publication deadline (next year) for departments and offices. 部门、办公室 报告的 公开期限。",
        ),
    ] = "01-31",
    deadline_government: Annotated[
        str,
        typer.Option(
            "--deadline-gov",
            metavar="MM-DD",
            help="Publication deadline (next year) for the 本级政府 report. 本级政府 报告的 公开期限。",
        ),
    ] = "03-31",
    llm: Annotated[
        bool,
        typer.Option(
            "--llm",
            help="Also run the model-backed checks (" + ", ".join(LLM_CHECK_CODES) + "; part 五 is sent to "
            "the configured model, NIANBAO_BASE_URL and NIANBAO_MODEL): their findings are added with source "
            "llm, never replacing a rule finding. Off by default. 另用模型检查第五部分 （问题与措施是否逐条对应、"
            "问题是否为套话）， 结果标注来源为模型， 不替代规则检查； 默认关闭。",
        ),
    ] = False,
    previous_dir: Annotated[
        Path | None,
        typer.Option(
            "--previous-dir",
            metavar="DIR",
            help="Last year's reports: each report is paired with the one of its agency and year − 1, as the "
            "titles state them (not the file names), for the cross-year rules. 上一年度报告所在文件夹 "
            "（按标题中的单位和年度配对）。",
            show_default=False,
        ),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            metavar="FILE.xlsx|.csv",
            help="Also write a summary: one row per report and all findings (a second sheet in .xlsx, "
            "FILE.findings.csv beside a .csv). 另存汇总表： 每份报告一行， 另附全部问题清单。",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Worker processes for several files (default: the number of CPUs). 并行进程数。",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check reports and print every finding. 检查年度报告并列出发现的问题。"""
    try:
        deadlines = (deadline_department, deadline_government)
        batch = BatchOptions(jobs=jobs, summary=summary, previous_dir=previous_dir)
        code = _run_check(paths, previous, output, fail_on, ignore or [], annotate, deadlines, llm, batch)
    except BrokenPipeError:
        code = _closed_pipe()
    except Exception as e:  # the CLI edge: rendering or anything else must not print a traceback
        _internal_error(e)
        code = EXIT_INTERNAL
    raise typer.Exit(code)


def _annotate_options(paths: list[Path], annotate: Path) -> None:
    """Refuse --annotate with several inputs, or aimed at the input itself, before anything is checked."""
    if len(paths) != 1:
        raise ConfigError(
            f"--annotate takes exactly one input report, not {len(paths)}",
            f"--annotate 只能用于一份报告，现在给了{len(paths)}份。",
        )
    if same_file(paths[0], annotate):
        raise ConfigError(
            f"--annotate {annotate}: the annotated copy must not overwrite the report itself; give another file name",
            f"--annotate {annotate}：带批注的文件不能覆盖原报告，请另取一个文件名。",
        )


def _write_annotated(path: Path, report: Report, findings: list[Finding], target: Path) -> int:
    """Write the annotated copy of ``path``; a failure is a message and exit code 2, never a traceback.

    A Word input gets its comments in a copy of itself; any other input (text, web page, PDF) is first
    rendered as a Word document in the official layout, and the comments go into that."""
    rendered = report.metadata.source_format != "docx"
    try:
        if rendered:
            count = annotate_rendered(report, findings, target)
        else:
            count = annotate_docx(
                path, findings, target, source_path=str(path), title_span=report.metadata.title_span
            )
    except NianbaoError as e:
        _print_error(e)
        _err_console().print(
            f"nianbao: 未写入带批注的文件。No annotated copy was written to {target}.", markup=False
        )
        return EXIT_UNREADABLE
    if rendered:
        _err_console().print(
            "nianbao: 原文件不是Word文档，已按标准格式生成Word文档并写入批注。"
            "The input is not a Word document: it was rendered in the official layout to hold the comments.",
            markup=False,
        )
    _err_console().print(
        f"nianbao: 已写入带批注的文件：{target}（{count}条批注）。Annotated copy written to {target} ({count} comments).",
        markup=False,
    )
    return EXIT_OK


def _run_check(
    paths: list[Path],
    previous: Path | None,
    output: OutputFormat,
    fail_on: FailOn,
    ignore: list[str],
    annotate: Path | None = None,
    deadlines: tuple[str, str] = ("01-31", "03-31"),
    llm: bool = False,
    batch: BatchOptions | None = None,
) -> int:
    batch = batch or BatchOptions()
    if llm:
        # Before anything is read: --llm without a configured endpoint is a usage error (nothing is sent).
        problem = llm_endpoint_problem()
        if problem is not None:
            _print_error(problem)
            return EXIT_UNREADABLE
    try:
        config = CheckConfig(
            ignore=_parse_ignore(ignore),
            deadline_department=_parse_deadline("--deadline", deadlines[0]),
            deadline_government=_parse_deadline("--deadline-gov", deadlines[1]),
        )
        batch.validate(previous)
        paths, no_reports = expand_inputs(paths, _err_console())
        if annotate is not None:
            _annotate_options(paths, annotate)
    except ConfigError as e:
        _print_error(e)
        return EXIT_UNREADABLE
    last_year: Report | None = None
    if previous is not None:
        try:
            last_year = nianbao.read(previous)
        except NianbaoError as e:
            _print_error(e)
            return EXIT_UNREADABLE
        except Exception as e:  # the CLI edge: a bug must not print a traceback
            _internal_error(e)
            return EXIT_INTERNAL
    # Render each report as soon as it is checked and keep only small per-report entries, so that a batch
    # of thousands of reports runs in bounded memory.
    console = Console(highlight=False)
    writer = make_writer(output.value, nianbao.__version__) if output.value in CI_FORMATS else None
    to_annotate: tuple[Path, Report, list[Finding]] | None = None
    entries: list[dict[str, Any]] = []
    every: list[Finding] = []
    done = 0
    status = EXIT_UNREADABLE if no_reports else EXIT_OK
    table = Summary()
    for result in _batch_results(paths, last_year, config, batch, table, whole=llm):
        path, report, findings = Path(result.path), result.report, result.findings
        if report is None:
            status = max(status, _unreadable(result.error))
            continue
        try:
            if llm:
                # Added after the rule findings, never in their place (source="llm").
                extra, notes, failed = llm_check_findings(report)
                findings = [*findings, *extra]
                print_notes(notes)
                if failed:
                    status = max(status, EXIT_UNREADABLE)
        except NianbaoError as e:
            _print_error(e)
            status = max(status, EXIT_UNREADABLE)
            continue
        except Exception as e:  # the CLI edge
            _internal_error(e)
            status = max(status, EXIT_INTERNAL)
            continue
        if annotate is not None:
            to_annotate = (path, report, findings)
        item = CheckedReport(path=str(path), report=report, findings=findings)
        if output is OutputFormat.JSON:
            entries.append(report_entry(item))
        elif writer is not None:
            sys.stdout.write(writer.add(item))
        else:
            render_report(item, console, first=done == 0)
        done += 1
        every.extend(findings)
        if _fails(findings, fail_on):
            status = max(status, EXIT_FINDINGS)
    if output is OutputFormat.JSON:
        sys.stdout.write(dump(check_payload(entries, nianbao.__version__)) + "\n")
    elif writer is not None:
        sys.stdout.write(writer.finish())
    else:
        if len(paths) > 1:
            table.print_table(console)
        render_total(done, every, console)
    if batch.summary is not None and not write_summary(table, batch.summary, _err_console()):
        status = max(status, EXIT_UNREADABLE)
    if annotate is not None:
        # After the findings are printed, so that the confirmation (or the failure) is the last line seen.
        if to_annotate is None:
            _err_console().print(
                f"nianbao: 未写入带批注的文件。No annotated copy was written to {annotate}.", markup=False
            )
        else:
            status = max(status, _write_annotated(*to_annotate, annotate))
    return status


def _batch_results(
    paths: list[Path],
    last_year: Report | None,
    config: CheckConfig,
    batch: BatchOptions,
    table: Summary,
    *,
    whole: bool = False,
) -> Iterator[CheckResult]:
    """The checked files in input order (worker processes when several), with the progress bar, the
    --previous-dir pairing notes and the summary rows. ``whole``: results carry the whole report (for
    --llm); otherwise what printing the findings needs (metadata and reader notes), which is much cheaper
    to send back from a worker."""
    errors = _err_console()
    previous: Report | PreviousIndex | None = last_year
    if batch.previous_dir is not None:
        previous = load_previous_dir(batch.previous_dir, batch.jobs, errors)
    with batch_progress(len(paths), errors) as progress:
        for result in run_batch(paths, previous, config, batch.jobs, slim=not whole):
            advance(progress, result.path)
            table.add(result)
            if batch.previous_dir is not None:
                unpaired_note(result, batch.previous_dir, errors)
            yield result


def _unreadable(error: Exception | None) -> int:
    """Report a file that could not be read (2) or hit a bug (3)."""
    if isinstance(error, NianbaoError):
        _print_error(error)
        return EXIT_UNREADABLE
    _internal_error(error or RuntimeError("no result"))
    return EXIT_INTERNAL


@app.command(name="rules")
def rules_command(
    output: Annotated[
        RulesFormat, typer.Option("--format", help="Output format. 输出格式。")
    ] = RulesFormat.TEXT,
) -> None:
    """List every rule: code, category, severity, refs, summary. 列出全部检查规则。"""
    try:
        rules = all_rules()
        if output is RulesFormat.JSON:
            sys.stdout.write(render_rules_json(rules) + "\n")
        else:
            render_rules_text(rules, Console(highlight=False))
    except Exception as e:  # the CLI edge
        _internal_error(e)
        raise typer.Exit(EXIT_INTERNAL) from None


class RenderFormat(StrEnum):
    """Output formats of ``render``."""

    DOCX = "docx"
    HTML = "html"
    ARTICLE = "html-article"
    TEXT = "text"


_RENDER_SUFFIXES = {
    ".docx": RenderFormat.DOCX,
    ".html": RenderFormat.HTML,
    ".htm": RenderFormat.HTML,
    ".txt": RenderFormat.TEXT,
    ".md": RenderFormat.TEXT,
}


def _render_format(out: Path, to: RenderFormat | None) -> RenderFormat:
    if to is not None:
        return to
    fmt = _RENDER_SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"{out}: cannot tell the output format from the file name; add --to docx|html|html-article|text",
            f"{out}：无法从文件名判断输出格式，请加 --to docx|html|html-article|text 指定。",
        )
    return fmt


def _rendered_bytes(report: Report, fmt: RenderFormat) -> bytes:
    if fmt is RenderFormat.DOCX:
        return render.render_docx(report)
    if fmt is RenderFormat.HTML:
        return render.render_html(report).encode("utf-8")
    if fmt is RenderFormat.ARTICLE:
        return render.render_html_article(report).encode("utf-8")
    return render.render_text(report).encode("utf-8")


@app.command(
    name="render",
    epilog="Exit codes 退出码: 0 = written 已写入; 2 = input unreadable, bad options or "
    "output not writable 文件无法读取、参数错误或无法写入; 3 = internal error 内部错误.",
)
def render_command(
    path: Annotated[
        Path,
        typer.Argument(help="A report file (.txt, .md, .docx, .html, .pdf). 年度报告文件。", metavar="PATH"),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="OUT", help="The file to write. 输出文件。", show_default=False
        ),
    ],
    to: Annotated[
        RenderFormat | None,
        typer.Option("--to", help="Output format; by default from OUT's extension. 输出格式，默认按扩展名。"),
    ] = None,
) -> None:
    """Write a report in the official 2021 layout as Word, HTML or text. 按标准格式生成Word、网页或文本。"""
    try:
        fmt = _render_format(out, to)
        if same_file(path, out):
            raise ConfigError(
                f"{out}: the output must not overwrite the input report; give another file name",
                f"{out}：输出文件不能覆盖原报告，请另取一个文件名。",
            )
        data = _rendered_bytes(nianbao.read(path), fmt)
        write_atomic(data, out, what_en="the rendered report", what_zh="输出文件")
    except NianbaoError as e:
        _print_error(e)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except Exception as e:  # the CLI edge
        _internal_error(e)
        raise typer.Exit(EXIT_INTERNAL) from None
    console = _err_console()
    console.print(f"nianbao: 已写入{out}（{fmt.value}）。", markup=False)
    console.print(f"nianbao: wrote {out} ({fmt.value}).", markup=False, style="dim")


app.add_typer(llm_app, name="llm")
app.command(name="extract")(extract_command)
app.command(name="draft")(draft_command)
app.add_typer(eval_app, name="eval")


def main() -> None:
    """Console-script entry point."""
    app()
