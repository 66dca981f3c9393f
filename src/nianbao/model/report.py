"""The typed report: metadata, parts, narrative, the three tables and the facts read from the text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

from nianbao.model.document import Segment, locate
from nianbao.model.span import Span
from nianbao.model.tables import Table2, Table3, Table4


class Level(StrEnum):
    """Administrative level of the reporting agency."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"
    UNKNOWN = "unknown"


class AgencyKind(StrEnum):
    """Whether the report is a government's own (本级政府), its general office's, or a department's."""

    GOVERNMENT = "government"  # X人民政府 / X镇人民政府
    OFFICE = "office"  # X人民政府办公室 / 办公厅
    DEPARTMENT = "department"  # X局, X委员会, …
    UNKNOWN = "unknown"


class Metadata(BaseModel):
    """What the title and the document tell about the report."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    title_span: Span | None = None
    agency: str = ""  # e.g. 鲁山县人民政府办公室
    region: str = ""  # e.g. 鲁山县 (the jurisdiction the agency belongs to)
    region_code: str | None = None  # 6-digit 行政区划代码 where known
    level: Level = Level.UNKNOWN
    kind: AgencyKind = AgencyKind.UNKNOWN
    year: int | None = None
    publication_date: dt.date | None = None
    source_path: str | None = None
    source_format: str | None = None
    encoding: str | None = None


class Paragraph(BaseModel):
    """A narrative paragraph, with the part it belongs to and a way back to its source."""

    model_config = ConfigDict(extra="forbid")

    text: str
    span: Span
    segments: list[Segment] = Field(default_factory=list)
    part: str | None = None  # canonical part key (overview, active, …) or None before the first part

    def span_at(self, offset: int) -> Span:
        """The source place of the character at ``offset``."""
        return locate(self.span, self.segments, offset)


class Heading(BaseModel):
    """A heading line: a part heading (「一、总体情况」) or a sub-heading (「（一）主动公开情况」)."""

    model_config = ConfigDict(extra="forbid")

    text: str
    number: str  # 一, 二, … for top level; （一） … for sub-level
    title: str  # text after the number
    depth: int  # 1 = 一、 2 = （一）
    span: Span
    part: str | None = None  # canonical part key when this is one of the six part headings
    inline_text: str = ""  # text following the heading on the same line (「（一）主动公开情况。全年…」)


class Part(BaseModel):
    """One of the six parts as it occurs in the document (a duplicated heading gives two Parts)."""

    model_config = ConfigDict(extra="forbid")

    key: str | None  # canonical key, None for an unrecognised top-level heading
    heading: Heading
    paragraphs: list[Paragraph] = Field(default_factory=list)
    subheadings: list[Heading] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """All paragraph text of the part, joined by newlines."""
        return "\n".join(p.text for p in self.paragraphs)


class Fact(BaseModel):
    """A figure stated in the narrative, read by a deterministic pattern (or, later, a model).

    ``key`` names what the figure is about (e.g. ``requests.received``, ``requests.handled``,
    ``t3.group.deny``, ``t4.review.total``); ``qualifiers`` records words that change its meaning
    (``incl_carry_in``, ``approx``, ``person_times`` …).
    """

    model_config = ConfigDict(extra="forbid")

    key: str
    value: int | Decimal
    unit: str = "件"
    quote: str  # the matched text, verbatim
    span: Span
    part: str | None = None
    qualifiers: list[str] = Field(default_factory=list)
    source: str = "rule"

    @model_validator(mode="before")
    @classmethod
    def _restore_decimal(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            data = {**data, "value": Decimal(data["value"])}
        return data

    @field_serializer("value")
    def _serialize_value(self, value: int | Decimal) -> int | str:
        return str(value) if isinstance(value, Decimal) else value


READER_NOTE = "reader"  # ParseNote.code of what the reader ignored or repaired (text boxes, footers …)


class ParseNote(BaseModel):
    """Something the parser saw and did not guess about: a missing, renamed or 2019 label, a damaged table.

    Template and structure rules turn these into findings.
    """

    model_config = ConfigDict(extra="forbid")

    code: str  # e.g. table-missing, row-missing, label-renamed, label-2019, row-unassigned, header-missing, reader
    message: str  # Chinese, names the label and the place
    span: Span | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: str | None = None
    actual: str | None = None


class Report(BaseModel):
    """A whole 政府信息公开工作年度报告 in the 2021 format."""

    model_config = ConfigDict(extra="forbid")

    metadata: Metadata = Field(default_factory=Metadata)
    headings: list[Heading] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)
    preamble: list[Paragraph] = Field(default_factory=list)  # text between the title and the first part
    table2: Table2 | None = None
    table3: Table3 | None = None
    table4: Table4 | None = None
    facts: list[Fact] = Field(default_factory=list)
    notes: list[ParseNote] = Field(default_factory=list)

    def part(self, key: str) -> Part | None:
        """The first part with this canonical key."""
        return next((p for p in self.parts if p.key == key), None)

    def paragraphs(self) -> list[Paragraph]:
        """Every narrative paragraph (preamble first), in document order."""
        out = list(self.preamble)
        for p in self.parts:
            out.extend(p.paragraphs)
        return out

    def facts_for(self, key: str) -> list[Fact]:
        """Facts with this key, in document order."""
        return [f for f in self.facts if f.key == key]
