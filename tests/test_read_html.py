"""The HTML reader: portal pages we write ourselves (nav, sidebar, footer full of other agencies and
years), encodings, merged table cells, the page's 发布日期, bad pages; and the real saved page
``shuyang-fgj-2023.html`` of the corpus."""

from __future__ import annotations

import base64
import html
import random
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

import nianbao
from nianbao.errors import (
    BinaryInputError,
    CorruptInputError,
    EmptyInputError,
    NotAReportError,
    ReadError,
    TooLargeError,
    UnsupportedFormatError,
)
from nianbao.model.document import Document, TableBlock, TextBlock
from nianbao.model.finding import Finding
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.parse import parse
from nianbao.read import read_data
from nianbao.read.decode import sniff_format
from nianbao.read.html import read_html

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

# Page furniture full of other agencies, other years and report words: none of it is the report.
NAV = """<div class="header"><div class="top">2025年12月30日 星期二 <a href="/">繁體版</a></div>
<div class="mainNav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政府信息公开</a></li>
<li><a href="/nb">政府信息公开年度报告</a></li><li><a href="/hd">政民互动</a></li></ul></div></div>
<div class="breadcrumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>"""
SIDEBAR = """<div class="sidebar"><h3>相关报告</h3><ul>
<li><a href="/1">鲁山县人民政府办公室2022年政府信息公开工作年度报告</a> 2023-01-30</li>
<li><a href="/2">宿迁市财政局2021年政府信息公开工作年度报告</a> 2022-01-28</li>
<li>连云港市住房和城乡建设局2019年度政府信息公开年度报告：本年新收申请12件，予以公开9件。</li>
</ul></div>"""
FOOTER = """<div class="footer"><p>主办单位：泗阳县人民政府办公室 承办单位：泗阳县大数据管理局</p>
<p>版权所有：泗阳县人民政府 网站标识码：3213230001 苏ICP备05000001号 苏公网安备32132302000001号</p>
<p>建议使用1920×1080分辨率浏览本网站</p></div>"""
SHARE = '<div class="bdsharebuttonbox">分享到：<a>微信</a> <a>微博</a></div><p>【打印本页】【关闭窗口】</p>'
FURNITURE_WORDS = (
    "鲁山县人民政府办公室2022",
    "宿迁市财政局",
    "连云港市",
    "泗阳县",
    "网站标识码",
    "繁體版",
    "当前位置",
)


def report_html(text: str) -> str:
    """A report's text as CMS HTML: a paragraph per line, 「## 」 lines as headings, tab-separated or
    Markdown pipe rows as table rows."""
    out: list[str] = []
    rows: list[str] = []

    def flush() -> None:
        if rows:
            out.append('<table border="1" style="border-collapse:collapse">' + "".join(rows) + "</table>")
            rows.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if "\t" in line or stripped.startswith("|"):
            if set(stripped) <= set("|-: "):
                continue  # a Markdown separator row
            pieces = stripped.strip("|").split("|") if stripped.startswith("|") else line.split("\t")
            cells = "".join(
                f"<td><span style='font-family:仿宋'>{html.escape(c.strip())}</span></td>" for c in pieces
            )
            rows.append(f"<tr>{cells}</tr>")
            continue
        flush()
        heading = re.match(r"^(#{1,6})\s+", stripped)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{html.escape(stripped[heading.end() :])}</h{level}>")
        elif stripped:
            out.append(
                '<p class="MsoNormal" style="text-indent:2em;mso-line-height-rule:exactly">'
                f"<span>{html.escape(line)}</span><o:p></o:p></p>"
            )
    flush()
    return "\n".join(out)


def portal_page(
    article: str, title: str, info: str = "发布日期：2025-01-20 来源：本站", container: str = 'id="zoom"'
) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_泗阳县人民政府</title>
<script>var s = "2022年政府信息公开工作年度报告 本年新收 予以公开";</script>
<style>.x{{color:red}}</style></head><body>
{NAV}
<div class="main"><div class="left">{SIDEBAR}</div>
<div class="right"><h1 class="article-title">{html.escape(title)}</h1>
<div class="info">{info} 浏览次数：<span>123</span></div>
<div {container}>{article}</div>
{SHARE}</div></div>
{FOOTER}
</body></html>"""


def fixture_page(name: str, **kwargs: str) -> tuple[str, str]:
    """(fixture text, its page): the title line goes into the page's <h1>, the rest into the article."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    head, body = text.lstrip().split("\n\n", 1)  # the title, possibly on two lines, then a blank line
    title = "".join(line.strip() for line in head.splitlines())
    return text, portal_page(report_html(body), title, **kwargs)


def _key(f: Finding) -> tuple[object, ...]:
    loc = f.location
    return (
        f.rule,
        f.severity.value,
        loc.table,
        loc.row,
        loc.column,
        loc.part,
        str(f.expected),
        str(f.actual),
    )


def document_text(document: Document) -> str:
    return document.text()


def grid(block: TextBlock | TableBlock) -> list[list[str]]:
    assert isinstance(block, TableBlock)
    return [[cell.text for cell in row] for row in block.rows]


# --- whole reports as portal pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("clean-2024.txt", "2025-01-20"),
        ("lushan-2024.txt", "2025-01-31"),
        ("clean-city-2025.md", "2026-03-28"),
    ],
)
def test_a_report_as_a_portal_page_reads_like_its_text(name: str, published: str) -> None:
    text, page = fixture_page(name, info=f"发布日期：{published} 来源：本站")
    from_text = nianbao.read(FIXTURES / name)
    document = read_data(page.encode("utf-8"), "page.html")
    from_page = parse(document)
    assert document.format == "html"
    assert from_page.metadata.publication_date is not None
    assert from_page.metadata.publication_date.isoformat() == published  # on time: no TIME-DEADLINE finding
    assert from_page.metadata.title.replace(" ", "") == from_text.metadata.title.replace(" ", "")
    for attr in ("agency", "kind", "level", "year"):
        assert getattr(from_page.metadata, attr) == getattr(from_text.metadata, attr), attr
    assert _values(from_page.table2) == _values(from_text.table2)
    assert _values(from_page.table3) == _values(from_text.table3)
    assert _values(from_page.table4) == _values(from_text.table4)
    assert [h.number for h in from_page.headings] == [h.number for h in from_text.headings]
    # Same findings (spans differ: element paths instead of line numbers), and none from the furniture.
    page_findings = nianbao.check(from_page)
    text_findings = nianbao.check(from_text)
    assert sorted(map(_key, page_findings), key=repr) == sorted(map(_key, text_findings), key=repr)
    plain = document_text(document)
    for word in FURNITURE_WORDS:
        assert word not in plain, word
    assert "打印本页" not in plain and "分享到" not in plain and "浏览次数" not in plain


def _values(table: Table2 | Table3 | Table4 | None) -> list[tuple[str, str, str, str]]:
    """Every cell's text and kind by row and column key."""
    if table is None:
        return []
    return [(r, c, cell.raw, cell.kind.value) for r, c, cell in table.iter_cells()]


def test_findings_point_into_the_article_only() -> None:
    _, page = fixture_page("lushan-2024.txt")
    document = read_data(page.encode("utf-8"), "page.html")
    findings = nianbao.check(parse(document))
    assert findings, "the seed has errors"
    root = lxml.html.document_fromstring(page)
    tree = root.getroottree()
    (zoom,) = root.iterfind(".//div[@id='zoom']")
    (title,) = root.iterfind(".//h1[@class='article-title']")
    article = tree.getpath(zoom)
    places = {f.location.span.element for f in findings if f.location.span and f.location.span.element}
    assert places
    for element in places:
        assert element.startswith(article + "/") or element == tree.getpath(title), element
    assert document.publication_date == "2025-01-20"
    assert any("只读取了网页正文区域" in note for note in document.notes)


def test_the_container_is_found_without_a_known_class_name() -> None:
    """A page whose article div has a meaningless class: chosen by where the report's words are."""
    _, page = fixture_page("clean-2024.txt", container='class="q7x"')
    # A long non-link sidebar text (more characters than some reports) must not be taken in.
    filler = (
        "<div class='recommend'>"
        + "".join(
            f"<p>{y}年，连云港市第{y}次会议召开，会议研究了多项工作安排，部署下一阶段任务。</p>"
            for y in range(2000, 2040)
        )
        + "</div>"
    )
    page = page.replace('<div class="left">', f'<div class="left">{filler}')
    document = read_data(page.encode("utf-8"), "page.html")
    plain = document_text(document)
    assert "连云港市" not in plain
    assert "本年新收政府信息公开申请数量" in plain
    report = parse(document)
    assert report.table3 is not None and report.table3.value("new", "tot") == 37


def test_a_sidebar_listing_report_words_is_not_taken_in() -> None:
    """An information-disclosure menu lists 行政许可, 行政处罚 … as plain text beside the article."""
    _, page = fixture_page("clean-2024.txt", container='class="q7x"')
    menu = (
        "<div class='left-list'><ul>"
        + "".join(
            f"<li>{w}</li>"
            for w in ("行政许可", "行政处罚", "行政强制", "行政复议", "行政诉讼", "予以公开", "本年新收")
        )
        + "</ul></div>"
    )
    with_menu = page.replace('<div class="left">', f'<div class="left">{menu}')
    plain = document_text(read_data(with_menu.encode("utf-8"), "menu.html"))
    assert plain == document_text(read_data(page.encode("utf-8"), "page.html"))


def test_title_from_the_page_title_when_no_heading() -> None:
    body = report_html((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8").split("\n", 2)[2])
    page = (
        "<html><head><title>泗洪县市场监督管理局2024年政府信息公开工作年度报告 - 泗洪县人民政府</title></head>"
        f"<body><div class='TRS_Editor'>{body}</div></body></html>"
    )
    report = parse(read_data(page.encode("utf-8"), "p.html"))
    assert report.metadata.title == "泗洪县市场监督管理局2024年政府信息公开工作年度报告"
    assert report.metadata.year == 2024 and report.metadata.agency == "泗洪县市场监督管理局"


# --- blocks: whitespace, inline markup, line breaks ------------------------------------------------------


def _blocks(body: str) -> list[TextBlock | TableBlock]:
    page = f"<html><body><div class='content'><h1>某县某局2024年政府信息公开工作年度报告</h1>{body}</div></body></html>"
    return read_html(page.encode("utf-8"), "t.html").blocks


def _texts(body: str) -> list[str]:
    return [b.text for b in _blocks(body) if isinstance(b, TextBlock)][1:]


def test_nbsp_ideographic_space_o_p_and_word_spans() -> None:
    body = (
        '<p class="MsoNormal" style="mso-margin-top-alt:auto"><span style="font-family:黑体;mso-ascii-font-family:'
        '\'Times New Roman\'">&nbsp;&nbsp;一、总体情况</span><span lang="EN-US"><o:p></o:p></span></p>'
        "<p>&#12288;&#12288;<span><font face='仿宋'><span style='mso-spacerun:yes'>本年新收</span>申请</font>"
        "<b>26</b></span>件。<o:p>&nbsp;</o:p></p>"
        "<p>政府信息\n公开工作 2024\n年</p>"
    )
    assert _texts(body) == ["一、总体情况", "本年新收申请26件。", "政府信息公开工作 2024 年"]


def test_br_splits_lines_and_headings_keep_their_style() -> None:
    body = "<h2>二、主动公开政府信息情况</h2><p>沭阳县某局<br>2025年1月17日<br/></p><ul><li>一是</li><li>二是</li></ul>"
    blocks = [b for b in _blocks(body) if isinstance(b, TextBlock)]
    assert [(b.text, b.style) for b in blocks[1:]] == [
        ("二、主动公开政府信息情况", "h2"),
        ("沭阳县某局", None),
        ("2025年1月17日", None),
        ("一是", None),
        ("二是", None),
    ]
    assert blocks[0].style == "h1"
    p = blocks[2]
    assert p.span.element is not None and p.span.element.endswith("/p") and p.span.line == 1
    assert blocks[3].span.element == p.span.element  # the line after <br> is still that paragraph


def test_hidden_elements_widgets_and_footer_lines_are_dropped() -> None:
    body = (
        "<p>一、总体情况</p><div style='display:none'>隐藏的2019年数据</div><p>【打印本页】 【关闭窗口】</p>"
        "<p>字号：大 中 小</p><p>分享到：微信 微博</p><p>上一篇：某某通知</p>"
        "<p>版权所有：某县人民政府 网站标识码：1234567890</p><p>关闭政府网站3个，整合栏目12个。</p>"
    )
    assert _texts(body) == ["一、总体情况", "关闭政府网站3个，整合栏目12个。"]


# --- tables ---------------------------------------------------------------------------------------------

T3_HEAD = """<table>
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<th colspan="7">申请人情况</th></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td>科研<br/>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息<br>公开申请数量</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>3</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="1">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>"""


def test_rowspan_and_colspan_expand_into_an_exact_grid() -> None:
    tables = [b for b in _blocks("<p>一、总体情况</p>" + T3_HEAD) if isinstance(b, TableBlock)]
    assert len(tables) == 1
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    org = "法人或其他组织"
    assert grid(tables[0]) == [
        [
            note,
            note,
            note,
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
        ],
        [note, note, note, "自然人", org, org, org, org, org, "总计"],
        [note, note, note, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "1", "0", "0", "0", "0", "6"],
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "3", "", "0", "0", "0", "0", "3"],
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
    ]
    cells = tables[0].rows
    # Spans: grid indices, and the element of the (spanning) td.
    assert (cells[2][3].span.row, cells[2][3].span.cell, cells[2][3].span.table) == (2, 3, 0)
    assert cells[2][3].span.element == cells[1][3].span.element
    assert cells[2][3].span.element is not None and cells[2][3].span.element.endswith("tr[2]/td[1]")
    assert cells[4][0].span.line == 7 and cells[5][0].span.line == 7
    assert cells[5][1].span.element is not None and cells[5][1].span.element.endswith("tr[6]/td[1]")


def test_table_sections_short_rows_and_bad_span_attributes() -> None:
    table = """<table><caption>表 甲乙</caption><tfoot><tr><td>脚</td></tr></tfoot><thead><tr><th>甲</th><th>乙</th></tr></thead>
<tbody><tr><td rowspan="0">丙</td><td colspan="x">丁</td></tr><tr><td>戊</td></tr></tbody></table>"""
    blocks = _blocks(table)
    assert isinstance(blocks[1], TextBlock) and blocks[1].text == "表 甲乙"
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    # thead first, tfoot last; rowspan=0 spans to the end; a bad colspan is 1; a short row stays short.
    assert grid(tables[0]) == [["甲", "乙"], ["丙", "丁"], ["丙", "戊"], ["丙", "脚"]]


def test_layout_table_around_the_report_is_flattened() -> None:
    inner = "<table><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>2</td></tr></table>"
    body = f"<table><tr><td><p>一、总体情况</p><p>正文一段。</p>{inner}<p>二、主动公开政府信息情况</p></td></tr></table>"
    blocks = _blocks(body)[1:]
    kinds = [b.text if isinstance(b, TextBlock) else grid(b) for b in blocks]
    assert kinds == [
        "一、总体情况",
        "正文一段。",
        [["规章", "0"], ["行政规范性文件", "2"]],
        "二、主动公开政府信息情况",
    ]
    table = blocks[2]
    assert isinstance(table, TableBlock) and table.span.table == 0


def test_table_cells_are_never_furniture_by_their_class() -> None:
    """A CMS styles header cells as ``<th class="header">`` and rows or cells with any class: inside a
    data table of the article they are the report's cells; a menu laid out as a table is still dropped."""
    table = (
        '<table class="MsoTableGrid"><tr class="table-header"><th class="header">信息内容</th>'
        '<th class="header">本年制发件数</th><th class="header">本年废止件数</th>'
        '<th class="header-last">现行有效件数</th></tr>'
        '<tr class="nav-row"><td class="foot">规章</td><td class="share">0</td><td class="menu">0</td>'
        '<td class="footer">3</td></tr>'
        '<tr><td class="position">行政规范性文件</td><td>2</td><td class="copyright">1</td><td>15</td></tr></table>'
    )
    menu = (
        '<table class="nav"><tr><td><a href="/">首页</a></td><td><a href="/gk">政务公开</a></td></tr></table>'
    )
    body = f"<p>二、主动公开政府信息情况</p><p>第二十条第（一）项</p>{menu}{table}"
    tables = [b for b in _blocks(body) if isinstance(b, TableBlock)]
    assert [grid(t) for t in tables] == [
        [
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "3"],
            ["行政规范性文件", "2", "1", "15"],
        ]
    ]
    page = f"<html><body><div class='content'><h1>某县某局2024年政府信息公开工作年度报告</h1>{body}</div></body></html>"
    report = parse(read_html(page.encode("utf-8"), "t.html"))
    assert report.table2 is not None
    values = [[report.table2.value(r, c) for c in ("issued", "repealed", "valid")] for r in ("reg", "norm")]
    assert values == [[0, 0, 3], [2, 1, 15]]


def test_huge_spans_are_bounded() -> None:
    rows = "".join(f'<tr><td colspan="99999">{i}</td></tr>' for i in range(300))
    page = f"<html><body><p>政府信息公开工作年度报告</p><table>{rows}</table></body></html>"
    with pytest.raises(TooLargeError):
        read_html(page.encode(), "big.html")


# --- encodings ------------------------------------------------------------------------------------------

GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县某局2024年政府信息公开工作年度报告</title></head><body><div id="zoom">
<p>一、总体情况</p><p>朱镕基、喆、堃同志出席。本年新收政府信息公开申请3件。</p></div></body></html>"""


@pytest.mark.parametrize(
    "meta", ['http-equiv="Content-Type" content="text/html; charset=gb2312"', 'charset="GBK"']
)
def test_gbk_pages_are_decoded_by_their_meta_charset(meta: str) -> None:
    page = GBK_PAGE.replace('http-equiv="Content-Type" content="text/html; charset=gb2312"', meta)
    data = page.encode("gbk")  # 镕, 喆 and 堃 are GBK, not GB2312: a gb2312 label still means GBK
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    document = read_data(data, "gbk.html")
    assert document.encoding == "gb18030"
    assert "朱镕基、喆、堃同志出席。本年新收政府信息公开申请3件。" in document_text(document)


def test_a_wrong_charset_declaration_falls_back_to_utf8() -> None:
    document = read_data(GBK_PAGE.encode("utf-8"), "utf8.html")
    assert "朱镕基" in document_text(document) and document.encoding == "utf-8"


def test_a_latin_label_on_a_chinese_page_is_not_believed() -> None:
    page = GBK_PAGE.replace("charset=gb2312", "charset=iso-8859-1")
    document = read_data(page.encode("gbk"), "latin.html")
    assert document.encoding == "gb18030" and "朱镕基" in document_text(document)


def test_utf16_page_with_bom() -> None:
    data = GBK_PAGE.encode("utf-16")
    assert sniff_format(data[:4096]) == "html"
    assert "朱镕基" in document_text(read_data(data, "u16.html"))


def test_garbage_bytes_are_refused() -> None:
    data = b"<html><body>" + bytes(random.Random(1).randrange(128, 256) for _ in range(3000)) + b"\x00\x01"
    with pytest.raises(BinaryInputError):
        read_html(data, "junk.html")
    with pytest.raises(EmptyInputError):
        read_html(b"  \n ", "empty.html")


# --- format sniffing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (
            b"<!-- saved from url=(0054)http://www.example.gov.cn/art/2025/1/20/art_1.html -->\r\n<html>",
            "html",
        ),
        (b"\xef\xbb\xbf<!DOCTYPE html PUBLIC>", "html"),
        (b'<div class="TRS_Editor"><p>\xe4\xb8\x80</p></div>', "html"),
        (b"  <p>\xe4\xb8\x80\xe3\x80\x81</p>\n<p>x</p>", "html"),
        (b"<table><tr><td>1</td></tr></table>", "html"),
        (b"<!-- CMS export --><div>x</div>", "html"),
        (b"\xe6\x9c\xac\xe6\x8a\xa5\xe5\x91\x8a<div> tag is mentioned </div>", None),
        (b"<div is how a page starts, says the text", None),
        (b"<2024\xe5\xb9\xb4>", None),
        (
            b'From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html"',
            "html",
        ),
    ],
)
def test_sniffing_pages_and_fragments(head: bytes, kind: str | None) -> None:
    assert sniff_format(head) == kind


def test_a_cms_fragment_reads() -> None:
    _, page = fixture_page("clean-2024.txt")
    fragment = page[page.index('<h1 class="article-title">') : page.index('<div class="bdsharebuttonbox">')]
    document = read_data(fragment.encode("utf-8"), "fragment.html")
    report = parse(document)
    assert document.format == "html" and report.metadata.year == 2024
    assert report.table3 is not None and report.table3.value("new", "tot") == 37


def _mhtml(html_part: bytes, content_type: str = "text/html") -> bytes:
    return (
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/a.html\r\n"
        b"Subject: =?utf-8?Q?x?=\r\nDate: Tue, 30 Dec 2025 21:37:37 +0800\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----B"\r\n\r\n\r\n'
        b"------B\r\nContent-Type: " + content_type.encode() + b"\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Location: http://www.example.gov.cn/a.html\r\n\r\n"
        + base64.encodebytes(html_part).replace(b"\n", b"\r\n")
        + b"\r\n------B--\r\n"
    )


def test_mhtml_archive_is_read_by_its_html_part() -> None:
    _, page = fixture_page("clean-2024.txt")
    document = read_data(_mhtml(page.encode("gbk").replace(b'charset="utf-8"', b'charset="gbk"')), "page.mht")
    assert document.format == "html" and document.publication_date == "2025-01-20"
    report = parse(document)
    assert report.table3 is not None and report.table3.value("new", "tot") == 37


def test_mhtml_without_html_part_says_how_to_save() -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        read_data(_mhtml(b"\x89PNG....", "image/png"), "page.mht")
    assert "仅HTML" in info.value.message_zh and "MHTML" in str(info.value)


# --- the page's publication date --------------------------------------------------------------------------

_REPORT = (
    "<p>一、总体情况</p><p>本年新收政府信息公开申请3件。</p><p>二、主动公开政府信息情况</p>"
    "<p>三、收到和处理政府信息公开申请情况</p><p>某县某局</p><p>2025年1月25日</p>"
)


def _date_of(head: str = "", before: str = "", article: str = _REPORT, after: str = "") -> str | None:
    page = (
        f"<html><head>{head}</head><body>{before}<h1>某县某局2024年政府信息公开工作年度报告</h1>"
        f"<div class='zoom'>{article}</div>{after}</body></html>"
    )
    return read_html(page.encode("utf-8"), "d.html").publication_date


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"head": '<meta name="PubDate" content="2025-01-26 10:00">'}, "2025-01-26"),
        ({"head": '<meta name="firstpublishedtime" content="2025-01-27-09:30:00">'}, "2025-01-27"),
        (
            {"head": '<meta property="article:published_time" content="2025-01-28T08:00:00+08:00">'},
            "2025-01-28",
        ),
        (
            {
                "before": "<table><tr><td>公开日期</td><td><publishtime>2025-01-17</publishtime></td></tr></table>"
            },
            "2025-01-17",
        ),
        (
            {
                "before": "<table><tr><td>发布机构</td><td>某县某局</td><td>公开日期</td><td>2025-01-18</td></tr></table>"
            },
            "2025-01-18",
        ),
        ({"after": "<div class='info'>来源：本站 发布日期：2025-01-26 浏览次数：9</div>"}, "2025-01-26"),
        ({"after": "<div>发布时间：2025年01月29日 10:21</div>"}, "2025-01-29"),
        ({"after": "<span>日期：2025/1/30</span>"}, "2025-01-30"),
        ({"article": "<p>发布时间：2025-02-03</p>" + _REPORT}, "2025-02-03"),
        # Not publication dates: the signature, a crawl or update time, the site header's today.
        ({}, None),
        (
            {
                "before": "<div class='meta'>采集时间：2025-12-30T21:37:37+08:00</div><div>更新时间：2025-03-01</div>"
            },
            None,
        ),
        ({"before": "<div class='header-t'>2025年12月30日 星期二</div>"}, None),
        ({"head": '<meta name="others" content="页面生成时间 2025-05-28 15:46:43">'}, None),
        ({"after": "<div>发布日期：2025-02-30</div>"}, None),
    ],
)
def test_publication_date_variants(kwargs: dict[str, str], expected: str | None) -> None:
    assert _date_of(**kwargs) == expected


def test_the_info_line_near_the_title_wins_over_a_sidebar_list() -> None:
    sidebar = (
        "<div class='left'><ul>"
        + "".join(
            f"<li><a href='/{i}'>通知{i}</a><span>发布时间：2024-0{i}-01</span></li>" for i in range(1, 6)
        )
        + "</ul></div>"
    )
    page = (
        f"<html><body><div class='wrap'>{sidebar}<div class='right'><div class='art'>"
        "<h1>某县某局2024年政府信息公开工作年度报告</h1><div class='info'>发布时间：2025-01-23</div>"
        f"<div class='zoom'>{_REPORT}</div></div></div></div></body></html>"
    )
    assert read_html(page.encode("utf-8"), "s.html").publication_date == "2025-01-23"


def test_page_date_wins_over_the_signature_and_drives_the_deadline_rule() -> None:
    _, page = fixture_page("clean-2024.txt", info="发布时间：2025年02月10日")
    page = page.replace(
        "本局无其他需要报告的事项。",
        "本局无其他需要报告的事项。</span></p><p>泗洪县市场监督管理局</p><p>2025年1月20日",
    )
    report = parse(read_data(page.encode("utf-8"), "late.html"))
    assert report.metadata.publication_date is not None
    assert report.metadata.publication_date.isoformat() == "2025-02-10"
    late = [f for f in nianbao.check(report) if f.rule == "TIME-DEADLINE"]
    assert len(late) == 1 and late[0].severity.value == "error"
    assert late[0].message.startswith("报告发布日期为2025年2月10日，晚于2025年1月31日的公开期限")


# --- bad pages ----------------------------------------------------------------------------------------------


def test_a_page_without_a_report_is_not_a_report() -> None:
    page = f"<html><body>{NAV}<div id='zoom'><h1>关于开展春季植树活动的通知</h1><p>各单位：请按时参加。</p></div></body></html>"
    with pytest.raises(NotAReportError):
        read_data(page.encode("utf-8"), "news.html")
    with pytest.raises(NotAReportError):
        read_data(b"<html><head><title>x</title></head><body></body></html>", "blank.html")


def _mutations(data: bytes, seed: int) -> Iterator[bytes]:
    rnd = random.Random(seed)
    for _ in range(15):
        cut = rnd.randrange(len(data))
        yield data[:cut]
        flipped = bytearray(data)
        for _ in range(20):
            flipped[rnd.randrange(len(flipped))] ^= 1 << rnd.randrange(8)
        yield bytes(flipped)
        yield data[:cut] + data[rnd.randrange(len(data)) :]


def test_truncated_and_mangled_pages_give_documented_errors_only() -> None:
    _, page = fixture_page("lushan-2024.txt")
    data = page.encode("gbk").replace(b'charset="utf-8"', b'charset="gb2312"')
    for mutated in _mutations(data, 7):
        try:
            document = read_data(mutated, "m.html")
        except ReadError as e:
            assert e.message_zh and str(e)
            continue
        parse(document)  # whatever was read parses without an exception
    truncated = read_data(data[: len(data) // 2], "half.html")
    assert any(isinstance(b, TableBlock) for b in truncated.blocks)


def test_unparseable_markup_is_corrupt_input() -> None:
    with pytest.raises((CorruptInputError, NotAReportError, EmptyInputError)):
        read_html(b"<html", "x.html")


def test_deep_nesting_is_bounded() -> None:
    page = "<html><body>" + "<div>" * 50000 + "政府信息公开工作年度报告" + "</div>" * 50000 + "</body></html>"
    document = read_html(page.encode(), "deep.html")  # libxml2 caps the depth; nothing recurses too far
    assert isinstance(document, Document)


# --- the real saved page --------------------------------------------------------------------------------------


def test_shuyang_fgj_saved_page(corpus: Path) -> None:
    path = corpus / "shuyang-fgj-2023.html"
    if not path.exists():
        pytest.skip(f"{path} not in the corpus")
    report = nianbao.read(path)
    meta = report.metadata
    assert meta.source_format == "html"
    assert meta.year == 2023 and meta.agency == "沭阳县发展和改革局"
    assert meta.publication_date is not None and meta.publication_date.isoformat() == "2024-01-17"
    t2, t3, t4 = report.table2, report.table3, report.table4
    assert t2 is not None and t3 is not None and t4 is not None
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [8, 0, 18]
    assert [t3.value(r, "tot") for r in ("new", "carry_in", "total", "carry_out")] == [26, 0, 26, 0]
    assert [t3.value(r, "np") for r in ("new", "carry_in", "total", "carry_out")] == [26, 0, 26, 0]
    assert t3.value("open", "tot") == 26 and t3.value("open", "np") == 26
    assert [t4.value("review", f) for f in ("keep", "correct", "other", "pending", "total")] == [
        0,
        0,
        0,
        1,
        1,
    ]
    # Every 法人或其他组织 cell of table 三 is blank: reported in a few findings, not one per cell.
    org = ("biz", "res", "ngo", "law", "oth")
    blanks = [(r, c) for r, c, cell in t3.iter_cells() if c in org and cell.kind == "blank"]
    assert len(blanks) == 25 * 5
    findings = nianbao.check(report)
    blank_findings = [f for f in findings if f.rule == "T3-BLANK"]
    assert 1 <= len(blank_findings) <= 5
    assert any("法人" in f.message or "商业企业" in f.message for f in blank_findings)
    # The heading variant 五、存在的主要问题及整改措施 is part 五; the narrative's 26 agrees with table 一.
    assert report.part("problems") is not None
    rules = {f.rule for f in findings}
    assert "STR-PARTS" not in rules and "TXT-REQUESTS" not in rules and "TIME-DEADLINE" not in rules
    assert not [f for f in findings if f.severity.value == "error"]
    # Nothing from the navigation or the crawler's header: the 2025 dates there are not the report's.
    for f in findings:
        span = f.location.span
        assert (
            span is None or span.element is None or "/ucapcontent" in span.element or "/h1" in span.element
        ), f


def test_html5_article_with_header_and_footer() -> None:
    body = report_html((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8").split("\n", 2)[2])
    page = (
        "<html><body><header><nav><a href='/'>首页</a></nav></header><main><article><header>"
        "<h1>泗洪县市场监督管理局2024年政府信息公开工作年度报告</h1><p>发布时间：2025-01-22</p></header>"
        f"<section>{body}</section><footer>责任编辑：某某</footer></article></main>"
        f"<aside>{SIDEBAR}</aside>{FOOTER}</body></html>"
    )
    document = read_data(page.encode("utf-8"), "h5.html")
    report = parse(document)
    assert report.metadata.title == "泗洪县市场监督管理局2024年政府信息公开工作年度报告"
    assert document.publication_date == "2025-01-22"
    assert report.table3 is not None and report.table3.value("new", "tot") == 37
    plain = document_text(document)
    assert "责任编辑" not in plain and "宿迁市财政局" not in plain


def test_a_page_that_links_to_its_report_says_where_it_is() -> None:
    page = (
        "<html><body><div class='zoom'><h1>某县某局2024年政府信息公开工作年度报告</h1>"
        "<p>附件：<a href='/u/2025/nb.pdf?x=1'>某县某局2024年政府信息公开工作年度报告.pdf</a></p></div></body></html>"
    )
    with pytest.raises(NotAReportError) as info:
        read_data(page.encode("utf-8"), "link.html")
    assert "附件“某县某局2024年政府信息公开工作年度报告.pdf”" in info.value.message_zh


def test_a_report_published_as_images_is_refused_with_advice() -> None:
    page = (
        "<html><body><div class='zoom'><h1>某县某局2024年政府信息公开工作年度报告</h1>"
        "<p><img src='1.jpg'></p><p><img src='2.jpg'></p></div></body></html>"
    )
    with pytest.raises(UnsupportedFormatError) as info:
        read_data(page.encode("utf-8"), "images.html")
    assert "图片" in info.value.message_zh
