"""Deterministic rules: pure functions of (Report, Context) → findings. No model, no network."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.errors import ConfigError
from nianbao.model.finding import Finding
from nianbao.model.report import Report
from nianbao.rules import families as _families  # noqa: F401  (imports every rule module, which registers)
from nianbao.rules.base import REGISTRY, CheckConfig, Context, Rule
from nianbao.rules.shared import sharing

__all__ = ["REGISTRY", "CheckConfig", "Context", "Rule", "all_rules", "run_rules"]


def all_rules() -> list[type[Rule]]:
    """Every registered rule class, ordered by code."""
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def run_rules(report: Report, ctx: Context | None = None, *, only: Iterable[str] | None = None) -> list[Finding]:
    """Run every rule (or ``only`` those codes) and return the findings in a stable order."""
    ctx = ctx or Context()
    unknown = [c for c in ctx.config.ignore if c not in REGISTRY]
    if unknown:
        raise ConfigError(
            f"unknown rule code(s): {', '.join(sorted(unknown))}",
            f"未知的规则代码：{'、'.join(sorted(unknown))}",
        )
    codes = sorted(only) if only is not None else sorted(REGISTRY)
    findings: list[Finding] = []
    with sharing():  # what several rules derive from the report is computed once for the run
        for code in codes:
            if code in ctx.config.ignore:
                continue
            findings.extend(REGISTRY[code]().check(report, ctx))
    return findings
