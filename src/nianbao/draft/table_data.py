"""Table data for 表二, 表三 and 表四 (YAML, JSON or CSV), validated against the typed model and the rules.

YAML / JSON: tables, then rows, then columns; every label is the template's label (「（一）予以公开」,
「予以公开」, 「自然人」…) or the canonical key (``open``, ``np`` — see :mod:`nianbao.model.template`)::

    表二:
      规章: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 0}
      行政许可: 13523                     # a row with one column may be a single value
      行政事业性收费: 0                   # 万元 (a decimal)
    表三:
      本年新收政府信息公开申请数量: {自然人: 22, 商业企业: 2}   # 总计 omitted: computed
      予以公开: {自然人: 9, 商业企业: 1}
    表四: {}                              # no 行政复议 or 行政诉讼: every cell 0

CSV: one cell per line, with the header ``table,row,column,value`` (e.g. ``表三,予以公开,自然人,9``).

Rows and cells left out are 0. A row's 总计 (表三's 总计 column, 表四's 总计) and 表三's （七）总计 row are
computed when left out, and checked by the rules when given. Each table must be present (an empty
mapping for a table that is all 0). :func:`load_tables` runs the arithmetic rules (T2-*, T3-*, T4-*) on a
report holding only the tables and raises :class:`DraftInputError` with the rule messages on any error.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from nianbao.draft.input_files import read_input
from nianbao.draft.notes import DraftInputError, _yaml_nodes
from nianbao.model.cell import Cell, CellKind
from nianbao.model.finding import Finding, Severity
from nianbao.model.report import Metadata, Report
from nianbao.model.tables import Table2, Table3, Table4, TableRow
from nianbao.model.template import (
    T2_ROW_COLUMNS,
    T2_ROW_KEYS,
    T2_ROW_LABEL,
    T3_COL_KEYS,
    T3_COLUMNS,
    T3_LEAVES,
    T3_ROWS,
    T4_FIELDS,
    T4_GROUPS,
)
from nianbao.normalize import label_key


class TableData(BaseModel):
    """The three tables of a report as given by the clerk."""

    model_config = ConfigDict(extra="forbid")

    table2: Table2
    table3: Table3
    table4: Table4
    path: str | None = None

    def t3(self, row: str, col: str = "tot") -> int:
        """A 表三 count (0 for a blank cell)."""
        v = self.table3.value(row, col)
        return int(v) if v is not None else 0

    def t4(self, group: str, field: str = "total") -> int:
        """A 表四 count."""
        v = self.table4.value(group, field)
        return int(v) if v is not None else 0

    def t2(self, row: str, col: str) -> int | Decimal:
        """A 表二 value (int count, or Decimal 万元 for the fee)."""
        v = self.table2.value(row, col)
        return v if v is not None else 0

    def numbers(self) -> set[str]:
        """Every value of the three tables as text (for checking that a draft invents no number)."""
        out: set[str] = set()
        for t in (self.table2, self.table3, self.table4):
            for _r, _c, cell in t.iter_cells():
                v = cell.number()
                if v is not None:
                    out.add(format_number(v))
        return out

    def report(self, metadata: Metadata | None = None) -> Report:
        """A report holding only these tables (for running the table rules)."""
        return Report(
            metadata=metadata or Metadata(),
            table2=self.table2.model_copy(deep=True),
            table3=self.table3.model_copy(deep=True),
            table4=self.table4.model_copy(deep=True),
        )


def format_number(v: int | Decimal) -> str:
    """A value as written in the report: 12, 0, 1.5 (万元 without trailing zeros)."""
    if isinstance(v, Decimal):
        text = format(v.normalize(), "f")
        return text
    return str(v)


# ----------------------------------------------------------------------------------------- label index

_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+\.)")


_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def _names(*labels: str) -> set[str]:
    out = set()
    for label in labels:
        k = label_key(label)
        for v in (k, _TRAILING_NOTE.sub("", k)):
            out.add(v)
            out.add(_NUMBERING.sub("", v))
    return {n for n in out if n}


@dataclass(frozen=True)
class _Index:
    """Label → key for one table's rows and, per row, its columns; with the template labels for hints."""

    table: str
    rows: dict[str, str]
    row_labels: dict[str, str]  # key → template label (for messages)
    cols: dict[str, dict[str, str]]  # row key → {name → column key}
    col_labels: dict[str, dict[str, str]]  # row key → {column key → label}


def _t2_index() -> _Index:
    rows: dict[str, str] = {}
    cols: dict[str, dict[str, str]] = {}
    col_labels: dict[str, dict[str, str]] = {}
    for key in T2_ROW_KEYS:
        for n in _names(key, T2_ROW_LABEL[key]):
            rows[n] = key
        cols[key] = {}
        col_labels[key] = {}
        for ckey, clabel in T2_ROW_COLUMNS[key]:
            col_labels[key][ckey] = clabel
            for n in _names(ckey, clabel, clabel.split("（")[0]):
                cols[key][n] = ckey
    for extra, key in (("信息处理费", "fee"), ("收费", "fee"), ("fee_amount", "fee")):
        rows.setdefault(label_key(extra), key)
    return _Index("表二", rows, dict(T2_ROW_LABEL), cols, col_labels)


def _t3_index() -> _Index:
    rows: dict[str, str] = {}
    for spec in T3_ROWS:
        # The label, with its path, and its first clause (「2.申请人逾期未按收费通知要求缴纳费用」).
        for n in _names(spec.key, spec.label, spec.full_label, spec.short_label, spec.label.split("、")[0]):
            rows[n] = spec.key
    for spec in T3_ROWS:
        for n in _names(*spec.keywords):
            rows.setdefault(n, spec.key)
    rows.setdefault(label_key("总计"), "total")
    rows.setdefault(label_key("本年新收"), "new")
    rows.setdefault(label_key("上年结转"), "carry_in")
    rows.setdefault(label_key("结转下年度"), "carry_out")
    col: dict[str, str] = {}
    for ckey, clabel in T3_COLUMNS:
        for n in _names(ckey, clabel):
            col[n] = ckey
    col_labels = dict(T3_COLUMNS)
    return _Index(
        "表三",
        rows,
        {s.key: s.label for s in T3_ROWS},
        {s.key: col for s in T3_ROWS},
        {s.key: col_labels for s in T3_ROWS},
    )


def _t4_index() -> _Index:
    rows: dict[str, str] = {}
    for gkey, glabel in T4_GROUPS:
        for n in _names(gkey, glabel, glabel.split("／")[-1], glabel.replace("／", "")):
            rows[n] = gkey
    col: dict[str, str] = {}
    for fkey, flabel in T4_FIELDS:
        for n in _names(fkey, flabel):
            col[n] = fkey
    labels = dict(T4_FIELDS)
    return _Index(
        "表四", rows, dict(T4_GROUPS), {g: col for g, _ in T4_GROUPS}, {g: labels for g, _ in T4_GROUPS}
    )


_TABLE_NAMES: Final[dict[str, str]] = {
    **{label_key(n): "table2" for n in ("表二", "table2", "t2", "二")},
    **{label_key(n): "table3" for n in ("表三", "table3", "t3", "三")},
    **{label_key(n): "table4" for n in ("表四", "table4", "t4", "四")},
}
_TABLE_ZH: Final = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _suggest(name: str, choices: Iterable[str]) -> str:
    """The template label closest to ``name`` (compared after :func:`label_key`), or ""."""
    by_key = {label_key(c): c for c in choices}
    key = label_key(name)
    hits = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.3)
    if not hits:
        # Substring match catches 「予以公开数量」 → 「（一）予以公开」.
        hits = [k for k in by_key if k and (_NUMBERING.sub("", k) in key or key in k)][:1]
    return by_key[hits[0]] if hits else ""


# --------------------------------------------------------------------------------------------- loading


class _Errors:
    def __init__(self, path: str) -> None:
        self.path = path
        self.en: list[str] = []
        self.zh: list[str] = []

    def add(self, line: int | None, en: str, zh: str) -> None:
        where = self.path + (f":{line}" if line else "")
        self.en.append(f"{where}: {en}")
        self.zh.append(f"{where}：{zh}")

    def raise_if_any(self) -> None:
        if self.zh:
            raise DraftInputError(
                "\n".join(self.en), "\n".join(self.zh), path=self.path, problems=list(self.zh)
            )


def _count(value: Any, where_zh: str, where_en: str, line: int | None, e: _Errors) -> int | None:
    if isinstance(value, bool) or value is None:
        e.add(
            line, f"{where_en}: not a whole number ({value!r})", f"{where_zh}：应为整数（读到「{value}」）。"
        )
        return None
    if isinstance(value, int):
        v = value
    elif isinstance(value, str) and value.strip().isdigit():
        v = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        v = int(value)
    else:
        e.add(
            line, f"{where_en}: not a whole number ({value!r})", f"{where_zh}：应为整数（读到「{value}」）。"
        )
        return None
    if v < 0:
        e.add(line, f"{where_en}: negative ({v})", f"{where_zh}：不能为负数（读到{v}）。")
        return None
    return v


def _amount(value: Any, where_zh: str, where_en: str, line: int | None, e: _Errors) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        e.add(
            line,
            f"{where_en}: not an amount in 万元 ({value!r})",
            f"{where_zh}：应为金额（万元），读到「{value}」。",
        )
        return None
    try:
        v = Decimal(str(value).strip())
    except InvalidOperation:
        e.add(
            line,
            f"{where_en}: not an amount in 万元 ({value!r})",
            f"{where_zh}：应为金额（万元），读到「{value}」。",
        )
        return None
    if v < 0 or not v.is_finite():
        e.add(
            line, f"{where_en}: negative or invalid ({value})", f"{where_zh}：金额不能为负数（读到{value}）。"
        )
        return None
    return v


def _cell(v: int | Decimal) -> Cell:
    if isinstance(v, Decimal):
        return Cell(raw=format_number(v), kind=CellKind.NUMBER, value=v, unit="wan_yuan")
    return Cell(raw=str(v), kind=CellKind.NUMBER, value=v, unit="count")


# (table key, row key, column key) → value, with the line it came from.
_Values = dict[tuple[str, str, str], tuple[int | Decimal, int | None]]


def _resolve_row(index: _Index, name: str, line: int | None, e: _Errors) -> str | None:
    key = index.rows.get(label_key(name))
    if key is None:
        hint = _suggest(name, index.row_labels.values())
        hint_zh = f"，是否应为「{hint}」？" if hint else "。"
        hint_en = f"; did you mean {hint!r}?" if hint else ""
        e.add(
            line,
            f"{index.table}: unknown row label {name!r}{hint_en}",
            f"{index.table}：未知的行标签「{name}」{hint_zh}",
        )
    return key


def _resolve_col(index: _Index, row: str, name: str, line: int | None, e: _Errors) -> str | None:
    key = index.cols[row].get(label_key(name))
    if key is None:
        labels = index.col_labels[row]
        hint = _suggest(name, labels.values())
        hint_zh = f"，是否应为「{hint}」？" if hint else f"（可用：{'、'.join(labels.values())}）。"
        hint_en = f"; did you mean {hint!r}?" if hint else ""
        e.add(
            line,
            f"{index.table} {index.row_labels[row]}: unknown column label {name!r}{hint_en}",
            f"{index.table}“{index.row_labels[row]}”：未知的列标签「{name}」{hint_zh}",
        )
    return key


_INDEXES: Final = {"table2": _t2_index(), "table3": _t3_index(), "table4": _t4_index()}


def _put(values: _Values, table: str, row: str, col: str, raw: Any, line: int | None, e: _Errors) -> None:
    index = _INDEXES[table]
    where_zh = f"{index.table}“{index.row_labels[row]}”“{index.col_labels[row][col]}”"
    where_en = f"{index.table} {row}/{col}"
    if (table, row, col) in values:
        e.add(line, f"{where_en}: given twice", f"{where_zh}：重复填写。")
        return
    v: int | Decimal | None
    if table == "table2" and row == "fee":
        v = _amount(raw, where_zh, where_en, line, e)
    else:
        v = _count(raw, where_zh, where_en, line, e)
    if v is not None:
        values[(table, row, col)] = (v, line)


def _from_mapping(data: Any, e: _Errors) -> tuple[_Values, set[str]]:
    values: _Values = {}
    present: set[str] = set()
    if not isinstance(data, dict):
        e.add(
            None,
            "table data must map 表二/表三/表四 to rows",
            "表格数据应按「表二」「表三」「表四」分别填写。",
        )
        return values, present
    for tname, rows in data.items():
        if tname == "__line__":
            continue
        table = _TABLE_NAMES.get(label_key(str(tname)))
        line = data.get("__line__")
        if table is None:
            e.add(
                line,
                f"unknown table {tname!r} (表二, 表三 or 表四)",
                f"未知的表格「{tname}」（应为表二、表三或表四）。",
            )
            continue
        present.add(table)
        index = _INDEXES[table]
        if rows is None:
            continue
        if not isinstance(rows, dict):
            e.add(line, f"{index.table}: rows must be a mapping", f"{index.table}：应按行标签填写。")
            continue
        for rname, cols in rows.items():
            if rname == "__line__":
                continue
            rline = cols.get("__line__") if isinstance(cols, dict) else rows.get("__line__")
            row = _resolve_row(index, str(rname), rline, e)
            if row is None:
                continue
            if not isinstance(cols, dict):
                single = [c for c in index.col_labels[row] if c not in ("tot", "total")]
                if len(index.col_labels[row]) == 1:
                    _put(values, table, row, next(iter(index.col_labels[row])), cols, rline, e)
                else:
                    e.add(
                        rline,
                        f"{index.table} {rname}: give the columns ({', '.join(single)})",
                        f"{index.table}“{rname}”：应按列填写（{'、'.join(index.col_labels[row].values())}）。",
                    )
                continue
            for cname, raw in cols.items():
                if cname == "__line__":
                    continue
                col = _resolve_col(index, row, str(cname), rline, e)
                if col is not None:
                    _put(values, table, row, col, raw, rline, e)
    return values, present


def _from_csv(text: str, e: _Errors) -> tuple[_Values, set[str]]:
    values: _Values = {}
    present: set[str] = set()
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows or [label_key(h) for h in rows[0][:4]] != ["table", "row", "column", "value"]:
        e.add(1, "the CSV header must be table,row,column,value", "CSV 首行应为表头 table,row,column,value。")
        return values, present
    for lineno, rec in enumerate(rows[1:], 2):
        if not any(c.strip() for c in rec):
            continue
        if len(rec) < 4:
            e.add(
                lineno,
                "expected 4 fields: table,row,column,value",
                "每行应有4个字段：table,row,column,value。",
            )
            continue
        tname, rname, cname, raw = (c.strip() for c in rec[:4])
        table = _TABLE_NAMES.get(label_key(tname))
        if table is None:
            e.add(
                lineno,
                f"unknown table {tname!r} (表二, 表三 or 表四)",
                f"未知的表格「{tname}」（应为表二、表三或表四）。",
            )
            continue
        present.add(table)
        if not rname:
            continue  # 「表四,,,」 declares an all-zero table
        index = _INDEXES[table]
        row = _resolve_row(index, rname, lineno, e)
        if row is None:
            continue
        if not cname and len(index.col_labels[row]) == 1:
            col: str | None = next(iter(index.col_labels[row]))
        else:
            col = _resolve_col(index, row, cname, lineno, e)
        if col is not None:
            _put(values, table, row, col, raw, lineno, e)
    return values, present


def _build(values: _Values, present: set[str], e: _Errors) -> TableData:
    for table in ("table2", "table3", "table4"):
        if table not in present:
            zh = _TABLE_ZH[table]
            e.add(
                None,
                f"no {zh} data (write '{zh}: {{}}' for a table that is all 0)",
                f"缺少{zh}数据（该表各项均为0时，写「{zh}: {{}}」）。",
            )

    def get(table: str, row: str, col: str) -> int | Decimal | None:
        hit = values.get((table, row, col))
        return hit[0] if hit else None

    t2 = Table2()
    for row, cols in T2_ROW_COLUMNS.items():
        cells = {}
        for ckey, _l in cols:
            v = get("table2", row, ckey)
            cells[ckey] = _cell(v if v is not None else (Decimal(0) if row == "fee" else 0))
        t2.rows[row] = TableRow(key=row, label=T2_ROW_LABEL[row], cells=cells)

    t3 = Table3()
    grid: dict[str, dict[str, int]] = {}
    for spec in T3_ROWS:
        grid[spec.key] = {}
        for col in T3_COL_KEYS[:-1]:
            v = get("table3", spec.key, col)
            grid[spec.key][col] = int(v) if v is not None else 0
    given_total_row = any(("table3", "total", c) in values for c in T3_COL_KEYS)
    if not given_total_row:
        for col in T3_COL_KEYS[:-1]:
            grid["total"][col] = sum(grid[leaf][col] for leaf in T3_LEAVES)
    for spec in T3_ROWS:
        tot = get("table3", spec.key, "tot")
        if tot is None:
            grid[spec.key]["tot"] = sum(grid[spec.key][c] for c in T3_COL_KEYS[:-1])
        else:
            grid[spec.key]["tot"] = int(tot)
        t3.rows[spec.key] = TableRow(
            key=spec.key, label=spec.label, cells={c: _cell(grid[spec.key][c]) for c in T3_COL_KEYS}
        )

    t4 = Table4()
    for gkey, glabel in T4_GROUPS:
        cells4: dict[str, int] = {}
        for fkey, _l in T4_FIELDS[:-1]:
            v = get("table4", gkey, fkey)
            cells4[fkey] = int(v) if v is not None else 0
        tot4 = get("table4", gkey, "total")
        cells4["total"] = int(tot4) if tot4 is not None else sum(cells4.values())
        t4.rows[gkey] = TableRow(key=gkey, label=glabel, cells={k: _cell(v) for k, v in cells4.items()})
    e.raise_if_any()
    return TableData(table2=t2, table3=t3, table4=t4)


TABLE_RULE_PREFIXES: Final = ("T2-", "T3-", "T4-")


def table_findings(
    tables: TableData, metadata: Metadata | None = None, previous: Report | None = None
) -> list[Finding]:
    """The findings of the table rules (T2-*, T3-*, T4-*) on a report holding only the tables."""
    from nianbao.rules import REGISTRY, Context, run_rules

    only = [c for c in REGISTRY if c.startswith(TABLE_RULE_PREFIXES)]
    return run_rules(tables.report(metadata), Context(previous=previous), only=only)


def tables_from_data(data: Any, path: str = "<tables>") -> TableData:
    """Table data from a parsed YAML/JSON structure (labels resolved, totals computed when left out)."""
    e = _Errors(path)
    values, present = _from_mapping(data, e)
    out = _build(values, present, e)
    out.path = path
    return out


def load_tables(
    path: str | Path,
    *,
    metadata: Metadata | None = None,
    previous: Report | None = None,
    check: bool = True,
) -> TableData:
    """Read table data (``.yaml``/``.yml``, ``.json`` or ``.csv``) and, with ``check``, run the table rules.

    Raises :class:`DraftInputError`: unreadable file, unknown table/row/column label (with the closest
    template label), a value that is not a whole number (or an amount for the fee), a value given twice,
    a table left out, or any table rule error (its message, e.g. T3-BALANCE).
    """
    name = str(path)
    p = Path(path)
    text = read_input(p, "table data", "表格数据文件")
    e = _Errors(name)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        values, present = _from_csv(text, e)
    else:
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DraftInputError(
                    f"{name}:{exc.lineno}: not valid JSON: {exc.msg}",
                    f"{name}:{exc.lineno}：不是有效的 JSON 文件（{exc.msg}）。",
                    path=name,
                ) from exc
        else:
            data = _yaml_nodes(text, name)
        values, present = _from_mapping(data, e)
    tables = _build(values, present, e)
    tables.path = name
    if check:
        errors = [f for f in table_findings(tables, metadata, previous) if f.severity is Severity.ERROR]
        if errors:
            zh = [f"{name}：{f.rule} {f.message}" for f in errors]
            en = [f"{name}: {f.rule} {f.message}" for f in errors]
            raise DraftInputError(
                f"{name}: the table data do not add up\n" + "\n".join(en),
                f"{name}：表格数据有误，未开始起草\n" + "\n".join(zh),
                path=name,
                problems=zh,
            )
    return tables
