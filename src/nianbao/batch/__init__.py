"""Checking many reports at once: directories expanded to their report files, parallel worker processes,
pairing with last year's reports by title, and the summary (terminal table, CSV, Excel)."""

from __future__ import annotations

from nianbao.batch.paths import REPORT_SUFFIXES, expand_paths, report_files
from nianbao.batch.run import (
    CheckResult,
    PreviousIndex,
    WorkerError,
    check_path,
    default_jobs,
    index_previous,
    run_batch,
    slimmed,
    title_key,
)
from nianbao.batch.summary import FINDING_COLUMNS, REPORT_COLUMNS, Summary, findings_csv_path, summary_format

__all__ = [
    "FINDING_COLUMNS",
    "REPORT_COLUMNS",
    "REPORT_SUFFIXES",
    "CheckResult",
    "PreviousIndex",
    "Summary",
    "WorkerError",
    "check_path",
    "default_jobs",
    "expand_paths",
    "findings_csv_path",
    "index_previous",
    "report_files",
    "run_batch",
    "slimmed",
    "summary_format",
    "title_key",
]
