"""Byte-level mutations of real files for the reader fuzz test, each reproducible from one integer seed.

A mutation is chosen and applied by :func:`mutate` from ``random.Random(seed)``, so a failing case is
replayed with the same seed and the same seed files. Containers get structure-aware mutations too: a
.docx is unzipped, one member damaged and zipped again (a valid zip with broken XML inside), because
a random bit flip in a zip mostly stops at the CRC check and never reaches the XML reader.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

Mutator = Callable[[random.Random, bytes, bytes], bytes]

_INTERESTING = (
    b"\x00",
    b"\xff",
    b"<",
    b">",
    b"&",
    b"%",
    b"\n",
    b"\t",
    b"0",
    b"9",
    b"\xe4\xb8",
    b"obj",
    b"PK",
)


def truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def bit_flip(rng: random.Random, data: bytes, other: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data))] + other[rng.randrange(len(other)) :]


def cut_range(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, max(1, len(data) // 8)))
    return data[:i] + data[j:]


def duplicate_range(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, 4096))
    return data[:j] + data[i:j] * rng.randint(1, 50) + data[j:]


def overwrite(rng: random.Random, data: bytes, other: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        token = rng.choice(_INTERESTING)
        i = rng.randrange(len(out))
        out[i : i + len(token)] = token
    return bytes(out)


BYTE_MUTATORS: tuple[Mutator, ...] = (truncate, bit_flip, splice, cut_range, duplicate_range, overwrite)


def zip_member(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Damage one member of a zip (XML text, relationships, content types) and zip it again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [(info.filename, z.read(info)) for info in z.infolist()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return bit_flip(rng, data, other)
    if not members:
        return data
    # Most damage goes to the main part, where the reader does most of its work.
    names = [n for n, _ in members]
    target = "word/document.xml" if "word/document.xml" in names and rng.random() < 0.6 else rng.choice(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            if name == target and body:
                mutator = rng.choice(BYTE_MUTATORS)
                body = mutator(rng, body, other)
            if rng.random() < 0.03:
                continue  # a missing part
            z.writestr(name, body)
    return buf.getvalue()


def mutate(seed: int, data: bytes, other: bytes, *, is_zip: bool) -> bytes:
    """The mutated bytes for ``seed``; ``other`` is a second real file for splicing."""
    rng = random.Random(seed)
    if is_zip and rng.random() < 0.6:
        return zip_member(rng, data, other)
    mutator = rng.choice(BYTE_MUTATORS)
    out = mutator(rng, data, other)
    if rng.random() < 0.2:  # a second, different kind of damage
        out = rng.choice(BYTE_MUTATORS)(rng, out or data, other)
    return out


# --- running cases in worker processes -------------------------------------------------------------

CASE_SECONDS = 30  # a case that runs longer is a hang
MEMORY_LIMIT = 3 * 1024**3  # address space per worker: a zip bomb that inflates fails loudly

_SEEDS: list[tuple[str, bytes]] = []


def init_worker(seeds: list[tuple[str, bytes]]) -> None:
    import resource

    global _SEEDS
    _SEEDS = seeds
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > MEMORY_LIMIT:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, hard))


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def run_case(case: tuple[int, int, int]) -> tuple[tuple[int, int, int], str, float] | None:
    """Read, parse and check one mutated file. None when it ends well (a report, or a documented
    ReadError); else (case, what went wrong, seconds)."""
    import signal
    import time
    import traceback

    import nianbao
    from nianbao.errors import ReadError
    from nianbao.parse import parse
    from nianbao.read import read_data

    index, other_index, seed = case
    name, data = _SEEDS[index]
    other = _SEEDS[other_index][1]
    mutated = mutate(seed, data, other, is_zip=data.startswith(b"PK\x03\x04"))
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    start = time.perf_counter()
    try:
        report = parse(read_data(mutated, f"fuzz-{name}-{seed}"))
        nianbao.check(report)
    except ReadError as e:
        if not e.message_zh or not e.message_en:
            return case, f"ReadError without both messages: {e!r}", time.perf_counter() - start
        return None
    except _Hang:
        return case, f"hang: still running after {CASE_SECONDS} s", time.perf_counter() - start
    except BaseException:  # the point of the test: anything else is a bug
        return case, traceback.format_exc(limit=6), time.perf_counter() - start
    finally:
        signal.alarm(0)
    return None
