"""`nianbao llm probe` against the fake server: each mode is tried once and reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fake_openai import FakeOpenAI, Reply, completion
from nianbao.cli import app

OK = {"city": "北京", "number": 7}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "NIANBAO_BASE_URL",
        "NIANBAO_MODEL",
        "NIANBAO_API_KEY",
        "NIANBAO_MODE",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "OPENAI_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_LOG", str(tmp_path / "usage.sqlite"))
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))


def test_probe_reports_each_mode(tmp_path: Path) -> None:
    script = [
        Reply(status=400, body={"error": {"message": "tool_choice object not supported"}}),  # tools
        completion(json.dumps(OK)),  # json_schema
        completion('<think>嗯</think>\n```json\n{"city": "北京", "number": 7}\n```'),  # md_json
        completion('{"city": "上海", "number": 7}'),  # json: validates, wrong value
    ]
    with FakeOpenAI(script) as srv:
        result = CliRunner().invoke(
            app,
            [
                "llm",
                "probe",
                "--base-url",
                srv.base_url,
                "--model",
                "m",
                "--api-key",
                "k",
                "--format",
                "json",
            ],
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {m["mode"]: m["ok"] for m in data["modes"]} == {
        "tools": False,
        "json_schema": True,
        "md_json": True,
        "json": False,
    }
    assert data["suggested_mode"] == "json_schema"
    assert "tool_choice" in data["modes"][0]["detail"] and "上海" in data["modes"][3]["detail"]
    bodies = srv.bodies
    assert "tool_choice" in bodies[0] and bodies[1]["response_format"]["type"] == "json_schema"
    assert bodies[3]["response_format"] == {"type": "json_object"}
    assert len(srv.requests) == 4  # no re-ask, no transport retry


def test_probe_text_output_and_no_mode_works() -> None:
    with FakeOpenAI([Reply(status=500)] * 4) as srv:
        result = CliRunner().invoke(app, ["llm", "probe", "--base-url", srv.base_url, "--model", "m"])
    assert result.exit_code == 2
    assert "不可用" in result.output and "No output mode works" in result.output
    assert len(srv.requests) == 4


def test_probe_text_suggests_a_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI([completion(tool_args=OK)] + [Reply(status=400)] * 3) as srv:
        monkeypatch.setenv("NIANBAO_BASE_URL", srv.base_url)
        monkeypatch.setenv("NIANBAO_MODEL", "qwen-plus")
        result = CliRunner().invoke(app, ["llm", "probe"])
    assert result.exit_code == 0, result.output
    assert "建议设置 NIANBAO_MODE=tools" in result.output and "可用 ok" in result.output


def test_probe_without_endpoint_exits_2_and_sends_nothing() -> None:
    result = CliRunner().invoke(app, ["llm", "probe"])
    assert result.exit_code == 2
    assert "未配置模型服务" in result.output or "未配置模型服务" in (result.stderr or "")
