"""Which files a batch checks: the report files under each directory given, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["REPORT_SUFFIXES", "expand_paths", "report_files"]

# What ``nianbao.read`` takes; anything else under a directory (images, .doc, notes) is not a report.
REPORT_SUFFIXES = frozenset({".txt", ".md", ".docx", ".html", ".htm", ".pdf"})


def _skipped(relative: Path) -> bool:
    # Hidden files and folders (.git, .DS_Store …) and Word's lock files (~$报告.docx) are never reports.
    return any(part.startswith(".") for part in relative.parts) or relative.name.startswith("~$")


def report_files(directory: Path) -> list[Path]:
    """Every report file under ``directory`` (by suffix, case-insensitive), sorted by path; hidden files,
    files in hidden folders and Word lock files skipped."""
    found = [
        path
        for path in directory.rglob("*")
        if path.suffix.lower() in REPORT_SUFFIXES
        and not _skipped(path.relative_to(directory))
        and path.is_file()
    ]
    return sorted(found, key=lambda path: path.relative_to(directory).parts)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """The files to check, in the order given (each directory replaced by its report files), and the
    directories that held none. A path that is not a directory is kept as it is, even when it does not
    exist or has another suffix: reading it reports the problem."""
    files: list[Path] = []
    empty: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = report_files(path)
            files.extend(inside)
            if not inside:
                empty.append(path)
        else:
            files.append(path)
    return files, empty
