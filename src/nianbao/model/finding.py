"""Findings: what a rule reports, as data (never an exception)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nianbao.model.span import Span


class Category(StrEnum):
    """The kinds of finding (design.md)."""

    ARITHMETIC = "arithmetic"
    TEXT_VS_TABLE = "text-vs-table"
    IDENTITY = "identity"
    TIMELINESS = "timeliness"
    TEMPLATE = "template"
    STRUCTURE = "structure"
    CROSS_YEAR = "cross-year"
    DUPLICATION = "duplication"
    WORDING = "wording"
    PRIVACY = "privacy"


class Severity(StrEnum):
    """How sure the rule is that something is wrong."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Location(BaseModel):
    """Where a finding is: a span, the part, and table/row/column labels for a table cell."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    span: Span | None = None
    part: str | None = None  # canonical part key
    table: str | None = None  # 表二 / 表三 / 表四
    row: str | None = None  # row label (template wording)
    column: str | None = None  # column label (template wording)

    def describe(self) -> str:
        """Chinese description: 「表三“（七）总计”行“总计”列（第66行）」."""
        text = ""
        if self.table:
            text = self.table
            if self.row:
                text += f"“{self.row}”行"
            if self.column:
                text += f"“{self.column}”列"
        where = self.span.describe() if self.span else ""
        if text and where:
            return f"{text}（{where}）"
        return text or where


Value = int | str | None


class Finding(BaseModel):
    """One mistake (or likely mistake) in a report; the JSON contract of ``nianbao check --format json``."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    category: Category
    severity: Severity
    message: str
    location: Location = Field(default_factory=Location)
    expected: Value = None
    actual: Value = None
    evidence: list[str] = Field(default_factory=list)
    source: Literal["rule", "llm"] = "rule"
