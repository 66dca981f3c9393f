"""nianbao: draft and check 政府信息公开工作年度报告 (Government Information Disclosure Annual Reports).

The deterministic path, offline::

    import nianbao

    report = nianbao.read("fixtures/lushan-2024.txt")      # → Report (typed, pydantic)
    for finding in nianbao.check(report):                  # → list[Finding]
        print(finding.severity, finding.rule, finding.location.describe(), finding.message)

Errors that stop a file from being read are :class:`ReadError` subclasses (see :mod:`nianbao.errors`);
mistakes in a report are never exceptions, they are findings.
"""

import sys as _sys
import types as _types
from collections.abc import Iterable as _Iterable
from collections.abc import Iterator as _Iterator
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from nianbao.batch.run import CheckResult
from nianbao.errors import (
    BinaryInputError,
    ConfigError,
    CorruptInputError,
    EmptyInputError,
    EncryptedInputError,
    NeedsOcrError,
    NianbaoError,
    NotAReportError,
    ReadError,
    TooLargeError,
    UnsupportedFormatError,
)
from nianbao.model.cell import Cell, CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import AgencyKind, Level, Metadata, Report
from nianbao.model.span import Span
from nianbao.parse import parse as _parse
from nianbao.read import read_document as _read_document
from nianbao.rules import CheckConfig, Context, Rule, all_rules
from nianbao.rules import run_rules as _run_rules

if _TYPE_CHECKING:
    from nianbao.extract.models import ExtractResult as _ExtractResult

__all__ = [
    "AgencyKind",
    "BinaryInputError",
    "Category",
    "Cell",
    "CellKind",
    "CheckConfig",
    "CheckResult",
    "ConfigError",
    "Context",
    "CorruptInputError",
    "EmptyInputError",
    "EncryptedInputError",
    "Finding",
    "Level",
    "Location",
    "Metadata",
    "NeedsOcrError",
    "NianbaoError",
    "NotAReportError",
    "ReadError",
    "Report",
    "Rule",
    "Severity",
    "Span",
    "TooLargeError",
    "UnsupportedFormatError",
    "all_rules",
    "check",
    "check_many",
    "extract",
    "read",
]

__version__ = "0.1.0"


def _looks_like_report(report: Report) -> bool:
    # A report has at least one of: a title with agency or year, one of the six part headings, a table.
    meta = report.metadata
    has_title = bool(meta.agency) or meta.year is not None
    has_part = any(p.key is not None for p in report.parts)
    has_table = any(t is not None and t.found for t in (report.table2, report.table3, report.table4))
    return has_title or has_part or has_table


def read(path: str | _Path) -> Report:
    """Read a report file into a :class:`Report`: plain text or Markdown, Word (.docx), a saved web page
    (HTML) or a PDF with a text layer. Format and encoding are detected by content, not by extension.

    Raises a :class:`ReadError` subclass when the file cannot be read as a report: missing, empty,
    binary, too large, damaged (:class:`CorruptInputError`), password-protected
    (:class:`EncryptedInputError`), a scan without text (:class:`NeedsOcrError`), an unsupported format
    (.doc, .wps, images: with advice on converting it), or readable content that is not a
    政府信息公开工作年度报告 (:class:`NotAReportError`).
    """
    report = _parse(_read_document(path))
    if not _looks_like_report(report):
        raise NotAReportError(
            f"{path}: not a government information disclosure annual report "
            "(no title with agency or year, none of the six part headings, no statistical table)",
            f"{path}：没有识别到报告标题（单位、年度）、六个部分的标题或统计表，不是政府信息公开工作年度报告。",
            path=str(path),
        )
    return report


def check(report: Report, previous: Report | None = None, config: CheckConfig | None = None) -> list[Finding]:
    """Run every deterministic rule on ``report`` and return the findings (an empty list when clean).

    ``previous`` is last year's report of the same agency; with it the cross-year rules run too.
    Raises :class:`ConfigError` for an unknown rule code in ``config.ignore``.
    """
    return _run_rules(report, Context(previous=previous, config=config or CheckConfig()))


def check_many(
    paths: _Iterable[str | _Path],
    previous: Report | str | _Path | None = None,
    config: CheckConfig | None = None,
    jobs: int | None = None,
) -> _Iterator[CheckResult]:
    """Read and check many reports in parallel processes, yielding a :class:`CheckResult` (``path``,
    ``report``, ``findings``, or the ``error`` that stopped the file) for each as it finishes: in the
    order they finish, not the order given. An unreadable file is a result with ``error`` set, never an
    exception, and the others are still checked.

    ``paths``: files and directories; a directory stands for every report file under it (.txt, .md,
    .docx, .html, .htm, .pdf; hidden files skipped), in path order.
    ``previous``: last year's report for the cross-year rules: a :class:`Report` (used for every file),
    a file (read once), or a directory: its reports are indexed by agency and year from their titles,
    and each report is paired with the one of its agency and year − 1 (``result.previous`` names it).
    ``jobs``: worker processes, by default the CPU count; 1 checks in this process.
    """
    from nianbao.batch import expand_paths, index_previous, run_batch

    files, _ = expand_paths(paths)
    last_year: _Any = previous
    if isinstance(previous, (str, _Path)):
        last_year = index_previous(previous, jobs) if _Path(previous).is_dir() else read(previous)
    return run_batch(files, last_year, config, jobs, ordered=False)


def extract(report: Report, llm: _Any = None) -> "_ExtractResult":
    """The facts of ``report``: the deterministic ones (``report.facts``), then the narrative facts a model
    read, each grounded (its verbatim quote found in the report, every number of it in the quote); the
    ones that were not are in ``.dropped``, never among the facts. Returns an ``ExtractResult``
    (:mod:`nianbao.extract`).

    ``llm``: an open ``nianbao.llm.LLM``, an ``nianbao.llm.LLMConfig``, or None for the configuration in
    the environment (``NIANBAO_BASE_URL``, ``NIANBAO_MODEL`` …). With no endpoint configured nothing is
    sent: the deterministic facts and a note. The model layer (openai, instructor) is imported only
    here, when called, so ``import nianbao`` stays light.
    """
    from nianbao.extract.extractor import extract_report

    return extract_report(report, llm)


class _Package(_types.ModuleType):
    """The ``nianbao`` module: importing the subpackage ``nianbao.extract`` must not replace the function
    ``nianbao.extract`` (the import system sets a package's attribute to each submodule it imports)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "extract" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
