"""Table 四 (行政复议、行政诉讼): 15 values in fixed order after the 行政复议/行政诉讼 header.

The header is three rows of labels that extraction scrambles (「结果 维持」, 「维持纠正结果审结」), so only
the values are read: the value rows after the header, in order, from the end of each row — one row of
15 (the usual layout) or three small tables of five (复议, 直接起诉, 复议后起诉).
"""

from __future__ import annotations

from nianbao.model.report import ParseNote
from nianbao.model.tables import Table4, TableRow
from nianbao.model.template import T4_FIELDS, T4_GROUPS
from nianbao.model.trusted import trusted
from nianbao.parse.table_rows import Line, Piece, complete_rows, is_blank, loose_key, read_cell, take_last

TABLE = "表四"
WIDTH = len(T4_GROUPS) * len(T4_FIELDS)
GROUP = len(T4_FIELDS)
_LAYOUT = {g: tuple(f for f, _ in T4_FIELDS) for g, _ in T4_GROUPS}
# Where the table is over: the next part, or a narrative paragraph.
_END_WORDS = ("存在的主要问题", "改进情况", "其他需要报告", "工作中存在")


def _is_end(line: Line) -> bool:
    key = loose_key(line.text)
    return any(w in key for w in _END_WORDS) or (not line.is_table and len(key) > 40)


def _row_values(line: Line) -> list[Piece]:
    """The values of one row: trailing blanks dropped unless they complete a group of five."""
    trimmed = line.trimmed()
    if len(line.values) >= WIDTH:
        return take_last(line.values, WIDTH, line.value_end) or trimmed
    if len(trimmed) % GROUP and len(line.values) >= GROUP:
        want = min(len(line.values), (len(trimmed) // GROUP + 1) * GROUP)
        return take_last(line.values, want, line.value_end) or trimmed
    return trimmed


def parse_table4(lines: list[Line], start: int) -> tuple[Table4 | None, list[ParseNote]]:
    """Read table 四 from the value rows after ``lines[start]`` (its heading or header)."""
    notes: list[ParseNote] = []
    collected: list[Piece] = []
    blank_rows: list[Piece] = []  # table rows of blank cells only (a form not filled in)
    for line in lines[start:]:
        if line.index > start and _is_end(line):
            break
        if not any(not is_blank(p.text) for p in line.values):
            if line.is_table and not line.labels and len(line.values) % GROUP == 0:
                blank_rows.extend(line.values)
            continue
        collected.extend(_row_values(line))
        if len(collected) >= WIDTH:
            break
    if not collected and len(blank_rows) == WIDTH:
        collected = blank_rows
    anchor = lines[start].span
    if not collected:
        notes.append(
            ParseNote(
                code="table-missing", message="找到表四表头，但未读到表四的数值。", span=anchor, table=TABLE
            )
        )
        return None, notes
    if len(collected) != WIDTH:
        notes.append(
            ParseNote(
                code="values-unreadable",
                message=f"表四应有15个数值，读到{len(collected)}个（“{' '.join(p.text for p in collected)}”），无法确定各格，未采用。",
                span=collected[0].span,
                table=TABLE,
                actual=" ".join(p.text for p in collected)[:80],
            )
        )
        return Table4(rows=complete_rows(_LAYOUT, {}), span=anchor, found=False), notes
    rows: dict[str, TableRow] = {}
    it = iter(collected)
    for gkey, glabel in T4_GROUPS:
        cells = {
            fkey: read_cell(p.text, p.span)
            for (fkey, _), p in zip(T4_FIELDS, [next(it) for _ in T4_FIELDS], strict=True)
        }
        first = cells[T4_FIELDS[0][0]].span
        rows[gkey] = trusted(TableRow, key=gkey, label=glabel, span=first, cells=cells)
    return trusted(Table4, rows=rows, span=anchor), notes
