"""``--format gitlab``: a GitLab Code Quality report (JSON array of issues, ``artifacts:reports:codequality``).

Fingerprints are stable: sha256 of the rule, the path and the finding with its line and column numbers
taken out (part, table/row/column labels, both values, the message without 「第N行」「第N列」), plus the
occurrence number among equal findings of the file. A finding keeps its fingerprint when lines are added
above it, so GitLab's merge-request widget shows it as unchanged rather than fixed-and-new.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import PurePath
from typing import Any

from nianbao.model.finding import Finding, Severity
from nianbao.review.checked import CheckedReport
from nianbao.review.ci import file_place, place_note
from nianbao.review.json import dump

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
_PLACE_RE = re.compile(r"第\s*\d+\s*[行列]")


def _line_of(f: Finding) -> tuple[int, int]:
    span = f.location.span
    if span is None:
        return (0, 0)
    return (span.line or 0, span.column or 0)


def fingerprint_key(path: str, finding: Finding) -> str:
    """What a fingerprint is made of, before the occurrence number: no line or column numbers."""
    loc = finding.location
    parts = [
        finding.rule,
        PurePath(path).as_posix(),
        loc.part or "",
        loc.table or "",
        loc.row or "",
        loc.column or "",
        str(finding.expected),
        str(finding.actual),
        _PLACE_RE.sub("", finding.message),
    ]
    return "\0".join(parts)


def issues(checked: CheckedReport) -> list[dict[str, Any]]:
    """The Code Quality issues of one report, in document order."""
    seen: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    for f in sorted(checked.findings, key=_line_of):
        key = fingerprint_key(checked.path, f)
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
        note = place_note(checked, f)
        out.append(
            {
                "description": f"{note}：{f.message}" if note else f.message,
                "check_name": f.rule,
                "fingerprint": digest,
                "severity": SEVERITY[f.severity],
                "location": {
                    "path": PurePath(checked.path).as_posix(),
                    "lines": {"begin": file_place(checked, f).line or 1},
                },
            }
        )
    return out


class GitlabWriter:
    """Collects issues and prints the JSON array at the end."""

    def __init__(self) -> None:
        self.issues: list[dict[str, Any]] = []

    def add(self, checked: CheckedReport) -> str:
        self.issues.extend(issues(checked))
        return ""

    def finish(self) -> str:
        return dump(self.issues) + "\n"
