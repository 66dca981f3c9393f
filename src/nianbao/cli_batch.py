"""The batch side of ``nianbao check``: directories, ``--jobs``, ``--previous-dir``, ``--summary``, the
progress bar and the summary table. ``cli.py`` keeps the per-report output and the exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from nianbao.batch import CheckResult, PreviousIndex, Summary, expand_paths, index_previous, summary_format
from nianbao.errors import ConfigError, NianbaoError

__all__ = ["BatchOptions", "batch_progress", "expand_inputs", "load_previous_dir", "unpaired_note"]


@dataclass(frozen=True)
class BatchOptions:
    """``--jobs``, ``--summary`` and ``--previous-dir`` as given."""

    jobs: int | None = None
    summary: Path | None = None
    previous_dir: Path | None = None

    def validate(self, previous: Path | None) -> None:
        """Refuse bad combinations before anything is read."""
        if self.jobs is not None and self.jobs < 1:
            raise ConfigError(f"--jobs {self.jobs}: give 1 or more", f"--jobs {self.jobs}：进程数至少为1。")
        if self.summary is not None:
            summary_format(self.summary)
        if self.previous_dir is not None:
            if previous is not None:
                raise ConfigError(
                    "--previous and --previous-dir cannot be used together",
                    "--previous 和 --previous-dir 不能同时使用。",
                )
            if not self.previous_dir.is_dir():
                raise ConfigError(
                    f"--previous-dir {self.previous_dir}: not a directory",
                    f"--previous-dir {self.previous_dir}：不是文件夹。",
                )


def _note(console: Console, zh: str, en: str) -> None:
    console.print(f"nianbao: {zh}", markup=False)
    console.print(f"nianbao: {en}", markup=False, style="dim")


def expand_inputs(paths: list[Path], console: Console) -> tuple[list[Path], bool]:
    """The files to check (directories expanded) and whether a directory held no report file (reported)."""
    files, empty = expand_paths(paths)
    for directory in empty:
        _note(
            console,
            f"{directory}：文件夹中没有报告文件（.txt、.md、.docx、.html、.htm、.pdf）。",
            f"{directory}: no report files (.txt, .md, .docx, .html, .htm, .pdf) in this directory.",
        )
    return files, bool(empty)


def load_previous_dir(directory: Path, jobs: int | None, console: Console) -> PreviousIndex:
    """Index last year's reports; each file that cannot be used is a note (the batch goes on)."""
    index = index_previous(directory, jobs)
    for _, en, zh in index.problems:
        _note(console, f"上一年度报告：{zh}", f"previous reports: {en}")
    return index


def unpaired_note(result: CheckResult, directory: Path, console: Console) -> None:
    """A note for a report that has no report of its agency and year − 1 in ``--previous-dir``."""
    if result.report is None or result.previous is not None:
        return
    meta = result.report.metadata
    if not meta.agency or meta.year is None:
        _note(
            console,
            f"{result.path}：标题中没有识别到单位或年度，未与上一年度报告配对，跨年度规则未运行。",
            f"{result.path}: no agency or year in the title: not paired with a previous report, "
            "the cross-year rules did not run.",
        )
        return
    _note(
        console,
        f"{result.path}：{directory}中没有{meta.agency}{meta.year - 1}年度的报告，跨年度规则未运行。",
        f"{result.path}: no {meta.year - 1} report of {meta.agency} in {directory}; the cross-year rules did not run.",
    )


@contextmanager
def batch_progress(total: int, console: Console) -> Iterator[Progress | None]:
    """A progress bar on stderr while several files are checked, when stderr is a terminal (in a log or
    a pipe it would only add noise). Text printed to stdout goes above the bar when stdout is the same
    terminal. Yields None when there is no bar."""
    if total <= 1 or not console.is_terminal:
        yield None
        return
    progress = Progress(
        TextColumn("nianbao"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=True,
    )
    with progress:
        progress.add_task("", total=total)
        yield progress


def advance(progress: Progress | None, path: str) -> None:
    """One more file done."""
    if progress is not None:
        task = progress.task_ids[0]
        progress.update(task, advance=1, description=Path(path).name)


def write_summary(summary: Summary, target: Path, console: Console) -> bool:
    """Write the summary file(s); False (with the reason on stderr) when they could not be written."""
    try:
        written = summary.write(target)
    except NianbaoError as e:
        _note(console, e.message_zh, e.message_en)
        return False
    names = "、".join(str(p) for p in written)
    _note(console, f"已写入汇总表：{names}。", f"Summary written to {', '.join(str(p) for p in written)}.")
    return True
