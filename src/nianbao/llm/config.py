"""Configuration of the model layer, from arguments or the environment.

Nothing is ever sent unless an endpoint is configured: ``base_url`` (NIANBAO_BASE_URL or
OPENAI_BASE_URL) and ``model`` must both be set. The key is NIANBAO_API_KEY, else OPENAI_API_KEY but
only for OPENAI_BASE_URL or api.openai.com (a key is never sent to another provider's server). An API key alone does NOT mean "use api.openai.com":
government text must not leave the machine by surprise, so even OpenAI needs
``NIANBAO_BASE_URL=https://api.openai.com/v1``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nianbao.errors import ConfigError

__all__ = ["MODES", "LLMConfig", "default_cache_dir", "default_log_path"]

#: Output modes (instructor modes we support with OpenAI-compatible servers), in order of preference.
MODES = ("tools", "json_schema", "md_json", "json")


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """$NIANBAO_CACHE_DIR (empty string disables the cache), else ~/.cache/nianbao/llm."""
    env = os.environ if env is None else env
    value = env.get("NIANBAO_CACHE_DIR")
    if value is not None:
        return Path(value).expanduser() if value.strip() else None
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nianbao" / "llm"


def default_log_path(env: Mapping[str, str] | None = None) -> Path | None:
    """$NIANBAO_LOG (empty string disables the usage log), else ~/.local/share/nianbao/usage.sqlite."""
    env = os.environ if env is None else env
    value = env.get("NIANBAO_LOG")
    if value is not None:
        return Path(value).expanduser() if value.strip() else None
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "nianbao" / "usage.sqlite"


def _env_tiktoken_cache_dir() -> Path | None:
    value = os.environ.get("TIKTOKEN_CACHE_DIR")
    return Path(value) if value else None


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call a model. Frozen: derive variants with :meth:`replace`.

    ``mode`` None means automatic (see :func:`nianbao.llm.modes.choose_mode`). ``validation_retries``
    is the number of re-asks after an invalid reply (1: at most 2 requests); ``transport_retries`` the
    number of retries after a 429/5xx/timeout/connection failure, waiting ``backoff`` × 2^n seconds
    (with jitter, or the server's Retry-After, capped at ``backoff_max``). ``call_token_budget`` bounds
    one request (prompt estimate + ``max_tokens``), ``run_token_budget`` all requests of one LLM object.
    ``cache_dir`` / ``log_path`` None disable the disk cache / usage log.
    """

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str | None = None
    timeout: float = 120.0
    validation_retries: int = 1
    transport_retries: int = 2
    backoff: float = 0.5
    backoff_max: float = 30.0
    max_tokens: int | None = 4096
    temperature: float | None = None
    call_token_budget: int | None = 32_000
    run_token_budget: int | None = 1_000_000
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    log_path: Path | None = field(default_factory=default_log_path)
    tiktoken_file: Path | None = None
    tiktoken_cache_dir: Path | None = field(default_factory=_env_tiktoken_cache_dir)
    extra_body: Mapping[str, Any] | None = None
    dry_run: bool = False

    def __post_init__(self) -> None:
        if self.mode is not None and self.mode not in MODES:
            _bad(
                "mode",
                self.mode,
                f"one of {', '.join(MODES)} (or unset for automatic)",
                f"须为 {'、'.join(MODES)} 之一（不设则自动选择）",
            )
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            _bad(
                "base_url", self.base_url, "an http:// or https:// URL", "须为 http:// 或 https:// 开头的地址"
            )
        if not self.timeout > 0:
            _bad("timeout", self.timeout, "a positive number of seconds", "须为正数（秒）")
        for name in ("validation_retries", "transport_retries"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
                _bad(name, value, "an integer from 0 to 10", "须为0到10的整数")
        for name in ("backoff", "backoff_max"):
            if getattr(self, name) < 0:
                _bad(name, getattr(self, name), "zero or more seconds", "不能为负数")
        for name in ("max_tokens", "call_token_budget", "run_token_budget"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                _bad(name, value, "a positive integer (or unset)", "须为正整数（或不设）")
        if self.temperature is not None and not 0 <= self.temperature <= 2:
            _bad("temperature", self.temperature, "a number from 0 to 2", "须在0到2之间")

    @property
    def configured(self) -> bool:
        """An endpoint and a model are known: calls may be sent."""
        return not self.missing()

    def missing(self) -> list[str]:
        """Names of the settings still needed before anything can be sent."""
        out = []
        if not self.base_url:
            out.append("base_url (NIANBAO_BASE_URL)")
        if not self.model:
            out.append("model (NIANBAO_MODEL)")
        return out

    def replace(self, **changes: Any) -> LLMConfig:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> LLMConfig:
        """Settings from the environment (NIANBAO_* first, then OPENAI_BASE_URL / OPENAI_MODEL /
        OPENAI_API_KEY), then ``overrides`` (keyword arguments; None values are ignored, so CLI options
        can be passed through unchanged). Bad values raise :class:`~nianbao.errors.ConfigError`."""
        env = os.environ if env is None else env

        def get(*names: str) -> str | None:
            for name in names:
                value = env.get(name)
                if value is not None and value.strip():
                    return value.strip()
            return None

        values: dict[str, Any] = {
            "base_url": get("NIANBAO_BASE_URL", "OPENAI_BASE_URL"),
            "model": get("NIANBAO_MODEL", "OPENAI_MODEL"),
            "api_key": get("NIANBAO_API_KEY"),
            "cache_dir": default_cache_dir(env),
            "log_path": default_log_path(env),
        }
        mode = get("NIANBAO_MODE")
        if mode is not None and mode.lower() != "auto":
            values["mode"] = mode.lower()
        for name, var, kind in (
            ("timeout", "NIANBAO_TIMEOUT", float),
            ("validation_retries", "NIANBAO_VALIDATION_RETRIES", int),
            ("transport_retries", "NIANBAO_TRANSPORT_RETRIES", int),
            ("backoff", "NIANBAO_BACKOFF", float),
            ("max_tokens", "NIANBAO_MAX_TOKENS", int),
            ("temperature", "NIANBAO_TEMPERATURE", float),
            ("call_token_budget", "NIANBAO_CALL_TOKEN_BUDGET", int),
            ("run_token_budget", "NIANBAO_RUN_TOKEN_BUDGET", int),
        ):
            raw = get(var)
            if raw is None:
                continue
            if raw.lower() in ("none", "off", "unlimited") and name in (
                "max_tokens",
                "temperature",
                "call_token_budget",
                "run_token_budget",
            ):
                values[name] = None
                continue
            try:
                values[name] = kind(raw)
            except ValueError:
                kind_zh = "整数" if kind is int else "数字"
                raise ConfigError(
                    f"{var}={raw!r} is not a valid {kind.__name__}",
                    f"{var}={raw!r} 不是有效的{kind_zh}",
                ) from None
        tiktoken_file = get("NIANBAO_TIKTOKEN_FILE")
        if tiktoken_file:
            values["tiktoken_file"] = Path(tiktoken_file).expanduser()
        tiktoken_dir = env.get("TIKTOKEN_CACHE_DIR")
        values["tiktoken_cache_dir"] = Path(tiktoken_dir) if tiktoken_dir else None
        extra = get("NIANBAO_EXTRA_BODY")
        if extra:
            try:
                parsed = json.loads(extra)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                raise ConfigError(
                    f"NIANBAO_EXTRA_BODY must be a JSON object, got {extra!r}",
                    f"NIANBAO_EXTRA_BODY 须为 JSON 对象，实际为 {extra!r}",
                )
            values["extra_body"] = parsed
        dry = get("NIANBAO_DRY_RUN")
        if dry is not None:
            values["dry_run"] = dry.lower() in ("1", "true", "yes", "on")
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise ConfigError(f"unknown LLM setting {key!r}", f"未知的模型设置 {key!r}")
            if value is not None:
                values[key] = value
        if isinstance(values.get("mode"), str) and values["mode"] == "auto":
            values["mode"] = None
        for key in ("cache_dir", "log_path", "tiktoken_file", "tiktoken_cache_dir"):
            if isinstance(values.get(key), str):
                values[key] = Path(values[key]).expanduser() if values[key] else None
        if values.get("api_key") is None and _may_use_openai_key(
            values.get("base_url"), get("OPENAI_BASE_URL")
        ):
            values["api_key"] = get("OPENAI_API_KEY")
        return cls(**values)


def _may_use_openai_key(base_url: str | None, openai_base_url: str | None) -> bool:
    """OPENAI_API_KEY is a fallback only for the endpoint it belongs with: OPENAI_BASE_URL itself, or
    OpenAI's own API. A key for one provider is never sent to another (NIANBAO_BASE_URL pointing at
    DeepSeek while OPENAI_API_KEY holds an OpenAI key)."""
    if not base_url:
        return False
    if openai_base_url and base_url.rstrip("/") == openai_base_url.rstrip("/"):
        return True
    host = (urlsplit(base_url).hostname or "").lower()
    return host == "api.openai.com"


def _bad(name: str, value: object, expected_en: str, expected_zh: str) -> None:
    raise ConfigError(
        f"bad LLM setting {name}={value!r}: expected {expected_en}",
        f"模型设置 {name}={value!r} 有误：{expected_zh}",
    )
