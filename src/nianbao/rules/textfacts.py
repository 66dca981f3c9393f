"""Small helpers shared by the text-vs-table rules: exact facts, table values, locations, number wording."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from nianbao.model.finding import Location
from nianbao.model.report import Fact, Report
from nianbao.model.tables import Table3
from nianbao.model.template import T3_COL_KEYS, T3_ROW_BY_KEY

T3_VALUE_COLS = T3_COL_KEYS[:-1]  # the six applicant columns, without 总计


def exact_facts(report: Report, *keys: str) -> Iterator[Fact]:
    """Facts with one of ``keys`` that are exact figures of the report year.

    Approximate figures (「20余件」) never raise an error, and neither do figures of another year
    (「2023年受理申请30件」, 「上年办理…」) that a text gives for comparison.
    """
    this_year = f"year:{report.metadata.year}" if report.metadata.year else None
    for fact in report.facts:
        if fact.key not in keys or "approx" in fact.qualifiers or "prior_year" in fact.qualifiers:
            continue
        years = [q for q in fact.qualifiers if q.startswith("year:")]
        if years and this_year is not None and this_year not in years:
            continue
        yield fact


def table3(report: Report) -> Table3 | None:
    """Table 三 when it was found."""
    t3 = report.table3
    return t3 if t3 is not None and t3.found else None


def t3_row_total(t3: Table3, row: str) -> int | None:
    """A row's 总计 cell; when that cell is blank or missing, the sum of its six columns if all are numbers."""
    value = t3.value(row, "tot")
    if isinstance(value, int):
        return value
    parts = [t3.value(row, c) for c in T3_VALUE_COLS]
    if all(isinstance(v, int) for v in parts) and t3.rows[row].found:
        return sum(int(v) for v in parts if v is not None)
    return None


def t3_sum(t3: Table3, rows: Iterable[str], cols: Iterable[str] = ("tot",)) -> int | None:
    """Sum of cells (rows × cols), or ``None`` when any of them has no number."""
    total = 0
    for row in rows:
        for col in cols:
            value = t3.value(row, col) if col != "tot" else t3_row_total(t3, row)
            if not isinstance(value, int):
                return None
            total += value
    return total


def t3_label(row: str) -> str:
    """The template label of a table 三 row."""
    return T3_ROW_BY_KEY[row].label


def at_fact(
    fact: Fact, table: str | None = None, row: str | None = None, column: str | None = None
) -> Location:
    """The location of a finding about a narrative figure: the number's place, plus the table cell compared."""
    return Location(span=fact.span, part=fact.part, table=table, row=row, column=column)


def fmt(value: int | Decimal) -> str:
    """A number as a clerk writes it (no trailing zeros, no exponent)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def quoted(fact: Fact) -> str:
    """The fact's wording in Chinese quotation marks, trimmed of trailing brackets."""
    text = "".join(fact.quote.split()).rstrip("（(，,")
    if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        text += "）"  # a percentage quoted from inside brackets: 「208件（17.46%」
    return f"“{text}”"
