"""Models built without validation (nianbao.model.trusted) are the same objects validation builds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

import nianbao
from nianbao.model.cell import Cell, CellKind
from nianbao.model.document import Segment
from nianbao.model.report import Fact, Heading, Paragraph, Report
from nianbao.model.span import Span
from nianbao.model.tables import TableRow
from nianbao.model.trusted import _SPECS, text_span, trusted, trusted_cell, trusted_copy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPAN = Span(path="r.txt", line=41, column=4)


def same(a: BaseModel, b: BaseModel) -> bool:
    return (
        a == b
        and a.model_fields_set == b.model_fields_set
        and list(a.__dict__) == list(b.__dict__)
        and a.model_dump_json() == b.model_dump_json()
        and repr(a) == repr(b)
    )


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Span, {"path": "r.txt", "line": 3, "column": 7}),
        (Span, {"line": 3}),
        (Cell, {"raw": "12", "kind": CellKind.NUMBER, "value": 12, "unit": "count", "span": SPAN}),
        (
            Cell,
            {"raw": "4068.208", "kind": CellKind.NUMBER, "value": Decimal("4068.208"), "unit": "wan_yuan"},
        ),
        (Cell, {"raw": "/", "kind": CellKind.SLASH, "value": None, "unit": "count", "span": None}),
        (TableRow, {"key": "new", "label": "一、本年新收", "span": SPAN, "cells": {"np": Cell()}}),
        (Fact, {"key": "requests.received", "value": 37, "unit": "件", "quote": "收到37件", "span": SPAN}),
        (
            Fact,
            {
                "key": "percent.open",
                "value": Decimal("51.35"),
                "quote": "51.35%",
                "span": SPAN,
                "qualifiers": ["x"],
            },
        ),
        (Paragraph, {"text": "正文。", "span": SPAN, "part": "overview"}),
        (Segment, {"start": 4, "span": SPAN}),
        (Heading, {"text": "一、总体情况", "number": "一", "title": "总体情况", "depth": 1, "span": SPAN}),
    ],
)
def test_trusted_equals_validated(cls: type[BaseModel], values: dict[str, object]) -> None:
    built = trusted(cls, **values)
    assert type(built) is cls and same(built, cls(**values))
    assert _SPECS[cls].ok  # these models are built without validation


def test_specialised_builders_equal_validated() -> None:
    assert same(text_span("r.txt", 3, 7), Span(path="r.txt", line=3, column=7))
    assert same(text_span(None, 3, None), Span(path=None, line=3, column=None))
    for raw, kind, value, unit in [
        ("12", CellKind.NUMBER, 12, "count"),
        ("4068.208", CellKind.NUMBER, Decimal("4068.208"), "wan_yuan"),
        ("", CellKind.BLANK, None, "count"),
        ("无", CellKind.INVALID, None, "wan_yuan"),
    ]:
        for span in (SPAN, None):
            validated = Cell(raw=raw, kind=kind, value=value, unit=unit, span=span)  # type: ignore[arg-type]
            assert same(trusted_cell(raw, kind, value, unit, span), validated)  # type: ignore[arg-type]


def test_shared_fields_sets_are_never_changed() -> None:
    a, b = text_span("r.txt", 1, 1), text_span("r.txt", 2, 1)
    moved = a.model_copy(update={"end_line": 3})
    assert moved.model_fields_set == {"path", "line", "column", "end_line"}
    assert trusted_copy(a, end_column=4).model_fields_set == {"path", "line", "column", "end_column"}
    assert a.model_fields_set == b.model_fields_set == {"path", "line", "column"}
    with pytest.raises(ValueError, match="frozen"):
        a.end_line = 3  # type: ignore[misc]
    assert b.model_fields_set == {"path", "line", "column"}


def test_trusted_copy_equals_model_copy() -> None:
    span = Span(path="r.txt", line=3, column=7)
    assert same(trusted_copy(span, column=9), span.model_copy(update={"column": 9}))
    heading = Heading(text="一、总体情况", number="一", title="总体情况", depth=1, span=span)
    assert same(trusted_copy(heading, part="overview"), heading.model_copy(update={"part": "overview"}))


def test_frozen_models_stay_frozen() -> None:
    span = trusted(Span, line=1, column=1)
    with pytest.raises(ValueError, match="frozen"):
        span.line = 2  # type: ignore[misc]


def test_models_it_cannot_build_are_validated() -> None:
    class Aliased(BaseModel):
        model_config = ConfigDict(extra="forbid")
        value: int = Field(alias="v")

    class Private(BaseModel):
        value: int = 0
        _cache: dict[str, int] = PrivateAttr(default_factory=dict)

    assert trusted(Aliased, v="3").value == 3  # validated: the string became an int
    assert trusted(Private, value="4").value == 4
    assert not _SPECS[Aliased].ok and not _SPECS[Private].ok


def test_parsed_reports_equal_their_validated_json_round_trip() -> None:
    for path in sorted(
        p for p in FIXTURES.glob("*") if p.suffix in (".txt", ".md") and p.name != "README.md"
    ):
        report = nianbao.read(path)
        again = Report.model_validate_json(report.model_dump_json())
        assert again == report, path.name
        assert again.model_dump_json() == report.model_dump_json(), path.name
