"""Generated variants of our fixtures and of real reports with one injected error each.

Each injected error must be found by the rule that owns it, and nothing the original did not already
raise may appear elsewhere (only findings of the owning rules, or at the injected lines, may be new).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import nianbao
from corpus_paths import FIXTURES
from nianbao import Finding
from nianbao.parse import parse
from nianbao.read import read_text


@dataclass(frozen=True)
class Variant:
    name: str
    text: str
    rules: frozenset[str]  # any of these must fire (with a new finding)


def _findings(text: str) -> list[Finding]:
    return nianbao.check(parse(read_text(text, path="variant.txt")))


def _key(f: Finding) -> tuple[str, int | None, str]:
    return (f.rule, f.location.span.line if f.location.span else None, f.message)


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def changed_cell(text: str, rng: random.Random) -> Variant:
    """Change one value cell of table 三 (a leaf row, a non-total column) by +1..+3."""
    lines = text.splitlines()
    candidates = [
        i
        for i, line in enumerate(lines)
        if re.search(r"(属于|申请|不掌握|重复|予以公开)", line) and re.search(r"[\t|] ?\d+ ?[\t|]", line)
    ]
    i = rng.choice(candidates)
    sep = "\t" if "\t" in lines[i] else "|"
    cells = lines[i].split(sep)
    nums = [k for k, c in enumerate(cells) if c.strip().isdigit()]
    k = rng.choice(nums[:-1])  # never the row's 总计 cell
    cells[k] = f" {int(cells[k]) + rng.randint(1, 3)} " if sep == "|" else str(int(cells[k]) + rng.randint(1, 3))
    lines[i] = sep.join(cells)
    return Variant(f"cell@{i + 1}", "\n".join(lines), frozenset({"T3-ROW-TOTAL", "T3-RESULT-TOTAL", "T3-BALANCE"}))


def changed_figure(text: str, rng: random.Random) -> Variant:
    """Change a narrative request figure that the table also states."""
    m = rng.choice(list(re.finditer(r"(收到政府信息公开申请|共办理答复|办结|上年结转|结转下年度继续办理)(\d+)件", text)))
    new = str(int(m.group(2)) + rng.randint(1, 9))
    out = text[: m.start(2)] + new + text[m.end(2) :]
    return Variant(f"figure:{m.group(1)}", out, frozenset({"TXT-REQUESTS"}))


def swapped_agency(text: str, rng: random.Random) -> Variant:
    """Put another county's name where the report speaks of its own work."""
    other = rng.choice(["沭阳县", "泗阳县", "宿豫区", "舞钢市"])
    m = re.search(r"组织(?:全市)?政务公开业务培训\d次", text)
    assert m
    out = text[: m.start()] + f"指导{other}" + text[m.start() :]
    return Variant(f"agency:{other}", out, frozenset({"ID-AGENCY"}))


def shifted_year(text: str, rng: random.Random) -> Variant:
    # The statement may be wrapped over two lines in PDF-extracted text: shift only the first year.
    m = re.search(r"统计期限为\s*(\d{4})\s*年", text)
    assert m
    year = str(int(m.group(1)) - rng.choice([1, 2]))
    out = text[: m.start(1)] + year + text[m.end(1) :]
    return Variant(f"year:{year}", out, frozenset({"ID-YEAR"}))


def removed_part(text: str, rng: random.Random) -> Variant:
    part = rng.choice(["五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    lines = text.splitlines()
    start = next(j for j, line in enumerate(lines) if line.lstrip("# ") == part)
    end = next(
        (j for j in range(start + 1, len(lines)) if re.match(r"^(## )?[一二三四五六]、", lines[j])), len(lines)
    )
    return Variant(f"removed:{part[:2]}", "\n".join(lines[:start] + lines[end:]), frozenset({"STR-PARTS"}))


def label_2019(text: str, rng: random.Random) -> Variant:
    old, new = rng.choice([("本年制发件数", "本年新制作数量"), ("现行有效件数", "对外公开总数量")])
    return Variant(f"2019:{new}", _replace_once(text, old, new), frozenset({"TPL-2019"}))


GENERATORS: list[Callable[[str, random.Random], Variant]] = [
    changed_cell,
    changed_figure,
    swapped_agency,
    shifted_year,
    removed_part,
    label_2019,
]


# Consistent reports we wrote ourselves: a county department as tab-separated text, and a prefecture
# government as PDF-extracted Markdown (wrapped lines, page footers, pipe tables).
CLEAN = ["clean-2024.txt", "clean-city-2025.md"]


def _variants() -> list[tuple[str, Variant]]:
    out = []
    for name in CLEAN:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        for gen in GENERATORS:
            for seed in range(3):
                out.append((name, gen(text, random.Random(f"{name}-{gen.__name__}-{seed}"))))
    return out


@pytest.fixture(scope="module")
def clean_findings() -> dict[str, set[tuple[str, int | None, str]]]:
    return {n: {_key(f) for f in _findings((FIXTURES / n).read_text(encoding="utf-8"))} for n in CLEAN}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_fixture_has_no_errors_or_warnings(name: str) -> None:
    found = _findings((FIXTURES / name).read_text(encoding="utf-8"))
    bad = [f for f in found if f.severity.value != "info"]
    assert not bad, "\n".join(f"{f.rule} {f.location.describe()} {f.message}" for f in bad)


@pytest.mark.parametrize(("name", "variant"), _variants(), ids=lambda v: v.name if isinstance(v, Variant) else v)
def test_injected_error_found(
    name: str, variant: Variant, clean_findings: dict[str, set[tuple[str, int | None, str]]]
) -> None:
    found = _findings(variant.text)
    new = [f for f in found if _key(f) not in clean_findings[name]]
    assert any(f.rule in variant.rules for f in new), (
        f"none of {sorted(variant.rules)} fired; new findings: {[(f.rule, f.message) for f in new]}"
    )


def _corpus_variant(path: Path) -> tuple[str, str]:
    """A real report with its first 「受理/收到…申请 N 件」 figure changed."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"(受理政府信息公开申请\s*)(\d+)(\s*件)", text)
    assert m, path
    return text, text[: m.start(2)] + str(int(m.group(2)) + 7) + text[m.end(2) :]


@pytest.mark.parametrize("name", ["shuyang-county-2025.txt", "shanghai-office-2025.md"])
def test_corpus_variant(name: str, corpus: Path) -> None:
    original, variant = _corpus_variant(corpus / name)
    before = {_key(f) for f in _findings(original)}
    after = _findings(variant)
    new = [f for f in after if _key(f) not in before]
    assert any(f.rule == "TXT-REQUESTS" and f.severity.value == "error" for f in new), new
    # Nothing else changed, so only the figure's own rule may add findings.
    assert all(f.rule == "TXT-REQUESTS" for f in new), [(f.rule, f.message) for f in new]
