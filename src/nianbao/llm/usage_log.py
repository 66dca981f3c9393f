"""The usage log: one SQLite row per request attempt (failed ones included) and per cache hit, so that
what a run cost, and what failed, can be read back (``nianbao llm log``)."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.errors import ConfigError

__all__ = ["AttemptRecord", "UsageLog", "summarize"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,            -- Unix time the attempt started
    call_id TEXT NOT NULL,         -- one structured() call
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    base_url TEXT,
    prompt_name TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    attempt INTEGER NOT NULL,      -- 1, 2, … within the call (0 for a cache hit)
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    outcome TEXT NOT NULL,         -- ok, invalid, truncated, http_429, http_500, timeout, connection, cache_hit
    error TEXT
)
"""


@dataclass
class AttemptRecord:
    """One request attempt (or a cache hit) of a call."""

    time: float
    attempt: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    cache_hit: bool = False
    outcome: str = "pending"
    error: str | None = None


class UsageLog:
    """Append-only SQLite log; opened per write so that several processes can share one file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(_SCHEMA)
        return connection

    def check(self) -> None:
        """Open (and create) the log now; a path that cannot be written is a ConfigError."""
        try:
            self._connect().close()
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"Cannot write the usage log {self.path}: {error} (set NIANBAO_LOG to another file, or to an "
                "empty string to disable the log)",
                f"无法写入用量日志 {self.path}：{error}（请把 NIANBAO_LOG 设为其他文件，或设为空以关闭日志）",
            ) from error

    def write(
        self,
        records: list[AttemptRecord],
        *,
        call_id: str,
        model: str,
        mode: str,
        base_url: str | None,
        prompt_name: str,
        prompt_hash: str,
    ) -> None:
        if not records:
            return
        rows = [
            (
                r.time,
                call_id,
                model,
                mode,
                base_url,
                prompt_name,
                prompt_hash,
                r.attempt,
                r.prompt_tokens,
                r.completion_tokens,
                r.latency_ms,
                int(r.cache_hit),
                r.outcome,
                (r.error or "")[:500] or None,
            )
            for r in records
        ]
        connection = self._connect()
        try:
            with connection:
                connection.executemany(
                    "INSERT INTO attempts (time, call_id, model, mode, base_url, prompt_name, prompt_hash,"
                    " attempt, prompt_tokens, completion_tokens, latency_ms, cache_hit, outcome, error)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        finally:
            connection.close()

    def rows(self) -> list[dict[str, Any]]:
        """Every row, oldest first (an absent file has none)."""
        if not self.path.exists():
            return []
        connection = self._connect()
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute("SELECT * FROM attempts ORDER BY id")]
        finally:
            connection.close()


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "calls": len({r["call_id"] for r in rows}),
        "attempts": sum(1 for r in rows if not r["cache_hit"]),
        "cache_hits": sum(1 for r in rows if r["cache_hit"]),
        "failed_attempts": sum(1 for r in rows if not r["cache_hit"] and r["outcome"] != "ok"),
        "prompt_tokens": sum(r["prompt_tokens"] for r in rows),
        "completion_tokens": sum(r["completion_tokens"] for r in rows),
        "latency_ms": sum(r["latency_ms"] for r in rows),
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals overall, by model and by prompt (name and hash)."""
    by_model: dict[str, list[dict[str, Any]]] = {}
    by_prompt: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_model.setdefault(r["model"], []).append(r)
        by_prompt.setdefault(f"{r['prompt_name']} ({r['prompt_hash'][:12]})", []).append(r)
    return {
        "total": _totals(rows),
        "by_model": {k: _totals(v) for k, v in sorted(by_model.items())},
        "by_prompt": {k: _totals(v) for k, v in sorted(by_prompt.items())},
        "first": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(rows[0]["time"])) if rows else None,
        "last": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(rows[-1]["time"])) if rows else None,
    }
