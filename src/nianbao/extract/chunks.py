"""What a model is shown: the report's narrative, part by part, in calls that fit the per-call budget.

Only narrative is sent, and only what a model can add to:

- parts 五 (problems, measures) and 六 (fee statements) whole;
- of 一 总体情况 and of the prose around the tables in 二–四, the sentences that state a figure the
  deterministic patterns did not read, or that speak of a topic the model is asked about (training,
  meetings, 政策解读, 依申请, fees) without a figure. A sentence whose every figure is already a rule
  fact (「共收到申请37件，办理答复37件」) is not sent: its facts are typed already.

Table grids never are sent: their values are typed (``report.table2`` …) and they are a large share of
a report's text. Each selected sentence keeps its place in the source (a :class:`Paragraph` of its own),
so a quote found in a chunk points back at its line and column.

A chunk holds whole parts, each introduced by its template heading, packed in document order while
they fit the budget (one call instead of four for a short report: the prompt and schema, a few hundred
tokens, are sent once); a part longer than the budget is split between its sentences. Pure: token counting is a function passed in (the extractor passes the adapter's counter);
the default is the UTF-8 byte count, an upper bound of any byte-level BPE tokenizer's count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from nianbao.extract.grounding import match_view
from nianbao.model.document import Segment
from nianbao.model.report import Fact, Paragraph, Part, Report
from nianbao.model.span import Span
from nianbao.model.template import PART_BY_KEY
from nianbao.model.trusted import trusted
from nianbao.numerals import parse_number
from nianbao.prose import is_prose

WHOLE_PARTS = ("problems", "other")  # sent whole
SELECTED_PARTS = ("overview", "active", "requests", "review")  # only sentences a model can add to
PART_ORDER = ("overview", "active", "requests", "review", "problems", "other")
OWN_CALL: tuple[str, ...] = ()  # parts never packed with others (none: one prompt asks for everything)

TokenCounter = Callable[[str], int]


def utf8_bytes(text: str) -> int:
    """Upper bound of the tokens of ``text`` under any byte-level BPE: its UTF-8 length."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class Chunk:
    """Pieces of narrative sent in one call. ``text`` joins them with newlines; an offset into ``text``
    maps back to its piece and source place with :meth:`place` / :meth:`span_at`."""

    parts: tuple[str, ...]
    label: str  # 「一、总体情况；六、其他需要报告的事项」, 「一、总体情况（2/3）」
    paragraphs: tuple[Paragraph, ...]

    @property
    def part(self) -> str:
        """The first part of the chunk (the only one for part 五)."""
        return self.parts[0]

    @property
    def text(self) -> str:
        """The chunk's text as sent to the model (and as searched for quotes)."""
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def title(self) -> str:
        """The template headings of the chunk's parts, e.g. 「五、存在的主要问题及改进情况」."""
        return "；".join(PART_BY_KEY[k].heading for k in self.parts)

    def place(self, offset: int) -> tuple[Paragraph, int]:
        """The piece holding character ``offset`` of :attr:`text`, and the offset within it."""
        start = 0
        for para in self.paragraphs:
            end = start + len(para.text)
            if offset < end or (offset == end and para is self.paragraphs[-1]):
                return para, max(0, offset - start)
            start = end + 1  # the joining newline
        last = self.paragraphs[-1]
        return last, len(last.text)

    def span_at(self, offset: int) -> Span:
        """The source place of character ``offset`` of :attr:`text`."""
        para, at = self.place(offset)
        return para.span_at(at)

    def part_at(self, offset: int) -> str | None:
        """The part key of character ``offset`` of :attr:`text`."""
        return self.place(offset)[0].part


# --- which text ------------------------------------------------------------------------------------


def _span_key(span: Span) -> tuple[object, ...]:
    return (span.path, span.page, span.line, span.paragraph, span.table, span.row, span.cell, span.element)


def _order(span: Span) -> tuple[int, int, int]:
    return (span.page or 0, span.line if span.line is not None else (span.paragraph or 0), span.column or 0)


def _part_paragraphs(part: Part, key: str) -> list[Paragraph]:
    """A part's prose paragraphs in document order, with its sub-heading lines that are not already
    paragraphs (a heading line carries its inline text: 「（二）存在的主要问题。一是…」)."""
    whole = key in WHOLE_PARTS
    paras = [p for p in part.paragraphs if p.text.strip() and (whole or is_prose(p.text))]
    seen = {_span_key(p.span) for p in part.paragraphs}
    heads: list[Paragraph] = []
    for head in part.subheadings:
        if _span_key(head.span) in seen or not head.text.strip():
            continue
        if not whole and not is_prose(head.inline_text or ""):
            continue
        heads.append(trusted(Paragraph, text=head.text, span=head.span, part=key))
    if not heads:
        return paras
    ordered = sorted(enumerate([*paras, *heads]), key=lambda t: (_order(t[1].span), t[0]))
    return [p for _, p in ordered]


def narrative(report: Report) -> dict[str, list[Paragraph]]:
    """Every prose paragraph per part key, in template order. A part under two headings (a duplicated
    「一、总体情况」) is one entry; paragraphs under an unrecognised heading go with the part they follow."""
    out: dict[str, list[Paragraph]] = {}
    for part in report.parts:
        key = part.key or next((p.part for p in part.paragraphs if p.part), None)
        if key not in PART_BY_KEY:
            continue
        paras = _part_paragraphs(part, key)
        if paras:
            out.setdefault(key, []).extend(paras)
    return {k: out[k] for k in PART_ORDER if k in out}


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
# Numbers that are not quantities: years, dates, document numbers, item numbers.
_NOT_FIGURES = re.compile(
    r"\d{4}年(?:度)?|\d{1,2}月\d{1,2}日|\d{1,2}月|〔\d{4}〕\d+号|\[\d{4}\]\d+号|第\d+号|第[一二三四五六七八九十\d]+[条项款部章]"
    r"|\(\d+\)|\([一二三四五六七八九十]+\)|^\s*\d+\.|[一二三四五六七八九十]+是|\d+(?:\.\d+)?%|[一二三四五六七八九十]+个部分"
)
# Quoted names (“五个中心”, “三安全一稳定”): a numeral in a name is no figure.
_NAMES = re.compile(r'"[^"]{1,16}"|《[^》]{1,40}》')
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CHINESE_COUNT = re.compile(
    r"[零〇一二两三四五六七八九十百千万]+(?=(?:余|多)?(?:次|条|篇|件|场|期|个|项|名|人|家|批|份|套|万))"
)
# A topic worth sending even without a figure: fee statements (「未收取信息处理费」) outside part 六.
_TOPICS = re.compile(r"收费|处理费")


# A sentence that is only a sub-heading title (「（二）依申请公开情况。」): context, no fact.
_SUBHEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）][^。，,；;]{0,16}[。.]?\s*$")


def figures(text: str) -> list[int | float]:
    """The quantities written in ``text`` (Arabic numbers, Chinese numerals before a counter word),
    leaving out years, dates, document and item numbers and percentages."""
    norm = _NOT_FIGURES.sub(" ", _NAMES.sub(" ", match_view(text).text))
    out: list[int | float] = []
    for pattern in (_ARABIC, _CHINESE_COUNT):
        for m in pattern.finditer(norm):
            value = parse_number(m.group())
            if value is not None:
                out.append(float(value) if not isinstance(value, int) else value)
    return out


def _sentences(para: Paragraph) -> Iterable[tuple[int, int]]:
    for m in _SENTENCE.finditer(para.text):
        if m.group().strip():
            yield m.start(), m.end()


def _covered(sentence: str, rule_facts: Sequence[Fact]) -> set[float]:
    inside = match_view(sentence).text
    return {float(f.value) for f in rule_facts if f.quote and match_view(f.quote).text in inside}


def wanted(sentence: str, rule_facts: Sequence[Fact]) -> bool:
    """Whether a sentence of 一–四 is worth a model's reading: a figure no rule fact holds, or a topic
    the model is asked about stated without a figure."""
    found = figures(sentence)
    if not found:
        return bool(_TOPICS.search(sentence))
    covered = _covered(sentence, rule_facts)
    return any(float(v) not in covered for v in found)


def select(paras: Sequence[Paragraph], key: str, rule_facts: Sequence[Fact]) -> list[Paragraph]:
    """The pieces of a part to send: everything of 五 and 六, the wanted sentences of 一–四."""
    if key in WHOLE_PARTS:
        return list(paras)
    out: list[Paragraph] = []
    for para in paras:
        spans = [
            (s, e)
            for s, e in _sentences(para)
            if not _SUBHEADING.match(para.text[s:e]) and wanted(para.text[s:e], rule_facts)
        ]
        out.extend(_merge(para, spans))
    return out


def _merge(para: Paragraph, spans: list[tuple[int, int]]) -> Iterable[Paragraph]:
    """Consecutive wanted sentences of a paragraph as one piece (the model reads them in context)."""
    run: tuple[int, int] | None = None
    for start, end in spans:
        if run is not None and para.text[run[1] : start].strip() == "":
            run = (run[0], end)
            continue
        if run is not None:
            yield _slice(para, *run)
        run = (start, end)
    if run is not None:
        yield _slice(para, *run)


def _slice(para: Paragraph, start: int, end: int) -> Paragraph:
    """Characters ``start:end`` of a paragraph as a paragraph of their own, places kept."""
    while start < end and para.text[start].isspace():
        start += 1
    if start == 0 and end == len(para.text):
        return para
    segments = [Segment(start=s.start - start, span=s.span) for s in para.segments if start < s.start < end]
    return Paragraph(text=para.text[start:end], span=para.span_at(start), segments=segments, part=para.part)


# --- how it is cut ---------------------------------------------------------------------------------


def _heading(report: Report, key: str) -> Paragraph:
    """A part's template heading as a piece (at the place of the part's heading): it tells the model
    which part follows, even where the report's own heading was missing or inferred."""
    part = report.part(key)
    span = part.heading.span if part is not None else Span()
    return trusted(Paragraph, text=PART_BY_KEY[key].heading, span=span, part=key)


def _fit(pieces: list[Paragraph], budget: int, count: TokenCounter) -> list[list[Paragraph]]:
    """Pieces in groups within the budget; a piece longer than the budget is cut between sentences."""
    groups: list[list[Paragraph]] = [[]]
    size = 0
    for whole in pieces:
        for piece in _cut(whole, budget, count):
            cost = count(piece.text) + 1
            if groups[-1] and size + cost > budget:
                groups.append([])
                size = 0
            groups[-1].append(piece)
            size += cost
    return [g for g in groups if g]


def _cut(para: Paragraph, budget: int, count: TokenCounter) -> Iterable[Paragraph]:
    if count(para.text) <= budget:
        yield para
        return
    start = end = 0
    for s, e in _sentences(para):
        if end > start and count(para.text[start:e]) > budget:
            yield _slice(para, start, end)
            start = s
        end = e
    if end > start:
        yield _slice(para, start, end)  # a single sentence over the budget still goes whole


def chunk_report(
    report: Report, budget: int, count: TokenCounter = utf8_bytes, parts: Sequence[str] | None = None
) -> list[Chunk]:
    """The report's narrative as chunks within ``budget`` tokens of text each (by ``count``), optionally
    only of some ``parts`` (keys)."""
    selected: dict[str, list[Paragraph]] = {}
    for key, paras in narrative(report).items():
        if parts is not None and key not in parts:
            continue
        pieces = select(paras, key, report.facts)
        if pieces:
            selected[key] = [_heading(report, key), *pieces]
    chunks: list[Chunk] = []
    pending: list[tuple[str, list[Paragraph]]] = []
    size = 0
    for key, pieces in selected.items():
        cost = sum(count(p.text) + 1 for p in pieces)
        if key in OWN_CALL or cost > budget:
            groups = _fit(pieces, budget, count)
            heading = PART_BY_KEY[key].heading
            for i, group in enumerate(groups, 1):
                label = heading if len(groups) == 1 else f"{heading}（{i}/{len(groups)}）"
                chunks.append(Chunk(parts=(key,), label=label, paragraphs=tuple(group)))
            continue
        if pending and size + cost > budget:
            chunks.append(_chunk(pending))
            pending, size = [], 0
        pending.append((key, pieces))
        size += cost
    if pending:
        chunks.append(_chunk(pending))
    order = {k: i for i, k in enumerate(PART_ORDER)}
    return sorted(chunks, key=lambda c: order[c.parts[0]])


def _chunk(group: list[tuple[str, list[Paragraph]]]) -> Chunk:
    keys = tuple(k for k, _ in group)
    label = "；".join(PART_BY_KEY[k].heading for k in keys)
    return Chunk(parts=keys, label=label, paragraphs=tuple(p for _, ps in group for p in ps))
