"""``--format rdjsonl``: one reviewdog Diagnostic per line (reviewdog ``-f=rdjsonl``).

reviewdog counts columns in UTF-8 bytes ("Column number, starting at 1 (byte count in UTF-8)",
proto/rdf/reviewdog.proto); nianbao counts characters, so columns are converted with the source line: a
CJK character before the finding adds 3. Ranges are end-exclusive. Inputs without lines (Word, HTML,
PDF) get a location with the path only and their place in the message.
"""

from __future__ import annotations

import json
from typing import Any

from nianbao.model.finding import Finding, Severity
from nianbao.review.checked import CheckedReport
from nianbao.review.ci import (
    TOOL_NAME,
    FilePlace,
    byte_column,
    file_place,
    has_lines,
    place_note,
    source_lines,
)

SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _position(line: int, column: int | None, lines: list[str] | None) -> dict[str, int]:
    position = {"line": line}
    if column is not None and lines is not None and 1 <= line <= len(lines):
        position["column"] = byte_column(lines[line - 1], column)
    return position


def _range(place: FilePlace, lines: list[str] | None) -> dict[str, Any] | None:
    if place.line is None:
        return None
    out: dict[str, Any] = {"start": _position(place.line, place.column, lines)}
    if place.end_line is not None:
        out["end"] = _position(place.end_line, place.end_column, lines)
    return out


def diagnostic(checked: CheckedReport, finding: Finding, lines: list[str] | None = None) -> dict[str, Any]:
    """One reviewdog Diagnostic; ``lines`` are the source lines used to convert columns to bytes."""
    message = finding.message
    note = place_note(checked, finding)
    if note:
        message = f"{note}：{message}"
    location: dict[str, Any] = {"path": checked.path}
    where = _range(file_place(checked, finding), lines)
    if where is not None:
        location["range"] = where
    return {
        "message": message,
        "location": location,
        "severity": SEVERITY[finding.severity],
        "source": {"name": TOOL_NAME},
        "code": {"value": finding.rule},
    }


def render_rdjsonl(checked: CheckedReport, lines: list[str] | None = None) -> str:
    """The Diagnostic lines of one report (each ending in a newline); reads the source for byte columns."""
    if lines is None and checked.findings and has_lines(checked):
        lines = source_lines(checked.path)
    return "".join(
        json.dumps(diagnostic(checked, f, lines), ensure_ascii=False, separators=(",", ":")) + "\n"
        for f in checked.findings
    )


class RdjsonlWriter:
    """Streams: each report's lines are printed as soon as it is checked."""

    def add(self, checked: CheckedReport) -> str:
        return render_rdjsonl(checked)

    def finish(self) -> str:
        return ""
