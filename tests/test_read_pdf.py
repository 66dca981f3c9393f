"""The PDF reader: generated PDFs (text, ruled tables, merged and wrapped cells, page furniture, two
columns, radicals), bad input (password, scan, 200 pages, damage, oversized content), and the real
hongze-2023.pdf and suqian comparison from the corpus."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nianbao
from corpus_paths import CORPUS, FIXTURES
from nianbao import Finding, Report
from nianbao.cli import app
from nianbao.errors import CorruptInputError, EncryptedInputError, NeedsOcrError, TooLargeError
from nianbao.model.document import Document, TableBlock, TextBlock
from nianbao.parse import parse
from nianbao.read import pdf_limits, read_data
from nianbao.read.pdf import read_pdf
from nianbao.read.pdf_glyphs import clean_line, fix_radicals, join_wrapped, tidy_spaces
from nianbao.read.pdf_margins import is_page_number
from pdf_maker import A4, Flow, GridCell, Page, build_pdf, report_pdf, text_width

# --- helpers ----------------------------------------------------------------------------------------


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, TextBlock)]


def tables(doc: Document) -> list[list[list[str]]]:
    return [[[c.text for c in row] for row in b.rows] for b in doc.blocks if isinstance(b, TableBlock)]


def table_values(report: Report) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for attr in ("table2", "table3", "table4"):
        table = getattr(report, attr)
        assert table is not None, attr
        out[attr] = {key: [c.raw for c in row.cells.values()] for key, row in table.rows.items()}
    return out


def one_table_pdf(cells: list[GridCell], widths: list[float], **flow: object) -> Document:
    f = Flow(footer=None, **flow)  # type: ignore[arg-type]
    f.paragraph("政府信息公开工作年度报告")
    f.table(cells, widths)
    return read_pdf(f.pdf(), "t.pdf")


# --- a report rendered from our text fixtures ---------------------------------------------------------


@dataclass
class Rendered:
    text_report: Report
    text_findings: list[Finding]
    doc: Document
    report: Report
    findings: list[Finding]


_HEADER = "某某县人民政府办公室文件"


@pytest.fixture(scope="module", params=["clean-2024.txt", "lushan-2024.txt"])
def rendered(request: pytest.FixtureRequest) -> Rendered:
    path = FIXTURES / request.param
    # With the white box WPS draws behind every text line, a running header and a page-number footer.
    data = report_pdf(path.read_text(encoding="utf-8"), header=_HEADER, footer="- {n} -", line_boxes=True)
    doc = read_data(data, "report.pdf")
    report = parse(doc)
    text_report = nianbao.read(path)
    return Rendered(text_report, nianbao.check(text_report), doc, report, nianbao.check(report))


def test_rendered_report_tables_round_trip(rendered: Rendered) -> None:
    assert rendered.doc.format == "pdf"
    assert table_values(rendered.report) == table_values(rendered.text_report)
    assert rendered.report.metadata.agency == rendered.text_report.metadata.agency
    assert rendered.report.metadata.year == rendered.text_report.metadata.year


def test_rendered_report_same_findings_as_text(rendered: Rendered) -> None:
    # Line numbers differ (PDF lines are counted per page); the findings themselves are the same.
    assert Counter(f.rule for f in rendered.findings) == Counter(f.rule for f in rendered.text_findings)


def test_rendered_report_has_no_page_furniture(rendered: Rendered) -> None:
    lines = texts(rendered.doc)
    assert not [t for t in lines if is_page_number(t)]
    assert _HEADER not in lines
    pages = {b.span.page for b in rendered.doc.blocks}
    assert len(pages) >= 3  # the report runs over several pages, each with a footer and a header
    assert f"已忽略{len(pages)}处页码行（如「- 3 -」）" in rendered.doc.notes
    assert f"已忽略{len(pages)}处页眉页脚中重复出现的文字" in rendered.doc.notes


def test_rendered_report_spans(rendered: Rendered) -> None:
    last: tuple[int, int] = (0, 0)
    index = 0
    for block in rendered.doc.blocks:
        if isinstance(block, TableBlock):
            assert block.span.table == index and block.span.page is not None
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    assert (cell.span.page, cell.span.table, cell.span.row, cell.span.cell) == (
                        block.span.page,
                        index,
                        r,
                        c,
                    )
            index += 1
        else:
            span = block.span
            assert span.page is not None and span.line is not None and span.path == "report.pdf"
            assert (span.page, span.line) > last  # reading order, lines counted per page
            last = (span.page, span.line)
    assert index >= 4  # tables 二, 三 (continued on the next page) and 四
    # The white boxes WPS draws behind text lines are not tables: every table holds table text.
    for table in tables(rendered.doc):
        assert any(t for row in table for t in row if t[:1].isdigit())


def test_table_three_continued_on_next_page(rendered: Rendered) -> None:
    t3_pages = {
        b.span.page
        for b in rendered.doc.blocks
        if isinstance(b, TableBlock)
        and any("结转" in c.text or "予以公开" in c.text for row in b.rows for c in row)
    }
    assert len(t3_pages) >= 2
    carry_out = rendered.report.table3
    assert carry_out is not None and carry_out.cell("carry_out", "tot").span is not None


def test_findings_point_at_pdf_places(rendered: Rendered) -> None:
    for f in rendered.findings:
        span = f.location.span
        if span is not None and span.line is not None:
            assert span.page is not None, f
            assert f"第{span.line}行" not in f.message or f"第{span.page}页第{span.line}行" in f.message, (
                f.message
            )


@pytest.mark.parametrize("name", ["clean-2024.txt", "lushan-2024.txt"])
def test_tables_set_without_rules_are_read_from_their_lines(name: str) -> None:
    # No rules, no TableBlock: each row is a text line 「label value value …」, which the parser reads
    # (pdfplumber's text strategy would cut prose into false tables instead).
    text = (FIXTURES / name).read_text(encoding="utf-8")
    doc = read_data(report_pdf(text, ruled=False), "unruled.pdf")
    assert tables(doc) == []
    assert table_values(parse(doc)) == table_values(nianbao.read(FIXTURES / name))


@pytest.mark.parametrize("rotate", [90, 270])
def test_pages_turned_by_a_quarter_read_upright(rotate: int) -> None:
    text = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
    doc = read_data(report_pdf(text, rotate=rotate), "turned.pdf")
    assert table_values(parse(doc)) == table_values(nianbao.read(FIXTURES / "clean-2024.txt"))
    assert "一、总体情况" in texts(doc)


# --- cells: wrapped labels, merges, open rows ----------------------------------------------------------------


def test_wrapped_label_in_a_cell_is_rejoined() -> None:
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    cells = [
        GridCell(0, 0, "本年度办理结果"),
        GridCell(0, 1, "总计"),
        GridCell(1, 0, label),
        GridCell(1, 1, "4"),
    ]
    doc = one_table_pdf(cells, [90.0, 60.0])  # 90 points hold 9 characters: the label takes 4 lines
    assert tables(doc) == [[["本年度办理结果", "总计"], [label, "4"]]]


def test_vertical_label_and_latin_words_in_cells() -> None:
    cells = [
        GridCell(0, 0, "三、本年度办理结果", rowspan=2),
        GridCell(0, 1, "Open Data portal"),
        GridCell(0, 2, "5"),
        GridCell(1, 1, "（一）予以公开"),
        GridCell(1, 2, "12"),
    ]
    doc = one_table_pdf(cells, [16.0, 50.0, 30.0])  # one character per line in the first column
    assert tables(doc) == [[["三、本年度办理结果", "Open Data portal", "5"], ["", "（一）予以公开", "12"]]]


def test_merged_cells_are_read_at_their_first_position() -> None:
    cells = [
        GridCell(0, 0, "行政复议", colspan=3),
        GridCell(0, 3, "总计", rowspan=2),
        GridCell(1, 0, "维持"),
        GridCell(1, 1, "纠正"),
        GridCell(1, 2, "其他"),
        GridCell(2, 0, "1"),
        GridCell(2, 1, "2"),
        GridCell(2, 2, "0"),
        GridCell(2, 3, "3"),
    ]
    doc = one_table_pdf(cells, [60.0, 60.0, 60.0, 60.0])
    assert tables(doc) == [[["行政复议", "", "", "总计"], ["维持", "纠正", "其他", ""], ["1", "2", "0", "3"]]]


def test_row_with_no_bottom_rule_stays_in_the_table() -> None:
    # WPS leaves the last row of a table broken by the page open: its side rules run on, no rule below.
    page = Page()
    xs, ys = [72.0, 200.0, 260.0], [100.0, 120.0, 140.0]
    for y in ys:
        page.line(xs[0], y, xs[-1], y)
    for x in xs:
        page.line(x, ys[0], x, 160.0)
    for top, (label, value) in zip(
        (103.0, 123.0, 143.0), (("信息内容", "数量"), ("行政许可", "5"), ("行政处罚", "7")), strict=True
    ):
        page.text(75, top, label, 10)
        page.text(203, top, value, 10)
    page.text(72, 60, "政府信息公开工作年度报告", 12)
    doc = read_pdf(build_pdf([page]))
    assert tables(doc) == [[["信息内容", "数量"], ["行政许可", "5"], ["行政处罚", "7"]]]


def test_boxes_around_single_words_are_not_tables() -> None:
    page = Page()
    page.text(72, 72, "政府信息公开工作年度报告", 12)
    for i, word in enumerate(("主动", "公开")):  # highlight boxes side by side (a diff tool's marks)
        x = 72 + 40 * i
        page.rect(x, 100, 40, 14, gray=0.6)
        page.text(x + 2, 101, word, 10)
    doc = read_pdf(build_pdf([page]))
    assert tables(doc) == []
    assert texts(doc) == ["政府信息公开工作年度报告", "主动公开"]


# --- text: spacing, radicals, columns, margins ----------------------------------------------------------------


def test_spaced_out_cjk_is_joined_and_figures_keep_their_space() -> None:
    page = Page()
    x = 72.0
    for ch in "号，邮编：":  # justified text: glyphs far apart
        page.text(x, 100, ch, 12)
        x += 20
    page.text(72, 130, "行政许可", 12)
    page.text(200, 130, "550", 12)
    page.text(72, 160, "2023", 12)
    page.text(72 + text_width("2023", 12) + 4, 160, "年政府信息公开工作年度报告", 12)
    doc = read_pdf(build_pdf([page]))
    assert texts(doc) == ["号，邮编：", "行政许可 550", "2023 年政府信息公开工作年度报告"]


def test_radical_code_points_read_as_characters() -> None:
    page = Page()
    page.text(72, 100, "\u2f00、总体情况", 12)  # ⼀ (Kangxi radical one)
    page.text(72, 130, "\u2f8f政许可 5", 12)  # ⾏
    page.text(72, 160, "\u2ea0生领域 \u2ec5效", 12)  # ⺠ ⻅ (radicals supplement)
    page.text(72, 190, "政府信息公开工作年度报告", 12)
    doc = read_pdf(build_pdf([page]))
    assert texts(doc) == ["一、总体情况", "行政许可 5", "民生领域见效", "政府信息公开工作年度报告"]


def test_bold_drawn_twice_is_read_once() -> None:
    page = Page()
    for dx in (0.0, 0.3):  # WPS's fake bold: the same glyphs again, a fraction of a point to the right
        page.text(72 + dx, 100, "一、总体情况", 14)
    page.text(72, 130, "政府信息公开工作年度报告", 12)
    assert texts(read_pdf(build_pdf([page]))) == ["一、总体情况", "政府信息公开工作年度报告"]


def test_rotated_watermark_is_not_read_into_the_lines() -> None:
    page = Page()
    for i in range(12):
        page.text(72, 100 + 20 * i, f"政府信息公开工作年度报告第{i}行正文内容", 12)
    page.text(150, 400, "内部资料", 60, angle=45)  # across the body text
    assert texts(read_pdf(build_pdf([page]))) == [
        f"政府信息公开工作年度报告第{i}行正文内容" for i in range(12)
    ]


def test_glyph_helpers() -> None:
    assert fix_radicals("\u2f00\u2f06\u2f0b") == "一二八"
    assert fix_radicals("第二十条") == "第二十条"
    assert tidy_spaces("总 计") == "总计"
    assert tidy_spaces("行政许可  550 ") == "行政许可 550"
    assert tidy_spaces("共 21 件") == "共 21 件"  # next to a figure the space is kept
    assert join_wrapped(["（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）"]) == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert join_wrapped(["Open Data", "portal"]) == "Open Data portal"
    assert clean_line(" \u2f8f政 强制 ") == "行政强制"


@pytest.mark.parametrize(
    "line", ["- 3 -", "— 3 —", "－3－", "第3页 共5页", "第 3 页", "共5页 第3页", "3", "3/5", "Page 3"]
)
def test_page_number_forms(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["一、总体情况", "2023年", "第三部分", "行政许可 550", "3.其他", "（三）"])
def test_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def test_body_text_repeated_on_every_page_is_kept() -> None:
    pages = []
    for n in range(1, 4):
        page = Page()
        page.text(72, 40, "洪泽区人民政府", 9)  # running header: dropped
        page.text(72, 300, "本页数据单位：件", 12)  # in the body, on every page: kept
        page.text(72, 330, f"政府信息公开工作年度报告正文第{n}部分", 12)
        page.text(290, 800, str(n), 10)  # bare page number: dropped
        pages.append(page)
    doc = read_pdf(build_pdf(pages))
    assert texts(doc).count("本页数据单位：件") == 3
    assert "洪泽区人民政府" not in texts(doc)
    assert not [t for t in texts(doc) if t.isdigit()]
    assert doc.notes == ["已忽略3处页码行（如「- 3 -」）", "已忽略3处页眉页脚中重复出现的文字"]


def test_two_columns_are_read_one_after_the_other() -> None:
    page = Page(*reversed(A4))  # landscape, like a side-by-side comparison
    page.text(300, 40, "政府信息公开工作年度报告比对", 14)
    left = [f"左栏第{i}行：二〇二三年度报告的正文内容" for i in range(8)]
    right = [f"右栏第{i}行：二〇二四年度报告的正文内容" for i in range(8)]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        page.text(40, 80 + 20 * i, a, 12)
        page.text(440, 80 + 20 * i, b, 12)
    doc = read_pdf(build_pdf([page]))
    assert texts(doc) == ["政府信息公开工作年度报告比对", *left, *right]


def test_one_column_report_is_not_split() -> None:
    page = Page()
    for i in range(10):  # short lines on the left and figures on the right: a table without rules
        page.text(72, 100 + 20 * i, f"第二十条第（{i}）项政府信息公开情况", 12)
        page.text(450, 100 + 20 * i, str(i * 7), 12)
    doc = read_pdf(build_pdf([page]))
    assert texts(doc) == [f"第二十条第（{i}）项政府信息公开情况 {i * 7}" for i in range(10)]


# --- bad input -------------------------------------------------------------------------------------------


def _small_report() -> Flow:
    f = Flow()
    f.paragraph("某某县人民政府2024年政府信息公开工作年度报告")
    f.paragraph("一、总体情况")
    return f


def test_password_protected_pdf_is_refused() -> None:
    with pytest.raises(EncryptedInputError) as info:
        read_pdf(_small_report().pdf(user_password="secret"), "locked.pdf")
    assert "PDF文件有密码保护" in info.value.message_zh and "请提供未加密的文件" in info.value.message_zh
    assert "password" in str(info.value)


def test_owner_password_only_reads() -> None:
    # Restricted permissions with an empty user password: every reader opens it, and so do we.
    doc = read_pdf(_small_report().pdf(owner_password="secret"), "restricted.pdf")
    assert texts(doc) == ["某某县人民政府2024年政府信息公开工作年度报告", "一、总体情况"]


def _numbered_pages(n: int) -> list[Page]:
    pages = []
    for i in range(n):
        page = Page()
        page.text(72, 72, f"政府信息公开工作年度报告第{i + 1}页", 12)
        pages.append(page)
    return pages


def test_two_hundred_pages_are_refused_fast() -> None:
    data = build_pdf(_numbered_pages(200))
    started = time.perf_counter()
    with pytest.raises(TooLargeError) as info:
        read_pdf(data, "big.pdf")
    assert time.perf_counter() - started < 2.0
    assert "共200页" in info.value.message_zh and f"{pdf_limits.MAX_PAGES}页上限" in info.value.message_zh


def test_page_count_understated_by_the_file_is_still_bounded() -> None:
    data = build_pdf(_numbered_pages(pdf_limits.MAX_PAGES + 5), declared_count=5)
    started = time.perf_counter()
    with pytest.raises(TooLargeError) as info:
        read_pdf(data, "lying.pdf")
    assert time.perf_counter() - started < 2.0
    assert f"超过{pdf_limits.MAX_PAGES}页" in info.value.message_zh


def test_scan_without_text_layer_needs_ocr() -> None:
    scan = Page()
    scan.image(40, 40, 515, 760)
    with pytest.raises(NeedsOcrError) as info:
        read_pdf(build_pdf([scan, scan]), "scan.pdf")
    assert "扫描件" in info.value.message_zh and "OCR" in info.value.message_zh


def test_scanned_page_among_text_pages_is_noted() -> None:
    text_page, scan = Page(), Page()
    text_page.text(72, 72, "政府信息公开工作年度报告", 12)
    scan.image(40, 40, 515, 760)
    doc = read_pdf(build_pdf([text_page, scan]))
    assert texts(doc) == ["政府信息公开工作年度报告"]
    assert doc.notes == ["第2页没有文字层（可能是扫描图片），其内容未能读取"]


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.95])
def test_truncated_pdf_is_corrupt(fraction: float) -> None:
    data = report_pdf((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8"))
    with pytest.raises(CorruptInputError) as info:
        read_pdf(data[: int(len(data) * fraction)], "cut.pdf")
    assert "PDF文件已损坏" in info.value.message_zh


@pytest.mark.parametrize(
    "body", [b"", b"garbage \x00\xff" * 100, b"1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj"]
)
def test_garbage_after_header_is_corrupt(body: bytes) -> None:
    with pytest.raises(CorruptInputError):
        read_pdf(b"%PDF-1.7\n" + body, "junk.pdf")


def test_content_stream_bomb_is_skipped_without_inflating() -> None:
    text_page, bomb = Page(), Page()
    text_page.text(72, 72, "政府信息公开工作年度报告", 12)
    bomb.text(72, 72, "不应读出的文字", 12)
    bomb.ops.append("%" + " " * (pdf_limits.MAX_CONTENT_BYTES + 1024))  # a comment: compresses to a few KB
    data = build_pdf([text_page, bomb])
    assert len(data) < 64 * 1024
    doc = read_pdf(data)
    assert texts(doc) == ["政府信息公开工作年度报告"]
    assert doc.notes == ["第2页内容数据过大，已跳过该页（page 2 skipped: content too large）"]


def test_page_with_too_many_objects_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_PAGE_OBJECTS", 50)
    small, crowded = Page(), Page()
    small.text(72, 72, "政府信息公开工作年度报告", 12)
    for i in range(30):
        crowded.text(72, 100 + 15 * i, "政府信息公开", 12)  # 180 characters
    doc = read_pdf(build_pdf([small, crowded]))
    assert texts(doc) == ["政府信息公开工作年度报告"]
    assert doc.notes == ["第2页图形和文字对象过多，已跳过该页（page 2 skipped: too many objects）"]


def test_cli_gives_the_encrypted_message_and_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_small_report().pdf(user_password="secret"))
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "PDF文件有密码保护" in result.stderr and "Traceback" not in result.output


def test_format_is_chosen_by_content_not_name() -> None:
    doc = read_data(_small_report().pdf(), "report.txt")
    assert doc.format == "pdf"


# --- the real corpus ----------------------------------------------------------------------------------------


@dataclass
class Corpus:
    doc: Document
    report: Report
    findings: list[Finding]
    seconds: float


def _corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"real-report corpus file not found at {path} (CI has ../shared beside the checkout)")
    return path


def _load(name: str) -> Corpus:
    path = _corpus_file(name)
    started = time.perf_counter()
    doc = read_data(path.read_bytes(), str(path))
    report = parse(doc)
    findings = nianbao.check(report)
    return Corpus(doc, report, findings, time.perf_counter() - started)


@pytest.fixture(scope="module")
def hongze() -> Corpus:
    loaded = _load("hongze-2023.pdf")
    print(f"\nhongze-2023.pdf (5 pages): read + parse + check {loaded.seconds:.2f} s")
    return loaded


def test_hongze_metadata(hongze: Corpus) -> None:
    assert hongze.report.metadata.agency == "洪泽区人民政府"
    assert hongze.report.metadata.year == 2023
    assert hongze.doc.notes == ["已忽略5处页码行（如「- 3 -」）"]


def test_hongze_table_two(hongze: Corpus) -> None:
    t2 = hongze.report.table2
    assert t2 is not None
    assert [t2.value("reg", c) for c in ("issued", "repealed", "valid")] == [0, 0, 0]
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [0, 5, 5]
    assert [t2.value(r, "decisions") for r in ("permit", "penalty", "coercion")] == [550, 4119, 195]
    assert str(t2.cell("fee", "amount").value) == "7730.28"


def test_hongze_table_three(hongze: Corpus) -> None:
    t3 = hongze.report.table3
    assert t3 is not None
    cols = ("np", "biz", "res", "ngo", "law", "oth", "tot")
    assert [t3.value("new", c) for c in cols] == [21, 0, 0, 0, 0, 0, 21]
    assert [t3.value("carry_in", c) for c in cols] == [0] * 7
    assert [t3.value("total", c) for c in cols] == [21, 0, 0, 0, 0, 0, 21]
    assert [t3.value("carry_out", c) for c in cols] == [0] * 7
    # Read off the page: 部分公开 4, 国家秘密 1, 过程性信息 1, 行政执法案卷 1, 不掌握 10, 另行制作 3 (the
    # last row of page 3, whose bottom rule is missing), 信访举报 1; every other row 0, in 自然人 only.
    nonzero = {
        "partial": 4,
        "deny_1": 1,
        "deny_6": 1,
        "deny_7": 1,
        "unable_1": 10,
        "unable_2": 3,
        "noproc_1": 1,
    }
    for key in (
        "open",
        "partial",
        "deny_1",
        "deny_2",
        "deny_6",
        "deny_7",
        "unable_1",
        "unable_2",
        "unable_3",
    ):
        value = nonzero.get(key, 0)
        assert [t3.value(key, c) for c in cols] == [value, 0, 0, 0, 0, 0, value], key
    for key in ("noproc_1", "noproc_2", "noproc_5"):
        value = nonzero.get(key, 0)
        assert [t3.value(key, c) for c in cols] == [value, 0, 0, 0, 0, 0, value], key


def test_hongze_table_four_totals_are_the_known_errors(hongze: Corpus) -> None:
    t4 = hongze.report.table4
    assert t4 is not None
    fields = ("keep", "correct", "other", "pending", "total")
    assert [t4.value("review", f) for f in fields] == [10, 1, 0, 0, 0]
    assert [t4.value("suit_direct", f) for f in fields] == [0, 0, 0, 0, 0]
    assert [t4.value("suit_after_review", f) for f in fields] == [5, 0, 0, 0, 0]
    totals = [f for f in hongze.findings if f.rule == "T4-TOTAL"]
    assert len(totals) == 2
    assert {f.location.row for f in totals} == {"行政复议", "行政诉讼／复议后起诉"}
    assert all(f.location.span is not None and f.location.span.page == 4 for f in totals)


def test_hongze_has_no_reader_made_findings(hongze: Corpus) -> None:
    rules = Counter(f.rule for f in hongze.findings)
    assert "STR-TABLES" not in rules and "STR-PARTS" not in rules  # tables found under their parts
    assert not [f for f in hongze.findings if f.rule.startswith(("T2-", "T3-"))]
    lines = texts(hongze.doc)
    assert not [t for t in lines if is_page_number(t)]
    assert "2.没有现成信息需要另行制作 3 0 0 0 0 0 3" not in lines  # in its table, not a text line


def test_suqian_comparison_reads_sensibly() -> None:
    loaded = _load("suqian-2023-vs-2024-comparison.pdf")
    print(
        f"\nsuqian comparison (18 pages): read + parse + check {loaded.seconds:.2f} s, {len(loaded.findings)} findings"
    )
    all_text = "".join(texts(loaded.doc)) + "".join(
        t for table in tables(loaded.doc) for row in table for t in row
    )
    assert not [ch for ch in all_text if "\u2e80" <= ch <= "\u2fdf"]  # radicals mapped to characters
    assert "一、总体情况" in all_text and "行政许可" in all_text
    assert len(tables(loaded.doc)) >= 10
    t2 = loaded.report.table2
    assert t2 is not None and t2.value("permit", "decisions") == 1808595  # the 2023 (left) table comes first
    assert all(f.message for f in loaded.findings)


def test_text_in_fonts_without_character_mapping_needs_ocr() -> None:
    page = Page()
    page.text(72, 72, "政府信息公开工作年度报告全文", 12, unmapped=True)
    page.text(72, 100, "页脚", 12)
    with pytest.raises(NeedsOcrError) as info:
        read_pdf(build_pdf([page]), "opaque.pdf")
    assert "字体缺少字符编码信息" in info.value.message_zh and "OCR" in info.value.message_zh


def test_a_few_unmapped_glyphs_are_marked_and_noted() -> None:
    page = Page()
    page.text(72, 72, "政府信息公开工作年度报告", 12)
    page.text(72, 100, "主动", 12)
    page.text(96, 100, "公开", 12, unmapped=True)
    doc = read_pdf(build_pdf([page]))
    assert texts(doc) == ["政府信息公开工作年度报告", "主动\ufffd\ufffd"]
    assert doc.notes == ["有2个字符因字体缺少编码信息无法识别，以“\ufffd”代替"]


def test_table_with_a_long_note_row_is_still_a_table() -> None:
    note = "注：" + "本表数据来源于本机关政府信息公开申请登记台账，统计口径与上年度保持一致。" * 3
    cells = [GridCell(0, 0, "信息内容"), GridCell(0, 1, "本年处理决定数量")]
    cells += [GridCell(r, c, t) for r, (a, b) in enumerate((("行政许可", "97"), ("行政处罚", "12"), ("行政强制", "0")), 1)
              for c, t in enumerate((a, b))]  # fmt: skip
    cells.append(GridCell(4, 0, note, colspan=2))
    doc = one_table_pdf(cells, [150.0, 150.0])
    assert tables(doc) == [[["信息内容", "本年处理决定数量"], ["行政许可", "97"], ["行政处罚", "12"],
                            ["行政强制", "0"], [note, ""]]]  # fmt: skip


def test_frame_of_paragraphs_is_read_as_text() -> None:
    left = (
        "二〇二三年：本机关全年主动公开政府信息一千余条，依申请公开办理答复三十七件，均在法定期限内答复。" * 3
    )
    right = (
        "二〇二四年：本机关全年主动公开政府信息九百余条，依申请公开办理答复四十一件，均在法定期限内答复。" * 3
    )
    cells = [
        GridCell(0, 0, "2023年报告"),
        GridCell(0, 1, "2024年报告"),
        GridCell(1, 0, left),
        GridCell(1, 1, right),
    ]
    doc = one_table_pdf(cells, [225.0, 225.0])
    assert tables(doc) == []
    assert "2023年报告" in "".join(texts(doc)) and "依申请公开办理答复三十七件" in "".join(texts(doc))
