"""PDF with a text layer → Document: text lines in reading order, ruled tables as grids, no page furniture.

Every page is read with pdfplumber (pdfminer.six underneath): its data tables (:mod:`.pdf_tables`),
then the characters outside them as visual lines (:mod:`.pdf_lines`, one or two columns), one
:class:`TextBlock` per line, because joining lines wrapped by the page width into paragraphs is the
parser's job. Page numbers and running headers or footers are dropped (:mod:`.pdf_margins`) and
counted in ``Document.notes``. Radical code points are mapped to characters and spacing between CJK
characters removed (:mod:`.pdf_glyphs`); a page turned by a quarter is read upright
(:mod:`.pdf_rotation`); bold drawn twice is read once; a glyph whose font maps it to no character
is kept as U+FFFD and counted in the notes. Content streams and the file's objects are tokenized by
:mod:`.pdf_content` (pdfminer's tokens, read faster).

Spans: a text line is ``Span(path, page=p, line=l)`` with ``l`` counted from 1 among the page's text
lines (table rows are not lines; dropped headers and footers are); a table cell is
``Span(path, page=p, table=t, row=r, cell=c)`` with ``t`` counted over the whole document from 0, and
``r``/``c`` its grid position on that page (a table continued on the next page is a table of its own).

Bounds (:mod:`.pdf_limits`): more than :data:`MAX_PAGES` pages is refused before any page is read; a
stream that would inflate beyond a report's size, or a page drawing more objects than a report page
does, is skipped with a note; the whole file must be read within :data:`READ_SECONDS`. A password,
a scan without a text layer (or a text layer whose fonts map to no characters) and a damaged file
each get their own error; no pdfminer exception escapes.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfplumber.utils.exceptions import PdfminerException

from nianbao.errors import CorruptInputError, EncryptedInputError, NeedsOcrError, ReadError, TooLargeError
from nianbao.model.document import Document, TableBlock, TableCellText, TextBlock
from nianbao.model.span import Span
from nianbao.model.trusted import trusted
from nianbao.read.pdf_content import use_fast_objects
from nianbao.read.pdf_limits import (
    MAX_PAGES,
    READ_SECONDS,
    BoundedPage,
    PageTooComplex,
    declared_page_count,
    page_streams_problem,
)
from nianbao.read.pdf_lines import PageLine, page_items
from nianbao.read.pdf_margins import PageLines, drop_margins
from nianbao.read.pdf_rotation import sideways, turn_chars, turn_edges
from nianbao.read.pdf_tables import PageTable, find_tables, visible_rules

__all__ = ["MAX_PAGES", "read_pdf"]

# pdfminer logs a warning for every font it finds odd («Could not get FontBBox»); with no logging
# configured those would reach the terminal through logging's last-resort handler. A NullHandler
# keeps them out of the CLI's output and still passes them to handlers an application configures.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfplumber").addHandler(logging.NullHandler())

_TEXT_LAYER_MIN = 10  # printable characters on a page with a text layer (a scan has none)
_UNMAPPED = "\ufffd"  # stands for a glyph the font maps to no character
_SAME_PLACE = 1.0  # points: a glyph drawn this close to the same glyph is a copy (fake bold)
_UPRIGHT_SHARE = 0.8  # turned characters are dropped (a watermark) while most characters are level
_LEVEL_SLOPE = 0.1  # a baseline rising less than this per unit of advance is horizontal


def read_pdf(data: bytes, path: str | None = None) -> Document:
    """Read a PDF file's bytes into a Document (``path`` is used in spans and messages only)."""
    where = path or "<input>"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pdfminer warns about odd files it reads anyway
        try:
            return _read(data, path, where)
        except ReadError:
            raise
        except Exception as exc:  # the reader boundary: damaged input in any form becomes a ReadError
            raise _read_error(exc, where, path) from exc


def _read_error(exc: BaseException, where: str, path: str | None) -> ReadError:
    cause = exc
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        cause = exc.args[0]
    if isinstance(cause, PDFEncryptionError):
        return EncryptedInputError(
            f"{where}: the PDF is password-protected; please provide an unencrypted file",
            f"{where}：PDF文件有密码保护，无法读取其中的文字，请提供未加密的文件。",
            path=path,
        )
    detail = f"{type(cause).__name__}: {cause}"[:200]
    return CorruptInputError(
        f"{where}: the PDF file is damaged and cannot be read ({detail})",
        f"{where}：PDF文件已损坏或结构不完整，无法读取，请重新导出或下载该文件后再检查。",
        path=path,
    )


def _too_large(where: str, path: str | None, pages: int | None) -> TooLargeError:
    """``pages``: the declared page count, or None when the page tree was counted past the limit."""
    if pages is None:
        return TooLargeError(
            f"{where}: the PDF has more than {MAX_PAGES} pages, the limit for a report",
            f"{where}：PDF文件超过{MAX_PAGES}页，超过年度报告的页数上限，不像一份年度报告。",
            path=path,
        )
    return TooLargeError(
        f"{where}: the PDF has {pages} pages, more than the {MAX_PAGES}-page limit for a report",
        f"{where}：PDF文件共{pages}页，超过年度报告的{MAX_PAGES}页上限，不像一份年度报告。",
        path=path,
    )


def _page_objects(pdf: Any, where: str, path: str | None) -> list[PDFPage]:
    """The document's pages, refusing more than MAX_PAGES before any page is interpreted."""
    declared = declared_page_count(pdf.doc)
    if declared is not None and declared > MAX_PAGES:
        raise _too_large(where, path, declared)
    pages: list[PDFPage] = []
    for page in PDFPage.create_pages(pdf.doc):  # the page tree only: nothing is drawn yet
        if len(pages) == MAX_PAGES:
            raise _too_large(where, path, None)  # a /Count that understates the pages
        pages.append(page)
    return pages


class _PageRead:
    """What one page gave: its lines and tables in reading order, and whether it has a text layer."""

    def __init__(
        self, number: int, height: float, items: list[Any], printable: int, pictures: int, unmapped: int
    ) -> None:
        self.number = number
        self.lines = PageLines(height, items)
        self.printable = printable
        self.pictures = pictures
        self.unmapped = unmapped  # glyphs whose font gives no character (pdfminer's «(cid:123)»)


def _read_page(page: BoundedPage) -> _PageRead:
    chars = _dedupe(page.chars)
    unmapped = 0
    for ch in chars:
        if ch["text"].startswith("(cid:"):
            ch["text"] = _UNMAPPED
            unmapped += 1
    printable = sum(1 for ch in chars if not ch["text"].isspace())
    edges = visible_rules(page)
    width, height = float(page.width), float(page.height)
    turn = sideways(chars)
    if turn:  # a page turned by a quarter: read it in the frame where its text is upright
        chars = turn_chars(chars, turn, width, height)
        edges = turn_edges(edges, turn, width, height)
        width, height = height, width
    level = [ch for ch in chars if _is_level(ch)]
    if len(level) >= _UPRIGHT_SHARE * len(chars):
        chars = level  # turned text among level text is a watermark or a stamp
    tables = find_tables(page, chars, edges)
    outside = [ch for ch in chars if not any(_inside(ch, t) for t in tables)]
    items = page_items(outside, tables, width)
    pictures = len(page.images) + (1 if len(page.curves) > 200 else 0)  # text drawn as outlines too
    return _PageRead(page.page_number, height, items, printable, pictures, unmapped)


def _is_level(ch: dict[str, Any]) -> bool:
    """True for a character on a horizontal baseline (pdfminer calls text turned by 45° upright)."""
    matrix = ch.get("matrix")
    if not isinstance(matrix, (tuple, list)) or len(matrix) < 2:
        return bool(ch.get("upright", True))
    a, b = float(matrix[0]), float(matrix[1])
    return a > 0 and abs(b) <= _LEVEL_SLOPE * a


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Characters without the copies drawn over them (WPS and Word draw bold text twice, offset by
    a fraction of a point). Cheaper than pdfplumber's clustering, which is built for any tolerance."""
    order = sorted(
        range(len(chars)), key=lambda i: (chars[i]["text"], round(chars[i]["top"]), chars[i]["x0"])
    )
    drop: set[int] = set()
    prev: dict[str, Any] | None = None
    for i in order:
        ch = chars[i]
        if (
            prev is not None
            and ch["text"] == prev["text"]
            and abs(ch["top"] - prev["top"]) <= _SAME_PLACE
            and abs(ch["x0"] - prev["x0"]) <= _SAME_PLACE
        ):
            drop.add(i)
            continue
        prev = ch
    return [ch for i, ch in enumerate(chars) if i not in drop] if drop else list(chars)


def _inside(ch: dict[str, Any], table: PageTable) -> bool:
    x0, top, x1, bottom = table.bbox
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return bool(x0 <= cx <= x1 and top <= cy <= bottom)


def _read(data: bytes, path: str | None, where: str) -> Document:
    started = time.monotonic()
    notes: list[str] = []
    pages: list[_PageRead] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        use_fast_objects(pdf.doc)
        page_objects = _page_objects(pdf, where, path)
        checked: set[int] = set()
        doctop = 0.0
        for number, page_obj in enumerate(page_objects, start=1):
            if time.monotonic() - started > READ_SECONDS:
                raise TooLargeError(
                    f"{where}: reading the PDF took longer than {READ_SECONDS:.0f} s (stopped at page {number})",
                    f"{where}：PDF文件过于复杂，{READ_SECONDS:.0f}秒内未能读完（停在第{number}页），不像一份年度报告。",
                    path=path,
                )
            problem = page_streams_problem(page_obj, checked)
            if problem is not None:
                notes.append(
                    f"第{number}页内容数据过大，已跳过该页（page {number} skipped: {problem} too large）"
                )
                continue
            page = BoundedPage(pdf, page_obj, page_number=number, initial_doctop=doctop)
            doctop += float(page.height)
            try:
                pages.append(_read_page(page))
            except PageTooComplex:
                notes.append(
                    f"第{number}页图形和文字对象过多，已跳过该页（page {number} skipped: too many objects）"
                )
            finally:
                page.close()
    _check_text_layer(pages, notes, where, path)
    numbers, repeated = drop_margins([p.lines for p in pages])
    if numbers:
        notes.append(f"已忽略{numbers}处页码行（如「- 3 -」）")
    if repeated:
        notes.append(f"已忽略{repeated}处页眉页脚中重复出现的文字")
    return Document(path=path, format="pdf", blocks=_blocks(pages, path), notes=notes)


def _check_text_layer(pages: list[_PageRead], notes: list[str], where: str, path: str | None) -> None:
    """A scan (pictures, no characters) cannot be read; a scanned page among text pages is noted."""
    blind = [p for p in pages if p.printable < _TEXT_LAYER_MIN and p.pictures]
    if pages and all(p.printable < _TEXT_LAYER_MIN for p in pages) and blind:
        raise NeedsOcrError(
            f"{where}: a scan without a text layer; run text recognition (OCR) on it first, "
            "or use the report's .docx or web page",
            f"{where}：这是扫描件（没有文字层），需先进行文字识别（OCR），或改用报告的Word文档、网页版本后再检查。",
            path=path,
        )
    for p in blind:
        notes.append(f"第{p.number}页没有文字层（可能是扫描图片），其内容未能读取")
    unmapped = sum(p.unmapped for p in pages)
    if unmapped and unmapped * 2 > sum(p.printable for p in pages):
        raise NeedsOcrError(
            f"{where}: the PDF's text cannot be extracted (its fonts map glyphs to no characters); "
            "run text recognition (OCR) on it first, or use the report's .docx or web page",
            f"{where}：PDF文件中的文字无法提取（字体缺少字符编码信息），需先进行文字识别（OCR），"
            "或改用报告的Word文档、网页版本后再检查。",
            path=path,
        )
    if unmapped:
        notes.append(f"有{unmapped}个字符因字体缺少编码信息无法识别，以“\ufffd”代替")


def _blocks(pages: list[_PageRead], path: str | None) -> list[TextBlock | TableBlock]:
    blocks: list[TextBlock | TableBlock] = []
    table_index = 0
    for page in pages:
        line_no = 0
        for item in page.lines.items:
            if isinstance(item, PageLine):
                line_no += 1
                if id(item) in page.lines.dropped:
                    continue
                span = trusted(Span, path=path, page=page.number, line=line_no)
                blocks.append(TextBlock(text=item.text, path=path, given=span))
            else:
                blocks.append(_table_block(item, page.number, table_index, path))
                table_index += 1
    return blocks


def _table_block(table: PageTable, page: int, index: int, path: str | None) -> TableBlock:
    rows = [
        [
            TableCellText(
                text, path=path, given=trusted(Span, path=path, page=page, table=index, row=r, cell=c)
            )
            for c, text in enumerate(row)
        ]
        for r, row in enumerate(table.rows)
    ]
    return TableBlock(rows=rows, span=trusted(Span, path=path, page=page, table=index))
