"""What a model call returns: token usage, the validated value with its provenance, and (in a dry run)
the call that would have been made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)

__all__ = ["Completion", "PlannedCall", "Usage", "format_planned"]


@dataclass(frozen=True)
class Usage:
    """Tokens as reported by the server (``usage`` of each reply), summed over requests."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


@dataclass(frozen=True)
class Completion(Generic[T]):
    """A validated answer. ``usage`` is what THIS call spent (zero on a cache hit: nothing was sent);
    ``cached_usage`` is what the answer cost when it was first produced (equal to ``usage`` on a miss).
    ``attempts`` counts HTTP requests of this call (re-asks and transport retries included; 0 on a hit)."""

    value: T
    usage: Usage
    attempts: int
    cache_hit: bool
    prompt_name: str
    prompt_hash: str
    model: str
    mode: str
    cached_usage: Usage = field(default_factory=Usage)
    raw_text: str | None = None  # the validated reply's JSON text (tool arguments or content)


@dataclass(frozen=True)
class PlannedCall:
    """A call recorded in a dry run instead of being sent."""

    prompt_name: str
    prompt_hash: str
    model: str
    mode: str
    estimated_prompt_tokens: int
    max_tokens: int | None
    token_method: str  # "tiktoken:o200k_base" (exact) or "estimate:…" (conservative estimate)
    exact: bool
    cached: bool = False  # the disk cache already holds the answer: a real run would send nothing

    def as_dict(self) -> dict[str, object]:
        return {
            "prompt_name": self.prompt_name,
            "prompt_hash": self.prompt_hash,
            "model": self.model,
            "mode": self.mode,
            "estimated_prompt_tokens": self.estimated_prompt_tokens,
            "max_tokens": self.max_tokens,
            "token_method": self.token_method,
            "exact": self.exact,
            "cached": self.cached,
        }


def format_planned(planned: list[PlannedCall]) -> str:
    """The planned calls of a dry run as a short bilingual table (for ``--dry-run`` in the CLI)."""
    lines = ["试运行：以下调用不会发送 / Dry run: these calls would be made (nothing was sent)"]
    total = 0
    for i, call in enumerate(planned, 1):
        total += call.estimated_prompt_tokens
        label = "精确 exact" if call.exact else "估算 estimate"
        cached = "  已缓存 cached" if call.cached else ""
        lines.append(
            f"{i:>3}. {call.prompt_name}  model={call.model}  mode={call.mode}  "
            f"prompt≈{call.estimated_prompt_tokens} tokens ({label}: {call.token_method})"
            f"  max_tokens={call.max_tokens}{cached}"
        )
    lines.append(f"合计 Total: {len(planned)} 次调用 calls, 提示约 prompt ≈ {total} tokens")
    return "\n".join(lines)
