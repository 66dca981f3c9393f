"""The model adapter: one :class:`LLM` object per run, ``structured()`` per call.

A call renders a prompt file, looks in the disk cache, checks the token budgets, then asks instructor
(over an ``openai.OpenAI`` client with ``max_retries=0``) for a validated response model, re-asking on
validation errors up to ``validation_retries`` times. Around that, our own loop retries transport
failures (429/5xx/timeouts/connection) with exponential backoff honouring Retry-After. Every request is
one usage-log row; only validated answers are cached.

Two instructor behaviours are neutralised here, deliberately:

- With a validation ``context``, instructor renders every message as a Jinja template (and dedents it).
  A report containing ``{{`` or ``{%`` would then be altered or crash, and a prompt injection could run
  template code. So messages are dedented here first (what we hash, count and cache is exactly what is
  sent) and escaped so that instructor's rendering gives them back unchanged.
- In content modes (md_json, json, json_schema) a ``<think>…</think>`` block is stripped from the reply
  before instructor parses it (a ``completion:response`` hook), so ``json`` and ``json_schema`` survive
  thinking models too and a re-ask quotes only the answer.

A transport failure after a re-ask restarts the call from its first message (the re-ask is lost); the
attempt numbers in the log keep counting.

``stream_structured()`` streams: it yields partial objects as the reply arrives (for a notebook that shows
the draft growing), then the final object validated with the context. instructor 1.17's sync
``create_partial`` collects every partial into a list before returning the first one (its retry loop
parses the whole stream), so the streaming path uses instructor's pieces directly: the mode's request
handler (same tools / schema prompt / response_format as ``structured()``), the mode's stream extractor
and ``Partial[Model]``. There is no re-ask in streaming mode (what was shown cannot be taken back): a final
object that does not validate raises :class:`LLMValidationError` with the whole reply as ``last_text``,
for the caller's lenient re-read. Transport failures are retried only before the first chunk arrives.
"""

from __future__ import annotations

import json
import logging
import textwrap
import time
import uuid
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from nianbao.llm.cache import DiskCache, cache_key
from nianbao.llm.config import LLMConfig
from nianbao.llm.errors import (
    DryRunCall,
    LLMError,
    LLMNotConfigured,
    LLMTransportError,
    LLMTruncated,
    LLMValidationError,
    TokenBudgetExceeded,
)
from nianbao.llm.modes import choose_mode, strip_think
from nianbao.llm.prompts import Prompt, load_prompt
from nianbao.llm.results import Completion, PlannedCall, Usage
from nianbao.llm.tokens import TokenCount, count_message_tokens
from nianbao.llm.usage_log import AttemptRecord, UsageLog

if TYPE_CHECKING:
    import openai

    from nianbao.llm.transport import Failure

__all__ = ["LLM"]

T = TypeVar("T", bound=BaseModel)

# instructor logs "API call failed…" at ERROR; with no logging configured Python's last-resort handler
# would print it to stderr, in the middle of CLI output. We report failures ourselves.
logging.getLogger("instructor").addHandler(logging.NullHandler())

_CONTENT_MODES = frozenset({"md_json", "json", "json_schema"})


def _sendable(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Messages as they will be sent: dedented the way instructor's templating would (so that the text
    hashed, counted and cached is the text sent)."""
    return [{"role": m["role"], "content": textwrap.dedent(m["content"])} for m in messages]


def _jinja_literal(text: str) -> str:
    """A Jinja template that renders to exactly ``text``: every ``{`` (the start of ``{{``, ``{%``,
    ``{#``) and every ``\\r`` become expressions; a final newline too (Jinja drops one by default)."""
    out = text.replace("{", "{{ '{' }}").replace("\r", "{{ '\\r' }}")
    if out.endswith("\n"):
        out = out[:-1] + "{{ '\\n' }}"
    return out


def _reply_text(completion: Any) -> str | None:
    """The text of a raw chat completion: the first tool call's arguments, else the content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    for call in calls:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str):
            return arguments
    content = getattr(message, "content", None)
    return strip_think(content) if isinstance(content, str) else None


class LLM:
    """The model adapter. Use as a context manager (closes the HTTP client).

    Raises :class:`LLMNotConfigured` when no endpoint or model is configured, unless ``dry_run``.
    ``planned`` lists the calls recorded in a dry run; ``run_usage`` sums the tokens the server
    reported for every request of this object.
    """

    def __init__(self, config: LLMConfig | None = None, *, prompts_dir: Path | None = None) -> None:
        config = config if config is not None else LLMConfig.from_env()
        if not config.dry_run and not config.configured:
            raise LLMNotConfigured(config.missing())
        self.config = config
        if config.mode is not None:
            self.mode, self.mode_reason = config.mode, "configured / 已配置"
        else:
            self.mode, self.mode_reason = choose_mode(config.model, config.base_url)
        self.model = config.model or "(unset)"
        self.planned: list[PlannedCall] = []
        self.run_usage = Usage()
        self._charged = 0  # tokens counted against the run budget (reported, or estimated if unreported)
        self._prompts_dir = prompts_dir
        self._cache = DiskCache(config.cache_dir) if config.cache_dir is not None else None
        self._log = UsageLog(config.log_path) if config.log_path is not None else None
        if self._log is not None and not config.dry_run:
            self._log.check()  # fail now, not after a paid request whose row could not be written
        self._openai: openai.OpenAI | None = None
        self._instructor: Any = None

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> LLM:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client (idempotent)."""
        if self._openai is not None:
            self._openai.close()
            self._openai = None
            self._instructor = None

    def _client(self) -> Any:
        """The instructor client, built on first use (no socket is opened before a request)."""
        if self._instructor is None:
            import instructor
            import openai

            mode = {
                "tools": instructor.Mode.TOOLS,
                "json_schema": instructor.Mode.JSON_SCHEMA,
                "md_json": instructor.Mode.MD_JSON,
                "json": instructor.Mode.JSON,
            }[self.mode]
            self._openai = openai.OpenAI(
                base_url=self.config.base_url,
                api_key=self.config.api_key or "not-needed",
                timeout=self.config.timeout,
                max_retries=0,
            )
            self._instructor = instructor.from_openai(self._openai, mode=mode, model=self.config.model)
        return self._instructor

    # -- preparing a call ------------------------------------------------------------------------

    def prompt(self, name: str) -> Prompt:
        """The prompt file ``name`` (from this object's prompts folder)."""
        return load_prompt(name, self._prompts_dir)

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.config.max_tokens is not None:
            params["max_tokens"] = self.config.max_tokens
        if self.config.temperature is not None:
            params["temperature"] = self.config.temperature
        if self.config.extra_body:
            params["extra_body"] = dict(self.config.extra_body)
        return params

    def _count(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> TokenCount:
        return count_message_tokens(
            messages,
            self.config.model,
            extra_text=json.dumps(schema, ensure_ascii=False),
            tiktoken_file=self.config.tiktoken_file,
            cache_dir=self.config.tiktoken_cache_dir,
        )

    def estimate_tokens(
        self, prompt_name: str, variables: Mapping[str, Any], response_model: type[BaseModel]
    ) -> TokenCount:
        """Prompt tokens of a call (messages + response schema), without sending anything. For
        chunking within ``config.call_token_budget`` (which also counts ``config.max_tokens``)."""
        messages = _sendable(self.prompt(prompt_name).render(**variables))
        return self._count(messages, response_model.model_json_schema())

    def _check_budget(self, needed: int, method: str) -> None:
        budget = self.config.call_token_budget
        if budget is not None and needed > budget:
            raise TokenBudgetExceeded(scope="call", needed=needed, budget=budget, method=method)
        budget = self.config.run_token_budget
        if budget is not None and self._charged + needed > budget:
            raise TokenBudgetExceeded(
                scope="run", needed=needed, budget=budget, used=self._charged, method=method
            )

    # -- the call --------------------------------------------------------------------------------

    def _prepare(
        self,
        prompt_name: str,
        variables: Mapping[str, object],
        response_model: type[BaseModel],
        context: Mapping[str, object] | None,
    ) -> tuple[Prompt, list[dict[str, str]], dict[str, Any], dict[str, Any], str, TokenCount, str]:
        """What a call sends and is cached under, and its token estimate; in a dry run the call is recorded
        in :attr:`planned` and :class:`DryRunCall` raised instead, before anything could be sent."""
        prompt = self.prompt(prompt_name)
        messages = _sendable(prompt.render(**variables))
        schema = response_model.model_json_schema()
        params = self._params()
        key = cache_key(
            model=self.model, mode=self.mode, messages=messages, schema=schema, params=params, context=context
        )
        estimate = self._count(messages, schema)
        if self.config.dry_run:
            planned = PlannedCall(
                prompt_name=prompt.name,
                prompt_hash=prompt.sha256,
                model=self.model,
                mode=self.mode,
                estimated_prompt_tokens=estimate.count,
                max_tokens=self.config.max_tokens,
                token_method=estimate.method,
                exact=estimate.exact,
                cached=self._cache is not None and self._cache.get(key) is not None,
            )
            self.planned.append(planned)
            raise DryRunCall(planned)
        return prompt, messages, schema, params, key, estimate, uuid.uuid4().hex

    def structured(
        self,
        prompt_name: str,
        variables: Mapping[str, Any],
        response_model: type[T],
        *,
        context: dict[str, Any] | None = None,
        strict: bool = False,
    ) -> Completion[T]:
        """Render ``prompts/<prompt_name>.jinja`` with ``variables``, send it, and return the reply
        validated as ``response_model`` (with ``context`` as pydantic's validation context, so that
        validators can check quotes against the source). ``strict`` False lets pydantic coerce "12" to
        12 (local models often quote numbers); True rejects it.

        Raises :class:`DryRunCall` (dry run), :class:`TokenBudgetExceeded` (refused before sending),
        :class:`LLMTransportError`, :class:`LLMValidationError`, :class:`LLMTruncated`,
        :class:`~nianbao.llm.errors.PromptError`.
        """
        prompt, messages, schema, params, key, estimate, call_id = self._prepare(
            prompt_name, variables, response_model, context
        )
        needed = estimate.count + (self.config.max_tokens or 0)

        hit = self._from_cache(key, response_model, context, prompt, call_id)
        if hit is not None:
            return hit
        self._check_budget(needed, estimate.method)

        records: list[AttemptRecord] = []
        retries = 0
        try:
            while True:
                outcome = self._attempt(messages, response_model, context, strict, params, records, estimate)
                if isinstance(outcome, tuple):
                    value, raw = _plain(response_model, outcome[0]), outcome[1]
                    usage = _sum(records)
                    completion = Completion(
                        value=value,
                        usage=usage,
                        attempts=len(records),
                        cache_hit=False,
                        prompt_name=prompt.name,
                        prompt_hash=prompt.sha256,
                        model=self.model,
                        mode=self.mode,
                        cached_usage=usage,
                        raw_text=_reply_text(raw),
                    )
                    self._store(key, completion, len(records))
                    return completion
                failure = outcome
                if not failure.retryable or retries >= self.config.transport_retries:
                    raise LLMTransportError(
                        status=failure.status,
                        kind=failure.kind,
                        detail=failure.detail,
                        attempts=len(records),
                        usage=_sum(records),
                    )
                retries += 1
                self._check_budget(needed, estimate.method)
                time.sleep(
                    _backoff(retries, self.config.backoff, self.config.backoff_max, failure.retry_after)
                )
        finally:
            self._write_log(records, call_id, prompt)

    def stream_structured(
        self,
        prompt_name: str,
        variables: Mapping[str, Any],
        response_model: type[T],
        *,
        context: dict[str, Any] | None = None,
        strict: bool = False,
        include_usage: bool = True,
    ) -> Generator[T, None, Completion[T]]:
        """Like :meth:`structured`, streamed: yields partial ``response_model`` objects as the reply
        arrives (fields filled in as far as received, not validated), and last the final object
        validated with ``context`` (an instance of exactly ``response_model``); the generator's return
        value (``yield from``) is the :class:`Completion`.

        The prompt is rendered, the dry run recorded (:class:`DryRunCall`) and the token budgets checked
        (:class:`TokenBudgetExceeded`) when this method is called, before anything is sent; the request
        goes out on the first ``next()``. ``include_usage`` asks for the usage chunk
        (``stream_options``; turn it off for a server that rejects it): without it the tokens are
        estimated against the run budget and logged as 0. No re-ask: an invalid final object raises
        :class:`LLMValidationError` (``attempts`` 1, ``last_text`` the whole reply); a reply cut at
        max_tokens raises :class:`LLMTruncated`. A cached answer is yielded once (logged as a cache hit);
        a validated streamed answer is cached like :meth:`structured`'s (same key)."""
        prompt, messages, schema, params, key, estimate, call_id = self._prepare(
            prompt_name, variables, response_model, context
        )
        needed = estimate.count + (self.config.max_tokens or 0)
        hit = self._from_cache(key, response_model, context, prompt, call_id)
        if hit is not None:
            return _yield_once(hit)
        self._check_budget(needed, estimate.method)
        if include_usage:
            params["stream_options"] = {"include_usage": True}
        return self._stream(
            prompt, messages, response_model, context, strict, params, key, call_id, estimate, needed
        )

    def _stream(
        self,
        prompt: Prompt,
        messages: list[dict[str, str]],
        response_model: type[T],
        context: dict[str, Any] | None,
        strict: bool,
        params: dict[str, Any],
        key: str,
        call_id: str,
        estimate: TokenCount,
        needed: int,
    ) -> Generator[T, None, Completion[T]]:
        from instructor import Mode, Partial, Provider
        from instructor.v2.core.registry import mode_registry

        from nianbao.llm.transport import classify

        self._client()  # builds the openai client
        assert self._openai is not None
        mode = {
            "tools": Mode.TOOLS,
            "json_schema": Mode.JSON_SCHEMA,
            "md_json": Mode.MD_JSON,
            "json": Mode.JSON,
        }[self.mode]
        handlers = mode_registry.get_handlers(Provider.OPENAI, mode)
        _prepared, request = handlers.request_handler(
            response_model, {"messages": [dict(m) for m in messages]}
        )
        request.pop("strict", None)
        extractor = handlers.stream_extractor
        assert extractor is not None
        records: list[AttemptRecord] = []
        retries = 0
        seen = _StreamSeen()
        stream: Any = None
        try:
            while True:  # transport retries, only before the first chunk
                record = AttemptRecord(time=time.time(), attempt=len(records) + 1)
                records.append(record)
                started = time.perf_counter()
                try:
                    stream = self._openai.chat.completions.create(
                        model=self.model, stream=True, **request, **params
                    )
                    break
                except Exception as error:
                    failure = classify(error)
                    if failure is None:
                        record.outcome, record.error = "error", str(error)[:500]
                        raise LLMError(
                            f"The model request failed: {type(error).__name__}: {error}",
                            f"模型请求失败：{type(error).__name__}: {error}",
                            attempts=len(records),
                            usage=_sum(records),
                        ) from error
                    record.latency_ms = round((time.perf_counter() - started) * 1000)
                    record.outcome, record.error = failure.outcome, failure.detail
                    if not failure.retryable or retries >= self.config.transport_retries:
                        raise LLMTransportError(
                            status=failure.status,
                            kind=failure.kind,
                            detail=failure.detail,
                            attempts=len(records),
                            usage=_sum(records),
                        ) from error
                    retries += 1
                    self._check_budget(needed, estimate.method)
                    time.sleep(
                        _backoff(retries, self.config.backoff, self.config.backoff_max, failure.retry_after)
                    )

            json_parts: list[str] = []

            def pieces(chunks: Any) -> Iterator[str]:
                for piece in extractor(chunks):
                    json_parts.append(piece)
                    yield piece

            try:
                partial_model: Any = Partial[response_model]
                yield from partial_model.from_streaming_response(seen.watch(stream), stream_extractor=pieces)
            except ValidationError as error:
                # instructor's own completeness check (no context): the reply is not the model's shape
                self._settle_stream(record, seen, started, estimate, "invalid", str(error))
                raise LLMValidationError(
                    attempts=len(records), usage=_sum(records), last_text=seen.text(), errors=str(error)
                ) from error
            except Exception as error:  # the connection broke mid-stream: not retried (partials shown)
                failure = classify(error)
                if failure is None:
                    raise
                self._settle_stream(record, seen, started, estimate, failure.outcome, failure.detail)
                raise LLMTransportError(
                    status=failure.status,
                    kind=failure.kind,
                    detail=failure.detail,
                    attempts=len(records),
                    usage=_sum(records),
                ) from error
            if seen.finish_reason == "length":
                self._settle_stream(record, seen, started, estimate, "truncated", "finish_reason=length")
                raise LLMTruncated(
                    attempts=len(records),
                    usage=_sum(records),
                    last_text=seen.text(),
                    max_tokens=self.config.max_tokens,
                )
            text = "".join(json_parts).strip() or seen.text()
            try:
                value = response_model.model_validate_json(text, context=context, strict=strict)
            except ValidationError as error:
                self._settle_stream(record, seen, started, estimate, "invalid", str(error))
                raise LLMValidationError(
                    attempts=len(records), usage=_sum(records), last_text=seen.text(), errors=str(error)
                ) from error
            self._settle_stream(record, seen, started, estimate, "ok", None)
            usage = _sum(records)
            completion = Completion(
                value=value,
                usage=usage,
                attempts=len(records),
                cache_hit=False,
                prompt_name=prompt.name,
                prompt_hash=prompt.sha256,
                model=self.model,
                mode=self.mode,
                cached_usage=usage,
                raw_text=seen.text(),
            )
            self._store(key, completion, len(records))
            yield value
            return completion
        finally:
            if stream is not None:
                stream.close()
            if records and records[-1].outcome == "pending":  # the caller stopped reading
                self._settle_stream(records[-1], seen, started, estimate, "abandoned", None)
            self._write_log(records, call_id, prompt)

    def _store(self, key: str, completion: Completion[Any], attempts: int) -> None:
        """Cache a validated answer (failures never reach here) under the call's key."""
        if self._cache is not None:
            self._cache.put(
                key,
                {
                    "value": completion.value.model_dump(mode="json"),
                    "usage": completion.usage.as_dict(),
                    "attempts": attempts,
                    "raw_text": completion.raw_text,
                    "model": self.model,
                    "mode": self.mode,
                    "prompt_name": completion.prompt_name,
                    "prompt_hash": completion.prompt_hash,
                },
            )

    def _write_log(self, records: list[AttemptRecord], call_id: str, prompt: Prompt) -> None:
        """One usage-log row per attempt of a call (nothing when logging is off or nothing was sent)."""
        if self._log is not None and records:
            self._log.write(
                records,
                call_id=call_id,
                model=self.model,
                mode=self.mode,
                base_url=self.config.base_url,
                prompt_name=prompt.name,
                prompt_hash=prompt.sha256,
            )

    def _settle_stream(
        self,
        record: AttemptRecord,
        seen: _StreamSeen,
        started: float,
        estimate: TokenCount,
        outcome: str,
        error: str | None,
    ) -> None:
        """Close one streamed attempt's record: latency, the reported usage (else the estimate counts
        against the run budget), outcome."""
        record.latency_ms = round((time.perf_counter() - started) * 1000)
        record.prompt_tokens, record.completion_tokens = seen.prompt_tokens, seen.completion_tokens
        self._charged += (
            seen.prompt_tokens + seen.completion_tokens
            if seen.usage_seen
            else estimate.count + (self.config.max_tokens or 0)
        )
        self.run_usage = self.run_usage + Usage(seen.prompt_tokens, seen.completion_tokens)
        record.outcome = outcome
        record.error = error[:500] if error else None

    def _attempt(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        context: dict[str, Any] | None,
        strict: bool,
        params: dict[str, Any],
        records: list[AttemptRecord],
        estimate: TokenCount,
    ) -> tuple[T, Any] | Failure:
        """One instructor run (one request plus its re-asks). Returns (value, raw completion), or the
        transport :class:`~nianbao.llm.transport.Failure`; raises the validation/truncation errors.
        Appends one record per request to ``records``."""
        from instructor.core import Hooks, IncompleteOutputException, InstructorRetryException

        from nianbao.llm.transport import classify

        client = self._client()
        started: list[float] = []
        first_new = len(records)

        def on_kwargs(*_args: Any, **_kwargs: Any) -> None:
            records.append(AttemptRecord(time=time.time(), attempt=len(records) + 1))
            started.append(time.perf_counter())

        def finish(record: AttemptRecord) -> None:
            record.latency_ms = round((time.perf_counter() - started[-1]) * 1000) if started else 0

        def on_response(response: Any) -> None:
            if not records:
                return
            record = records[-1]
            finish(record)
            usage = getattr(response, "usage", None)  # per request here: instructor sums it afterwards
            record.prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
            record.completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
            self._charged += (
                record.prompt_tokens + record.completion_tokens
                if usage is not None
                else estimate.count + (self.config.max_tokens or 0)
            )
            self.run_usage = self.run_usage + Usage(record.prompt_tokens, record.completion_tokens)
            record.outcome = "ok"
            if self.mode in _CONTENT_MODES:
                try:
                    message = response.choices[0].message
                    if isinstance(message.content, str):
                        message.content = strip_think(message.content)
                except (AttributeError, IndexError, TypeError):
                    pass

        def on_error(error: Exception, **_meta: Any) -> None:
            if not records:
                return
            record = records[-1]
            finish(record)
            failure = classify(error)
            record.outcome = failure.outcome if failure is not None else "error"
            record.error = str(error)[:500]

        def on_parse_error(error: Exception, **_meta: Any) -> None:
            if records:
                records[-1].outcome = "invalid"
                records[-1].error = str(error)[:500]

        hooks = Hooks()
        hooks.on("completion:kwargs", on_kwargs)
        hooks.on("completion:response", on_response)
        hooks.on("completion:error", on_error)
        hooks.on("parse:error", on_parse_error)
        send = (
            [{"role": m["role"], "content": _jinja_literal(m["content"])} for m in messages]
            if context
            else [dict(m) for m in messages]
        )
        try:
            value, raw = client.create_with_completion(
                response_model=response_model,
                messages=send,
                max_retries=self.config.validation_retries,
                context=context,
                strict=strict,
                hooks=hooks,
                **params,
            )
        except IncompleteOutputException as error:
            if len(records) > first_new:
                records[-1].outcome = "truncated"
            raise LLMTruncated(
                attempts=len(records),
                usage=_sum(records),
                last_text=_reply_text(getattr(error, "last_completion", None)),
                max_tokens=self.config.max_tokens,
            ) from error
        except InstructorRetryException as error:
            failure = classify(error)
            if failure is not None:
                if len(records) == first_new:  # the hooks did not see the request (should not happen)
                    records.append(AttemptRecord(time=time.time(), attempt=len(records) + 1))
                if records[-1].outcome in ("pending", "ok"):
                    records[-1].outcome = failure.outcome
                    records[-1].error = failure.detail
                return failure
            if not getattr(error, "failed_attempts", None):  # the request itself failed, not a reply
                cause = error.__cause__ or error
                raise LLMError(
                    f"The model request failed: {type(cause).__name__}: {cause}",
                    f"模型请求失败：{type(cause).__name__}: {cause}",
                    attempts=len(records),
                    usage=_sum(records),
                ) from error
            raise LLMValidationError(
                attempts=len(records),
                usage=_sum(records),
                last_text=_reply_text(error.last_completion),
                errors=str(error.__cause__ or error),
            ) from error
        except Exception as error:  # an openai error instructor did not wrap
            failure = classify(error)
            if failure is None:
                raise
            if len(records) == first_new:
                records.append(AttemptRecord(time=time.time(), attempt=len(records) + 1))
            records[-1].outcome = failure.outcome
            records[-1].error = failure.detail
            return failure
        return value, raw

    def _from_cache(
        self,
        key: str,
        response_model: type[T],
        context: dict[str, Any] | None,
        prompt: Prompt,
        call_id: str,
    ) -> Completion[T] | None:
        """A cached answer, validated again with this call's context (a changed model class or
        validator turns an old entry into a miss), logged as a cache-hit row."""
        if self._cache is None:
            return None
        entry = self._cache.get(key)
        if entry is None:
            return None
        try:
            value = response_model.model_validate(entry["value"], context=context)
        except ValidationError:
            return None
        cached = entry.get("usage") or {}
        if self._log is not None:
            self._log.write(
                [AttemptRecord(time=time.time(), attempt=0, cache_hit=True, outcome="cache_hit")],
                call_id=call_id,
                model=self.model,
                mode=self.mode,
                base_url=self.config.base_url,
                prompt_name=prompt.name,
                prompt_hash=prompt.sha256,
            )
        return Completion(
            value=value,
            usage=Usage(),
            attempts=0,
            cache_hit=True,
            prompt_name=prompt.name,
            prompt_hash=prompt.sha256,
            model=self.model,
            mode=self.mode,
            cached_usage=Usage(int(cached.get("prompt_tokens", 0)), int(cached.get("completion_tokens", 0))),
            raw_text=entry.get("raw_text"),
        )


class _StreamSeen:
    """What passed through a stream: the reply text (content or tool-call arguments), the finish
    reason and the usage chunk."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.finish_reason: str | None = None
        self.usage_seen = False
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def watch(self, stream: Any) -> Iterator[Any]:
        for chunk in stream:
            usage = getattr(chunk, "usage", None)
            if usage is not None:
                self.usage_seen = True
                self.prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
                self.completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
            for choice in getattr(chunk, "choices", None) or []:
                if getattr(choice, "finish_reason", None):
                    self.finish_reason = choice.finish_reason
                delta = getattr(choice, "delta", None)
                content = getattr(delta, "content", None)
                if isinstance(content, str):
                    self.parts.append(content)
                for call in getattr(delta, "tool_calls", None) or []:
                    arguments = getattr(getattr(call, "function", None), "arguments", None)
                    if isinstance(arguments, str):
                        self.parts.append(arguments)
            yield chunk

    def text(self) -> str:
        return strip_think("".join(self.parts))


def _yield_once(completion: Completion[T]) -> Generator[T, None, Completion[T]]:
    yield completion.value
    return completion


def _plain(model: type[T], value: T) -> T:
    """An instance of exactly ``model`` with the validated fields of instructor's result (which is a
    dynamic subclass carrying the raw response), without running the validators a second time (a
    validator may record what it dropped in the context)."""
    if type(value) is model:
        return value
    plain = model.model_construct(
        _fields_set=set(value.model_fields_set),
        **{name: getattr(value, name) for name in model.model_fields if hasattr(value, name)},
        **(value.__pydantic_extra__ or {}),
    )
    private = getattr(value, "__pydantic_private__", None)
    if private:
        object.__setattr__(plain, "__pydantic_private__", dict(private))
    return plain


def _sum(records: list[AttemptRecord]) -> Usage:
    total = Usage()
    for r in records:
        total = total + Usage(r.prompt_tokens, r.completion_tokens)
    return total


def _backoff(retry: int, base: float, cap: float, retry_after: float | None) -> float:
    from nianbao.llm.transport import backoff_delay

    return backoff_delay(retry, base=base, cap=cap, retry_after=retry_after)
