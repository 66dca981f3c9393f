"""The CI integrations: action.yml, the GitHub and GitLab examples, the pre-commit hook, and their README section.

The YAML files are parsed and their required keys checked; the action's "changed files" step is run for
real in a throwaway git repository (a clone with a pull-request branch), because that is the part that
decides what gets checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
GITHUB_EXAMPLE = ROOT / "examples" / "github-workflow.yml"
GITLAB_EXAMPLE = ROOT / "examples" / "gitlab-ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-hooks.yaml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION_TITLE = "## Review in CI: GitHub, GitLab, pre-commit"
FORMATS = ("markdown", "rdjsonl", "github", "sarif", "gitlab")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _section() -> str:
    assert SECTION_TITLE in README
    return README.split(SECTION_TITLE, 1)[1].split("\n## ", 1)[0]


# --- action.yml ---------------------------------------------------------------------------------------


def test_action_has_the_required_keys() -> None:
    action = _load(ACTION)
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    for name in ("paths", "format", "fail-on", "python-version", "reporter"):
        assert name in inputs and inputs[name]["description"], name
    assert inputs["paths"]["default"] == "**/*.{txt,md,docx,html,pdf}"
    assert inputs["format"]["default"] == "markdown"
    assert inputs["fail-on"]["default"] == "error"


def test_every_action_step_that_runs_a_script_names_its_shell() -> None:
    steps = _load(ACTION)["runs"]["steps"]
    assert steps
    for step in steps:
        assert ("run" in step) != ("uses" in step), step.get("name")
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")


def test_action_installs_itself_checks_and_comments() -> None:
    steps = _load(ACTION)["runs"]["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses[0] == "actions/setup-python"
    assert "actions/github-script" in uses and "reviewdog/action-setup" in uses
    runs = "\n".join(step["run"] for step in steps if "run" in step)
    assert 'pip install --disable-pip-version-check --quiet "${{ github.action_path }}"' in runs
    assert "git diff --name-only" in runs
    assert "nianbao check --format markdown" in runs
    assert "--format rdjsonl" in runs and "reviewdog -f=rdjsonl" in runs
    assert "--format github" in runs


def test_action_scripts_take_inputs_through_the_environment() -> None:
    """`${{ inputs.x }}` pasted into a script is a script-injection hole; inputs travel in env instead."""
    for step in _load(ACTION)["runs"]["steps"]:
        assert "${{ inputs." not in step.get("run", ""), step.get("name")
        assert "${{ inputs." not in step.get("with", {}).get("script", ""), step.get("name")


def _run_changed_step(repo: Path, paths: str, base_ref: str) -> list[str]:
    step = next(s for s in _load(ACTION)["runs"]["steps"] if s.get("id") == "changed")
    output = repo / "github_output"
    output.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "NIANBAO_PATHS": paths,
        "BASE_REF": base_ref,
        "RUNNER_TEMP": str(repo.parent),
        "GITHUB_OUTPUT": str(output),
    }
    subprocess.run(["bash", "-c", step["run"]], cwd=repo, env=env, check=True, capture_output=True)
    values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    names = [n for n in Path(values["list"]).read_bytes().decode("utf-8").split("\0") if n]
    assert values["count"] == str(len(names))
    return names


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone whose branch changed, added and deleted report files (one with a Chinese name) and code."""
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    (origin / "reports").mkdir()
    for name in ("reports/old.txt", "reports/gone.md", "reports/same.txt", "setup.py"):
        (origin / name).write_text("x\n", encoding="utf-8")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "base")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    _git(clone, "checkout", "-q", "-b", "pr")
    (clone / "reports" / "old.txt").write_text("changed\n", encoding="utf-8")
    (clone / "reports" / "2024").mkdir()
    (clone / "reports" / "2024" / "庐山市2024年报.docx").write_bytes(b"PK")
    (clone / "top.pdf").write_bytes(b"%PDF")
    (clone / "notes.py").write_text("x = 1\n", encoding="utf-8")
    (clone / "reports" / "gone.md").unlink()
    _git(clone, "add", "-A")
    _git(clone, "commit", "-q", "-m", "pr")
    return clone


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_step_lists_only_changed_report_files(pull_request: Path) -> None:
    names = _run_changed_step(pull_request, "**/*.{txt,md,docx,html,pdf}", "main")
    assert sorted(names) == ["reports/2024/庐山市2024年报.docx", "reports/old.txt", "top.pdf"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_step_honours_the_paths_glob(pull_request: Path) -> None:
    assert _run_changed_step(pull_request, "reports/*.txt", "main") == ["reports/old.txt"]
    assert sorted(_run_changed_step(pull_request, "reports/**/*.docx\n*.pdf", "main")) == [
        "reports/2024/庐山市2024年报.docx",
        "top.pdf",
    ]
    assert _run_changed_step(pull_request, "**/*.html", "main") == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_step_outside_a_pull_request_takes_every_tracked_report(pull_request: Path) -> None:
    names = _run_changed_step(pull_request, "**/*.{txt,md,docx,html,pdf}", "")
    assert sorted(names) == [
        "reports/2024/庐山市2024年报.docx",
        "reports/old.txt",
        "reports/same.txt",
        "top.pdf",
    ]


# --- examples -----------------------------------------------------------------------------------------


def test_github_example_uses_the_action_on_pull_requests() -> None:
    workflow = _load(GITHUB_EXAMPLE)
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    assert workflow["permissions"]["pull-requests"] == "write"
    (job,) = workflow["jobs"].values()
    checkout, action = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    assert action["uses"].split("@")[0].endswith("/nianbao")
    assert set(action["with"]) <= set(_load(ACTION)["inputs"])


def test_gitlab_example_reports_code_quality_and_posts_a_note() -> None:
    ci = _load(GITLAB_EXAMPLE)
    (job,) = ci.values()
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"
    assert any('$CI_PIPELINE_SOURCE == "merge_request_event"' in rule["if"] for rule in job["rules"])
    script = "\n".join(job["script"])
    assert "--format gitlab" in script and "> gl-code-quality-report.json" in script
    assert "--format markdown" in script
    assert "/merge_requests/" in script and "/notes" in script and "PRIVATE-TOKEN" in script
    assert "CI_MERGE_REQUEST_DIFF_BASE_SHA" in script


def test_gitlab_note_script_is_valid_python() -> None:
    script = "\n".join(_load(GITLAB_EXAMPLE)["nianbao-check"]["script"])
    source = re.search(r"<<'PY'\n(.*?)\nPY\n", script, re.S)
    assert source is not None
    compile(source.group(1), "gitlab-note", "exec")


# --- pre-commit ---------------------------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    (hook,) = _load(PRE_COMMIT)
    assert hook["id"] == "nianbao-check"
    assert hook["name"] and hook["entry"] == "nianbao check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    for name in ("a.txt", "reports/2024/年报.md", "x.docx", "page.html", "page.htm", "r.pdf", "saved.mht"):
        assert files.search(name), name
    for name in ("setup.py", "a.txt.py", "docx", "x.doc", "x.txt.bak", "data.csv"):
        assert not files.search(name), name


def test_pre_commit_entry_is_an_installed_command() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^nianbao = "nianbao\.cli:main"$', pyproject, re.M)


# --- README -------------------------------------------------------------------------------------------


def test_readme_section_mentions_every_file() -> None:
    section = _section()
    for name in (
        "action.yml",
        "examples/github-workflow.yml",
        "examples/gitlab-ci.yml",
        ".pre-commit-hooks.yaml",
    ):
        assert f"`{name}`" in section, name
    assert "nianbao-check" in section


def test_readme_section_documents_every_format() -> None:
    section = _section()
    for fmt in FORMATS:
        assert re.search(rf"`--format {fmt}`", section), fmt


def test_readme_section_documents_batch_checking() -> None:
    section = _section()
    for option in ("--summary", "--previous-dir", "--jobs"):
        assert f"`{option}" in section, option
    assert "nianbao check reports/" in section


def test_readme_action_inputs_table_matches_action_yml() -> None:
    section = _section()
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert documented == set(_load(ACTION)["inputs"])
