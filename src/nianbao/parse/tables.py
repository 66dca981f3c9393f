"""Find the three tables by their labels and read them into typed tables.  (stub)"""

from __future__ import annotations

from nianbao.model.document import Document
from nianbao.model.report import Heading, ParseNote
from nianbao.model.tables import Table2, Table3, Table4


def parse_tables(
    document: Document, headings: list[Heading]
) -> tuple[Table2 | None, Table3 | None, Table4 | None, list[ParseNote]]:
    """Return the tables (``None`` where a table is absent) and notes on labels and damage."""
    return None, None, None, []
