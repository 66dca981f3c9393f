"""Table rules beyond the case files: grouping of blanks, level-dependent rules, messages, round trips,
and a property test that any table 三 survives every text layout."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import nianbao
from corpus_paths import FIXTURES
from nianbao.model.finding import Finding
from nianbao.model.report import Level, Report
from nianbao.model.tables import Table2, Table3
from nianbao.model.template import T3_COL_KEYS, T3_ROW_KEYS, T3_ROWS
from nianbao.parse import parse
from nianbao.read import read_text

CLEAN = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")


def _report(text: str) -> Report:
    return parse(read_text(text, path="<test>"))


def _of(findings: list[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(prefix)]


def _blank_legal_columns(text: str) -> str:
    """The clean fixture with the five 法人或其他组织 columns of table 三 left empty."""
    out = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) >= 10 and cells[-1].isdigit():
            cells[-6:-1] = [""] * 5
        out.append("\t".join(cells))
    return "\n".join(out)


def test_whole_blank_columns_are_one_finding() -> None:
    report = _report(_blank_legal_columns(CLEAN))
    assert report.table3 is not None
    findings = nianbao.check(report)
    blank = [f for f in findings if f.rule == "T3-BLANK"]
    assert len(blank) == 1
    assert "共125格" in blank[0].message
    assert "“商业企业”“科研机构”“社会公益组织”“法律服务机构”“其他”列" in blank[0].message
    # the arithmetic rules skip what they cannot add up instead of reporting it again
    assert [f.rule for f in _of(findings, "T3-") if f.severity.value == "error"] == []


def test_balance_message_names_both_sums() -> None:
    text = CLEAN.replace(
        "四、结转下年度继续办理\t\t\t2\t0\t0\t0\t1\t0\t3", "四、结转下年度继续办理\t\t\t3\t0\t0\t0\t1\t0\t4"
    )
    f = next(f for f in nianbao.check(_report(text)) if f.rule == "T3-BALANCE")
    assert f.message == "表三“自然人”列：第一项加第二项之和为33，第三项（七）总计加第四项之和为34，不相等。"
    assert (f.expected, f.actual) == (33, 34)
    assert f.location.part == "requests" and f.location.span is not None
    assert f.evidence[0] == "一、本年新收政府信息公开申请数量／自然人：30"


def test_level_rules_skip_an_unknown_level() -> None:
    report = _report(
        CLEAN.replace("规章\t0\t0\t0", "规章\t1\t0\t1").replace("行政事业性收费\t0", "行政事业性收费\t38000")
    )
    assert report.metadata.level is Level.COUNTY
    assert {f.rule for f in nianbao.check(report)} >= {"T2-REG-LEVEL", "T2-FEE-UNIT"}
    report.metadata.level = Level.UNKNOWN
    assert not {f.rule for f in nianbao.check(report)} & {"T2-REG-LEVEL", "T2-FEE-UNIT"}


def test_tables_round_trip_through_json() -> None:
    report = _report(CLEAN.replace("行政事业性收费\t0", "行政事业性收费\t4068.208"))
    assert report.table2 is not None and report.table3 is not None
    t2 = Table2.model_validate_json(report.table2.model_dump_json())
    assert t2 == report.table2
    assert t2.value("fee", "amount") == Decimal("4068.208")
    assert Table3.model_validate_json(report.table3.model_dump_json()) == report.table3


def test_seed_and_clean_raise_no_table_error() -> None:
    for name in ("lushan-2024.txt", "clean-2024.txt"):
        report = nianbao.read(FIXTURES / name)
        table_findings = [
            f for f in nianbao.check(report) if f.rule.split("-")[0] in ("T2", "T3", "T4", "TPL")
        ]
        assert table_findings == [], name


# --- property: any table 三 reads back exactly in every layout ------------------------------------

_LAYOUTS = ("tab", "tab-detached", "pipe", "text", "cell-per-line")


def _render(matrix: list[list[int]], layout: str) -> list[str]:
    lines: list[str] = []
    for spec, row in zip(T3_ROWS, matrix, strict=True):
        vals = [str(v) for v in row]
        label = spec.label
        if layout == "tab":
            lines.append("\t".join(["", *spec.path[1:], label, *vals]))
        elif layout == "tab-detached":  # the seed's flattening: label in column 0, a spacer, a trailing empty
            lines.append("\t".join([label, "", *vals, ""]))
        elif layout == "pipe":
            lines.append("| " + " | ".join([label, *vals]) + " |")
        elif layout == "text":
            lines.append(" ".join([label.replace("（", "(").replace("）", ") "), *vals]))
        else:
            lines.append(label)
            lines.extend(vals)
    return lines


@settings(max_examples=30, deadline=None)
@given(
    matrix=st.lists(st.lists(st.integers(0, 5000), min_size=7, max_size=7), min_size=25, max_size=25),
    layout=st.sampled_from(_LAYOUTS),
)
def test_any_table3_reads_back(matrix: list[list[int]], layout: str) -> None:
    text = "\n".join(
        [
            "某县某局2024年政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            *_render(matrix, layout),
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            "\t".join(["0"] * 15),
        ]
    )
    report = _report(text)
    assert report.table3 is not None
    got = [[report.table3.value(r, c) for c in T3_COL_KEYS] for r in T3_ROW_KEYS]
    assert got == matrix
    assert [n for n in report.notes if n.table == "表三"] == []
