"""`nianbao eval …`: drafting and checker evals. Imports nianbao.evals only inside commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(
    name="eval",
    help="Measure drafting and checking against reference reports. 评测起草和检查的准确度。",
    no_args_is_help=True,
)


@eval_app.command("checker")
def eval_checker(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="PATH", help="Write the results JSON here. 结果JSON文件。"),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option("--markdown", metavar="PATH", help="Write a Markdown summary here. Markdown摘要文件。"),
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option("--cases", metavar="GLOB", help="Only the cases whose id matches. 只运行匹配的用例。"),
    ] = None,
) -> None:
    """Run the checker on the checker cases: precision and recall per category and rule, every miss and
    false alarm. Exit code 1 when a case fails (a miss that is not a recorded gap, or a false alarm).
    检查器评测。"""
    import json

    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from nianbao.evals.checker import load_checker_cases, run_checker_eval

    console = Console(stderr=True)
    selected = load_checker_cases(cases)
    if not selected:
        console.print(f"no checker case matches {cases!r}")
        raise typer.Exit(2)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("checker eval", total=len(selected))
        result = run_checker_eval(selected, on_case=lambda _id: progress.advance(task))
    if cases:
        result.config["glob"] = cases

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    out = Console()
    table = Table(title="Checker eval: cases")
    table.add_column("case", no_wrap=True)
    for col in ("source", "expected", "found", "missed", "false alarms", "findings", "pass"):
        table.add_column(col)
    for r in result.results:
        table.add_row(
            r.case.id,
            r.case.source,
            str(len(r.case.expect)),
            str(len(r.hits)),
            str(len(r.misses)),
            str(len(r.false_alarms)),
            str(len(r.findings)),
            "✓" if r.passed else "✗",
        )
    out.print(table)
    cats = Table(title="Per category")
    for col in ("category", "found", "missed", "false alarms", "precision", "recall"):
        cats.add_column(col)
    for name, c in [*result.per_category().items(), ("all", result.total())]:
        cats.add_row(name, str(c.tp), str(c.misses), str(c.false_alarms), pct(c.precision), pct(c.recall))
    out.print(cats)
    for m in result.misses:
        out.print(
            f"miss  {m.case}: {m.to_json()['description']}" + (f" (known gap: {m.known})" if m.known else ""),
            markup=False,
        )
    for a in result.false_alarms:
        out.print(
            f"false alarm  {a.case}: {a.finding.rule} {a.finding.location.describe()} {a.finding.message}",
            markup=False,
        )
    for case_id, why in result.skipped:
        out.print(f"skipped  {case_id}: {why}", markup=False)
    if output:
        output.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if markdown:
        markdown.write_text(result.to_markdown(), encoding="utf-8")
    if not all(r.passed for r in result.results):
        raise typer.Exit(1)


# --- nianbao eval drafting / compare (helper E2) ---------------------------------------------------


def _drafting_say(zh: str, en: str | None = None) -> None:
    from rich.console import Console

    console = Console(stderr=True)
    console.print(f"nianbao: {zh}", markup=False)
    if en:
        console.print(f"nianbao: {en}", markup=False, style="dim")


def _drafting_table(results: object) -> None:
    """The per-case table and the means, on stdout."""
    from rich.console import Console
    from rich.table import Table

    from nianbao.evals.runner import COLUMNS, DraftingResults, table_rows

    assert isinstance(results, DraftingResults)
    title = f"drafting eval: {results.config.drafter}" + (
        f" ({results.config.model})" if results.config.model else ""
    )
    table = Table(title=title)
    table.add_column("case")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    for row in table_rows(results):
        table.add_row(*(cell.replace("**", "") for cell in row))
    Console(width=200).print(table)


@eval_app.command("drafting")
def eval_drafting(
    drafter: Annotated[str, typer.Option("--drafter", help="offline | llm. 起草器。")] = "offline",
    model: Annotated[
        str | None, typer.Option("--model", help="Model for --drafter llm (else NIANBAO_MODEL). 模型。")
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option(
            "--cases", metavar="GLOB", help="Glob on case ids (lushan-*) or case directories (with /)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="PATH", help="Write the results JSON here.")
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", metavar="PATH", help="Write a Markdown summary here.")
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
) -> None:
    """Draft every drafting case and score the drafts: number recall, unsupported numbers, required
    facts, identity and checker errors, chrF, length, repeats. 起草评测。"""
    from nianbao.errors import NianbaoError
    from nianbao.evals.cases import load_drafting_cases
    from nianbao.evals.metrics import ChrfUnavailable
    from nianbao.evals.runner import markdown_summary, run_drafting

    if drafter not in ("offline", "llm"):
        _drafting_say(
            f"--drafter 须为 offline 或 llm，而不是 {drafter}",
            f"--drafter must be offline or llm, not {drafter}",
        )
        raise typer.Exit(2)
    try:
        found = load_drafting_cases(cases)
    except NianbaoError as error:
        _drafting_say(error.message_zh, error.message_en)
        raise typer.Exit(2) from error
    if not found:
        _drafting_say(f"没有找到评测用例（{cases or '全部'}）", f"no drafting cases match {cases or '*'}")
        raise typer.Exit(2)
    for case in found:
        if case.skip:
            _drafting_say(f"跳过 {case.id}：{case.skip}", f"skipping {case.id}: {case.skip}")
    llm = None
    if drafter == "llm":
        from nianbao.draft.llm_drafter import LLMDrafter
        from nianbao.llm import LLM, LLMConfig

        try:
            config = LLMConfig.from_env(model=model)
        except NianbaoError as error:
            _drafting_say(error.message_zh, error.message_en)
            raise typer.Exit(2) from error
        if not config.configured:
            _drafting_say(
                "未配置模型：" + "、".join(config.missing()),
                "no model configured: " + ", ".join(config.missing()),
            )
            raise typer.Exit(2)
        llm = LLM(config)
        the_drafter: object = LLMDrafter(llm)
    else:
        from nianbao.draft.offline import OfflineDrafter

        the_drafter = OfflineDrafter()
    try:
        results = run_drafting(found, the_drafter, drafter_name=drafter, model=model, progress=progress)  # type: ignore[arg-type]
    except ChrfUnavailable as error:
        _drafting_say(str(error))
        raise typer.Exit(2) from error
    finally:
        if llm is not None:
            llm.close()
    _drafting_table(results)
    if output is not None:
        results.write(output)
    if markdown is not None:
        markdown.write_text(markdown_summary(results), encoding="utf-8")
    for scored in results.cases:
        if scored.error:
            _drafting_say(f"{scored.id} 出错：{scored.error}", f"{scored.id} failed: {scored.error}")
    if any(c.error for c in results.cases):
        raise typer.Exit(1)


@eval_app.command("compare")
def eval_compare(
    a: Annotated[Path, typer.Argument(help="Results JSON before (nianbao eval drafting -o).")],
    b: Annotated[Path, typer.Argument(help="Results JSON after.")],
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when any metric of any case got worse.")
    ] = False,
) -> None:
    """What got better and what got worse from A to B, case by case, metric by metric. 对比两次评测。"""
    from pydantic import ValidationError
    from rich.console import Console

    from nianbao.evals.compare import compare_results
    from nianbao.evals.runner import load_results

    try:
        ra, rb = load_results(a), load_results(b)
    except (OSError, ValueError, ValidationError) as error:
        _drafting_say(f"无法读取评测结果：{error}", f"cannot read results: {error}")
        raise typer.Exit(2) from error
    cmp = compare_results(ra, rb)
    console = Console(width=200, highlight=False)
    console.print(
        f"A: {a} ({ra.config.drafter}{' ' + ra.config.model if ra.config.model else ''}, {ra.config.date})",
        markup=False,
    )
    console.print(
        f"B: {b} ({rb.config.drafter}{' ' + rb.config.model if rb.config.model else ''}, {rb.config.date})",
        markup=False,
    )
    console.print(f"worse ({len(cmp.worse)}):", markup=False)
    for change in cmp.worse:
        console.print(f"  - {change.describe()}", markup=False)
    console.print(f"better ({len(cmp.better)}):", markup=False)
    for change in cmp.better:
        console.print(f"  + {change.describe()}", markup=False)
    if cmp.only_a:
        console.print("only in A: " + ", ".join(cmp.only_a), markup=False)
    if cmp.only_b:
        console.print("only in B: " + ", ".join(cmp.only_b), markup=False)
    if not cmp.worse and not cmp.better:
        console.print("no change", markup=False)
    if fail_on_regression and cmp.regressed:
        raise typer.Exit(1)
