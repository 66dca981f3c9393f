"""The README's promises: exactly two commands up front, .ci/run runs the second one, rule prefixes are current."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nianbao

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _two_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_exactly_two_commands_on_python_311() -> None:
    commands = _two_commands()
    assert len(commands) == 2, commands
    for command in commands:
        assert "\n" not in command.strip()
        assert command.startswith("python3.11 -m venv .venv && ")
    assert commands[0].endswith("nianbao check fixtures/lushan-2024.txt")
    assert commands[1].endswith("pytest -q")
    assert (ROOT / "fixtures" / "lushan-2024.txt").is_file()


def test_ci_runs_the_second_command() -> None:
    ci = ROOT / ".ci" / "run"
    text = ci.read_text(encoding="utf-8")
    assert os.access(ci, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert _two_commands()[1] in text.splitlines()


def test_every_rule_prefix_is_documented() -> None:
    section = README.split("## Rules", 1)[1].split("\n## ", 1)[0]
    prefixes = {rule.code.split("-")[0] for rule in nianbao.all_rules()}
    missing = sorted(p for p in prefixes if f"`{p}-`" not in section)
    assert not missing, f"README '## Rules' does not mention prefixes {missing}"


def test_exit_codes_documented() -> None:
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\| {code} \|", section, re.M), code
