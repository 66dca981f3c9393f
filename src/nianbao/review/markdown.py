"""``--format markdown``: the body of a pull/merge-request review comment.

A summary line with counts, then each report's findings grouped by part (一…六, then the rest), each with
its place and both values (应为 / 报告中). Errors are always shown; when a part has more than
:data:`SHOWN_PER_PART` findings its warnings and hints are folded in ``<details>``; with several reports each
report is folded and reports without findings are listed together. The body stays under
:data:`MAX_CHARS` (GitHub refuses comments over 65,536 characters): what does not fit is counted, not shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nianbao.model.finding import Finding, Severity
from nianbao.review.checked import CheckedReport, counts
from nianbao.review.ci import TOOL_NAME
from nianbao.review.text import LEVEL_LABEL, SEVERITY_LABEL, group_by_part, summary_line

MAX_CHARS = 65_000
RESERVED = 8_000  # title, summary, table, the list of clean reports and closing notes
SHOWN_PER_PART = 5
TABLE_ROWS = 50
_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>#|~&!])")


def escape(text: object) -> str:
    """Text shown literally in Markdown: ASCII punctuation with a meaning is backslash-escaped, newlines become spaces."""
    return _SPECIAL_RE.sub(r"\\\1", " ".join(str(text).split()))


def finding_item(f: Finding) -> str:
    """「- **错误** `ID-AGENCY` 第7行第109列：…（应为：…；报告中：…）」."""
    place = f.location.describe()
    text = f"- **{SEVERITY_LABEL[f.severity]}** `{f.rule}`"
    if place:
        text += f" {escape(place)}"
    text += f"：{escape(f.message)}"
    values = []
    if f.expected is not None:
        values.append(f"应为：{escape(f.expected)}")
    if f.actual is not None:
        values.append(f"报告中：{escape(f.actual)}")
    if values:
        text += "（" + "；".join(values) + "）"
    return text + "\n"


def _count_phrase(findings: Sequence[Finding]) -> str:
    n = counts(findings)
    shown = [f"{SEVERITY_LABEL[s]}{n[s]}项" for s in Severity if n[s]]
    return "，".join(shown)


def _report_facts(checked: CheckedReport) -> str:
    meta = checked.report.metadata
    return " · ".join(
        [
            escape(meta.agency) if meta.agency else "（未识别报告单位）",
            f"{meta.year}年" if meta.year else "（未识别年度）",
            LEVEL_LABEL[meta.level],
        ]
    )


def report_section(checked: CheckedReport, budget: int, *, folded: bool) -> tuple[str, int]:
    """One report's Markdown within ``budget`` characters, and how many findings did not fit."""
    head = f"### `{checked.path.replace('`', '')}`\n\n{_report_facts(checked)} — {summary_line(checked.findings)}\n\n"
    out: list[str] = []
    if folded:
        out.append(
            f"<details>\n<summary>{escape(checked.path)}：{summary_line(checked.findings)}</summary>\n\n"
        )
    out.append(head)
    closing = "</details>\n\n" if folded else ""
    used = sum(len(s) for s in out) + len(closing) + 200
    left = 0
    for title, findings in group_by_part(checked.findings):
        ordered = sorted(findings, key=lambda f: -f.severity.rank)
        shown = ordered
        rest: list[Finding] = []
        if len(ordered) > SHOWN_PER_PART:
            shown = [f for f in ordered if f.severity is Severity.ERROR] or ordered[:SHOWN_PER_PART]
            rest = ordered[len(shown) :]
        block = [f"#### {escape(title)}\n\n"]
        for f in shown:
            block.append(finding_item(f))
        block.append("\n")
        if rest:
            block.append(f"<details>\n<summary>另有{len(rest)}项（{_count_phrase(rest)}）</summary>\n\n")
            block.extend(finding_item(f) for f in rest)
            block.append("\n</details>\n\n")
        size = sum(len(s) for s in block)
        if used + size > budget:
            left += len(findings)
            continue
        used += size
        out.extend(block)
    if left:
        out.append(f"篇幅所限，另有{left}项未列出；完整结果请用 `--format json` 查看。\n\n")
    out.append(closing)
    return "".join(out), left


class MarkdownWriter:
    """Renders each report as it is checked, within the comment's character budget; assembles at the end."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.rows: list[str] = []
        self.clean: list[str] = []
        self.reports = 0
        self.with_findings = 0
        self.totals = dict.fromkeys(Severity, 0)
        self.budget = MAX_CHARS - RESERVED
        self.omitted_reports = 0
        self.omitted_findings = 0
        self.first: CheckedReport | None = None

    def add(self, checked: CheckedReport) -> str:
        self.reports += 1
        for severity, k in counts(checked.findings).items():
            self.totals[severity] += k
        if not checked.findings:
            if sum(len(c) for c in self.clean) < 2_000:
                self.clean.append(escape(checked.path))
            return ""
        self.with_findings += 1
        n = counts(checked.findings)
        if len(self.rows) < TABLE_ROWS:
            meta = checked.report.metadata
            self.rows.append(
                f"| {escape(checked.path)} | {escape(meta.agency or '—')} | {meta.year or '—'} | "
                f"{n[Severity.ERROR]} | {n[Severity.WARNING]} | {n[Severity.INFO]} |\n"
            )
        if self.budget < 500:
            self.omitted_reports += 1
            self.omitted_findings += len(checked.findings)
            return ""
        # The first report is rendered open; from the second on every report is folded (a batch).
        folded = self.with_findings > 1
        if self.with_findings == 2 and self.sections:
            # Re-render the first report folded, now that this is known to be a batch.
            assert self.first is not None
            self.budget += len(self.sections[0])
            self.sections[0], _ = report_section(self.first, self.budget, folded=True)
            self.budget -= len(self.sections[0])
        section, _ = report_section(checked, self.budget, folded=folded)
        self.sections.append(section)
        self.budget -= len(section)
        if self.first is None:
            self.first = checked
        return ""

    def finish(self) -> str:
        total = sum(self.totals.values())
        out = [f"## {TOOL_NAME} 检查结果\n\n"]
        line = (
            f"共{total}项：错误{self.totals[Severity.ERROR]}项，警告{self.totals[Severity.WARNING]}项，"
            f"提示{self.totals[Severity.INFO]}项。"
        )
        if self.reports > 1:
            line = f"{self.reports}份报告，{line}"
        out.append(f"**{line}**\n\n")
        if self.reports == 0:
            out.append("没有可检查的报告。\n")
            return "".join(out)
        if self.reports > 1 and self.with_findings:
            out.append(
                "| 文件 | 机关 | 年度 | 错误 | 警告 | 提示 |\n| --- | --- | --- | ---: | ---: | ---: |\n"
            )
            out.extend(self.rows)
            if self.with_findings > len(self.rows):
                out.append(f"\n另有{self.with_findings - len(self.rows)}份有问题的报告未列入上表。\n")
            out.append("\n")
        out.extend(self.sections)
        if self.omitted_reports:
            out.append(
                f"篇幅所限，另有{self.omitted_reports}份报告的{self.omitted_findings}项问题未列出；"
                "完整结果请用 `--format json` 查看。\n\n"
            )
        clean = self.reports - self.with_findings
        if clean:
            if self.reports == 1:
                out.append("未发现问题。\n")
            else:
                names = "\n".join(f"- {c}" for c in self.clean)
                more = clean - len(self.clean)
                if more:
                    names += f"\n- ……另有{more}份"
                out.append(
                    f"<details>\n<summary>{clean}份报告未发现问题</summary>\n\n{names}\n\n</details>\n"
                )
        return "".join(out)
