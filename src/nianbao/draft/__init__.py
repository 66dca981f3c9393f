"""Drafting a report from notes, table data and last year's report.

::

    from nianbao.draft import OfflineDrafter, assemble, check_draft, draft_report, load_notes, load_tables

    notes = load_notes("fixtures/lushan-2024.notes.yaml")        # DraftInputError on bad notes
    tables = load_tables("fixtures/lushan-2024.tables.yaml")      # DraftInputError on bad labels or sums
    draft = draft_report(OfflineDrafter(), notes, tables)         # ReportDraft: sentences with note ids
    report = assemble(draft, notes, tables)                       # Report: title, preamble, six parts, tables
    read_back, findings = check_draft(report)                     # every rule, as `nianbao check` runs them

The model drafter is ``nianbao.draft.llm_drafter.LLMDrafter`` (imports the model layer; not imported here).
"""

from __future__ import annotations

from nianbao.draft.assemble import assemble, check_draft, render_bytes
from nianbao.draft.model import (
    Drafter,
    DraftPart,
    DraftSentence,
    Removed,
    ReportDraft,
    draft_report,
    redraft,
)
from nianbao.draft.notes import DraftInputError, Notes, load_notes
from nianbao.draft.offline import OfflineDrafter
from nianbao.draft.table_data import TableData, load_tables

__all__ = [
    "DraftInputError",
    "DraftPart",
    "DraftSentence",
    "Drafter",
    "Notes",
    "OfflineDrafter",
    "Removed",
    "ReportDraft",
    "TableData",
    "assemble",
    "check_draft",
    "draft_report",
    "load_notes",
    "load_tables",
    "redraft",
    "render_bytes",
]
