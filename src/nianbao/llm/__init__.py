"""The model layer: the only package that imports openai, instructor and tiktoken (issue 4, in progress)."""

from __future__ import annotations

__all__: list[str] = []
