"""`nianbao llm …` commands (probe, log). Imports nianbao.llm only inside commands, so that
`nianbao check` never loads openai or instructor.

Exit codes: ``probe`` 0 = at least one mode works, 2 = no endpoint configured or no mode works;
``log`` 0 (an absent log is an empty log), 2 = the log cannot be read.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

llm_app = typer.Typer(
    name="llm",
    help="The model layer: probe a configured server, show the usage log. 模型接口：探测服务、查看用量。",
    no_args_is_help=True,
)

EXIT_OK = 0
EXIT_FAILED = 2


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _say(zh: str, en: str, *, err: bool = False) -> None:
    typer.echo(zh, err=err)
    typer.echo(en, err=err)


@llm_app.command("probe")
def probe_command(
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Server URL (default NIANBAO_BASE_URL). 服务地址。")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name (default NIANBAO_MODEL). 模型名。")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="API key (default NIANBAO_API_KEY). 密钥。")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds per request. 每次请求超时（秒）。")
    ] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output format. 输出格式。")] = LogFormat.TEXT,
) -> None:
    """Try each output mode against the server and say which work. 逐一尝试各输出模式，报告哪些可用。

    Modes: tools, json_schema, md_json, json. Exit 0 if one works, 2 if none works or nothing is configured.
    """
    from nianbao.errors import ConfigError
    from nianbao.llm import LLMConfig, LLMNotConfigured
    from nianbao.llm.modes import choose_mode
    from nianbao.llm.probe import probe, suggest

    try:
        config = LLMConfig.from_env(base_url=base_url, model=model, api_key=api_key, timeout=timeout)
        results = probe(config)
    except (LLMNotConfigured, ConfigError) as error:
        _say(f"nianbao: {error.message_zh}", f"nianbao: {error.message_en}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    best = suggest(results)
    auto, _ = choose_mode(config.model, config.base_url)
    if fmt is LogFormat.JSON:
        payload = {
            "base_url": config.base_url,
            "model": config.model,
            "modes": [r.as_dict() for r in results],
            "suggested_mode": best,
            "automatic_mode": auto,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"探测 Probing {config.base_url}  model={config.model}")
        for r in results:
            status = "可用 ok    " if r.ok else "不可用 fail"
            first_line = r.detail_zh.splitlines()[0] if r.detail_zh else ""
            why = "" if r.ok else f"  {first_line[:160]}"
            typer.echo(f"  {r.mode:<12} {status} {r.latency_ms:>6} ms{why}")
        if best is None:
            _say(
                "没有可用的输出模式：请检查地址、模型名和密钥。",
                "No output mode works: check the URL, model and key.",
            )
        else:
            note = "" if best == auto else f"（自动选择为 {auto} / automatic choice would be {auto}）"
            _say(f"建议设置 NIANBAO_MODE={best}{note}", f"Suggested: NIANBAO_MODE={best}")
    raise typer.Exit(EXIT_OK if best is not None else EXIT_FAILED)


def _print_totals(title: str, totals: dict[str, Any]) -> None:
    typer.echo(
        f"{title}: 调用 calls {totals['calls']}, 请求 attempts {totals['attempts']}"
        f" (失败 failed {totals['failed_attempts']}), 缓存命中 cache hits {totals['cache_hits']}, "
        f"输入 tokens in {totals['prompt_tokens']}, 输出 tokens out {totals['completion_tokens']}"
    )


@llm_app.command("log")
def log_command(
    log: Annotated[
        Path | None, typer.Option("--log", help="Usage log file (default NIANBAO_LOG). 用量日志文件。")
    ] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output format. 输出格式。")] = LogFormat.TEXT,
) -> None:
    """Totals of the usage log, by model and prompt. 用量日志汇总，按模型和提示词分列。

    Calls, requests (failed ones too), tokens in and out, cache hits. 调用、请求、token、缓存命中。
    """
    import sqlite3

    from nianbao.llm.config import default_log_path
    from nianbao.llm.usage_log import UsageLog, summarize

    path = log if log is not None else default_log_path()
    if path is None:
        _say("用量日志已关闭（NIANBAO_LOG 为空）。", "The usage log is disabled (NIANBAO_LOG is empty).")
        raise typer.Exit(EXIT_OK)
    try:
        rows = UsageLog(path).rows()
    except sqlite3.Error as error:
        _say(
            f"nianbao: 无法读取用量日志 {path}：{error}",
            f"nianbao: cannot read the usage log {path}: {error}",
            err=True,
        )
        raise typer.Exit(EXIT_FAILED) from None
    summary = summarize(rows)
    if fmt is LogFormat.JSON:
        typer.echo(json.dumps({"log": str(path), **summary}, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    typer.echo(f"用量日志 Usage log: {path}")
    if not rows:
        _say("尚无记录。", "No calls recorded yet.")
        raise typer.Exit(EXIT_OK)
    typer.echo(f"时间 Period: {summary['first']} – {summary['last']}")
    _print_totals("合计 Total", summary["total"])
    typer.echo("按模型 By model:")
    for name, totals in summary["by_model"].items():
        _print_totals(f"  {name}", totals)
    typer.echo("按提示词 By prompt:")
    for name, totals in summary["by_prompt"].items():
        _print_totals(f"  {name}", totals)
