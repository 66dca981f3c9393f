"""Unfilled template (format-2021.md §2, R34 and R35): a report that still holds the template's
placeholder text 「（文字描述）」 or is the blank template itself, tables without a single figure."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model.cell import CellKind
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Paragraph, Report
from nianbao.model.template import PARTS
from nianbao.normalize import compact, nfkc
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.part_text import fallback_span, line_ref, part_name
from nianbao.rules.shared import paragraphs, per_check

# A whole paragraph in brackets that tells the drafter what to write: 「（文字描述）」,
# 「（文字描述，收取信息处理费情况在此处报告。）」, 「【请填写】」, 「（此处填写……）」.
_PLACEHOLDER_RE = re.compile(r"^[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]$")
_INSTRUCTION_RE = re.compile(r"文字描述|文字说明|在此处|此处填写|此处报告|请填写|待填写|填写内容|待补充")
# Narrative shorter than this (after the placeholders) is not a written report.
_MIN_NARRATIVE = 30
_PART_ORDER = {spec.key: i for i, spec in enumerate(PARTS)}
_FILLED = frozenset({CellKind.NUMBER, CellKind.INVALID, CellKind.SLASH, CellKind.DASH})


def is_placeholder(text: str) -> bool:
    """True for a paragraph that is a template instruction in brackets, not report text."""
    m = _PLACEHOLDER_RE.match(nfkc(compact(text)))
    return bool(m and _INSTRUCTION_RE.search(m.group(1)))


@per_check
def _placeholders(report: Report) -> list[Paragraph]:
    return [p for p in paragraphs(report) if is_placeholder(p.text)]


def _table_state(report: Report) -> tuple[list[str], int]:
    """(names of the tables found, number of cells with anything written in them)."""
    found: list[str] = []
    filled = 0
    for name, table in (("表二", report.table2), ("表三", report.table3), ("表四", report.table4)):
        if table is None or not table.found:
            continue
        found.append(name)
        filled += sum(1 for _, _, cell in table.iter_cells() if cell.kind in _FILLED)
    return found, filled


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 30 else text[:29] + "…"


@register
class UnfilledRule(Rule):
    """报告不应仍是空白模板，也不应留有“（文字描述）”等模板占位文字。

    What: a paragraph that is only a bracketed instruction of the template (「（文字描述）」,
    「（文字描述，收取信息处理费情况在此处报告。）」, 「（此处填写…）」) is reported where it stands. When the
    report is the blank template as a whole — the tables hold no figure at all and the text is nothing
    but such placeholders (or no text) — one finding says so instead of one per placeholder, so that
    a clerk who sent the wrong file reads one clear sentence rather than a list.
    Why: the format's parts must be written in full (R35) and the tables filled (R34); a published
    report with 「（文字描述）」 under a heading was published from the template unedited.
    Bad: 「五、存在的主要问题及改进情况」 followed by 「（文字描述）」.
    Good: 「五、存在的主要问题及改进情况」 followed by the problems found and the measures taken.
    """

    code = "STR-UNFILLED"
    name = "structure.unfilled_template"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R34", "R35")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        placeholders = _placeholders(report)
        tables, filled = _table_state(report)
        held = {id(p) for p in placeholders}
        narrative = sum(len(compact(p.text)) for p in paragraphs(report) if id(p) not in held)
        blank_tables = bool(tables) and filled == 0
        no_text = narrative < _MIN_NARRATIVE
        if (blank_tables and (placeholders or no_text)) or (placeholders and no_text):
            yield self._template(report, placeholders, tables if blank_tables else [])
            return
        for para in placeholders:
            where = part_name(para.part) if para.part else "报告开头"
            yield self.finding(
                f"{where}（{line_ref(para.span)}）仍是模板占位文字“{_quote(para.text)}”，未填写实际内容。",
                Location(span=para.span, part=para.part),
                actual=_quote(para.text),
                evidence=[para.text.strip()],
            )

    def _template(self, report: Report, placeholders: list[Paragraph], blank_tables: list[str]) -> Finding:
        said: list[str] = []
        if placeholders:
            parts = sorted(
                {p.part for p in placeholders if p.part}, key=lambda k: _PART_ORDER.get(k, len(_PART_ORDER))
            )
            where = "、".join(part_name(k).split("“")[0] for k in parts) if parts else "正文"
            said.append(f"{where}只有“{_quote(placeholders[0].text)}”等{len(placeholders)}处模板占位文字")
        else:
            said.append("正文没有填写内容")
        if blank_tables:
            said.append(f"{'、'.join(blank_tables)}没有填写任何数字")
        span = report.metadata.title_span or fallback_span(report)
        return self.finding(
            f"报告仍为空白模板：{'，'.join(said)}。请按本机关本年度的实际情况填写各部分内容和表格后再发布。",
            Location(span=span),
            actual="空白模板",
            evidence=[p.text.strip() for p in placeholders[:3]],
        )
