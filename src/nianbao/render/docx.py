"""Report → Word (.docx) in the official layout, built with python-docx from scratch.

Page and type follow the usual 党政机关公文 look (GB/T 9704): A4, title in 方正小标宋简体 二号 centred,
part headings in 黑体 三号, sub-headings in 楷体_GB2312 三号, body text in 仿宋_GB2312 三号 with a
two-character first-line indent, tables in 宋体 with borders (Table Grid) and the template's merged
header cells. East Asian font names go in ``w:rFonts/@w:eastAsia`` (python-docx only sets the Latin
ones), and theme font references are removed so that the named fonts apply.

The output is deterministic: the same report gives the same bytes (fixed core properties, zip members
written in a fixed order with a fixed timestamp).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl, CT_Tc
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as WordParagraph

from nianbao.model.report import Report
from nianbao.render.layout import (
    Block,
    Grid,
    GridCell,
    TableKey,
    blocks,
    grid_table2,
    grid_table3,
    grid_table4,
)

__all__ = ["build_docx", "render_docx", "write_docx"]

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

_BODY_SIZE = Pt(16)  # 三号
_TITLE_SIZE = Pt(22)  # 二号
_TABLE_SIZE = {"table2": Pt(12), "table3": Pt(9), "table4": Pt(9)}  # 小四; 小五 for the wide tables
_LINE = Pt(28)  # fixed line pitch of 公文 body text
_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))  # top, bottom, left, right
_FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_STAMP = (0, (0 << 9) | (1 << 5) | 1)  # DOS time 00:00:00, date 1980-01-01
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(owner: BaseOxmlElement, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the Latin and East Asian fonts on a run or style (``owner`` has or gets a ``w:rPr``)."""
    rpr = owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_heading(style: ParagraphStyle, east_asia: str, size: Pt) -> None:
    _set_fonts(style.element, east_asia)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _LINE
    fmt.first_line_indent = Pt(32)
    fmt.keep_with_next = True


def _setup(doc: WordDocument, title: str, report: Report) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = _MARGINS

    _set_defaults(doc)
    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = _BODY_SIZE
    _style_heading(_paragraph_style(doc, "Heading 1"), HEADING_FONT, _BODY_SIZE)
    _style_heading(_paragraph_style(doc, "Heading 2"), SUBHEADING_FONT, _BODY_SIZE)

    props = doc.core_properties
    props.title = title
    props.author = "nianbao"
    props.last_modified_by = "nianbao"
    props.revision = 1
    props.language = "zh-CN"
    published = report.metadata.publication_date
    when = dt.datetime.combine(published, dt.time(), dt.UTC) if published else _FIXED_TIME
    props.created = when
    props.modified = when
    props.last_printed = when


def _set_defaults(doc: WordDocument) -> None:
    """Document defaults: named fonts instead of theme fonts, Chinese as the East Asian language, and
    no default spacing after paragraphs (python-docx's template has 10 pt, which table cells inherit)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in _THEME_ATTRS:
                fonts.attrib.pop(qn(attr), None)
            for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT)):
                fonts.set(qn(attr), name)
            fonts.set(qn("w:eastAsia"), BODY_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")


def _paragraph_style(doc: WordDocument, name: str) -> ParagraphStyle:
    style = doc.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def _body_format(paragraph: WordParagraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters of 三号
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _add_title(doc: WordDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(16)
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    fmt.line_spacing = Pt(36)
    run = paragraph.add_run(text)
    _set_fonts(run.element, TITLE_FONT)
    run.font.size = _TITLE_SIZE


def _add_heading(doc: WordDocument, text: str, style_id: str) -> None:
    paragraph = doc.add_paragraph(text)
    # By style id: python-docx looks a style name up with an XPath over every style, per paragraph.
    paragraph._p.style = style_id


def _add_text(doc: WordDocument, block: Block) -> None:
    paragraph = doc.add_paragraph()
    _body_format(paragraph)
    if block.lead:
        # 「（一）主动公开情况。」 in 楷体, the rest in the body font: one paragraph, unchanged text.
        _set_fonts(paragraph.add_run(block.text[: block.lead]).element, SUBHEADING_FONT)
    if block.text[block.lead :]:
        paragraph.add_run(block.text[block.lead :])


def _column_widths(grid: Grid, width: int) -> list[int]:
    total = sum(grid.widths)
    return [width * w // total for w in grid.widths]


def _prototypes(doc: WordDocument, size: Pt) -> dict[str, tuple[BaseOxmlElement, BaseOxmlElement]]:
    """Paragraph and run properties for each cell role, built once with python-docx and then copied
    into every cell (python-docx's per-property setters are slow on tables of hundreds of cells)."""
    out: dict[str, tuple[BaseOxmlElement, BaseOxmlElement]] = {}
    for role in ("caption", "header", "label", "value"):
        scratch = doc.add_paragraph()
        scratch.alignment = WD_ALIGN_PARAGRAPH.LEFT if role == "label" else WD_ALIGN_PARAGRAPH.CENTER
        fmt = scratch.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        run = scratch.add_run("")
        _set_fonts(run.element, TABLE_FONT)
        run.font.size = size
        if role == "caption":
            run.font.bold = True
        ppr, rpr = scratch._p.pPr, run._r.rPr
        assert ppr is not None and rpr is not None
        out[role] = (ppr, rpr)
        body = scratch._p.getparent()
        assert body is not None
        body.remove(scratch._p)
    return out


def _merge(rows: list[list[CT_Tc]], spec: GridCell) -> None:
    """Merge the cells an origin covers as Word does: ``w:gridSpan`` across, ``w:vMerge`` down."""
    for r in range(spec.row, spec.row + spec.rowspan):
        tc = rows[r][spec.col]
        if spec.colspan > 1:
            tc.grid_span = spec.colspan
            tr = tc.getparent()
            assert tr is not None
            for covered in rows[r][spec.col + 1 : spec.col + spec.colspan]:
                tr.remove(covered)
        if spec.rowspan > 1:
            tc.vMerge = "restart" if r == spec.row else "continue"


def _build_table(doc: WordDocument, grid: Grid, width: int) -> tuple[CT_Tbl, dict[tuple[int, int], CT_Tc]]:
    """Draw ``grid`` as a Word table at the end of ``doc``; also return each origin's ``w:tc``."""
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(grid, width)
    for column, w in zip(table.columns, widths, strict=True):
        column.width = Emu(w)
    rows: list[list[CT_Tc]] = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for spec in grid.cells:
        if spec.rowspan > 1 or spec.colspan > 1:
            _merge(rows, spec)
    protos = _prototypes(doc, _TABLE_SIZE[grid.key])
    for spec in grid.cells:
        ppr, rpr = protos[spec.role]
        p = rows[spec.row][spec.col].p_lst[0]
        p.insert(0, copy.deepcopy(ppr))
        if spec.text:
            r = p.add_r()
            r.append(copy.deepcopy(rpr))
            r.add_t(spec.text)
    # Word sizes columns by each cell's own width: give every cell the sum of the columns it spans.
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            tc.width = Emu(sum(widths[col : col + tc.grid_span]))
            col += tc.grid_span
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "center")
            tc.get_or_add_tcPr().append(valign)  # last child of w:tcPr in schema order
    return table._tbl, {(s.row, s.col): rows[s.row][s.col] for s in grid.cells}


@dataclass(frozen=True, slots=True)
class _Blank:
    """A table drawn once with empty value cells; each report copies it and writes its values in."""

    tbl: CT_Tbl
    places: dict[tuple[int, int], tuple[int, int]]  # grid place of an origin → (row, index in w:tr)
    value_rpr: BaseOxmlElement


_BLANK_GRIDS: dict[str, Callable[[None], Grid]] = {
    "table2": grid_table2,
    "table3": grid_table3,
    "table4": grid_table4,
}


@functools.cache
def _blank(key: TableKey, width: int) -> _Blank:
    # Labels, merges, widths and cell formats never change: drawing them with python-docx's setters
    # took most of the rendering time, so they are drawn once per process.
    scratch = new_document()
    _set_defaults(scratch)
    grid = _BLANK_GRIDS[key](None)
    tbl, origins = _build_table(scratch, grid, width)
    places = {}
    for place, tc in origins.items():
        tr = tc.getparent()
        assert isinstance(tr, CT_Row)
        places[place] = (tbl.tr_lst.index(tr), tr.tc_lst.index(tc))
    value_rpr = _prototypes(scratch, _TABLE_SIZE[key])["value"][1]
    return _Blank(tbl, places, value_rpr)


def _add_table(doc: WordDocument, grid: Grid, width: int) -> None:
    blank = _blank(grid.key, width)
    tbl = copy.deepcopy(blank.tbl)
    rows = tbl.tr_lst
    for spec in grid.cells:
        if spec.role == "value" and spec.text:
            r, i = blank.places[(spec.row, spec.col)]
            # Plain lxml: python-docx's add_r/add_t search the schema order on every call.
            run = OxmlElement("w:r")
            run.append(copy.deepcopy(blank.value_rpr))
            text = OxmlElement("w:t")
            text.text = spec.text
            if spec.text != spec.text.strip():
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(text)
            rows[r].tc_lst[i].p_lst[0].append(run)
    body = doc.element.body
    section = body.sectPr
    if section is not None:
        section.addprevious(tbl)
    else:
        body.append(tbl)


def _deterministic_zip(data: bytes) -> bytes:
    """The same package with every member's time set to one fixed value (python-docx stamps 'now').

    The DOS time and date fields of the local and central directory headers are rewritten in place
    (ZIP format, APPNOTE 4.3.7 and 4.3.12): nothing is decompressed or compressed again.
    """
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    if end < 0:
        raise ValueError("not a zip package")
    count, _, offset = struct.unpack_from("<HII", out, end + 10)
    for _ in range(count):
        if out[offset : offset + 4] != b"PK\x01\x02":
            raise ValueError("damaged zip central directory")
        struct.pack_into("<HH", out, offset + 12, *_ZIP_STAMP)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, offset + 28)
        (local,) = struct.unpack_from("<I", out, offset + 42)
        if out[local : local + 4] != b"PK\x03\x04":
            raise ValueError("damaged zip local header")
        struct.pack_into("<HH", out, local + 10, *_ZIP_STAMP)
        offset += 46 + name_len + extra_len + comment_len
    return bytes(out)


def build_docx(report: Report) -> WordDocument:
    """The report as a python-docx Document in the official layout (not yet saved)."""
    layout = blocks(report)
    doc = new_document()
    _setup(doc, layout[0].text, report)
    section = doc.sections[0]
    width = (
        int(section.page_width or Mm(210)) - int(section.left_margin or 0) - int(section.right_margin or 0)
    )
    for block in layout:
        if block.kind == "title":
            _add_title(doc, block.text)
        elif block.kind == "heading":
            _add_heading(doc, block.text, "Heading1")
        elif block.kind == "subheading":
            _add_heading(doc, block.text, "Heading2")
        elif block.kind == "text":
            _add_text(doc, block)
        elif block.grid is not None:
            _add_table(doc, block.grid, width)
    return doc


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes; the same report always gives the same bytes."""
    buffer = io.BytesIO()
    build_docx(report).save(buffer)
    return _deterministic_zip(buffer.getvalue())


def write_docx(report: Report, path: str | Path) -> None:
    """Write the report as a .docx file at ``path``."""
    Path(path).write_bytes(render_docx(report))
