"""Transport retries: which failures are worth another request, and how long to wait.

The openai client is built with ``max_retries=0`` so that every request is ours: counted, logged and
bounded. Retried: HTTP 408, 409, 429 and 5xx, timeouts and connection failures. Not retried: other 4xx
(a bad key, a model name the server does not know, a mode it rejects): the same request would fail again.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

import openai

__all__ = ["Failure", "backoff_delay", "classify"]

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Failure:
    """A failed request: ``kind`` "http" / "timeout" / "connection", the status, whether to retry,
    the server's Retry-After in seconds (if any) and a short description."""

    kind: str
    status: int | None
    retryable: bool
    retry_after: float | None
    detail: str

    @property
    def outcome(self) -> str:
        return f"http_{self.status}" if self.kind == "http" else self.kind


def _retry_after(error: openai.APIStatusError) -> float | None:
    headers = error.response.headers if error.response is not None else {}
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(parsed.timestamp() - time.time(), 0.0) if parsed is not None else None


def classify(error: BaseException) -> Failure | None:
    """The transport failure in ``error`` or its causes (instructor wraps the openai error), or None
    when it is not a transport failure."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, openai.APITimeoutError):
            return Failure("timeout", None, True, None, "request timed out / 请求超时")
        if isinstance(current, openai.APIConnectionError):
            return Failure("connection", None, True, None, f"connection failed / 连接失败: {current}")
        if isinstance(current, openai.APIStatusError):
            status = current.status_code
            retryable = status in RETRY_STATUS or status >= 500
            return Failure("http", status, retryable, _retry_after(current), _short(current))
        current = current.__cause__ or current.__context__
    return None


def _short(error: openai.APIStatusError) -> str:
    text = str(error.message or error)
    return text if len(text) <= 300 else text[:300] + "…"


def backoff_delay(retry: int, *, base: float, cap: float, retry_after: float | None) -> float:
    """Seconds to wait before retry number ``retry`` (1, 2, …): the server's Retry-After when given,
    else ``base`` × 2^(retry-1) with ±25 % jitter; never more than ``cap``."""
    if retry_after is not None:
        return min(retry_after, cap)
    delay = base * 2.0 ** (retry - 1)
    delay *= random.uniform(0.75, 1.25)
    return min(delay, cap)
