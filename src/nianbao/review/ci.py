"""What the CI output formats share: where a finding is in the file as CI tools count, and the writer interface.

CI tools (reviewdog, GitHub, SARIF viewers, GitLab) place a finding by file line and column. Only text and
Markdown inputs have spans in those terms; a Word, web-page or PDF finding is placed on the file alone and its
Chinese place description (「第3段」, 「第2页第5行」) goes into the message instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nianbao.model.finding import Finding
from nianbao.read.decode import decode, read_bytes
from nianbao.review.checked import CheckedReport

TOOL_NAME = "nianbao"
LINE_FORMATS = frozenset({"text", "markdown"})


@dataclass(frozen=True)
class FilePlace:
    """A finding's place in its file: 1-based line and column in characters, each None when unknown."""

    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


def has_lines(checked: CheckedReport) -> bool:
    """True when the report's spans are file lines and character columns (text and Markdown inputs)."""
    return checked.report.metadata.source_format in LINE_FORMATS


def file_place(checked: CheckedReport, finding: Finding) -> FilePlace:
    """Where ``finding`` is in the file, as CI tools count lines; empty for inputs without lines."""
    span = finding.location.span
    if span is None or span.line is None or not has_lines(checked):
        return FilePlace()
    return FilePlace(span.line, span.column, span.end_line, span.end_column)


def place_note(checked: CheckedReport, finding: Finding) -> str:
    """The Chinese place (「表三“…”行（第3段）」) to add to a message when the file place cannot say it."""
    if has_lines(checked) and finding.location.table is None:
        return ""
    return finding.location.describe()


def source_lines(path: str) -> list[str] | None:
    """The decoded lines of a text file, as the reader numbered them; None when it cannot be read again."""
    try:
        text, _ = decode(read_bytes(Path(path)), path)
    except Exception:  # the file changed or vanished since it was checked: fall back to line-only places
        return None
    return text.lstrip("\ufeff").splitlines()


def byte_column(line: str, column: int) -> int:
    """1-based UTF-8 byte column of the 1-based character ``column`` in ``line`` (past the end: counted as ASCII)."""
    index = column - 1
    head = line[:index]
    return len(head.encode("utf-8", "surrogatepass")) + max(0, index - len(line)) + 1


class Writer(Protocol):
    """A CI output format: text to print after each checked report, and text to print at the end."""

    def add(self, checked: CheckedReport) -> str:
        """Take one checked report; return what to print now ('' for formats printed whole at the end)."""
        ...

    def finish(self) -> str:
        """What to print after the last report ('' when nothing)."""
        ...
