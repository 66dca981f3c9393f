"""Shared test helpers: paths to fixtures and to the real-report corpus beside the checkout, and a
guard that fails any test opening a network connection other than to this machine (127.0.0.1, ::1,
Unix sockets): tests never touch the internet, and the LLM tests talk to tests/fake_openai.py."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus_paths import CORPUS


@pytest.fixture
def corpus() -> Path:
    """The directory of real reports (../shared/corpus); skips the test with a reason when absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real-report corpus not found at {CORPUS} (CI has ../shared beside the checkout)")
    return CORPUS


class NetworkBlocked(RuntimeError):
    """Raised by the socket guard: a test tried to reach a host that is not this machine."""


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # Unix sockets and the like
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be a network request


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every test runs with outgoing connections limited to loopback; the attempts are recorded."""
    attempts: list[Any] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            raise NetworkBlocked(f"test tried to connect to {address!r}; tests may only use 127.0.0.1")
        return original_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            raise NetworkBlocked(f"test tried to connect to {address!r}; tests may only use 127.0.0.1")
        return original_connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _is_loopback((host,)):
            attempts.append(host)
            raise NetworkBlocked(f"test tried to resolve {host!r}; tests may only use 127.0.0.1")
        return original_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    # A proxy in the environment would send even 127.0.0.1 requests to the proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost,::1")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost,::1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield attempts


@pytest.fixture(autouse=True)
def _isolated_model_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test sees the developer's model endpoint or key, or shares a response cache or usage log with
    another run: every test starts unconfigured, with its own cache and log."""
    import os

    for name in list(os.environ):
        if name.startswith(("NIANBAO_", "OPENAI_")):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("llm-home")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("NIANBAO_LOG", str(home / "usage.sqlite"))
