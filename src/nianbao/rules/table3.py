"""Table 三 arithmetic: the 勾稽关系 of the note, the （七）总计 row, the 总计 column, values and blanks.

The arithmetic rules only use cells that hold a number; blank, ``/``, ``—``, invalid and missing cells
make a sum unknowable and are left to T3-VALUE, T3-BLANK and the template rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from nianbao.model.cell import Cell, CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import T3_COL_KEYS, T3_COL_LABEL, T3_LEAVES, T3_ROW_BY_KEY, T3_ROWS
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.shared import per_check

TABLE = "表三"
PART = "requests"
APPLICANT_COLS = T3_COL_KEYS[:-1]
# Kinds that a reviewer reads as "left empty" rather than "wrong".
EMPTY_KINDS = (CellKind.BLANK, CellKind.SLASH, CellKind.DASH)


def row_label(key: str) -> str:
    """The template label a clerk names the row by, e.g. 「（三）不予公开／1.属于国家秘密」."""
    return T3_ROW_BY_KEY[key].short_label


def cell_text(cell: Cell) -> str:
    """How a cell reads in a message: its value, or 空白 / its raw text."""
    if cell.kind is CellKind.NUMBER:
        return str(cell.value)
    if cell.kind is CellKind.BLANK:
        return "空白"
    return cell.raw.strip()


def int_values(table: Table2 | Table3 | Table4, cells: Iterable[tuple[str, str]]) -> list[int] | None:
    """The integer values of the (row, column) ``cells``, or None if any is not a number."""
    out: list[int] = []
    for r, c in cells:
        v = table.value(r, c)
        if not isinstance(v, int):
            return None
        out.append(v)
    return out


@per_check
def t3_values(report: Report) -> dict[str, dict[str, int | Decimal | None]]:
    """Table 三's values by row and column key (what :meth:`Table3.value` gives), read once per check."""
    t = report.table3
    if t is None:
        return {}
    number = CellKind.NUMBER
    return {
        rkey: {ckey: cell.value if cell.kind is number else None for ckey, cell in row.cells.items()}
        for rkey, row in t.rows.items()
    }  # cell.number(), inlined


def _ints(values: list[int | Decimal | None]) -> list[int] | None:
    """``values`` when every one is an integer, else None."""
    out: list[int] = []
    for v in values:
        if not isinstance(v, int):
            return None
        out.append(v)
    return out


def location(table: Table3, row: str, col: str) -> Location:
    """Where a table-三 cell is: its span (or its row's), the row and column labels."""
    cell = table.cell(row, col)
    return Location(
        span=cell.span or table.rows[row].span,
        part=PART,
        table=TABLE,
        row=row_label(row),
        column=T3_COL_LABEL[col],
    )


def evidence(table: Table3, rows: Iterable[str], col: str) -> list[str]:
    """「（七）总计／总计：37」 lines for the cells a rule used."""
    return [f"{row_label(r)}／{T3_COL_LABEL[col]}：{cell_text(table.cell(r, col))}" for r in rows]


@register
class T3Balance(Rule):
    """表三每列应满足：第一项加第二项之和等于第三项（（七）总计）加第四项之和。

    Checks, for each of the 7 columns, 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理,
    the identity stated in the table's own note. Every application received or carried in is either
    answered this year or carried forward, so a mismatch means a cell is wrong. Cells that are not
    numbers are skipped (T3-VALUE, T3-BLANK).

    Bad: 自然人 一 30, 二 3, （七） 31, 四 3 (33 ≠ 34). Good: 一 30, 二 3, （七） 31, 四 2.
    """

    code = "T3-BALANCE"
    name = "table3.balance"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R01",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        rows = ("new", "carry_in", "total", "carry_out")
        v = t3_values(report)
        for col in T3_COL_KEYS:
            vals = _ints([v[r][col] for r in rows])
            if vals is None:
                continue
            left, right = vals[0] + vals[1], vals[2] + vals[3]
            if left != right:
                yield self.finding(
                    f"表三“{T3_COL_LABEL[col]}”列：第一项加第二项之和为{left}，"
                    f"第三项（七）总计加第四项之和为{right}，不相等。",
                    location(t, "total", col),
                    expected=left,
                    actual=right,
                    evidence=evidence(t, rows, col),
                )


@register
class T3ResultTotal(Rule):
    """表三“（七）总计”行应等于21个办理结果行之和。

    Checks, per column, that （七）总计 equals （一）予以公开 + （二）部分公开 + （三）1–8 + （四）1–3 + （五）1–5
    + （六）1–3. The row is labelled 总计, so any difference is an addition error or a cell entered in
    the wrong row. Columns with a cell that is not a number are skipped (T3-VALUE, T3-BLANK).

    Bad: 总计 column leaves add up to 37 but （七）总计 reads 36. Good: （七）总计 37.
    """

    code = "T3-RESULT-TOTAL"
    name = "table3.result_total"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R02",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        v = t3_values(report)
        for col in T3_COL_KEYS:
            leaves = _ints([v[r][col] for r in T3_LEAVES])
            total = v["total"][col]
            if leaves is None or not isinstance(total, int):
                continue
            if sum(leaves) != total:
                nonzero = [r for r in T3_LEAVES if v[r][col]]
                yield self.finding(
                    f"表三“{T3_COL_LABEL[col]}”列：21个办理结果行之和为{sum(leaves)}，"
                    f"但“（七）总计”为{total}。",
                    location(t, "total", col),
                    expected=sum(leaves),
                    actual=total,
                    evidence=evidence(t, (*nonzero, "total"), col),
                )


@register
class T3RowTotal(Rule):
    """表三每行的“总计”列应等于六类申请人之和。

    Checks, for each of the 25 rows, 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.
    The 总计 column has no other meaning; a difference is an addition error. Rows with a cell that is
    not a number are skipped (T3-VALUE, T3-BLANK).

    Bad: 一、本年新收 30/4/0/1/2/0, 总计 36. Good: 总计 37.
    """

    code = "T3-ROW-TOTAL"
    name = "table3.row_total"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R03",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        v = t3_values(report)
        for spec in T3_ROWS:
            row = v[spec.key]
            total = row["tot"]
            parts = _ints([row[c] for c in APPLICANT_COLS])
            if not isinstance(total, int) or parts is None:
                continue
            expected = sum(parts)
            if expected != total:
                yield self.finding(
                    f"表三“{spec.short_label}”行：六类申请人之和为{expected}，但“总计”列为{total}。",
                    location(t, spec.key, "tot"),
                    expected=expected,
                    actual=total,
                    evidence=[f"{T3_COL_LABEL[c]}：{cell_text(t.cell(spec.key, c))}" for c in T3_COL_KEYS],
                )


@register
class T3Value(Rule):
    """表三每格应为非负整数。

    Checks that no cell of table 三 holds a decimal, a negative number or text such as 「无」 where a
    count of applications belongs. Such a cell cannot be added up, and the reader of the report cannot
    tell what was meant. Blank, ``/`` and ``—`` cells are T3-BLANK's business.

    Bad: 「2.5」, 「-1」, 「无」. Good: 「0」, 「3」.
    """

    code = "T3-VALUE"
    name = "table3.value"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R04",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        invalid = [
            (rkey, ckey, cell)
            for rkey, row in t.rows.items()
            for ckey, cell in row.cells.items()
            if cell.kind is CellKind.INVALID
        ]  # what t.iter_cells() yields, filtered, without a generator step per cell
        for rkey, ckey, cell in invalid:
                yield self.finding(
                    f"表三“{row_label(rkey)}”行“{T3_COL_LABEL[ckey]}”列为“{cell.raw.strip()}”，应为非负整数。",
                    location(t, rkey, ckey),
                    expected="非负整数",
                    actual=cell.raw.strip(),
                    evidence=[cell.raw],
                )


def empty_findings(
    rule: Rule,
    t: Table2 | Table3 | Table4,
    table: str,
    row_label_of: dict[str, str],
    col_label_of: dict[str, str],
    part: str,
    *,
    skip_rows: Iterable[str] = (),
) -> Iterator[Finding]:
    """One finding for a wholly empty table, else one per wholly empty column block and one per row for
    the remaining empty cells.

    A report that leaves the five 法人或其他组织 columns empty has 125 or more empty cells; that is one
    mistake, not 125.
    """
    skip = set(skip_rows)
    rows = [k for k, r in t.rows.items() if k not in skip and r.found]
    empty = {(r, c) for r in rows for c, cell in t.rows[r].cells.items() if cell.kind in EMPTY_KINDS}
    if not empty:
        return
    total = sum(len(t.rows[r].cells) for r in rows)
    if len(rows) > 1 and len(empty) == total:  # a form not filled in at all: one finding for the table
        first = t.cell(rows[0], next(iter(t.rows[rows[0]].cells)))
        yield rule.finding(
            f"{table}全部未填数字（共{total}格为空白、“/”或“—”），没有发生的应填0。",
            Location(span=first.span, part=part, table=table),
            expected=0,
            actual=cell_text(first),
            evidence=[f"{row_label_of[r]}：{len(t.rows[r].cells)}格" for r in rows],
        )
        return
    cols = [c for c in col_label_of if all(c in t.rows[r].cells for r in rows)]
    whole = [c for c in cols if len(rows) > 2 and all((r, c) in empty for r in rows)]
    if whole:
        names = "”“".join(col_label_of[c] for c in whole)
        first = t.cell(rows[0], whole[0])
        yield rule.finding(
            f"{table}“{names}”列全部未填数字（共{len(whole) * len(rows)}格为空白、“/”或“—”），没有发生的应填0。",
            Location(span=first.span, part=part, table=table, column=col_label_of[whole[0]]),
            expected=0,
            actual=cell_text(first),
            evidence=[f"{col_label_of[c]}列：{len(rows)}格" for c in whole],
        )
    for r in rows:
        cells = [c for c in t.rows[r].cells if (r, c) in empty and c not in whole]
        if not cells:
            continue
        first = t.cell(r, cells[0])
        shown = "、".join(f"“{col_label_of[c]}”列（{cell_text(t.cell(r, c))}）" for c in cells)
        yield rule.finding(
            f"{table}“{row_label_of[r]}”行的{shown}未填数字，没有发生的应填0。",
            Location(
                span=first.span, part=part, table=table, row=row_label_of[r], column=col_label_of[cells[0]]
            ),
            expected=0,
            actual=cell_text(first),
            evidence=[f"{col_label_of[c]}：“{t.cell(r, c).raw}”" for c in cells],
        )


@register
class T3Blank(Rule):
    """表三不应有空白、“/”或“—”单元格：没有发生的应填0。

    The template expects a number in each of the 175 cells; an empty cell leaves the reader unsure
    whether nothing happened or the figure was forgotten, and the 勾稽关系 cannot be checked. Reported
    once per row, or once for a whole block of empty columns (e.g. all five 法人或其他组织 columns).

    Bad: 「商业企业」 left blank in every row. Good: 0 in every row.
    """

    code = "T3-BLANK"
    name = "table3.blank"
    category = Category.ARITHMETIC
    severity = Severity.WARNING
    refs = ("R05",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        labels = {s.key: s.short_label for s in T3_ROWS}
        yield from empty_findings(self, t, TABLE, labels, dict(T3_COL_LABEL), PART)


@register
class T3Bound(Rule):
    """表三“四、结转下年度继续办理”不能多于本年新收与上年结转之和；二者为0时该列应全为0。

    Follows from the 勾稽关系: what is carried forward must have been received this year or carried in,
    and a column with no applications cannot have results. Cells that are not numbers are skipped.

    Bad: 自然人 一 0, 二 0, 四 2. Good: 一 3, 二 0, 四 2.
    """

    code = "T3-BOUND"
    name = "table3.bound"
    category = Category.ARITHMETIC
    severity = Severity.ERROR
    refs = ("R06",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        t = report.table3
        if t is None:
            return
        for col in T3_COL_KEYS:
            base = int_values(t, (("new", col), ("carry_in", col)))
            if base is None:
                continue
            received = sum(base)
            out = t.value("carry_out", col)
            if isinstance(out, int) and out > received:
                yield self.finding(
                    f"表三“{T3_COL_LABEL[col]}”列：结转下年度继续办理{out}件，"
                    f"多于本年新收加上年结转的{received}件。",
                    location(t, "carry_out", col),
                    expected=received,
                    actual=out,
                    evidence=evidence(t, ("new", "carry_in", "carry_out"), col),
                )
            elif received == 0:
                bad = next((r for r in (*T3_LEAVES, "total") if (t.value(r, col) or 0) > 0), None)
                if bad is not None:
                    value = t.value(bad, col)
                    yield self.finding(
                        f"表三“{T3_COL_LABEL[col]}”列：本年新收和上年结转均为0，"
                        f"但“{row_label(bad)}”为{value}。",
                        location(t, bad, col),
                        expected=0,
                        actual=int(value) if value is not None else None,
                        evidence=evidence(t, ("new", "carry_in", bad), col),
                    )
