"""Word (.docx) → Document: paragraphs and tables in document order, with Word paragraph and cell spans.

The zip is checked first (:mod:`nianbao.read.ooxml`: damaged, another format, zip bomb), then the main
part, its styles and its list numbering are parsed with lxml (no entity expansion, no network) and the
body is walked in order:

- a body paragraph is a text block with ``Span(paragraph=i, column=1)``, ``i`` its index in
  python-docx's ``Document.paragraphs``; its text is the accepted text of tracked changes
  (:mod:`nianbao.read.word_text`) with the number Word's automatic numbering shows in front of it
  (:mod:`nianbao.read.word_numbering`), and a heading style or outline level gives ``style="hN"``;
- a line break (``w:br``) starts a new text block (the parser rejoins wrapped lines, as for text);
- a paragraph whose tabs separate a label from values (「规章⇥0⇥0⇥3」, a table typed with tabs) is a
  table row, consecutive ones one table, as in a text file; other tabs become spaces;
- a table is a grid with merged cells repeated (:mod:`nianbao.read.word_tables`), cells spanned as
  ``Span(table=t, row=r, cell=c)`` with ``t`` its index in ``Document.tables`` and ``c`` the grid column;
  a cell's paragraphs are joined into one text, without a space between two CJK characters so that a
  label wrapped as 「商业」「企业」 reads 「商业企业」;
- paragraphs and tables inside content controls (``w:sdt``) and tables nested in cells, which
  python-docx does not index, are spanned by ``element`` (their XPath in the main part);
- text boxes, tables of contents, pictures and embedded objects are not body text: they are left out
  and counted in :attr:`Document.notes`.

Every failure on damaged input becomes a :class:`~nianbao.errors.ReadError`; nothing else escapes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lxml import etree

from nianbao.errors import EmptyInputError, NeedsOcrError, ReadError, TooLargeError, UnsupportedFormatError
from nianbao.model.document import Document, Segment, TableBlock, TableCellText, TextBlock
from nianbao.model.span import Span
from nianbao.model.trusted import trusted
from nianbao.read.ooxml import corrupt, open_word_package, part_root, related_parts
from nianbao.read.word_numbering import Numbering
from nianbao.read.word_styles import Styles, numbering_ref, outline_level
from nianbao.read.word_tables import grid_rows, unwrapped
from nianbao.read.word_text import TextWalker
from nianbao.read.word_xml import STRICT_WORD_NS, W, attr, child

__all__ = ["read_docx"]

# A lone ordinal before a tab is a list number (「一、⇥总体情况」), not the first cell of a row.
_ORDINAL_RE = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?$")
_WRAPPERS = frozenset({W.sdt, W.customXml})
# A report has a few hundred blocks and about 600 table cells. A main part within the size limit can
# still declare millions of one-letter paragraphs or rows of 256-column spans; stop well before that
# costs gigabytes.
MAX_BLOCKS = 20_000
MAX_CELLS = 50_000


def _cjk(ch: str) -> bool:
    """A character written without spaces around it in Chinese text (ideographs, full-width punctuation)."""
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff00" <= ch <= "\uffef"
        or "\u3000" <= ch <= "\u303f"
        or unicodedata.east_asian_width(ch) in ("W", "F")
    )


def join_lines(pieces: list[str]) -> str:
    """Lines of one cell as one text: no space between two CJK characters, a space otherwise."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not (_cjk(out[-1]) and _cjk(piece[0])):
            out += " "
        out += piece
    return out


def _row_pieces(line: str) -> list[tuple[int, str]] | None:
    """(offset, text) of each tab-separated cell when ``line`` is a row typed with tabs, else None."""
    pieces: list[tuple[int, str]] = []
    pos = 0
    for piece in line.split("\t"):
        pieces.append((pos, piece))
        pos += len(piece) + 1
    filled = [text.strip() for _, text in pieces if text.strip()]
    if len(filled) < 2 or _ORDINAL_RE.match(filled[0]) or any("。" in text for text in filled):
        return None
    return pieces


class _BodyReader:
    """Walks the body in document order, collecting blocks; list numbering and fields run across it."""

    def __init__(
        self, path: str | None, styles: Styles, numbering: Numbering, tree: etree._ElementTree
    ) -> None:
        self.path = path
        self.styles = styles
        self.numbering = numbering
        self.tree = tree
        self.walker = TextWalker()
        self.blocks: list[TextBlock | TableBlock] = []
        self._rows: list[list[TableCellText]] = []
        self._rows_span: Span | None = None
        self.toc_lines = 0
        self.nested_tables = 0
        self.alt_chunks = 0  # content imported as a whole HTML/RTF file (w:altChunk): not WordprocessingML
        self._blocks = self._cells = 0  # counted against MAX_BLOCKS and MAX_CELLS

    def _grow(self, blocks: int = 0, cells: int = 0) -> None:
        self._blocks += blocks
        self._cells += cells
        if self._blocks > MAX_BLOCKS or self._cells > MAX_CELLS:
            where = self.path or "<input>"
            raise TooLargeError(
                f"{where}: more than {MAX_BLOCKS} paragraphs or {MAX_CELLS} table cells; a report is never that long",
                f"{where}：文档段落或表格单元格数量远超一份年度报告（超过{MAX_BLOCKS}段或{MAX_CELLS}格），已停止读取。",
                path=self.path,
            )

    # -- places ---------------------------------------------------------------------------------

    def _element(self, node: etree._Element) -> str:
        return str(self.tree.getpath(node))

    def _span(self, **fields: Any) -> Span:
        return trusted(Span, path=self.path, **fields)

    # -- body -----------------------------------------------------------------------------------

    def body(self, body: etree._Element) -> None:
        paragraph = table = 0
        for node in body:
            if node.tag == W.p:
                self.paragraph(node, {"paragraph": paragraph})
                paragraph += 1
            elif node.tag == W.tbl:
                self.table(node, {"table": table})
                table += 1
            elif node.tag in _WRAPPERS:  # content controls: python-docx does not index their content
                self._wrapped(node)
            elif node.tag == W.altChunk:
                self.alt_chunks += 1
        self._flush_rows()

    def _wrapped(self, wrapper: etree._Element) -> None:
        content = child(wrapper, W.sdtContent) if wrapper.tag == W.sdt else wrapper
        if content is None:
            return
        for node in content:
            if node.tag == W.p:
                self.paragraph(node, {"element": self._element(node)})
            elif node.tag == W.tbl:
                self.table(node, {"element": self._element(node)})
            elif node.tag in _WRAPPERS:
                self._wrapped(node)

    # -- paragraphs -----------------------------------------------------------------------------

    def _number(self, ppr: etree._Element | None, style_id: str | None) -> str:
        direct = numbering_ref(ppr)
        inherited = self.styles.numbering(style_id)
        num_id = direct.num_id if direct is not None and direct.num_id else None
        if num_id is None and inherited is not None:
            num_id = inherited.num_id
        if not num_id or num_id == "0":
            return ""
        ilvl = direct.ilvl if direct is not None else inherited.ilvl if inherited is not None else 0
        return self.numbering.label(num_id, ilvl)

    def paragraph(self, p: etree._Element, place: dict[str, Any]) -> None:
        ppr = child(p, W.pPr)
        style_id = attr(child(ppr, W.pStyle), W.val)
        text = self.walker.paragraph(p)
        if self.styles.is_toc(style_id):
            self.toc_lines += bool(text.strip())
            return
        prefix = self._number(ppr, style_id)
        level = self.styles.heading_level(style_id, outline_level(ppr))
        style = f"h{level}" if level is not None and level <= 6 else None
        offset = 0
        for k, line in enumerate(text.split("\n")):
            start, offset = offset, offset + len(line) + 1
            number = prefix if k == 0 else ""
            lead = len(line) - len(line.lstrip())
            line = line[lead:]
            if not line.strip():
                continue  # an empty paragraph (its list number alone, if any, says nothing)
            pieces = _row_pieces(line)
            if pieces is not None:
                self._add_row(pieces, number, place, start + lead)
                continue
            self._flush_rows()
            body = line.rstrip().replace("\t", " ")
            span = self._span(**place, column=start + lead + 1)
            segments = [Segment(start=0, span=span), Segment(start=len(number), span=span)] if number else []
            self.blocks.append(TextBlock(text=number + body, given=span, segments=segments, style=style))
            self._grow(blocks=1)

    def _add_row(self, pieces: list[tuple[int, str]], number: str, place: dict[str, Any], base: int) -> None:
        row: list[TableCellText] = []
        for i, (offset, piece) in enumerate(pieces):
            lead = len(piece) - len(piece.lstrip())
            text = (number if i == 0 else "") + piece.strip()
            row.append(TableCellText(text, given=self._span(**place, column=base + offset + lead + 1)))
        self._grow(cells=len(row))
        if self._rows_span is None:
            self._rows_span = self._span(**place, column=base + 1)
        self._rows.append(row)

    def _flush_rows(self) -> None:
        if self._rows and self._rows_span is not None:
            self.blocks.append(TableBlock(rows=self._rows, span=self._rows_span))
        self._rows, self._rows_span = [], None

    # -- tables ---------------------------------------------------------------------------------

    def table(self, tbl: etree._Element, place: dict[str, Any]) -> None:
        self._flush_rows()
        nested: list[etree._Element] = []

        def cell_text(tc: etree._Element) -> str:
            lines: list[str] = []
            for node in tc:
                if node.tag == W.p:
                    lines.append(self._cell_paragraph(node))
                elif node.tag == W.tbl:
                    nested.append(node)
                elif node.tag in _WRAPPERS:
                    for inner in unwrapped(node, W.p):
                        lines.append(self._cell_paragraph(inner))
                    nested.extend(unwrapped(node, W.tbl))
            return join_lines(lines)

        rows: list[list[TableCellText]] = []
        for r, cells in grid_rows(tbl, cell_text):
            self._grow(cells=len(cells))
            rows.append(
                [TableCellText(cell.text, given=self._span(**place, row=r, cell=cell.col)) for cell in cells]
            )
        if rows:
            self.blocks.append(TableBlock(rows=rows, span=self._span(**place)))
        for inner in nested:  # a table inside a cell: read after its outer table, placed by element
            self.nested_tables += 1
            self.table(inner, {"element": self._element(inner)})

    def _cell_paragraph(self, p: etree._Element) -> str:
        ppr = child(p, W.pPr)
        text = self.walker.paragraph(p)
        number = self._number(ppr, attr(child(ppr, W.pStyle), W.val))
        return number + join_lines(text.replace("\t", " ").split("\n"))

    # -- notes ----------------------------------------------------------------------------------

    def notes(self) -> list[str]:
        notes: list[str] = []
        if self.walker.text_boxes:
            notes.append(f"已忽略{self.walker.text_boxes}个文本框中的文字")
        if self.toc_lines:
            notes.append(f"已忽略目录（{self.toc_lines}行）")
        if self.nested_tables:
            notes.append(f"有{self.nested_tables}个表格嵌套在其他表格的单元格中，已单独读取")
        if self.walker.objects:
            notes.append(f"有{self.walker.objects}个嵌入对象（如粘贴的Excel表格）无法读取，其中的内容未检查")
        return notes


def _has_text(blocks: list[TextBlock | TableBlock]) -> bool:
    for block in blocks:
        if isinstance(block, TextBlock):
            if block.text.strip():
                return True
        elif any(cell.text.strip() for row in block.rows for cell in row):
            return True
    return False


def _read(data: bytes, path: str | None) -> Document:
    where = path or "<input>"
    package = open_word_package(data, path)
    root = part_root(package, package.main, path)
    if root is None:
        raise corrupt(path, f"{package.main} is missing")
    if root.tag == f"{{{STRICT_WORD_NS}}}document":
        raise UnsupportedFormatError(
            f"{where}: a Strict Open XML document; save it in Word as an ordinary Word document (.docx)",
            f"{where}：这是“Strict Open XML”格式的Word文档，请在Word中“另存为”普通Word文档（.docx）后再检查。",
            path=path,
        )
    if root.tag != W.document:
        raise corrupt(path, f"{package.main} is not a Word document body")
    parts = related_parts(package, package.main, path)
    styles = Styles.from_xml(part_root(package, parts["styles"], path) if "styles" in parts else None)
    numbering = Numbering.from_xml(
        part_root(package, parts["numbering"], path) if "numbering" in parts else None
    )
    reader = _BodyReader(path, styles, numbering, root.getroottree())
    body = child(root, W.body)
    if body is not None:
        reader.body(body)
    if not _has_text(reader.blocks):
        if reader.alt_chunks:
            raise UnsupportedFormatError(
                f"{where}: the document's content is an embedded web page or RTF file (altChunk), as some "
                "office systems export it; open it in Word and save it again as .docx",
                f"{where}：文档内容是以嵌入网页或RTF形式保存的（部分办公系统导出的文件如此），无法直接读取。"
                "请在Word中打开后重新“另存为”.docx文件再检查。",
                path=path,
            )
        if reader.walker.pictures or reader.walker.objects:
            raise NeedsOcrError(
                f"{where}: the Word document holds pictures but no text (a scanned report?); "
                "the report's text is needed",
                f"{where}：Word文档中只有图片，没有文字（可能是扫描件），无法检查。请使用报告的文字版本。",
                path=path,
            )
        raise EmptyInputError(
            f"{where}: the Word document has no text",
            f"{where}：Word文档中没有文字内容。",
            path=path,
        )
    return Document(path=path, format="docx", blocks=reader.blocks, notes=reader.notes())


def read_docx(data: bytes, path: str | None = None) -> Document:
    """Read the bytes of a Word (.docx) file into a Document.

    Raises CorruptInputError (damaged zip or XML), UnsupportedFormatError (an Excel, PowerPoint,
    OpenDocument or other zip file), TooLargeError (a zip bomb), EncryptedInputError, NeedsOcrError
    (pictures only) or EmptyInputError (no text).
    """
    try:
        return _read(data, path)
    except ReadError:
        raise
    except Exception as e:  # the reader boundary: any failure on damaged input is a corrupt file
        raise corrupt(path, f"{type(e).__name__}: {e}") from None
