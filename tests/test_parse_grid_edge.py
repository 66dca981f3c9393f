"""Blank cells at the ends of a table row: the table's common right edge tells them apart.

A flat tab-separated grid (fixtures/clean-2024.txt) leaves the label cells a merge covers empty
(「一、本年新收…	<empty>	<empty>	30	…	37」). With a blank first or last value, the row alone is
ambiguous; the column where the other rows end with a value is not.
"""

from __future__ import annotations

import pytest

from corpus_paths import FIXTURES
from nianbao.model.cell import CellKind
from nianbao.model.span import Span
from nianbao.model.template import T3_COL_KEYS, T3_ROW_KEYS
from nianbao.parse.table_rows import FixedPiece, Piece, document_lines, take_last
from nianbao.parse.tables import parse_tables
from nianbao.read import read_text

CLEAN = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
_LINES = CLEAN.splitlines()
_T3_FIRST = next(i for i, line in enumerate(_LINES) if line.startswith("一、本年新收"))
_T3_LAST = next(i for i, line in enumerate(_LINES) if line.startswith("四、结转下年度"))
T3_LINES = range(_T3_FIRST, _T3_LAST + 1)


def _table3_raw(text: str) -> list[list[str]]:
    _, t3, _, _ = parse_tables(read_text(text, path="t.txt"), [])
    assert t3 is not None
    return [[t3.cell(r, c).raw for c in T3_COL_KEYS] for r in T3_ROW_KEYS]


def _blanked(line_no: int, position: int) -> tuple[str, list[str]]:
    """The clean text with one value of a table-三 line emptied, and that line's 7 values after it."""
    lines = list(_LINES)
    cells = lines[line_no].split("\t")
    assert len(cells) == 10  # 3 label columns (covered ones empty) and 7 values
    values = cells[3:]
    values[position] = ""
    lines[line_no] = "\t".join(cells[:3] + values)
    return "\n".join(lines) + "\n", values


def test_the_clean_grid_has_every_row_ending_at_the_same_column() -> None:
    """The premise of the tests below: rows end at column 10 (index 9), labels in columns 1–3."""
    rows = [_LINES[i].split("\t") for i in T3_LINES]
    assert len(rows) == len(T3_ROW_KEYS)  # one line per template row, in template order
    assert all(len(r) == 10 and r[-1].strip() for r in rows)
    assert sum(1 for r in rows if r[1] == "" and r[2] == "") >= 3  # 一、二、四 leave two covered cells empty


@pytest.mark.parametrize("position", [0, 6])
@pytest.mark.parametrize("line_no", list(T3_LINES))
def test_a_blank_first_or_last_value_stays_in_its_column(line_no: int, position: int) -> None:
    text, values = _blanked(line_no, position)
    got = _table3_raw(text)
    want = _table3_raw(CLEAN)
    want[line_no - _T3_FIRST] = values
    assert got == want


def test_blank_first_and_last_values_in_a_row_with_empty_covered_cells() -> None:
    """「一、本年新收	<empty>	<empty>	<empty>	4	0	1	2	0	<empty>」: 自然人 and 总计 blank."""
    lines = list(_LINES)
    lines[_T3_FIRST] = "一、本年新收政府信息公开申请数量\t\t\t\t4\t0\t1\t2\t0\t"
    _, t3, _, _ = parse_tables(read_text("\n".join(lines), path="t.txt"), [])
    assert t3 is not None
    assert [t3.cell("new", c).raw for c in T3_COL_KEYS] == ["", "4", "0", "1", "2", "0", ""]
    # The cells point at their own columns: 自然人 is the 4th tab field, 总计 the 10th.
    natural, total = t3.cell("new", T3_COL_KEYS[0]), t3.cell("new", T3_COL_KEYS[-1])
    assert natural.kind is CellKind.BLANK and total.kind is CellKind.BLANK
    assert natural.span is not None and total.span is not None
    assert natural.span.line == total.span.line == _T3_FIRST + 1
    line = lines[_T3_FIRST]
    assert total.span.column == len(line) + 1  # after the last tab
    assert natural.span.column == line.index("\t\t\t\t") + 4  # after the third tab


def test_an_unfilled_row_in_a_filled_table_points_at_the_value_columns() -> None:
    lines = list(_LINES)
    lines[_T3_FIRST + 1] = lines[_T3_FIRST + 1].split("\t")[0] + "\t" * 9  # 二、上年结转 all blank
    _, t3, _, _ = parse_tables(read_text("\n".join(lines), path="t.txt"), [])
    assert t3 is not None
    cells = [t3.cell("carry_in", c) for c in T3_COL_KEYS]
    assert all(c.kind is CellKind.BLANK for c in cells)
    label_end = len(lines[_T3_FIRST + 1].split("\t")[0])
    # Tab fields 4–10 (columns after the 3rd … 9th tab), not fields 2–8.
    assert [c.span.column for c in cells if c.span is not None] == [label_end + 3 + k + 1 for k in range(7)]


def _pieces(texts: list[str]) -> list[Piece]:
    return [FixedPiece(t, Span(path="t", line=1, column=i + 1)) for i, t in enumerate(texts)]


def test_take_last_uses_the_edge_only_when_every_filled_value_lies_there() -> None:
    # A row of another shape in the same grid (three values, then padding to a wider table's edge):
    # its filled values are outside the window at the edge, so the row is read by its own ends.
    values = _pieces(["", "0", "5", "", "", ""])
    taken = take_last(values, 3, value_end=6)
    assert taken is not None and [p.text for p in taken] == ["", "0", "5"]
    # Inside the window: blanks at both ends are cells.
    values = _pieces(["", "", "30", "4", ""])
    taken = take_last(values, 3, value_end=5)
    assert taken is not None and [p.text for p in taken] == ["30", "4", ""]
    assert [p.text for p in take_last(values, 3) or []] == ["", "30", "4"]  # no edge known: by the row alone
    # An edge beyond the row or short of n is not used.
    assert [p.text for p in take_last(values, 3, value_end=9) or []] == ["", "30", "4"]
    assert [p.text for p in take_last(values, 3, value_end=2) or []] == ["", "30", "4"]


def test_document_lines_give_table_rows_their_value_end_and_text_lines_none() -> None:
    text = "标题\n甲\t\t1\t2\n乙\t丙\t3\t\n丁\t\t\t\n戊 5 6\n"
    lines = document_lines(read_text(text, path="t.txt"))
    assert [(line.label, line.value_end) for line in lines] == [
        ("标题", None),
        ("甲", 3),  # values end at column 4 (index 3): 「甲」 is one label piece
        ("乙 丙", 2),
        ("丁", 3),
        ("戊", None),
    ]
    # A grid whose rows all end with labels (a header, an unfilled form) has no edge.
    header = document_lines(read_text("甲\t乙\t丙\n丁\t\t\n", path="t.txt"))
    assert [line.value_end for line in header] == [None, None]
