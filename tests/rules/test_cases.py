"""Table-driven rule cases (one YAML file per rule under tests/rules/cases/), as sqlfluff does.

Case file format::

    rule: T3-BALANCE
    cases:
      - name: the clean fixture passes
        base: clean-2024.txt            # a file under fixtures/ …
        expect: []                      # … no finding of this rule
      - name: a changed cell fires
        base: clean-2024.txt
        replace:                        # exact substitutions applied in order; `old` must occur
          - ["old text", "new text"]
        text: "…"                       # instead of base: the whole report inline
        previous: {base: …, replace: …} # optional: last year's report, same keys
        config: {similarity_threshold: 0.6}   # optional CheckConfig fields
        expect:                         # one entry per finding of this rule, any order
          - severity: error             # every key optional
            line: 41
            table: 表三
            row: 一、本年新收政府信息公开申请数量
            column: 总计
            expected: 33
            actual: 34
            message_contains: ["表三"]

Only findings of the file's rule are compared, and their number must equal ``len(expect)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import nianbao
from nianbao.model.finding import Finding
from nianbao.parse import parse
from nianbao.read import read_text
from nianbao.rules import CheckConfig

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "rules" / "cases").glob("*.yml"))


def build_text(spec: dict[str, Any]) -> str:
    """The report text a case describes (base file or inline text, then replacements)."""
    if "text" in spec:
        text = str(spec["text"])
    else:
        text = (ROOT / "fixtures" / spec["base"]).read_text(encoding="utf-8")
    for old, new in spec.get("replace", []):
        assert old in text, f"replacement source not found: {old!r}"
        text = text.replace(old, new)
    return text


def report_of(spec: dict[str, Any]) -> nianbao.Report:
    return parse(read_text(build_text(spec), path=spec.get("base", "<case>")))


def _matches(f: Finding, exp: dict[str, Any]) -> bool:
    span = f.location.span
    checks: list[bool] = []
    for key, want in exp.items():
        if key == "severity":
            checks.append(f.severity.value == want)
        elif key == "line":
            checks.append(span is not None and span.line == want)
        elif key == "col":
            checks.append(span is not None and span.column == want)
        elif key in ("table", "row", "column", "part"):
            checks.append(getattr(f.location, key) == want)
        elif key in ("expected", "actual"):
            checks.append(str(getattr(f, key)) == str(want))
        elif key == "message_contains":
            checks.append(all(s in f.message for s in ([want] if isinstance(want, str) else want)))
        else:
            raise AssertionError(f"unknown expectation key {key!r}")
    return all(checks)


def _load() -> list[Any]:
    params = []
    for path in CASES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}::{case['name']}"))
    return params


def test_every_rule_has_cases() -> None:
    covered = {yaml.safe_load(p.read_text(encoding="utf-8"))["rule"] for p in CASES}
    missing = sorted(set(nianbao.rules.REGISTRY) - covered)
    assert not missing, f"rules without a case file: {missing}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_file_has_firing_and_quiet_cases(path: Path) -> None:
    """Every rule has reports where it fires and reports where it must not."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    assert any(c.get("expect") for c in cases), f"{path.name}: no case where the rule fires"
    assert any(not c.get("expect") for c in cases), f"{path.name}: no case where the rule must not fire"


@pytest.mark.parametrize(("rule", "case"), _load())
def test_rule_case(rule: str, case: dict[str, Any]) -> None:
    report = report_of(case)
    previous = report_of(case["previous"]) if "previous" in case else None
    config = CheckConfig(**case.get("config", {}))
    findings = [f for f in nianbao.check(report, previous=previous, config=config) if f.rule == rule]
    expect: list[dict[str, Any]] = case.get("expect") or []
    shown = "\n".join(f"  {f.severity.value} {f.location.describe()} {f.message}" for f in findings)
    assert len(findings) == len(expect), f"{len(findings)} findings of {rule}, expected {len(expect)}:\n{shown}"
    unmatched = list(findings)
    for exp in expect:
        hit = next((f for f in unmatched if _matches(f, exp)), None)
        assert hit is not None, f"no finding matches {exp}; findings:\n{shown}"
        unmatched.remove(hit)
