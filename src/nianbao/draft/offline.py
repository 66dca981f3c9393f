"""The offline drafter: official-register template phrases that state exactly the noted facts.

No model, no network. Every sentence is either a note's own text (with its id), a fixed phrase with no
figure in it, or a statement built from the table data (表三's 本年新收 / 上年结转 / 办结 / 结转, 表四's
复议 and 诉讼, the fee statement from 表三 （六）2). Nothing else: no number, name or year is made up.
The result is meant to be handed to a clerk for editing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nianbao.draft.model import DraftPart, DraftSentence, part_heading
from nianbao.draft.notes import Note, Notes

if TYPE_CHECKING:
    from nianbao.draft.table_data import TableData
    from nianbao.model.report import Report

_NUMBERS: Final = "一二三四五六七八九十"
_CLOSERS: Final = "。！？；;.!?"

# 总体情况: the five topics in the format's order, with their sub-heading titles.
OVERVIEW_SECTIONS: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    ("active", ("active",), "主动公开情况"),
    ("requests", ("requests",), "依申请公开情况"),
    ("management", ("management",), "政府信息管理情况"),
    ("platform", ("platform",), "平台建设情况"),
    ("oversight", ("oversight", "assessment", "evaluation", "accountability"), "监督保障情况"),
)


def cn_index(i: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 (enough for the numbering of a report)."""
    if i <= 10:
        return _NUMBERS[i - 1]
    return "十" + _NUMBERS[i - 11] if i < 20 else str(i)


def sentence(text: str) -> str:
    """A note's text as a full sentence: trimmed, ending with 「。」 (a final 「；」 or 「，」 replaced)."""
    t = " ".join(text.split())
    t = t.rstrip("，,；;、 ")
    if not t:
        return ""
    if t[-1] not in _CLOSERS and t[-1] not in "”」）)":
        t += "。"
    elif t[-1] in "”」）)" and len(t) > 1 and t[-2] not in _CLOSERS:
        t += "。"
    return t


def clause(text: str) -> str:
    """A note's text to embed in a sentence: no closing punctuation."""
    return " ".join(text.split()).rstrip("。！？；;.!?，, ")


def _note_sentence(note: Note) -> DraftSentence:
    return DraftSentence(text=sentence(note.text), note_ids=[note.id])


def requests_summary(tables: TableData, year: int) -> str:
    """「{year}年，本机关收到政府信息公开申请X件，上年结转Y件，办结Z件，结转下年度继续办理W件。」 from 表三."""
    new, carry_in = tables.t3("new"), tables.t3("carry_in")
    total, carry_out = tables.t3("total"), tables.t3("carry_out")
    if new == 0 and carry_in == 0 and total == 0 and carry_out == 0:
        return f"{year}年，本机关未收到政府信息公开申请。"
    parts = [f"{year}年，本机关收到政府信息公开申请{new}件"]
    if carry_in:
        parts.append(f"上年结转{carry_in}件")
    parts.append(f"办结{total}件")
    parts.append(f"结转下年度继续办理{carry_out}件" if carry_out else "无结转下年度继续办理的申请")
    return "，".join(parts) + "。"


def review_summary(tables: TableData) -> str:
    """表四 in one sentence: 行政复议 and 行政诉讼 counts, or that there were none."""
    review = tables.t4("review")
    suits = tables.t4("suit_direct") + tables.t4("suit_after_review")
    if review == 0 and suits == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    bits = []
    if review:
        bits.append(f"因政府信息公开工作被申请行政复议{review}件")
    else:
        bits.append("未发生因政府信息公开工作被申请行政复议的情况")
    if suits:
        bits.append(f"被提起行政诉讼{suits}件")
    else:
        bits.append("未被提起行政诉讼")
    return "本年度" + "，".join(bits) + "。"


def fee_statement(tables: TableData) -> str | None:
    """The zero fee statement when 表三 （六）2 is 0; None when notices were issued (the clerk's fee note
    must then state them: the tables do not hold the number of notices or the amount)."""
    if tables.t3("other_2") == 0:
        return "本年度未发出收费通知，未收取信息处理费。"
    return None


class OfflineDrafter:
    """Drafts every part from template phrases and the notes' own sentences (the default drafter)."""

    def draft_part(
        self, key: str, notes: Notes, tables: TableData, previous: Report | None = None
    ) -> DraftPart:
        """One part. ``previous`` is not used for any fact (only assembly uses it, for 上年结转)."""
        build = {
            "overview": self._overview,
            "active": self._active,
            "requests": self._requests,
            "review": self._review,
            "problems": self._problems,
            "other": self._other,
        }[key]
        return DraftPart(key=key, heading=part_heading(key), sentences=build(notes, tables))

    def _overview(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        out = [
            DraftSentence(
                text=f"{notes.year}年，{notes.agency}认真贯彻落实《条例》，"
                "坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。"
            )
        ]
        n = 0
        for key, topics, title in OVERVIEW_SECTIONS:
            items = [note for t in topics for note in notes.by_topic(t)]
            summary = requests_summary(tables, notes.year) if key == "requests" else None
            if not items and summary is None:
                continue
            n += 1
            head = f"（{cn_index(n)}）{title}。"
            first = True
            if summary is not None:
                out.append(DraftSentence(text=summary, subheading=head))
                first = False
            for note in items:
                s = _note_sentence(note)
                if first:
                    s.subheading = head
                    first = False
                out.append(s)
        return out

    def _table_part(self, notes: Notes, topic: str) -> list[DraftSentence]:
        return [_note_sentence(n) for n in notes.by_topic(topic)]

    def _active(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        return self._table_part(notes, "active_data")

    def _requests(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        return self._table_part(notes, "requests_data")

    def _review(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        return [DraftSentence(text=review_summary(tables)), *self._table_part(notes, "review_data")]

    def _problems(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        out: list[DraftSentence] = []
        n = 0
        if notes.prior_problems:
            n += 1
            head = f"（{cn_index(n)}）上年度问题整改情况。"
            for i, pp in enumerate(notes.prior_problems):
                out.append(
                    DraftSentence(
                        text=f"针对上年度报告的“{clause(pp.text)}”问题，{sentence(pp.done)}",
                        note_ids=[pp.id],
                        subheading=head if i == 0 else None,
                    )
                )
        n += 1
        head = f"（{cn_index(n)}）存在的主要问题及改进措施。"
        for i, pr in enumerate(notes.problems, 1):
            measures = notes.measures_for(pr.id)
            out.append(
                DraftSentence(
                    text=f"{cn_index(i)}是{sentence(pr.text)}",
                    note_ids=[pr.id],
                    subheading=head if i == 1 else None,
                    paragraph_break=i > 1,
                )
            )
            for m in measures:
                out.append(DraftSentence(text=f"改进措施：{sentence(m.text)}", note_ids=[m.id]))
        return out

    def _other(self, notes: Notes, tables: TableData) -> list[DraftSentence]:
        out: list[DraftSentence] = []
        fee_notes = notes.by_topic("fee")
        if fee_notes:
            out.extend(_note_sentence(n) for n in fee_notes)
        else:
            zero = fee_statement(tables)
            if zero is not None:
                out.append(DraftSentence(text=zero))
        for topic in ("key_tasks", "proposals", "other_matters"):
            items = notes.by_topic(topic)
            for i, note in enumerate(items):
                s = _note_sentence(note)
                s.paragraph_break = i == 0
                out.append(s)
        if not any(notes.by_topic(t) for t in ("key_tasks", "proposals", "other_matters")):
            out.append(DraftSentence(text="本机关无其他需要报告的事项。"))
        return out


__all__ = [
    "OVERVIEW_SECTIONS",
    "OfflineDrafter",
    "clause",
    "cn_index",
    "fee_statement",
    "requests_summary",
    "review_summary",
    "sentence",
]
