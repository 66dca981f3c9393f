"""The socket guard in conftest.py works: loopback is allowed, anything else fails the test."""

from __future__ import annotations

import socket

import pytest

from conftest import NetworkBlocked
from fake_openai import FakeOpenAI, completion


def test_outside_connection_is_blocked() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(NetworkBlocked):
        s.connect(("93.184.216.34", 443))


def test_name_resolution_is_blocked() -> None:
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("api.openai.com", 443)


def test_loopback_server_is_reachable() -> None:
    import json
    import urllib.request

    with FakeOpenAI([completion(content='{"ok": true}')]) as server:
        request = urllib.request.Request(
            server.base_url + "/chat/completions",
            data=json.dumps({"model": "m", "messages": []}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = json.loads(response.read())
    assert body["choices"][0]["message"]["content"] == '{"ok": true}'
    assert server.requests[0]["body"]["model"] == "m"
