"""`nianbao extract` and `nianbao check --llm`: output, exit codes, dry run, and no network (no socket
at all, openai not even imported) when no endpoint is configured."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extract_helpers import CLEAN, GOOD_FACTS, HALLUCINATED, ROOT, SEED, facts, model_env, no_model_env
from fake_openai import FakeOpenAI, Reply
from llm_helpers import reply
from nianbao.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def no_socket(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any socket connection at all (loopback too) is recorded and refused."""
    opened: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> Any:
        opened.append(address)
        raise OSError("no socket may be opened in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return opened


def test_extract_without_a_model_prints_rule_facts_and_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_socket: list[Any]
) -> None:
    no_model_env(monkeypatch, tmp_path)
    code, out, _ = invoke("extract", str(CLEAN))
    assert code == 0, out
    assert "requests.received = 37件" in out and "第11行" in out
    assert "未配置模型服务" in out and "No model endpoint configured" in out
    code, out, _ = invoke("extract", str(CLEAN), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["calls"] == [] and data["dropped"] == []
    assert all(f["source"] == "rule" for f in data["facts"])
    assert no_socket == []


def test_check_without_a_model_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_socket: list[Any]
) -> None:
    no_model_env(monkeypatch, tmp_path)
    code, _, _ = invoke("check", str(SEED))
    assert code == 1 and no_socket == []


def test_check_never_imports_openai() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANBAO_", "OPENAI_"))}
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import nianbao.cli\n"
        f"result = CliRunner().invoke(nianbao.cli.app, ['check', {str(SEED)!r}])\n"
        "assert result.exit_code == 1, result.output\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'instructor', 'tiktoken')"
        " or m.startswith(('nianbao.llm', 'nianbao.extract')))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_extract_with_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = facts(HALLUCINATED)
    with FakeOpenAI([reply("tools", bad), reply("tools", bad)]) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url)
        code, out, _ = invoke("extract", str(CLEAN))
    assert code == 0, out
    assert "「通过“泗洪市场监管”微信公众号发布信息214条」" in out and "第9行" in out
    assert f"Facts read by the model, grounded: {len(GOOD_FACTS)}" in out
    assert "[quote-not-found]" in out and "通过政务微博发布信息88条" in out
    assert "尝试 attempts 2" in out


def test_extract_json_with_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI([reply("md_json", facts())]) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url, mode="md_json")
        code, out, _ = invoke("extract", str(CLEAN), "--format", "json")
    data = json.loads(out)
    assert code == 0
    llm = [f for f in data["facts"] if f["source"] == "llm"]
    assert len(llm) == len(GOOD_FACTS) and all(f["span"]["line"] for f in llm)
    assert data["calls"][0]["outcome"] == "ok" and data["model"] == "fake-model"


def test_dry_run_sends_nothing_and_prints_estimates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI([]) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url)
        code, out, _ = invoke("extract", str(SEED), "--dry-run")
        code_json, out_json, _ = invoke("extract", str(SEED), "--dry-run", "--format", "json")
    assert srv.requests == []
    assert code == 0 and "Dry run" in out and "extract_narrative" in out and "estimate" in out
    data = json.loads(out_json)
    assert code_json == 0 and data["planned"][0]["estimated_prompt_tokens"] > 0


def test_dry_run_works_without_an_endpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_socket: list[Any]
) -> None:
    no_model_env(monkeypatch, tmp_path)
    code, out, _ = invoke("extract", str(CLEAN), "--dry-run")
    assert code == 0 and "extract_narrative" in out and no_socket == []


def test_extract_errors_exit_2_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_model_env(monkeypatch, tmp_path)
    code, _, err = invoke("extract", str(tmp_path / "missing.txt"))
    assert code == 2 and "nianbao:" in err
    monkeypatch.setenv("NIANBAO_MODE", "telepathy")
    code, _, err = invoke("extract", str(CLEAN))
    assert code == 2 and "模型设置" in err and "bad LLM setting" in err
    with FakeOpenAI([Reply(status=500), Reply(status=500)]) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url)
        code, out, err = invoke("extract", str(CLEAN))
    assert code == 2 and "部分模型调用失败" in err and "Some model calls failed" in err
    assert "requests.received" in out  # what could be extracted is still printed


def test_check_llm_without_endpoint_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_socket: list[Any]
) -> None:
    no_model_env(monkeypatch, tmp_path)
    code, out, err = invoke("check", str(CLEAN), "--llm")
    assert code == 2 and out == ""
    assert "--llm 需要模型服务" in err and "--llm needs a model endpoint" in err
    assert no_socket == []


def test_check_llm_adds_findings_and_keeps_every_rule_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_model_env(monkeypatch, tmp_path)
    _, plain, _ = invoke("check", str(SEED), "--format", "json")
    items = [
        {
            "kind": "problem",
            "subject": "线下解读能力",
            "quote": "多渠道、多形式开展线下解读咨询工作的能力需要进一步加强",
            "no": 1,
            "concrete": True,
        },
        {
            "kind": "problem",
            "subject": "栏目",
            "quote": "个别栏目未能严格按照相关规定和范例进行设计",
            "no": 2,
            "concrete": True,
        },
        {
            "kind": "problem",
            "subject": "存在不足",
            "quote": "但也存在一定的问题和不足",
            "no": 3,
            "concrete": False,
        },
        {
            "kind": "measure",
            "subject": "多方位解读",
            "quote": "针对2023年存在的问题，2024年改进措施如下",
            "no": 4,
            "answers": None,
            "prior": True,
        },
    ]
    with FakeOpenAI([reply("tools", {"facts": items})]) as srv:
        model_env(monkeypatch, tmp_path, srv.base_url)
        code, out, _ = invoke("check", str(SEED), "--format", "json", "--llm")
    assert code == 1
    before = json.loads(plain)["reports"][0]["findings"]
    after = json.loads(out)["reports"][0]["findings"]
    rule_after = [f for f in after if f["source"] == "rule"]
    assert sorted(json.dumps(f, sort_keys=True) for f in rule_after) == sorted(
        json.dumps(f, sort_keys=True) for f in before
    )
    llm = sorted((f["rule"], f["evidence"][0]) for f in after if f["source"] == "llm")
    assert llm == sorted(
        [
            ("LLM-PROBLEM-MEASURE", "多渠道、多形式开展线下解读咨询工作的能力需要进一步加强"),
            ("LLM-PROBLEM-MEASURE", "个别栏目未能严格按照相关规定和范例进行设计"),
            ("LLM-PROBLEM-MEASURE", "但也存在一定的问题和不足"),
            ("LLM-BOILERPLATE", "但也存在一定的问题和不足"),
        ]
    )
