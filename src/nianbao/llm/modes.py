"""Which output mode to use with which backend, and removal of ``<think>`` blocks.

Modes (instructor's, for OpenAI-compatible servers):

- ``tools``: a function tool with a *named* ``tool_choice``. Best where it works (OpenAI, DeepSeek chat,
  Qwen on DashScope, Kimi, vLLM); rejected or ignored by thinking models (deepseek-reasoner), GLM
  (only ``tool_choice=auto``), LM Studio and many llama.cpp/Ollama models.
- ``json_schema``: ``response_format={"type": "json_schema"}``; bare JSON back (vLLM, llama.cpp, LM Studio,
  OpenAI).
- ``md_json``: the schema in the system prompt and a JSON block in the reply; the most tolerant (prose,
  fences, and a ``<think>`` preamble all survive), so the default for thinking models and local servers.
- ``json``: ``response_format={"type": "json_object"}``; bare JSON back (GLM, Kimi, DeepSeek JSON Output).

The automatic choice is a heuristic on the model name and the URL (documented in the README, overridden
by NIANBAO_MODE or ``LLMConfig(mode=...)``; ``nianbao llm probe`` measures what actually works).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["THINKING_MODEL", "choose_mode", "strip_think"]

#: Model names known to write a ``<think>…</think>`` block (or a reasoning preamble) before the answer,
#: and to reject a forced tool choice.
THINKING_MODEL = re.compile(
    r"deepseek-r1|deepseek-reasoner|\bqwq|qwen3(?!.*(?:instruct|coder|max))|glm-z1|glm-4\.[5-9]|"
    r"kimi.*think|think|reason|\br1\b|-r1[-:]|magistral",
    re.IGNORECASE,
)

# Hosts and ports of servers that do not honour a named tool choice reliably.
_MD_JSON_HOSTS = ("bigmodel.cn", "z.ai")  # Zhipu GLM: tool_choice=auto only
_MD_JSON_PORTS = {
    11434: "Ollama",
    8080: "llama.cpp llama-server",
    1234: "LM Studio",
}


def choose_mode(model: str | None, base_url: str | None) -> tuple[str, str]:
    """(mode, reason in English and Chinese) for a model on a server, when no mode is configured."""
    name = model or ""
    if THINKING_MODEL.search(name):
        return "md_json", f"thinking model {name!r} (writes <think>, rejects forced tool choice) / 推理模型"
    host, port, path = "", None, ""
    if base_url:
        parts = urlsplit(base_url)
        host, path = (parts.hostname or "").lower(), parts.path.lower()
        try:
            port = parts.port
        except ValueError:
            port = None
    if any(host == h or host.endswith("." + h) for h in _MD_JSON_HOSTS) or name.lower().startswith("glm"):
        return "md_json", "Zhipu GLM (named tool_choice not honoured) / 智谱 GLM 不支持指定工具"
    if port in _MD_JSON_PORTS:
        server = _MD_JSON_PORTS[port]
        return "md_json", f"port {port}: probably {server} (tool calling depends on the model) / 本地服务"
    if "ollama" in host or "ollama" in path or "lmstudio" in host:
        return "md_json", "Ollama / LM Studio URL / 本地服务"
    return "tools", "default: named tool choice / 默认：工具调用"


_THINK_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</(?:think|thinking|reasoning)>", re.IGNORECASE)
_THINK_OPEN = re.compile(r"<(?:think|thinking|reasoning)>", re.IGNORECASE)


def strip_think(text: str) -> str:
    """The reply without reasoning blocks: every ``<think>…</think>`` removed; text up to a lone closing
    tag removed (servers whose chat template puts the opening tag in the prompt); an unclosed block at
    the end (the model was cut off while thinking) removed."""
    out = _THINK_BLOCK.sub("", text)
    closes = list(_THINK_CLOSE.finditer(out))
    if closes:
        out = out[closes[-1].end() :]
    opened = _THINK_OPEN.search(out)
    if opened:
        out = out[: opened.start()]
    return out.strip() if out != text else text
