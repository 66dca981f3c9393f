"""The disk cache (a re-run sends nothing; failures are never cached), the usage log and `nianbao llm
log`, the token budgets (refused before sending) and the dry run (nothing sent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import FakeOpenAI, Reply
from llm_helpers import GOOD, VARS, Answer, cache_files, config, log_rows, reply
from nianbao.cli import app
from nianbao.llm import LLM, DryRunCall, LLMError, TokenBudgetExceeded, format_planned


def test_second_call_is_a_cache_hit_with_no_request(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD, prompt_tokens=40, completion_tokens=9)]) as srv:
        with LLM(config(tmp_path, srv.base_url)) as llm:
            first = llm.structured("probe", VARS, Answer)
        with LLM(config(tmp_path, srv.base_url)) as llm:  # a new run (a notebook re-run)
            second = llm.structured("probe", VARS, Answer)
            assert llm.run_usage.total_tokens == 0
    assert len(srv.requests) == 1
    assert not first.cache_hit and second.cache_hit and second.attempts == 0
    assert second.value == first.value and type(second.value) is Answer
    assert second.usage.total_tokens == 0 and second.cached_usage.total_tokens == 49
    rows = log_rows(tmp_path)
    assert [(r["outcome"], r["cache_hit"], r["attempt"]) for r in rows] == [("ok", 0, 1), ("cache_hit", 1, 0)]
    assert rows[0]["prompt_hash"] == rows[1]["prompt_hash"] == first.prompt_hash


@pytest.mark.parametrize(
    "change",
    [
        {"variables": {"city": "上海", "number": 7}},
        {"config": {"model": "other-model"}},
        {"config": {"mode": "json"}},
        {"config": {"max_tokens": 100}},
        {"context": {"source": "x"}},
    ],
)
def test_the_key_covers_messages_model_mode_parameters_and_context(tmp_path: Path, change: dict) -> None:
    settings = {"mode": "tools", **change.get("config", {})}
    with FakeOpenAI([reply("tools", GOOD), reply(settings["mode"], GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools")) as llm:
            llm.structured("probe", VARS, Answer)
        with LLM(config(tmp_path, srv.base_url, **settings)) as llm:
            result = llm.structured(
                "probe", change.get("variables", VARS), Answer, context=change.get("context")
            )
    assert not result.cache_hit and len(srv.requests) == 2 and len(cache_files(tmp_path)) == 2


def test_the_key_covers_the_schema(tmp_path: Path) -> None:
    class Other(Answer):
        note: str = ""

    with FakeOpenAI([reply("json", GOOD), reply("json", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="json")) as llm:
            llm.structured("probe", VARS, Answer)
            assert not llm.structured("probe", VARS, Other).cache_hit
    assert len(srv.requests) == 2


def test_a_cached_answer_is_validated_again_with_the_context(tmp_path: Path) -> None:
    """A damaged or outdated entry (here: edited to fail the validator) is a miss, not a wrong answer."""
    with FakeOpenAI([reply("tools", GOOD), reply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url)) as llm:
            llm.structured("probe", VARS, Answer)
        (path,) = cache_files(tmp_path)
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["value"]["number"] = -1
        path.write_text(json.dumps(entry), encoding="utf-8")
        with LLM(config(tmp_path, srv.base_url)) as llm:
            assert not llm.structured("probe", VARS, Answer).cache_hit
    assert len(srv.requests) == 2


def test_cache_disabled(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD)] * 2) as srv:
        with LLM(config(tmp_path, srv.base_url, cache_dir=None)) as llm:
            llm.structured("probe", VARS, Answer)
            llm.structured("probe", VARS, Answer)
    assert len(srv.requests) == 2 and not (tmp_path / "cache").exists()


def test_log_disabled_writes_nothing(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, log_path=None)) as llm:
            llm.structured("probe", VARS, Answer)
    assert not (tmp_path / "usage.sqlite").exists()


def test_call_budget_refuses_before_sending(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, call_token_budget=200, max_tokens=150)) as llm:
            with pytest.raises(TokenBudgetExceeded) as caught:
                llm.structured("probe", VARS, Answer)
    assert caught.value.scope == "call" and caught.value.needed > 200
    assert "未发送请求" in caught.value.message_zh and "estimate" in str(caught.value)
    assert srv.requests == [] and log_rows(tmp_path) == []


def test_run_budget_counts_what_the_server_reported(tmp_path: Path) -> None:
    replies = [reply("tools", GOOD, prompt_tokens=300, completion_tokens=50)]
    with FakeOpenAI(replies) as srv:
        with LLM(config(tmp_path, srv.base_url, cache_dir=None, run_token_budget=600, max_tokens=100)) as llm:
            llm.structured("probe", VARS, Answer)  # 350 used; the next needs ≈ prompt + 100 > 250 left
            with pytest.raises(TokenBudgetExceeded) as caught:
                llm.structured("probe", {"city": "上海" * 80, "number": 7}, Answer)
    assert caught.value.scope == "run" and caught.value.used == 350
    assert len(srv.requests) == 1


def test_dry_run_sends_nothing_and_records_the_plan(tmp_path: Path) -> None:
    with FakeOpenAI([]) as srv:
        with LLM(config(tmp_path, srv.base_url, dry_run=True)) as llm:
            for city in ("北京", "上海"):
                with pytest.raises(DryRunCall) as caught:
                    llm.structured("probe", {"city": city, "number": 7}, Answer)
                assert isinstance(caught.value, LLMError)
    assert srv.requests == [] and log_rows(tmp_path) == [] and cache_files(tmp_path) == []
    assert [p.prompt_name for p in llm.planned] == ["probe", "probe"]
    plan = llm.planned[0]
    assert plan.estimated_prompt_tokens > 20 and not plan.exact and plan.token_method.startswith("estimate")
    assert plan.mode == "tools" and plan.model == "fake-model" and plan.max_tokens == 4096
    text = format_planned(llm.planned)
    assert "试运行" in text and "Dry run" in text and "probe" in text and "估算 estimate" in text


def test_dry_run_needs_no_endpoint(tmp_path: Path) -> None:
    with LLM(config(tmp_path, None, dry_run=True)) as llm:
        with pytest.raises(DryRunCall):
            llm.structured("probe", VARS, Answer)
    assert llm.planned[0].estimated_prompt_tokens > 0


def test_dry_run_reports_a_cached_call(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url)) as llm:
            llm.structured("probe", VARS, Answer)
        with LLM(config(tmp_path, srv.base_url, dry_run=True)) as llm:
            with pytest.raises(DryRunCall):
                llm.structured("probe", VARS, Answer)
    assert llm.planned[0].cached and "已缓存" in format_planned(llm.planned)


def test_estimate_tokens_sends_nothing(tmp_path: Path) -> None:
    with FakeOpenAI([]) as srv:
        with LLM(config(tmp_path, srv.base_url)) as llm:
            short = llm.estimate_tokens("probe", VARS, Answer)
            long = llm.estimate_tokens("probe", {"city": "北京" * 100, "number": 7}, Answer)
    assert long.count - short.count == 2 * 198  # the city is in the prompt twice
    assert srv.requests == []


def _run_some_calls(tmp_path: Path) -> None:
    with FakeOpenAI([reply("tools", GOOD, prompt_tokens=30, completion_tokens=5), Reply(status=500)]) as srv:
        with LLM(config(tmp_path, srv.base_url, transport_retries=0)) as llm:
            llm.structured("probe", VARS, Answer)
            llm.structured("probe", VARS, Answer)  # cache hit
            with pytest.raises(LLMError):
                llm.structured("probe", {"city": "上海", "number": 7}, Answer)


def test_llm_log_command_prints_totals(tmp_path: Path) -> None:
    _run_some_calls(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["llm", "log", "--log", str(tmp_path / "usage.sqlite")])
    assert result.exit_code == 0, result.output
    assert "合计 Total: 调用 calls 3, 请求 attempts 2 (失败 failed 1), 缓存命中 cache hits 1" in result.output
    assert "输入 tokens in 30, 输出 tokens out 5" in result.output
    assert "fake-model" in result.output and "probe (" in result.output
    result = runner.invoke(app, ["llm", "log", "--log", str(tmp_path / "usage.sqlite"), "--format", "json"])
    data = json.loads(result.output)
    assert data["total"] == {
        "calls": 3,
        "attempts": 2,
        "cache_hits": 1,
        "failed_attempts": 1,
        "prompt_tokens": 30,
        "completion_tokens": 5,
        "latency_ms": data["total"]["latency_ms"],
    }
    assert list(data["by_model"]) == ["fake-model"]


def test_llm_log_uses_nianbao_log_and_handles_an_absent_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_LOG", str(tmp_path / "none.sqlite"))
    result = CliRunner().invoke(app, ["llm", "log"])
    assert result.exit_code == 0 and "尚无记录" in result.output and "none.sqlite" in result.output
    assert not (tmp_path / "none.sqlite").exists()
    (tmp_path / "bad.sqlite").write_text("not a database", encoding="utf-8")
    result = CliRunner().invoke(app, ["llm", "log", "--log", str(tmp_path / "bad.sqlite")])
    assert result.exit_code == 2
