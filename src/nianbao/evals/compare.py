"""Compare two drafting results files: what got better and what got worse, case by case, metric by metric.

Direction-aware (:data:`nianbao.evals.metrics.DIRECTIONS`): higher is better for recall and chrF, lower
for the unsupported-number rate, identity and checker errors and repeats, closer to 1 for the length ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from nianbao.evals.metrics import DIRECTIONS, HEADLINE
from nianbao.evals.runner import DraftingResults

__all__ = ["Change", "Comparison", "compare_results"]

_EPS: Final = 1e-9


@dataclass(frozen=True)
class Change:
    """One metric of one case (``case`` is ``mean`` for the means) that moved from ``a`` to ``b``."""

    case: str
    metric: str
    a: float | None
    b: float | None
    better: bool

    def describe(self) -> str:
        def show(v: float | None) -> str:
            return "—" if v is None else f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else f"{v:.0f}"

        return f"{self.case} {self.metric}: {show(self.a)} → {show(self.b)}"


@dataclass
class Comparison:
    """The changes, split into better and worse, and the cases only one side has."""

    better: list[Change] = field(default_factory=list)
    worse: list[Change] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)

    @property
    def regressed(self) -> bool:
        return bool(self.worse)


def _badness(metric: str, value: float) -> float:
    """A number where lower is better, for any metric."""
    direction = DIRECTIONS.get(metric, "higher")
    if direction == "higher":
        return -value
    if direction == "lower":
        return value
    return abs(math.log(value)) if value > 0 else math.inf


def _change(case: str, metric: str, a: float | None, b: float | None) -> Change | None:
    if a is None and b is None:
        return None
    if a is None or b is None:
        # a metric that appears is no regression; one that disappears (the case stopped scoring) is
        return Change(case, metric, a, b, better=b is not None)
    if abs(a - b) <= _EPS:
        return None
    return Change(case, metric, a, b, better=_badness(metric, b) < _badness(metric, a))


def compare_results(a: DraftingResults, b: DraftingResults) -> Comparison:
    """Every headline metric of every case both runs scored, and the means."""
    out = Comparison()
    a_cases = {c.id: c for c in a.cases}
    b_cases = {c.id: c for c in b.cases}
    out.only_a = [i for i in a_cases if i not in b_cases]
    out.only_b = [i for i in b_cases if i not in a_cases]
    pairs: list[tuple[str, dict[str, float | None], dict[str, float | None]]] = []
    for case_id, ca in a_cases.items():
        cb = b_cases.get(case_id)
        if cb is None or ca.skipped is not None or cb.skipped is not None:
            continue
        pairs.append((case_id, ca.metrics, cb.metrics))
    pairs.append(("mean", a.means, b.means))
    for case_id, ma, mb in pairs:
        for metric in HEADLINE:
            change = _change(case_id, metric, ma.get(metric), mb.get(metric))
            if change is not None:
                (out.better if change.better else out.worse).append(change)
    return out
