"""The terminal report: findings grouped by part (一…六, then the rest), with a summary line.

Messages are built with :class:`rich.text.Text`, never parsed as markup, because report text may
contain square brackets.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from nianbao.model.finding import Finding, Severity
from nianbao.model.report import Level
from nianbao.model.template import PART_BY_KEY, PARTS
from nianbao.review.checked import CheckedReport, counts
from nianbao.review.json import reader_notes
from nianbao.rules import Rule

SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
LEVEL_LABEL = {
    Level.NATIONAL: "国家级",
    Level.PROVINCIAL: "省级",
    Level.PREFECTURE: "地市级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇级",
    Level.UNKNOWN: "层级未识别",
}
NO_PART = "（不属于某一部分：标题、前言、全文结构等）"


def summary_line(findings: Sequence[Finding]) -> str:
    """「共3项：错误1项，警告2项，提示0项。」"""
    n = counts(findings)
    return (
        f"共{len(findings)}项：错误{n[Severity.ERROR]}项，警告{n[Severity.WARNING]}项，"
        f"提示{n[Severity.INFO]}项。"
    )


def _sort_key(f: Finding) -> tuple[int, int, int, str]:
    span = f.location.span
    line = span.line if span is not None and span.line is not None else 1 << 30
    column = span.column if span is not None and span.column is not None else 0
    return (line, column, -f.severity.rank, f.rule)


def group_by_part(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """(group title, findings) in part order 一…六, then findings with no (known) part; empty groups left out."""
    groups: dict[str | None, list[Finding]] = {}
    for f in findings:
        key = f.location.part if f.location.part in PART_BY_KEY else None
        groups.setdefault(key, []).append(f)
    out: list[tuple[str, list[Finding]]] = []
    for spec in PARTS:
        if spec.key in groups:
            out.append((spec.heading, sorted(groups[spec.key], key=_sort_key)))
    if None in groups:
        out.append((NO_PART, sorted(groups[None], key=_sort_key)))
    return out


def _header(checked: CheckedReport) -> Text:
    meta = checked.report.metadata
    text = Text(checked.path, style="bold")
    facts = [
        meta.agency or "（未识别报告单位）",
        f"{meta.year}年" if meta.year else "（未识别年度）",
        LEVEL_LABEL[meta.level],
    ]
    text.append("  " + " · ".join(facts), style="dim")
    return text


def _finding_lines(f: Finding) -> Text:
    line = Text("  ")
    line.append(f"{SEVERITY_LABEL[f.severity]} ", style=SEVERITY_STYLE[f.severity])
    line.append(f.rule, style="bold")
    place = f.location.describe()
    if place:
        line.append("  " + place, style="dim")
    line.append("\n      ")
    line.append(f.message)
    return line


def render_report(item: CheckedReport, console: Console, *, first: bool = True) -> None:
    """Print one checked report: a header, findings grouped by part, and its summary line."""
    if not first:
        console.print()
    console.print(_header(item), soft_wrap=True)
    notes = reader_notes(item.report)
    if notes:
        console.print(Text("  读取说明：" + "；".join(notes) + "。", style="dim"), soft_wrap=True)
    if not item.findings:
        console.print(Text("  未发现问题。", style="green"), soft_wrap=True)
    for title, findings in group_by_part(item.findings):
        console.print(Text(title, style="bold underline"), soft_wrap=True)
        for f in findings:
            console.print(_finding_lines(f), soft_wrap=True)
    console.print(Text(summary_line(item.findings), style="bold"), soft_wrap=True)


def render_total(reports: int, findings: Sequence[Finding], console: Console) -> None:
    """The summary over several reports (printed only when there are several)."""
    if reports > 1:
        console.print()
        console.print(Text(f"{reports}份报告合计" + summary_line(findings), style="bold"), soft_wrap=True)


def render_text(checked: Sequence[CheckedReport], console: Console) -> None:
    """Print every checked report, grouped by part, each with a summary line; a total when several."""
    for index, item in enumerate(checked):
        render_report(item, console, first=index == 0)
    render_total(len(checked), [f for item in checked for f in item.findings], console)


def render_rules_text(rules: Sequence[type[Rule]], console: Console) -> None:
    """One line per rule: code, category, severity, format-2021 refs, summary (columns aligned, no wrapping
    inside a code, so that the list can be searched with grep)."""
    rows = [
        (r.code, r.category.value, r.severity.value, ",".join(r.refs) or "-", r.summary(), r.severity)
        for r in rules
    ]
    header = ("code", "category", "severity", "refs", "summary")
    widths = [max([len(header[i]), *(len(row[i]) for row in rows)]) for i in range(4)]
    line = Text()
    for i, name in enumerate(header):
        line.append(name.ljust(widths[i]) + "  " if i < 4 else name, style="bold")
    console.print(line, soft_wrap=True)
    for code, category, severity, refs, summary, level in rows:
        line = Text()
        line.append(code.ljust(widths[0]) + "  ", style="bold")
        line.append(category.ljust(widths[1]) + "  ")
        line.append(severity.ljust(widths[2]), style=SEVERITY_STYLE[level])
        line.append("  " + refs.ljust(widths[3]) + "  ")
        line.append(summary)
        console.print(line, soft_wrap=True)
    console.print(
        Text(f"共{len(rules)}条规则。用 nianbao rules --format json 查看每条规则的完整说明。"), soft_wrap=True
    )
