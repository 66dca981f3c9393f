"""`nianbao draft`: notes + table data (+ last year's report) → a checked report. Imports nianbao.draft
only inside the command, so that `nianbao check` never loads the model layer."""

from __future__ import annotations


def draft_command() -> None:
    """Draft a report from notes (stub until issue 5 lands). 根据工作要点起草年度报告。"""
    raise NotImplementedError
