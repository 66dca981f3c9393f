"""A report together with the findings a check run produced for it (what renderers take)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nianbao.model.finding import Finding, Severity
from nianbao.model.report import Report


@dataclass(frozen=True)
class CheckedReport:
    """One input file after reading and checking."""

    path: str
    report: Report
    findings: list[Finding] = field(default_factory=list)


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Number of findings per severity (every severity present, 0 when none)."""
    seen = Counter(f.severity for f in findings)
    return {s: seen.get(s, 0) for s in Severity}
