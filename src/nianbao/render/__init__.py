"""Report → documents in the official 2021 layout: .docx, HTML and plain text (issue 3, in progress)."""

from __future__ import annotations

__all__: list[str] = []
