"""A real OpenAI-compatible HTTP server on 127.0.0.1 that replays scripted responses (for LLM tests).

Tests never reach the internet: the model layer is pointed at this server's ``base_url``. Each request
to ``/v1/chat/completions`` takes the next scripted :class:`Reply` (or a plain completion dict, sent as
200); every request body is kept in ``requests`` so a test can assert what was sent (mode, re-asks).
Requests beyond the script get a 500 with "no scripted response", so a test that sends more than it
expects fails loudly. ``streamed(content=... | tool_args=..., chunks=N)`` scripts a ``stream=True`` reply:
an SSE body (``text/event-stream``) of ``chat.completion.chunk`` events, written piece by piece.

    with FakeOpenAI([completion(tool_args={...}), Reply(status=429), completion(content="{...}")]) as srv:
        config = LLMConfig(base_url=srv.base_url, model="fake", api_key="test")
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def completion(
    content: str | None = None,
    *,
    tool_args: Any = None,
    tool_name: str = "Response",
    finish_reason: str | None = None,
    model: str = "fake-model",
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
) -> dict[str, Any]:
    """A chat.completion body: text ``content`` (JSON modes) or one tool call with ``tool_args`` (TOOLS)."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    finish = "stop"
    if tool_args is not None:
        arguments = tool_args if isinstance(tool_args, str) else json.dumps(tool_args, ensure_ascii=False)
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": tool_name, "arguments": arguments}}
        ]
        finish = "tool_calls"
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": finish_reason or finish, "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _split(text: str, chunks: int) -> list[str]:
    """``text`` in ``chunks`` pieces of about equal length (fewer when it is shorter), none empty."""
    chunks = max(1, min(chunks, len(text)))
    size, extra = divmod(len(text), chunks)
    out, start = [], 0
    for i in range(chunks):
        end = start + size + (1 if i < extra else 0)
        out.append(text[start:end])
        start = end
    return out


def streamed(
    content: str | None = None,
    *,
    tool_args: Any = None,
    tool_name: str = "Response",
    chunks: int = 8,
    finish_reason: str | None = None,
    model: str = "fake-model",
    prompt_tokens: int | None = 10,
    completion_tokens: int = 5,
    interval: float = 0.0,
) -> Reply:
    """A streamed chat completion (``stream=True``): an SSE body of ``chat.completion.chunk`` events
    splitting ``content`` (JSON modes) or the tool call's ``tool_args`` (TOOLS; the first chunk carries
    the call's id and name, later ones only ``function.arguments`` pieces) into ``chunks`` pieces, then
    a chunk with the finish reason, then (unless ``prompt_tokens`` is None) a usage chunk with no
    choices (what ``stream_options={"include_usage": true}`` gives), then ``data: [DONE]``."""

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    events: list[dict[str, Any]] = []
    finish = "stop"
    if tool_args is not None:
        arguments = tool_args if isinstance(tool_args, str) else json.dumps(tool_args, ensure_ascii=False)
        for i, piece in enumerate(_split(arguments, chunks)):
            call: dict[str, Any] = {"index": 0, "function": {"arguments": piece}}
            if i == 0:
                call.update(id="call_1", type="function")
                call["function"]["name"] = tool_name
            delta: dict[str, Any] = {"tool_calls": [call]}
            if i == 0:
                delta.update(role="assistant", content=None)
            events.append(chunk(delta))
        finish = "tool_calls"
    else:
        for i, piece in enumerate(_split(content or "", chunks) if content else []):
            events.append(chunk({"role": "assistant", "content": piece} if i == 0 else {"content": piece}))
    events.append(chunk({}, finish_reason or finish))
    if prompt_tokens is not None:
        usage = chunk({})
        usage["choices"] = []
        usage["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        events.append(usage)
    pieces = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n".encode() for e in events]
    pieces.append(b"data: [DONE]\n\n")
    return Reply(body=b"".join(pieces), content_type="text/event-stream", pieces=pieces, interval=interval)


@dataclass
class Reply:
    """One scripted HTTP reply: a status, a JSON body (or raw bytes), headers, and a delay before it."""

    status: int = 200
    body: Any = None  # dict → JSON; bytes → sent as is; None → an OpenAI-style error for non-200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a timeout test sets it above the client's)
    content_type: str = "application/json"  # "text/event-stream" for a streamed reply (see streamed())
    pieces: list[bytes] | None = None  # a streamed body, written (and flushed) one piece at a time
    interval: float = 0.0  # seconds between pieces

    def payload(self) -> bytes:
        if self.pieces is not None:
            return b"".join(self.pieces)
        if isinstance(self.body, bytes):
            return self.body
        body = self.body
        if body is None and self.status != 200:
            body = {"error": {"message": f"scripted {self.status}", "type": "server_error", "code": None}}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


class FakeOpenAI:
    """The server; use as a context manager. ``requests`` holds every request's path and JSON body."""

    def __init__(self, replies: list[Reply | dict[str, Any]]) -> None:
        self.replies: list[Reply] = [r if isinstance(r, Reply) else Reply(body=r) for r in replies]
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                with outer._lock:
                    outer.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                    ok = self.path.rstrip("/").endswith("/chat/completions") and outer.replies
                    reply = (
                        outer.replies.pop(0)
                        if ok
                        else Reply(status=500, body={"error": {"message": "no scripted response"}})
                    )
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.payload()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    for piece in reply.pieces if reply.pieces is not None else [data]:
                        self.wfile.write(piece)
                        self.wfile.flush()
                        if reply.interval:
                            time.sleep(reply.interval)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

            def do_GET(self) -> None:
                data = json.dumps(
                    {"object": "list", "data": [{"id": "fake-model", "object": "model"}]}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        # A short poll interval: the default 0.5 s makes every shutdown() wait up to half a second.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
