"""Blocks → preamble, headings and the six parts with their paragraphs.  (stub)"""

from __future__ import annotations

from nianbao.model.document import Document
from nianbao.model.report import Heading, Paragraph, Part


def parse_sections(document: Document, title_index: int) -> tuple[list[Paragraph], list[Heading], list[Part]]:
    """Return (preamble paragraphs, every heading, parts in document order)."""
    return [], [], []
