"""The public surface of ``nianbao`` is exactly ``__all__``, sorted, and every name is documented."""

from __future__ import annotations

import inspect
import tomllib
import types
from pathlib import Path

import nianbao

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_matches_public_members() -> None:
    public = {
        name
        for name, value in vars(nianbao).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert nianbao.__all__ == sorted(nianbao.__all__)
    assert set(nianbao.__all__) == public


def test_every_export_has_a_docstring() -> None:
    for name in nianbao.__all__:
        doc = inspect.getdoc(getattr(nianbao, name))
        assert doc and doc.strip(), f"nianbao.{name} has no docstring"


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert nianbao.__version__ == project["version"]


def test_read_and_check_signatures() -> None:
    assert list(inspect.signature(nianbao.read).parameters) == ["path"]
    assert list(inspect.signature(nianbao.check).parameters) == ["report", "previous", "config"]


def test_read_then_check_on_the_seed() -> None:
    report = nianbao.read(ROOT / "fixtures" / "lushan-2024.txt")
    assert isinstance(report, nianbao.Report)
    findings = nianbao.check(report)
    assert findings and all(isinstance(f, nianbao.Finding) for f in findings)
    assert any(f.severity is nianbao.Severity.ERROR for f in findings)


def test_errors_form_one_hierarchy() -> None:
    for name in (
        "EmptyInputError",
        "BinaryInputError",
        "UnsupportedFormatError",
        "TooLargeError",
        "NotAReportError",
    ):
        assert issubclass(getattr(nianbao, name), nianbao.ReadError)
    assert issubclass(nianbao.ReadError, nianbao.NianbaoError)
    assert issubclass(nianbao.ConfigError, nianbao.NianbaoError)
