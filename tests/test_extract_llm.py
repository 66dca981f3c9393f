"""Grounded extraction against a real OpenAI-compatible server on 127.0.0.1 (tests/fake_openai.py):
a correct extraction in every mode; a hallucinated quote re-asked and then dropped (and reported); a
number differing from its quote dropped; the grounded facts of a partly bad reply kept; a <think>
block before the JSON; a fixed re-ask; failed calls; the LLM-backed checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nianbao
from extract_helpers import CLEAN, GOOD_FACTS, HALLUCINATED, WRONG_NUMBER, facts
from fake_openai import FakeOpenAI, Reply, completion
from llm_helpers import MODES, config, log_rows, reply
from nianbao.extract import (
    BOILERPLATE,
    PROBLEM_MEASURE,
    ExtractResult,
    ModelFact,
    Ungrounded,
    extract_report,
    llm_check,
    problem_findings,
)
from nianbao.extract.grounding import find_quote
from nianbao.llm import LLM
from nianbao.model.report import Fact, Report

LINES = CLEAN.read_text(encoding="utf-8").splitlines()


def _report() -> Report:
    return nianbao.read(CLEAN)


def _run(
    tmp_path: Path, replies: list, mode: str = "tools", **changes: object
) -> tuple[ExtractResult, FakeOpenAI]:
    with FakeOpenAI(replies) as srv:
        with LLM(config(tmp_path, srv.base_url, mode=mode, cache_dir=None, **changes)) as llm:
            result = extract_report(_report(), llm)
    return result, srv


def _assert_grounded(result: ExtractResult) -> None:
    """Every model fact: its quote at its place in the file, its value in its quote."""
    text = CLEAN.read_text(encoding="utf-8")
    for fact in result.model_facts:
        assert fact.source == "llm" and find_quote(fact.quote, text) is not None
        span = fact.span
        assert span is not None and span.line is not None and span.column is not None
        assert LINES[span.line - 1][span.column - 1 :].startswith(fact.quote.split("\n")[0]), fact


@pytest.mark.parametrize("mode", MODES)
def test_correct_extraction(tmp_path: Path, mode: str) -> None:
    result, srv = _run(tmp_path, [reply(mode, facts(), prompt_tokens=900, completion_tokens=300)], mode)
    assert len(srv.requests) == 1
    sent = json.dumps(srv.bodies[0], ensure_ascii=False)
    assert "参训120人次" in sent and "属于国家秘密" not in sent  # narrative only, never the table grids
    model = result.model_facts
    assert len(model) == len(GOOD_FACTS) and not result.dropped
    _assert_grounded(result)
    by_quote = {f.quote: f for f in model}
    wechat = by_quote["通过“泗洪市场监管”微信公众号发布信息214条"]
    assert (wechat.kind, wechat.value, wechat.unit, wechat.part, wechat.key) == (
        "published",
        214,
        "条",
        "overview",
        "llm.published",
    )
    assert (
        by_quote["组织政务公开业务培训2次，参训120人次"].value == 120
    )  # the report's text, not the model's copy
    assert by_quote["未收取信息处理费"].part == "other"
    measure = by_quote["针对答复文书问题，将制定依申请公开答复文书范本并组织法律顾问审核"]
    assert (measure.part, measure.answers) == ("problems", 2)
    # deterministic facts first, unchanged
    assert result.facts[: len(_report().facts)] == _report().facts
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (900, 300)
    assert [(c.outcome, c.attempts, c.kept) for c in result.calls] == [("ok", 1, len(GOOD_FACTS))]
    assert problem_findings(result) == []  # each problem has its measure, none is boilerplate
    fact = wechat.to_fact()
    assert isinstance(fact, Fact) and fact.source == "llm" and fact.value == 214
    assert ExtractResult.model_validate_json(result.model_dump_json()) == result  # JSON round trip


@pytest.mark.parametrize("mode", MODES)
def test_hallucinated_quote_is_reasked_then_dropped_and_reported(tmp_path: Path, mode: str) -> None:
    bad = facts(HALLUCINATED)
    result, srv = _run(tmp_path, [reply(mode, bad), reply(mode, bad)], mode)
    assert len(srv.requests) == 2  # one re-ask (validation_retries=1)
    reask = json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    assert "引文不在原文中" in reask and "通过政务微博发布信息88条" in reask
    assert [d.reason for d in result.dropped] == [Ungrounded.QUOTE_NOT_FOUND]
    assert result.dropped[0].quote == HALLUCINATED["quote"] and result.dropped[0].value == "88"
    assert all(f.value != 88 for f in result.model_facts)
    # the grounded facts of the partly bad reply are kept
    assert len(result.model_facts) == len(GOOD_FACTS)
    _assert_grounded(result)
    assert [(c.outcome, c.attempts, c.kept, c.dropped) for c in result.calls] == [
        ("re-read", 2, len(GOOD_FACTS), 1)
    ]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid", "invalid"]  # one row per attempt


@pytest.mark.parametrize("mode", MODES)
def test_number_differing_from_its_quote_is_dropped(tmp_path: Path, mode: str) -> None:
    bad = facts(WRONG_NUMBER)
    result, srv = _run(tmp_path, [reply(mode, bad), reply(mode, bad)], mode)
    assert len(srv.requests) == 2
    assert "不在引文中" in json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    assert [(d.reason, d.value) for d in result.dropped] == [(Ungrounded.NUMBER_NOT_IN_QUOTE, "19")]
    assert {f.value for f in result.model_facts if f.kind == "interpretation"} == {9}
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid", "invalid"]  # one row per attempt


def test_reask_that_fixes_the_reply_keeps_everything(tmp_path: Path) -> None:
    result, srv = _run(tmp_path, [reply("tools", facts(HALLUCINATED, WRONG_NUMBER)), reply("tools", facts())])
    assert len(srv.requests) == 2 and not result.dropped
    assert len(result.model_facts) == len(GOOD_FACTS)
    assert [(c.outcome, c.attempts) for c in result.calls] == [("ok", 2)]


def test_think_block_before_json_in_md_json(tmp_path: Path) -> None:
    injected = json.dumps({"facts": [HALLUCINATED]}, ensure_ascii=False)
    content = f"<think>用户要抽取事实。先试试：{injected}</think>\n```json\n{json.dumps(facts(), ensure_ascii=False)}\n```"
    result, srv = _run(tmp_path, [completion(content)], "md_json")
    assert len(srv.requests) == 1 and not result.dropped
    assert len(result.model_facts) == len(GOOD_FACTS)
    assert all(f.value != 88 for f in result.model_facts)


def test_unreadable_last_reply_gives_no_facts_and_a_note(tmp_path: Path) -> None:
    result, _ = _run(tmp_path, [completion("我无法完成。"), completion("我无法完成。")], "md_json")
    assert result.model_facts == [] and result.rule_facts == _report().facts
    assert [c.outcome for c in result.calls] == ["validation-failed"]
    assert any("could not be read" in n for n in result.notes)


def test_items_of_the_wrong_shape_are_dropped_as_invalid(tmp_path: Path) -> None:
    odd = {"kind": "published", "subject": "网站", "value": "很多", "quote": "政策解读9篇"}
    result, _ = _run(tmp_path, [reply("tools", facts(odd)), reply("tools", facts(odd))])
    assert [d.reason for d in result.dropped] == [Ungrounded.INVALID]
    assert len(result.model_facts) == len(GOOD_FACTS)


def test_server_failure_is_recorded_not_raised(tmp_path: Path) -> None:
    result, srv = _run(tmp_path, [Reply(status=500), Reply(status=500)], transport_retries=1)
    assert len(srv.requests) == 2
    assert [c.outcome for c in result.calls] == ["transport-error"]
    assert result.model_facts == [] and result.notes


def test_duplicate_of_a_rule_fact_is_kept_once_as_the_rules(tmp_path: Path) -> None:
    dup = {
        "kind": "request",
        "subject": "收到申请",
        "value": 37,
        "unit": "件",
        "quote": "本局共收到政府信息公开申请37件",
    }
    result, _ = _run(tmp_path, [reply("tools", facts(dup))])
    assert not result.dropped and all(f.value != 37 for f in result.model_facts)
    assert any(f.key == "requests.received" and f.value == 37 for f in result.rule_facts)


def test_no_model_no_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extract_helpers import no_model_env

    no_model_env(monkeypatch, tmp_path)
    result = nianbao.extract(_report())
    assert result.facts == _report().facts and result.calls == [] and result.notes
    assert result.model is None


def test_problem_checks_find_an_unanswered_and_a_boilerplate_problem(tmp_path: Path) -> None:
    items = [dict(f) for f in GOOD_FACTS if f["kind"] in ("problem", "measure")]
    items[1]["concrete"] = False  # the model judges problem 2 to be boilerplate
    items = [i for i in items if i.get("answers") != 2]  # and no measure answers it
    with FakeOpenAI([reply("tools", {"facts": items})]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            findings, result = llm_check(_report(), llm)
    sent = json.dumps(srv.bodies[0], ensure_ascii=False)
    assert (
        "二是依申请公开答复文书格式仍不够统一" in sent and "参训120人次" not in sent
    )  # only part 五 is sent
    assert [(f.rule, f.source) for f in findings] == [(PROBLEM_MEASURE, "llm"), (BOILERPLATE, "llm")]
    assert all(f.location.span is not None and f.location.span.line == 78 for f in findings)
    assert findings[0].evidence == ["二是依申请公开答复文书格式仍不够统一"]
    assert all(isinstance(f, ModelFact) and f.part == "problems" for f in result.model_facts)


def test_prior_problems_need_no_measure_this_year(tmp_path: Path) -> None:
    prior = {
        "kind": "problem",
        "subject": "解读形式单一",
        "quote": "针对2023年报告的政策解读形式单一的问题",
        "no": 1,
        "prior": True,
        "concrete": True,
    }
    with FakeOpenAI([reply("tools", {"facts": [prior]})]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            findings, result = llm_check(_report(), llm)
    assert findings == [] and result.model_facts[0].prior is True
