"""Batch checking through the CLI: 1,000 generated reports with one injected error each (a benchmark that
prints numbers and verifies detection; not a test).

    .venv/bin/python evals/bench_batch.py                # 1,000 reports, --jobs = CPU count
    .venv/bin/python evals/bench_batch.py -n 200 -j 1    # fewer reports, one worker

1. Writes N report texts to a temporary directory: variants of fixtures/clean-2024.txt (other agencies
   and figures: evals/bench_check.py's generator), each with one error injected by one of the generators
   of tests/test_variants.py (a table-三 cell, a narrative figure, another county's name, a shifted
   year, a missing part, a 2019 template label), in turn.
2. Runs ``nianbao check DIR --summary summary.csv`` as a separate process (what a user runs: process
   start, directory walk, worker processes, the text output to /dev/null, the summary files).
3. Verifies that every injected error is in summary.findings.csv (a finding of the rule that owns it, for
   that file), and that every file has its row in summary.csv.
   A control: the first 24 variants without injection raise none of those rules.
4. Prints the throughput (reports/s, wall clock, process start included) and the peak memory: ru_maxrss
   of the largest process among the CLI and its workers (RUSAGE_CHILDREN), i.e. per-process, which does
   not grow with N as results are streamed, not kept.

Exit status 0 when every injected error was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "evals"), str(ROOT / "tests")]

from bench_check import variant  # noqa: E402

from test_variants import GENERATORS, Variant  # noqa: E402

CLEAN = ROOT / "fixtures" / "clean-2024.txt"
NIANBAO = Path(sys.executable).with_name("nianbao")


def _figure(text: str, label: str) -> int:
    m = re.search(re.escape(label) + r"(\d+)件", text)
    return int(m.group(1)) if m else -1


def ambiguous(text: str, v: Variant, agency: str) -> bool:
    """Injections that are not errors: another county's name that is the report's own county, or a
    request figure raised by exactly the 上年结转 count (3 in these reports): 「收到申请N件」 and 「共办理答复N件」
    may then be read as counting last year's carried-over requests too, which the rule accepts."""
    kind, _, detail = v.name.partition(":")
    if kind == "agency":
        return detail in agency
    if kind == "figure":
        return _figure(v.text, detail) - _figure(text, detail) == _figure(text, "上年结转")
    return False


def generate(directory: Path, count: int) -> dict[str, Variant]:
    """Write ``count`` reports, one injected error each; returns file name → the injected variant."""
    base = CLEAN.read_text(encoding="utf-8")
    injected: dict[str, Variant] = {}
    for index in range(count):
        text = variant(base, index)
        agency = text.splitlines()[0]
        generator = GENERATORS[index % len(GENERATORS)]
        for attempt in range(20):
            v = generator(text, random.Random(f"{index}-{attempt}"))
            if not ambiguous(text, v, agency):
                break
        name = f"{index:04d}-{generator.__name__}.txt"
        (directory / name).write_text(v.text, encoding="utf-8")
        injected[name] = v
    return injected


def control(count: int) -> list[str]:
    """The uninjected variants must not raise the injected rules already (else 'found' proves nothing)."""
    import nianbao
    from nianbao.parse import parse
    from nianbao.read import read_text

    base = CLEAN.read_text(encoding="utf-8")
    rules = frozenset().union(*(g(base, random.Random(0)).rules for g in GENERATORS))
    bad = []
    for index in range(count):
        fired = {f.rule for f in nianbao.check(parse(read_text(variant(base, index), path="v.txt")))} & rules
        if fired:
            bad.append(f"variant {index} without injection already raises {sorted(fired)}")
    return bad


def run_cli(directory: Path, summary: Path, jobs: int | None) -> tuple[int, float]:
    command = [str(NIANBAO), "check", str(directory), "--summary", str(summary)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
    return done.returncode, seconds


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1000, help="reports to generate (default 1000)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-batch-") as tmp:
        reports = Path(tmp) / "reports"
        reports.mkdir()
        start = time.perf_counter()
        injected = generate(reports, args.count)
        print(f"generated {len(injected)} reports in {time.perf_counter() - start:.1f} s")
        noise = control(min(args.count, 24))
        summary = Path(tmp) / "summary.csv"
        code, seconds = run_cli(reports, summary, args.jobs)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = {Path(r[0]).name: r for r in read_csv(summary)}
        found: dict[str, set[str]] = defaultdict(set)
        for r in read_csv(summary.with_name("summary.findings.csv")):
            found[Path(r[0]).name].add(r[2])
    missing_rows = sorted(set(injected) - set(rows))
    unreadable = sorted(n for n, r in rows.items() if r[7].startswith("unreadable"))
    missed = sorted(n for n, v in injected.items() if not (found[n] & v.rules))
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n in injected:
        kind = n.split("-", 1)[1].removesuffix(".txt")
        per_kind[kind][0] += n not in missed
        per_kind[kind][1] += 1
    jobs = args.jobs or os.cpu_count() or 1
    print(f"nianbao check exit code {code} (1 expected: every report has an error)")
    print(
        f"{len(injected)} reports in {seconds:.2f} s with {jobs} worker(s): {len(injected) / seconds:.0f} reports/s"
    )
    print(f"peak memory (largest of the CLI process and its workers, ru_maxrss): {peak_mb:.0f} MB")
    print(f"summary rows: {len(rows)}; unreadable: {len(unreadable)}; findings rows for {len(found)} files")
    for kind, (hit, total) in sorted(per_kind.items()):
        print(f"  {kind:15} {hit}/{total} injected errors in the summary")
    for name in missed[:20]:
        print(
            f"MISSED {name}: {injected[name].name}, expected one of {sorted(injected[name].rules)}, got {sorted(found[name])}"
        )
    for line in noise:
        print(f"CONTROL {line}")
    ok = code == 1 and not missing_rows and not unreadable and not missed and not noise
    print("every injected error is in the summary" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
