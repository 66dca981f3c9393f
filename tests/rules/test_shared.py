"""Per-check shared derivations (nianbao.rules.shared): computed once per run, never kept between runs."""

from __future__ import annotations

from pathlib import Path

import nianbao
from nianbao.model.report import Report
from nianbao.rules.shared import per_check, sharing

CLEAN = Path(__file__).resolve().parents[2] / "fixtures" / "clean-2024.txt"


def test_value_is_shared_inside_a_run_only() -> None:
    calls: list[int] = []

    @per_check
    def count_parts(report: Report) -> int:
        calls.append(1)
        return len(report.parts)

    a, b = nianbao.read(CLEAN), nianbao.read(CLEAN)
    with sharing():
        assert count_parts(a) == count_parts(a) == 6
        assert count_parts(b) == 6
    assert len(calls) == 2  # once per report inside the run
    count_parts(a)
    count_parts(a)
    assert len(calls) == 4  # outside a run: computed on every call


def test_a_report_changed_between_checks_is_analysed_afresh() -> None:
    report = nianbao.read(CLEAN)
    assert not [f for f in nianbao.check(report) if f.rule == "ID-YEAR"]
    report.metadata.year = 2023
    assert [f for f in nianbao.check(report) if f.rule == "ID-YEAR"]
