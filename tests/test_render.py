"""Rendering a Report in the official 2021 layout: the shared grid, Word, HTML and text.

The Word tables are compared with ``../shared/corpus/template-2021.docx`` (merged regions and label
texts); the fixtures are rendered to every format and read back cell by cell.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.table import Table
from lxml import etree
from lxml import html as lxml_html

import nianbao
from corpus_paths import FIXTURES
from nianbao.model.cell import Cell, CellKind
from nianbao.model.report import Report
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import (
    PARTS,
    T2_ROWS,
    T3_COLUMNS,
    T3_NOTE,
    T3_ROWS,
    T4_FIELDS,
    T4_GROUPS,
)
from nianbao.render import (
    blocks,
    build_docx,
    render_docx,
    render_html,
    render_html_article,
    render_text,
    report_title,
    write_docx,
)
from nianbao.render.layout import Grid, grid_table2, grid_table3, grid_table4

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIXTURE_NAMES = ("clean-2024.txt", "clean-2023.txt", "clean-city-2025.md", "lushan-2024.txt")


def _blank_tables() -> Report:
    return Report(table2=Table2(), table3=Table3(), table4=Table4())


def _with_cells(report: Report, raw: Callable[[str, str, str], str]) -> Report:
    """A copy of ``report`` whose every table cell holds ``raw(table, row, column)``."""
    out = report.model_copy(deep=True)
    for name in ("table2", "table3", "table4"):
        table = getattr(out, name)
        for rkey, row in table.rows.items():
            for ckey, cell in row.cells.items():
                row.cells[ckey] = Cell(raw=raw(name, rkey, ckey), kind=CellKind.INVALID, unit=cell.unit)
    return out


def _word(report: Report) -> WordDocument:
    return docx.Document(io.BytesIO(render_docx(report)))


# --- the shared layout -------------------------------------------------------------------------


def _covered(grid: Grid) -> list[list[int]]:
    """How many origins cover each place of the grid (must be exactly one everywhere)."""
    count = [[0] * grid.n_cols for _ in range(grid.n_rows)]
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                count[r][c] += 1
    return count


@pytest.mark.parametrize(
    ("build", "shape"), [(grid_table2, (14, 4)), (grid_table3, (28, 10)), (grid_table4, (4, 15))]
)
def test_grids_tile_the_table_exactly_once(build: Callable[[None], Grid], shape: tuple[int, int]) -> None:
    grid = build(None)
    assert (grid.n_rows, grid.n_cols) == shape
    assert all(n == 1 for row in _covered(grid) for n in row)
    assert len(grid.widths) == grid.n_cols


def test_every_template_label_is_in_the_grids() -> None:
    texts2 = {c.text for c in grid_table2(None).cells}
    texts3 = {c.text for c in grid_table3(None).cells}
    texts4 = {c.text for c in grid_table4(None).cells}
    assert {item for _, item, _, _ in T2_ROWS} | {label for _, _, label, _ in T2_ROWS} <= texts2
    assert {label for *_, cols in T2_ROWS for _, label in cols} | {"信息内容"} <= texts2
    assert {r.label for r in T3_ROWS} | {p for r in T3_ROWS for p in r.path} <= texts3
    assert {label for _, label in T3_COLUMNS} | {T3_NOTE, "申请人情况", "法人或其他组织"} <= texts3
    assert {label for _, label in T4_FIELDS} <= texts4
    assert {"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"} <= texts4
    assert len(T4_GROUPS) * len(T4_FIELDS) == sum(1 for c in grid_table4(None).cells if c.role == "value")


def test_table3_merges_follow_the_template_hierarchy() -> None:
    grid = grid_table3(None)
    by_text = {(c.text, c.row): c for c in grid.cells}
    note = by_text[(T3_NOTE, 0)]
    assert (note.rowspan, note.colspan) == (3, 3)
    result = next(c for c in grid.cells if c.text == "三、本年度办理结果")
    assert (result.row, result.rowspan, result.col) == (5, 22, 0)
    deny = next(c for c in grid.cells if c.text == "（三）不予公开")
    assert (deny.rowspan, deny.col) == (8, 1)
    other = next(c for c in grid.cells if c.text == "（六）其他处理")
    assert (other.rowspan, other.col) == (3, 1)
    new = next(c for c in grid.cells if c.text.startswith("一、本年新收"))
    assert (new.col, new.colspan) == (0, 3)
    total = next(c for c in grid.cells if c.text == "（七）总计")
    assert (total.col, total.colspan) == (1, 2)


def test_value_cells_hold_the_raw_text_as_written() -> None:
    raws = ("0", "/", "—", "", "12", "3.5", "无", " 7 ")
    counter = iter(range(10_000))
    report = _with_cells(_blank_tables(), lambda t, r, c: raws[next(counter) % len(raws)])
    for name, build in (("table2", grid_table2), ("table3", grid_table3), ("table4", grid_table4)):
        table = getattr(report, name)
        values = [c.text for c in build(table).cells if c.role == "value"]
        # Template order on both sides: rows top to bottom, columns left to right.
        assert values == [cell.raw.strip() for _, _, cell in table.iter_cells()]
        assert set(values) == {r.strip() for r in raws}


def test_title_falls_back_to_agency_and_year() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    assert report_title(report) == report.metadata.title
    bare = report.model_copy(update={"metadata": report.metadata.model_copy(update={"title": ""})})
    assert report_title(bare) == "泗洪县市场监督管理局2024年政府信息公开工作年度报告"


def test_blocks_put_each_table_in_its_part() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    layout = blocks(report)
    kinds = [(b.kind, b.grid.key if b.grid else b.text[:6]) for b in layout]
    headings = [i for i, (kind, _) in enumerate(kinds) if kind == "heading"]
    assert [layout[i].text for i in headings] == [p.heading for p in PARTS]
    for table, part in (("table2", 1), ("table3", 2), ("table4", 3)):
        assert kinds[headings[part] + 1] == ("table", table)
    # Sub-headings that go on with text keep the text in one paragraph, the heading part marked.
    leads = [b for b in layout if b.lead]
    assert leads and all(b.text[: b.lead].startswith("（") and b.text[b.lead - 1] == "。" for b in leads)


def test_a_report_loaded_from_json_lays_out_the_same() -> None:
    """Blocks do not depend on object identity (JSON gives separate copies of shared headings)."""
    for name in FIXTURE_NAMES:
        report = nianbao.read(FIXTURES / name)
        again = Report.model_validate_json(report.model_dump_json())
        assert blocks(again) == blocks(report), name


def test_stand_alone_sub_headings_sit_between_their_paragraphs(tmp_path: Path) -> None:
    text = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
    text = text.replace("（二）存在的主要问题。", "（二）存在的主要问题\n\n")  # heading on a line of its own
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = nianbao.read(path)
    layout = [(b.kind, b.text[:8]) for b in blocks(report)]
    sub = layout.index(("subheading", "（二）存在的主要"))
    assert layout[sub - 1] == ("text", "（一）2023年")
    assert layout[sub + 1] == ("text", "一是部分业务科室")
    assert "。\n\n（二）存在的主要问题\n\n一是部分业务科室" in render_text(report)


def test_a_table_without_its_part_heading_is_still_drawn() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    without = report.model_copy(update={"parts": [p for p in report.parts if p.key != "requests"]})
    keys = [b.grid.key for b in blocks(without) if b.grid is not None]
    assert keys == ["table2", "table3", "table4"]


# --- Word ----------------------------------------------------------------------------------------


def _regions(table: Table) -> list[tuple[tuple[int, int], ...]]:
    """Merged regions of a Word table as sorted grid positions (python-docx repeats a merged cell)."""
    places: dict[object, list[tuple[int, int]]] = {}
    width = len(table.columns)
    for i, cell in enumerate(table._cells):  # table.cell(r, c) rebuilds this list on every call
        places.setdefault(cell._tc, []).append(divmod(i, width))
    return sorted(tuple(v) for v in places.values() if len(v) > 1)


def test_word_tables_have_the_template_merges_and_labels(corpus: Path) -> None:
    template = docx.Document(str(corpus / "template-2021.docx"))
    ours = _word(_blank_tables())
    assert len(ours.tables) == len(template.tables) == 3
    for theirs, mine in zip(template.tables, ours.tables, strict=True):
        assert (len(mine.rows), len(mine.columns)) == (len(theirs.rows), len(theirs.columns))
        assert _regions(mine) == _regions(theirs)
        # The template pads empty cells with 「　」 and breaks long labels over lines.
        want = [re.sub(r"\s", "", cell.text) for cell in theirs._cells]
        assert [cell.text for cell in mine._cells] == want


def test_word_document_reads_in_order_with_raw_cells() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    word = _word(report)
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == report.metadata.title
    assert [t for t in texts if t in {p.heading for p in PARTS}] == [p.heading for p in PARTS]
    assert [p.text for p in report.paragraphs()] == [
        t for t in texts if t in {p.text for p in report.paragraphs()}
    ]
    t3 = word.tables[1]
    total = 3 + [r.key for r in T3_ROWS].index("total")
    assert [t3.cell(total, c).text for c in range(3, 10)] == [
        report.table3.cell("total", k).raw
        for k, _ in T3_COLUMNS  # type: ignore[union-attr]
    ]
    assert t3.cell(total, 1).text == t3.cell(total, 2).text == "（七）总计"


def test_word_page_styles_and_fonts() -> None:
    word = _word(nianbao.read(FIXTURES / "clean-2024.txt"))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    styles = word.styles.element
    fonts = {s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}rFonts") for s in styles.iter(f"{W}style")}
    fonts["defaults"] = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    expected = {
        "defaults": "仿宋_GB2312",
        "Normal": "仿宋_GB2312",
        "Heading1": "黑体",
        "Heading2": "楷体_GB2312",
    }
    for name, east_asia in expected.items():
        assert fonts[name].get(f"{W}eastAsia") == east_asia, name
        assert fonts[name].get(f"{W}ascii") == "Times New Roman", name
        # A theme font on the same element would override the named one in Word.
        assert not [a for a in fonts[name].attrib if a.endswith(("Theme", "theme"))], name
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    title = word.paragraphs[0]
    assert title.alignment == 1  # centred
    assert title.runs[0].font.size is not None and title.runs[0].font.size.pt == 22
    assert title.runs[0]._r.rPr.rFonts.get(f"{W}eastAsia") == "方正小标宋简体"
    for table in word.tables:
        assert table.style is not None and table.style.name == "Table Grid"
        run = next(r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs)
        assert run._r.rPr.rFonts.get(f"{W}eastAsia") == "宋体"
    # The inline sub-heading of 「（一）主动公开情况。全年…」 is set in 楷体 within the body paragraph.
    lead = next(p for p in word.paragraphs if p.text.startswith("（一）主动公开情况。"))
    assert lead.runs[0].text == "（一）主动公开情况。"
    assert lead.runs[0]._r.rPr.rFonts.get(f"{W}eastAsia") == "楷体_GB2312"
    assert lead.runs[1]._r.rPr is None  # the rest in the body font (Normal style)


def test_word_cells_are_valid_xml_in_schema_order() -> None:
    """w:tcPr children in the order CT_TcPr requires (Word refuses files that break it)."""
    order = ["tcW", "gridSpan", "vMerge", "vAlign"]
    word = _word(nianbao.read(FIXTURES / "clean-2024.txt"))
    for table in word.tables:
        for tc in table._tbl.iter(f"{W}tc"):
            names = [etree.QName(child).localname for child in tc.tcPr]
            assert names == [n for n in order if n in names]
            assert tc[0].tag == f"{W}tcPr" and tc[-1].tag == f"{W}p"


def test_word_output_is_deterministic(tmp_path: Path) -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    first = render_docx(report)
    assert render_docx(report) == first
    write_docx(report, tmp_path / "r.docx")
    assert (tmp_path / "r.docx").read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = build_docx(report).core_properties
    assert (props.author, props.title) == ("nianbao", report.metadata.title)
    other = render_docx(report.model_copy(update={"preamble": report.preamble[:0]}))
    assert other != first  # the bytes depend on the report, not only on the template


def test_word_converts_with_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot check that Word output converts to PDF")
    path = tmp_path / "report.docx"
    write_docx(nianbao.read(FIXTURES / "clean-2024.txt"), path)
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


# --- HTML ----------------------------------------------------------------------------------------


def test_html_page_is_standalone_utf8_with_merged_headers() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    page = render_html(report)
    root = lxml_html.document_fromstring(page.encode("utf-8"))
    assert root.find(".//meta").get("charset") == "utf-8"
    assert root.findtext(".//title") == report.metadata.title
    article = root.find(".//div[@class='article']")
    assert article is not None and article.findtext("h1") == report.metadata.title
    assert [h.text for h in article.findall("h2")] == [p.heading for p in PARTS]
    tables = article.findall("table")
    assert len(tables) == 3
    note = tables[1].find("tr/th")
    assert (note.text, note.get("rowspan"), note.get("colspan")) == (T3_NOTE, "3", "3")
    result = next(th for th in tables[1].iter("th") if th.text == "三、本年度办理结果")
    assert result.get("rowspan") == "22"
    review = tables[2].find("tr/th")
    assert (review.text, review.get("colspan")) == ("行政复议", "5")
    # Cell classes never name page furniture (readers drop class="header" regions as boilerplate).
    assert not any("header" in (el.get("class") or "") for el in article.iter())


def test_html_escapes_text_and_the_article_is_a_fragment() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    nasty = "<script>alert(1)</script> & “引号” <b>"
    para = report.preamble[0].model_copy(update={"text": nasty})
    report = report.model_copy(update={"preamble": [para]})
    report = _with_cells(report, lambda t, r, c: "<1>&" if (r, c) == ("reg", "issued") else "0")
    page = render_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;1&gt;&amp;" in page
    root = lxml_html.document_fromstring(page.encode("utf-8"))
    assert root.find(".//div[@class='article']/p").text_content() == nasty
    article = render_html_article(report)
    assert article.startswith('<div class="article">') and "<html" not in article and "<head" not in article


# --- text ----------------------------------------------------------------------------------------


def test_text_of_a_clean_fixture_is_the_fixture_but_for_repeated_row_labels() -> None:
    """The clean fixture is already in the rendered form; the renderer only repeats a row label over
    the label columns it spans (「三、本年度办理结果\t（一）予以公开\t（一）予以公开\t…」)."""
    source = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
    rendered = render_text(nianbao.read(FIXTURES / "clean-2024.txt"))
    src_lines, out_lines = source.splitlines(), rendered.splitlines()
    assert len(src_lines) == len(out_lines)
    changed = [(a, b) for a, b in zip(src_lines, out_lines, strict=True) if a != b]
    assert len(changed) == 6  # 一、二、（一）、（二）、（七）总计、四、
    for before, after in changed:
        cells_before, cells_after = before.split("\t"), after.split("\t")
        assert len(cells_before) == len(cells_after) == 10
        assert cells_before[3:] == cells_after[3:]
        first = max(i for i in range(3) if cells_before[i])  # the row's own label
        label = cells_before[first]
        assert cells_after[:3] == [*cells_before[:first], *[label] * (3 - first)]


def test_text_keeps_paragraphs_and_cells_on_their_lines() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    para = report.preamble[0].model_copy(update={"text": "第一行\t含制表符\n第二行"})
    report = _with_cells(
        report.model_copy(update={"preamble": [para]}), lambda t, r, c: "1\n2" if r == "reg" else "0"
    )
    text = render_text(report)
    assert "第一行 含制表符 第二行" in text
    assert "规章\t1 2\t1 2\t1 2" in text


# --- every format reads back what was rendered ----------------------------------------------------


RENDERERS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "text": ("report.txt", lambda r: render_text(r).encode("utf-8")),
    "docx": ("report.docx", render_docx),
    "html": ("report.html", lambda r: render_html(r).encode("utf-8")),
}


def _snapshot(report: Report) -> tuple[object, ...]:
    cells = tuple(
        (name, rkey, ckey, cell.kind, cell.value)
        for name in ("table2", "table3", "table4")
        for rkey, ckey, cell in getattr(report, name).iter_cells()
    )
    parts = tuple((p.key, tuple(x.text for x in p.paragraphs)) for p in report.parts)
    meta = report.metadata
    return (meta.title, meta.agency, meta.year, tuple(p.text for p in report.preamble), parts, cells)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_read_back_the_same_from_every_format(tmp_path: Path, fmt: str, name: str) -> None:
    report = nianbao.read(FIXTURES / name)
    filename, render = RENDERERS[fmt]
    path = tmp_path / filename
    path.write_bytes(render(report))
    back = nianbao.read(path)
    assert _snapshot(back) == _snapshot(report)
    assert render_text(back) == render_text(report)  # and everything in the same order


def test_an_empty_report_renders_a_title_only_in_every_format() -> None:
    empty = Report()
    assert [b.kind for b in blocks(empty)] == ["title"]
    assert render_text(empty) == "政府信息公开工作年度报告\n"
    assert [p.text for p in _word(empty).paragraphs] == ["政府信息公开工作年度报告"]
    assert "<table" not in render_html(empty) and "<h1>政府信息公开工作年度报告</h1>" in render_html(empty)
    # A table the parser could not read (found=False) is not drawn as if it were blank.
    unread = nianbao.read(FIXTURES / "clean-2024.txt")
    unread = unread.model_copy(update={"table3": Table3(found=False)})
    assert [b.grid.key for b in blocks(unread) if b.grid is not None] == ["table2", "table4"]
