"""Drafting metrics: deterministic scores of one drafted (and assembled) report against its notes, table
data, required facts and the reference report's own narrative text.

Every metric is computed from text alone (no model, no network); chrF needs ``sacrebleu`` (the ``eval``
extra), imported only when a chrF score is asked for.

- **number recall**: every number a note states (and the 表三/表四 totals the narrative summarises) is
  stated in the draft, followed by the note's unit (「4376条」 needs 「4376条」, not 「4376」). Per part: the
  part's notes in that part of the draft; overall: every noted number anywhere in the draft.
- **unsupported-number rate**: of the numbers the draft states, the share that neither the notes nor the
  tables hold (nor the report year). Numbers are compared by value after normalising full-width forms,
  thousands separators, 万/亿, Chinese numerals before a measure word and 百分之N (=N%).
- **required-fact recall**: the case's ``required_facts`` found in the draft (NFKC, no whitespace, no
  thousands separators).
- **identity errors**: identity-category findings of the checker on the assembled report, plus a direct
  scan of the drafted narrative for agency names, places, years and superior level words (全市, 我市 in a
  county report) that neither the case's agency nor the notes hold.
- **checker errors**: the checker's other findings on the assembled report, by severity (identity
  findings are counted above, not twice).
- **chrF** (character 6-grams, no word n-grams) and **length ratio** (draft characters / reference
  characters, whitespace not counted) per narrative part against the reference part texts.
- **repeated-sentence rate**: the share of the draft's sentences that repeat an earlier one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

from nianbao.divisions import find_in_text
from nianbao.draft.model import DRAFT_PARTS
from nianbao.draft.support import agency_names, sentence_key, sentence_numbers, table_numbers
from nianbao.extract.grounding import numbers_in
from nianbao.model.finding import Category, Finding, Severity
from nianbao.numerals import CHINESE_NUMERAL_CHARS, parse_number

if TYPE_CHECKING:
    from nianbao.draft.notes import Notes
    from nianbao.draft.table_data import TableData
    from nianbao.model.report import Report

__all__ = [
    "DIRECTIONS",
    "HEADLINE",
    "NARRATIVE_PARTS",
    "ChrfUnavailable",
    "IdentityIssue",
    "NotedNumber",
    "chrf",
    "identity_scan",
    "length_ratio",
    "noted_numbers",
    "repeated_rate",
    "required_fact_recall",
    "stated_numbers",
]

# The parts whose text is the report's own prose (二、三、四 are mostly their tables).
NARRATIVE_PARTS: Final[tuple[str, ...]] = ("overview", "problems", "other")

Direction = Literal["higher", "lower", "one"]
# The headline metrics of a case, and which way is better (``one``: closer to 1.0 is better).
DIRECTIONS: Final[dict[str, Direction]] = {
    "number_recall": "higher",
    "unsupported_rate": "lower",
    "required_fact_recall": "higher",
    "identity_errors": "lower",
    "checker_errors": "lower",
    "checker_warnings": "lower",
    "chrf": "higher",
    "length_ratio": "one",
    "repeated_rate": "lower",
}
HEADLINE: Final[tuple[str, ...]] = tuple(DIRECTIONS)

_UNIT_CHARS: Final = "件条次篇个期场项家元人名份批年月日天所户万亿%"
_APPROX: Final = "余多"
_PERCENT_WORDS = re.compile(rf"百分之([{CHINESE_NUMERAL_CHARS}\d.]+)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")
_WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


class ChrfUnavailable(RuntimeError):
    """sacrebleu is not installed: chrF cannot be computed."""

    def __init__(self) -> None:
        super().__init__(
            "chrF needs sacrebleu: pip install 'nianbao[eval]' (or pip install sacrebleu) "
            "计算 chrF 需要 sacrebleu：请安装 nianbao[eval]"
        )


def normalise(text: str) -> str:
    """NFKC (全角 → 半角), no whitespace, no thousands separators, 百分之N → N%."""
    t = unicodedata.normalize("NFKC", text)
    t = _WS.sub("", t)
    t = _THOUSANDS.sub("", t)

    def percent(m: re.Match[str]) -> str:
        value = parse_number(m.group(1))
        return f"{value}%" if value is not None else m.group()

    return _PERCENT_WORDS.sub(percent, t)


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _unit_after(text: str, end: int) -> str:
    """The unit written right after a number: 「条」, 「余条」, 「%」, or "" (no unit)."""
    i = end
    approx = ""
    while i < len(text) and text[i] in _APPROX and len(approx) < 1:
        approx += text[i]
        i += 1
    if i < len(text) and text[i] in _UNIT_CHARS:
        return approx + text[i]
    return ""


_ARABIC = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?")
_CHINESE = re.compile(
    rf"(?<![第{CHINESE_NUMERAL_CHARS}])([{CHINESE_NUMERAL_CHARS}]+)(?=[{_APPROX}]?[{_UNIT_CHARS}])"
)


def stated_numbers(text: str) -> list[tuple[Decimal, str]]:
    """(value, unit) of every number ``text`` states, after :func:`normalise`. Arabic figures always;
    Chinese numerals only before a unit (「三次」, 「二十余件」), a lone 一/两 never (「一批」, 「进一步」)."""
    norm = normalise(text)
    out: list[tuple[Decimal, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _ARABIC.finditer(norm):
        value = parse_number(m.group())
        if value is None:
            continue
        out.append((Decimal(value), _unit_after(norm, m.end())))
        taken.append(m.span())
    for m in _CHINESE.finditer(norm):
        token = m.group(1)
        if token in ("一", "两") or not any(ch not in "万亿" for ch in token):
            continue
        value = parse_number(token)
        if value is not None:
            out.append((Decimal(value), _unit_after(norm, m.end())))
    return out


def _values(text: str) -> set[Decimal]:
    """Every value a text may mean (both readings of 万/亿; sentence_numbers' reading of numerals)."""
    norm = normalise(text)
    out = set(numbers_in(norm))
    out.update(v for _, v in sentence_numbers(norm))
    out.update(v for v, _ in stated_numbers(norm))
    return out


# ------------------------------------------------------------------------------------- number recall


@dataclass(frozen=True)
class NotedNumber:
    """A number the draft must state: its value, unit (may be empty), the note (or table cell) and part."""

    value: Decimal
    unit: str
    source: str  # note id, or 表三/表四 and the row
    part: str | None  # the part whose notes hold it; None for a table figure (anywhere in the draft)

    def label(self) -> str:
        return f"{_shown(self.value)}{self.unit}（{self.source}）"


def _note_part(notes: Notes, note_id: str) -> str:
    for n in notes.items:
        if n.id == note_id:
            return n.part
    return "problems"


# 表三/表四 figures a report's narrative summarises (when above 0): received, settled, carried over,
# reviews and suits.
_T3_SUMMARY: Final = (("new", "表三 本年新收"), ("total", "表三 办结总计"), ("carry_out", "表三 结转下年度"))


def noted_numbers(notes: Notes, tables: TableData | None = None) -> list[NotedNumber]:
    """Every number of every note (with the unit written after it), and the table totals the narrative
    summarises (表三 本年新收, （七）总计, 结转下年度; 表四 复议 and 诉讼, when above 0), without repeats per part."""
    out: list[NotedNumber] = []
    seen: set[tuple[Decimal, str, str | None]] = set()
    for note in notes.all():
        part = _note_part(notes, note.id)
        for value, unit in stated_numbers(notes.text_of(note.id)):
            key = (value, unit, part)
            if key not in seen:
                seen.add(key)
                out.append(NotedNumber(value, unit, note.id, part))
    if tables is not None:
        figures = [(tables.t3(row), label) for row, label in _T3_SUMMARY]
        figures.append((tables.t4("review"), "表四 行政复议"))
        figures.append((tables.t4("suit_direct") + tables.t4("suit_after_review"), "表四 行政诉讼"))
        for number, label in figures:
            if number and (Decimal(number), "件", None) not in seen:
                seen.add((Decimal(number), "件", None))
                out.append(NotedNumber(Decimal(number), "件", label, None))
    return out


def _stated(number: NotedNumber, stated: Sequence[tuple[Decimal, str]]) -> bool:
    return any(v == number.value and (not number.unit or u == number.unit) for v, u in stated)


def number_recall(numbers: Sequence[NotedNumber], text: str) -> tuple[float | None, list[NotedNumber]]:
    """(share of ``numbers`` stated in ``text`` with their unit, the ones missing); None when none noted."""
    if not numbers:
        return None, []
    stated = stated_numbers(text)
    missing = [n for n in numbers if not _stated(n, stated)]
    return 1 - len(missing) / len(numbers), missing


# -------------------------------------------------------------------------------- unsupported numbers


def allowed_values(notes: Notes, tables: TableData | None) -> set[Decimal]:
    """The values a draft may state: the notes', the tables', the report year (and the year before)."""
    out: set[Decimal] = {Decimal(notes.year), Decimal(notes.year - 1)}
    out.update(table_numbers(tables))
    for note in notes.all():
        out.update(_values(notes.text_of(note.id)))
    out.update(_values(notes.agency))
    return out


def unsupported_numbers(text: str, allowed: set[Decimal]) -> tuple[int, list[str]]:
    """(how many numbers ``text`` states, the written forms of those not in ``allowed``)."""
    stated = stated_numbers(text)
    bad = [f"{_shown(v)}{u}" for v, u in stated if v not in allowed]
    return len(stated), bad


# ------------------------------------------------------------------------------------ required facts


def required_fact_recall(facts: Sequence[str | int | float], text: str) -> tuple[float | None, list[str]]:
    """(share of the facts found in ``text`` after :func:`normalise`, the missing ones); None for no facts."""
    if not facts:
        return None, []
    norm = normalise(text)
    missing = [str(f) for f in facts if normalise(str(f)) not in norm]
    return 1 - len(missing) / len(facts), missing


# ---------------------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class IdentityIssue:
    """Something in the draft that speaks for another agency, place, year or level."""

    kind: str  # agency | place | year | level-word | check
    text: str
    rule: str = ""

    def label(self) -> str:
        return f"{self.kind}:{self.text}" + (f"（{self.rule}）" if self.rule else "")


def identity_scan(text: str, notes: Notes, report: Report | None = None) -> list[IdentityIssue]:
    """A direct scan of the drafted narrative: agency names and places that neither the agency, its
    region nor the notes name; years other than the report year and the one before that the notes do
    not hold; the superiors' level words (全市, 我市, 本市 in a county report) the notes do not use.
    One issue per distinct name."""
    from nianbao.rules.identity import scope_of

    norm = unicodedata.normalize("NFKC", text)
    note_text = unicodedata.normalize("NFKC", "\n".join(notes.text_of(i) for i in notes.ids()))
    own = [unicodedata.normalize("NFKC", x) for x in (notes.agency, notes.region) if x]
    sources = [note_text, *own]
    issues: dict[tuple[str, str], IdentityIssue] = {}
    places = find_in_text(norm)
    for name in agency_names(norm):
        if any(name in s for s in sources):
            continue
        at = norm.find(name)
        # 「钢市人民政府办公室」 as matched → 「舞钢市人民政府办公室」, the place it starts in included
        start = next((p.start for p in places if p.start < at < p.end), at)
        full = norm[start : at + len(name)]
        issues.setdefault(("agency", full), IdentityIssue("agency", full))
    for m in places:
        if not any(m.name in s for s in sources):
            issues.setdefault(("place", m.name), IdentityIssue("place", m.name))
    note_years = {int(y) for y in _YEAR.findall(note_text)}
    for y in _YEAR.findall(norm):
        year = int(y)
        if year not in (notes.year, notes.year - 1) and year not in note_years:
            issues.setdefault(("year", y), IdentityIssue("year", f"{y}年"))
    scope = scope_of(report) if report is not None else None
    if scope is not None:
        for word in scope.superior_words:
            for pattern in (f"全{word}", f"我{word}", f"本{word}"):
                if pattern in norm and pattern not in note_text:
                    issues.setdefault(("level-word", pattern), IdentityIssue("level-word", pattern))
    return list(issues.values())


def identity_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The checker's identity-category findings."""
    return [f for f in findings if f.category is Category.IDENTITY]


def checker_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """The checker's findings other than identity ones, counted by severity."""
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        if f.category is not Category.IDENTITY:
            counts[f.severity.value] += 1
    return counts


# ------------------------------------------------------------------------------- text similarity


def _chars(text: str) -> int:
    return len(_WS.sub("", text))


def length_ratio(draft: str, reference: str | None) -> float | None:
    """Draft characters / reference characters (whitespace not counted); None without a reference."""
    if reference is None or _chars(reference) == 0:
        return None
    return _chars(draft) / _chars(reference)


_CHRF: Any = None


def chrf(draft: str, reference: str | None) -> float | None:
    """chrF (0–100) at character level (``CHRF(char_order=6, word_order=0)``), None without a reference.
    Raises :class:`ChrfUnavailable` when sacrebleu is missing."""
    global _CHRF
    if reference is None or not reference.strip():
        return None
    if _CHRF is None:
        try:
            from sacrebleu.metrics.chrf import CHRF
        except ImportError as error:  # pragma: no cover - sacrebleu is a dev dependency
            raise ChrfUnavailable() from error
        _CHRF = CHRF(char_order=6, word_order=0)
    return float(_CHRF.sentence_score(draft, [reference]).score)


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after 。！？； and at line breaks), as keys (no punctuation, NFKC);
    headings of two characters or fewer are not sentences."""
    out = []
    for piece in _SENTENCE_END.split(text):
        key = sentence_key(piece)
        if len(key) > 2:
            out.append(key)
    return out


def repeated_rate(text: str) -> tuple[float | None, list[str]]:
    """(share of sentences that repeat an earlier one, the repeated sentences); None for no sentences."""
    keys = sentences(text)
    if not keys:
        return None, []
    seen: set[str] = set()
    repeats = []
    for k in keys:
        if k in seen:
            repeats.append(k)
        seen.add(k)
    return len(repeats) / len(keys), repeats


# --------------------------------------------------------------------------------------- per part


@dataclass
class PartScore:
    """The metrics of one part (or of the whole draft, key ``all``)."""

    number_recall: float | None = None
    numbers_noted: int = 0
    numbers_missing: list[str] = field(default_factory=list)
    unsupported_rate: float | None = None
    numbers_stated: int = 0
    unsupported: list[str] = field(default_factory=list)
    chrf: float | None = None
    length_ratio: float | None = None
    repeated_rate: float | None = None
    repeats: list[str] = field(default_factory=list)


def score_text(
    text: str,
    numbers: Sequence[NotedNumber],
    allowed: set[Decimal],
    reference: str | None,
    *,
    with_chrf: bool = True,
) -> PartScore:
    """Every text metric of one part's (or the whole draft's) text."""
    recall, missing = number_recall(numbers, text)
    stated, bad = unsupported_numbers(text, allowed)
    rate, repeats = repeated_rate(text)
    return PartScore(
        number_recall=recall,
        numbers_noted=len(numbers),
        numbers_missing=[n.label() for n in missing],
        unsupported_rate=(len(bad) / stated) if stated else (0.0 if text.strip() else None),
        numbers_stated=stated,
        unsupported=bad,
        chrf=chrf(text, reference) if with_chrf else None,
        length_ratio=length_ratio(text, reference),
        repeated_rate=rate,
        repeats=repeats,
    )


def part_texts(report: Report) -> dict[str, str]:
    """The text of each of the six parts of an assembled (or read) report, "" for a missing part."""
    return {key: _part_text(report, key) for key in DRAFT_PARTS}


def _part_text(report: Report, key: str) -> str:
    """Every part with this key (a report may repeat a heading), joined."""
    return "\n".join(p.text for p in report.parts if p.key == key)


def reference_texts(report: Report) -> dict[str, str | None]:
    """The reference's narrative parts (overview, problems, other); None for a part it does not have."""
    out: dict[str, str | None] = {}
    for key in NARRATIVE_PARTS:
        text = _part_text(report, key)
        out[key] = text if text.strip() else None
    return out


def by_part(numbers: Iterable[NotedNumber]) -> Mapping[str | None, list[NotedNumber]]:
    """Noted numbers grouped by the part whose notes hold them (None: table figures)."""
    out: dict[str | None, list[NotedNumber]] = {}
    for n in numbers:
        out.setdefault(n.part, []).append(n)
    return out
