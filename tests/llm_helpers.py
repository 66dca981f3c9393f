"""Helpers for the model-layer tests: a response model, a config pointed at the fake server with a
temporary cache and log, and the reply each mode expects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, field_validator

from fake_openai import completion
from nianbao.llm import LLMConfig
from nianbao.llm.usage_log import UsageLog

MODES = ("tools", "json_schema", "md_json", "json")
CONTENT_MODES = ("json_schema", "md_json", "json")
GOOD = {"city": "北京", "number": 7}
VARS = {"city": "北京", "number": 7}


class Answer(BaseModel):
    city: str
    number: int

    @field_validator("number")
    @classmethod
    def positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("number must be positive / 数字须为正")
        return value


def config(tmp_path: Path, base_url: str | None, **changes: Any) -> LLMConfig:
    values: dict[str, Any] = {
        "base_url": base_url,
        "model": "fake-model",
        "api_key": "test",
        "backoff": 0.0,
        "cache_dir": tmp_path / "cache",
        "log_path": tmp_path / "usage.sqlite",
        "tiktoken_cache_dir": tmp_path / "no-tiktoken",
    }
    values.update(changes)
    return LLMConfig(**values)


def reply(mode: str, payload: Any, **kwargs: Any) -> dict[str, Any]:
    """A valid-shape reply carrying ``payload`` in the way ``mode`` expects it."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    if mode == "tools":
        return completion(tool_args=text, tool_name="Answer", **kwargs)
    if mode == "md_json":
        return completion(f"好的，结果如下：\n```json\n{text}\n```", **kwargs)
    return completion(text, **kwargs)


def log_rows(tmp_path: Path) -> list[dict[str, Any]]:
    return UsageLog(tmp_path / "usage.sqlite").rows()


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*/*.json"))
