"""Token counting offline: tiktoken only from a file already on disk (hash-checked), never a download;
otherwise a labelled estimate."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from nianbao.llm import count_tokens
from nianbao.llm import tokens as tokens_module
from nianbao.llm.tokens import ESTIMATE_METHOD, count_message_tokens, estimate_tokens

SAMPLE = "2024年，本机关主动公开政府信息1,234条。The office published 1,234 items."


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    tokens_module._load_encoding.cache_clear()


@pytest.fixture
def no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """tiktoken's own loaders must never be reached (they would download)."""
    import tiktoken
    import tiktoken.load

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tiktoken tried to fetch an encoding")

    monkeypatch.setattr(tiktoken, "get_encoding", refuse)
    monkeypatch.setattr(tiktoken, "encoding_for_model", refuse)
    monkeypatch.setattr(tiktoken.load, "read_file", refuse)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", refuse)


def test_estimate_counts_cjk_as_one_and_the_rest_by_three() -> None:
    assert estimate_tokens("政府信息公开") == 6
    assert estimate_tokens("abcdef") == 2
    assert estimate_tokens("，。（）１２") == 6  # full-width punctuation and digits count as CJK
    assert estimate_tokens("") == 0
    # Never below the number of CJK characters, never above the UTF-8 byte count.
    assert 24 <= estimate_tokens(SAMPLE) <= len(SAMPLE.encode())


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4", "qwen-plus", "deepseek-chat", None])
def test_without_an_encoding_file_it_is_a_labelled_estimate(
    tmp_path: Path, model: str | None, no_download: None
) -> None:
    counted = count_tokens(SAMPLE, model, cache_dir=tmp_path)
    assert (counted.exact, counted.method) == (False, ESTIMATE_METHOD)
    assert counted.count == estimate_tokens(SAMPLE)


def test_a_file_with_the_wrong_hash_is_ignored_and_kept(tmp_path: Path, no_download: None) -> None:
    url = tokens_module._KNOWN["o200k_base"][0]
    bogus = tmp_path / hashlib.sha1(url.encode()).hexdigest()
    bogus.write_text("not a vocabulary\n")
    configured = tmp_path / "o200k_base.tiktoken"
    configured.write_text("also not\n")
    counted = count_tokens(SAMPLE, "gpt-4o", cache_dir=tmp_path, tiktoken_file=configured)
    assert not counted.exact
    assert bogus.exists() and configured.exists()  # tiktoken would have deleted the cache file


def _byte_vocabulary(path: Path) -> str:
    """A tiny valid .tiktoken file (one token per byte); returns its SHA-256."""
    lines = [f"{base64.b64encode(bytes([i])).decode()} {i}" for i in range(256)]
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("where", ["configured_file", "tiktoken_cache_dir"])
def test_an_offline_file_gives_exact_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_download: None, where: str
) -> None:
    url, _ = tokens_module._KNOWN["o200k_base"]
    if where == "configured_file":
        path = tmp_path / "vocab.tiktoken"
        kwargs = {"tiktoken_file": path, "cache_dir": tmp_path / "empty"}
    else:
        path = tmp_path / hashlib.sha1(url.encode()).hexdigest()
        kwargs = {"cache_dir": tmp_path}
    digest = _byte_vocabulary(path)
    monkeypatch.setitem(tokens_module._KNOWN, "o200k_base", (url, digest))
    counted = count_tokens(SAMPLE, "gpt-4o-mini", **kwargs)  # type: ignore[arg-type]
    assert counted.exact and counted.method == "tiktoken:o200k_base"
    assert counted.count == len(SAMPLE.encode())  # one token per byte with this vocabulary
    # Not an OpenAI model: its own tokenizer is unknown, so still an estimate.
    assert not count_tokens(SAMPLE, "qwen-max", **kwargs).exact  # type: ignore[arg-type]


def test_the_decision_is_memoised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    for _ in range(5):
        count_tokens(SAMPLE, "gpt-4o", cache_dir=tmp_path)
    assert len(reads) <= 1


def test_message_count_adds_framing_and_schema() -> None:
    messages = [{"role": "system", "content": "系统"}, {"role": "user", "content": "用户"}]
    counted = count_message_tokens(messages, "qwen-plus", extra_text='{"type":"object"}')
    assert counted.count == 4 + estimate_tokens('{"type":"object"}') + 4 * 2 + 3
