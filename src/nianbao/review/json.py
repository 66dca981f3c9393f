"""The JSON contract of ``nianbao check --format json`` and ``nianbao rules --format json``.

Check output (stable; CI jobs and other tools parse it)::

    {"tool": {"name": "nianbao", "version": "0.1.0"},
     "reports": [{"path": "...", "agency": "...", "year": 2024, "level": "county",
                  "notes": ["已忽略2个文本框中的文字", ...],
                  "findings": [<Finding.model_dump(mode="json")>, ...]}]}

``notes`` (added in 0.2) are what the reader ignored or repaired: text boxes, tables of contents, page
numbers, damaged bytes. They are not findings.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from typing import Any

from nianbao.model.report import READER_NOTE, Report
from nianbao.review.checked import CheckedReport
from nianbao.rules import Rule

TOOL_NAME = "nianbao"


def reader_notes(report: Report) -> list[str]:
    """What the reader ignored or repaired, in Chinese."""
    return [note.message for note in report.notes if note.code == READER_NOTE]


def report_entry(checked: CheckedReport) -> dict[str, Any]:
    """One element of ``reports``."""
    meta = checked.report.metadata
    return {
        "path": checked.path,
        "agency": meta.agency or None,
        "year": meta.year,
        "level": meta.level.value,
        "notes": reader_notes(checked.report),
        "findings": [f.model_dump(mode="json") for f in checked.findings],
    }


def check_payload(entries: Sequence[dict[str, Any]], version: str) -> dict[str, Any]:
    """The whole document printed by ``nianbao check --format json``, from :func:`report_entry` results."""
    return {"tool": {"name": TOOL_NAME, "version": version}, "reports": list(entries)}


def render_json(checked: Sequence[CheckedReport], version: str) -> str:
    """The check payload as indented JSON with Chinese kept readable (not \\u-escaped)."""
    return dump(check_payload([report_entry(c) for c in checked], version))


def dump(payload: Any) -> str:
    """Indented JSON, Chinese kept readable."""
    return json.dumps(payload, ensure_ascii=False, indent=2)


def rules_payload(rules: Sequence[type[Rule]]) -> list[dict[str, Any]]:
    """Every rule with its code, name, category, severity, refs, summary and full documentation."""
    return [
        {
            "code": r.code,
            "name": r.name,
            "category": r.category.value,
            "severity": r.severity.value,
            "refs": list(r.refs),
            "summary": r.summary(),
            "doc": inspect.cleandoc(r.__doc__ or ""),
        }
        for r in rules
    ]


def render_rules_json(rules: Sequence[type[Rule]]) -> str:
    """``rules_payload`` as indented JSON."""
    return dump(rules_payload(rules))
