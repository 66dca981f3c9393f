"""The notebook drafting session: HTML views of a :class:`~nianbao.model.report.Report`, a
:class:`~nianbao.draft.model.ReportDraft` and a list of findings, for Jupyter.

    from nianbao.draft import notebook
    notebook.enable()              # Report, ReportDraft and lists of findings display as HTML
    notebook.show(draft, findings) # the draft with its findings beside it

- A **report** shows its title, agency/year line, the six parts and the three tables (folded, in the
  official layout).
- A **draft** shows each part's sentences coloured by the note they rest on: every note id has its own
  stable colour (the same id is the same colour in every session), the ids are on each sentence's
  hover title and as small tags after it; a sentence resting on no note is underlined in red. Below:
  the notes that no sentence uses (nothing is dropped silently) and the sentences that were removed,
  each with its reason.
- A **list of findings** is a table: severity, rule, place, message; its caption counts errors,
  warnings and notices (「错误0项」 when clean).

:func:`enable` registers IPython display formatters for the types (model classes stay free of display
code and of any IPython import); without IPython the functions still return HTML strings, and
:func:`show` returns an object with ``_repr_html_`` that any notebook front end displays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from nianbao.model.finding import Finding, Severity
from nianbao.model.report import Report
from nianbao.model.template import PART_BY_KEY
from nianbao.render.layout import Grid, blocks, report_title

if TYPE_CHECKING:
    from nianbao.draft.model import DraftPart, ReportDraft
    from nianbao.draft.notes import Notes
    from nianbao.draft.table_data import TableData

__all__ = [
    "HTML",
    "FindingList",
    "draft_html",
    "enable",
    "findings_html",
    "note_colour",
    "report_html",
    "show",
    "stream_part",
]

CSS = """
.nianbao-nb { font-family: "仿宋_GB2312", "FangSong", "STFangsong", "Songti SC", serif; line-height: 1.7;
  color: #111; max-width: 72em; }
.nianbao-nb h3 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 1.15em; margin: 0.4em 0; }
.nianbao-nb h4 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 1em; margin: 0.8em 0 0.2em; }
.nianbao-nb .meta { color: #555; font-size: 0.9em; margin-bottom: 0.5em; }
.nianbao-nb p { margin: 0.25em 0; text-indent: 2em; }
.nianbao-nb .s { border-radius: 3px; padding: 0 1px; }
.nianbao-nb .lead { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; font-weight: bold; }
.nianbao-nb .s.bare { text-decoration: underline wavy #c00; }
.nianbao-nb .tag { font-size: 0.7em; font-family: monospace; border-radius: 3px; padding: 0 2px;
  margin-left: 1px; vertical-align: super; color: #333; }
.nianbao-nb table { border-collapse: collapse; font-size: 0.8em; margin: 0.3em 0; }
.nianbao-nb th, .nianbao-nb td { border: 1px solid #999; padding: 1px 4px; text-align: left;
  vertical-align: top; font-weight: normal; }
.nianbao-nb td.v { text-align: right; font-family: monospace; }
.nianbao-nb th.caption { font-weight: bold; text-align: center; }
.nianbao-nb .sev-error { color: #b00; font-weight: bold; }
.nianbao-nb .sev-warning { color: #a60; }
.nianbao-nb .sev-info { color: #666; }
.nianbao-nb .removed { color: #900; text-decoration: line-through; }
.nianbao-nb .cols { display: flex; gap: 1.5em; align-items: flex-start; }
.nianbao-nb .cols > div { flex: 1 1 0; min-width: 0; }
.nianbao-nb details summary { cursor: pointer; color: #333; }
""".strip()

_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _page(body: str) -> str:
    return f'<div class="nianbao-nb">\n<style>\n{CSS}\n</style>\n{body}\n</div>'


class HTML:
    """An HTML fragment that notebooks display (``_repr_html_``); ``str()`` gives the markup."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"HTML({len(self.html)} characters)"


# --- colours ---------------------------------------------------------------------------------------


def note_colour(note_id: str, lightness: int = 86) -> str:
    """A stable pastel colour for a note id: the same id gives the same colour in every session."""
    digest = hashlib.sha256(note_id.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    return f"hsl({hue}, 70%, {lightness}%)"


# --- findings --------------------------------------------------------------------------------------


def _place(finding: Finding) -> str:
    loc = finding.location
    part = PART_BY_KEY[loc.part].heading if loc.part in PART_BY_KEY else ""
    where = loc.describe()
    return "，".join(x for x in (part, where) if x)


def findings_summary(findings: Sequence[Finding]) -> str:
    """「错误0项，警告1项，提示2项」."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    return "，".join(f"{_SEVERITY_ZH[s.value]}{counts[s]}项" for s in Severity)


def _findings_table(findings: Sequence[Finding]) -> str:
    caption = f"检查结果 Findings：{findings_summary(findings)}"
    if not findings:
        return f'<h4>{escape(caption)}</h4>\n<p class="meta">未发现问题。No findings.</p>'
    ordered = sorted(findings, key=lambda f: -f.severity.rank)
    rows = [
        f'<tr><td class="sev-{f.severity.value}">{_SEVERITY_ZH[f.severity.value]}</td>'
        f"<td><code>{escape(f.rule)}</code></td><td>{escape(_place(f))}</td><td>{escape(f.message)}</td></tr>"
        for f in ordered
    ]
    return (
        f'<h4>{escape(caption)}</h4>\n<table class="findings">\n'
        "<tr><th>级别</th><th>规则</th><th>位置</th><th>说明</th></tr>\n" + "\n".join(rows) + "\n</table>"
    )


def findings_html(findings: Sequence[Finding]) -> str:
    """A list of findings as an HTML table (severity, rule, place, message), errors first."""
    return _page(_findings_table(findings))


class FindingList(list[Finding]):
    """A list of findings that displays as a table in a notebook (an empty one too: 「错误0项」)."""

    def _repr_html_(self) -> str:
        return findings_html(self)

    @property
    def errors(self) -> list[Finding]:
        """Only the findings of severity error."""
        return [f for f in self if f.severity == Severity.ERROR]


# --- report ----------------------------------------------------------------------------------------


def _grid_html(grid: Grid) -> str:
    lines = ["<table>"]
    for row in grid.rows():
        cells = []
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            if cell.role == "value":
                cells.append(f'<td class="v"{span}>{escape(cell.text)}</td>')
            else:
                cls = ' class="caption"' if cell.role == "caption" else ""
                cells.append(f"<th{cls}{span}>{escape(cell.text)}</th>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


_TABLE_NAME = {
    "table2": "表二 主动公开政府信息情况",
    "table3": "表三 收到和处理政府信息公开申请情况",
    "table4": "表四 行政复议、行政诉讼情况",
}


def _report_body(report: Report, *, tables: bool = True) -> str:
    meta = report.metadata
    bits = [
        x
        for x in (
            meta.agency and f"单位：{meta.agency}",
            meta.year and f"年度：{meta.year}",
            meta.level.value != "unknown" and f"层级：{meta.level.value}",
        )
        if x
    ]
    out = [f"<h3>{escape(report_title(report))}</h3>", f'<div class="meta">{escape("　".join(bits))}</div>']
    for block in blocks(report):
        if block.kind == "title":
            continue
        if block.grid is not None:
            if tables:
                name = _TABLE_NAME.get(block.grid.key, block.grid.key)
                out.append(
                    f"<details><summary>{escape(name)}</summary>\n{_grid_html(block.grid)}\n</details>"
                )
        elif block.kind == "heading":
            out.append(f"<h4>{escape(block.text)}</h4>")
        elif block.lead:
            lead, rest = escape(block.text[: block.lead]), escape(block.text[block.lead :])
            out.append(f'<p><span class="lead">{lead}</span>{rest}</p>')
        elif block.text.strip():
            out.append(f"<p>{escape(block.text)}</p>")
    return "\n".join(out)


def report_html(report: Report, *, tables: bool = True, findings: Sequence[Finding] | None = None) -> str:
    """A report as compact HTML: title, agency and year, the parts, the tables folded; with
    ``findings``, their table beside the report."""
    body = _report_body(report, tables=tables)
    if findings is not None:
        body = f'<div class="cols"><div>{body}</div><div>{_findings_table(findings)}</div></div>'
    return _page(body)


# --- draft -----------------------------------------------------------------------------------------


def _tags(note_ids: Iterable[str]) -> str:
    return "".join(
        f'<span class="tag" style="background:{note_colour(i, 72)}">{escape(i)}</span>' for i in note_ids
    )


def _sentence_html(text: str, note_ids: Sequence[str], notes: Notes | None) -> str:
    if not note_ids:
        return f'<span class="s bare" title="无依据笔记 rests on no note">{escape(text)}</span>'
    title = "依据 notes: " + ", ".join(note_ids)
    if notes is not None:
        texts = []
        for i in note_ids:
            found = _note_text(notes, i)
            if found:
                texts.append(f"{i}: {found}")
        if texts:
            title = "\n".join(texts)
    colour = note_colour(note_ids[0])
    if len(note_ids) > 1:  # a sentence on several notes: their colours side by side
        stops = ", ".join(note_colour(i) for i in note_ids)
        style = f"background: linear-gradient(90deg, {stops})"
    else:
        style = f"background:{colour}"
    return (
        f'<span class="s" style="{style}" data-notes="{escape(" ".join(note_ids))}" '
        f'title="{escape(title)}">{escape(text)}</span>{_tags(note_ids)}'
    )


def _note_text(notes: Notes, note_id: str) -> str:
    getter = getattr(notes, "get", None)
    if getter is None:
        return ""
    try:
        item = getter(note_id)
    except (KeyError, LookupError):
        return ""
    return str(getattr(item, "text", "")) if item is not None else ""


def draft_sentence_count(draft: ReportDraft) -> int:
    """How many sentences the draft holds (all parts)."""
    return sum(len(p.sentences) for p in draft.parts)


def _draft_body(draft: ReportDraft, notes: Notes | None) -> str:
    count = draft_sentence_count(draft)
    out = [
        f"<h3>{escape(draft.agency)}{draft.year}年政府信息公开工作年度报告（草稿）</h3>",
        f'<div class="meta">{escape(draft.agency)}　{draft.year}年　{len(draft.parts)}个部分，'
        f"共{count}句 ({count} sentences)；未使用笔记{len(draft.unused_notes)}条，"
        f"删除句子{len(draft.removed)}句</div>",
    ]
    for part in draft.parts:
        out.append(f"<h4>{escape(part.heading)}</h4>")
        if not part.sentences:
            out.append('<p class="meta">（本部分无句子）</p>')
            continue
        paragraphs: list[str] = []
        current = ""
        for s in part.sentences:
            if (s.subheading is not None or s.paragraph_break) and current:
                paragraphs.append(current)
                current = ""
            if s.subheading is not None:
                current += f'<span class="lead">{escape(s.subheading)}</span>'
            current += _sentence_html(s.text, s.note_ids, notes)
        if current:
            paragraphs.append(current)
        out.extend(f"<p>{p}</p>" for p in paragraphs)
    if draft.unused_notes:
        items = "".join(
            f"<li>{_tags([i])} {escape(_note_text(notes, i) if notes is not None else '')}</li>"
            for i in draft.unused_notes
        )
        out.append(f"<h4>未使用的笔记 Unused notes（{len(draft.unused_notes)}）</h4><ul>{items}</ul>")
    if draft.removed:
        items = "".join(
            f'<li><span class="removed">{escape(r.text)}</span>{_tags(r.note_ids)}'
            f"<br><small>{escape(r.reason)}</small></li>"
            for r in draft.removed
        )
        out.append(f"<h4>已删除的句子 Removed sentences（{len(draft.removed)}）</h4><ul>{items}</ul>")
    return "\n".join(out)


def draft_html(
    draft: ReportDraft, notes: Notes | None = None, findings: Sequence[Finding] | None = None
) -> str:
    """A draft as HTML: sentences coloured by their notes (ids on hover and as tags), unused notes,
    removed sentences; with ``notes`` the hover shows each note's text; with ``findings`` their table
    is beside the draft."""
    body = _draft_body(draft, notes)
    if findings is not None:
        body = f'<div class="cols"><div>{body}</div><div>{_findings_table(findings)}</div></div>'
    return _page(body)


# --- streaming one part ---------------------------------------------------------------------------


def streaming_html(heading: str, texts: Sequence[str]) -> str:
    """A part being written: its heading and the sentences received so far (not yet checked, so
    uncoloured, and marked as such)."""
    body = "".join(f'<span class="s">{escape(t)}</span>' for t in texts)
    return _page(
        f"<h4>{escape(heading)}</h4>\n<p>{body}</p>\n"
        f'<p class="meta">生成中，共{len(texts)}句（尚未核对）writing… {len(texts)} sentence(s), not yet checked</p>'
    )


def part_html(part: DraftPart, notes: Notes | None = None) -> str:
    """One checked part: its sentences coloured by their notes."""
    body = "".join(
        (f'<span class="lead">{escape(s.subheading)}</span>' if s.subheading else "")
        + _sentence_html(s.text, s.note_ids, notes)
        for s in part.sentences
    )
    return _page(f"<h4>{escape(part.heading)}</h4>\n<p>{body or '（本部分无句子）'}</p>")


def _display_handle(html: str) -> Any:
    """A display (IPython ``display(..., display_id=True)``) to update in place, or None outside a
    running IPython."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    if get_ipython() is None:
        return None
    return display(HTML(html), display_id=True)  # type: ignore[no-untyped-call]


def stream_part(
    drafter: Any,
    key: str,
    notes: Notes,
    tables: TableData,
    previous: Report | None = None,
    *,
    handle: Any = None,
) -> DraftPart:
    """Draft part ``key`` showing the model's sentences in one notebook output as they arrive, then the
    checked part (unsupported sentences removed, exactly as ``drafter.draft_part`` would); returns it.

    ``drafter`` is an :class:`~nianbao.draft.llm_drafter.LLMDrafter` (anything with ``stream_part``);
    another drafter drafts the part at once. ``handle`` is the display to update (anything with
    ``update(obj)``); by default one is created in the running IPython, and without IPython nothing is
    displayed and the part is just returned."""
    from nianbao.draft.model import part_heading

    heading = part_heading(key)
    if handle is None:
        handle = _display_handle(streaming_html(heading, []))
    streamer = getattr(drafter, "stream_part", None)
    if streamer is None:
        part: DraftPart = drafter.draft_part(key, notes, tables, previous)
    else:
        stream: Generator[list[str], None, DraftPart] = streamer(key, notes, tables, previous)
        while True:
            try:
                texts = next(stream)
            except StopIteration as stop:
                part = stop.value
                break
            if handle is not None:
                handle.update(HTML(streaming_html(heading, texts)))
    if handle is not None:
        handle.update(HTML(part_html(part, notes)))
    return part


# --- dispatch and IPython --------------------------------------------------------------------------


def _is_finding_list(obj: object) -> bool:
    return isinstance(obj, list | tuple) and bool(obj) and all(isinstance(f, Finding) for f in obj)


def _is_draft(obj: object) -> bool:
    from nianbao.draft.model import ReportDraft

    return isinstance(obj, ReportDraft)


def to_html(obj: object, findings: Sequence[Finding] | None = None, notes: Notes | None = None) -> str:
    """HTML for a Report, a ReportDraft or a list of findings; raises TypeError for anything else."""
    if isinstance(obj, Report):
        return report_html(obj, findings=findings)
    if _is_draft(obj):
        return draft_html(obj, notes, findings)  # type: ignore[arg-type]
    if isinstance(obj, FindingList) or _is_finding_list(obj):
        return findings_html(list(obj))  # type: ignore[call-overload]
    if isinstance(obj, list | tuple) and not obj:
        return findings_html([])
    raise TypeError(f"no HTML view for {type(obj).__name__} / 无法显示 {type(obj).__name__}")


def show(obj: object, findings: Sequence[Finding] | None = None, notes: Notes | None = None) -> HTML:
    """An HTML view of ``obj`` (Report, ReportDraft or findings) that a notebook displays; with
    ``findings`` they are shown beside it, with ``notes`` each sentence's hover shows its notes' text."""
    return HTML(to_html(obj, findings, notes))


def _list_formatter(obj: Any) -> str | None:
    # IPython falls back to the plain repr when a formatter returns None: only lists of findings (and a
    # FindingList, empty too: this formatter, found through list in its MRO, hides its _repr_html_).
    return findings_html(list(obj)) if isinstance(obj, FindingList) or _is_finding_list(obj) else None


def enable(ip: Any = None) -> bool:
    """Register HTML display for Report, ReportDraft and lists of findings in the running IPython
    (or ``ip``). Returns False (and does nothing) outside IPython."""
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ip = get_ipython()
    if ip is None:
        return False
    from nianbao.draft.model import ReportDraft

    formatter = ip.display_formatter.formatters["text/html"]
    formatter.for_type(Report, lambda r: report_html(r))
    formatter.for_type(ReportDraft, lambda d: draft_html(d))
    formatter.for_type(list, _list_formatter)
    formatter.for_type(FindingList, _list_formatter)
    return True
