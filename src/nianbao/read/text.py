"""Plain text and Markdown as pasted from web pages, Word or PDF extraction → Document.

Lines with tabs or Markdown pipes become table rows (consecutive rows form one table); every other
non-empty line is a text block of its own (joining wrapped lines is the parser's job, because only it
knows where headings are). Page footers such as 「- 3 -」 and 「— 3 —」 are dropped wherever they occur,
including inside tables, and counted in the document notes.
"""

from __future__ import annotations

import re

from nianbao.model.document import Document, TableBlock, TableCellText, TextBlock
from nianbao.model.span import Span

_FOOTER_RE = re.compile(
    r"^\s*(?:[-－—–―─]+\s*\d{1,3}\s*[-－—–―─]+|第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# What a page footer starts with (after spaces): a dash, 第 or a digit.
_FOOTER_FIRST = frozenset("-－—–―─第")
_MD_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+")


def is_page_footer(line: str) -> bool:
    """True for a page number line: 「- 3 -」, 「— 3 —」, 「第3页」, 「第3页 共7页」, 「3/7」."""
    return bool(_FOOTER_RE.match(line))


def _split_pipes(line: str, lineno: int, path: str | None) -> list[TableCellText]:
    cells: list[TableCellText] = []
    stripped = line.rstrip()
    start = len(line) - len(line.lstrip())
    if stripped[start:].startswith("|"):
        start += 1
    end = len(stripped) - 1 if stripped.endswith("|") and len(stripped) - 1 >= start else len(stripped)
    pos = start
    for piece in stripped[start:end].split("|"):
        lead = len(piece) - len(piece.lstrip())
        cells.append(TableCellText(text=piece.strip(), path=path, line=lineno, column=pos + lead + 1))
        pos += len(piece) + 1
    return cells


def _split_tabs(line: str, lineno: int, path: str | None) -> list[TableCellText]:
    cells: list[TableCellText] = []
    pos = 0
    for piece in line.rstrip("\r\n").split("\t"):
        text = piece.strip()
        lead = 0 if text is piece else len(piece) - len(piece.lstrip())  # strip() returns an unchanged str itself
        cells.append(TableCellText(text, lineno, pos + lead + 1, path))
        pos += len(piece) + 1
    return cells


def read_text(text: str, *, path: str | None = None, encoding: str | None = None) -> Document:
    """Split decoded text into text and table blocks with line/column spans."""
    text = text.lstrip("\ufeff")
    is_markdown = bool(re.search(r"^\s*\|.*\|\s*$|^#{1,6}\s", text, re.M))
    blocks: list[TextBlock | TableBlock] = []
    table_rows: list[list[TableCellText]] = []
    table_start: Span | None = None
    footers = 0

    def flush() -> None:
        nonlocal table_rows, table_start
        if table_rows and table_start is not None:
            blocks.append(TableBlock(rows=table_rows, span=table_start))
        table_rows, table_start = [], None

    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            # A row of empty cells (a blank form pasted from Word: 「\t\t…」) is a table row; a blank line is not.
            if line.count("\t") >= 2:
                if table_start is None:
                    table_start = Span(path=path, line=lineno, column=1)
                table_rows.append(_split_tabs(line, lineno, path))
            else:
                flush()
            continue
        first = stripped[0]
        if (first in _FOOTER_FIRST or first.isdecimal()) and is_page_footer(line):
            footers += 1
            continue
        if first == "|" and stripped.count("|") >= 2:
            if _MD_SEPARATOR_RE.match(stripped):
                continue
            row = _split_pipes(line, lineno, path)
        elif "\t" in line.strip("\r\n"):
            row = _split_tabs(line, lineno, path)
        else:
            flush()
            col = len(line) - len(line.lstrip())
            style = None
            m = _MD_HEADING_RE.match(line[col:])
            if m:
                style = f"h{len(m.group(1))}"
                col += m.end()
            body = line[col:].rstrip()
            blocks.append(TextBlock(text=body, path=path, line=lineno, column=col + 1, style=style))
            continue
        if table_start is None:
            table_start = Span(path=path, line=lineno, column=1)
        table_rows.append(row)
    flush()
    notes = [f"已忽略{footers}处页码行（如「- 3 -」）"] if footers else []
    return Document(
        path=path, format="markdown" if is_markdown else "text", encoding=encoding, blocks=blocks, notes=notes
    )
