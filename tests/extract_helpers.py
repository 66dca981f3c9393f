"""Shared pieces of the extraction tests: the clean fixture, scripted model replies about it, and an
environment with no model configured (and cache and log in a temporary folder)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "fixtures" / "clean-2024.txt"
SEED = ROOT / "fixtures" / "lushan-2024.txt"

GOOD_FACTS: list[dict[str, Any]] = [
    {
        "kind": "published",
        "subject": "县政府门户网站",
        "value": 612,
        "unit": "条",
        "quote": "全年通过县政府门户网站本局栏目主动公开政府信息612条",
    },
    {"kind": "interpretation", "subject": "政策解读", "value": 9, "unit": "篇", "quote": "政策解读9篇"},
    {
        "kind": "published",
        "subject": "微信公众号",
        "value": "214",
        "unit": "条",
        "quote": "通过“泗洪市场监管”微信公众号发布信息214条",
    },
    {
        "kind": "training",
        "subject": "政务公开业务培训",
        "value": 2,
        "unit": "次",
        "quote": "组织政务公开业务培训2次",
    },
    # width and spaces differ from the report (「，」 there): still found
    {
        "kind": "training",
        "subject": "参训",
        "value": 120,
        "unit": "人次",
        "quote": "组织政务公开业务培训2次, 参训 120人次",
    },
    {
        "kind": "problem",
        "subject": "公开属性认定",
        "quote": "一是部分业务科室对公开属性认定把握不准",
        "no": 1,
        "prior": False,
        "concrete": True,
    },
    {
        "kind": "problem",
        "subject": "答复文书格式",
        "quote": "二是依申请公开答复文书格式仍不够统一",
        "no": 2,
        "prior": False,
        "concrete": True,
    },
    {
        "kind": "measure",
        "subject": "专题培训",
        "quote": "针对公开属性认定问题，2025年将开展公开属性认定专题培训",
        "no": 3,
        "answers": 1,
    },
    {
        "kind": "measure",
        "subject": "文书范本",
        "quote": "针对答复文书问题，将制定依申请公开答复文书范本并组织法律顾问审核",
        "no": 4,
        "answers": 2,
    },
    {"kind": "fee", "subject": "信息处理费", "value": None, "quote": "未收取信息处理费"},
]
HALLUCINATED = {
    "kind": "published",
    "subject": "政务微博",
    "value": 88,
    "unit": "条",
    "quote": "通过政务微博发布信息88条",
}  # not in the report
WRONG_NUMBER = {
    "kind": "interpretation",
    "subject": "政策解读",
    "value": 19,
    "unit": "篇",
    "quote": "政策解读9篇",
}  # the quote is real, 19 is not in it


def facts(*extra: dict[str, Any], good: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A reply payload: the good facts (or ``good``) plus ``extra`` items."""
    return {"facts": copy.deepcopy(GOOD_FACTS if good is None else good) + [dict(e) for e in extra]}


def no_model_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No endpoint configured; the cache and the usage log (if anything were sent) under ``tmp_path``."""
    for name in (
        "NIANBAO_BASE_URL",
        "NIANBAO_MODEL",
        "NIANBAO_API_KEY",
        "NIANBAO_MODE",
        "NIANBAO_DRY_RUN",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "OPENAI_API_KEY",
        "NIANBAO_EXTRA_BODY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NIANBAO_LOG", str(tmp_path / "usage.sqlite"))
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "no-tiktoken"))


def model_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, base_url: str, mode: str = "tools") -> None:
    """An endpoint at ``base_url`` (the fake server), fast retries."""
    no_model_env(monkeypatch, tmp_path)
    monkeypatch.setenv("NIANBAO_BASE_URL", base_url)
    monkeypatch.setenv("NIANBAO_MODEL", "fake-model")
    monkeypatch.setenv("NIANBAO_API_KEY", "test")
    monkeypatch.setenv("NIANBAO_MODE", mode)
    monkeypatch.setenv("NIANBAO_BACKOFF", "0")
    monkeypatch.setenv("NIANBAO_TRANSPORT_RETRIES", "1")
