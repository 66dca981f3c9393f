"""Checking many reports in parallel processes, each paired with last year's report where one is known.

Workers read and check; the parent gets back one :class:`CheckResult` per file (the report, its
findings, or the error that stopped it). At most a few results per worker are in flight at a time, so a
batch of thousands of files runs in bounded memory as long as the caller drops each result it is done with.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nianbao.batch.paths import expand_paths
from nianbao.errors import NianbaoError
from nianbao.model.finding import Finding
from nianbao.model.report import Report
from nianbao.rules import CheckConfig

__all__ = [
    "CheckResult",
    "PreviousIndex",
    "WorkerError",
    "default_jobs",
    "index_previous",
    "run_batch",
    "slimmed",
    "title_key",
]

# Submitted but not yet collected, per worker: enough to keep every worker busy, few enough that
# results waiting for a slow one do not pile up.
_IN_FLIGHT_PER_JOB = 4

TitleKey = tuple[str, int]


class WorkerError(Exception):
    """An unexpected error in a worker process (a bug in nianbao), carried back as its type and message."""


@dataclass(frozen=True)
class CheckResult:
    """One input file of a batch: the report and its findings, or the error that stopped it.

    ``previous`` is the path of last year's report the cross-year rules ran against (None when none
    was given or none of the same agency and year − 1 was found)."""

    path: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: Exception | None = None
    previous: str | None = None

    @property
    def readable(self) -> bool:
        """True when the file was read and checked."""
        return self.error is None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # nianbao's errors take two messages, which plain exception pickling drops: carry their parts.
        return (_rebuild, (self.path, self.report, self.findings, _error_state(self.error), self.previous))


def _error_state(error: Exception | None) -> tuple[Any, ...] | None:
    if error is None:
        return None
    if isinstance(error, NianbaoError):
        return ("nianbao", type(error), error.message_en, error.message_zh, error.path)
    return ("other", f"{type(error).__name__}: {error}")


def _rebuild(
    path: str,
    report: Report | None,
    findings: list[Finding],
    state: tuple[Any, ...] | None,
    previous: str | None,
) -> CheckResult:
    error: Exception | None = None
    if state is not None and state[0] == "nianbao":
        error = state[1](state[2], state[3], path=state[4])
    elif state is not None:
        error = WorkerError(state[1])
    return CheckResult(path=path, report=report, findings=findings, error=error, previous=previous)


def title_key(report: Report) -> TitleKey | None:
    """(agency, year) as the title states them, white space removed; None when either is unknown."""
    agency = re.sub(r"\s+", "", report.metadata.agency)
    year = report.metadata.year
    if not agency or year is None:
        return None
    return agency, year


@dataclass
class PreviousIndex:
    """Last year's reports of a folder by (agency, year) from their titles, and what could not be indexed."""

    by_key: dict[TitleKey, str] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (path, English, Chinese)


def _indexed(path: str) -> tuple[str, TitleKey | None, tuple[str, str] | None]:
    import nianbao

    try:
        return path, title_key(nianbao.read(path)), None
    except NianbaoError as e:
        return path, None, (e.message_en, e.message_zh)
    except Exception as e:  # a bug: the file is left out of the index, the batch goes on
        return path, None, (f"{path}: internal error: {type(e).__name__}: {e}", f"{path}：内部错误：{e}")


def index_previous(directory: str | Path, jobs: int | None = None) -> PreviousIndex:
    """Read every report under ``directory`` and index it by (agency, year) from its title, never from
    the file name. The first file (in path order) wins when two have the same title."""
    files, _ = expand_paths([directory])
    index = PreviousIndex()
    for path, key, problem in _map_ordered(_indexed, [str(p) for p in files], jobs):
        if problem is not None:
            index.problems.append((path, *problem))
        elif key is None:
            index.problems.append(
                (
                    path,
                    f"{path}: the title names no agency or no year; not used as a previous report",
                    f"{path}：标题中没有识别到单位或年度，不作为上一年度报告使用。",
                )
            )
        elif key in index.by_key:
            first = index.by_key[key]
            index.problems.append(
                (
                    path,
                    f"{path}: same agency and year as {first} ({key[0]} {key[1]}); {first} is used",
                    f"{path}：与{first}的单位和年度相同（{key[0]}{key[1]}年），使用{first}。",
                )
            )
        else:
            index.by_key[key] = path
    return index


# What every check of a batch shares: the previous report(s) and the configuration. Set once per worker
# process (the pool initializer), or passed directly when checking in this process.
Previous = Report | PreviousIndex | None
_State = tuple[Previous, CheckConfig]
_WORKER_STATE: _State | None = None
_WORKER_SLIM = False


def _init_worker(previous: Previous, config: CheckConfig, slim: bool) -> None:
    global _WORKER_STATE, _WORKER_SLIM
    _WORKER_STATE = (previous, config)
    _WORKER_SLIM = slim


def slimmed(report: Report) -> Report:
    """The part of a report that the renderers of findings use (metadata and reader notes): what a worker
    sends back when the caller does not need the rest. Sending a whole report costs as much as checking it."""
    return Report(metadata=report.metadata, notes=report.notes)


def _check_in_worker(path: str) -> CheckResult:
    result = check_path(path)
    if _WORKER_SLIM and result.report is not None:
        return CheckResult(result.path, slimmed(result.report), result.findings, None, result.previous)
    return result


@lru_cache(maxsize=16)
def _read_previous(path: str) -> Report | None:
    import nianbao

    try:
        return nianbao.read(path)
    except NianbaoError:  # indexed a moment ago; gone or changed since: no pairing
        return None


def _paired(report: Report, previous: Previous) -> tuple[Report | None, str | None]:
    if previous is None:
        return None, None
    if isinstance(previous, Report):
        return previous, previous.metadata.source_path
    key = title_key(report)
    if key is None:
        return None, None
    path = previous.by_key.get((key[0], key[1] - 1))
    if path is None:
        return None, None
    last_year = _read_previous(path)
    return last_year, path if last_year is not None else None


def check_path(path: str, state: _State | None = None) -> CheckResult:
    """Read and check one file; never raises (the error is in the result)."""
    import nianbao

    previous, config = state or _WORKER_STATE or (None, CheckConfig())
    try:
        report = nianbao.read(path)
        last_year, last_year_path = _paired(report, previous)
        findings = nianbao.check(report, previous=last_year, config=config)
    except Exception as e:  # NianbaoError: unreadable; anything else: a bug, reported per file
        return CheckResult(path=path, error=e)
    return CheckResult(path=path, report=report, findings=findings, previous=last_year_path)


def default_jobs() -> int:
    """The number of worker processes when none is asked for: the CPU count."""
    return os.cpu_count() or 1


def _map_ordered(fn: Any, items: list[str], jobs: int | None) -> Iterator[Any]:
    jobs = jobs or default_jobs()
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
        yield from pool.map(fn, items, chunksize=8)


def run_batch(
    paths: Iterable[str | Path],
    previous: Previous = None,
    config: CheckConfig | None = None,
    jobs: int | None = None,
    *,
    ordered: bool = True,
    slim: bool = False,
) -> Iterator[CheckResult]:
    """Check every file in ``paths`` (directories must be expanded already) in ``jobs`` worker processes
    (default: the CPU count; 1: in this process). ``ordered``: yield in the order of ``paths``; otherwise
    as they finish. ``slim``: results from worker processes carry only the report's metadata and reader
    notes (:func:`slimmed`), enough to print or summarise the findings, not to check or annotate again."""
    items = [str(p) for p in paths]
    config = config or CheckConfig()
    jobs = jobs or default_jobs()
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield check_path(item, (previous, config))
        return
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(items)), initializer=_init_worker, initargs=(previous, config, slim)
    )
    window = jobs * _IN_FLIGHT_PER_JOB
    todo = iter(items)

    def submit_next() -> Future[CheckResult] | None:
        item = next(todo, None)
        return None if item is None else pool.submit(_check_in_worker, item)

    first = [f for f in (submit_next() for _ in range(window)) if f is not None]
    try:
        if ordered:
            queue = deque(first)
            while queue:
                result = queue.popleft().result()
                if (more := submit_next()) is not None:
                    queue.append(more)
                yield result
        else:
            pending = set(first)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    if (more := submit_next()) is not None:
                        pending.add(more)
                    yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
