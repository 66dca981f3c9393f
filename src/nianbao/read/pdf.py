"""Reader stub: replaced by the real pdf reader (issue 3)."""

from __future__ import annotations

from nianbao.errors import UnsupportedFormatError
from nianbao.model.document import Document


def read_pdf(data: bytes, path: str | None = None) -> Document:
    """Read a pdf file's bytes into a Document."""
    where = path or "<input>"
    raise UnsupportedFormatError(f"{where}: pdf is not read yet", f"{where}：暂不支持此格式。", path=path)
