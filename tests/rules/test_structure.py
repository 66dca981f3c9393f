"""Structure rules on the real reports: the known structure errors found, clean structures accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

import nianbao
from corpus_paths import FIXTURES
from nianbao import Finding
from nianbao.rules import REGISTRY

STRUCTURE_CODES = (
    "STR-PARTS", "STR-NUMBERING", "STR-TABLES", "STR-TOPICS", "STR-ACCOUNTABILITY", "STR-PROBLEMS",
    "STR-FEE-STATEMENT", "STR-PERIOD", "STR-PREAMBLE-NAMES",
)  # fmt: skip


def _structure(path: Path) -> list[Finding]:
    return [f for f in nianbao.check(nianbao.read(path)) if f.rule.startswith("STR-")]


def test_rules_documented() -> None:
    for code in STRUCTURE_CODES:
        doc = REGISTRY[code].__doc__ or ""
        assert "Bad" in doc and "Good" in doc and REGISTRY[code].refs, code


@pytest.mark.parametrize("name", ["shanghai-office-2025.md", "shuyang-county-2025.txt"])
def test_sound_structure_not_flagged(corpus: Path, name: str) -> None:
    found = _structure(corpus / name)
    bad = [
        f
        for f in found
        if f.rule in ("STR-PARTS", "STR-NUMBERING", "STR-TABLES") and f.severity.value != "info"
    ]
    assert not bad, [f.message for f in bad]


def test_shanghai_office_missing_five_heading_is_info(corpus: Path) -> None:
    found = [f for f in _structure(corpus / "shanghai-office-2025.md") if f.rule == "STR-PARTS"]
    assert [(f.severity.value, f.location.span.line if f.location.span else None) for f in found] == [
        ("info", 183)
    ]


def test_shanghai_kewei_two_numbering_systems(corpus: Path) -> None:
    found = _structure(corpus / "shanghai-kewei-2024.md")
    numbering = [f for f in found if f.rule == "STR-NUMBERING"]
    assert len(numbering) == 1 and numbering[0].severity.value == "error"
    assert numbering[0].location.span is not None and numbering[0].location.span.line == 73
    assert "一、总体情况" in numbering[0].message and "六、政府信息公开平台建设" in numbering[0].message
    # Its statutory parts are all found (shifted numbers), so no part is reported missing.
    assert not [f for f in found if f.rule == "STR-PARTS" and f.severity.value == "error"]


def test_shuyang_government_report_lacks_evaluation_results(corpus: Path) -> None:
    # 沭阳县人民政府 is a 人民政府: 条例第五十条第四项 applies; it reports 考核 but no 社会评议 or 责任追究.
    found = [f for f in _structure(corpus / "shuyang-county-2025.txt") if f.rule == "STR-ACCOUNTABILITY"]
    assert len(found) == 1 and found[0].severity.value == "error"
    assert "社会评议" in found[0].message and "责任追究" in found[0].message


def test_seed_structure_findings() -> None:
    found = {
        (f.rule, f.severity.value, f.location.span.line if f.location.span else None)
        for f in _structure(FIXTURES / "lushan-2024.txt")
    }
    assert found == {
        ("STR-PARTS", "error", 9),  # E01
        ("STR-PROBLEMS", "warning", 78),  # E13
        ("STR-FEE-STATEMENT", "warning", 84),  # E17
        ("STR-PERIOD", "info", 3),  # E16
        ("STR-PREAMBLE-NAMES", "info", 7),  # E15
        ("STR-ACCOUNTABILITY", "info", 19),  # E18
    }


def test_clean_fixture_no_structure_findings() -> None:
    assert _structure(FIXTURES / "clean-2024.txt") == []
