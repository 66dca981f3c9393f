"""The notebook drafting session: examples/drafting.ipynb executed in a real kernel (nbclient) running
this environment's Python, its outputs checked; and the HTML views of nianbao.draft.notebook alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from nianbao.draft import notebook
from nianbao.draft.assemble import assemble, check_draft
from nianbao.draft.model import Removed, draft_report
from nianbao.draft.notes import load_notes
from nianbao.draft.offline import OfflineDrafter
from nianbao.draft.table_data import load_tables
from nianbao.model.finding import Category, Finding, Location, Severity

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "drafting.ipynb"
NOTES = ROOT / "fixtures" / "lushan-2024.notes.yaml"
TABLES = ROOT / "fixtures" / "lushan-2024.tables.yaml"


def _outputs(nb: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code" for o in c.get("outputs", [])]


def _texts(nb: Any, kind: str) -> str:
    out = []
    for _, o in _outputs(nb):
        if kind == "text/html":
            out.append(o.get("data", {}).get("text/html", ""))
        else:
            out.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The example, executed once in a kernel whose spec (installed in a temporary folder, found through
    JUPYTER_PATH) runs this interpreter: the venv's Python, whatever kernels the machine has."""
    prefix = tmp_path_factory.mktemp("kernel")
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", "nianbao-test"],
        check=True,
        capture_output=True,
    )
    share = prefix / "share" / "jupyter"
    spec = (share / "kernels" / "nianbao-test" / "kernel.json").read_text(encoding="utf-8")
    assert Path(sys.executable).as_posix() in spec.replace("\\\\", "/")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(share))
    try:
        nb = nbformat.read(EXAMPLE, as_version=4)
        client = NotebookClient(
            nb, kernel_name="nianbao-test", timeout=120, resources={"metadata": {"path": str(EXAMPLE.parent)}}
        )
        client.execute()
    finally:
        mp.undo()
    return nb


def test_the_example_runs_a_full_offline_session(executed: Any) -> None:
    assert not [o for _, o in _outputs(executed) if o.output_type == "error"]
    notes, tables = load_notes(NOTES), load_tables(TABLES)
    count = sum(len(p.sentences) for p in draft_report(OfflineDrafter(), notes, tables).parts)
    html = _texts(executed, "text/html")
    text = _texts(executed, "text")
    # the draft as HTML: agency, sentence count, sentences coloured by note, note ids on hover
    assert "鲁山县人民政府办公室" in html and f"共{count}句" in html
    assert 'data-notes="active-portal"' in html and notebook.note_colour("active-portal") in html
    # the findings beside the draft and after the edit: zero errors
    assert html.count("错误0项") >= 2 and 'class="sev-error"' not in html
    # the edited note, only its part redrafted
    assert "4376条，其中政策文件156条" in html
    assert "未变： active、requests、review、problems、other" in text
    # the report as HTML (tables folded) and the .docx read back to the same figures
    assert "<details><summary>表三" in html
    assert "same figures: True" in text


def test_the_example_is_stored_without_outputs() -> None:
    nb = nbformat.read(EXAMPLE, as_version=4)
    assert not _outputs(nb), "clear the outputs of examples/drafting.ipynb before committing"


# --- the views alone -------------------------------------------------------------------------------


def _session() -> tuple[Any, Any, Any]:
    notes, tables = load_notes(NOTES), load_tables(TABLES)
    draft = draft_report(OfflineDrafter(), notes, tables)
    return notes, tables, draft


def test_draft_html_colours_sentences_and_lists_unused_and_removed_notes() -> None:
    notes, _, draft = _session()
    draft.removed.append(Removed(text="指导舞钢市<开展>活动。", reason="place: 地名", part="overview"))
    draft.unused_notes = ["proposals"]
    html = notebook.draft_html(draft, notes)
    assert notebook.note_colour("p-columns") != notebook.note_colour("m-columns")
    assert notebook.note_colour("fee") == notebook.note_colour("fee")  # stable
    assert 'title="p-columns: 个别栏目未能严格按照' in html
    assert "未使用的笔记 Unused notes（1）" in html and "承办的人大代表建议" in html
    assert "已删除的句子 Removed sentences（1）" in html and "指导舞钢市&lt;开展&gt;活动。" in html  # escaped
    assert 'class="s bare"' in html  # a template sentence resting on no note is marked
    assert "（一）主动公开情况。" in html


def test_findings_html_and_finding_list() -> None:
    finding = Finding(
        rule="ID-FOREIGN-PLACE",
        category=Category.IDENTITY,
        severity=Severity.ERROR,
        message="正文出现其他地方的地名「舞钢市」",
        location=Location(part="overview"),
    )
    note = finding.model_copy(update={"severity": Severity.INFO, "rule": "X-INFO", "message": "<提示>"})
    html = notebook.findings_html([note, finding])
    assert "错误1项，警告0项，提示1项" in html and "ID-FOREIGN-PLACE" in html and "一、总体情况" in html
    assert html.index("ID-FOREIGN-PLACE") < html.index("X-INFO")  # errors first
    assert "&lt;提示&gt;" in html
    empty = notebook.FindingList()
    assert "错误0项" in empty._repr_html_() and "未发现问题" in empty._repr_html_()
    assert notebook.FindingList([finding]).errors == [finding]


def test_report_html_and_show() -> None:
    notes, tables, draft = _session()
    report = assemble(draft, notes, tables)
    read_back, findings = check_draft(report)
    html = notebook.report_html(report, findings=findings)
    assert "单位：鲁山县人民政府办公室" in html and "<h4>五、存在的主要问题及改进情况</h4>" in html
    assert html.count("<details>") == 3 and "错误0项" in html
    assert "HTML(" in repr(notebook.show(report)) and notebook.show(draft)._repr_html_().startswith("<div")
    with pytest.raises(TypeError):
        notebook.show(42)


def test_enable_registers_formatters() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert notebook.enable(shell)
        notes, tables, draft = _session()
        fmt = shell.display_formatter.formatters["text/html"]
        assert "共" in fmt(draft) and "错误0项" in fmt(notebook.FindingList())
        assert fmt([1, 2]) is None  # other lists keep their plain repr
        assert "单位：" in fmt(assemble(draft, notes, tables))
    finally:
        InteractiveShell.clear_instance()
    assert notebook.enable() is False  # no IPython running: nothing to register
