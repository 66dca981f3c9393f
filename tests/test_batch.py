"""Batch checking: directories, a corrupt file in the middle, the summary files, --previous-dir pairing
by title, and ``nianbao.check_many``."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

import nianbao
from corpus_paths import FIXTURES
from nianbao.batch import CheckResult, Summary, expand_paths, findings_csv_path
from nianbao.cli import app
from nianbao.model.finding import Category, Finding, Severity
from nianbao.render import render_docx

runner = CliRunner()

CLEAN = FIXTURES / "clean-2024.txt"
SEED = FIXTURES / "lushan-2024.txt"
LAST_YEAR = FIXTURES / "clean-2023.txt"


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _truncated_docx(path: Path) -> None:
    data = render_docx(nianbao.read(CLEAN))
    path.write_bytes(data[: len(data) // 2])


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    """Four reports and two corrupt files in the middle (by sorted name), plus files that are skipped."""
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / "a-clean.txt").write_bytes(CLEAN.read_bytes())
    (d / "b-junk.txt").write_bytes(bytes(range(256)) * 20)  # binary junk named .txt
    _truncated_docx(d / "c-truncated.docx")
    (d / "d-seed.txt").write_bytes(SEED.read_bytes())
    (d / "sub" / "e-city.md").write_bytes((FIXTURES / "clean-city-2025.md").read_bytes())
    (d / "sub" / "f-docx.docx").write_bytes(render_docx(nianbao.read(CLEAN)))
    # Not reports: hidden, in a hidden folder, a Word lock file, another suffix.
    (d / ".hidden.txt").write_bytes(SEED.read_bytes())
    (d / ".git" / "x.txt").write_bytes(SEED.read_bytes())
    (d / "~$d-seed.docx").write_bytes(b"lock")
    (d / "notes.yaml").write_text("a: 1", encoding="utf-8")
    return d


def test_directories_expand_to_report_files_sorted(batch_dir: Path) -> None:
    files, empty = expand_paths([batch_dir, SEED])
    names = [p.relative_to(batch_dir).as_posix() for p in files[:-1]]
    assert names == [
        "a-clean.txt",
        "b-junk.txt",
        "c-truncated.docx",
        "d-seed.txt",
        "sub/e-city.md",
        "sub/f-docx.docx",
    ]
    assert files[-1] == SEED
    assert empty == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_corrupt_files_in_the_middle_are_reported_and_the_rest_checked(batch_dir: Path, jobs: str) -> None:
    code, out, err = invoke("check", str(batch_dir), "--jobs", jobs)
    # Findings (exit 1) and unreadable files (exit 2): the highest code wins.
    assert code == 2
    assert "b-junk.txt" in err and "c-truncated.docx" in err
    assert "damaged" in err  # the truncated Word file is reported as such
    for agency in ("泗洪县市场监督管理局", "鲁山县人民政府办公室"):
        assert agency in out
    # The summary table after the per-report output: every file, the unreadable ones marked.
    table = out[out.index("汇总") :]
    for name in ("a-clean.txt", "b-junk.txt", "c-truncated.docx", "d-seed.txt", "e-city.md", "f-docx.docx"):
        assert name in table
    assert table.count("无法读取") == 2
    assert "4份报告合计" in out
    assert ".hidden" not in out + err and "~$" not in out + err


def test_exit_codes_without_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(CLEAN.read_bytes())
    (tmp_path / "b.txt").write_bytes(CLEAN.read_bytes())
    assert invoke("check", str(tmp_path))[0] == 0
    (tmp_path / "c.txt").write_bytes(SEED.read_bytes())
    assert invoke("check", str(tmp_path))[0] == 1
    assert invoke("check", str(tmp_path), "--fail-on", "never")[0] == 0


def test_a_directory_without_reports_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = invoke("check", str(tmp_path / "empty"), str(CLEAN))
    assert code == 2
    assert "no report files" in err
    assert "泗洪县市场监督管理局" in out  # the other input is still checked


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_summary_csv(batch_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.csv"
    target.parent.mkdir()
    code, _, err = invoke("check", str(batch_dir), "--summary", str(target), "--jobs", "2")
    assert code == 2
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    header, *rows = _read_csv(target)
    assert header[0].startswith("path") and header[-2].startswith("status")
    assert [Path(r[0]).name for r in rows] == [
        "a-clean.txt",
        "b-junk.txt",
        "c-truncated.docx",
        "d-seed.txt",
        "e-city.md",
        "f-docx.docx",
    ]
    by_name = {Path(r[0]).name: r for r in rows}
    seed_findings = nianbao.check(nianbao.read(SEED))
    seed = by_name["d-seed.txt"]
    assert seed[1:4] == ["鲁山县人民政府办公室", "2024", "county"]
    assert int(seed[4]) == sum(f.severity is Severity.ERROR for f in seed_findings)
    assert int(seed[5]) == sum(f.severity is Severity.WARNING for f in seed_findings)
    assert int(seed[6]) == sum(f.severity is Severity.INFO for f in seed_findings)
    assert by_name["b-junk.txt"][7].startswith("unreadable") and "binary" in by_name["b-junk.txt"][8]
    assert by_name["c-truncated.docx"][7].startswith("unreadable")
    assert by_name["a-clean.txt"][7].startswith("readable")

    second = findings_csv_path(target)
    assert second == tmp_path / "out" / "summary.findings.csv"
    fheader, *frows = _read_csv(second)
    assert [h.split()[0] for h in fheader] == [
        "path",
        "agency",
        "rule",
        "severity",
        "category",
        "place",
        "message",
        "expected",
        "actual",
    ]
    seed_rows = [r for r in frows if Path(r[0]).name == "d-seed.txt"]
    assert sorted((r[2], r[6]) for r in seed_rows) == sorted((f.rule, f.message) for f in seed_findings)
    assert all(r[1] == "鲁山县人民政府办公室" for r in seed_rows)
    assert "已写入汇总表" in err
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_summary_xlsx(batch_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "summary.xlsx"
    code, _, _ = invoke("check", str(batch_dir), "--summary", str(target))
    assert code == 2
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["reports 报告", "findings 问题"]
    reports = list(book["reports 报告"].iter_rows(values_only=True))
    findings = list(book["findings 问题"].iter_rows(values_only=True))
    assert len(reports) == 1 + 6
    seed = next(r for r in reports if str(r[0]).endswith("d-seed.txt"))
    seed_findings = nianbao.check(nianbao.read(SEED))
    assert seed[1] == "鲁山县人民政府办公室" and seed[2] == 2024
    assert seed[4] == sum(f.severity is Severity.ERROR for f in seed_findings)
    assert sum(str(r[0]).endswith("d-seed.txt") for r in findings[1:]) == len(seed_findings)
    unreadable = [r for r in reports if str(r[7]).startswith("unreadable")]
    assert {Path(str(r[0])).name for r in unreadable} == {"b-junk.txt", "c-truncated.docx"}


def test_xlsx_cells_stay_text(tmp_path: Path) -> None:
    report = nianbao.read(CLEAN)
    finding = Finding(
        rule="T3-BALANCE",
        category=Category.ARITHMETIC,
        severity=Severity.ERROR,
        message="=SUM(A1:A9)\x07 看似公式",
        expected=12,
        actual="=1+1",
    )
    summary = Summary()
    summary.add(CheckResult(path="x.txt", report=report, findings=[finding]))
    summary.write(tmp_path / "s.xlsx")
    row = list(load_workbook(tmp_path / "s.xlsx")["findings 问题"].iter_rows(values_only=True))[1]
    assert row[6] == "=SUM(A1:A9) 看似公式" and row[8] == "=1+1" and row[7] == 12


@pytest.mark.parametrize("name", ["summary.txt", "summary"])
def test_summary_needs_xlsx_or_csv(tmp_path: Path, name: str) -> None:
    code, out, err = invoke("check", str(CLEAN), "--summary", str(tmp_path / name))
    assert code == 2
    assert ".xlsx or .csv" in err
    assert out == ""  # refused before anything was checked


def test_unwritable_summary_is_exit_2(tmp_path: Path) -> None:
    code, out, err = invoke("check", str(CLEAN), "--summary", str(tmp_path / "missing" / "s.csv"))
    assert code == 2
    assert "泗洪县市场监督管理局" in out
    assert "cannot be written" in err


def _previous_dir(tmp_path: Path) -> Path:
    """Last year's reports under misleading names: the 泗洪 2023 report is called 2024-shuyang.txt, and
    sihong-2023.txt is 沭阳's 2023 report (with another carry-over), so pairing by file name goes wrong."""
    previous = tmp_path / "last-year"
    previous.mkdir()
    text = LAST_YEAR.read_text(encoding="utf-8")
    # 结转下年度 3 → 5 in 泗洪's 2023 report: 2024's 上年结转 (3) no longer matches it (XY-CARRY).
    changed = text.replace(
        "四、结转下年度继续办理\t\t\t3\t0\t0\t0\t0\t0\t3", "四、结转下年度继续办理\t\t\t5\t0\t0\t0\t0\t0\t5"
    )
    assert changed != text
    (previous / "2024-shuyang.txt").write_text(changed, encoding="utf-8")
    (previous / "sihong-2023.txt").write_text(text.replace("泗洪县", "沭阳县"), encoding="utf-8")
    (previous / "junk.txt").write_bytes(b"\x00\x01" * 100)
    return previous


def test_previous_dir_pairs_by_title_not_file_name(tmp_path: Path) -> None:
    previous = _previous_dir(tmp_path)
    this_year = tmp_path / "this-year"
    this_year.mkdir()
    (this_year / "shuyang-2023.txt").write_bytes(CLEAN.read_bytes())  # really 泗洪 2024
    (this_year / "lushan.txt").write_bytes(SEED.read_bytes())  # no 鲁山 2023 report in last-year/
    summary = tmp_path / "s.csv"
    code, out, err = invoke(
        "check", str(this_year), "--previous-dir", str(previous), "--summary", str(summary), "--jobs", "2"
    )
    assert code == 1
    rules = {(Path(r[0]).name, r[2]) for r in _read_csv(findings_csv_path(summary))[1:]}
    assert ("shuyang-2023.txt", "XY-CARRY") in rules
    # The unpaired report is a note; the unreadable previous file too; neither stops the batch.
    assert "lushan.txt" in err and "2023" in err and "cross-year rules did not run" in err
    assert "junk.txt" in err
    assert "鲁山县人民政府办公室" in out


def test_previous_and_previous_dir_together_are_refused(tmp_path: Path) -> None:
    code, _, err = invoke("check", str(CLEAN), "--previous", str(LAST_YEAR), "--previous-dir", str(tmp_path))
    assert code == 2
    assert "cannot be used together" in err


def test_check_many_yields_every_file(batch_dir: Path) -> None:
    results = list(nianbao.check_many([batch_dir], jobs=2))
    assert len(results) == 6
    by_name = {Path(r.path).name: r for r in results}
    assert not by_name["b-junk.txt"].readable
    assert isinstance(by_name["b-junk.txt"].error, nianbao.BinaryInputError)
    assert isinstance(by_name["c-truncated.docx"].error, nianbao.CorruptInputError)
    # The error crossed the process boundary with both messages.
    assert "二进制" in by_name["b-junk.txt"].error.message_zh
    seed = by_name["d-seed.txt"]
    assert seed.report is not None and seed.report.metadata.agency == "鲁山县人民政府办公室"
    assert [f.rule for f in seed.findings] == [f.rule for f in nianbao.check(nianbao.read(SEED))]


def test_check_many_with_previous_directory(tmp_path: Path) -> None:
    previous = _previous_dir(tmp_path)
    [result] = nianbao.check_many([CLEAN], previous=previous, jobs=1)
    assert result.previous == str(previous / "2024-shuyang.txt")
    assert "XY-CARRY" in {f.rule for f in result.findings}
    [alone] = nianbao.check_many([CLEAN], previous=LAST_YEAR)
    assert "XY-CARRY" not in {f.rule for f in alone.findings}


def test_results_survive_pickling() -> None:
    error = nianbao.CorruptInputError("bad zip", "文件已损坏", path="x.docx")
    back = pickle.loads(pickle.dumps(CheckResult(path="x.docx", error=error)))
    assert isinstance(back.error, nianbao.CorruptInputError)
    assert (back.error.message_en, back.error.message_zh, back.error.path) == (
        "bad zip",
        "文件已损坏",
        "x.docx",
    )
    other = pickle.loads(pickle.dumps(CheckResult(path="y.txt", error=KeyError("k"))))
    assert isinstance(other.error, nianbao.batch.WorkerError) and "KeyError" in str(other.error)


def test_progress_bar_only_on_a_terminal_and_for_several_files() -> None:
    import io

    from rich.console import Console

    from nianbao.cli_batch import advance, batch_progress

    terminal = Console(file=io.StringIO(), force_terminal=True, width=80)
    with batch_progress(3, terminal) as progress:
        assert progress is not None
        advance(progress, "a/b.txt")
        assert progress.tasks[0].completed == 1 and progress.tasks[0].description == "b.txt"
    with batch_progress(1, terminal) as progress:
        assert progress is None
    log = Console(file=io.StringIO(), force_terminal=False)
    with batch_progress(3, log) as progress:
        assert progress is None
    assert log.file.getvalue() == ""  # type: ignore[attr-defined]


def test_a_bug_on_one_file_is_exit_3_and_the_rest_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(CLEAN.read_bytes())
    real = nianbao.check

    def flaky(report: nianbao.Report, *args: object, **kwargs: object) -> list[Finding]:
        if report.metadata.agency.startswith("鲁山"):
            raise KeyError("boom")
        return real(report, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(nianbao, "check", flaky)
    code, out, err = invoke("check", str(tmp_path), "--jobs", "1")
    assert code == 3
    assert "internal error" in err and "KeyError" in err
    assert "泗洪县市场监督管理局" in out
