"""Is a drafted sentence supported? Pure checks of a sentence against the notes it cites and the tables.

A model proposes sentences, each with the ids of the notes it rests on; these checks decide which may
stand. A sentence is **unsupported** when it

- cites a note id that is not one of the part's notes (``unknown-note``);
- rests on no note and states no table figure: filler (``no-note``);
- holds a number that neither its cited notes nor the table data hold (``number``): Arabic figures
  (4376, 1,295, 17.46, 95%) and Chinese numerals before a measure word (「三次」, 「二十件」); a year is a
  number too, and the report's own year is always allowed;
- names a place (a 县/市/区/省 of :mod:`nianbao.divisions`) that its cited notes do not name and that is
  not the agency's own (``place``): 「舞钢市」 in 鲁山县's draft;
- names an agency (「…局」, 「…委员会」, 「…办公室」, 「…人民政府」) that its cited notes do not name and
  that is not the reporting agency (``agency``);
- repeats an earlier sentence of the draft (``repeat``).

Every message is bilingual and says what to do, because it is sent back to the model when it is re-asked.
The checks use no model and no network. :class:`Support` is plain data (a dict in the validation context),
so that the adapter's cache key covers it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from nianbao.divisions import find_in_text
from nianbao.extract.grounding import numbers_in
from nianbao.numerals import CHINESE_NUMERAL_CHARS, parse_number

if TYPE_CHECKING:
    from nianbao.draft.notes import Notes
    from nianbao.draft.table_data import TableData

__all__ = [
    "CONTEXT_KEY",
    "Problem",
    "Support",
    "agency_names",
    "allowed_numbers",
    "check_sentence",
    "part_note_ids",
    "sentence_key",
    "sentence_numbers",
    "table_numbers",
]

CONTEXT_KEY: Final = "draft_support"

# Citations of the format's own legal basis: their numbers are not facts of the year.
_CITATIONS: Final[tuple[str, ...]] = (
    "国务院令第711号",
    "国务院令第 711 号",
    "国办公开办函〔2021〕30号",
    "国办公开办函〔2021〕30 号",
    "国办公开办函[2021]30号",
)

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:万|亿)?")
_MEASURE = "件条次篇个期场项家元人名份批年月日天余多所户"
_CHINESE = re.compile(rf"(?<![第{CHINESE_NUMERAL_CHARS}])([{CHINESE_NUMERAL_CHARS}]+)(?=[{_MEASURE}])")

_AGENCY = re.compile(r"[\u4e00-\u9fff]{2}(?:人民政府办公室|人民政府|办公室|办公厅|委员会|局)")
_NOT_AGENCY: Final = frozenset(
    "格局 布局 大局 全局 结局 开局 当局 新局 变局 破局 胜局 时局 残局 棋局".split()
)
_PUNCT = re.compile(r"[\s\u3000，。、；：！？“”‘’（）《》〈〉【】「」『』,.;:!?\"'()\[\]<>…—-]+")


@dataclass(frozen=True)
class Problem:
    """Why a sentence is not supported: a code (``number``, ``place`` …) and a message a model can act on."""

    code: str
    message: str


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def sentence_key(text: str) -> str:
    """A sentence as compared for repeats: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", _nfkc(text))


def _strip_citations(text: str) -> str:
    for c in _CITATIONS:
        text = text.replace(c, "")
    return text


def sentence_numbers(text: str) -> list[tuple[str, Decimal]]:
    """The numbers a sentence states, as (written form, value): Arabic figures (with 万/亿 both
    readings count as the same figure), and Chinese numerals before a measure word other than a lone
    「一」 (「一批」, 「一件事」, 「进一步」 are words, not figures) or after 「第」."""
    norm = _strip_citations(_nfkc(text))
    out: list[tuple[str, Decimal]] = []
    for m in _ARABIC.finditer(norm):
        value = parse_number(m.group().replace(",", ""))
        if value is not None:
            out.append((m.group(), Decimal(value)))
    for m in _CHINESE.finditer(norm):
        token = m.group(1)
        if token in ("一", "两") or not any(ch not in "万亿" for ch in token):
            continue
        value = parse_number(token)
        if value is not None:
            out.append((token, Decimal(value)))
    return out


def _in(value: Decimal, allowed: Iterable[Decimal]) -> bool:
    return any(value == a for a in allowed)


def table_numbers(tables: TableData | None) -> set[Decimal]:
    """Every figure of the table data (table 二, 三, 四), as Decimals."""
    out: set[Decimal] = set()
    if tables is None:
        return out
    for name in ("table2", "table3", "table4"):
        table = getattr(tables, name, None)
        if table is None:
            continue
        for _row, _col, cell in table.iter_cells():
            value = cell.number()
            if value is not None:
                out.add(Decimal(value))
    return out


def allowed_numbers(note_texts: Iterable[str], tables: Iterable[Decimal], year: int) -> set[Decimal]:
    """The numbers a sentence may state: those of its notes, the table figures, the report's year."""
    out = set(tables)
    out.add(Decimal(year))
    for text in note_texts:
        out.update(numbers_in(text))
        out.update(v for _, v in sentence_numbers(text))
    return out


def agency_names(text: str) -> list[str]:
    """Agency-like names in ``text``: two characters and a unit suffix (「教育局」, 「政府办公室」 …);
    common words ending in 局 (格局, 大局 …) are not names."""
    out = []
    for m in _AGENCY.finditer(_nfkc(text)):
        name = m.group()
        if name.endswith("局") and name[-2:] in _NOT_AGENCY:
            continue
        out.append(name)
    return out


def part_note_ids(notes: Notes, key: str) -> list[str]:
    """The ids of the notes a part may cite: its narrative notes; for 五 the problems, measures and
    last year's problems."""
    if key == "problems":
        return [
            *(n.id for n in notes.problems),
            *(n.id for n in notes.measures),
            *(n.id for n in notes.prior_problems),
        ]
    return [n.id for n in notes.by_part(key)]


@dataclass
class Support:
    """What the sentences of one part may rest on. Plain data: :meth:`as_context` / :meth:`from_context`."""

    part: str
    notes: dict[str, str]  # id → full text, the notes this part may cite
    table_figures: list[str]  # the table data's figures, as strings of Decimals
    own_names: list[str]  # the reporting agency and its region
    year: int
    budget: int | None = None  # characters (字), punctuation included
    earlier: dict[str, str] = field(default_factory=dict)  # sentence_key → part key of earlier parts
    table_only_ok: bool = False  # 二、三、四: a sentence may rest on the tables alone

    @classmethod
    def build(
        cls,
        key: str,
        notes: Notes,
        tables: TableData | None,
        *,
        budget: int | None = None,
        earlier: Mapping[str, str] | None = None,
    ) -> Support:
        """The support of part ``key``."""
        ids = part_note_ids(notes, key)
        return cls(
            part=key,
            notes={i: notes.text_of(i) for i in ids},
            table_figures=sorted(str(v) for v in table_numbers(tables)),
            own_names=[x for x in (notes.agency, notes.region) if x],
            year=notes.year,
            budget=budget,
            earlier=dict(earlier or {}),
            table_only_ok=key in ("active", "requests", "review"),
        )

    def as_context(self) -> dict[str, Any]:
        """The validation context for instructor (JSON-able, so the cache key covers it)."""
        return {
            CONTEXT_KEY: {
                "part": self.part,
                "notes": self.notes,
                "table_figures": self.table_figures,
                "own_names": self.own_names,
                "year": self.year,
                "budget": self.budget,
                "earlier": self.earlier,
                "table_only_ok": self.table_only_ok,
            }
        }

    @classmethod
    def from_context(cls, context: Any) -> Support | None:
        """The support in a validation context, or None (no context: shape checks only)."""
        if not isinstance(context, dict) or not isinstance(context.get(CONTEXT_KEY), dict):
            return None
        return cls(**context[CONTEXT_KEY])

    @property
    def tables(self) -> set[Decimal]:
        return {Decimal(v) for v in self.table_figures}


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f")


def check_sentence(
    text: str, note_ids: Sequence[str], support: Support, seen: Mapping[str, str] | None = None
) -> Problem | None:
    """None when the sentence is supported; else the first problem. ``seen`` maps the keys of the
    sentences already kept in this part to a label (「第2句」), for repeats."""
    if not text.strip():
        return Problem("empty", "empty sentence 空句子：删除")
    unknown = [i for i in note_ids if i not in support.notes]
    if unknown:
        ids = "、".join(unknown)
        known = "、".join(support.notes) or "（无）"
        return Problem(
            "unknown-note",
            f"note id(s) {ids} are not notes of this part; cite only: {known} "
            f"笔记编号{ids}不是本部分的笔记，只能引用：{known}",
        )
    cited = [support.notes[i] for i in note_ids]
    numbers = sentence_numbers(text)
    if not note_ids and not (support.table_only_ok and numbers):
        return Problem(
            "no-note",
            "the sentence rests on no note: every sentence must state a noted fact and list its note ids, "
            "no filler 该句没有依据的笔记：每句必须陈述笔记中的事实并注明笔记编号，不写空话套话",
        )
    allowed = allowed_numbers(cited, support.tables, support.year)
    missing = [(shown, v) for shown, v in numbers if not _in(v, allowed)]
    if missing:
        figures = "、".join(dict.fromkeys(s for s, _ in missing))
        return Problem(
            "number",
            f"the number(s) {figures} are in neither the cited notes nor the tables: state only figures "
            f"written in the notes you cite (or in the tables), never compute or invent one "
            f"数字{figures}既不在所引笔记中，也不在统计表中：只能写所引笔记或统计表中的数字，不得推算或编造",
        )
    sources = [_nfkc(t) for t in (*cited, *support.own_names)]
    own = [_nfkc(n) for n in support.own_names]
    for m in find_in_text(_nfkc(text)):
        if any(m.name in s for s in sources) or any(m.name in o for o in own):
            continue
        return Problem(
            "place",
            f"the place {m.name} is not named in the cited notes and is not {'、'.join(support.own_names)}: "
            f"do not name other places 地名「{m.name}」不在所引笔记中，也不是本机关所在地：不得写其他地方",
        )
    for name in agency_names(text):
        if any(name in s for s in sources):
            continue
        return Problem(
            "agency",
            f"the agency {name} is not named in the cited notes: name only the reporting agency or agencies "
            f"in the notes 机关名称「{name}」不在所引笔记中：只能写本机关或笔记中写明的机关",
        )
    key = sentence_key(text)
    earlier = {**support.earlier, **(seen or {})}
    for other, where in earlier.items():
        if key == other or (min(len(key), len(other)) >= 12 and (key in other or other in key)):
            return Problem(
                "repeat",
                f"the sentence repeats {where}: say each fact once 该句与{where}重复：每个事实只写一次",
            )
    return None


def text_length(texts: Iterable[str]) -> int:
    """Characters of a part's text (字), spaces not counted."""
    return sum(len(re.sub(r"\s+", "", t)) for t in texts)
