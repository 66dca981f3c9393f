"""What several rules derive from the same report, computed once per check run and shared.

Fifty rules read one report; many of them walk the same prose paragraphs, normalise the same text or
read the same table cells. :func:`per_check` makes such a derivation run once per :func:`run_rules`
call: the values live in a store opened for the run (:func:`sharing`) and are dropped when it ends,
so nothing outlives the check and a report changed between two checks is analysed afresh. Outside a
run (a rule called on its own, as tests do) every call computes its value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from nianbao.model.report import Paragraph, Report
from nianbao.prose import prose_paragraphs

T = TypeVar("T")

# (derivation, id of the report) → (the report, value). The report is kept so that its id stays unique.
_STORE: ContextVar[dict[tuple[Callable[..., Any], int], tuple[Report, Any]] | None] = ContextVar(
    "nianbao_rules_shared", default=None
)


@contextmanager
def sharing() -> Iterator[None]:
    """Share :func:`per_check` values between the rules run inside this block."""
    token = _STORE.set({})
    try:
        yield
    finally:
        _STORE.reset(token)


def per_check(build: Callable[[Report], T]) -> Callable[[Report], T]:
    """Decorator: ``build(report)`` is computed once per check run and shared (see :func:`sharing`).

    The value must not be changed by its users.
    """

    @functools.wraps(build)
    def get(report: Report) -> T:
        store = _STORE.get()
        if store is None:
            return build(report)
        key = (build, id(report))
        hit = store.get(key)
        if hit is not None and hit[0] is report:
            shared: T = hit[1]
            return shared
        value = build(report)
        store[key] = (report, value)
        return value

    return get


@per_check
def paragraphs(report: Report) -> list[Paragraph]:
    """:meth:`Report.paragraphs` (every narrative paragraph, preamble first), shared."""
    return report.paragraphs()


@per_check
def prose(report: Report) -> list[Paragraph]:
    """:func:`nianbao.prose.prose_paragraphs` as a list, shared."""
    return list(prose_paragraphs(report))
