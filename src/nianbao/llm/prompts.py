"""Prompt files: Jinja templates under the repository's ``prompts/`` folder (shipped in the wheel as the
``nianbao.prompts`` package), one file per task, ``<name>.jinja``.

A file holds its messages as Jinja blocks: ``{% block system %}…{% endblock %}`` (optional) and
``{% block user %}…{% endblock %}`` (required); text outside the blocks is ignored, so a file can start
with a ``{# comment #}`` saying what the prompt is for. ``{% extends "base.jinja" %}`` and
``{% include %}`` work; the prompt's hash covers the file and every file it references. Variables the
caller did not pass are errors (StrictUndefined), never silently empty.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from nianbao.llm.errors import PromptError

__all__ = ["Prompt", "load_prompt", "prompts_dir"]

SUFFIX = ".jinja"
ROLES = ("system", "user")


def prompts_dir() -> Path:
    """The installed ``nianbao.prompts`` package folder, or ``prompts/`` in a source checkout."""
    spec = importlib.util.find_spec("nianbao.prompts")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    here = Path(__file__).resolve()
    checkout = here.parents[3] / "prompts"  # src/nianbao/llm/prompts.py → <repo>/prompts
    if here.parents[2].name == "src" and checkout.is_dir():
        return checkout
    raise PromptError(
        "The prompts folder was not found (neither the nianbao.prompts package nor a checkout's prompts/).",
        "找不到提示词目录（既无 nianbao.prompts 包，也无源码目录下的 prompts/）。",
    )


@lru_cache(maxsize=8)
def _environment(directory: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt file: ``name`` (file name without ``.jinja``), ``sha256`` of its text and of the
    files it references, and :meth:`render` → chat messages."""

    name: str
    path: Path
    sha256: str
    template: jinja2.Template = field(repr=False, compare=False)
    parents: tuple[jinja2.Template, ...] = field(default=(), repr=False, compare=False)

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Messages ``[{"role": "system", …}, {"role": "user", …}]``, each block's text stripped.
        A variable used but not given raises :class:`PromptError`."""
        try:
            context = self.template.new_context(dict(variables))
            for parent in self.parents:  # what Jinja does when it renders an {% extends %} chain
                for block_name, parent_block in parent.blocks.items():
                    context.blocks.setdefault(block_name, []).append(parent_block)
            messages = []
            for role in ROLES:
                stack = context.blocks.get(role)
                if not stack:
                    continue
                text = "".join(stack[0](context)).strip()
                if text:
                    messages.append({"role": role, "content": text})
        except jinja2.UndefinedError as error:
            raise PromptError(
                f"Prompt {self.name!r}: {error} (pass every variable the prompt uses)",
                f"提示词「{self.name}」缺少变量：{error}",
            ) from error
        except jinja2.TemplateError as error:
            raise PromptError(
                f"Prompt {self.name!r}: {error}", f"提示词「{self.name}」出错：{error}"
            ) from error
        if not any(m["role"] == "user" for m in messages):
            raise PromptError(
                f"Prompt {self.name!r} renders no user message (a {{% block user %}} is required)",
                f"提示词「{self.name}」没有用户消息（须有 {{% block user %}}）",
            )
        return messages


def _referenced(env: jinja2.Environment, name: str, seen: set[str]) -> list[str]:
    """``name`` and every template it extends, includes or imports, recursively (for the hash)."""
    if name in seen:
        return []
    seen.add(name)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    out = [name]
    for ref in jinja2.meta.find_referenced_templates(env.parse(source)):
        if ref is not None:
            out.extend(_referenced(env, ref, seen))
    return out


def _parents(env: jinja2.Environment, name: str) -> tuple[jinja2.Template, ...]:
    """The templates ``name`` extends, nearest first (a constant ``{% extends "x.jinja" %}`` only)."""
    out: list[jinja2.Template] = []
    seen = {name}
    while True:
        assert env.loader is not None
        source, _, _ = env.loader.get_source(env, name)
        node = env.parse(source).find(jinja2.nodes.Extends)
        if node is None or not isinstance(node.template, jinja2.nodes.Const):
            return tuple(out)
        name = str(node.template.value)
        if name in seen:
            return tuple(out)
        seen.add(name)
        out.append(env.get_template(name))


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """The prompt ``<name>.jinja`` from ``directory`` (default :func:`prompts_dir`)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise PromptError(f"Bad prompt name {name!r}", f"提示词名称有误：{name!r}")
    directory = (directory or prompts_dir()).resolve()
    env = _environment(directory)
    filename = name + SUFFIX
    try:
        template = env.get_template(filename)
        parents = _parents(env, filename)
        digest = hashlib.sha256()
        for ref in _referenced(env, filename, set()):
            digest.update(ref.encode("utf-8") + b"\0")
            digest.update((directory / ref).read_bytes() + b"\0")
    except jinja2.TemplateNotFound as error:
        raise PromptError(
            f"No prompt file {error.name!r} in {directory}",
            f"找不到提示词文件 {error.name!r}（目录 {directory}）",
        ) from error
    except jinja2.TemplateSyntaxError as error:
        raise PromptError(
            f"Prompt {name!r} has a Jinja syntax error at line {error.lineno}: {error.message}",
            f"提示词「{name}」第{error.lineno}行 Jinja 语法错误：{error.message}",
        ) from error
    return Prompt(
        name=name, path=directory / filename, sha256=digest.hexdigest(), template=template, parents=parents
    )
