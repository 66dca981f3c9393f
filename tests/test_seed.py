"""The seed report (鲁山县人民政府办公室 2024): every error of format-2021.md §4.1 found, nothing in §4.2 flagged."""

from __future__ import annotations

from collections import Counter

import pytest

import nianbao
from corpus_paths import FIXTURES
from nianbao import Finding, Severity


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return nianbao.check(nianbao.read(FIXTURES / "lushan-2024.txt"))


def _at(findings: list[Finding], rule: str, line: int, severity: Severity) -> list[Finding]:
    return [
        f
        for f in findings
        if f.rule == rule and f.severity == severity and f.location.span and f.location.span.line == line
    ]


# (rule, line, evidence that must appear in the message or evidence): the §4.1 hard errors.
EXPECTED_ERRORS = [
    ("STR-PARTS", 9, "一、总体情况"),  # E01 duplicated heading
    ("ID-AGENCY", 7, "平顶山市人民政府办公室"),  # E02 another agency names the report
    ("TXT-REQUESTS", 13, "20"),  # E03 20 applications handled vs table 三 of zeros
    ("TXT-APPLICANTS", 13, "5"),  # E04 5 人次 vs no applicant in table 三
    ("ID-AGENCY", 19, "舞钢市"),  # E09 another jurisdiction as the object of the work
    ("ID-AGENCY", 19, "市政府办公室"),  # E11 accountability statement about another office
]
EXPECTED_WARNINGS = [
    ("ID-LEVEL-WORD", 15, "市政府"),  # E06
    ("ID-LEVEL-WORD", 19, "全市"),  # E10
    ("STR-FEE-STATEMENT", 84, "收费"),  # E17
    ("STR-PROBLEMS", 78, "2023"),  # E13 this year's problems without measures
    ("WD-CITATION", 84, "处理费管理有关事项的通知"),  # E14 misattributed citation
]
EXPECTED_INFO = [
    ("WD-TRUNCATED", 13, "；"),  # E05 paragraph ends mid-enumeration
    ("WD-APPROX", 11, "4376"),  # E12 exact number with 余
    ("STR-PREAMBLE-NAMES", 7, "因政府信息公开工作被申请行政复议"),  # E15
    ("STR-PERIOD", 3, "统计期限"),  # E16
    ("STR-ACCOUNTABILITY", 19, "责任追究"),  # E18 (an office's report: info)
    ("WD-SPACING", 78, "2024年"),  # E21 「2024 年」 and 「2024年」 mixed
]


def _mentions(f: Finding, text: str) -> bool:
    return text in f.message or any(text in e for e in f.evidence)


@pytest.mark.parametrize(("rule", "line", "text"), EXPECTED_ERRORS)
def test_seed_error_found(findings: list[Finding], rule: str, line: int, text: str) -> None:
    hits = [f for f in _at(findings, rule, line, Severity.ERROR) if _mentions(f, text)]
    assert hits, f"no {rule} error at line {line} mentioning {text!r}"


@pytest.mark.parametrize(("rule", "line", "text"), EXPECTED_WARNINGS)
def test_seed_warning_found(findings: list[Finding], rule: str, line: int, text: str) -> None:
    hits = [f for f in _at(findings, rule, line, Severity.WARNING) if _mentions(f, text)]
    assert hits, f"no {rule} warning at line {line} mentioning {text!r}"


@pytest.mark.parametrize(("rule", "line", "text"), EXPECTED_INFO)
def test_seed_info_found(findings: list[Finding], rule: str, line: int, text: str) -> None:
    hits = [f for f in _at(findings, rule, line, Severity.INFO) if _mentions(f, text)]
    assert hits, f"no {rule} info at line {line} mentioning {text!r}"


def test_seed_has_no_other_errors(findings: list[Finding]) -> None:
    """§4.2: years, citations, headings 二–六, table labels, table values and fees are correct."""
    allowed = Counter((rule, line) for rule, line, _ in EXPECTED_ERRORS)
    extra = [
        f
        for f in findings
        if f.severity == Severity.ERROR
        and (f.rule, f.location.span.line if f.location.span else None) not in allowed
    ]
    assert not extra, "\n".join(f"{f.rule} {f.location.describe()} {f.message}" for f in extra)


def test_seed_correct_items_not_flagged(findings: list[Finding]) -> None:
    """§4.2 items must not be flagged at any severity: the legitimate 2023 (Y−1) mention, the short
    form 鲁山县政府办公室, the table label 本机关不掌握, and the tables (all consistent)."""
    for f in findings:
        assert not (f.category.value == "identity" and f.location.span and f.location.span.line in (78, 80, 55))
        assert f.category.value != "arithmetic", f.message
        assert f.rule not in ("TPL-2019", "STR-TOPICS", "STR-NUMBERING"), f.message


def test_seed_messages_are_chinese_and_placed(findings: list[Finding]) -> None:
    for f in findings:
        assert f.location.span is not None or f.location.table is not None, f
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
        assert "," not in f.message and ";" not in f.message, f"half-width punctuation in: {f.message}"
