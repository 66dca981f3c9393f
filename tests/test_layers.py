"""Import boundaries (design.md): model ← read ← parse ← rules ← review, model ← render; no LLM on the deterministic path.

An AST walk over the source, so that a forbidden import anywhere in a module (even inside a function)
is caught without importing anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nianbao"

LLM = ("openai", "instructor", "tiktoken", "nianbao.llm", "nianbao.extract", "nianbao.draft")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "model": ("nianbao.read", "nianbao.parse", "nianbao.rules", "nianbao.review", "nianbao.render", "nianbao.cli"),
    "read": ("nianbao.parse", "nianbao.rules", "nianbao.review", "nianbao.render", "nianbao.cli"),
    "parse": ("nianbao.rules", "nianbao.review", "nianbao.render", "nianbao.cli"),
    "rules": ("nianbao.read", "nianbao.review", "nianbao.render", "nianbao.cli"),
    # Report → .docx / HTML / text in the official layout: from the model alone, so that drafting can use it.
    "render": ("nianbao.read", "nianbao.parse", "nianbao.rules", "nianbao.review", "nianbao.cli"),
    "review": ("nianbao.cli",),
}


def imported_modules(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a file; ``from nianbao import x`` gives nianbao.x."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def _violates(module: str, banned: tuple[str, ...]) -> bool:
    return any(module == b or module.startswith(b + ".") for b in banned)


def _files(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_boundaries(layer: str) -> None:
    files = _files(layer)
    assert files, f"no modules in {layer}/"
    banned = (*FORBIDDEN[layer], *LLM)
    bad = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for path in files
        for line, module in imported_modules(path)
        if _violates(module, banned)
    ]
    assert not bad, "\n".join(bad)


def test_the_checker_never_imports_an_llm_client() -> None:
    files = [
        *_files("model"),
        *_files("read"),
        *_files("parse"),
        *_files("rules"),
        *_files("review"),
        SRC / "cli.py",
    ]
    bad = [
        f"{p.relative_to(SRC)}:{line} {m}"
        for p in files
        for line, m in imported_modules(p)
        if _violates(m, LLM)
    ]
    assert not bad, "\n".join(bad)


def test_the_walker_sees_forbidden_imports(tmp_path: Path) -> None:
    """The test can fail: planted imports (absolute, relative, inside a function) are reported."""
    fake = tmp_path / "planted.py"
    fake.write_text(
        "def f():\n    from nianbao.read import read_text\n    import openai\n    from ..review import text\n",
        encoding="utf-8",
    )
    modules = [m for _, m in imported_modules(fake, package="nianbao.rules")]
    assert "nianbao.read" in modules and _violates("nianbao.read", FORBIDDEN["rules"])
    assert "openai" in modules and _violates("openai", LLM)
    assert "nianbao.review" in modules and _violates("nianbao.review.text", FORBIDDEN["rules"])
