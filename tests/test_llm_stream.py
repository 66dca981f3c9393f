"""``LLM.stream_structured`` against the loopback server streaming SSE chunks (tests/fake_openai.py
``streamed``), in tools and md_json modes: partials arrive in order, grow, and arrive before the reply
has finished; the final object equals the non-streamed one; one usage-log row; the budget refuses before
sending; a dry run sends nothing; an invalid final object, a cut-off reply, a server error and an
abandoned stream each end with the right typed error and log row."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationInfo, model_validator

from fake_openai import FakeOpenAI, Reply, streamed
from llm_helpers import GOOD, VARS, Answer, config, log_rows, reply
from nianbao.llm import (
    LLM,
    DryRunCall,
    LLMTransportError,
    LLMTruncated,
    LLMValidationError,
    TokenBudgetExceeded,
)

STREAM_MODES = ("tools", "md_json")


def sreply(mode: str, payload: Any, **kwargs: Any) -> Reply:
    """A streamed reply carrying ``payload`` the way ``mode`` expects it."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    if mode == "tools":
        return streamed(tool_args=text, tool_name="Answer", **kwargs)
    return streamed(f"<think>先想想 {{x}}</think>好的，结果如下：\n```json\n{text}\n```", **kwargs)


@pytest.mark.parametrize("mode", STREAM_MODES)
def test_partials_grow_in_order_and_the_final_equals_the_unstreamed_value(tmp_path: Path, mode: str) -> None:
    with FakeOpenAI([sreply(mode, GOOD, chunks=12, prompt_tokens=21, completion_tokens=8)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode=mode, cache_dir=None)) as llm:
            gen = llm.stream_structured("probe", VARS, Answer)
            assert srv.requests == []  # nothing sent before the first next()
            items: list[Any] = []
            while True:
                try:
                    items.append(next(gen))
                except StopIteration as stop:
                    completion = stop.value
                    break
            assert llm.run_usage.total_tokens == 29
    body = srv.bodies[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    if mode == "tools":
        assert body["tool_choice"]["function"]["name"] == "Answer"
    else:
        assert "json_schema" in body["messages"][0]["content"] and "tools" not in body
    final = items[-1]
    assert type(final) is Answer and final == Answer(**GOOD)
    partials = items[:-1]
    assert len(partials) >= 3
    # growing: the city fills in character by character, never shrinks; the number comes last
    cities = [p.city or "" for p in partials]
    assert all(GOOD["city"].startswith(c) for c in cities)
    assert all(len(a) <= len(b) for a, b in zip(cities, cities[1:], strict=False))
    assert cities[0] == "" or len(cities[0]) < len(GOOD["city"]) or partials[0].number is None
    assert partials[0].number is None and partials[-1].number == 7
    assert completion.value == final and completion.attempts == 1 and not completion.cache_hit
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (21, 8)
    assert (
        json.loads(completion.raw_text[completion.raw_text.index("{") : completion.raw_text.rindex("}") + 1])
        == GOOD
    )

    rows = log_rows(tmp_path)
    assert [(r["attempt"], r["outcome"], r["prompt_tokens"], r["completion_tokens"]) for r in rows] == [
        (1, "ok", 21, 8)
    ]
    assert rows[0]["prompt_name"] == "probe" and rows[0]["mode"] == mode

    # the same call, not streamed, gives the same value
    with FakeOpenAI([reply(mode, GOOD)]) as srv2:
        with LLM(config(tmp_path / "plain", srv2.base_url, mode=mode, cache_dir=None)) as llm:
            plain = llm.structured("probe", VARS, Answer)
    assert plain.value == final
    # and the messages sent are the same (only the streaming flags differ)
    assert srv2.bodies[0]["messages"] == body["messages"]


def test_partials_arrive_before_the_reply_has_finished(tmp_path: Path) -> None:
    # instructor 1.17's sync create_partial would collect the whole stream first: this must not
    with FakeOpenAI([sreply("tools", GOOD, chunks=8, interval=0.08)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            start = time.perf_counter()
            times = [time.perf_counter() - start for _ in llm.stream_structured("probe", VARS, Answer)]
    total = times[-1]
    assert total >= 0.6  # 8 argument pieces + finish + usage + [DONE], 0.08 s apart
    assert times[0] < total / 2


@pytest.mark.parametrize("mode", STREAM_MODES)
def test_an_invalid_final_object_raises_without_a_reask(tmp_path: Path, mode: str) -> None:
    bad = {"city": "北京", "number": -3}
    with FakeOpenAI([sreply(mode, bad)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode=mode, cache_dir=None)) as llm:
            gen = llm.stream_structured("probe", VARS, Answer)
            seen: list[Any] = []
            with pytest.raises(LLMValidationError) as caught:
                seen.extend(gen)
    assert seen and seen[-1].city == "北京"  # the partials were shown before the final check
    assert len(srv.requests) == 1  # no re-ask in streaming mode
    error = caught.value
    assert error.attempts == 1 and "数字须为正" in error.errors
    assert error.last_text is not None and '"number": -3' in error.last_text
    assert "<think>" not in error.last_text
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid"]


class Grounded(BaseModel):
    city: str
    number: int

    @model_validator(mode="after")
    def _in_source(self, info: ValidationInfo) -> Grounded:
        source = (info.context or {}).get("source")
        if source is not None and self.city not in source:
            raise ValueError(f"{self.city} is not in the source / 不在原文中")
        return self


def test_the_final_object_is_validated_with_the_context(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD), sreply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            ok = list(llm.stream_structured("probe", VARS, Grounded, context={"source": "北京市"}))
            with pytest.raises(LLMValidationError, match="不在原文中"):
                list(llm.stream_structured("probe", VARS, Grounded, context={"source": "上海市"}))
    assert ok[-1] == Grounded(**GOOD)
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["ok", "invalid"]


def test_the_budget_refuses_before_sending(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", call_token_budget=5)) as llm:
            with pytest.raises(TokenBudgetExceeded) as caught:
                llm.stream_structured("probe", VARS, Answer)  # raised at the call, not at next()
    assert caught.value.scope == "call" and srv.requests == []
    assert log_rows(tmp_path) == []


def test_the_run_budget_counts_streamed_tokens(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD, prompt_tokens=450, completion_tokens=100)]) as srv:
        with LLM(
            config(tmp_path, srv.base_url, mode="tools", cache_dir=None, max_tokens=50, run_token_budget=650)
        ) as llm:
            list(llm.stream_structured("probe", VARS, Answer))
            with pytest.raises(TokenBudgetExceeded) as caught:
                llm.stream_structured("probe", VARS, Answer)
    assert caught.value.scope == "run" and caught.value.used == 550 and len(srv.requests) == 1


def test_a_dry_run_sends_nothing(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", dry_run=True)) as llm:
            with pytest.raises(DryRunCall):
                llm.stream_structured("probe", VARS, Answer)
            assert [(p.prompt_name, p.mode) for p in llm.planned] == [("probe", "tools")]
    assert srv.requests == []


def test_a_429_before_the_stream_is_retried(tmp_path: Path) -> None:
    replies = [Reply(status=429, headers={"Retry-After": "0"}), sreply("tools", GOOD)]
    with FakeOpenAI(replies) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None, transport_retries=1)) as llm:
            items = list(llm.stream_structured("probe", VARS, Answer))
    assert items[-1] == Answer(**GOOD) and len(srv.requests) == 2
    assert [(r["attempt"], r["outcome"]) for r in log_rows(tmp_path)] == [(1, "http_429"), (2, "ok")]


def test_a_refused_request_is_a_transport_error(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(status=400)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None, transport_retries=2)) as llm:
            with pytest.raises(LLMTransportError) as caught:
                list(llm.stream_structured("probe", VARS, Answer))
    assert caught.value.status == 400 and len(srv.requests) == 1
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["http_400"]


def test_a_reply_cut_at_max_tokens_is_truncated(tmp_path: Path) -> None:
    cut = streamed(tool_args='{"city": "北京", "num', tool_name="Answer", finish_reason="length")
    with FakeOpenAI([cut]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None, max_tokens=9)) as llm:
            with pytest.raises(LLMTruncated) as caught:
                list(llm.stream_structured("probe", VARS, Answer))
    assert caught.value.last_text == '{"city": "北京", "num' and caught.value.max_tokens == 9
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["truncated"]


def test_an_abandoned_stream_is_logged_and_closed(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD, chunks=10)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            gen = llm.stream_structured("probe", VARS, Answer)
            next(gen)
            gen.close()
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["abandoned"]


def test_a_streamed_answer_is_cached_for_both_paths(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools")) as llm:
            streamed_items = list(llm.stream_structured("probe", VARS, Answer))
            again = list(llm.stream_structured("probe", VARS, Answer))
            plain = llm.structured("probe", VARS, Answer)
    assert len(srv.requests) == 1
    assert again == [streamed_items[-1]] and plain.cache_hit and plain.value == streamed_items[-1]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["ok", "cache_hit", "cache_hit"]


def test_without_include_usage_no_stream_options_are_sent(tmp_path: Path) -> None:
    with FakeOpenAI([sreply("tools", GOOD, prompt_tokens=None)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            items = list(llm.stream_structured("probe", VARS, Answer, include_usage=False))
            assert llm.run_usage.total_tokens == 0
    assert "stream_options" not in srv.bodies[0] and items[-1] == Answer(**GOOD)
    assert [(r["outcome"], r["prompt_tokens"]) for r in log_rows(tmp_path)] == [("ok", 0)]
