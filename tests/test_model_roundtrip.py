"""Report, Cell and Finding serialise to JSON and back without loss (design.md: the Cell contract)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import nianbao
from nianbao.model.cell import Cell, CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.model.span import Span
from nianbao.model.tables import Table2, Table3

ROOT = Path(__file__).resolve().parents[1]


def roundtrip_report(report: Report) -> Report:
    return Report.model_validate_json(report.model_dump_json())


def test_fee_decimal_stays_decimal() -> None:
    table2 = Table2()
    table2.rows["fee"].cells["amount"] = Cell(
        raw="4068.208", kind=CellKind.NUMBER, value=Decimal("4068.208"), unit="wan_yuan"
    )
    back = roundtrip_report(Report(table2=table2))
    assert back.table2 is not None
    value = back.table2.value("fee", "amount")
    assert isinstance(value, Decimal) and value == Decimal("4068.208") and str(value) == "4068.208"
    assert '"4068.208"' in Report(table2=table2).model_dump_json()  # a string in JSON: no float rounding


def test_blank_zero_slash_dash_are_kept_apart() -> None:
    table3 = Table3()
    kinds = {
        "np": Cell(raw="", kind=CellKind.BLANK, span=Span(line=41, column=4)),
        "biz": Cell(raw="0", kind=CellKind.NUMBER, value=0, span=Span(line=41, column=5)),
        "res": Cell(raw="/", kind=CellKind.SLASH),
        "ngo": Cell(raw="—", kind=CellKind.DASH),
        "law": Cell(raw="无", kind=CellKind.INVALID),
    }
    table3.rows["new"].cells.update(kinds)
    back = roundtrip_report(Report(table3=table3))
    assert back.table3 is not None
    for col, cell in kinds.items():
        assert back.table3.cell("new", col) == cell
    assert back.table3.value("new", "biz") == 0 and back.table3.value("new", "np") is None
    assert back.table3.cell("new", "oth").kind is CellKind.MISSING


def test_parsed_reports_roundtrip() -> None:
    for name in ("lushan-2024.txt", "clean-2024.txt", "clean-2023.txt"):
        report = nianbao.read(ROOT / "fixtures" / name)
        assert roundtrip_report(report) == report, name


def test_findings_roundtrip() -> None:
    report = nianbao.read(ROOT / "fixtures" / "lushan-2024.txt")
    findings = nianbao.check(report)
    assert findings
    for f in findings:
        assert Finding.model_validate_json(f.model_dump_json()) == f
        assert Finding.model_validate(f.model_dump(mode="json")) == f


spans = st.one_of(
    st.none(),
    st.builds(
        Span, path=st.sampled_from([None, "a.txt"]), line=st.integers(1, 10_000), column=st.integers(1, 500)
    ),
)
raw_text = st.text(max_size=12)


@st.composite
def cells(draw: st.DrawFn) -> Cell:
    kind = draw(st.sampled_from(list(CellKind)))
    unit = draw(st.sampled_from(["count", "wan_yuan"]))
    value: int | Decimal | None = None
    if kind is CellKind.NUMBER:
        if unit == "wan_yuan":
            value = draw(
                st.decimals(
                    min_value=0,
                    max_value=10**9,
                    places=draw(st.integers(0, 6)),
                    allow_nan=False,
                    allow_infinity=False,
                )
            )
        else:
            value = draw(st.integers(min_value=0, max_value=10**12))
    return Cell(raw=draw(raw_text), kind=kind, value=value, unit=unit, span=draw(spans))


@given(cells())
def test_any_cell_roundtrips(cell: Cell) -> None:
    back = Cell.model_validate_json(cell.model_dump_json())
    assert back == cell
    assert type(back.value) is type(cell.value)
    if isinstance(cell.value, Decimal):
        assert str(back.value) == str(cell.value)  # same digits, same exponent


@given(
    st.builds(
        Finding,
        rule=st.from_regex(r"[A-Z]{2,4}-[A-Z]{3,8}", fullmatch=True),
        category=st.sampled_from(list(Category)),
        severity=st.sampled_from(list(Severity)),
        message=st.text(min_size=1, max_size=40),
        location=st.builds(
            Location,
            span=spans,
            part=st.sampled_from([None, "overview", "requests"]),
            table=st.sampled_from([None, "表三"]),
        ),
        expected=st.one_of(st.none(), st.integers(), st.text(max_size=8)),
        actual=st.one_of(st.none(), st.integers(), st.text(max_size=8)),
        evidence=st.lists(st.text(max_size=20), max_size=3),
    )
)
def test_any_finding_roundtrips(finding: Finding) -> None:
    assert Finding.model_validate_json(finding.model_dump_json()) == finding
