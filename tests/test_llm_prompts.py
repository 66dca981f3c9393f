"""Prompt files: the block convention, StrictUndefined, the hash, and shipping them in the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nianbao.llm import PromptError, load_prompt
from nianbao.llm.prompts import prompts_dir

ROOT = Path(__file__).resolve().parents[1]


def test_probe_prompt_renders_system_and_user() -> None:
    prompt = load_prompt("probe")
    messages = prompt.render(city="北京", number=7)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "北京" in messages[1]["content"] and "7" in messages[1]["content"]
    assert not messages[0]["content"].startswith(("\n", " ")) and "{#" not in messages[0]["content"]
    assert prompt.path == prompts_dir() / "probe.jinja" and len(prompt.sha256) == 64


def test_undefined_variable_is_an_error() -> None:
    with pytest.raises(PromptError) as caught:
        load_prompt("probe").render(city="北京")
    assert "number" in str(caught.value) and "缺少变量" in caught.value.message_zh


def test_undefined_attribute_is_an_error_too(tmp_path: Path) -> None:
    (tmp_path / "p.jinja").write_text("{% block user %}{{ part.title }}{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError):
        load_prompt("p", tmp_path).render(part={})


def test_missing_file_bad_name_syntax_error_and_no_user_block(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="No prompt file"):
        load_prompt("nope", tmp_path)
    with pytest.raises(PromptError):
        load_prompt("../etc/passwd", tmp_path)
    (tmp_path / "broken.jinja").write_text("{% block user %}{{ x {% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="syntax"):
        load_prompt("broken", tmp_path)
    (tmp_path / "sys.jinja").write_text("{% block system %}只有系统{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="user"):
        load_prompt("sys", tmp_path).render()


def test_hash_follows_the_file_and_what_it_extends(tmp_path: Path) -> None:
    (tmp_path / "base.jinja").write_text("{% block system %}基础{% endblock %}", encoding="utf-8")
    child = tmp_path / "child.jinja"
    child.write_text('{% extends "base.jinja" %}{% block user %}{{ t }}{% endblock %}', encoding="utf-8")
    first = load_prompt("child", tmp_path)
    assert first.render(t="正文") == [
        {"role": "system", "content": "基础"},
        {"role": "user", "content": "正文"},
    ]
    assert load_prompt("child", tmp_path).sha256 == first.sha256
    (tmp_path / "base.jinja").write_text("{% block system %}基础2{% endblock %}", encoding="utf-8")
    assert load_prompt("child", tmp_path).sha256 != first.sha256
    (tmp_path / "grand.jinja").write_text(
        '{% extends "child.jinja" %}{% block system %}{{ super() }}，补充{% endblock %}', encoding="utf-8"
    )
    assert load_prompt("grand", tmp_path).render(t="文") == [
        {"role": "system", "content": "基础2，补充"},
        {"role": "user", "content": "文"},
    ]


def test_every_shipped_prompt_loads() -> None:
    names = sorted(p.stem for p in (ROOT / "prompts").glob("*.jinja"))
    assert "probe" in names
    for name in names:
        load_prompt(name)


def test_package_list_matches_the_source_tree() -> None:
    """pyproject lists packages explicitly (for the prompts mapping): a new subpackage must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    assert set(config["packages"]) == found | {"nianbao.prompts"}
    assert config["package-dir"]["nianbao.prompts"] == "prompts"
    assert "*.jinja" in config["package-data"]["nianbao.prompts"]


def test_prompts_ship_in_the_built_package(tmp_path: Path) -> None:
    """setuptools' build_py (what bdist_wheel packs) on a copy of the project, offline (about 0.5 s);
    then load_prompt from the built tree finds the installed nianbao.prompts package, not the checkout.
    (`pip wheel --no-deps -w DIR .` gives the same file list; it needs the build backend from an index.)"""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copytree(ROOT / "prompts", project / "prompts", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "lib"
    subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore",
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "build_py",
            "--build-lib",
            str(out),
        ],
        cwd=project,
        check=True,
        capture_output=True,
    )
    shipped = sorted(p.name for p in (out / "nianbao" / "prompts").glob("*.jinja"))
    assert shipped == sorted(p.name for p in (ROOT / "prompts").glob("*.jinja"))
    assert (out / "nianbao" / "data").is_dir() and (out / "nianbao" / "py.typed").is_file()
    code = "from nianbao.llm import load_prompt; print(load_prompt('probe').path)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()) == out / "nianbao" / "prompts" / "probe.jinja"
