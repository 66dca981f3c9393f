"""Every text or Markdown report in ../shared/corpus: read without a crash, the INDEX values read
exactly, the known errors found, the consistent figures not flagged."""

from __future__ import annotations

from pathlib import Path

import nianbao
from nianbao import Finding, Report


def _load(corpus: Path, name: str) -> tuple[Report, list[Finding]]:
    report = nianbao.read(corpus / name)
    return report, nianbao.check(report)


def _errors(findings: list[Finding], category: str | None = None) -> list[str]:
    return [
        f"{f.rule} {f.location.describe()} {f.message}"
        for f in findings
        if f.severity.value == "error" and (category is None or f.category.value == category)
    ]


def test_every_text_file_reads(corpus: Path) -> None:
    names = sorted(p.name for p in corpus.iterdir() if p.suffix in (".txt", ".md") and p.name != "INDEX.md")
    assert names, "no text reports in the corpus"
    for name in names:
        report, findings = _load(corpus, name)
        assert report.metadata.year is not None, name
        assert report.table3 is not None, name
        assert all(f.message for f in findings)


def test_shuyang_county(corpus: Path) -> None:
    report, findings = _load(corpus, "shuyang-county-2025.txt")
    t3, t4 = report.table3, report.table4
    assert t3 is not None and t4 is not None
    assert [t3.value(r, "tot") for r in ("new", "carry_in", "total", "carry_out")] == [713, 36, 718, 31]
    assert [t3.value("new", c) for c in ("np", "biz", "res", "ngo", "law", "oth")] == [705, 3, 0, 0, 5, 0]
    assert [t4.value(g, "total") for g in ("review", "suit_direct", "suit_after_review")] == [61, 3, 10]
    assert report.metadata.year == 2025 and "沐阳县人民政府" in report.metadata.agency
    # 受理749 counts 上年结转 in, 自然人741 = 705 + 36, 办理718, 结转下一年31: all consistent.
    assert not _errors(findings, "text-vs-table")
    assert not _errors(findings, "arithmetic")
    assert not _errors(findings, "identity")


def test_shanghai_kewei(corpus: Path) -> None:
    report, findings = _load(corpus, "shanghai-kewei-2024.md")
    t2, t3, t4 = report.table2, report.table3, report.table4
    assert t2 is not None and t3 is not None and t4 is not None
    assert [t2.value("reg", c) for c in ("issued", "repealed", "valid")] == [0, 0, 0]
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [13, 0, 55]
    assert t2.value("permit", "decisions") == 97
    assert [t3.value(r, "tot") for r in ("new", "carry_in", "total")] == [34, 2, 35]
    assert t3.cell("carry_out", "tot").kind == "blank"
    assert t3.value("carry_out", "np") == 1
    assert [t4.value("review", f) for f in ("keep", "correct", "other", "pending", "total")] == [1, 0, 0, 0, 1]
    rules = {f.rule for f in findings}
    # Known errors: two numbering systems, 均已办结 with one case carried over, 资金资金, 「六部分, 并」, the blank cell.
    for rule in ("STR-NUMBERING", "WD-ALL-DONE", "WD-DUP-WORD", "WD-PUNCT", "T3-BLANK"):
        assert rule in rules, f"{rule} not found; got {sorted(rules)}"
    assert not _errors(findings, "arithmetic")


def test_shanghai_office(corpus: Path) -> None:
    report, findings = _load(corpus, "shanghai-office-2025.md")
    t3, t4 = report.table3, report.table4
    assert t3 is not None and t4 is not None
    expected_tot = {
        "new": 1295, "carry_in": 189, "open": 206, "partial": 2, "deny_1": 4, "deny_5": 9, "deny_8": 5,
        "unable_1": 513, "unable_2": 48, "unable_3": 3, "noproc_1": 62, "noproc_2": 16, "noproc_5": 0,
        "other_1": 43, "other_2": 0, "other_3": 276, "total": 1191, "carry_out": 293,
    }  # fmt: skip
    assert {r: t3.value(r, "tot") for r in expected_tot} == expected_tot
    assert [t4.value(g, "total") for g in ("review", "suit_direct", "suit_after_review")] == [55, 12, 22]
    # A clean provincial report: narrative and tables agree everywhere, structure accepted.
    assert not _errors(findings, "text-vs-table")
    assert not _errors(findings, "arithmetic")
    assert not [f for f in findings if f.rule in ("STR-PARTS", "STR-NUMBERING") and f.severity.value == "error"]
