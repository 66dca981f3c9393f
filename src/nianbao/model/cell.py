"""A table cell: the raw text as written and the value read from it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_serializer, model_validator

from nianbao.model.span import Span


class CellKind(StrEnum):
    """What a cell holds. Blank, ``/`` and ``—`` are kept apart from ``0``."""

    NUMBER = "number"  # a value was read (0 included)
    BLANK = "blank"  # empty, spaces, &nbsp;
    SLASH = "slash"  # "/" or "／"
    DASH = "dash"  # "-", "—", "——", "－", "–"
    INVALID = "invalid"  # text that is not a valid value for the cell (e.g. 2.5 in a count cell, 无)
    MISSING = "missing"  # the row or table was not found in the document


Unit = Literal["count", "wan_yuan"]


class Cell(BaseModel):
    """One numeric cell of table 二, 三 or 四.

    ``value`` is an ``int`` for counts and a ``Decimal`` for amounts in 万元 (``unit="wan_yuan"``),
    ``None`` whenever ``kind`` is not ``number``. In JSON an amount is written as a string so that
    no digit is lost.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    raw: str = ""
    kind: CellKind = CellKind.MISSING
    value: int | Decimal | None = None
    unit: Unit = "count"
    span: Span | None = None

    @model_validator(mode="before")
    @classmethod
    def _coerce_value(cls, data: Any) -> Any:
        # JSON has no Decimal: restore the right numeric type from the unit.
        if isinstance(data, dict) and data.get("value") is not None:
            value = data["value"]
            if data.get("unit", "count") == "wan_yuan":
                data = {**data, "value": Decimal(str(value))}
            elif not isinstance(value, int):
                data = {**data, "value": int(value)}
        return data

    @field_serializer("value")
    def _serialize_value(self, value: int | Decimal | None) -> int | str | None:
        if isinstance(value, Decimal):
            return str(value)
        return value

    @property
    def is_number(self) -> bool:
        """True when a value was read."""
        return self.kind is CellKind.NUMBER and self.value is not None

    def number(self) -> int | Decimal | None:
        """The value, or ``None`` for blank, slash, dash, invalid and missing cells."""
        return self.value if self.kind is CellKind.NUMBER else None


def missing_cell(unit: Unit = "count") -> Cell:
    """A cell for a row or table that the document does not have."""
    return Cell(raw="", kind=CellKind.MISSING, value=None, unit=unit)
