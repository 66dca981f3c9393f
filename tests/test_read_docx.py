"""The Word (.docx) reader: documents generated here with python-docx (and hand-written XML where
python-docx has no API: tracked changes, text boxes, fields, numbering), read back and checked.

A report written as Word paragraphs and tables with merged header cells must read and check exactly
as its text fixture does; damaged and hostile files (bad or truncated zip, other zip formats, zip
bombs, broken XML) must give documented errors quickly, never a traceback.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import time
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table

import nianbao
from corpus_paths import FIXTURES
from nianbao.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedInputError,
    NeedsOcrError,
    NotAReportError,
    ReadError,
    TooLargeError,
    UnsupportedFormatError,
)
from nianbao.model.cell import CellKind
from nianbao.model.document import Document, TableBlock, TextBlock
from nianbao.model.finding import Finding
from nianbao.parse import parse
from nianbao.read import read_data, read_docx, read_text
from nianbao.read.word_numbering import chinese_counting, format_number

NS = nsdecls("w")
# Namespaces of drawings and compatibility markup, for paragraphs written by hand.
EXTRA_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

# -- building documents ---------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    t = text.strip()
    return bool(t) and all(ch in "0123456789." for ch in t)


def add_grid_table(doc: docx.document.Document, rows: list[list[str]]) -> Table:
    """A Word table from the rows of a TSV table whose merged cells were flattened (blank cells beside
    or under a label), merged back the way the 2021 template merges them: a label absorbs the blank
    cells on its right, then the blank cells below it. Value cells (from a row's first number on) are
    never merged."""
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    value_from = [next((i for i, t in enumerate(r) if _is_number(t)), width) for r in grid]
    table = doc.add_table(rows=len(grid), cols=width)
    # Every cell looked up once (table.cell() rebuilds the grid each call); the merges below keep the
    # elements of the cells outside each merged rectangle, so these stay valid.
    cells = table._cells
    used = [[False] * width for _ in grid]
    spans: dict[tuple[int, int], int] = {}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if not text.strip() or used[r][c]:
                continue
            cells[r * width + c].text = text
            used[r][c] = True
            w = 1
            if c < value_from[r]:
                while c + w < value_from[r] and not grid[r][c + w].strip():
                    used[r][c + w] = True
                    w += 1
            spans[(r, c)] = w
    for (r, c), w in spans.items():
        if c >= value_from[r]:
            continue
        h = 1
        while r + h < len(grid) and all(
            c + k < value_from[r + h] and not used[r + h][c + k] for k in range(w)
        ):
            for k in range(w):
                used[r + h][c + k] = True
            h += 1
        if w > 1 or h > 1:
            cells[r * width + c].merge(cells[(r + h - 1) * width + c + w - 1])
    return table


@functools.lru_cache(maxsize=8)
def text_to_docx(text: str) -> bytes:
    """A text report as Word: every line a paragraph, every run of tab-separated lines a merged table."""
    doc = docx.Document()
    rows: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            add_grid_table(doc, rows)
            rows = []
        if line.strip():
            doc.add_paragraph(line)
    if rows:
        add_grid_table(doc, rows)
    return save(doc)


def save(doc: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def xml_paragraph(doc: docx.document.Document, inner: str, ppr: str = "") -> None:
    """Append a body paragraph written as WordprocessingML (``inner`` = its runs)."""
    p = parse_xml(f"<w:p {NS} {EXTRA_NS}>{ppr}{inner}</w:p>")
    doc.element.body.insert(len(doc.element.body) - 1, p)  # before w:sectPr


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def texts(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, TextBlock)]


def tables(document: Document) -> list[TableBlock]:
    return [b for b in document.blocks if isinstance(b, TableBlock)]


def one_text(inner: str, ppr: str = "") -> str:
    doc = docx.Document()
    xml_paragraph(doc, inner, ppr)
    xml_paragraph(doc, run("政府信息公开工作年度报告"))
    return texts(read_docx(save(doc)))[0]


def finding_key(f: Finding) -> tuple[str, str, str | None, str | None, str | None, str, str]:
    # Messages name the place (「第9行」 in text, 「文中」 in Word): compare everything else.
    loc = f.location
    return (f.rule, f.severity.value, loc.table, loc.row, loc.column, str(f.expected), str(f.actual))


# -- a whole report in Word reads and checks like its text ------------------------------------------


@pytest.mark.parametrize("name", ["clean-2024.txt", "clean-2023.txt", "lushan-2024.txt"])
def test_a_report_in_word_reads_and_checks_like_its_text(name: str, tmp_path: Path) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    path = tmp_path / name.replace(".txt", ".docx")
    path.write_bytes(text_to_docx(text))

    from_text = parse(read_text(text, path=name))
    from_word = nianbao.read(path)
    assert from_word.metadata.source_format == "docx"
    assert from_word.metadata.agency == from_text.metadata.agency
    assert from_word.metadata.year == from_text.metadata.year
    assert [p.key for p in from_word.parts] == [p.key for p in from_text.parts]
    for name_ in ("table2", "table3", "table4"):
        want, got = getattr(from_text, name_), getattr(from_word, name_)
        assert got is not None and got.found
        for rkey, ckey, cell in want.iter_cells():
            other = got.cell(rkey, ckey)
            assert (other.raw, other.kind, other.value) == (cell.raw, cell.kind, cell.value), (
                name_,
                rkey,
                ckey,
            )
            assert other.span is not None and other.span.table is not None and other.span.line is None
    want_findings = Counter(map(finding_key, nianbao.check(from_text)))
    got_findings = Counter(map(finding_key, nianbao.check(from_word)))
    assert got_findings == want_findings


def test_spans_find_the_paragraph_and_the_cell_again_with_python_docx() -> None:
    text = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
    data = text_to_docx(text)
    document = read_docx(data, "r.docx")
    word = docx.Document(io.BytesIO(data))
    assert document.format == "docx" and document.path == "r.docx"
    checked_cells = 0
    for block in document.blocks:
        if isinstance(block, TextBlock):
            span = block.span
            assert span.paragraph is not None and span.column == 1 and span.path == "r.docx"
            assert word.paragraphs[span.paragraph].text == block.text
        else:
            assert block.span.table is not None
            table = word.tables[block.span.table]
            grid, width = table._cells, len(table.columns)  # table.cell(r, c) is grid[r * width + c]
            assert table.cell(1, 1)._tc is grid[width + 1]._tc
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    span = cell.span
                    assert (span.table, span.row, span.cell) == (block.span.table, r, c)  # grid indices
                    assert grid[r * width + c].text == cell.text
                    checked_cells += 1
    assert checked_cells > 300
    assert len(tables(document)) == 3
    # Merged labels stand beside every value they label.
    t3 = tables(document)[1]
    assert [c.text for c in t3.rows[0][:4]] == [t3.rows[0][0].text] * 3 + ["申请人情况"]
    assert {row[0].text for row in t3.rows[5:26]} == {"三、本年度办理结果"}


# -- paragraph text ------------------------------------------------------------------------------


def test_tracked_changes_read_as_the_accepted_text() -> None:
    inner = (
        run("本年共收到申请")
        + '<w:ins w:id="1" w:author="a" w:date="2025-01-01T00:00:00Z">' + run("37") + "</w:ins>"
        + '<w:del w:id="2" w:author="a" w:date="2025-01-01T00:00:00Z">'
        + '<w:r><w:delText>35</w:delText></w:r></w:del>'
        + run("件，")
        + '<w:moveFrom w:id="3" w:author="a">' + run("已移走") + "</w:moveFrom>"
        + '<w:moveTo w:id="4" w:author="a">' + run("已移入") + "</w:moveTo>"
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>"
        + '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>'
    )  # fmt: skip
    assert one_text(inner) == "本年共收到申请37件，已移入显示"


def test_fields_show_their_result_not_their_code_and_hyperlinks_are_read() -> None:
    inner = (
        run("见第")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("3")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run("页，")
        + '<w:fldSimple w:instr=" DATE ">' + run("2025年1月20日") + "</w:fldSimple>"
        + '<w:hyperlink r:id="rId99" ' + nsdecls("r") + ">" + run("门户网站") + "</w:hyperlink>"
    )  # fmt: skip
    assert one_text(inner) == "见第3页，2025年1月20日门户网站"


def test_a_field_left_open_does_not_hide_the_rest_of_the_document() -> None:
    doc = docx.Document()
    xml_paragraph(
        doc, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC</w:instrText></w:r>'
    )
    xml_paragraph(doc, run("政府信息公开工作年度报告"))
    assert texts(read_docx(save(doc))) == ["政府信息公开工作年度报告"]


TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic><a:graphicData>'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>'
    "<w:txbxContent><w:p>" + run("文本框里的批注") + "</w:p></w:txbxContent>"
    "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>"
    + run("文本框里的批注")
    + "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_text_boxes_are_ignored_and_counted_once_each() -> None:
    doc = docx.Document()
    xml_paragraph(doc, run("政府信息公开工作年度报告") + TEXT_BOX)
    xml_paragraph(doc, run("正文") + TEXT_BOX)
    document = read_docx(save(doc))
    assert texts(document) == ["政府信息公开工作年度报告", "正文"]
    assert document.notes == ["已忽略2个文本框中的文字"]


def test_alternate_content_in_a_paragraph_is_read_once() -> None:
    inner = (
        '<mc:AlternateContent><mc:Choice Requires="w14">' + run("新版") + "</mc:Choice>"
        "<mc:Fallback>" + run("旧版") + "</mc:Fallback></mc:AlternateContent>"
    )
    assert one_text(run("内容：") + inner) == "内容：新版"


def test_a_line_break_starts_a_new_block_of_the_same_paragraph() -> None:
    doc = docx.Document()
    xml_paragraph(doc, run("某县某局") + "<w:r><w:br/></w:r>" + run("2024年政府信息公开工作年度报告"))
    document = read_docx(save(doc))
    first, second = document.blocks
    assert isinstance(first, TextBlock) and isinstance(second, TextBlock)
    assert (first.text, second.text) == ("某县某局", "2024年政府信息公开工作年度报告")
    assert (first.span.paragraph, first.span.column) == (0, 1)
    assert (second.span.paragraph, second.span.column) == (0, 6)
    assert second.span_at(4).column == 10


def test_paragraphs_typed_with_tabs_become_table_rows() -> None:
    doc = docx.Document()
    for line in (
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t3",
        "行政规范性文件\t2\t\t15",
        "一、\t总体情况",
        "\t本局认真贯彻落实《条例》。\t全年公开信息120条。",
    ):
        doc.add_paragraph(line)
    document = read_docx(save(doc), "t.docx")
    heading, table, numbered, sentence = document.blocks
    assert isinstance(table, TableBlock)
    assert [[c.text for c in row] for row in table.rows] == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "3"],
        ["行政规范性文件", "2", "", "15"],
    ]
    assert table.rows[2][3].span.paragraph == 3 and table.rows[2][3].span.column == 12
    assert isinstance(numbered, TextBlock) and numbered.text == "一、 总体情况"
    assert (
        isinstance(sentence, TextBlock) and sentence.text == "本局认真贯彻落实《条例》。 全年公开信息120条。"
    )
    assert sentence.span.column == 2  # the indenting tab is not text
    assert isinstance(heading, TextBlock)


def test_headings_by_style_name_and_outline_level() -> None:
    doc = docx.Document()
    doc.add_paragraph("一、总体情况", style="Heading 1")
    doc.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("（一）主动公开情况", style="标题 2")
    outline = doc.styles.add_style("大标题", WD_STYLE_TYPE.PARAGRAPH)
    outline.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {NS} w:val="2"/>'))
    doc.add_paragraph("1.网站", style="大标题")
    xml_paragraph(doc, run("正文段落"), f'<w:pPr><w:outlineLvl {NS} w:val="9"/></w:pPr>')
    xml_paragraph(doc, run("政府信息公开"), f'<w:pPr><w:outlineLvl {NS} w:val="0"/></w:pPr>')
    styles = [b.style for b in read_docx(save(doc)).blocks if isinstance(b, TextBlock)]
    assert styles == ["h1", "h2", "h3", None, "h1"]


def test_a_table_of_contents_is_left_out_with_a_note() -> None:
    doc = docx.Document()
    doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("一、总体情况\t1", style="toc 1")
    doc.add_paragraph("二、主动公开政府信息情况\t2", style="toc 1")
    doc.add_paragraph("政府信息公开工作年度报告")
    document = read_docx(save(doc))
    assert texts(document) == ["政府信息公开工作年度报告"] and not tables(document)
    assert document.notes == ["已忽略目录（2行）"]


def test_content_controls_are_read_and_spanned_by_element() -> None:
    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    sdt = parse_xml(
        f"<w:sdt {NS}><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        f"<w:p>{run('一、总体情况')}</w:p></w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(len(doc.element.body) - 1, sdt)
    doc.add_paragraph("（一）主动公开情况")
    document = read_docx(save(doc))
    title, inside, after = document.blocks
    assert isinstance(inside, TextBlock) and inside.text == "一、总体情况"
    assert (
        inside.span.paragraph is None and inside.span.element == "/w:document/w:body/w:sdt/w:sdtContent/w:p"
    )
    assert isinstance(after, TextBlock) and after.span.paragraph == 1  # python-docx skips the control
    assert isinstance(title, TextBlock) and title.span.paragraph == 0


# -- automatic numbering ---------------------------------------------------------------------------

NUMBERING = f"""
<w:abstractNum {NS} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum {NS} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:abstractNum {NS} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1."/>
    <w:suff w:val="space"/></w:lvl>
</w:abstractNum>
<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num {NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num {NS} w:numId="92"><w:abstractNumId w:val="92"/></w:num>
<w:num {NS} w:numId="93"><w:abstractNumId w:val="90"/>
  <w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
"""


def numbered(doc: docx.document.Document, text: str, num_id: int, ilvl: int = 0) -> None:
    numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    xml_paragraph(doc, run(text) if text else "", numpr)


def numbering_doc() -> docx.document.Document:
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for node in parse_xml(f"<w:numbering {NS}>{NUMBERING}</w:numbering>"):
        if node.tag == qn("w:abstractNum") and first_num is not None:
            first_num.addprevious(node)
        else:
            numbering.append(node)
    return doc


def test_automatic_numbering_shows_as_the_visible_prefix() -> None:
    doc = numbering_doc()
    doc.add_paragraph("某县某局2024年政府信息公开工作年度报告")
    numbered(doc, "总体情况", 90)
    numbered(doc, "主动公开情况", 90, 1)
    numbered(doc, "依申请公开情况", 90, 1)
    numbered(doc, "网站", 90, 2)
    numbered(doc, "主动公开政府信息情况", 90)
    numbered(doc, "", 90, 1)  # an empty numbered paragraph still takes its number
    numbered(doc, "有关工作", 90, 1)
    numbered(doc, "项目", 91)
    numbered(doc, "第一项", 92)
    numbered(doc, "第二项", 92)
    numbered(doc, "重新编号", 93, 1)
    numbered(doc, "收到和处理政府信息公开申请情况", 93)
    document = read_docx(save(doc))
    assert texts(document)[1:] == [
        "一、总体情况",
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "1.网站",
        "二、主动公开政府信息情况",
        "（二）有关工作",
        "项目",
        "甲. 第一项",
        "乙. 第二项",
        "（一）重新编号",
        "三、收到和处理政府信息公开申请情况",
    ]
    block = document.blocks[1]
    assert (
        isinstance(block, TextBlock) and block.span_at(3).column == 2
    )  # 「体」 is the 2nd character in Word
    report = parse(document)
    assert [p.key for p in report.parts][:3] == ["overview", "active", "requests"]


def test_numbering_through_a_paragraph_style() -> None:
    doc = numbering_doc()
    style = doc.styles.add_style("编号标题", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {NS}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
    )
    doc.add_paragraph("总体情况", style="编号标题")
    doc.add_paragraph("主动公开政府信息情况", style="编号标题")
    xml_paragraph(
        doc, run("不编号"), '<w:pPr><w:pStyle w:val="a0"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>'
    )
    assert texts(read_docx(save(doc))) == ["一、总体情况", "二、主动公开政府信息情况", "不编号"]


@pytest.mark.parametrize(
    ("n", "want"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_chinese_counting(n: int, want: str) -> None:
    assert chinese_counting(n) == want


def test_number_formats() -> None:
    assert [
        format_number(3, f) for f in ("decimal", "upperRoman", "lowerLetter", "decimalEnclosedCircle")
    ] == [
        "3",
        "III",
        "c",
        "③",
    ]
    assert format_number(27, "upperLetter") == "AA" and format_number(10, "ideographDigital") == "一〇"
    assert format_number(12, "decimalFullWidth") == "１２" and format_number(7, "unknownFormat") == "7"


# -- tables ------------------------------------------------------------------------------------------


def test_merged_cells_are_repeated_across_the_grid() -> None:
    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    table = doc.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "申请人情况"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "法人或其他组织"
    label = table.cell(1, 2)
    label.text = "商业"
    label.add_paragraph("企业")
    other = table.cell(1, 3)
    other.text = "Legal"
    other.add_paragraph("aid")
    for c, value in enumerate(["行政许可", "1", "2", "3"]):
        table.cell(2, c).text = value
    table.cell(3, 0).merge(table.cell(3, 3)).text = "总计"
    data = save(doc)
    (block,) = tables(read_docx(data, "m.docx"))
    assert [[c.text for c in row] for row in block.rows] == [
        ["申请人情况", "申请人情况", "法人或其他组织", "法人或其他组织"],
        ["申请人情况", "申请人情况", "商业企业", "Legal aid"],
        ["行政许可", "1", "2", "3"],
        ["总计"] * 4,
    ]
    word = docx.Document(io.BytesIO(data))
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            assert (cell.span.table, cell.span.row, cell.span.cell, cell.span.path) == (0, r, c, "m.docx")
            assert word.tables[0].cell(r, c)._tc is word.tables[0].cell(r, c)._tc  # addressable
    assert block.span.table == 0 and block.span.row is None


def test_grid_before_and_deleted_rows() -> None:
    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    table = doc.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    first = table._tbl.tr_lst[0]
    first.remove(first.tc_lst[0])
    first.insert(0, parse_xml(f'<w:trPr {NS}><w:gridBefore w:val="1"/></w:trPr>'))
    table._tbl.tr_lst[1].insert(0, parse_xml(f'<w:trPr {NS}><w:del w:id="9" w:author="a"/></w:trPr>'))
    (block,) = tables(read_docx(save(doc)))
    assert [[c.text for c in row] for row in block.rows] == [["", "01", "02"], ["20", "21", "22"]]
    assert [(c.span.row, c.span.cell) for c in block.rows[0]] == [(0, 0), (0, 1), (0, 2)]
    assert block.rows[1][0].span.row == 2  # the index among the table's rows, deleted ones counted


def test_a_nested_table_is_read_after_its_table_and_noted() -> None:
    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    outer = doc.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "行政许可"
    inner.cell(0, 1).text = "97"
    document = read_docx(save(doc))
    first, second = tables(document)
    assert [c.text for c in first.rows[0]] == ["外层", ""]
    assert [c.text for c in second.rows[0]] == ["行政许可", "97"]
    assert second.span.table is None and second.span.element is not None and "/w:tc" in second.span.element
    assert second.rows[0][1].span.cell == 1
    assert document.notes == ["有1个表格嵌套在其他表格的单元格中，已单独读取"]


def test_numbered_labels_inside_cells() -> None:
    doc = numbering_doc()
    doc.add_paragraph("政府信息公开工作年度报告")
    table = doc.add_table(rows=2, cols=2)
    for r, label in enumerate(["属于国家秘密", "其他法律行政法规禁止公开"]):
        cell_p = table.cell(r, 0).paragraphs[0]._p
        cell_p.insert(
            0, parse_xml(f'<w:pPr {NS}><w:numPr><w:ilvl w:val="2"/><w:numId w:val="90"/></w:numPr></w:pPr>')
        )
        table.cell(r, 0).paragraphs[0].add_run(label)
        table.cell(r, 1).text = "0"
    (block,) = tables(read_docx(save(doc)))
    assert [row[0].text for row in block.rows] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]


# -- what is not a readable report ------------------------------------------------------------------


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def minimal_docx() -> bytes:
    doc = docx.Document()
    doc.add_paragraph("某县某局2024年政府信息公开工作年度报告")
    return save(doc)


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``name`` (local header and central directory)."""
    raw = bytearray(data)
    encoded = name.encode()
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        pos = 0
        while (pos := raw.find(sig, pos)) != -1:
            name_len = struct.unpack_from("<H", raw, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            if raw[pos + name_at : pos + name_at + name_len] == encoded:
                struct.pack_into("<I", raw, pos + size_at, size)
            pos += 4
    return bytes(raw)


def test_a_bad_zip_is_corrupt() -> None:
    with pytest.raises(CorruptInputError) as err:
        read_data(b"PK\x03\x04" + b"\x00garbage" * 50, "bad.docx")
    assert "文件已损坏" in err.value.message_zh and "bad.docx" in err.value.message_zh


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.99])
def test_a_truncated_docx_is_corrupt(keep: float) -> None:
    data = minimal_docx()
    with pytest.raises(CorruptInputError):
        read_data(data[: int(len(data) * keep)], "cut.docx")


def test_broken_xml_is_corrupt() -> None:
    members = members_of(minimal_docx())
    members["word/document.xml"] = members["word/document.xml"][:-40]
    with pytest.raises(CorruptInputError) as err:
        read_docx(zip_of(members), "x.docx")
    assert "word/document.xml" in str(err.value)


@pytest.mark.parametrize(
    ("members", "word"),
    [
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}, "Excel"),
        ({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}, "PowerPoint"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "OpenDocument"),
        ({"OFD.xml": b"<ofd:OFD/>"}, "OFD"),
        ({"report.txt": "政府信息公开工作年度报告".encode()}, "压缩包"),
    ],
)
def test_other_zip_formats_are_named(members: dict[str, bytes], word: str) -> None:
    with pytest.raises(UnsupportedFormatError) as err:
        read_data(zip_of(members), "f.docx")
    assert word in err.value.message_zh and "不是Word文档" in err.value.message_zh


def test_a_zip_bomb_is_refused_before_inflating() -> None:
    # 30 MB of zeros deflate to about 30 KB: a ratio near 1000.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w") as handle:
            for _ in range(30):
                handle.write(bytes(1024 * 1024))
    start = time.perf_counter()
    with pytest.raises(TooLargeError) as err:
        read_data(buf.getvalue(), "bomb.docx")
    assert time.perf_counter() - start < 0.5
    assert "压缩比" in err.value.message_zh


@pytest.mark.parametrize(
    ("name", "size"), [("word/document.xml", 300 * 1024 * 1024), ("word/media/a.png", 3_000_000_000)]
)
def test_a_huge_declared_size_is_refused(name: str, size: int) -> None:
    members = members_of(minimal_docx())
    members[name] = members.get(name, b"\x89PNG" + bytes(2000))
    data = declare_size(zip_of(members, zipfile.ZIP_STORED), name, size)
    with pytest.raises(TooLargeError) as err:
        read_data(data, "big.docx")
    assert "已拒绝解压" in err.value.message_zh


def test_a_member_longer_than_its_header_says_is_not_inflated_beyond_it() -> None:
    members = members_of(minimal_docx())
    data = declare_size(zip_of(members), "word/document.xml", 100)
    with pytest.raises(CorruptInputError):
        read_data(data, "lying.docx")


def test_a_zip_with_encrypted_members() -> None:
    data = bytearray(minimal_docx())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:  # set the "encrypted" flag in the central directory
        data[pos + 8] |= 1
        pos += 4
    with pytest.raises(EncryptedInputError):
        read_data(bytes(data), "locked.docx")


def test_an_empty_docx() -> None:
    with pytest.raises(EmptyInputError) as err:
        read_data(save(docx.Document()), "empty.docx")
    assert "没有文字" in err.value.message_zh


def test_a_docx_of_pictures_only_needs_ocr() -> None:
    doc = docx.Document()
    xml_paragraph(
        doc,
        "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><a:blip/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
    )
    with pytest.raises(NeedsOcrError):
        read_data(save(doc), "scan.docx")


def test_a_docx_that_is_not_a_report() -> None:
    doc = docx.Document()
    doc.add_paragraph("会议通知：请各科室于周五下午三点到三楼会议室开会。")
    with pytest.raises(NotAReportError):
        read_data(save(doc), "notice.docx")


def test_mutated_docx_bytes_give_only_documented_errors() -> None:
    seed = text_to_docx((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8"))
    rng = random.Random(3)
    outcomes: Counter[str] = Counter()
    for i in range(300):
        data = bytearray(seed)
        if i % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_data(bytes(data), "m.docx")
            outcomes["read"] += 1
        except ReadError as e:
            assert e.message_zh and str(e)
            outcomes[type(e).__name__] += 1
    assert outcomes["CorruptInputError"] > 50


# -- the corpus template: an empty report, not a crash --------------------------------------------


def test_the_corpus_template_reads_as_an_unfilled_report(corpus: Path) -> None:
    path = corpus / "template-2021.docx"
    document = read_data(path.read_bytes(), str(path))
    assert document.format == "docx"
    assert len(tables(document)) == 3
    placeholders = [t for t in texts(document) if "文字描述" in t]
    assert len(placeholders) == 3

    report = nianbao.read(path)
    for name in ("table2", "table3", "table4"):
        table = getattr(report, name)
        assert table is not None and table.found, name
        kinds = {cell.kind for _, _, cell in table.iter_cells()}
        assert kinds == {CellKind.BLANK}, (name, kinds)
    assert [p.key for p in report.parts] == ["overview", "active", "requests", "review", "problems", "other"]

    findings = nianbao.check(report)
    unfilled = [f for f in findings if f.rule == "STR-UNFILLED"]
    assert len(unfilled) == 1 and "报告仍为空白模板" in unfilled[0].message
    assert "表二、表三、表四" in unfilled[0].message
    assert unfilled[0].location.span is not None and unfilled[0].location.span.paragraph is not None
    assert len(findings) <= 15, Counter(f.rule for f in findings)


def test_content_imported_as_an_alt_chunk_asks_to_save_again() -> None:
    doc = docx.Document()
    doc.element.body.insert(0, parse_xml(f'<w:altChunk {NS} {nsdecls("r")} r:id="rId99"/>'))
    with pytest.raises(UnsupportedFormatError) as err:
        read_data(save(doc), "oa.docx")
    assert "另存为" in err.value.message_zh


def test_hundreds_of_thousands_of_spanned_cells_are_refused_not_built() -> None:
    # 1,000 rows of one cell spanning 256 grid columns: 256,000 cells from a small document.xml.
    row = f'<w:tr {NS}><w:tc><w:tcPr><w:gridSpan w:val="256"/></w:tcPr><w:p/></w:tc></w:tr>'
    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    tbl = doc.add_table(rows=0, cols=1)._tbl
    for _ in range(1000):
        tbl.append(parse_xml(row))
    start = time.perf_counter()
    with pytest.raises(TooLargeError):
        read_docx(save(doc), "wide.docx")
    assert time.perf_counter() - start < 2
