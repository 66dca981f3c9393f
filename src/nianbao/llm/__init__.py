"""The model layer: any OpenAI-compatible model behind one adapter (the only package that imports
openai, instructor and tiktoken). Nothing is sent unless an endpoint is configured.

    from nianbao.llm import LLM, LLMConfig
    with LLM(LLMConfig.from_env()) as llm:
        result = llm.structured("extract_part", {"text": text}, Facts, context={"source": text})

openai and instructor are imported only when the first request is made.
"""

from __future__ import annotations

from nianbao.llm.client import LLM
from nianbao.llm.config import MODES, LLMConfig
from nianbao.llm.errors import (
    ConfigError,
    DryRunCall,
    LLMError,
    LLMNotConfigured,
    LLMTransportError,
    LLMTruncated,
    LLMValidationError,
    PromptError,
    TokenBudgetExceeded,
)
from nianbao.llm.modes import choose_mode, strip_think
from nianbao.llm.prompts import Prompt, load_prompt
from nianbao.llm.results import Completion, PlannedCall, Usage, format_planned
from nianbao.llm.tokens import TokenCount, count_message_tokens, count_tokens

__all__ = [
    "LLM",
    "MODES",
    "Completion",
    "ConfigError",
    "DryRunCall",
    "LLMConfig",
    "LLMError",
    "LLMNotConfigured",
    "LLMTransportError",
    "LLMTruncated",
    "LLMValidationError",
    "PlannedCall",
    "Prompt",
    "PromptError",
    "TokenBudgetExceeded",
    "TokenCount",
    "Usage",
    "choose_mode",
    "count_message_tokens",
    "count_tokens",
    "format_planned",
    "load_prompt",
    "strip_think",
]
