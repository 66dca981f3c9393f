"""The checker eval (evals/cases/checker): a CI guard that fails on regression, and proof that its
metrics can fail (a checker that ignores a rule or invents a finding scores worse exactly there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_paths import CORPUS
from nianbao import CheckConfig, Finding, Report, check
from nianbao.cli import app
from nianbao.evals.checker import (
    CHECKER_CASES_DIR,
    CheckerCase,
    CheckerEvalResult,
    load_checker_cases,
    run_checker_eval,
)
from nianbao.model.finding import Category, Location, Severity


def _corpus_cases() -> bool:
    return CORPUS.is_dir()


@pytest.fixture(scope="module")
def cases() -> list[CheckerCase]:
    return load_checker_cases()


@pytest.fixture(scope="module")
def baseline(cases: list[CheckerCase]) -> CheckerEvalResult:
    result = run_checker_eval(cases, corpus_dir=CORPUS)
    for case_id, why in result.skipped:
        print(f"skipped {case_id}: {why}")  # the reason shows with -s and in the CI log
    return result


def test_cases_are_many_and_varied(cases: list[CheckerCase]) -> None:
    assert len(cases) >= 20
    assert {c.source for c in cases} == {"seed", "corpus", "ours", "generated"}
    assert any(c.previous for c in cases)
    ids = [c.id for c in cases]
    assert ids == sorted(ids)
    assert all(c.path is not None and c.path.stem == c.id for c in cases)


def test_every_case_meets_its_expectations(baseline: CheckerEvalResult) -> None:
    """The CI guard: no miss other than a recorded gap, no false alarm, in any case."""
    problems = [
        f"{m.case}: missed {m.to_json()['description']}; near: {m.near[:3]}"
        for r in baseline.results
        for m in r.new_misses
    ]
    problems += [
        f"{a.case}: false alarm {a.finding.rule} {a.finding.location.describe()} {a.finding.message}"
        for a in baseline.false_alarms
    ]
    assert not problems, "\n".join(problems)
    now_found = [(r.case.id, h.item) for r in baseline.results for h in r.now_found]
    assert not now_found, f"recorded gaps now found: remove their known_miss: {now_found}"


def test_recall_and_precision_thresholds(baseline: CheckerEvalResult) -> None:
    per_category = baseline.per_category()
    for name, counts in per_category.items():
        assert counts.precision in (None, 1.0), name
        if name != "wording":  # the two recorded gaps of shanghai-kewei-2024 are wording
            assert counts.recall in (None, 1.0), name
    total = baseline.total()
    assert total.tp >= (49 if _corpus_cases() else 37)


def test_corpus_cases_skip_with_a_reason_when_absent(cases: list[CheckerCase], tmp_path: Path) -> None:
    result = run_checker_eval([c for c in cases if c.id.startswith("corpus-")], corpus_dir=tmp_path / "none")
    assert result.results == []
    assert len(result.skipped) == 8
    assert all("not found" in why and "../shared" in why for _, why in result.skipped)
    assert result.to_json()["skipped"][0]["reason"]


def test_ignoring_a_rule_lowers_exactly_its_recall(
    cases: list[CheckerCase], baseline: CheckerEvalResult
) -> None:
    broken = run_checker_eval(cases, config=CheckConfig(ignore=frozenset({"T3-BALANCE"})), corpus_dir=CORPUS)
    before, after = baseline.per_rule(), broken.per_rule()
    assert before["T3-BALANCE"].recall == 1.0
    assert after["T3-BALANCE"].tp == 0 and after["T3-BALANCE"].recall == 0.0
    assert after["T3-BALANCE"].misses == before["T3-BALANCE"].tp
    for rule in before:
        if rule != "T3-BALANCE":
            assert after[rule].to_json() == before[rule].to_json(), rule
    cat_before, cat_after = baseline.per_category(), broken.per_category()
    assert cat_after["arithmetic"].recall is not None and cat_before["arithmetic"].recall is not None
    assert cat_after["arithmetic"].recall < cat_before["arithmetic"].recall
    assert cat_after["arithmetic"].precision == 1.0
    for name in cat_before:
        if name != "arithmetic":
            assert cat_after[name].to_json() == cat_before[name].to_json(), name
    missed = {m.case for m in broken.misses if m.rule == "T3-BALANCE"}
    assert {"gen-clean-2024-cell", "gen-city-2025-cell"} <= missed
    assert not broken.false_alarms
    assert "T3-BALANCE" in broken.to_markdown().split("## Misses")[1]


def test_a_spurious_finding_lowers_exactly_its_precision(
    cases: list[CheckerCase], baseline: CheckerEvalResult
) -> None:
    def spurious_check(report: Report, previous: Report | None, config: CheckConfig) -> list[Finding]:
        found = check(report, previous, config)
        return [
            *found,
            Finding(
                rule="TXT-REQUESTS",
                category=Category.TEXT_VS_TABLE,
                severity=Severity.ERROR,
                message="正文称“收到申请99件”，但表三为0。（虚构）",
                location=Location(table="表三"),
                expected=0,
                actual=99,
            ),
        ]

    broken = run_checker_eval(cases, check_fn=spurious_check, corpus_dir=CORPUS)
    assert broken.config["check"] == "spurious_check"
    after, before = broken.per_rule(), baseline.per_rule()
    assert after["TXT-REQUESTS"].false_alarms > 0
    assert after["TXT-REQUESTS"].precision is not None and after["TXT-REQUESTS"].precision < 1.0
    assert after["TXT-REQUESTS"].recall == before["TXT-REQUESTS"].recall == 1.0
    for rule in before:
        if rule != "TXT-REQUESTS":
            assert after[rule].to_json() == before[rule].to_json(), rule
    alarmed = {a.case for a in broken.false_alarms}
    assert {"ours-clean-2024", "seed-lushan-2024", "gen-clean-2024-agency"} <= alarmed
    assert all(a.finding.rule == "TXT-REQUESTS" for a in broken.false_alarms)
    assert "（虚构）" in broken.to_markdown()
    assert not [r for r in broken.results if r.new_misses]


def test_cli_writes_json_and_markdown(tmp_path: Path) -> None:
    out, md = tmp_path / "results.json", tmp_path / "summary.md"
    result = CliRunner().invoke(
        app, ["eval", "checker", "-o", str(out), "--markdown", str(md), "--cases", "gen-clean-2024-*"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["eval"] == "checker" and data["version"]
    assert data["config"]["glob"] == "gen-clean-2024-*"
    assert data["summary"]["cases"] == 7 and data["summary"]["passed"] == 7
    assert data["per_category"]["arithmetic"]["recall"] == 1.0
    assert "T3-BALANCE" in data["per_rule"]
    assert {c["id"] for c in data["cases"]} == {
        p.stem for p in CHECKER_CASES_DIR.glob("gen-clean-2024-*.yaml")
    }
    text = md.read_text(encoding="utf-8")
    assert "## Per category" in text and "| gen-clean-2024-cell |" in text
    assert "gen-clean-2024-cell" in result.output and "precision" in result.output


def test_cli_fails_on_a_failing_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: bad\ntitle: 期望一个不会出现的问题\nsource: ours\nreport: {fixture: clean-2024.txt}\n"
        "expect:\n  - {rule: T3-BALANCE}\n",
        encoding="utf-8",
    )
    import nianbao.evals.checker as mod

    monkeypatch.setattr(mod, "CHECKER_CASES_DIR", tmp_path)
    monkeypatch.setattr(mod.load_checker_cases, "__defaults__", (None, tmp_path))
    result = CliRunner().invoke(app, ["eval", "checker"])
    assert result.exit_code == 1, result.output
    assert "miss" in result.output and "T3-BALANCE" in result.output


def test_a_malformed_case_is_rejected(tmp_path: Path) -> None:
    from nianbao.evals.checker import CheckerCaseError, load_checker_case

    p = tmp_path / "x.yaml"
    p.write_text(
        "id: x\ntitle: t\nsource: ours\nreport: {fixture: clean-2024.txt}\n"
        "expect:\n  - {rule: NO-SUCH-RULE}\n",
        encoding="utf-8",
    )
    with pytest.raises(CheckerCaseError, match="unknown rule"):
        load_checker_case(p)
