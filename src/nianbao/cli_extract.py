"""`nianbao extract`: deterministic facts plus grounded model-extracted facts. Imports nianbao.extract
only inside the command, so that `nianbao check` never loads openai or instructor."""

from __future__ import annotations


def extract_command() -> None:
    """Extract narrative facts (stub until issue 4 lands). 提取正文事实。"""
    raise NotImplementedError
