"""Where a value came from in its source document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A place in a source document.

    Text sources use ``line`` and ``column`` (both 1-based, columns counted in characters).
    Word documents use ``paragraph`` or ``table``/``row``/``cell`` indices, HTML an ``element``
    path, PDF ``page`` and ``line``. Unused fields stay ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    element: str | None = None

    def describe(self) -> str:
        """Short Chinese description of the place, e.g. 「第13行第5列」."""
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph + 1}段")
        if self.table is not None:
            parts.append(f"第{self.table + 1}个表格")
            if self.row is not None:
                parts.append(f"第{self.row + 1}行")
            if self.cell is not None:
                parts.append(f"第{self.cell + 1}格")
        elif self.line is not None:
            parts.append(f"第{self.line}行")
            if self.column is not None:
                parts.append(f"第{self.column}列")
        return "".join(parts)
