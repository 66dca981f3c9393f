"""The batch summary: one row per report and one row per finding, as the terminal table, CSV or Excel.

The rows are small (strings and counts), so a batch of thousands of reports keeps them all without
keeping the reports. Files are written atomically (``nianbao.output.write_atomic``); CSV in UTF-8 with a
byte-order mark, which Excel needs to show Chinese text in a CSV file.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.batch.run import CheckResult
from nianbao.errors import ConfigError, NianbaoError
from nianbao.model.finding import Severity
from nianbao.output import write_atomic

if TYPE_CHECKING:  # rich is imported when a table is printed, so that ``import nianbao`` stays light
    from rich.console import Console
    from rich.table import Table

__all__ = [
    "FINDING_COLUMNS",
    "REPORT_COLUMNS",
    "Summary",
    "findings_csv_path",
    "summary_format",
]

REPORT_COLUMNS = (
    "path 文件",
    "agency 单位",
    "year 年度",
    "level 层级",
    "errors 错误",
    "warnings 警告",
    "info 提示",
    "status 状态",
    "message 说明",
)
FINDING_COLUMNS = (
    "path 文件",
    "agency 单位",
    "rule 规则",
    "severity 级别",
    "category 类别",
    "place 位置",
    "message 问题",
    "expected 应为",
    "actual 实为",
)
READABLE = "readable 已检查"
UNREADABLE = "unreadable 无法读取"

Cell = str | int


def summary_format(target: Path) -> str:
    """``csv`` or ``xlsx`` from the file name; anything else is a :class:`ConfigError`."""
    suffix = target.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    raise ConfigError(
        f"--summary {target}: the summary is written as .xlsx or .csv; give a file name ending in one of them",
        f"--summary {target}：汇总表只能保存为 .xlsx 或 .csv 文件，请使用这两种扩展名之一。",
    )


def findings_csv_path(target: Path) -> Path:
    """Where the findings go beside a CSV summary: ``summary.csv`` → ``summary.findings.csv``."""
    return target.with_name(f"{target.stem}.findings.csv")


def _value(value: int | str | None) -> Cell:
    return "" if value is None else value


@dataclass
class Summary:
    """Rows collected from the results of a batch, in the order they were added."""

    reports: list[tuple[Cell, ...]] = field(default_factory=list)
    findings: list[tuple[Cell, ...]] = field(default_factory=list)

    def add(self, result: CheckResult) -> None:
        """One row for the report, one per finding."""
        if result.report is None:
            error = result.error
            message = (
                f"{error.message_zh} {error.message_en}" if isinstance(error, NianbaoError) else str(error)
            )
            self.reports.append((result.path, "", "", "", "", "", "", UNREADABLE, message))
            return
        meta = result.report.metadata
        seen = {s: 0 for s in Severity}
        for f in result.findings:
            seen[f.severity] += 1
            self.findings.append(
                (
                    result.path,
                    meta.agency,
                    f.rule,
                    f.severity.value,
                    f.category.value,
                    f.location.describe(),
                    f.message,
                    _value(f.expected),
                    _value(f.actual),
                )
            )
        self.reports.append(
            (
                result.path,
                meta.agency,
                _value(meta.year),
                meta.level.value,
                seen[Severity.ERROR],
                seen[Severity.WARNING],
                seen[Severity.INFO],
                READABLE,
                "",
            )
        )

    def table(self) -> Table:
        """The terminal table: file, agency, year and the counts per severity."""
        from rich.table import Table

        table = Table(title="汇总", title_justify="left")
        # Long paths and agency names wrap (never cut off): the table is what a reviewer copies.
        table.add_column("文件", overflow="fold")
        table.add_column("单位", overflow="fold")
        for name in ("年度", "错误", "警告", "提示"):
            table.add_column(name, justify="right", no_wrap=True)
        base = _common_folder([str(row[0]) for row in self.reports])
        if base:
            table.title = f"汇总（{base}{os.sep}）"
        for path, agency, year, _, errors, warnings, info, status, _ in self.reports:
            shown = os.path.relpath(str(path), base) if base else str(path)
            if status == UNREADABLE:
                table.add_row(shown, "无法读取", "", "", "", "", style="red")
            else:
                table.add_row(shown, str(agency), str(year), str(errors), str(warnings), str(info))
        return table

    def print_table(self, console: Console) -> None:
        """Print the table after the per-report output."""
        console.print()
        console.print(self.table())

    def write(self, target: Path) -> list[Path]:
        """Write the summary (.xlsx: two sheets; .csv: this file and ``<name>.findings.csv``); returns the
        files written."""
        if summary_format(target) == "xlsx":
            write_atomic(self._xlsx(), target, what_en="the summary", what_zh="汇总表")
            return [target]
        second = findings_csv_path(target)
        write_atomic(_csv(REPORT_COLUMNS, self.reports), target, what_en="the summary", what_zh="汇总表")
        write_atomic(_csv(FINDING_COLUMNS, self.findings), second, what_en="the findings", what_zh="问题清单")
        return [target, second]

    def _xlsx(self) -> bytes:
        from openpyxl import Workbook  # type: ignore[import-untyped]

        book = Workbook(write_only=True)
        for title, columns, rows in (
            ("reports 报告", REPORT_COLUMNS, self.reports),
            ("findings 问题", FINDING_COLUMNS, self.findings),
        ):
            sheet = book.create_sheet(title)
            sheet.append(list(columns))
            for row in rows:
                sheet.append([_xlsx_cell(sheet, v) for v in row])
            sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _common_folder(paths: list[str]) -> str:
    """The folder all the files are in (shown once in the title, so that the rows stay short), or ""."""
    try:
        base = os.path.commonpath([os.path.dirname(p) for p in paths]) if len(paths) > 1 else ""
    except ValueError:  # absolute and relative paths mixed
        return ""
    return "" if base in ("", ".", os.sep) else base


def _csv(columns: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx_cell(sheet: object, value: Cell) -> object:
    """A cell that Excel shows as the text it is: control characters (illegal in the file format) removed,
    and a message starting with '=' kept as text, never turned into a formula."""
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    if isinstance(value, int):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell
