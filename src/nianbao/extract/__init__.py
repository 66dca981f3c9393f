"""Grounded extraction of narrative facts with a model (issue 4, in progress)."""

from __future__ import annotations

__all__: list[str] = []
