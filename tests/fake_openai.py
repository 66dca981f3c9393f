"""A real OpenAI-compatible HTTP server on 127.0.0.1 that replays scripted responses (for LLM tests).

Tests never reach the internet: the model layer is pointed at this server's ``base_url``. Each request
to ``/v1/chat/completions`` takes the next scripted :class:`Reply` (or a plain completion dict, sent as
200); every request body is kept in ``requests`` so a test can assert what was sent (mode, re-asks).
Requests beyond the script get a 500 with "no scripted response", so a test that sends more than it
expects fails loudly.

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


@dataclass
class Reply:
    """One scripted HTTP reply: a status, a JSON body (or raw bytes), headers, and a delay before it."""

    status: int = 200
    body: Any = None  # dict → JSON; bytes → sent as is; None → an OpenAI-style error for non-200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a timeout test sets it above the client's)

    def payload(self) -> bytes:
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
                    self.send_header("Content-Type", "application/json")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
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
