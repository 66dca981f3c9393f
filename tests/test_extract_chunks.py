"""What is sent to a model: narrative only (never table grids), sentences whose figures the rules already
read left out, parts packed within the budget and split when longer, every piece pointing at its place."""

from __future__ import annotations

from pathlib import Path

import pytest

import nianbao
from nianbao.extract.chunks import chunk_report, figures, narrative, utf8_bytes, wanted
from nianbao.model.report import Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ("lushan-2024.txt", "clean-2024.txt", "clean-2023.txt", "clean-city-2025.md")


def _read(name: str) -> Report:
    return nianbao.read(ROOT / "fixtures" / name)


def test_no_table_grid_is_sent() -> None:
    for name in FIXTURES:
        report = _read(name)
        text = "\n".join(c.text for c in chunk_report(report, 6000))
        for label in (
            "本年新收政府信息公开申请数量",
            "属于国家秘密",
            "结果维持",
            "本年制发件数",
            "行政事业性收费\t",
        ):
            assert label not in text, (name, label)


def test_short_report_is_one_call_with_every_narrative_part() -> None:
    chunks = chunk_report(_read("clean-2024.txt"), 6000)
    assert len(chunks) == 1
    assert chunks[0].parts == ("overview", "problems", "other")
    text = chunks[0].text
    assert "微信公众号发布信息214条" in text and "参训120人次" in text
    assert "二是依申请公开答复文书格式仍不够统一" in text and "未收取信息处理费" in text
    # every figure of this sentence is a rule fact already: not sent
    assert "本局共收到政府信息公开申请37件" not in text


def test_sentences_are_wanted_for_figures_the_rules_did_not_read() -> None:
    report = _read("clean-2024.txt")
    assert wanted("组织政务公开业务培训2次，参训120人次。", report.facts)
    assert not wanted(
        "2024年，本局共收到政府信息公开申请37件，上年结转3件，共办理答复37件，结转下年度继续办理3件。",
        report.facts,
    )
    assert not wanted(
        "2024年，泗洪县市场监督管理局认真贯彻落实《条例》。", report.facts
    )  # a year is no figure
    assert figures("依据国办公开办函〔2021〕30号，第711号，2024年1月1日") == []
    assert figures("培训三次，发布二十三条") == [3, 23]


def test_places_point_back_at_the_source() -> None:
    report = _read("clean-2024.txt")
    chunk = chunk_report(report, 6000)[0]
    lines = (ROOT / "fixtures" / "clean-2024.txt").read_text(encoding="utf-8").splitlines()
    for needle in ("参训120人次", "二是依申请公开答复文书格式仍不够统一", "未收取信息处理费"):
        at = chunk.text.index(needle)
        span = chunk.span_at(at)
        assert span.line is not None and span.column is not None
        assert lines[span.line - 1][span.column - 1 :].startswith(needle), needle
    assert chunk.part_at(chunk.text.index("参训120人次")) == "overview"
    assert chunk.part_at(chunk.text.index("未收取信息处理费")) == "other"


def test_a_small_budget_splits_parts_and_long_paragraphs() -> None:
    report = _read("clean-city-2025.md")
    whole = chunk_report(report, 10_000)
    small = chunk_report(report, 120)
    assert len(small) > len(whole) >= 1
    for chunk in small:
        pieces_over = [p for p in chunk.paragraphs if utf8_bytes(p.text) > 120]
        # only a single sentence longer than the budget may exceed it
        assert all("。" not in p.text.rstrip("。") for p in pieces_over), chunk.label
    sent = "".join(c.text for c in small).replace("\n", "")
    for chunk in whole:
        for para in chunk.paragraphs:
            assert para.text.replace("\n", "") in sent or para.text in "".join(c.title for c in small)


def test_parts_filter_and_duplicated_heading() -> None:
    report = _read("lushan-2024.txt")  # 「一、总体情况」 twice: one entry
    assert list(narrative(report)) == ["overview", "problems", "other"]
    only = chunk_report(report, 6000, parts=("problems",))
    assert [c.parts for c in only] == [("problems",)]
    assert "个别栏目未能严格按照相关规定和范例进行设计" in only[0].text


def test_extraction_prompts_are_at_most_half_of_the_whole_report(tmp_path: Path) -> None:
    """The issue's target, on our fixtures (evals/bench_tokens.py prints it for the corpus too)."""
    from nianbao.extract import extract_with
    from nianbao.extract.extractor import PROMPT, RESPONSE
    from nianbao.llm import LLM, DryRunCall, LLMConfig

    config = LLMConfig(
        model="qwen-plus", dry_run=True, cache_dir=None, log_path=None, tiktoken_cache_dir=tmp_path
    )
    for name in FIXTURES:
        path = ROOT / "fixtures" / name
        with LLM(config) as llm:
            result = extract_with(llm, _read(name))
            chunked = sum(c.estimated_tokens or 0 for c in result.calls)
            with pytest.raises(DryRunCall) as planned:
                llm.structured(PROMPT, {"text": path.read_text(encoding="utf-8")}, RESPONSE)
        whole = planned.value.planned.estimated_prompt_tokens
        assert 0 < chunked <= whole / 2, (name, chunked, whole)
