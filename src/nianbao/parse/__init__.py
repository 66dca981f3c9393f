"""Document → Report, deterministically: title metadata, parts and paragraphs, the three tables, facts."""

from __future__ import annotations

from nianbao.model.document import Document
from nianbao.model.report import READER_NOTE, ParseNote, Report
from nianbao.model.trusted import trusted
from nianbao.parse.facts import extract_facts
from nianbao.parse.metadata import parse_metadata
from nianbao.parse.sections import parse_sections
from nianbao.parse.tables import parse_tables

__all__ = ["parse"]


def parse(document: Document) -> Report:
    """Understand a read document as a 2021-format report. Never raises on a damaged report: what cannot
    be read is recorded in ``Report.notes`` for the template and structure rules to report."""
    metadata, title_index = parse_metadata(document)
    preamble, headings, parts = parse_sections(document, title_index)
    table2, table3, table4, notes = parse_tables(document, headings)
    # What the reader left out or repaired (text boxes, page numbers, damaged bytes) travels with the
    # report, so that a user sees it next to the findings.
    notes = [ParseNote(code=READER_NOTE, message=note) for note in document.notes] + notes
    report = trusted(
        Report,
        metadata=metadata,
        headings=headings,
        parts=parts,
        preamble=preamble,
        table2=table2,
        table3=table3,
        table4=table4,
        notes=notes,
    )
    report.facts = extract_facts(report)
    return report
