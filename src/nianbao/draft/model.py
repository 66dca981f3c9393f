"""The draft: narrative parts made of sentences, each sentence with the note ids it rests on.

Both drafters (the offline templates and the LLM) produce a :class:`ReportDraft` through the
:class:`Drafter` protocol; :func:`draft_report` calls a drafter per narrative part and lists the notes it
did not use, so that nothing is silently dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from pydantic import BaseModel, ConfigDict, Field

from nianbao.model.template import PART_BY_KEY

if TYPE_CHECKING:
    from nianbao.draft.notes import Notes
    from nianbao.draft.table_data import TableData
    from nianbao.model.report import Report

# The six parts, in order. Every part is drafted (二 and 四 may hold only a sentence beside the table).
DRAFT_PARTS: Final[tuple[str, ...]] = ("overview", "active", "requests", "review", "problems", "other")


class DraftSentence(BaseModel):
    """One sentence of the draft and the ids of the notes it states (empty for a table-only sentence,
    whose figures come from the table data).

    ``subheading`` starts a new sub-section before this sentence (e.g. 「（一）主动公开」);
    ``paragraph_break`` starts a new paragraph.
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    note_ids: list[str] = Field(default_factory=list)
    subheading: str | None = None
    paragraph_break: bool = False


class DraftPart(BaseModel):
    """One of the six parts: its canonical key (``overview`` …), its heading, its sentences."""

    model_config = ConfigDict(extra="forbid")

    key: str
    heading: str
    sentences: list[DraftSentence] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentences joined (paragraphs by newlines, sub-headings on their own lines)."""
        lines: list[str] = []
        current = ""
        for s in self.sentences:
            if s.subheading is not None or s.paragraph_break:
                if current:
                    lines.append(current)
                current = ""
                if s.subheading is not None:
                    lines.append(s.subheading)
            current += s.text
        if current:
            lines.append(current)
        return "\n".join(lines)

    def note_ids(self) -> set[str]:
        """Every note id any sentence of the part rests on."""
        return {i for s in self.sentences for i in s.note_ids}


class Removed(BaseModel):
    """A sentence a drafter proposed and took out (unsupported number, a foreign place…), and why."""

    model_config = ConfigDict(extra="forbid")

    text: str
    reason: str
    note_ids: list[str] = Field(default_factory=list)
    part: str | None = None


class ReportDraft(BaseModel):
    """A drafted report: the six parts, the notes no sentence used, the sentences taken out."""

    model_config = ConfigDict(extra="forbid")

    agency: str
    year: int
    parts: list[DraftPart] = Field(default_factory=list)
    unused_notes: list[str] = Field(default_factory=list)
    removed: list[Removed] = Field(default_factory=list)

    def part(self, key: str) -> DraftPart | None:
        """The drafted part with this key."""
        return next((p for p in self.parts if p.key == key), None)

    def used_note_ids(self) -> set[str]:
        """Every note id any sentence rests on."""
        return {i for p in self.parts for i in p.note_ids()}


class Drafter(Protocol):
    """Drafts one part from the notes and tables (``previous`` only for structure, never for facts).

    A drafter may also have ``removed: list[Removed]`` filled while drafting (the LLM drafter does);
    :func:`draft_report` collects it.
    """

    def draft_part(self, key: str, notes: Notes, tables: TableData, previous: Report | None) -> DraftPart: ...


def part_heading(key: str) -> str:
    """The template heading of a part, e.g. 「一、总体情况」."""
    return PART_BY_KEY[key].heading


def _removed_of(drafter: Drafter, key: str) -> list[Removed]:
    taken = getattr(drafter, "take_removed", None)
    if callable(taken):
        out = taken(key)
        return list(out) if out else []
    return []


def unused_notes(draft: ReportDraft, notes: Notes) -> list[str]:
    """Ids of the notes that no sentence of the draft rests on, in file order."""
    used = draft.used_note_ids()
    return [i for i in notes.ids() if i not in used]


def draft_report(
    drafter: Drafter, notes: Notes, tables: TableData, previous: Report | None = None
) -> ReportDraft:
    """Draft every part with ``drafter`` and list the notes that were not used.

    A drafter that records sentences it took out exposes ``take_removed(part_key) -> list[Removed]``.
    """
    draft = ReportDraft(agency=notes.agency, year=notes.year)
    for key in DRAFT_PARTS:
        draft.parts.append(drafter.draft_part(key, notes, tables, previous))
        draft.removed.extend(_removed_of(drafter, key))
    draft.unused_notes = unused_notes(draft, notes)
    return draft


def redraft(
    draft: ReportDraft,
    key: str,
    drafter: Drafter,
    notes: Notes,
    tables: TableData,
    previous: Report | None = None,
) -> ReportDraft:
    """A copy of ``draft`` with part ``key`` drafted again (after its notes were edited); the other parts
    are kept as they are. Unused notes are recomputed; removed sentences of that part are replaced."""
    if key not in DRAFT_PARTS:
        raise ValueError(f"unknown part {key!r}; one of {', '.join(DRAFT_PARTS)}")
    new_part = drafter.draft_part(key, notes, tables, previous)
    parts = [new_part if p.key == key else p for p in draft.parts]
    if not any(p.key == key for p in draft.parts):
        parts.append(new_part)
        parts.sort(key=lambda p: DRAFT_PARTS.index(p.key) if p.key in DRAFT_PARTS else len(DRAFT_PARTS))
    removed = [r for r in draft.removed if r.part != key] + _removed_of(drafter, key)
    out = ReportDraft(agency=notes.agency, year=notes.year, parts=parts, unused_notes=[], removed=removed)
    out.unused_notes = unused_notes(out, notes)
    return out
