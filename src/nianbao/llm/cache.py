"""Disk cache of validated answers, so that re-running a notebook or a report costs nothing.

The key is the SHA-256 of everything that determines the answer: model, mode, the rendered messages,
the response model's JSON schema, the request parameters (max_tokens, temperature, extra body) and the
validation context. One JSON file per key (``<dir>/<key[:2]>/<key>.json``), written atomically. Only
validated answers are stored: a failure is never cached, so a failing call is retried next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["DiskCache", "cache_key"]


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=repr)


def cache_key(
    *,
    model: str,
    mode: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    params: dict[str, Any],
    context: Any = None,
) -> str:
    """The hex SHA-256 of the request's identity (see the module docstring)."""
    payload = {
        "v": 1,
        "model": model,
        "mode": mode,
        "messages": messages,
        "schema": schema,
        "params": params,
        "context": context,
    }
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


class DiskCache:
    """A folder of JSON answers keyed by :func:`cache_key`. Unreadable entries count as misses."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "value" in data else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically (a crash never leaves half a file); errors writing are ignored:
        the cache is an optimisation, never a reason to fail a call that succeeded."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({**entry, "stored_at": time.time()}, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            return

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json")) if self.directory.is_dir() else 0
