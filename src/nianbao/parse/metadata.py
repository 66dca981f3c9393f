"""Title → agency, region, level, kind and year.  (stub: owned by the structure/identity work)"""

from __future__ import annotations

from nianbao.model.document import Document
from nianbao.model.report import Metadata


def parse_metadata(document: Document) -> tuple[Metadata, int]:
    """Return the metadata and the index of the title block in ``document.blocks`` (-1 if none)."""
    return Metadata(source_path=document.path, source_format=document.format, encoding=document.encoding), -1
