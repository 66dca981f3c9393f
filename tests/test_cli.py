"""The command line: output formats, exit codes, --fail-on, --ignore, --previous, rules, --version."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nianbao
from nianbao.cli import app
from nianbao.model.finding import Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "fixtures" / "lushan-2024.txt")
CLEAN = str(ROOT / "fixtures" / "clean-2024.txt")
CLEAN_PREV = str(ROOT / "fixtures" / "clean-2023.txt")

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_seed_has_errors_and_exits_1() -> None:
    code, out, _ = invoke("check", SEED)
    assert code == 1
    assert "鲁山县人民政府办公室" in out
    assert re.search(r"共\d+项：错误[1-9]\d*项，警告\d+项，提示\d+项。", out), out


def test_clean_fixture_exits_0() -> None:
    code, out, _ = invoke("check", CLEAN)
    assert code == 0, out
    assert "未发现问题" in out
    assert "共0项" in out


def test_text_output_groups_by_part_in_order() -> None:
    code, out, _ = invoke("check", SEED)
    titles = [line for line in out.splitlines() if re.match(r"^[一二三四五六]、", line)]
    numbers = "一二三四五六"
    assert titles, out
    assert [numbers.index(t[0]) for t in titles] == sorted(numbers.index(t[0]) for t in titles)
    # every finding line shows severity and rule code
    assert re.search(r"^  (错误|警告|提示) [A-Z0-9]+(-[A-Z0-9]+)+", out, re.M), out


def test_text_output_shows_cell_places(tmp_path: Path) -> None:
    text = (
        Path(CLEAN)
        .read_text(encoding="utf-8")
        .replace("（七）总计\t\t31\t4\t0\t1\t1\t0\t37", "（七）总计\t\t31\t4\t0\t1\t1\t0\t38")
    )
    path = tmp_path / "cell.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = invoke("check", str(path))
    assert code == 1
    assert "表三“（七）总计”行" in out, out
    assert "第64行" in out


def test_json_output_is_the_contract() -> None:
    code, out, _ = invoke("check", "--format", "json", SEED, CLEAN)
    assert code == 1
    data = json.loads(out)
    assert data["tool"] == {"name": "nianbao", "version": nianbao.__version__}
    assert [r["path"] for r in data["reports"]] == [SEED, CLEAN]
    seed = data["reports"][0]
    assert set(seed) == {"path", "agency", "year", "level", "notes", "findings"}
    assert seed["notes"] == []  # the seed is plain text with nothing left out
    assert (seed["agency"], seed["year"], seed["level"]) == ("鲁山县人民政府办公室", 2024, "county")
    assert seed["findings"]
    for f in seed["findings"]:
        assert Finding.model_validate(f).model_dump(mode="json") == f


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("error", 1), ("warning", 1), ("never", 0)],
)
def test_fail_on_with_errors(fail_on: str, expected: int) -> None:
    assert invoke("check", "--fail-on", fail_on, SEED)[0] == expected


def _only_warnings_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_check(report: Report, previous: Report | None = None, config: object = None) -> list[Finding]:
        return [
            Finding(
                rule="XY-STOCK",
                category="cross-year",
                severity=Severity.WARNING,
                message="示例。",
                location=Location(),
            )
        ]

    monkeypatch.setattr(nianbao, "check", fake_check)


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_with_warnings_only(monkeypatch: pytest.MonkeyPatch, fail_on: str, expected: int) -> None:
    _only_warnings_report(monkeypatch)
    assert invoke("check", "--fail-on", fail_on, CLEAN)[0] == expected


def test_ignore_removes_a_rule_and_accepts_commas() -> None:
    _, out, _ = invoke("check", "--format", "json", SEED)
    codes = {f["rule"] for f in json.loads(out)["reports"][0]["findings"]}
    first, *rest = sorted(codes)
    _, out, _ = invoke("check", "--format", "json", "--ignore", first.lower(), SEED)
    after = {f["rule"] for f in json.loads(out)["reports"][0]["findings"]}
    assert first not in after and after == codes - {first}
    if rest:
        _, out, _ = invoke("check", "--format", "json", "--ignore", f"{first},{rest[0]}", SEED)
        assert not {first, rest[0]} & {f["rule"] for f in json.loads(out)["reports"][0]["findings"]}


def test_unknown_ignore_code_exits_2() -> None:
    code, out, err = invoke("check", "--ignore", "NO-SUCH-RULE", CLEAN)
    assert code == 2
    assert "NO-SUCH-RULE" in err and "未知的规则代码" in err
    assert out == ""


def test_bad_option_value_exits_2() -> None:
    code, _, err = invoke("check", "--format", "xml", CLEAN)
    assert code == 2
    assert "xml" in err


def test_previous_runs_cross_year_rules() -> None:
    code, out, _ = invoke("check", "--format", "json", CLEAN, "--previous", CLEAN_PREV)
    assert code == 0, out
    code, out, _ = invoke("check", "--format", "json", CLEAN, "--previous", CLEAN)
    rules = [f["rule"] for f in json.loads(out)["reports"][0]["findings"]]
    assert code == 1 and "XY-YEAR" in rules


def test_internal_error_exits_3_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(report: Report, previous: Report | None = None, config: object = None) -> list[Finding]:
        raise RuntimeError("boom")

    monkeypatch.setattr(nianbao, "check", broken)
    code, _, err = invoke("check", CLEAN)
    assert code == 3
    assert "内部错误" in err and "internal error" in err and "boom" in err


def test_rules_text_lists_every_rule() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    for rule in REGISTRY:
        assert rule in out
    assert f"共{len(REGISTRY)}条规则" in out


def test_rules_json() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    assert code == 0
    rules = json.loads(out)
    assert [r["code"] for r in rules] == sorted(REGISTRY)
    for r in rules:
        assert set(r) == {"code", "name", "category", "severity", "refs", "summary", "doc"}
        assert r["summary"] and r["doc"].startswith(r["summary"])
        assert r["severity"] in {"error", "warning", "info"}


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.strip() == f"nianbao {nianbao.__version__}"


def test_check_help_documents_exit_codes() -> None:
    code, out, _ = invoke("check", "--help")
    assert code == 0
    flat = " ".join(out.split())
    for needle in ("0 =", "1 =", "2 =", "3 =", "--fail-on", "--previous", "--ignore"):
        assert needle in flat, needle


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "check" in result.output and "rules" in result.output


def test_internal_error_while_rendering_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import nianbao.cli as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("render failed")

    monkeypatch.setattr(cli, "render_report", broken)
    code, _, err = invoke("check", CLEAN)
    assert code == 3 and "render failed" in err


def _signed(tmp_path: Path, date: str) -> str:
    """The clean report with a signature (落款) dated ``date``."""
    path = tmp_path / "signed.txt"
    text = Path(CLEAN).read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\n泗洪县市场监督管理局\n{date}\n", encoding="utf-8")
    return str(path)


def _deadline_findings(out: str) -> list[dict[str, object]]:
    return [f for r in json.loads(out)["reports"] for f in r["findings"] if f["rule"] == "TIME-DEADLINE"]


def test_deadline_options_move_the_deadline(tmp_path: Path) -> None:
    path = _signed(tmp_path, "2025年1月20日")
    code, out, _ = invoke("check", path, "--format", "json")
    assert _deadline_findings(out) == []
    code, out, _ = invoke("check", path, "--format", "json", "--deadline", "01-10")
    found = _deadline_findings(out)
    assert len(found) == 1 and "2025年1月10日" in str(found[0]["message"]), found
    assert code == 1


@pytest.mark.parametrize("value", ["13-01", "02-30", "0131", "一月"])
def test_bad_deadline_is_a_clear_error(tmp_path: Path, value: str) -> None:
    code, out, err = invoke("check", CLEAN, "--deadline-gov", value)
    assert code == 2
    assert "--deadline-gov" in err and "月-日" in err and "MM-DD" in err
    assert out == ""


@pytest.mark.parametrize("name", ["out.docx", "out.html", "out.txt"])
def test_render_writes_a_report_that_reads_back(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    code, stdout, err = invoke("render", CLEAN, "-o", str(out))
    assert code == 0, err
    assert "已写入" in err and stdout == ""
    original, rendered = nianbao.read(CLEAN), nianbao.read(out)
    assert rendered.metadata.agency == original.metadata.agency
    for attr in ("table2", "table3", "table4"):
        a, b = getattr(original, attr), getattr(rendered, attr)
        assert {(r, c): cell.raw for r, row in a.rows.items() for c, cell in row.cells.items()} == {
            (r, c): cell.raw for r, row in b.rows.items() for c, cell in row.cells.items()
        }, attr


def test_render_format_from_option_and_errors(tmp_path: Path) -> None:
    out = tmp_path / "page.xyz"
    code, _, err = invoke("render", CLEAN, "-o", str(out))
    assert code == 2 and "--to" in err and not out.exists()
    code, _, err = invoke("render", CLEAN, "-o", str(out), "--to", "html-article")
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith('<div class="article">')
    copy = tmp_path / "copy.txt"
    copy.write_bytes(Path(CLEAN).read_bytes())
    before = copy.read_bytes()
    code, _, err = invoke("render", str(copy), "-o", str(copy))
    assert code == 2 and "不能覆盖" in err and copy.read_bytes() == before
    code, _, err = invoke("render", CLEAN, "-o", str(tmp_path / "missing" / "x.docx"))
    assert code == 2 and "无法写入" in err
    code, _, err = invoke("render", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "文件不存在" in err


def test_reader_notes_are_shown(tmp_path: Path) -> None:
    # Page numbers dropped by the reader are said, in the text output and in JSON, not as findings.
    text = (
        Path(CLEAN)
        .read_text(encoding="utf-8")
        .replace("五、存在的主要问题及改进情况", "- 2 -\n五、存在的主要问题及改进情况")
    )
    path = tmp_path / "paged.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = invoke("check", str(path))
    assert "读取说明：已忽略1处页码行" in out
    code, out, _ = invoke("check", "--format", "json", str(path))
    assert json.loads(out)["reports"][0]["notes"] == ["已忽略1处页码行（如「- 3 -」）"]


def test_damaged_utf8_bytes_are_replaced_and_said(tmp_path: Path) -> None:
    data = Path(CLEAN).read_bytes()
    cut = data.index("本年度".encode()) + 1  # inside a three-byte character
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + data[cut + 1 :])
    code, out, _ = invoke("check", "--format", "json", str(path))
    assert code in (0, 1)
    entry = json.loads(out)["reports"][0]
    assert entry["agency"] == "泗洪县市场监督管理局"
    assert any("无法按utf-8编码解读" in n for n in entry["notes"]), entry["notes"]
