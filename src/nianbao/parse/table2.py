"""Table 二 (第二十条第（一）（五）（六）（八）项): six rows found by their exact labels anywhere.

The labels 规章, 行政规范性文件, 行政许可, 行政处罚, 行政强制, 行政事业性收费 are distinctive enough to be
matched exactly (after dropping punctuation and spaces), so the rows are found wherever extraction put
them: a tab or pipe row, a text line 「行政许可 97」, or a label with its number on the next line.
Values are taken from the end of the row; trailing empty cells (flattened colspans) are tolerated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nianbao.model.cell import Unit
from nianbao.model.report import ParseNote
from nianbao.model.tables import Table2, TableRow
from nianbao.model.template import T2_ROW_COLUMNS, T2_ROW_KEYS, T2_ROW_LABEL, T2_ROWS
from nianbao.model.trusted import trusted, trusted_copy
from nianbao.parse.table_rows import (
    FixedPiece,
    Line,
    Piece,
    complete_rows,
    loose_key,
    read_cell,
    strip_numbering,
    take_last,
)

TABLE = "表二"
_LABELS = {loose_key(label): key for key, _, label, _ in T2_ROWS}
# Many reports keep the 2019/条例 wording 「规范性文件」; the row is the same.
_ALIASES = {loose_key("规范性文件"): "norm"}
_GLUED_RE = re.compile(r"^(.*?\D)\s*(\d[\d,]*(?:\.\d+)?)$")


@lru_cache(maxsize=4096)  # called for every line of the document; lines repeat across reports
def _row_key(label: str) -> tuple[str | None, bool]:
    key = strip_numbering(loose_key(label)) if label else ""
    if key in _LABELS:
        return _LABELS[key], False
    if key in _ALIASES:
        return _ALIASES[key], True
    return None, False


def _glued(line: Line) -> tuple[str, list[Piece]] | None:
    """「行政许可97」: a PDF line with the number stuck to the label."""
    if line.values or len(line.labels) != 1:
        return None
    piece = line.labels[0]
    text = piece.text.strip()
    if not (text[-1:].isdecimal() or text.endswith(",")):
        return None  # what _GLUED_RE needs at the end: a digit (or the comma of 1,234,)
    m = _GLUED_RE.match(text)
    if not m:
        return None
    offset = piece.text.index(m.group(2), len(m.group(1)))
    col = piece.span.column
    span = trusted_copy(piece.span, column=col + offset) if col is not None else piece.span
    return m.group(1), [FixedPiece(text=m.group(2), span=span)]


def parse_table2(
    lines: list[Line], *, old_doc_columns: bool = False
) -> tuple[Table2 | None, list[ParseNote]]:
    """Read table 二. ``old_doc_columns``: the （一） block has the 2019 columns (本年新制作数量 …), whose
    meaning differs, so the 规章 and 规范性文件 values are not read (the 2019 label is reported)."""
    notes: list[ParseNote] = []
    rows: dict[str, TableRow] = {}
    first_span = None
    for i, line in enumerate(lines):
        label, values = line.label, line.values
        key, alias = _row_key(label)
        if key is None:
            glued = _glued(line)
            if glued is None:
                continue
            label, values = glued
            key, alias = _row_key(label)
            if key is None:
                continue
        if key in rows:
            continue
        if not values and i + 1 < len(lines) and not lines[i + 1].label:
            values = lines[i + 1].values  # label and number on consecutive lines
        first_span = first_span or line.span
        if alias:
            notes.append(
                ParseNote(
                    code="label-alias",
                    message=f"表二行标签“{label}”为旧称，2021年格式为“{T2_ROW_LABEL[key]}”，已按该行读取。",
                    span=line.span,
                    table=TABLE,
                    row=T2_ROW_LABEL[key],
                    expected=T2_ROW_LABEL[key],
                    actual=label,
                )
            )
        if old_doc_columns and key in ("reg", "norm"):
            continue
        cols = T2_ROW_COLUMNS[key]
        unit: Unit = "wan_yuan" if key == "fee" else "count"
        end = line.value_end if values is line.values else None
        taken = take_last(values, len(cols), end) if len(cols) > 1 else _single(values)
        if taken is None:
            notes.append(
                ParseNote(
                    code="values-unreadable",
                    message=(
                        f"表二“{T2_ROW_LABEL[key]}”行应有{len(cols)}个数值，只读到"
                        f"{len([v for v in values if v.text.strip()])}个（“{line.text}”），无法确定各列，未采用。"
                    ),
                    span=line.span,
                    table=TABLE,
                    row=T2_ROW_LABEL[key],
                    actual=line.text[:80],
                )
            )
            continue
        cells = {ck: read_cell(p.text, p.span, unit) for (ck, _), p in zip(cols, taken, strict=True)}
        rows[key] = trusted(TableRow, key=key, label=label, span=line.span, cells=cells)
    if not rows and first_span is None:
        notes.append(
            ParseNote(
                code="table-missing",
                message="未找到表二（第二十条第（一）（五）（六）（八）项）。",
                table=TABLE,
            )
        )
        return None, notes
    for key, _, label, _ in T2_ROWS:
        if key not in rows and not (old_doc_columns and key in ("reg", "norm")):
            if not any(n.row == label for n in notes):
                notes.append(
                    ParseNote(
                        code="row-missing",
                        message=f"表二缺少“{label}”行。",
                        span=first_span,
                        table=TABLE,
                        row=label,
                    )
                )
    layout = {k: tuple(c for c, _ in T2_ROW_COLUMNS[k]) for k in T2_ROW_KEYS}
    return trusted(Table2, rows=complete_rows(layout, rows, {"fee": "wan_yuan"}), span=first_span), notes


def _single(values: list[Piece]) -> list[Piece] | None:
    filled = [v for v in values if v.text.strip()]
    if filled:
        return [filled[-1]]
    return [values[0]] if values else None
