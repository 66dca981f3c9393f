"""The automatic mode choice per backend and the removal of <think> blocks."""

from __future__ import annotations

import pytest

from nianbao.llm import choose_mode, strip_think


@pytest.mark.parametrize(
    ("model", "base_url", "mode"),
    [
        ("gpt-4o-mini", "https://api.openai.com/v1", "tools"),
        ("deepseek-chat", "https://api.deepseek.com/v1", "tools"),
        ("deepseek-reasoner", "https://api.deepseek.com/v1", "md_json"),
        ("deepseek-r1:14b", "http://10.1.2.3:8000/v1", "md_json"),
        ("DeepSeek-R1-Distill-Qwen-32B", "http://10.1.2.3:8000/v1", "md_json"),
        ("qwen-plus", "https://dashscope.aliyuncs.com/compatible-mode/v1", "tools"),
        ("qwq-32b", "https://dashscope.aliyuncs.com/compatible-mode/v1", "md_json"),
        ("qwen3-32b", "http://10.1.2.3:8000/v1", "md_json"),
        ("Qwen3-235B-A22B-Instruct-2507", "http://10.1.2.3:8000/v1", "tools"),
        ("qwen3-max", "https://dashscope.aliyuncs.com/compatible-mode/v1", "tools"),
        ("glm-4-plus", "https://open.bigmodel.cn/api/paas/v4", "md_json"),
        ("glm-z1-air", "https://open.bigmodel.cn/api/paas/v4", "md_json"),
        ("moonshot-v1-8k", "https://api.moonshot.cn/v1", "tools"),
        ("kimi-k2-thinking", "https://api.moonshot.cn/v1", "md_json"),
        ("qwen2.5:7b", "http://localhost:11434/v1", "md_json"),
        ("qwen2.5-7b-instruct", "http://127.0.0.1:8080/v1", "md_json"),
        ("Qwen2.5-72B-Instruct", "http://10.1.2.3:8000/v1", "tools"),
    ],
)
def test_choose_mode(model: str, base_url: str, mode: str) -> None:
    chosen, reason = choose_mode(model, base_url)
    assert chosen == mode, reason
    assert reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('<think>想一想 {"a": 0}</think>\n{"a": 1}', '{"a": 1}'),
        ('<THINK>\n多行\n推理\n</THINK>```json\n{"a": 1}\n```', '```json\n{"a": 1}\n```'),
        ('推理在模板里开始了……</think>\n{"a": 1}', '{"a": 1}'),
        ('{"a": 1}<think>还没想完', '{"a": 1}'),
        ('<think>a</think><think>b</think>{"a": 1}', '{"a": 1}'),
    ],
)
def test_strip_think(text: str, expected: str) -> None:
    assert strip_think(text) == expected
