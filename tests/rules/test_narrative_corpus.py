"""The narrative rules (TXT-*, WD-*) on the real reports of ../shared/corpus: known errors found,
consistent figures not flagged."""

from __future__ import annotations

from pathlib import Path

import nianbao
from nianbao import Finding

NARRATIVE = ("TXT-", "WD-")


def _narrative(path: Path) -> list[Finding]:
    return [f for f in nianbao.check(nianbao.read(path)) if f.rule.startswith(NARRATIVE)]


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.rule} {f.severity.value} {f.location.describe()} {f.message}" for f in findings)


def test_shuyang_counts_carry_over_in_and_is_consistent(corpus: Path) -> None:
    # 受理749 = 713 + 36, 自然人741 = 705 + 36, 法人8, 办理718 = （七）, 结转下一年31 = 四; 相关案件74 is not read.
    findings = _narrative(corpus / "shuyang-county-2025.txt")
    assert not [f for f in findings if f.severity.value != "info"], _show(findings)


def test_shanghai_office_is_consistent(corpus: Path) -> None:
    # 受理1295 = 一, 办结1191 = （七）, 含上年结转189 = 二, 208 = 206 + 2, 17.46% = 208 / 1191, …
    findings = _narrative(corpus / "shanghai-office-2025.md")
    assert findings == [], _show(findings)


def test_shanghai_kewei_known_errors(corpus: Path) -> None:
    findings = _narrative(corpus / "shanghai-kewei-2024.md")
    found = {(f.rule, f.severity.value, f.location.span.line if f.location.span else None) for f in findings}
    assert ("WD-ALL-DONE", "error", 43) in found, _show(
        findings
    )  # 所有申请均已按要求办理完成 vs 转下一年度1件
    assert ("WD-DUP-WORD", "warning", 34) in found, _show(findings)  # 资金资金
    assert ("WD-PUNCT", "info", 9) in found, _show(findings)  # 「六\n部分, 并」
    assert not [f for f in findings if f.rule.startswith("TXT-")], _show(findings)  # 34, 2, 9/0/2/10/0/14, 1


def test_seed_narrative_findings() -> None:
    seed = Path(__file__).resolve().parents[2] / "fixtures" / "lushan-2024.txt"
    found = {
        (f.rule, f.severity.value, f.location.span.line if f.location.span else None)
        for f in _narrative(seed)
    }
    assert found == {
        ("TXT-REQUESTS", "error", 13),  # E03
        ("TXT-APPLICANTS", "error", 13),  # E04
        ("WD-TRUNCATED", "info", 13),  # E05
        ("WD-APPROX", "info", 11),  # E12
        ("WD-CITATION", "warning", 84),  # E14
        ("WD-SPACING", "info", 78),  # E21
    }
