"""``--format sarif``: a SARIF 2.1.0 log (OASIS), one run, rules from the registry.

Columns are characters, so the run says ``columnKind: unicodeCodePoints`` (SARIF has no byte columns and
the Microsoft SDK would otherwise assume UTF-16 code units). Inputs without lines (Word, HTML, PDF) get an
artifact location without a region and their place in the message.
"""

from __future__ import annotations

import inspect
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from nianbao.model.finding import Finding, Severity
from nianbao.review.checked import CheckedReport
from nianbao.review.ci import TOOL_NAME, file_place, place_note
from nianbao.review.json import dump
from nianbao.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A relative path as a percent-encoded relative URI reference; an absolute one as a file: URI."""
    p = PurePath(path)
    if p.is_absolute():
        return Path(path).as_uri()
    return quote(p.as_posix(), safe="/")


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one registered rule."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary() or rule.code},
        "fullDescription": {"text": inspect.cleandoc(rule.__doc__ or "") or rule.code},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"category": rule.category.value, "refs": list(rule.refs)},
    }


def result(checked: CheckedReport, finding: Finding, rule_index: int | None) -> dict[str, Any]:
    """One SARIF ``result``."""
    note = place_note(checked, finding)
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(checked.path)}}
    place = file_place(checked, finding)
    if place.line is not None:
        region: dict[str, int] = {"startLine": place.line}
        if place.column is not None:
            region["startColumn"] = place.column
        if place.end_line is not None:
            region["endLine"] = place.end_line
        if place.end_column is not None:
            region["endColumn"] = place.end_column
        physical["region"] = region
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": f"{note}：{finding.message}" if note else finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if rule_index is not None:
        out["ruleIndex"] = rule_index
    props: dict[str, Any] = {"category": finding.category.value, "source": finding.source}
    if finding.expected is not None:
        props["expected"] = finding.expected
    if finding.actual is not None:
        props["actual"] = finding.actual
    out["properties"] = props
    return out


class SarifWriter:
    """Collects results (small dicts) and prints the whole log at the end."""

    def __init__(self, rules: list[type[Rule]], version: str) -> None:
        self.rules = [rule_descriptor(r) for r in rules]
        self.index = {r.code: i for i, r in enumerate(rules)}
        self.version = version
        self.results: list[dict[str, Any]] = []

    def _rule_index(self, code: str) -> int:
        if code not in self.index:  # a finding from outside the registry (the model-backed checks)
            self.index[code] = len(self.rules)
            self.rules.append({"id": code})
        return self.index[code]

    def add(self, checked: CheckedReport) -> str:
        for f in checked.findings:
            self.results.append(result(checked, f, self._rule_index(f.rule)))
        return ""

    def log(self) -> dict[str, Any]:
        """The SARIF log as a dict."""
        return {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": TOOL_NAME, "version": self.version, "rules": self.rules}},
                    "columnKind": "unicodeCodePoints",
                    "results": self.results,
                }
            ],
        }

    def finish(self) -> str:
        return dump(self.log()) + "\n"
