"""Transport retry policy: what is retried, how long to wait (Retry-After honoured and capped)."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import openai
import pytest

from fake_openai import FakeOpenAI, Reply
from llm_helpers import GOOD, VARS, Answer, config, log_rows, reply
from nianbao.llm import LLM
from nianbao.llm.transport import backoff_delay, classify

try:  # openai 3.x uses httpx2, openai 2.x httpx (pyproject allows both)
    import httpx2 as http
except ImportError:  # pragma: no cover
    import httpx as http  # type: ignore[no-redef]


def _status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = http.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = http.Response(status, headers=headers or {}, request=request)
    cls = {429: openai.RateLimitError, 500: openai.InternalServerError, 400: openai.BadRequestError}.get(
        status, openai.APIStatusError
    )
    return cls(f"status {status}", response=response, body=None)


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (504, True),
        (408, True),
        (400, False),
        (401, False),
        (404, False),
        (422, False),
    ],
)
def test_which_statuses_are_retried(status: int, retryable: bool) -> None:
    failure = classify(_status_error(status))
    assert failure is not None and failure.retryable is retryable and failure.outcome == f"http_{status}"


def test_retry_after_seconds_ms_and_date() -> None:
    assert classify(_status_error(429, {"Retry-After": "3"})).retry_after == 3.0  # type: ignore[union-attr]
    assert classify(_status_error(429, {"retry-after-ms": "250"})).retry_after == 0.25  # type: ignore[union-attr]
    date = email.utils.formatdate(time.time() + 60, usegmt=True)
    after = classify(_status_error(503, {"Retry-After": date})).retry_after  # type: ignore[union-attr]
    assert after is not None and 50 < after <= 61


def test_wrapped_errors_are_found_through_the_cause_chain() -> None:
    try:
        try:
            raise _status_error(500)
        except openai.APIStatusError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        failure = classify(outer)
    assert failure is not None and failure.status == 500
    assert classify(ValueError("not transport")) is None


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    delays = [backoff_delay(n, base=0.5, cap=30, retry_after=None) for n in (1, 2, 3)]
    assert 0.375 <= delays[0] <= 0.625 and 0.75 <= delays[1] <= 1.25 and 1.5 <= delays[2] <= 2.5
    assert backoff_delay(20, base=0.5, cap=30, retry_after=None) == 30
    assert backoff_delay(1, base=0.5, cap=30, retry_after=3600) == 30  # a huge Retry-After is capped
    assert backoff_delay(1, base=5, cap=30, retry_after=0) == 0


def test_retry_after_is_honoured_by_the_adapter(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(status=503, headers={"Retry-After": "0.3"}), reply("tools", GOOD)]) as srv:
        with LLM(config(tmp_path, srv.base_url, backoff=0.0)) as llm:
            started = time.perf_counter()
            llm.structured("probe", VARS, Answer)
            assert time.perf_counter() - started >= 0.3
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["http_503", "ok"]


def test_request_parameters_are_sent(tmp_path: Path) -> None:
    with FakeOpenAI([reply("json", GOOD)]) as srv:
        settings = {
            "mode": "json",
            "temperature": 0.0,
            "max_tokens": 321,
            "extra_body": {"enable_thinking": False},
        }
        with LLM(config(tmp_path, srv.base_url, api_key="secret-key", **settings)) as llm:
            llm.structured("probe", VARS, Answer)
    body = srv.bodies[0]
    assert body["temperature"] == 0.0 and body["max_tokens"] == 321 and body["enable_thinking"] is False
    headers = {k.lower(): v for k, v in srv.requests[0]["headers"].items()}
    assert headers["authorization"] == "Bearer secret-key"
    assert srv.requests[0]["path"] == "/v1/chat/completions"
    assert "secret-key" not in str(log_rows(tmp_path))
