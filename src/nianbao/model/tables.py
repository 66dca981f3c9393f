"""The three statistical tables of the 2021 format, keyed by canonical row and column keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from nianbao.model.cell import Cell, missing_cell
from nianbao.model.span import Span
from nianbao.model.template import (
    T2_ROW_COLUMNS,
    T2_ROW_KEYS,
    T3_COL_KEYS,
    T3_ROW_KEYS,
    T4_FIELDS,
    T4_GROUPS,
)


class TableRow(BaseModel):
    """One row as found: the label text as written, where, and its cells by column key."""

    model_config = ConfigDict(extra="forbid")

    key: str
    label: str = ""  # the label text as written in the document ("" when the row was not found)
    span: Span | None = None
    cells: dict[str, Cell]

    @property
    def found(self) -> bool:
        """False when the row is absent from the document (all cells missing)."""
        return any(c.kind != "missing" for c in self.cells.values())


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: dict[str, TableRow]
    span: Span | None = None  # where the table starts
    found: bool = True

    def cell(self, row: str, col: str) -> Cell:
        """The cell at a canonical row and column key."""
        return self.rows[row].cells[col]

    def value(self, row: str, col: str) -> int | Decimal | None:
        """The numeric value, or ``None`` when the cell is blank, a dash, invalid or missing."""
        return self.rows[row].cells[col].number()

    def iter_cells(self) -> Iterator[tuple[str, str, Cell]]:
        """Every (row key, column key, cell), in template order."""
        for rkey, row in self.rows.items():
            for ckey, cell in row.cells.items():
                yield rkey, ckey, cell


def _empty_rows(layout: Mapping[str, tuple[str, ...]], fee_rows: tuple[str, ...] = ()) -> dict[str, TableRow]:
    return {
        rkey: TableRow(
            key=rkey,
            cells={c: missing_cell("wan_yuan" if rkey in fee_rows else "count") for c in cols},
        )
        for rkey, cols in layout.items()
    }


class Table2(_Table):
    """Table for part 二 (第二十条第（一）（五）（六）（八）项): 10 cells.

    Rows ``reg``, ``norm`` (columns ``issued``, ``repealed``, ``valid``), ``permit``, ``penalty``,
    ``coercion`` (column ``decisions``) and ``fee`` (column ``amount``, 万元, a ``Decimal``).
    """

    rows: dict[str, TableRow] = Field(
        default_factory=lambda: _empty_rows(
            {k: tuple(c for c, _ in T2_ROW_COLUMNS[k]) for k in T2_ROW_KEYS}, ("fee",)
        )
    )


class Table3(_Table):
    """Table for part 三: 25 rows × 7 columns = 175 count cells (keys in :mod:`nianbao.model.template`)."""

    rows: dict[str, TableRow] = Field(
        default_factory=lambda: _empty_rows({k: T3_COL_KEYS for k in T3_ROW_KEYS})
    )


class Table4(_Table):
    """Table for part 四: rows ``review``, ``suit_direct``, ``suit_after_review`` × five columns = 15 cells."""

    rows: dict[str, TableRow] = Field(
        default_factory=lambda: _empty_rows({g: tuple(f for f, _ in T4_FIELDS) for g, _ in T4_GROUPS})
    )
