"""Find the three tables by their labels and read them into typed tables.

The document becomes a flat list of lines (:mod:`nianbao.parse.table_rows`). Table 三 starts at its
note (「本列数据的勾稽关系为…」), its heading or its first row label and ends where table 四's
行政复议/行政诉讼 header starts; table 二's rows are found by their exact labels. Labels of the 2019
试行 format are reported wherever they occur. Nothing is guessed: what cannot be read is a ParseNote.
"""

from __future__ import annotations

import re

from nianbao.model.document import Document
from nianbao.model.report import Heading, ParseNote
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import LABELS_2019
from nianbao.parse.table2 import parse_table2
from nianbao.parse.table3 import WIDTH, parse_table3
from nianbao.parse.table4 import parse_table4
from nianbao.parse.table_rows import Line, document_lines, is_blank, loose_key, take_last

_LABELS_2019 = tuple((label, loose_key(label)) for label in LABELS_2019)
# Any of them (a text without a match holds none of the labels: most cells are numbers).
_LABELS_2019_RE = re.compile("|".join(re.escape(k) for _, k in _LABELS_2019))
_OLD_DOC_COLUMNS = tuple(loose_key(c) for c in ("本年新制作数量", "本年新公开数量", "对外公开总数量"))
# How far after its anchor table 三's first value row may be (header rows, wrapped note).
_T3_LOOKAHEAD = 60


def _is_t3_anchor(line: Line) -> bool:
    key = loose_key(line.text)
    if len(key) <= 60 and ("勾稽关系" in key or "本年新收" in key):
        return True
    return len(key) <= 25 and "收到和处理政府信息公开申请" in key


def _is_t4_anchor(line: Line) -> bool:
    key = loose_key(line.text)
    return len(key) <= 30 and "行政复议" in key


def _is_t3_value_row(line: Line) -> bool:
    if take_last(line.values, WIDTH, line.value_end) is None:
        return False
    # A labelled table row with seven value cells counts even when every cell is blank (a blank form).
    return any(not is_blank(p.text) for p in line.values) or line.is_table and bool(line.label)


def find_t3_start(lines: list[Line]) -> int | None:
    """The first table-三 anchor that is followed by a row of seven values (not a passing mention)."""
    for line in lines:
        if not _is_t3_anchor(line):
            continue
        window = lines[line.index : line.index + _T3_LOOKAHEAD]
        for later in window:
            if later.index > line.index and _is_t4_anchor(later):
                break
            if _is_t3_value_row(later) or not later.is_table and not later.label and later.values:
                return line.index
    return None


def find_t4_start(lines: list[Line], after: int) -> int | None:
    """The table-四 heading or 行政复议 header line at or after ``after``."""
    return next((line.index for line in lines[after:] if _is_t4_anchor(line)), None)


def find_2019_labels(lines: list[Line]) -> list[ParseNote]:
    """A ParseNote for each label of the 2019 试行 format (first occurrence), in a table cell or short line."""
    notes: list[ParseNote] = []
    seen: set[str] = set()
    for line in lines:
        if not _LABELS_2019_RE.search(loose_key(line.text)):
            continue  # a label in one of its pieces would be in the line's key too
        for piece in line.pieces if line.is_table else line.labels:
            key = loose_key(piece.text)
            if not key or len(key) > 40 or not _LABELS_2019_RE.search(key):
                continue
            for label, lkey in _LABELS_2019:
                if label not in seen and lkey in key:
                    seen.add(label)
                    notes.append(
                        ParseNote(
                            code="label-2019",
                            message=f"“{piece.text.strip()}”是2019年试行格式的标签“{label}”，2021年起应使用新格式（国办公开办函〔2021〕30号）。",
                            span=piece.span,
                            table="表二",
                            actual=piece.text.strip(),
                            expected=None,
                        )
                    )
    return notes


def parse_tables(
    document: Document, headings: list[Heading]
) -> tuple[Table2 | None, Table3 | None, Table4 | None, list[ParseNote]]:
    """Return the tables (``None`` where a table is absent) and notes on labels and damage.

    ``headings`` is accepted for the parse pipeline's contract; tables are located by their own labels
    because extracted text often loses or renumbers the part headings.
    """
    del headings
    lines = document_lines(document)
    notes: list[ParseNote] = []
    old_labels = find_2019_labels(lines)
    old_doc_columns = any(any(c in loose_key(n.actual or "") for c in _OLD_DOC_COLUMNS) for n in old_labels)

    t3_start = find_t3_start(lines)
    t4_start = find_t4_start(lines, t3_start if t3_start is not None else 0)

    table2, n2 = parse_table2(lines, old_doc_columns=old_doc_columns)
    notes.extend(n2)

    table3: Table3 | None = None
    if t3_start is not None:
        end = t4_start if t4_start is not None else len(lines)
        table3, n3 = parse_table3(lines, t3_start, end)
        notes.extend(n3)
    if table3 is None:
        notes.append(
            ParseNote(
                code="table-missing", message="未找到表三（收到和处理政府信息公开申请情况）。", table="表三"
            )
        )

    table4: Table4 | None = None
    if t4_start is not None:
        table4, n4 = parse_table4(lines, t4_start)
        notes.extend(n4)
    else:
        notes.append(
            ParseNote(
                code="table-missing",
                message="未找到表四（政府信息公开行政复议、行政诉讼情况）。",
                table="表四",
            )
        )
    notes.extend(old_labels)
    return table2, table3, table4, notes
