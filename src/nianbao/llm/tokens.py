"""Token counting that never downloads: tiktoken where its encoding file is already on this machine,
otherwise a clearly labelled conservative estimate.

tiktoken 0.14 ships no encoding files; ``get_encoding`` downloads them with ``requests`` and no timeout
(a silent hang on a network that drops packets) and deletes a cached file whose hash does not match
before downloading again. So this module never calls ``get_encoding``: it looks for the file itself
(``NIANBAO_TIKTOKEN_FILE`` / ``LLMConfig.tiktoken_file``, or ``$TIKTOKEN_CACHE_DIR/sha1(url)``), checks its
SHA-256, and builds the encoding from it. The decision is memoised per (encoding, file).

Exact counts are only claimed for OpenAI models whose encoding tiktoken knows (``gpt-4o`` → o200k_base).
Qwen, DeepSeek, GLM and Kimi use their own tokenizers, so for them the count is always an estimate:
CJK characters × 1 + other characters ÷ 3, rounded up — above what those tokenizers report for
Chinese government prose (about 0.6–0.9 tokens per character), so budgets err on the safe side.
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ESTIMATE_METHOD", "TokenCount", "count_message_tokens", "count_tokens", "encoding_for"]

ESTIMATE_METHOD = "estimate:cjk×1+other÷3"

_BASE = "https://openaipublic.blob.core.windows.net/encodings/"
# name → (download URL, expected SHA-256 of the file), as in tiktoken_ext/openai_public.py (0.14.0).
_KNOWN: dict[str, tuple[str, str]] = {
    "cl100k_base": (
        _BASE + "cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        _BASE + "o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}
_PATTERNS: dict[str, str] = {
    "cl100k_base": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
    "o200k_base": "|".join(
        [
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""\p{N}{1,3}""",
            r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
            r"""\s*[\r\n]+""",
            r"""\s+(?!\S)""",
            r"""\s+""",
        ]
    ),
}
_SPECIALS: dict[str, dict[str, int]] = {
    "cl100k_base": {
        "<|endoftext|>": 100257,
        "<|fim_prefix|>": 100258,
        "<|fim_middle|>": 100259,
        "<|fim_suffix|>": 100260,
        "<|endofprompt|>": 100276,
    },
    "o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
}


@dataclass(frozen=True)
class TokenCount:
    """A token count; ``exact`` False means a conservative estimate (``method`` says which)."""

    count: int
    exact: bool
    method: str


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x2FFFF  # extensions B–F, compatibility supplement
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation (、。「」〔〕)
        or 0xFF00 <= o <= 0xFFEF  # full-width forms (，：；（）０-９)
        or 0x2E80 <= o <= 0x2FDF  # radicals
        or 0x3100 <= o <= 0x31BF  # bopomofo
    )


def estimate_tokens(text: str) -> int:
    """CJK characters × 1 + other characters ÷ 3, rounded up (see the module docstring)."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    return cjk + math.ceil((len(text) - cjk) / 3)


def encoding_name(model: str | None) -> str | None:
    """tiktoken's encoding for an OpenAI model name (works offline), None for other models."""
    if not model:
        return None
    try:
        import tiktoken.model

        name = tiktoken.model.encoding_name_for_model(model)
    except (KeyError, ImportError):
        return None
    return name if name in _KNOWN else None


def _cache_dir(explicit: Path | None) -> Path | None:
    """tiktoken's own cache directory rule: $TIKTOKEN_CACHE_DIR, $DATA_GYM_CACHE_DIR, $TMPDIR/data-gym-cache."""
    if explicit is not None:
        return explicit
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        value = os.environ.get(var)
        if value is not None:
            return Path(value) if value else None
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def _candidate_files(name: str, tiktoken_file: Path | None, cache_dir: Path | None) -> list[Path]:
    url, _ = _KNOWN[name]
    out = []
    if tiktoken_file is not None:
        out.append(tiktoken_file)
    directory = _cache_dir(cache_dir)
    if directory is not None:
        out.append(directory / hashlib.sha1(url.encode()).hexdigest())
    return out


_lock = threading.Lock()


@lru_cache(maxsize=16)
def _load_encoding(name: str, files: tuple[Path, ...]) -> Any | None:
    """The tiktoken Encoding built from the first file whose SHA-256 matches, or None (memoised)."""
    _, expected = _KNOWN[name]
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != expected:
            continue
        import tiktoken

        ranks = {
            base64.b64decode(token): int(rank)
            for token, rank in (line.split() for line in data.splitlines() if line)
        }
        return tiktoken.Encoding(
            name=name, pat_str=_PATTERNS[name], mergeable_ranks=ranks, special_tokens=_SPECIALS[name]
        )
    return None


def encoding_for(
    model: str | None, *, tiktoken_file: Path | None = None, cache_dir: Path | None = None
) -> Any | None:
    """The offline tiktoken encoding for ``model``, or None (then counts are estimates)."""
    name = encoding_name(model)
    if name is None:
        return None
    files = tuple(_candidate_files(name, tiktoken_file, cache_dir))
    with _lock:
        return _load_encoding(name, files)


def count_tokens(
    text: str,
    model: str | None = None,
    *,
    tiktoken_file: Path | None = None,
    cache_dir: Path | None = None,
) -> TokenCount:
    """Tokens of ``text`` for ``model``: exact with tiktoken when the model is an OpenAI model and its
    encoding file is available offline, otherwise a labelled conservative estimate. Never downloads."""
    encoding = encoding_for(model, tiktoken_file=tiktoken_file, cache_dir=cache_dir)
    if encoding is not None:
        return TokenCount(
            len(encoding.encode(text, disallowed_special=())), True, f"tiktoken:{encoding.name}"
        )
    return TokenCount(estimate_tokens(text), False, ESTIMATE_METHOD)


def count_message_tokens(
    messages: Sequence[Mapping[str, Any]],
    model: str | None = None,
    *,
    extra_text: str = "",
    tiktoken_file: Path | None = None,
    cache_dir: Path | None = None,
) -> TokenCount:
    """Tokens of a chat request: each message's content plus 4 tokens of framing per message and 3 for
    the reply's start (OpenAI's published rule of thumb), plus ``extra_text`` (the response schema that
    instructor sends as a tool or in the system message)."""
    text = "".join(str(m.get("content") or "") for m in messages) + extra_text
    counted = count_tokens(text, model, tiktoken_file=tiktoken_file, cache_dir=cache_dir)
    return TokenCount(counted.count + 4 * len(messages) + 3, counted.exact, counted.method)
