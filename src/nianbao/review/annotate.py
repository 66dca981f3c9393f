"""Findings → a copy of the Word (.docx) report with one comment (批注) per finding.

Reviewers in government offices send reports back as Word files with comments; this writes exactly that.
Each finding becomes one comment (author 「nianbao」, initials 「NB」, text 「【错误 T3-BALANCE】…」) anchored
on the paragraph or table cell its span names, counted as the .docx reader counts them (paragraph ``i`` is
``Document.paragraphs[i]``; table ``t``, row ``r``, grid column ``c`` is that cell of ``Document.tables[t]``
with merged cells expanded; content controls and nested tables by their ``element`` path).
Where the span gives a column and the finding quotes the text found there, the comment covers just that
text (runs are split with their formatting kept). Findings with no place in this document (no span, a span
of another file such as last year's report, indices out of range) go together into one comment on the title.

The source is never modified; the copy is written atomically (a temporary file in the target's directory,
then ``os.replace``), so a failure never leaves a partial file behind.
"""

from __future__ import annotations

import bisect
import copy
import io
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from nianbao import output
from nianbao.errors import WriteError
from nianbao.model.finding import Finding, Severity
from nianbao.model.span import Span
from nianbao.read.decode import read_bytes, sniff_format
from nianbao.read.word_tables import grid_rows
from nianbao.read.word_text import TextWalker

__all__ = [
    "AUTHOR",
    "INITIALS",
    "AnnotateError",
    "annotate_docx",
    "annotate_document",
    "comment_text",
    "is_docx",
    "same_file",
]

AUTHOR = "nianbao"
INITIALS = "NB"
SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}

# A report's document.xml is a few MB at most; refuse archives that declare far more before inflating.
MAX_INFLATED_BYTES = 200 * 1024 * 1024

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TCPR = qn("w:tcPr")
_W_VMERGE = qn("w:vMerge")
_W_R = qn("w:r")
_W_T = qn("w:t")
_W_RPR = qn("w:rPr")
_W_PPR = qn("w:pPr")
_W_DEL = qn("w:del")
_W_MOVE_FROM = qn("w:moveFrom")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ELEMENT_PATH = re.compile(r"(?:/[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*(?:\[[1-9]\d{0,5}\])?){1,40}")
# Run children with a text equivalent (as python-docx's Run.text); field codes and deleted text have none.
_RUN_TEXT = {
    qn("w:t"): None,
    qn("w:tab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}


# Run children a run can be split between or inside (w:t): text, tabs, breaks, and Word's page-break mark.
_SPLITTABLE = frozenset({_W_RPR, *_RUN_TEXT, qn("w:lastRenderedPageBreak")})


class AnnotateError(WriteError):
    """The annotated copy could not be written: input not a .docx, target = source, target unwritable."""


def comment_text(finding: Finding) -> str:
    """The comment of one finding: 「【错误 T3-BALANCE】表三……」."""
    return f"【{SEVERITY_ZH[finding.severity]} {finding.rule}】{finding.message}"


def is_docx(data: bytes) -> bool:
    """True when the bytes are a Word package (a zip holding ``word/document.xml``), by content only."""
    if sniff_format(data[:8]) != "zip":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") and n.endswith(".xml") for n in names)


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when two paths name the same file (symlinks and hard links resolved)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare the resolved names
        return Path(a).resolve() == Path(b).resolve()


# --------------------------------------------------------------------------------------------- anchors


@dataclass(slots=True)
class _Anchor:
    """Where a comment goes: from the start of ``first`` to the end of ``last`` (``w:p`` elements), or,
    when ``chars`` is set, the character range ``[start, end)`` of the single paragraph ``first``."""

    first: Any
    last: Any
    chars: tuple[int, int] | None = None


class _Places:
    """Resolves spans to anchors in one opened document, the way the .docx reader counted them."""

    def __init__(self, document: WordDocument, source_path: str | None) -> None:
        self.document = document
        self.paragraphs = [p._p for p in document.paragraphs]
        self.tables = [t._tbl for t in document.tables]
        self.source_path = source_path
        self._same: dict[str, bool] = {}
        self._grids: dict[int, _Grid] = {}

    def _ours(self, path: str | None) -> bool:
        # A span without a path, or read from this very file, belongs here; last year's report does not.
        if path is None or self.source_path is None or path == self.source_path:
            return True
        if path not in self._same:
            self._same[path] = same_file(path, self.source_path)
        return self._same[path]

    def anchor(self, span: Span | None, finding: Finding | None = None) -> _Anchor | None:
        if span is None or not self._ours(span.path):
            return None
        element: Any = None
        if span.paragraph is not None:
            if 0 <= span.paragraph < len(self.paragraphs):
                element = self.paragraphs[span.paragraph]
        elif span.table is not None and span.element is None:
            if 0 <= span.table < len(self.tables):
                element = self.tables[span.table]
        elif span.element is not None:  # content python-docx does not index: the reader's XPath
            element = self._by_path(span.element)
        if element is None:
            return None
        if element.tag == _W_TBL:
            return self._table_anchor(element, span.row, span.cell)
        if element.tag != _W_P:
            return None
        chars = _quoted_range(element, span.column, finding) if finding is not None else None
        return _Anchor(element, element, chars)

    def _by_path(self, path: str) -> Any:
        # Only plain child steps (「/w:document/w:body/w:sdt/w:sdtContent/w:p[2]」): a span is data, and
        # an arbitrary XPath expression could be slow.
        if not _ELEMENT_PATH.fullmatch(path):
            return None
        root = self.document.element
        prefixes = {k: v for k, v in root.nsmap.items() if k}
        try:
            found = root.getroottree().xpath(path, namespaces=prefixes)
        except etree.XPathError:
            return None
        return found[0] if isinstance(found, list) and len(found) == 1 else None

    def _table_anchor(self, tbl: Any, r: int | None, c: int | None) -> _Anchor | None:
        key = id(tbl)
        if key not in self._grids:
            self._grids[key] = _Grid(tbl)
        grid = self._grids[key]
        if r is None:  # the whole table
            cells = [grid.first(), grid.last()]
        elif c is None:  # the whole row
            cells = [grid.first(r), grid.last(r)]
        else:
            cells = [grid.cell(r, c)]
        if cells[0] is None or cells[-1] is None:
            return None
        return _Anchor(_cell_paragraphs(cells[0])[0], _cell_paragraphs(cells[-1])[-1])

    def title(self, title_span: Span | None) -> _Anchor:
        """The title paragraph: the metadata's title span when it is here, else the first non-empty one."""
        found = self.anchor(title_span)
        if found is not None:
            return _Anchor(found.first, found.last)
        for p in self.paragraphs:
            if "".join(piece.text for piece in _pieces(p)).strip():
                return _Anchor(p, p)
        if self.paragraphs:
            return _Anchor(self.paragraphs[0], self.paragraphs[0])
        # A body of tables only: anchor on the first cell, or on a new paragraph at the very top.
        if self.tables:
            first = self._table_anchor(self.tables[0], None, None)
            if first is not None:
                return _Anchor(first.first, first.first)
        top = OxmlElement("w:p")
        self.document.element.body.insert(0, top)
        return _Anchor(top, top)


class _Grid:
    """A table's cells by (row, grid column), counted as the reader counts them (``grid_rows``: rows inside
    content controls included, ``w:gridBefore`` and ``w:gridSpan`` expanded); a vertically merged position
    gives the cell where the merge starts, the one Word shows the text in."""

    def __init__(self, tbl: Any) -> None:
        self.owner: dict[tuple[int, int], Any] = {}
        self.rows: dict[int, list[Any]] = {}
        above: dict[int, Any] = {}  # grid column → the cell that covers it in the rows above
        for r, cells in grid_rows(tbl, lambda tc: ""):
            row: list[Any] = []
            for cell in cells:
                tc = cell.tc
                if tc is None:
                    continue
                if _continues_merge(tc):
                    tc = above.get(cell.col, tc)
                above[cell.col] = self.owner[(r, cell.col)] = tc
                row.append(tc)
            self.rows[r] = row

    def cell(self, r: int, c: int) -> Any:
        return self.owner.get((r, c))

    def first(self, r: int | None = None) -> Any:
        rows = [self.rows.get(r, [])] if r is not None else [row for row in self.rows.values() if row]
        return rows[0][0] if rows and rows[0] else None

    def last(self, r: int | None = None) -> Any:
        rows = [self.rows.get(r, [])] if r is not None else [row for row in self.rows.values() if row]
        return rows[-1][-1] if rows and rows[-1] else None


def _continues_merge(tc: Any) -> bool:
    merge = tc.find(f"{_W_TCPR}/{_W_VMERGE}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _cell_paragraphs(tc: Any) -> list[Any]:
    """The cell's own paragraphs, up to the last one with text, so that a table nested below the text
    (which the reader reads as a table of its own) stays outside the comment."""
    found = [p for p in tc if p.tag == _W_P]
    if not found:  # a w:tc always ends with a w:p (schema); a damaged one gets one to hold the comment
        p = OxmlElement("w:p")
        tc.append(p)
        return [p]
    with_text = [p for p in found if "".join(piece.text for piece in _pieces(p)).strip()]
    return found[: found.index(with_text[-1]) + 1] if with_text else found[:1]


# ------------------------------------------------------------------------------------ paragraph text


@dataclass(slots=True)
class _Piece:
    """A direct child of a ``w:p`` and the accepted text it contributes, at ``start`` in the paragraph."""

    element: Any
    start: int
    text: str
    simple: bool  # a plain w:r (rPr + w:t only): can be split at any character

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _accepted_text(element: Any) -> str:
    """Text of a run or of a container (hyperlink, insertion, smart tag), tracked deletions left out."""
    if element.tag in (_W_DEL, _W_MOVE_FROM):
        return ""
    if element.tag == _W_R:
        out: list[str] = []
        for child in element:
            if child.tag == _W_T:
                out.append(child.text or "")
            else:
                out.append(_RUN_TEXT.get(child.tag) or "")
        return "".join(out)
    return "".join(_accepted_text(child) for child in element if isinstance(child.tag, str))


def _pieces(p: Any) -> Iterator[_Piece]:
    start = 0
    for child in p:
        if not isinstance(child.tag, str) or child.tag == _W_PPR:
            continue
        text = _accepted_text(child)
        simple = child.tag == _W_R and all(c.tag in _SPLITTABLE for c in child)
        yield _Piece(child, start, text, simple)
        start += len(text)


def _quoted_range(p: Any, column: int | None, finding: Finding) -> tuple[int, int] | None:
    """The characters the finding is about: a quoted text (evidence or actual value) found at its column,
    else the shortest quoted passage that contains the column. None means the whole paragraph.

    Rules quote compacted text (「发布信息4376余条」 for 「发布信息 4376 余条」) and mark cut quotes with
    「…」, so quotes are matched with whitespace ignored and the ellipsis dropped."""
    if column is None or column < 1:
        return None
    text = "".join(piece.text for piece in _pieces(p))
    if column > len(text) or text != TextWalker().paragraph(p):
        return None  # hidden runs, math, alternate content: columns the reader counted differently
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]  # compact position → paragraph position
    compact = "".join(text[i] for i in kept)
    at = bisect.bisect_left(kept, column - 1)  # the column's character (or the next one after spaces)
    quotes = [
        q
        for q in (
            "".join(str(v).split()).strip("…")
            for v in (*finding.evidence, finding.actual)
            if isinstance(v, str | int)
        )
        if q
    ]
    around: list[tuple[int, int]] = []
    for quote in quotes:
        begin = compact.find(quote)
        while begin != -1:
            if begin == at:  # the quote starts at the column: exactly what the finding points at
                return kept[begin], kept[begin + len(quote) - 1] + 1
            if begin <= at < begin + len(quote):
                around.append((begin, begin + len(quote)))
            begin = compact.find(quote, begin + 1)
    if not around:
        return None
    begin, end = min(around, key=lambda pair: pair[1] - pair[0])
    return kept[begin], kept[end - 1] + 1


def _split_run(piece: _Piece, offset: int) -> Any:
    """Split a simple run at ``offset`` characters: the original keeps the head, a copy (same formatting)
    placed after it holds the tail, which is returned."""
    r = piece.element
    tail = copy.deepcopy(r)
    at = 0
    for head_child, tail_child in zip(list(r), list(tail), strict=True):
        if head_child.tag == _W_RPR:
            continue
        width = (
            len(head_child.text or "") if head_child.tag == _W_T else len(_RUN_TEXT.get(head_child.tag) or "")
        )
        if at + width <= offset and not (width == 0 and at == offset):
            tail.remove(tail_child)  # wholly before the split: the head keeps it
        elif at >= offset:
            r.remove(head_child)  # wholly after (a zero-width mark at the split goes with the tail)
        else:  # a w:t across the split
            value = head_child.text or ""
            for t, v in ((head_child, value[: offset - at]), (tail_child, value[offset - at :])):
                t.text = v
                t.set(_XML_SPACE, "preserve")
        at += width
    r.addnext(tail)
    return tail


def _char_bounds(p: Any, start: int, end: int) -> tuple[Any, Any] | None:
    """First and last direct child of ``p`` covering exactly ``[start, end)``, splitting simple runs at
    the edges; None when an edge falls inside something that cannot be split (a hyperlink, a field)."""
    pieces = list(_pieces(p))
    first = next((x for x in pieces if x.start <= start < x.end), None)
    last = next((x for x in pieces if x.start < end <= x.end), None)
    if first is None or last is None:
        return None
    if start != first.start and not first.simple or end != last.end and not last.simple:
        return None
    same = first.element is last.element
    begin = first.element
    if start != first.start:
        begin = _split_run(first, start - first.start)
        if same:  # the tail now holds the whole rest of the run
            last = _Piece(begin, start, last.text[start - last.start :], True)
    finish = last.element
    if end != last.end:
        _split_run(last, end - last.start)  # the head (``last.element``) ends exactly at ``end``
    return begin, finish


# ----------------------------------------------------------------------------------------- markers


def _content_children(p: Any) -> list[Any]:
    return [c for c in p if isinstance(c.tag, str) and c.tag != _W_PPR]


def _ensure_content(p: Any) -> None:
    # An empty paragraph or cell: give the comment an (empty) run to hold on to, as Word does.
    if not _content_children(p):
        p.append(OxmlElement("w:r"))


def _mark(anchor: _Anchor, comment_id: int) -> None:
    """Put ``w:commentRangeStart`` / ``w:commentRangeEnd`` around the anchor and the reference run after it
    (the same three elements python-docx's ``Run.mark_comment_range`` writes, placed at the paragraph
    level so that hyperlinks, fields and tracked insertions stay whole)."""
    begin = end = None
    if anchor.chars is not None:
        bounds = _char_bounds(anchor.first, *anchor.chars)
        if bounds is not None:
            begin, end = bounds
    if begin is None or end is None:
        _ensure_content(anchor.first)
        _ensure_content(anchor.last)
        begin = _content_children(anchor.first)[0]
        end = _content_children(anchor.last)[-1]
    ident = {qn("w:id"): str(comment_id)}
    begin.addprevious(OxmlElement("w:commentRangeStart", attrs=ident))
    reference = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    properties.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    reference.append(properties)
    reference.append(OxmlElement("w:commentReference", attrs=ident))
    end.addnext(reference)
    end.addnext(OxmlElement("w:commentRangeEnd", attrs=ident))


# -------------------------------------------------------------------------------------------- output


def _unplaced_text(findings: Sequence[Finding], source_path: str | None) -> str:
    lines = [f"以下{len(findings)}项问题在本文档中没有对应位置："]
    for number, finding in enumerate(findings, 1):
        line = f"{number}. {comment_text(finding)}"
        span = finding.location.span
        if span is not None and span.path and source_path and not same_file(span.path, source_path):
            where = span.describe()
            line += f"（见{Path(span.path).name}{where}）" if where else f"（见{Path(span.path).name}）"
        lines.append(line)
    return "\n".join(lines)


def _load(source: bytes | Path) -> bytes:
    # A path is read with the readers' size limit and messages (missing, a folder, too large).
    return source if isinstance(source, bytes) else read_bytes(Path(source))


def _not_docx(where: str) -> AnnotateError:
    return AnnotateError(
        f"{where}: comments can only be written into a Word (.docx) document; this input is not one",
        f"{where}：只能在Word文档（.docx）中写入批注，此文件不是Word文档。",
        path=where,
    )


def _open(data: bytes, where: str) -> WordDocument:
    if not is_docx(data):
        raise _not_docx(where)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_docx(where) from None
    if inflated > MAX_INFLATED_BYTES:
        raise AnnotateError(
            f"{where}: the document would inflate to {inflated / 1e6:.0f} MB; refused",
            f"{where}：文件解压后达{inflated / 1e6:.0f} MB，不像一份年度报告，未写入批注。",
            path=where,
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a damaged or foreign package
        raise AnnotateError(
            f"{where}: the Word document is damaged and cannot be opened to write comments",
            f"{where}：Word文档已损坏，无法打开并写入批注。",
            path=where,
        ) from None


def write_atomic(data: bytes, target: Path) -> None:
    """:func:`nianbao.output.write_atomic` for the annotated copy, its errors as :class:`AnnotateError`."""
    try:
        output.write_atomic(data, target, what_en="the annotated copy", what_zh="带批注文件")
    except WriteError as e:
        raise AnnotateError(e.message_en, e.message_zh, path=e.path) from None


def annotate_document(
    document: WordDocument,
    findings: Sequence[Finding],
    *,
    source_path: str | Path | None = None,
    title_span: Span | None = None,
    author: str = AUTHOR,
    initials: str = INITIALS,
) -> int:
    """Add one comment per finding to an opened python-docx ``document``, in place; return the number of
    comments added. :func:`annotate_docx` does this on a copy and writes it."""
    places = _Places(document, str(source_path) if source_path is not None else None)

    placed: list[tuple[_Anchor, Finding]] = []
    unplaced: list[Finding] = []
    for finding in findings:
        anchor = places.anchor(finding.location.span, finding)
        if anchor is None:
            unplaced.append(finding)
        else:
            placed.append((anchor, finding))

    # Every place is found before any marker is written, so that no marker shifts a path or an index.
    title = places.title(title_span) if unplaced else None
    comments = document.comments
    for anchor, finding in placed:
        comment = comments.add_comment(text=comment_text(finding), author=author, initials=initials)
        _mark(anchor, comment.comment_id)
    if title is not None:
        comment = comments.add_comment(
            text=_unplaced_text(unplaced, places.source_path), author=author, initials=initials
        )
        _mark(title, comment.comment_id)
    return len(placed) + (1 if unplaced else 0)


def annotate_docx(
    source: bytes | Path,
    findings: Sequence[Finding],
    target: Path,
    *,
    source_path: str | Path | None = None,
    title_span: Span | None = None,
    author: str = AUTHOR,
    initials: str = INITIALS,
) -> int:
    """Write a copy of the .docx ``source`` (its bytes or its path) to ``target`` with one comment per
    finding; return the number of comments written (findings with no place share one comment).

    ``source_path`` is the path the findings' spans name (defaults to ``source`` when it is a path): spans
    of other files go to the shared comment on the title (``title_span``, usually
    ``report.metadata.title_span``, else the first non-empty paragraph). Raises :class:`AnnotateError` when
    the input is not a Word document, ``target`` is the source file, or ``target`` cannot be written.
    """
    target = Path(target)
    if source_path is None and not isinstance(source, bytes):
        source_path = source
    where = str(source_path) if source_path is not None else "<input>"
    if source_path is not None and same_file(source_path, target):
        raise AnnotateError(
            f"{target}: the annotated copy must not overwrite the report itself; give another file name",
            f"{target}：带批注的文件不能覆盖原报告，请另取一个文件名。",
            path=str(target),
        )
    document = _open(_load(source), where)
    count = annotate_document(
        document,
        findings,
        source_path=source_path,
        title_span=title_span,
        author=author,
        initials=initials,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(buffer.getvalue(), target)
    return count
