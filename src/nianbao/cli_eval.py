"""`nianbao eval …`: drafting and checker evals. Imports nianbao.evals only inside commands."""

from __future__ import annotations

import typer

eval_app = typer.Typer(
    name="eval",
    help="Measure drafting and checking against reference reports. 评测起草和检查的准确度。",
    no_args_is_help=True,
)
