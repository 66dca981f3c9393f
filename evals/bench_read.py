"""Read + check time per format (a benchmark that prints numbers; not a test).

    .venv/bin/python evals/bench_read.py            # corpus files (../shared/corpus) and our fixtures
    .venv/bin/python evals/bench_read.py --repeat 5

For every file: the median over ``--repeat`` runs of read (bytes → Document), parse (→ Report) and
check (→ findings), in one process after one warm-up run, with the page count for PDFs. Files are read
from disk each time (as the CLI does). Our fixtures are also rendered to .docx and HTML by
``nianbao.render`` so that every format is measured even where ../shared is absent.

Targets (issue 3): .docx and HTML under 150 ms per report; PDF under 1 s per 10 pages.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nianbao
from nianbao.parse import parse
from nianbao.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "fixtures"
TARGET_MS = {"docx": 150.0, "html": 150.0}
TARGET_PDF_MS_PER_10_PAGES = 1000.0


def _pages(path: Path) -> int | None:
    if path.read_bytes()[:4] != b"%PDF":
        return None
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _measure(path: Path, repeat: int) -> tuple[str, float, float, float, int]:
    """(format, median read ms, median parse ms, median check ms, findings)."""
    reads: list[float] = []
    parses: list[float] = []
    checks: list[float] = []
    fmt, count = "?", 0
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        document = read_document(path)
        t1 = time.perf_counter()
        report = parse(document)
        t2 = time.perf_counter()
        findings = nianbao.check(report)
        t3 = time.perf_counter()
        fmt, count = document.format, len(findings)
        if i:  # the first run warms imports and caches
            reads.append((t1 - t0) * 1000)
            parses.append((t2 - t1) * 1000)
            checks.append((t3 - t2) * 1000)
    return fmt, statistics.median(reads), statistics.median(parses), statistics.median(checks), count


def _rendered(tmp: Path) -> list[Path]:
    try:
        from nianbao import render
    except ImportError:
        return []
    out: list[Path] = []
    for name in ("clean-2024.txt", "lushan-2024.txt", "clean-city-2025.md"):
        report = nianbao.read(FIXTURES / name)
        stem = Path(name).stem
        docx = tmp / f"{stem}.rendered.docx"
        docx.write_bytes(render.render_docx(report))
        html = tmp / f"{stem}.rendered.html"
        html.write_text(render.render_html(report), encoding="utf-8")
        out += [docx, html]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        files = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md"))
        if CORPUS.is_dir():
            files += sorted(
                p
                for p in CORPUS.iterdir()
                if p.suffix in (".pdf", ".docx", ".html", ".txt", ".md") and p.name != "INDEX.md"
            )
        else:
            print(f"(../shared/corpus not found at {CORPUS}: measuring our fixtures only)")
        files += _rendered(Path(tmp_name))
        print(
            f"{'file':44} {'format':9} {'pages':>5} {'read':>9} {'parse':>8} {'check':>8} {'total':>9} {'findings':>8}  target"
        )
        worst: dict[str, float] = {}
        for path in files:
            try:
                fmt, r, p, c, n = _measure(path, args.repeat)
            except nianbao.ReadError as e:
                print(f"{path.name:44} unreadable: {e.message_en}")
                continue
            pages = _pages(path)
            total = r + p + c
            if fmt == "pdf" and pages:
                per10 = total / pages * 10
                verdict = f"{per10:.0f} ms/10 pages {'ok' if per10 <= TARGET_PDF_MS_PER_10_PAGES else 'OVER'}"
                worst["pdf (ms per 10 pages)"] = max(worst.get("pdf (ms per 10 pages)", 0.0), per10)
            elif fmt in TARGET_MS:
                verdict = "ok" if total <= TARGET_MS[fmt] else "OVER"
                worst[fmt] = max(worst.get(fmt, 0.0), total)
            else:
                verdict = ""
            print(
                f"{path.name:44} {fmt:9} {pages or '':>5} {r:8.1f}ms {p:7.1f}ms {c:7.1f}ms {total:8.1f}ms {n:8}  {verdict}"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    for fmt, ms in sorted(worst.items()):
        print(f"slowest {fmt}: {ms:.1f} ms")
    print(f"max RSS: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
