"""The eval suite: drafting and checking accuracy measured against reference reports (issue 6, in progress)."""

from __future__ import annotations

__all__: list[str] = []
