"""nianbao: draft and check 政府信息公开工作年度报告 (Government Information Disclosure Annual Reports)."""

from __future__ import annotations

from pathlib import Path

from nianbao.errors import NianbaoError, ReadError
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.model.span import Span
from nianbao.parse import parse
from nianbao.read import read_document
from nianbao.rules import CheckConfig, Context, run_rules

__all__ = [
    "Category",
    "CheckConfig",
    "Finding",
    "Location",
    "NianbaoError",
    "ReadError",
    "Report",
    "Severity",
    "Span",
    "check",
    "read",
]

__version__ = "0.1.0"


def read(path: str | Path) -> Report:
    """Read a report file (text or Markdown; format detected by content) into a typed :class:`Report`."""
    return parse(read_document(path))


def check(report: Report, previous: Report | None = None, config: CheckConfig | None = None) -> list[Finding]:
    """Run every deterministic rule on ``report`` (and ``previous``, last year's report, where given)."""
    return run_rules(report, Context(previous=previous, config=config or CheckConfig()))
