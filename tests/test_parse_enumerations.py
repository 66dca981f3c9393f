"""Numbered lines that are sentences, not titles: 「一是…，二是…。」 and 「（一）…，…。」 stay narrative text."""

from __future__ import annotations

from pathlib import Path

import pytest

import nianbao
from corpus_paths import FIXTURES
from nianbao.model.report import Heading, Paragraph, Part
from nianbao.parse.metadata import parse_metadata
from nianbao.parse.sections import parse_sections
from nianbao.read import read_text

ENUMERATION = "一是部分业务科室对公开属性认定把握不准，二是信息更新不够及时。"


def _sections(body: str) -> tuple[list[Heading], list[Part]]:
    document = read_text(f"某县某局2024年政府信息公开工作年度报告\n\n{body}", path="t.txt")
    _, index = parse_metadata(document)
    _, headings, parts = parse_sections(document, index)
    return headings, parts


def _paragraphs(parts: list[Part]) -> list[Paragraph]:
    return [p for part in parts for p in part.paragraphs]


def test_a_stand_alone_enumeration_sentence_is_a_paragraph() -> None:
    headings, parts = _sections(f"五、存在的主要问题及改进情况\n{ENUMERATION}\n（二）改进情况\n")
    assert [h.number for h in headings] == ["五", "（二）"]
    (para,) = _paragraphs(parts)
    assert para.text == ENUMERATION and para.part == "problems"
    assert para.span.line == 4


def test_titles_after_numbers_stay_headings() -> None:
    body = (
        "一、总体情况\n（一）主动公开情况\n全年主动公开信息12条。\n"
        "五、存在的主要问题及改进情况\n一是加强组织领导。\n二是强化培训。全年培训2次。\n（二）改进情况：\n"
    )
    headings, parts = _sections(body)
    assert [(h.number, h.title, h.inline_text) for h in headings] == [
        ("一", "总体情况", ""),
        ("（一）", "主动公开情况", ""),
        ("五", "存在的主要问题及改进情况", ""),
        ("一是", "加强组织领导", ""),
        ("二是", "强化培训", "全年培训2次。"),
        ("（二）", "改进情况", ""),
    ]
    assert [p.text for p in _paragraphs(parts)] == ["全年主动公开信息12条。", "二是强化培训。全年培训2次。"]


def test_a_sub_heading_line_that_is_a_sentence_keeps_its_text() -> None:
    line = "（一）本年共收到政府信息公开申请30件，均已按期办结。"
    headings, parts = _sections(f"一、总体情况\n{line}\n（二）主动公开情况\n")
    sub = headings[1]
    assert (sub.depth, sub.number, sub.title) == (2, "（一）", "本年共收到政府信息公开申请30件")
    assert sub.inline_text == line.removeprefix("（一）")
    assert [p.text for p in _paragraphs(parts)] == [line]
    assert [h.number for h in parts[0].subheadings] == ["（一）", "（二）"]


@pytest.mark.parametrize(
    "line",
    [
        "一是本年度行政复议案件2件，均已审结。",  # table words (行政复议) inside a table part
        "（一）本年度行政诉讼案件1件，结果维持。",
    ],
)
def test_a_sentence_in_a_table_part_is_not_a_table_label(line: str) -> None:
    _, parts = _sections(f"四、政府信息公开行政复议、行政诉讼情况\n{line}\n五、存在的主要问题及改进情况\n")
    assert [p.text for p in parts[0].paragraphs] == [line]


def test_a_table_row_label_with_clauses_is_still_not_text() -> None:
    """「（二）部分公开（区分处理的，只计这一情形，不计其他情形）」 has commas but no sentence end."""
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    _, parts = _sections(
        f"三、收到和处理政府信息公开申请情况\n{label}\n四、政府信息公开行政复议、行政诉讼情况\n"
    )
    assert parts[0].paragraphs == []


@pytest.mark.parametrize(("received", "fires"), [(37, False), (38, True)])
def test_a_figure_in_an_enumeration_sentence_is_checked(tmp_path: Path, received: int, fires: bool) -> None:
    """The narrative rules see the line: TXT-REQUESTS compares its 收到 figure with table 三."""
    text = (FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("（二）依申请公开情况。"))
    new = f"（二）依申请公开情况\n一是本局共收到政府信息公开申请{received}件，上年结转3件。"
    path = tmp_path / "report.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    findings = [f for f in nianbao.check(nianbao.read(path)) if f.rule == "TXT-REQUESTS"]
    assert bool(findings) is fires
    if fires:
        assert str(findings[0].actual) == str(received)
        assert findings[0].location.span is not None and findings[0].location.span.line == 12
