"""The JSON contract of ``nianbao check --format json`` (design.md), and the README's copy of it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import nianbao
from nianbao.cli import app
from nianbao.model.finding import Category, Finding, Location
from nianbao.model.report import Level
from nianbao.model.span import Span

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "fixtures" / "lushan-2024.txt")
CLEAN = str(ROOT / "fixtures" / "clean-2024.txt")


def check_json(*paths: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["check", "--format", "json", *paths])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def readme_example() -> dict[str, Any]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## JSON output", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block, "README has no JSON example under '## JSON output'"
    data: dict[str, Any] = json.loads(block.group(1))
    return data


def test_top_level_shape() -> None:
    data = check_json(SEED, CLEAN)
    assert set(data) == {"tool", "reports"}
    assert data["tool"] == {"name": "nianbao", "version": nianbao.__version__}
    for entry in data["reports"]:
        assert list(entry) == ["path", "agency", "year", "level", "notes", "findings"]
        assert entry["level"] in {lv.value for lv in Level}
        assert entry["year"] is None or isinstance(entry["year"], int)


def test_findings_are_model_dumps() -> None:
    data = check_json(SEED)
    findings = data["reports"][0]["findings"]
    assert findings
    for f in findings:
        assert set(f) == set(Finding.model_fields)
        assert set(f["location"]) == set(Location.model_fields)
        if f["location"]["span"] is not None:
            assert set(f["location"]["span"]) == set(Span.model_fields)
        assert Finding.model_validate(f).model_dump(mode="json") == f


def test_same_findings_as_the_library() -> None:
    report = nianbao.read(SEED)
    expected = [f.model_dump(mode="json") for f in nianbao.check(report)]
    assert check_json(SEED)["reports"][0]["findings"] == expected


def test_readme_example_has_the_real_shape() -> None:
    example, real = readme_example(), check_json(SEED)
    assert set(example) == set(real)
    assert set(example["tool"]) == set(real["tool"])
    ex_report, real_report = example["reports"][0], real["reports"][0]
    assert list(ex_report) == list(real_report)
    ex_finding = ex_report["findings"][0]
    assert set(ex_finding) == set(Finding.model_fields)
    assert set(ex_finding["location"]) == set(Location.model_fields)
    assert set(ex_finding["location"]["span"]) == set(Span.model_fields)
    Finding.model_validate(ex_finding)


def test_readme_lists_every_category_and_level() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## JSON output", 1)[1]
    for category in Category:
        assert f"`{category.value}`" in section, category
    for level in Level:
        assert f"`{level.value}`" in section, level
