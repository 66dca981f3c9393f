"""Table values of the real text and Markdown reports in ../shared/corpus, exactly as INDEX.md lists them.

Full matrices were read by hand from each file (and agree with the narrative figures the INDEX and the
annotator notes give); nothing here is copied from the reports' prose.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import nianbao
from nianbao.model.cell import CellKind
from nianbao.model.report import Report
from nianbao.model.tables import Table3, Table4
from nianbao.model.template import T3_COL_KEYS, T3_GROUPS, T3_ROW_KEYS, T4_FIELDS, T4_GROUPS

TABLE_RULES = {
    "T3-BALANCE", "T3-RESULT-TOTAL", "T3-ROW-TOTAL", "T3-VALUE", "T3-BLANK", "T3-BOUND",
    "T4-TOTAL", "T4-VALUE", "T4-BLANK",
    "T2-VALUE", "T2-BLANK", "T2-FEE-UNIT", "T2-REG-LEVEL", "T2-STOCK",
    "TPL-LABEL", "TPL-2019",
}  # fmt: skip


def _read(corpus: Path, name: str) -> Report:
    return nianbao.read(corpus / name)


def _matrix(t: Table3) -> list[list[int | None]]:
    return [[t.value(r, c) for c in T3_COL_KEYS] for r in T3_ROW_KEYS]  # type: ignore[misc]


def _t4(t: Table4) -> list[int | None]:
    return [t.value(g, f) for g, _ in T4_GROUPS for f, _ in T4_FIELDS]  # type: ignore[misc]


def _group_total(t: Table3, group: str) -> int:
    return sum(int(t.value(r, "tot") or 0) for r in T3_GROUPS[group])


def _findings(report: Report) -> list[tuple[str, str, str]]:
    return [
        (f.rule, f.severity.value, f.location.describe())
        for f in nianbao.check(report)
        if f.rule in TABLE_RULES
    ]


Z = [0, 0, 0, 0, 0, 0, 0]

KEWEI_T3 = [
    [32, 2, 0, 0, 0, 0, 34],
    [2, 0, 0, 0, 0, 0, 2],
    [9, 0, 0, 0, 0, 0, 9],
    Z, Z, Z, Z, Z,
    [1, 0, 0, 0, 0, 0, 1],
    [1, 0, 0, 0, 0, 0, 1],
    Z, Z,
    [4, 0, 0, 0, 0, 0, 4],
    [6, 0, 0, 0, 0, 0, 6],
    Z, Z, Z, Z, Z, Z,
    [8, 2, 0, 0, 0, 0, 10],
    Z,
    [4, 0, 0, 0, 0, 0, 4],
    [33, 2, 0, 0, 0, 0, 35],
    [1, 0, 0, 0, 0, 0, None],
]  # fmt: skip

OFFICE_T3 = [
    [1259, 36, 0, 0, 0, 0, 1295],
    [170, 15, 0, 0, 4, 0, 189],
    [201, 5, 0, 0, 0, 0, 206],
    [2, 0, 0, 0, 0, 0, 2],
    [4, 0, 0, 0, 0, 0, 4],
    Z,
    [1, 0, 0, 0, 0, 0, 1],
    Z,
    [8, 0, 0, 0, 1, 0, 9],
    [1, 0, 0, 0, 0, 0, 1],
    Z,
    [5, 0, 0, 0, 0, 0, 5],
    [484, 28, 0, 0, 1, 0, 513],
    [47, 1, 0, 0, 0, 0, 48],
    [3, 0, 0, 0, 0, 0, 3],
    [61, 1, 0, 0, 0, 0, 62],
    [16, 0, 0, 0, 0, 0, 16],
    [1, 0, 0, 0, 0, 0, 1],
    [1, 0, 0, 0, 0, 0, 1],
    Z,
    [40, 1, 0, 0, 2, 0, 43],
    Z,
    [264, 12, 0, 0, 0, 0, 276],
    [1139, 48, 0, 0, 4, 0, 1191],
    [290, 3, 0, 0, 0, 0, 293],
]  # fmt: skip

SHUYANG_T3 = [
    [705, 3, 0, 0, 5, 0, 713],
    [36, 0, 0, 0, 0, 0, 36],
    [290, 1, 0, 0, 3, 0, 294],
    [99, 0, 0, 0, 2, 0, 101],
    Z, Z,
    [2, 0, 0, 0, 0, 0, 2],
    [2, 0, 0, 0, 0, 0, 2],
    [13, 0, 0, 0, 0, 0, 13],
    [2, 0, 0, 0, 0, 0, 2],
    [4, 0, 0, 0, 0, 0, 4],
    [9, 0, 0, 0, 0, 0, 9],
    [111, 0, 0, 0, 0, 0, 111],
    [2, 0, 0, 0, 0, 0, 2],
    Z,
    [12, 0, 0, 0, 0, 0, 12],
    [6, 1, 0, 0, 0, 0, 7],
    Z, Z, Z,
    [9, 0, 0, 0, 0, 0, 9],
    [7, 0, 0, 0, 0, 0, 7],
    [142, 1, 0, 0, 0, 0, 143],
    [710, 3, 0, 0, 5, 0, 718],
    [31, 0, 0, 0, 0, 0, 31],
]  # fmt: skip


def test_kewei_tables(corpus: Path) -> None:
    r = _read(corpus, "shanghai-kewei-2024.md")
    assert r.table2 is not None and r.table3 is not None and r.table4 is not None
    t2 = r.table2
    assert [t2.value("reg", c) for c in ("issued", "repealed", "valid")] == [0, 0, 0]
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [13, 0, 55]
    assert t2.value("permit", "decisions") == 97
    assert _matrix(r.table3) == KEWEI_T3
    assert r.table3.cell("carry_out", "tot").kind is CellKind.BLANK  # empty, not 0
    # the narrative's group figures: 予以公开9 部分公开0 不予公开2 无法提供10 不予处理0 其他处理14
    assert [_group_total(r.table3, g) for g in T3_GROUPS] == [9, 0, 2, 10, 0, 14]
    assert _t4(r.table4) == [1, 0, 0, 0, 1] + [0] * 10
    alias = [n for n in r.notes if n.code == "label-alias"]
    assert len(alias) == 1 and alias[0].actual == "规范性文件"
    assert sorted(_findings(r)) == sorted(
        [
            ("T3-BLANK", "warning", "表三“四、结转下年度继续办理”行“总计”列（第178行第42列）"),
            ("TPL-LABEL", "info", "表二“行政规范性文件”行（第89行第3列）"),
            ("TPL-LABEL", "info", "表三（第172行第1列）"),
            ("TPL-LABEL", "info", "表三（第91行第1列）"),
        ]
    )


def test_shanghai_office_tables(corpus: Path) -> None:
    r = _read(corpus, "shanghai-office-2025.md")
    assert r.table2 is not None and r.table3 is not None and r.table4 is not None
    assert _matrix(r.table3) == OFFICE_T3
    # annotator notes: 予以公开及部分公开208, 不予公开20, 无法提供564, 不予处理80, 其他处理319
    assert [_group_total(r.table3, g) for g in T3_GROUPS] == [206, 2, 20, 564, 80, 319]
    assert _t4(r.table4) == [40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22]
    # table 二 （一） is mangled by extraction: reported, not invented
    assert not r.table2.rows["reg"].found and not r.table2.rows["norm"].found
    unreadable = [n.row for n in r.notes if n.code == "values-unreadable"]
    assert unreadable == ["规章", "行政规范性文件"]
    assert [r.table2.value(k, "decisions") for k in ("permit", "penalty", "coercion")] == [0, 0, 0]
    assert r.table2.value("fee", "amount") == Decimal(0)
    assert all(sev != "error" for _, sev, _ in _findings(r))


def test_shuyang_tables(corpus: Path) -> None:
    r = _read(corpus, "shuyang-county-2025.txt")
    assert r.table2 is not None and r.table3 is not None and r.table4 is not None
    assert _matrix(r.table3) == SHUYANG_T3
    assert _t4(r.table4) == [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]
    t2 = r.table2
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [6, 1, 32]
    assert [t2.value(k, "decisions") for k in ("permit", "penalty", "coercion")] == [517645, 693957, 2154]
    assert t2.value("fee", "amount") == Decimal("4068.208")
    assert [n for n in r.notes if n.table in ("表二", "表三", "表四")] == []
    assert _findings(r) == []


@pytest.mark.parametrize(
    "name", ["shanghai-kewei-2024.md", "shanghai-office-2025.md", "shuyang-county-2025.txt"]
)
def test_corpus_tables_have_no_arithmetic_error(corpus: Path, name: str) -> None:
    findings = _findings(_read(corpus, name))
    assert [f for f in findings if f[1] == "error"] == []
