"""Fuzz every reader with mutated bytes of real files: truncated, bit-flipped, spliced, parts of a
.docx damaged inside a valid zip. Each case is read, parsed and checked; the only acceptable outcomes
are a report or a documented :class:`~nianbao.errors.ReadError` with both messages. A traceback, a
hang (over ``CASE_SECONDS``) or running out of the per-worker memory limit fails the test, naming the
seed file and the case seed so it can be replayed with :func:`fuzz_mutations.mutate`.

Seed files: our text fixtures, the same reports rendered to .docx and HTML by ``nianbao.render`` and
one to PDF by the tests' PDF maker (so every format is fuzzed without ../shared), and the corpus's PDF,
.docx and HTML files where ../shared is present. ``NIANBAO_FUZZ_SCALE`` multiplies the case counts
(e.g. 10 for a long local run).
"""

from __future__ import annotations

import multiprocessing
import os
import random

import pytest

import fuzz_mutations
import nianbao
import pdf_maker
from corpus_paths import CORPUS, FIXTURES
from nianbao import render

SCALE = float(os.environ.get("NIANBAO_FUZZ_SCALE", "1"))
# Cases per seed file, by format: PDF cases cost ~20× a text case, so they get fewer.
PER_SEED = {"text": 300, "docx": 300, "html": 300, "pdf": 60}


def _kind(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.lstrip()[:1] == b"<":
        return "html"
    return "text"


def _seeds() -> list[tuple[str, bytes]]:
    seeds: list[tuple[str, bytes]] = []
    for name in ("lushan-2024.txt", "clean-2024.txt", "clean-city-2025.md"):
        data = (FIXTURES / name).read_bytes()
        seeds.append((name, data))
        report = nianbao.read(FIXTURES / name)
        seeds.append((f"{name}.docx", render.render_docx(report)))
        seeds.append((f"{name}.html", render.render_html(report).encode("utf-8")))
    seeds.append(
        ("clean-2024.pdf", pdf_maker.report_pdf((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")))
    )
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            if path.suffix in (".docx", ".html") or path.name == "hongze-2023.pdf":
                seeds.append((path.name, path.read_bytes()))
    else:
        print(f"fuzz: ../shared/corpus not found at {CORPUS}; fuzzing our own files only")
    return seeds


def test_readers_survive_mutated_files() -> None:
    seeds = _seeds()
    kinds = [_kind(data) for _, data in seeds]
    assert {"text", "docx", "html", "pdf"} <= set(kinds), kinds
    rng = random.Random(20261126)
    cases: list[tuple[int, int, int]] = []
    for index, kind in enumerate(kinds):
        for _ in range(int(PER_SEED[kind] * SCALE)):
            cases.append((index, rng.randrange(len(seeds)), rng.randrange(2**32)))
    assert len(cases) >= 2000 * min(SCALE, 1.0)
    context = multiprocessing.get_context("fork")
    with context.Pool(2, initializer=fuzz_mutations.init_worker, initargs=(seeds,)) as pool:
        failures = [
            r for r in pool.imap_unordered(fuzz_mutations.run_case, cases, chunksize=8) if r is not None
        ]
    report = "\n\n".join(
        f"seed file {seeds[i][0]!r}, case seed {s} (other {seeds[o][0]!r}), {sec:.1f} s:\n{what}"
        for (i, o, s), what, sec in failures[:5]
    )
    assert not failures, f"{len(failures)} of {len(cases)} mutated files failed:\n{report}"


@pytest.mark.parametrize("seed", range(5))
def test_mutations_are_reproducible(seed: int) -> None:
    data = (FIXTURES / "clean-2024.txt").read_bytes()
    other = (FIXTURES / "lushan-2024.txt").read_bytes()
    first = fuzz_mutations.mutate(seed, data, other, is_zip=False)
    assert first == fuzz_mutations.mutate(seed, data, other, is_zip=False)
    assert first != data
