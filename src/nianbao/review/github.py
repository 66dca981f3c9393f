"""``--format github``: GitHub Actions workflow commands (``::error file=…,line=…::message``).

GitHub shows at most 10 error and 10 warning annotations per step (and as many notices), so the first 10
of each are printed as they come, 9 info findings as ``::notice``, and one closing ``::notice`` counts
everything and says how many were left out. Escaping follows actions/toolkit ``escapeData`` and
``escapeProperty``. Columns are characters (GitHub does not document its unit).
"""

from __future__ import annotations

from collections import Counter

from nianbao.model.finding import Finding, Severity
from nianbao.review.checked import CheckedReport
from nianbao.review.ci import TOOL_NAME, file_place, place_note

ANNOTATION_LIMIT = 10  # per severity and step
COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# One notice is kept for the summary.
LIMITS = {
    Severity.ERROR: ANNOTATION_LIMIT,
    Severity.WARNING: ANNOTATION_LIMIT,
    Severity.INFO: ANNOTATION_LIMIT - 1,
}


def escape_data(text: str) -> str:
    """A command's message: % → %25, CR → %0D, LF → %0A."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as :func:`escape_data`, and also : → %3A and , → %2C."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, str | int] | None = None) -> str:
    """``::name k=v,k=v::message`` with everything escaped."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in (properties or {}).items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(checked: CheckedReport, finding: Finding) -> str:
    """The workflow command for one finding."""
    place = file_place(checked, finding)
    props: dict[str, str | int] = {"file": checked.path}
    if place.line is not None:
        props["line"] = place.line
        if place.end_line is not None:
            props["endLine"] = place.end_line
        if place.column is not None:
            props["col"] = place.column
            if place.end_column is not None and place.end_line in (None, place.line):
                props["endColumn"] = place.end_column
    props["title"] = f"{TOOL_NAME} {finding.rule}"
    note = place_note(checked, finding)
    message = f"{note}：{finding.message}" if note else finding.message
    return command(COMMAND[finding.severity], message, props)


class GithubWriter:
    """Prints annotations as reports are checked, up to the per-step limits; a summary notice at the end."""

    def __init__(self) -> None:
        self.shown: Counter[Severity] = Counter()
        self.total: Counter[Severity] = Counter()
        self.reports = 0

    def add(self, checked: CheckedReport) -> str:
        self.reports += 1
        lines: list[str] = []
        for f in checked.findings:
            self.total[f.severity] += 1
            if self.shown[f.severity] < LIMITS[f.severity]:
                self.shown[f.severity] += 1
                lines.append(annotation(checked, f) + "\n")
        return "".join(lines)

    def finish(self) -> str:
        if not self.reports:
            return ""
        total = sum(self.total.values())
        left = total - sum(self.shown.values())
        text = (
            f"{TOOL_NAME}：{self.reports}份报告共{total}项问题（错误{self.total[Severity.ERROR]}项，"
            f"警告{self.total[Severity.WARNING]}项，提示{self.total[Severity.INFO]}项）。"
        )
        if left:
            text += f"受GitHub每步注释数量限制，另有{left}项未作为注释显示，完整结果请用 --format markdown 或 json 查看。"
        return command("notice", text, {"title": f"{TOOL_NAME} summary"}) + "\n"
