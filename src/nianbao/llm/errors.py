"""Typed errors of the model layer. Every one is a :class:`~nianbao.errors.NianbaoError` with a Chinese
message for clerks (``message_zh``) and an English one (``str(error)``), and carries what a caller needs
to decide what to do next: how many requests were made, how many tokens they cost, the last reply.

Hierarchy::

    NianbaoError
    ├── ConfigError (nianbao.errors)   a bad setting (NIANBAO_MODE=foo, a negative timeout)
    └── LLMError
        ├── LLMNotConfigured     no endpoint or model configured: nothing was sent
        ├── LLMTransportError    HTTP 429/5xx/4xx, timeout or connection failure after the transport retries
        ├── LLMValidationError   the replies never validated within the re-ask budget
        ├── LLMTruncated         the reply stopped at max_tokens (finish_reason=length); not re-asked
        ├── TokenBudgetExceeded  refused before sending: the call or the run would exceed its token budget
        ├── PromptError          a prompt file is missing or uses a variable the caller did not give
        └── DryRunCall           dry run: the call was recorded in ``llm.planned`` and not sent
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from nianbao.errors import ConfigError, NianbaoError

if TYPE_CHECKING:
    from nianbao.llm.results import PlannedCall, Usage

__all__ = [
    "ConfigError",
    "DryRunCall",
    "LLMError",
    "LLMNotConfigured",
    "LLMTransportError",
    "LLMTruncated",
    "LLMValidationError",
    "PromptError",
    "TokenBudgetExceeded",
]


class LLMError(NianbaoError):
    """Base class of the model layer's errors; ``attempts`` requests were sent, costing ``usage``."""

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message_en, message_zh)
        from nianbao.llm.results import Usage

        self.attempts = attempts
        self.usage = usage if usage is not None else Usage()


class LLMNotConfigured(LLMError):
    """No endpoint (base URL) or model is configured, so nothing is sent: the offline path is the default."""

    def __init__(self, missing: list[str]) -> None:
        names = "、".join(missing)
        super().__init__(
            f"No model endpoint configured (missing: {', '.join(missing)}); set NIANBAO_BASE_URL and "
            "NIANBAO_MODEL (or OPENAI_BASE_URL / OPENAI_MODEL). Nothing was sent.",
            f"未配置模型服务（缺少：{names}）；请设置 NIANBAO_BASE_URL 和 NIANBAO_MODEL"
            "（或 OPENAI_BASE_URL / OPENAI_MODEL）。未发送任何请求。",
        )
        self.missing = missing


class LLMTransportError(LLMError):
    """The server could not be reached or kept failing (429, 5xx, timeouts) after the transport retries,
    or refused the request outright (other 4xx: not retried). ``status`` is the last HTTP status, or None
    for a timeout or connection failure; ``kind`` is "http", "timeout" or "connection"."""

    def __init__(
        self,
        *,
        status: int | None,
        kind: str,
        detail: str,
        attempts: int,
        usage: Usage | None = None,
    ) -> None:
        what_en = f"HTTP {status}" if status is not None else kind
        what_zh = {"timeout": "请求超时", "connection": "无法连接"}.get(kind, f"HTTP {status}")
        super().__init__(
            f"The model server failed ({what_en}) after {attempts} attempt(s): {detail}",
            f"模型服务出错（{what_zh}），已尝试{attempts}次：{detail}",
            attempts=attempts,
            usage=usage,
        )
        self.status = status
        self.kind = kind
        self.detail = detail


class LLMValidationError(LLMError):
    """The model's replies did not validate against the response model within the re-ask budget.
    ``last_text`` is the last raw reply (tool-call arguments or content, ``<think>`` stripped), so a
    caller can parse it leniently and keep only the valid items; ``errors`` is the last validation
    error as text."""

    def __init__(self, *, attempts: int, usage: Usage | None, last_text: str | None, errors: str) -> None:
        short = errors if len(errors) <= 300 else errors[:300] + "…"
        super().__init__(
            f"The model's reply did not validate after {attempts} attempt(s): {short}",
            f"模型回复经{attempts}次尝试仍未通过校验：{short}",
            attempts=attempts,
            usage=usage,
        )
        self.last_text = last_text
        self.errors = errors


class LLMTruncated(LLMError):
    """The reply hit the max_tokens limit (``finish_reason=length``). Not re-asked: a re-ask would be
    cut off the same way; raise ``max_tokens`` or send a smaller chunk."""

    def __init__(
        self, *, attempts: int, usage: Usage | None, last_text: str | None, max_tokens: int | None
    ) -> None:
        super().__init__(
            f"The model's reply was cut off at the token limit (max_tokens={max_tokens}); "
            "raise NIANBAO_MAX_TOKENS or send less text per call.",
            f"模型回复达到长度上限被截断（max_tokens={max_tokens}）；请调大 NIANBAO_MAX_TOKENS 或减少每次发送的文本。",
            attempts=attempts,
            usage=usage,
        )
        self.last_text = last_text
        self.max_tokens = max_tokens


class TokenBudgetExceeded(LLMError):
    """Refused BEFORE sending: the estimated tokens of this call (prompt + max_tokens) exceed the per-call
    budget (``scope="call"``), or the run's tokens so far plus this call exceed the per-run budget
    (``scope="run"``)."""

    def __init__(self, *, scope: str, needed: int, budget: int, used: int = 0, method: str = "") -> None:
        if scope == "call":
            en = f"This call needs about {needed} tokens ({method}), over the per-call budget of {budget}."
            zh = f"本次调用约需{needed}个token（{method}），超过单次预算{budget}。"
        else:
            en = (
                f"This call needs about {needed} tokens ({method}); with {used} already used the run would "
                f"exceed its budget of {budget}."
            )
            zh = f"本次调用约需{needed}个token（{method}），本轮已用{used}，将超过本轮预算{budget}。"
        super().__init__(en + " Nothing was sent.", zh + "未发送请求。")
        self.scope = scope
        self.needed = needed
        self.budget = budget
        self.used = used


class PromptError(LLMError):
    """A prompt file is missing, malformed, or uses a variable the caller did not pass."""


class DryRunCall(LLMError):
    """Dry run: the call was recorded (``planned``) and not sent. Callers stop cleanly on it."""

    def __init__(self, planned: PlannedCall) -> None:
        super().__init__(
            f"Dry run: call {planned.prompt_name!r} not sent (about {planned.estimated_prompt_tokens} prompt "
            "tokens).",
            f"试运行：未发送调用「{planned.prompt_name}」（提示约{planned.estimated_prompt_tokens}个token）。",
        )
        self.planned = planned


def first_error(error: ValidationError) -> str:
    """The first problem of a validation error, 「field.path: message」, for a short reason to report."""
    errors = error.errors()
    if not errors:
        return str(error)
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
