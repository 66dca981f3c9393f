"""Reading the three tables: the seed, the clean fixture, and the shapes real extracted text takes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from corpus_paths import FIXTURES
from nianbao.model.cell import CellKind
from nianbao.model.report import ParseNote
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import T3_COL_KEYS, T3_ROW_KEYS, T3_ROWS, T4_FIELDS, T4_GROUPS
from nianbao.parse.tables import parse_tables
from nianbao.read import read_text

Tables = tuple[Table2 | None, Table3 | None, Table4 | None, list[ParseNote]]


def tables_of(text: str) -> Tables:
    return parse_tables(read_text(text, path="<test>"), [])


def t3_matrix(t: Table3) -> list[list[int | None]]:
    return [[t.value(r, c) for c in T3_COL_KEYS] for r in T3_ROW_KEYS]  # type: ignore[misc]


def t4_list(t: Table4) -> list[int | None]:
    return [t.value(g, f) for g, _ in T4_GROUPS for f, _ in T4_FIELDS]  # type: ignore[misc]


def codes(notes: list[ParseNote]) -> list[str]:
    return [n.code for n in notes]


# The clean fixture's table 三, read by hand from fixtures/clean-2024.txt (rows in template order).
CLEAN_T3 = [
    [30, 4, 0, 1, 2, 0, 37],
    [3, 0, 0, 0, 0, 0, 3],
    [12, 2, 0, 1, 0, 0, 15],
    [3, 0, 0, 0, 1, 0, 4],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [8, 1, 0, 0, 0, 0, 9],
    [1, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0],
    [2, 0, 0, 0, 0, 0, 2],
    [1, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0],
    [1, 1, 0, 0, 0, 0, 2],
    [0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 1],
    [31, 4, 0, 1, 1, 0, 37],
    [2, 0, 0, 0, 1, 0, 3],
]


def test_seed_tables() -> None:
    t2, t3, t4, notes = tables_of((FIXTURES / "lushan-2024.txt").read_text(encoding="utf-8"))
    assert t2 is not None and t3 is not None and t4 is not None
    assert notes == []
    cells = [c for _, _, c in t3.iter_cells()]
    assert len(cells) == 175
    assert all(c.kind is CellKind.NUMBER and c.value == 0 for c in cells)
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [3, 0, 199]
    assert [t2.value("reg", c) for c in ("issued", "repealed", "valid")] == [0, 0, 0]
    assert [t2.value(r, "decisions") for r in ("permit", "penalty", "coercion")] == [0, 0, 0]
    assert t2.value("fee", "amount") == Decimal(0)
    assert isinstance(t2.value("fee", "amount"), Decimal)
    assert t4_list(t4) == [0] * 15
    # the detached rows keep their place and span
    assert t3.rows["other_3"].span is not None and t3.rows["other_3"].span.line == 65
    assert t3.rows["total"].label == "(七) 总计"
    assert t3.cell("total", "tot").span is not None and t3.cell("total", "tot").span.line == 66
    # values of rows with three label cells and with two are both read from the end
    assert t3.cell("deny_1", "np").span.column != t3.cell("new", "np").span.column  # type: ignore[union-attr]


def test_clean_tables() -> None:
    t2, t3, t4, notes = tables_of((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8"))
    assert t2 is not None and t3 is not None and t4 is not None
    assert notes == []
    assert t3_matrix(t3) == CLEAN_T3
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [2, 1, 15]
    assert [t2.value(r, "decisions") for r in ("permit", "penalty", "coercion")] == [1250, 86, 3]
    assert t4_list(t4) == [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]


# --- synthetic layouts ------------------------------------------------------------------------------


def _t3_rows(values: list[list[str]] | None = None) -> list[tuple[str, list[str]]]:
    vals = values or [[str(i % 3)] * 6 + [str((i % 3) * 6)] for i in range(25)]
    return [(spec.label, v) for spec, v in zip(T3_ROWS, vals, strict=True)]


def _doc(t3_lines: list[str], t4_lines: list[str] | None = None, t2_lines: list[str] | None = None) -> str:
    t2 = t2_lines or [
        "规章\t0\t0\t0",
        "行政规范性文件\t2\t1\t15",
        "行政许可\t5\t\t",
        "行政处罚\t6\t\t",
        "行政强制\t7\t\t",
        "行政事业性收费\t1.25\t\t",
    ]
    t4 = t4_lines or ["\t".join(str(i) for i in range(15))]
    return "\n".join(
        [
            "某县某局2024年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            *t2,
            "",
            "三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            *t3_lines,
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            *t4,
            "",
            "五、存在的主要问题及改进情况",
            "问题和措施。",
        ]
    )


def _expected_matrix() -> list[list[int]]:
    return [[i % 3] * 6 + [(i % 3) * 6] for i in range(25)]


def test_pipe_markdown_table() -> None:
    lines = [
        "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {label} | {' | '.join(v)} |" for label, v in _t3_rows()]
    t2, t3, t4, notes = tables_of(_doc(lines))
    assert t3 is not None and notes == []
    assert t3_matrix(t3) == _expected_matrix()
    assert t2 is not None and t2.value("fee", "amount") == Decimal("1.25")
    assert t4 is not None and t4_list(t4) == list(range(15))


def test_label_then_numbers_text_lines_with_fullwidth_digits() -> None:
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    lines = [f"{label} {' '.join(v)}".translate(fw) for label, v in _t3_rows()]
    t2_lines = [
        "规章 0 0 0",
        "行政规范性文件 ２ 1 15",
        "行政许可 97",
        "行政处罚 6",
        "行政强制 7",
        "行政事业性收费 0",
    ]
    t2, t3, _, notes = tables_of(_doc(lines, t2_lines=t2_lines))
    assert t3 is not None and notes == []
    assert t3_matrix(t3) == _expected_matrix()
    assert t2 is not None and t2.value("permit", "decisions") == 97
    assert t2.value("norm", "issued") == 2


def test_one_cell_per_line() -> None:
    lines: list[str] = []
    for label, v in _t3_rows():
        lines.append(label)
        lines.extend(v)
    t4 = [str(i) for i in range(15)]
    _, t3, t4t, notes = tables_of(_doc(lines, t4_lines=t4))
    assert t3 is not None and notes == []
    assert t3_matrix(t3) == _expected_matrix()
    assert t4t is not None and t4_list(t4t) == list(range(15))


def test_page_footer_inside_table_is_ignored() -> None:
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    lines.insert(10, "— 3 —")
    _, t3, _, notes = tables_of(_doc(lines))
    assert t3 is not None and notes == []
    assert t3_matrix(t3) == _expected_matrix()


def test_cell_kinds_are_kept_apart() -> None:
    vals = [["0"] * 7 for _ in range(25)]
    vals[0] = ["", "/", "—", "-", "无", "2.5", "3"]
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows(vals)]
    _, t3, _, _ = tables_of(_doc(lines))
    assert t3 is not None
    kinds = [t3.cell("new", c).kind for c in T3_COL_KEYS]
    assert kinds == [
        CellKind.BLANK,
        CellKind.SLASH,
        CellKind.DASH,
        CellKind.DASH,
        CellKind.INVALID,
        CellKind.INVALID,
        CellKind.NUMBER,
    ]
    assert t3.cell("new", "res").raw == "—"
    assert t3.value("new", "law") is None


def test_trailing_blank_total_is_blank_not_dropped() -> None:
    lines = [f"| {label} | {' | '.join(v)} |  |" for label, v in _t3_rows()]
    lines[-1] = "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |"
    _, t3, _, _ = tables_of(_doc(lines))
    assert t3 is not None
    assert [t3.value("carry_out", c) for c in T3_COL_KEYS[:6]] == [1, 0, 0, 0, 0, 0]
    assert t3.cell("carry_out", "tot").kind is CellKind.BLANK
    assert t3.value("new", "tot") == 0  # a trailing empty cell after 7 values is dropped


def test_unlabeled_and_ambiguous_rows_take_the_next_row() -> None:
    rows = _t3_rows()
    lines = [f"| {label} | {' | '.join(v)} |" for label, v in rows]
    lines[3] = f"| {' | '.join(rows[3][1])} |"  # （二）部分公开 without its label
    lines[20] = f"| 行政机关不再处理其政府信息公 | {' | '.join(rows[20][1])} |"  # fits （六）1 and （六）2
    _, t3, _, notes = tables_of(_doc(lines))
    assert t3 is not None
    assert t3_matrix(t3) == _expected_matrix()
    assert codes(notes) == ["row-by-position"]


def test_label_lines_before_unlabeled_value_rows() -> None:
    rows = _t3_rows()
    lines = [f"| {label} | {' | '.join(v)} |" for label, v in rows[:4]]
    lines += ["", "（三）不", "予公开", "1.属于国家秘密"]
    lines += [f"| {' | '.join(v)} |" for _, v in rows[4:6]]
    lines += [f"| {label} | {' | '.join(v)} |" for label, v in rows[6:]]
    _, t3, _, _ = tables_of(_doc(lines))
    assert t3 is not None
    assert t3_matrix(t3) == _expected_matrix()


def test_missing_renamed_and_extra_rows_are_noted() -> None:
    rows = _t3_rows()
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in rows]
    lines[17] = ""  # drop （五）3.要求提供公开出版物 — the next rows carry their own labels
    lines[1] = "二、上年度未办结申请数量\t" + "\t".join(rows[1][1])
    lines.insert(13, "（三）小计\t" + "\t".join(["9"] * 7))
    _, t3, _, notes = tables_of(_doc([x for x in lines if x]))
    assert t3 is not None
    assert sorted(codes(notes)) == ["label-renamed", "row-extra", "row-missing"]
    missing = next(n for n in notes if n.code == "row-missing")
    assert missing.row == "（五）不予处理／3.要求提供公开出版物"
    assert not t3.rows["noproc_3"].found
    assert t3.value("carry_in", "tot") == 6


def test_2019_other_row_without_subitems() -> None:
    rows = _t3_rows()
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in rows[:20]]
    lines.append("（六）其他处理\t" + "\t".join(["0"] * 7))
    lines += [f"{label}\t{chr(9).join(v)}" for label, v in rows[23:]]
    _, t3, _, notes = tables_of(_doc(lines))
    assert t3 is not None
    assert codes(notes) == ["label-2019"]
    assert not t3.rows["other_1"].found and t3.rows["total"].found


def test_2019_table2_labels() -> None:
    t2_lines = [
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t0\t0\t0",
        "规范性文件\t2\t2\t15",
        "行政许可\t5\t\t",
        "行政处罚\t6\t\t",
        "行政强制\t7\t\t",
        "行政事业性收费\t0\t\t",
    ]
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    t2, _, _, notes = tables_of(_doc(lines, t2_lines=t2_lines))
    assert t2 is not None
    assert codes(notes).count("label-2019") == 3
    assert not t2.rows["norm"].found  # columns of another meaning are not read
    assert t2.value("permit", "decisions") == 5


def test_table4_split_in_three_tables() -> None:
    header = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|"
    t4 = [
        "### 行政复议",
        header,
        "| 27 | 10 | 9 | 15 | 61 |",
        "",
        "### 行政诉讼（未经复议直接起诉）",
        header,
        "| 3 | 0 | 0 | 0 | 3 |",
        "",
        "### 行政诉讼（复议后起诉）",
        header,
        "| 8 | 0 | 1 | 1 | 10 |",
    ]
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    _, _, t4t, notes = tables_of(_doc(lines, t4_lines=t4))
    assert t4t is not None and notes == []
    assert t4_list(t4t) == [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]


def test_table4_with_too_few_values_is_not_guessed() -> None:
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    _, _, t4, notes = tables_of(_doc(lines, t4_lines=["1\t0\t0\t0\t1\t0\t0"]))
    assert t4 is not None and not any(r.found for r in t4.rows.values())
    assert codes(notes) == ["values-unreadable"]


def test_table2_short_row_is_not_guessed() -> None:
    t2_lines = [
        "| 规章 | 22 | 235 |",
        "| 行政规范性文件 | 34 | 0 | 189 |",
        "行政许可 0",
        "行政处罚 0",
        "行政强制 0",
        "行政事业性收费 0",
    ]
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    t2, _, _, notes = tables_of(_doc(lines, t2_lines=t2_lines))
    assert t2 is not None
    assert not t2.rows["reg"].found
    assert codes(notes) == ["values-unreadable"]
    assert [t2.value("norm", c) for c in ("issued", "repealed", "valid")] == [34, 0, 189]


def test_missing_tables() -> None:
    t2, t3, t4, notes = tables_of("某局2024年政府信息公开工作年度报告\n一、总体情况\n正文。")
    assert (t2, t3, t4) == (None, None, None)
    assert codes(notes) == ["table-missing"] * 3


@pytest.mark.parametrize("text", ["2.5", "-1", "无"])
def test_invalid_count_in_table2(text: str) -> None:
    t2_lines = [
        "规章\t0\t0\t0",
        "行政规范性文件\t2\t1\t15",
        f"行政许可\t{text}",
        "行政处罚\t6",
        "行政强制\t7",
        "行政事业性收费\t-",
    ]
    lines = [f"{label}\t{chr(9).join(v)}" for label, v in _t3_rows()]
    t2, _, _, _ = tables_of(_doc(lines, t2_lines=t2_lines))
    assert t2 is not None
    assert t2.cell("permit", "decisions").kind is CellKind.INVALID
    assert t2.cell("permit", "decisions").raw == text
    assert t2.cell("fee", "amount").kind is CellKind.DASH
