"""Drafting cases: ``evals/cases/drafting/<case-id>/`` with ``case.yaml``, ``notes.yaml``, ``tables.yaml``.

``case.yaml``::

    id: lushan-2024
    title: 鲁山县人民政府办公室2024年政府信息公开工作年度报告
    source: seed                       # seed | corpus | ours
    reference: {fixture: lushan-2024.txt}   # or {corpus: NAME} (../shared/corpus) or {file: reference.txt}
    required_facts: ["4376", 政策解读]
    notes: notes.yaml                  # optional (default notes.yaml)
    tables: tables.yaml                # optional (default tables.yaml)

A case whose reference is in the corpus is skipped, with the reason, when the corpus is not there
(``NIANBAO_CORPUS`` or ``../shared/corpus`` beside the checkout); nothing of the corpus is copied.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml  # type: ignore[import-untyped]

from nianbao.errors import NianbaoError

__all__ = [
    "DEFAULT_CASES",
    "CaseError",
    "DraftingCase",
    "corpus_dir",
    "fixtures_dir",
    "load_case",
    "load_drafting_cases",
]

_REPO: Final = Path(__file__).resolve().parents[3]  # src/nianbao/evals/cases.py → the checkout
DEFAULT_CASES: Final = _REPO / "evals" / "cases" / "drafting"
_KINDS: Final = ("fixture", "corpus", "file")


class CaseError(NianbaoError):
    """A case directory that cannot be used (bad case.yaml, a missing file)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en, zh)


def fixtures_dir() -> Path:
    """The project's fixtures/ (``NIANBAO_FIXTURES`` overrides)."""
    env = os.environ.get("NIANBAO_FIXTURES")
    return Path(env) if env else _REPO / "fixtures"


def corpus_dir() -> Path:
    """The real-report corpus: ``NIANBAO_CORPUS``, else ../shared/corpus beside the checkout."""
    env = os.environ.get("NIANBAO_CORPUS")
    return Path(env) if env else _REPO.parent / "shared" / "corpus"


@dataclass
class DraftingCase:
    """One drafting case, its files resolved. ``reference_path`` is None when ``skip`` says why."""

    id: str
    title: str
    source: str
    directory: Path
    notes_path: Path
    tables_path: Path
    reference_kind: str
    reference_name: str
    reference_path: Path | None
    required_facts: list[str] = field(default_factory=list)
    skip: str | None = None


def _bad(path: Path, en: str, zh: str) -> CaseError:
    return CaseError(f"{path}: {en}", f"{path}：{zh}")


def load_case(
    directory: str | Path, *, fixtures: Path | None = None, corpus: Path | None = None
) -> DraftingCase:
    """The case in ``directory`` (its case.yaml). Raises :class:`CaseError` for a malformed case; a corpus
    reference that is not there gives a case with ``skip`` set."""
    directory = Path(directory)
    path = directory / "case.yaml"
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _bad(path, f"cannot read: {error}", f"无法读取：{error}") from error
    except yaml.YAMLError as error:
        raise _bad(path, f"not valid YAML: {error}", f"YAML 格式有误：{error}") from error
    if not isinstance(data, dict):
        raise _bad(
            path,
            "must be a mapping (id, title, source, reference …)",
            "应为键值映射（id、title、source、reference…）",
        )
    case_id = str(data.get("id") or directory.name)
    ref = data.get("reference")
    if not isinstance(ref, dict) or len(ref) != 1 or next(iter(ref)) not in _KINDS:
        raise _bad(
            path,
            "reference must be one of {fixture: NAME}, {corpus: NAME}, {file: NAME}",
            "reference 须为 {fixture: 文件名}、{corpus: 文件名} 或 {file: 文件名} 之一",
        )
    kind, name = next(iter(ref.items()))
    name = str(name)
    base = {"fixture": fixtures or fixtures_dir(), "corpus": corpus or corpus_dir(), "file": directory}[kind]
    candidate = base / name
    ref_path: Path | None = candidate
    skip = None
    if not candidate.is_file():
        if kind != "corpus":
            raise _bad(path, f"reference file {candidate} not found", f"找不到参考报告 {candidate}")
        skip = f"corpus file {name} not found in {base} (the corpus is not part of the project)"
        ref_path = None
    facts = data.get("required_facts") or []
    if not isinstance(facts, list):
        raise _bad(path, "required_facts must be a list", "required_facts 须为列表")
    notes_path = directory / str(data.get("notes") or "notes.yaml")
    tables_path = directory / str(data.get("tables") or "tables.yaml")
    for p in (notes_path, tables_path):
        if not p.is_file():
            raise _bad(path, f"{p.name} not found", f"找不到 {p.name}")
    return DraftingCase(
        id=case_id,
        title=str(data.get("title") or ""),
        source=str(data.get("source") or ""),
        directory=directory,
        notes_path=notes_path,
        tables_path=tables_path,
        reference_kind=kind,
        reference_name=name,
        reference_path=ref_path,
        required_facts=[str(f) for f in facts],
        skip=skip,
    )


def load_drafting_cases(
    pattern: str | None = None,
    root: str | Path | None = None,
    *,
    fixtures: Path | None = None,
    corpus: Path | None = None,
) -> list[DraftingCase]:
    """The cases under ``root`` (default ``evals/cases/drafting``), sorted by id. ``pattern`` is a glob
    on the case id (``lushan-*``) or, when it holds a ``/``, on the case directories' paths."""
    if pattern and "/" in pattern:
        dirs = sorted(Path(p) for p in _glob(pattern))
    else:
        base = Path(root) if root is not None else DEFAULT_CASES
        dirs = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
        if pattern:
            dirs = [d for d in dirs if fnmatch.fnmatchcase(d.name, pattern)]
    cases = [load_case(d, fixtures=fixtures, corpus=corpus) for d in dirs if (d / "case.yaml").is_file()]
    return sorted(cases, key=lambda c: c.id)


def _glob(pattern: str) -> list[str]:
    import glob

    return [p for p in glob.glob(pattern) if Path(p).is_dir()]
