"""`nianbao draft`: writes a checked report (.docx/.md/.txt), refuses bad input before drafting (exit 2,
no file), writes a draft with errors only with --force, checks 上年结转 against --previous; the .docx reads
back to the same figures and opens in LibreOffice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner

import nianbao
from nianbao.cli import app
from nianbao.draft.table_data import load_tables
from nianbao.model.template import T2_ROW_COLUMNS, T3_COL_KEYS, T3_ROW_KEYS, T4_FIELDS, T4_GROUPS
from office import soffice_convert

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "fixtures" / "lushan-2024.notes.yaml"
TABLES = ROOT / "fixtures" / "lushan-2024.tables.yaml"
AGENCY = "鲁山县人民政府办公室"

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["draft", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_model_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NIANBAO_BASE_URL", "OPENAI_BASE_URL", "NIANBAO_MODEL", "OPENAI_MODEL", "NIANBAO_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("draft") / "lushan-2024.docx"
    code, stdout, stderr = invoke(NOTES, "--tables", TABLES, "-o", out)
    assert code == 0, stdout + stderr
    assert "共0项：错误0项，警告0项，提示0项。" in stdout
    assert f"已写入{out}" in stderr
    return out


def test_docx_reads_back_to_the_same_figures(seed_docx: Path) -> None:
    report = nianbao.read(seed_docx)
    tables = load_tables(TABLES)
    assert report.metadata.agency == AGENCY and report.metadata.year == 2024
    assert report.table2 is not None and report.table3 is not None and report.table4 is not None
    for row, cols in T2_ROW_COLUMNS.items():
        for col, _label in cols:
            assert report.table2.value(row, col) == tables.t2(row, col), (row, col)
    for row in T3_ROW_KEYS:
        for col in T3_COL_KEYS:
            assert report.table3.value(row, col) == tables.t3(row, col), (row, col)
    for group, _ in T4_GROUPS:
        for field, _ in T4_FIELDS:
            assert report.table4.value(group, field) == tables.t4(group, field)
    assert nianbao.check(report) == []
    assert [p.key for p in report.parts] == ["overview", "active", "requests", "review", "problems", "other"]


def test_docx_opens_in_libreoffice(seed_docx: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    pdf = soffice_convert(soffice, tmp_path / "lo", seed_docx, "pdf", tmp_path / "out")
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    # What LibreOffice read (its own flat ODF; the PDF's text depends on the CJK fonts installed): the
    # title, every part heading and the three tables with their figures.
    flat = soffice_convert(soffice, tmp_path / "lo", seed_docx, "fodt", tmp_path / "out")
    root = etree.parse(str(flat)).getroot()
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    text = "".join(root.itertext())
    assert f"{AGENCY}2024年政府信息公开工作年度报告" in text
    for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert heading in text
    tables = root.findall(".//table:table", ns)
    assert len(tables) == 3
    assert "199" in "".join(tables[0].itertext()) and "20" in "".join(tables[1].itertext())


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_text_outputs_and_tables_found_beside_the_notes(tmp_path: Path, suffix: str) -> None:
    notes = tmp_path / "x.notes.yaml"
    shutil.copy(NOTES, notes)
    shutil.copy(TABLES, tmp_path / "x.tables.yaml")
    out = tmp_path / f"draft{suffix}"
    code, stdout, _ = invoke(notes, "-o", out)
    assert code == 0, stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"{AGENCY}2024年政府信息公开工作年度报告")
    assert nianbao.check(nianbao.read(out)) == []


def test_json_output(tmp_path: Path) -> None:
    out = tmp_path / "d.md"
    code, stdout, _ = invoke(NOTES, "--tables", TABLES, "-o", out, "--format", "json")
    assert code == 0
    payload = json.loads(stdout)
    assert payload["tool"]["name"] == "nianbao"
    [entry] = payload["reports"]
    assert entry["agency"] == AGENCY and entry["findings"] == []
    assert payload["draft"] == {
        "output": str(out),
        "written": True,
        "drafter": "offline",
        "unused_notes": [],
        "removed": [],
        "messages": [],
    }


def _notes_with(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load(NOTES.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "n.notes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_notes_with_a_sum_that_does_not_add_up(tmp_path: Path) -> None:
    def bad_sum(data: dict) -> None:
        data["notes"]["主动公开"][0]["figures"] = {"total": 4376, "parts": [4000, 300]}

    out = tmp_path / "out.docx"
    code, stdout, stderr = invoke(_notes_with(tmp_path, bad_sum), "--tables", TABLES, "-o", out)
    assert code == 2 and not out.exists() and stdout == ""
    assert "（要点 active-portal）：分项之和与总数不符：4000 + 300 = 4300，但总数为4376。" in stderr
    assert "the parts do not add up" in stderr


def test_notes_missing_a_required_topic(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(
        _notes_with(tmp_path, lambda d: d["notes"].pop("政府信息管理")), "--tables", TABLES, "-o", out
    )
    assert code == 2 and not out.exists()
    assert "缺少必备主题「政府信息管理」的要点" in stderr and "missing required topic" in stderr


def test_table_file_with_a_bad_label(tmp_path: Path) -> None:
    tables = tmp_path / "t.yaml"
    tables.write_text(
        TABLES.read_text(encoding="utf-8").replace("（一）予以公开:", "予以公开数量:"), encoding="utf-8"
    )
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(NOTES, "--tables", tables, "-o", out)
    assert code == 2 and not out.exists()
    assert "未知的行标签「予以公开数量」，是否应为「（一）予以公开」？" in stderr


def test_table_file_with_a_wrong_sum(tmp_path: Path) -> None:
    tables = tmp_path / "t.yaml"
    tables.write_text(
        TABLES.read_text(encoding="utf-8").replace(
            "{自然人: 8, 商业企业: 2, 其他: 1, 总计: 11}", "{自然人: 8, 商业企业: 2, 其他: 1, 总计: 12}"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(NOTES, "--tables", tables, "-o", out)
    assert code == 2 and not out.exists()
    assert "T3-ROW-TOTAL" in stderr and "（一）予以公开" in stderr


def test_force_writes_a_draft_with_errors(tmp_path: Path) -> None:
    notes = _notes_with(
        tmp_path,
        lambda d: d["notes"]["依申请公开"].append({"id": "wrong", "text": "全年共办理依申请公开25件。"}),
    )
    out = tmp_path / "out.docx"
    code, stdout, stderr = invoke(notes, "--tables", TABLES, "-o", out)
    assert code == 2 and not out.exists()
    assert "TXT-REQUESTS" in stdout and "未写入" in stderr and "--force" in stderr
    code, stdout, stderr = invoke(notes, "--tables", TABLES, "-o", out, "--force")
    assert code == 1 and out.is_file()
    assert "TXT-REQUESTS" in stdout and f"已写入{out}" in stderr


def _previous(tmp_path: Path, carry_out: int) -> Path:
    """Last year's report of the same office, drafted from the seed notes with 2023 tables."""
    notes = _notes_with(tmp_path, lambda d: d.update(year=2023))
    tables = tmp_path / "t2023.yaml"
    tables.write_text(
        "表二: {}\n表三:\n"
        f"  本年新收: {{自然人: {3 + carry_out}}}\n  予以公开: {{自然人: 3}}\n"
        f"  结转下年度继续办理: {{自然人: {carry_out}}}\n表四: {{}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "lushan-2023.txt"
    code, stdout, _ = invoke(notes, "--tables", tables, "-o", out)
    assert code == 0, stdout
    return out


def test_previous_carry_over_mismatch(tmp_path: Path) -> None:
    previous = _previous(tmp_path, carry_out=2)
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(NOTES, "--tables", TABLES, "--previous", previous, "-o", out)
    assert code == 2 and not out.exists()
    assert (
        "表三“二、上年结转政府信息公开申请数量”为0件，但2023年度报告表三“四、结转下年度继续办理”为2件"
        in stderr
    )
    assert "--force" in stderr
    code, stdout, _ = invoke(NOTES, "--tables", TABLES, "--previous", previous, "-o", out, "--force")
    # drafted anyway; the cross-year rule reports it as an error, so the file is written only with --force
    assert code == 1 and out.is_file() and "XY-CARRY" in stdout


def test_previous_that_matches(tmp_path: Path) -> None:
    previous = _previous(tmp_path, carry_out=0)
    out = tmp_path / "out.docx"
    code, stdout, stderr = invoke(NOTES, "--tables", TABLES, "--previous", previous, "-o", out)
    assert code == 0 and out.is_file(), stdout + stderr
    assert "上年度报告的单位" not in stderr


def test_previous_of_another_agency_is_named(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(
        NOTES, "--tables", TABLES, "--previous", ROOT / "fixtures" / "clean-2023.txt", "-o", out
    )
    assert "上年度报告的单位是“泗洪县市场监督管理局”" in stderr
    # its 结转下年度 is not ours either: stopped before drafting
    assert code == 2 and not out.exists()


def test_bad_options(tmp_path: Path) -> None:
    code, _, stderr = invoke(NOTES, "--tables", TABLES, "-o", tmp_path / "out.pdf")
    assert code == 2 and ".docx、.md 或 .txt" in stderr
    code, _, stderr = invoke(NOTES, "--tables", TABLES, "-o", NOTES)
    assert code == 2
    lonely = tmp_path / "lonely.notes.yaml"
    shutil.copy(NOTES, lonely)
    code, _, stderr = invoke(lonely, "-o", tmp_path / "out.docx")
    assert code == 2 and "--tables" in stderr
    code, _, stderr = invoke(tmp_path / "missing.yaml", "--tables", TABLES, "-o", tmp_path / "o.md")
    assert code == 2 and "文件不存在" in stderr


def test_model_without_an_endpoint_is_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    code, _, stderr = invoke(NOTES, "--tables", TABLES, "-o", out, "--model", "qwen")
    assert code == 2 and not out.exists()
    assert "NIANBAO_BASE_URL" in stderr
    code, _, stderr = invoke(NOTES, "--tables", TABLES, "-o", out, "--model", "qwen", "--offline")
    assert code == 2 and "不能同时使用" in stderr


def test_model_drafter_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--model drafts the parts with notes through the loopback server; the parts without notes (二三四)
    fall back to the offline drafter; the draft is checked and written like an offline one."""
    from extract_helpers import model_env
    from fake_openai import FakeOpenAI
    from llm_helpers import reply
    from nianbao.draft.notes import load_notes

    notes = load_notes(NOTES)

    def verbatim(part: str) -> dict[str, object]:
        return {"sentences": [{"text": n.text, "notes": [n.id]} for n in notes.by_part(part)]}

    problems = {
        "sentences": [
            *(
                {"text": f"针对上年度“{p.text}”的问题，{p.done}", "notes": [p.id]}
                for p in notes.prior_problems
            ),
            *(
                s
                for p in notes.problems
                for s in (
                    {"text": p.text, "notes": [p.id]},
                    *({"text": m.text, "notes": [m.id]} for m in notes.measures_for(p.id)),
                )
            ),
        ]
    }
    script = [
        reply("md_json", verbatim("overview")),
        reply("md_json", problems),
        reply("md_json", verbatim("other")),
    ]
    out = tmp_path / "model.docx"
    with FakeOpenAI(script) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url, mode="md_json")
        code, stdout, stderr = invoke(
            NOTES, "--tables", TABLES, "-o", out, "--model", "fake-model", "--format", "json"
        )
    payload = json.loads(stdout)
    assert payload["draft"]["drafter"] == "model:fake-model", stderr
    assert payload["draft"]["removed"] == []
    errors = [f["rule"] for f in payload["reports"][0]["findings"] if f["severity"] == "error"]
    assert code == 0 and errors == [] and out.is_file(), (errors, stderr)
    assert len(srv.requests) == 3
