"""``nianbao llm probe``: which output modes work with the configured server, measured.

Each mode (tools, json_schema, md_json, json) is tried once with the tiny ``probe`` prompt and a
two-field schema whose right answer is fixed, with no re-ask, no transport retry and no cache, so the
result says whether the server and model honour that mode as sent. A mode counts as working only when
the reply validates AND holds the expected values. The requests are logged in the usage log like any
other (prompt ``probe``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pydantic import BaseModel

from nianbao.llm.client import LLM
from nianbao.llm.config import MODES, LLMConfig
from nianbao.llm.errors import LLMError

__all__ = ["ModeResult", "ProbeAnswer", "probe", "suggest"]

EXPECTED = {"city": "北京", "number": 7}


class ProbeAnswer(BaseModel):
    """The probe's schema: a string and an integer."""

    city: str
    number: int


@dataclass(frozen=True)
class ModeResult:
    """One mode's outcome: ``ok``, the latency, and why it failed (``detail``)."""

    mode: str
    ok: bool
    latency_ms: int
    detail: str
    detail_zh: str

    def as_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "ok": self.ok,
            "latency_ms": self.latency_ms,
            "detail": self.detail,
            "detail_zh": self.detail_zh,
        }


def probe(config: LLMConfig, modes: tuple[str, ...] = MODES) -> list[ModeResult]:
    """Try each mode against ``config``'s server. Raises LLMNotConfigured when no endpoint is set."""
    import instructor  # noqa: F401  (imported before timing, so the first mode's latency is the server's)
    import openai  # noqa: F401

    results = []
    for mode in modes:
        trial = config.replace(
            mode=mode,
            cache_dir=None,
            validation_retries=0,
            transport_retries=0,
            dry_run=False,
            max_tokens=config.max_tokens if config.max_tokens is None else min(config.max_tokens, 1024),
        )
        started = time.perf_counter()
        with LLM(trial) as llm:
            try:
                result = llm.structured("probe", EXPECTED, ProbeAnswer)
            except LLMError as error:
                ms = round((time.perf_counter() - started) * 1000)
                results.append(ModeResult(mode, False, ms, str(error), error.message_zh))
                continue
        ms = round((time.perf_counter() - started) * 1000)
        if result.value.model_dump() == EXPECTED:
            results.append(ModeResult(mode, True, ms, "ok", "可用"))
        else:
            got = result.value.model_dump_json()
            results.append(ModeResult(mode, False, ms, f"wrong values: {got}", f"返回值不符：{got}"))
    return results


def suggest(results: list[ModeResult]) -> str | None:
    """The mode to configure: the first working one in order of preference (tools, json_schema,
    md_json, json), or None."""
    for mode in MODES:
        if any(r.mode == mode and r.ok for r in results):
            return mode
    return None
