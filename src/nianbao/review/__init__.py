"""Renderers: checked reports → terminal text or the JSON contract. No checking happens here."""

from __future__ import annotations

from nianbao.review.checked import CheckedReport, counts
from nianbao.review.json import (
    check_payload,
    dump,
    render_json,
    render_rules_json,
    report_entry,
    rules_payload,
)
from nianbao.review.text import render_report, render_rules_text, render_text, render_total

__all__ = [
    "CheckedReport",
    "check_payload",
    "counts",
    "dump",
    "render_json",
    "render_report",
    "render_rules_json",
    "render_rules_text",
    "render_text",
    "render_total",
    "report_entry",
    "rules_payload",
]
