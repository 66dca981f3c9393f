"""Standard narrative statements → facts (pattern rules, no model).  (stub)"""

from __future__ import annotations

from nianbao.model.report import Fact, Report


def extract_facts(report: Report) -> list[Fact]:
    """Every figure stated by a standard statement in the narrative."""
    return []
