"""`nianbao llm …` commands (probe, log). Imports nianbao.llm only inside commands, so that
`nianbao check` never loads openai or instructor."""

from __future__ import annotations

import typer

llm_app = typer.Typer(
    name="llm",
    help="The model layer: probe a configured server, show the usage log. 模型接口：探测服务、查看用量。",
    no_args_is_help=True,
)
