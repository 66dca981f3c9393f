"""Sections: headings, parts, joined paragraphs with a way back to every character's line and column."""

from __future__ import annotations

from pathlib import Path

from corpus_paths import FIXTURES
from nianbao.model.report import Heading, Paragraph, Part
from nianbao.parse.metadata import parse_metadata
from nianbao.parse.sections import is_inferred, match_part, parse_sections
from nianbao.read import read_text


def _sections(text: str) -> tuple[list[Paragraph], list[Heading], list[Part]]:
    document = read_text(text, path="t.txt")
    _, index = parse_metadata(document)
    return parse_sections(document, index)


def _file(path: Path) -> tuple[list[Paragraph], list[Heading], list[Part]]:
    return _sections(path.read_text(encoding="utf-8"))


def test_seed_parts_with_duplicate() -> None:
    preamble, headings, parts = _file(FIXTURES / "lushan-2024.txt")
    assert [(p.key, p.heading.span.line) for p in parts] == [
        ("overview", 5), ("overview", 9), ("active", 21), ("requests", 38),
        ("review", 69), ("problems", 76), ("other", 82),
    ]  # fmt: skip
    assert preamble == []
    # The paragraph between the two 「一、总体情况」 belongs to the first.
    assert [p.span.line for p in parts[0].paragraphs] == [7]
    subs = [(h.number, h.title, h.span.line) for h in headings if h.depth == 2]
    assert subs[0] == ("（一）", "主动公开情况", 11) and len(subs) == 5
    assert [h.number for h in parts[1].subheadings] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    # Table rows are not paragraphs.
    assert parts[2].paragraphs == [] and parts[3].paragraphs == [] and parts[4].paragraphs == []


def test_seed_inline_heading_text_and_span_at() -> None:
    _, headings, parts = _file(FIXTURES / "lushan-2024.txt")
    line13 = (FIXTURES / "lushan-2024.txt").read_text(encoding="utf-8").splitlines()[12]
    para = next(p for p in parts[1].paragraphs if "共办理线下依申请公开信息 20 件" in p.text)
    assert para.part == "overview" and para.text == line13
    heading = next(h for h in headings if h.span.line == 13)
    assert heading.title == "依申请公开情况" and heading.inline_text.startswith("2024 年，共办理")
    offset = para.text.index("20 件")
    span = para.span_at(offset)
    assert (span.line, span.column) == (13, line13.index("20 件") + 1)


def test_wrapped_lines_joined_and_footer_removed(corpus: Path) -> None:
    preamble, _, parts = _file(corpus / "shanghai-office-2025.md")
    wanted = "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件）"
    para = next(p for part in parts for p in part.paragraphs if wanted in p.text)
    assert para.part == "overview" and para.span.line == 38
    start = para.text.index("上年结转 189")
    assert para.span_at(start).line == 39 and para.span_at(start).column == 1
    # The page footer 「— 1 —」 (line 23) is gone and lines 22 and 24 are one paragraph.
    first = parts[0].paragraphs[0]
    assert "— 1 —" not in first.text and "着力发挥政务公开促落实" in first.text
    # The preamble is one joined paragraph.
    assert len(preamble) == 1 and "统计期限为 2025年 1 月" in preamble[0].text


def test_shanghai_office_inferred_problems(corpus: Path) -> None:
    _, headings, parts = _file(corpus / "shanghai-office-2025.md")
    assert [p.key for p in parts] == ["overview", "active", "requests", "review", "problems", "other"]
    problems = parts[4]
    assert is_inferred(problems.heading) and problems.heading.span.line == 183
    assert [h.number for h in problems.subheadings] == ["（一）", "一是", "二是", "三是", "（二）"]
    # Table fragments of parts 二–四 are not narrative (「三、本法提供」, 「（四）无」, bare numbers).
    texts = [p.text for part in parts[1:4] for p in part.paragraphs]
    assert texts == ["注：行政复议、行政诉讼数量含上年度结转数量。"]
    assert not any(h.title.startswith("本法提供") for h in headings)


def test_shanghai_kewei_second_numbering(corpus: Path) -> None:
    _, headings, parts = _file(corpus / "shanghai-kewei-2024.md")
    tops = [(h.number, h.part) for h in headings if h.depth == 1]
    assert tops == [
        ("一", "overview"), ("二", None), ("三", None), ("四", None), ("五", None), ("六", None),
        ("一", "active"), ("二", "requests"), ("三", "review"), ("", "problems"), ("五", "other"),
    ]  # fmt: skip
    # Paragraphs under the unnamed 二…六 belong to 总体情况.
    assert {p.part for part in parts[1:6] for p in part.paragraphs} == {"overview"}
    assert [
        p.text for part in parts if part.key in ("active", "requests", "review") for p in part.paragraphs
    ] == []


def test_shuyang_markdown_headings(corpus: Path) -> None:
    preamble, headings, parts = _file(corpus / "shuyang-county-2025.txt")
    assert [p.key for p in parts] == ["overview", "active", "requests", "review", "problems", "other"]
    # Table 三 row captions 「### 一、本年新收…」 are not headings.
    assert [h.span.line for h in headings if h.depth == 1] == [8, 53, 77, 158, 175, 184]
    # A line wrapped across a blank line is joined: 「…“看」 + 「得懂、用得上、易监督”。」
    assert any("“看得懂、用得上、易监督”" in p.text for p in parts[0].paragraphs)
    # The signature and date under the title stay lines of their own.
    assert [p.text for p in preamble[:2]] == ["沐阳县人民政府", "(2026年1月23日)"]


def test_match_part_aliases() -> None:
    assert match_part("因政府信息公开工作被申请行政复议和提起行政诉讼情况") == "review"
    assert match_part("存在的主要问题及整改措施") == "problems"
    assert match_part("主动公开工作情况") is None
    assert match_part("政府信息公开申请情况") is None
    assert match_part("其他需要报告的事项") == "other"


def test_wrapped_plain_text_paragraph() -> None:
    text = (
        "某县某局2024年政府信息公开工作年度报告\n一、总体情况\n"
        "2024年，本局认真贯彻落实条例规定，全年通过门户网站主动公开\n政府信息120条。\n"
        "（一）主动公开情况\n短行\n"
    )
    _, headings, parts = _sections(text)
    assert parts[0].paragraphs[0].text.endswith("主动公开政府信息120条。")
    assert parts[0].paragraphs[0].span_at(len(parts[0].paragraphs[0].text) - 3).line == 4
    assert headings[-1].title == "主动公开情况" and headings[-1].inline_text == ""
