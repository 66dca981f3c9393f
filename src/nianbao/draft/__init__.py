"""Drafting a report from notes, table data and last year's report (issue 5, in progress)."""

from __future__ import annotations

__all__: list[str] = []
