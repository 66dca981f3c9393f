"""Standard narrative statements → facts (pattern rules, no model).

The patterns and the fact keys they produce are documented in :mod:`nianbao.parse.statements`. Only
narrative prose is read: table rows never reach here, and table debris left between paragraphs by text
extraction is skipped (:func:`nianbao.prose.prose_paragraphs`). Each fact's span is the place of its number in
the source.
"""

from __future__ import annotations

from nianbao.model.report import Fact, Paragraph, Report
from nianbao.model.trusted import trusted
from nianbao.parse.statements import find_statements
from nianbao.prose import flatten, prose_paragraphs


def facts_of(para: Paragraph) -> list[Fact]:
    """The facts stated in one paragraph."""
    flat = flatten(para.text)
    facts: list[Fact] = []
    for st in find_statements(flat.text, part=para.part):
        raw_start = flat.source_offset(st.start)
        raw_end = flat.source_offset(st.end - 1) + 1
        facts.append(
            trusted(
                Fact,
                key=st.key,
                value=st.value,
                unit=st.unit,
                quote=para.text[raw_start:raw_end],
                span=para.span_at(flat.source_offset(st.num_start)),
                part=para.part,
                qualifiers=st.qualifiers,
            )
        )
    return facts


def extract_facts(report: Report) -> list[Fact]:
    """Every figure stated by a standard statement in the narrative, in document order."""
    out: list[Fact] = []
    for para in prose_paragraphs(report):
        out.extend(facts_of(para))
    return out
