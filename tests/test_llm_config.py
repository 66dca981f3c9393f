"""Configuration from arguments and the environment; nothing is sent without an endpoint."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nianbao.errors import ConfigError, NianbaoError
from nianbao.llm import LLM, LLMConfig, LLMNotConfigured


def test_nianbao_variables_win_over_openai_ones() -> None:
    env = {
        "NIANBAO_BASE_URL": "http://10.0.0.5:8000/v1",
        "OPENAI_BASE_URL": "https://api.openai.com/v1",
        "OPENAI_MODEL": "gpt-4o-mini",
        "NIANBAO_API_KEY": "nb-key",
        "OPENAI_API_KEY": "sk-openai",
        "NIANBAO_MODE": "MD_JSON",
        "NIANBAO_TIMEOUT": "12.5",
        "NIANBAO_VALIDATION_RETRIES": "2",
        "NIANBAO_TRANSPORT_RETRIES": "0",
        "NIANBAO_MAX_TOKENS": "none",
        "NIANBAO_CALL_TOKEN_BUDGET": "9000",
        "NIANBAO_CACHE_DIR": "",
        "NIANBAO_LOG": "/tmp/x/usage.sqlite",
        "NIANBAO_EXTRA_BODY": '{"enable_thinking": false}',
        "NIANBAO_DRY_RUN": "1",
    }
    config = LLMConfig.from_env(env)
    assert config.base_url == "http://10.0.0.5:8000/v1"
    assert config.model == "gpt-4o-mini"  # falls back to OPENAI_MODEL
    assert config.api_key == "nb-key"
    assert config.mode == "md_json" and config.timeout == 12.5
    assert (config.validation_retries, config.transport_retries) == (2, 0)
    assert config.max_tokens is None and config.call_token_budget == 9000
    assert config.cache_dir is None and config.log_path == Path("/tmp/x/usage.sqlite")
    assert config.extra_body == {"enable_thinking": False} and config.dry_run
    assert config.configured
    assert "nb-key" not in repr(config)  # the key never shows in a repr (logs, tracebacks)


def test_openai_fallbacks_and_overrides() -> None:
    env = {"OPENAI_BASE_URL": "https://api.deepseek.com/v1", "OPENAI_API_KEY": "k", "NIANBAO_MODE": "auto"}
    config = LLMConfig.from_env(env, model="deepseek-chat", timeout=None, mode=None)
    assert (config.base_url, config.model, config.api_key, config.mode) == (
        "https://api.deepseek.com/v1",
        "deepseek-chat",
        "k",
        None,
    )
    assert config.timeout == 120.0  # None overrides are ignored (CLI options pass through unchanged)


def test_defaults_for_cache_and_log(tmp_path: Path) -> None:
    config = LLMConfig.from_env({"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c")})
    assert config.cache_dir == tmp_path / "c" / "nianbao" / "llm"
    assert config.log_path is not None and config.log_path.name == "usage.sqlite"
    assert config.validation_retries == 1 and config.transport_retries == 2 and config.backoff == 0.5


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"NIANBAO_MODE": "function_calling"}, "mode"),
        ({"NIANBAO_TIMEOUT": "soon"}, "NIANBAO_TIMEOUT"),
        ({"NIANBAO_TIMEOUT": "-1"}, "timeout"),
        ({"NIANBAO_VALIDATION_RETRIES": "1.5"}, "NIANBAO_VALIDATION_RETRIES"),
        ({"NIANBAO_TRANSPORT_RETRIES": "99"}, "transport_retries"),
        ({"NIANBAO_BASE_URL": "api.deepseek.com"}, "base_url"),
        ({"NIANBAO_EXTRA_BODY": "[1]"}, "NIANBAO_EXTRA_BODY"),
        ({"NIANBAO_MAX_TOKENS": "0"}, "max_tokens"),
    ],
)
def test_bad_values_are_config_errors_in_both_languages(env: dict[str, str], word: str) -> None:
    with pytest.raises(ConfigError) as caught:
        LLMConfig.from_env(env)
    assert word in str(caught.value) and word in caught.value.message_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message_zh)
    assert isinstance(caught.value, NianbaoError)


def test_unknown_override_is_an_error() -> None:
    with pytest.raises(ConfigError):
        LLMConfig.from_env({}, base_uri="http://x")


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any socket connection at all (loopback included) is recorded and refused."""
    opened: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        opened.append(address)
        raise AssertionError(f"socket connect to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return opened


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"OPENAI_API_KEY": "sk-x"},  # a key alone does not mean api.openai.com
        {"NIANBAO_MODEL": "qwen-plus", "NIANBAO_API_KEY": "x"},
        {"NIANBAO_BASE_URL": "http://localhost:11434/v1"},  # no model
    ],
)
def test_no_endpoint_means_not_configured_and_no_socket(env: dict[str, str], no_sockets: list[Any]) -> None:
    config = LLMConfig.from_env(env, cache_dir="", log_path="")
    assert not config.configured
    with pytest.raises(LLMNotConfigured) as caught:
        LLM(config)
    assert "未发送任何请求" in caught.value.message_zh and "Nothing was sent" in str(caught.value)
    assert no_sockets == []


def test_importing_the_adapter_does_not_load_openai_or_instructor() -> None:
    """Cheap import: openai and instructor load on the first request only."""
    code = (
        "import sys, nianbao.llm, nianbao.cli_llm;"
        "print(sorted(m for m in ('openai', 'instructor', 'tiktoken') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("env", "overrides", "key"),
    [
        # An OpenAI key is not sent to another provider's server.
        ({"NIANBAO_BASE_URL": "https://api.deepseek.com/v1", "OPENAI_API_KEY": "sk-openai"}, {}, None),
        ({"NIANBAO_BASE_URL": "https://api.openai.com/v1", "OPENAI_API_KEY": "sk-openai"}, {}, "sk-openai"),
        ({"OPENAI_BASE_URL": "https://api.moonshot.cn/v1", "OPENAI_API_KEY": "sk-kimi"}, {}, "sk-kimi"),
        (
            {"OPENAI_BASE_URL": "https://api.moonshot.cn/v1", "OPENAI_API_KEY": "sk-kimi"},
            {"base_url": "http://10.0.0.9:8000/v1"},
            None,
        ),
        (
            {"NIANBAO_API_KEY": "nb", "NIANBAO_BASE_URL": "http://10.0.0.9:8000/v1", "OPENAI_API_KEY": "x"},
            {},
            "nb",
        ),
    ],
)
def test_openai_key_only_goes_with_its_endpoint(
    env: dict[str, str], overrides: dict, key: str | None
) -> None:
    assert LLMConfig.from_env(env, **overrides).api_key == key


def test_unwritable_usage_log_fails_before_any_request(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    config = LLMConfig(
        base_url="http://127.0.0.1:9/v1", model="m", cache_dir=None, log_path=blocker / "u.sqlite"
    )
    with pytest.raises(ConfigError) as caught:
        LLM(config)
    assert "NIANBAO_LOG" in caught.value.message_zh
