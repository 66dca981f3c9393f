"""ReportDraft + notes + table data (+ last year's report) → a whole :class:`Report`, and its check.

The report has the title 「{机关}{年度}年政府信息公开工作年度报告」, the standard preamble (the legal
basis, the six parts, the 统计期限 of the year), the six parts with their sentences as paragraphs, and
the three tables from the table data (drawn by :mod:`nianbao.render` in the official layout). Last
year's report is used only to check the 上年结转 figure; no name or fact is ever taken from it.

Checking a draft is what a reviewer would do with the published file: render it to text, read that
back and run every rule (:func:`check_draft`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nianbao.draft.model import DRAFT_PARTS, DraftPart, DraftSentence, ReportDraft, part_heading
from nianbao.draft.notes import Notes
from nianbao.draft.offline import fee_statement
from nianbao.model.document import Segment
from nianbao.model.finding import Finding
from nianbao.model.report import Heading, Metadata, Paragraph, Part, Report
from nianbao.model.span import Span
from nianbao.model.template import PART_BY_KEY, PARTS

if TYPE_CHECKING:
    from nianbao.draft.table_data import TableData


def report_title(agency: str, year: int) -> str:
    """「{agency}{year}年政府信息公开工作年度报告」."""
    return f"{agency}{year}年政府信息公开工作年度报告"


def preamble_text(year: int) -> str:
    """The standard preamble: legal basis, the six parts (by their headings), the 统计期限."""
    names = "、".join(p.title for p in PARTS)
    return (
        "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
        "工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。"
        f"全文包括{names}六个部分。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


def carry_over_problem(tables: TableData, previous: Report | None) -> tuple[str, str] | None:
    """(Chinese, English) message when this year's 二、上年结转 differs from last year's 四、结转下年度继续办理
    (总计 column), else None (also when last year's table 三 could not be read)."""
    if previous is None or previous.table3 is None or not previous.table3.found:
        return None
    last = previous.table3.value("carry_out", "tot")
    if last is None:
        return None
    now = tables.t3("carry_in")
    if int(last) == now:
        return None
    year = previous.metadata.year
    label = f"{year}年度报告" if year else "上年度报告"
    return (
        f"表三“二、上年结转政府信息公开申请数量”为{now}件，但{label}表三“四、结转下年度继续办理”为{last}件，"
        "两者应当相等，请核对表格数据。",
        f"table 三 '二、上年结转' is {now}, but last year's report ({year or '?'}) carried {last} over "
        "('四、结转下年度继续办理'); they must be equal.",
    )


def input_problems(notes: Notes, tables: TableData) -> list[tuple[str, str]]:
    """(Chinese, English) problems between the notes and the tables that no drafter can fix: 表三 （六）2
    above 0 (fees were notified) while no 信息处理费 note states the notices and amounts."""
    out: list[tuple[str, str]] = []
    unpaid = tables.t3("other_2")
    if unpaid and not notes.by_topic("fee"):
        out.append(
            (
                f"表三“（六）其他处理／2.申请人逾期未按收费通知要求缴纳费用”为{unpaid}件，说明发出过收费通知，"
                "请在要点「信息处理费」中写明发出收费通知的件数、金额和实际收取的信息处理费。",
                f"table 三 row （六）2 is {unpaid}: fee notices were issued; add a 信息处理费 note stating "
                "the notices, their amount and the fees collected",
            )
        )
    return out


def agency_problem(notes: Notes, previous: Report | None) -> tuple[str, str] | None:
    """(Chinese, English) message when last year's report is another agency's, else None."""
    if previous is None or not previous.metadata.agency:
        return None
    if previous.metadata.agency == notes.agency:
        return None
    return (
        f"上年度报告的单位是“{previous.metadata.agency}”，与工作要点的单位“{notes.agency}”不同，"
        "请确认上年度报告是否选错。",
        f"last year's report is {previous.metadata.agency!r}, the notes are for {notes.agency!r}",
    )


def _ensure_fee_statement(part: DraftPart, tables: TableData) -> DraftPart:
    """Part 六 must say something about 收费通知 and 信息处理费: the zero statement when none is there."""
    if any("费" in s.text for s in part.sentences):
        return part
    zero = fee_statement(tables)
    if zero is None:
        return part
    return part.model_copy(update={"sentences": [DraftSentence(text=zero), *part.sentences]})


def _paragraphs(part: DraftPart) -> list[tuple[str, str | None]]:
    """(paragraph text, the inline sub-heading it starts with) for a drafted part."""
    out: list[tuple[str, str | None]] = []
    text, head = "", None
    for s in part.sentences:
        if s.subheading is not None or s.paragraph_break:
            if text:
                out.append((text, head))
            text, head = "", None
            if s.subheading is not None:
                text, head = s.subheading, s.subheading
        text += s.text
    if text:
        out.append((text, head))
    return out


def assemble(draft: ReportDraft, notes: Notes, tables: TableData, previous: Report | None = None) -> Report:
    """The whole report: title, preamble, the six parts (in template order) and the three tables.

    ``previous`` is not a source of anything in the report (see :func:`carry_over_problem`)."""
    del previous  # structure comes from the template; last year's facts and names are never copied
    title = report_title(notes.agency, notes.year)
    line = 1
    meta = Metadata(
        title=title,
        title_span=Span(line=line, column=1),
        agency=notes.agency,
        region=notes.region,
        level=notes.level,
        kind=notes.kind,
        year=notes.year,
    )

    def para(text: str, part: str | None) -> Paragraph:
        nonlocal line
        line += 2
        span = Span(line=line, column=1)
        return Paragraph(text=text, span=span, segments=[Segment(start=0, span=span)], part=part)

    preamble = [para(preamble_text(notes.year), None)]
    parts: list[Part] = []
    headings: list[Heading] = []
    drafted = {p.key: p for p in draft.parts}
    for key in DRAFT_PARTS:
        spec = PART_BY_KEY[key]
        dpart = drafted.get(key) or DraftPart(key=key, heading=part_heading(key))
        if key == "other":
            dpart = _ensure_fee_statement(dpart, tables)
        line += 2
        heading = Heading(
            text=spec.heading,
            number=spec.number,
            title=spec.title,
            depth=1,
            span=Span(line=line, column=1),
            part=key,
        )
        headings.append(heading)
        part = Part(key=key, heading=heading)
        for text, head in _paragraphs(dpart):
            p = para(text, key)
            part.paragraphs.append(p)
            if head is not None:
                number, _, rest = head.partition("）")
                sub = Heading(
                    text=text,
                    number=number + "）" if rest else "",
                    title=rest.rstrip("。") or head,
                    depth=2,
                    span=p.span,
                    part=None,
                    inline_text=text[len(head) :],
                )
                part.subheadings.append(sub)
                headings.append(sub)
        parts.append(part)
    return Report(
        metadata=meta,
        headings=headings,
        parts=parts,
        preamble=preamble,
        table2=tables.table2.model_copy(deep=True),
        table3=tables.table3.model_copy(deep=True),
        table4=tables.table4.model_copy(deep=True),
    )


def render_bytes(report: Report, suffix: str) -> bytes:
    """The report as a file: ``.docx`` (Word, official layout) or text (``.txt``, ``.md``)."""
    from nianbao.render import render_docx, render_text

    if suffix.lower() == ".docx":
        return render_docx(report)
    return render_text(report).encode("utf-8")


def check_draft(
    report: Report, previous: Report | None = None, *, name: str = "draft.txt"
) -> tuple[Report, list[Finding]]:
    """Check an assembled report as a reader would: render it to text, read that back, run every rule.

    Returns the report as read back (spans point into the rendered text) and the findings."""
    from nianbao.parse import parse
    from nianbao.read import read_data
    from nianbao.render import render_text
    from nianbao.rules import Context, run_rules

    read_back = parse(read_data(render_text(report).encode("utf-8"), name))
    return read_back, run_rules(read_back, Context(previous=previous))
