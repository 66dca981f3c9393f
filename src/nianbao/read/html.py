"""Reader stub: replaced by the real html reader (issue 3)."""

from __future__ import annotations

from nianbao.errors import UnsupportedFormatError
from nianbao.model.document import Document


def read_html(data: bytes, path: str | None = None) -> Document:
    """Read a html file's bytes into a Document."""
    where = path or "<input>"
    raise UnsupportedFormatError(f"{where}: html is not read yet", f"{where}：暂不支持此格式。", path=path)
