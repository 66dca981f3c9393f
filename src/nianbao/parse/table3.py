"""Table 三: value rows in the table's region, matched in order to the 25 template rows.

Extraction breaks the table in many ways: labels detached from their values (「3. 其他」 in column 0),
labels on lines of their own before unlabeled value rows, labels cut in half
(「行政机关不再处理其政府信息公」 fits both （六）1 and （六）2), one small table per row with generic
headers. So rows are assigned by walking the value rows in order: a row whose label (its own label
cells, else the label-only lines just before it) names one template row takes that row; a row with no
usable or an ambiguous label takes the next unfilled template row after the last one assigned.
Values are the last 7 value cells of each row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nianbao.model.report import ParseNote
from nianbao.model.tables import Table3, TableRow
from nianbao.model.template import (
    T3_COL_KEYS,
    T3_DENY,
    T3_NOPROC,
    T3_OTHER,
    T3_RESULT,
    T3_ROW_KEYS,
    T3_ROWS,
    T3_UNABLE,
    RowSpec,
)
from nianbao.model.trusted import trusted
from nianbao.parse.table_rows import (
    Line,
    Piece,
    complete_rows,
    is_blank,
    loose_key,
    read_cell,
    strip_numbering,
    take_last,
)

TABLE = "表三"
WIDTH = len(T3_COL_KEYS)
_INDEX = {r.key: i for i, r in enumerate(T3_ROWS)}
_LEAF = [loose_key(r.label) for r in T3_ROWS]
_FULL = [loose_key("".join((*r.path, r.label))) for r in T3_ROWS]
_KEYWORDS = [tuple(loose_key(k) for k in r.keywords) for r in T3_ROWS]
_GROUPS = {strip_numbering(loose_key(g)) for g in (T3_RESULT, T3_DENY, T3_UNABLE, T3_NOPROC)}
_OTHER_GROUP = strip_numbering(loose_key(T3_OTHER))
_TOTAL_WORDS = ("总计", "合计")
_SUBTOTAL_WORDS = ("小计",)


def match_label(text: str) -> list[int]:
    """Indices of the template rows a label can stand for, best evidence first.

    An exact label (after dropping punctuation, possibly preceded by its enclosing labels) wins; then
    the row keywords (「国家秘密」, 「逾期不补正」); then a fragment of a template label.
    """
    return list(_match_label(text))


@lru_cache(maxsize=4096)  # reports repeat the same few dozen row labels
def _match_label(text: str) -> tuple[int, ...]:
    key = loose_key(text)
    if not key:
        return ()
    if key in _TOTAL_WORDS:
        return (_INDEX["total"],)
    exact = tuple(i for i, leaf in enumerate(_LEAF) if key.endswith(leaf))
    if exact:
        return exact
    by_keyword = tuple(i for i, kws in enumerate(_KEYWORDS) if any(k in key for k in kws))
    if by_keyword:
        return by_keyword
    core = strip_numbering(key)
    if len(core) >= 4:
        return tuple(i for i, full in enumerate(_FULL) if core in full)
    return ()


@lru_cache(maxsize=4096)
def is_renamed(label: str, spec: RowSpec) -> bool:
    """True when a row label is neither the template label (any punctuation, numbering or enclosing
    labels) nor a fragment of it: a different wording, not an extraction artefact."""
    own = strip_numbering(loose_key(label))
    if not own:
        return False
    leaf = strip_numbering(loose_key(spec.label))
    full = loose_key("".join((*spec.path, spec.label)))
    return not (own in full or leaf in own)


@dataclass
class _Assigner:
    rows: dict[str, TableRow]
    notes: list[ParseNote]
    last: int = -1
    by_position: list[str] | None = None
    other_group_rows: list[Line] | None = None

    def __post_init__(self) -> None:
        self.by_position = []
        self.other_group_rows = []

    def filled(self, i: int) -> bool:
        return T3_ROWS[i].key in self.rows

    def choose(self, cands: Sequence[int]) -> int | None:
        open_ = [i for i in cands if not self.filled(i)]
        after = [i for i in open_ if i > self.last]
        if after:
            return after[0]
        return open_[0] if open_ else None

    def next_open(self) -> int | None:
        return next((i for i in range(self.last + 1, len(T3_ROWS)) if not self.filled(i)), None)

    def note(self, code: str, message: str, line: Line, row: str | None = None) -> None:
        self.notes.append(
            ParseNote(code=code, message=message, span=line.span, table=TABLE, row=row, actual=line.text[:80])
        )

    def assign(self, line: Line | None, own: str, pending: list[Line], values: list[Piece]) -> None:
        anchor = line if line is not None else (pending[-1] if pending else None)
        span = values[0].span
        core = strip_numbering(loose_key(own))
        if any(w in core for w in _SUBTOTAL_WORDS) or core in _GROUPS:
            if anchor is not None:
                self.note("row-extra", f"表三有模板以外的小计行“{own}”，未计入任何模板行。", anchor)
            return
        if own and core == _OTHER_GROUP:
            # 「（六）其他处理」 with values: the 2019 layout (no sub-items) or an extra subtotal row;
            # decided once we know whether the three sub-items were found.
            if line is not None and self.other_group_rows is not None:
                self.other_group_rows.append(line)
            return
        cands = match_label(own)
        chosen = self.choose(cands) if cands else None
        how = "label"
        if cands and chosen is None:
            if anchor is not None:
                label = T3_ROWS[cands[0]].short_label
                self.note(
                    "row-duplicate",
                    f"表三“{label}”行出现了两次（“{own}”），第二次的数值未采用。",
                    anchor,
                    label,
                )
            return
        if chosen is None and pending:
            joined = "".join(p.label for p in pending)
            pcands = sorted(set(match_label(joined)) | {i for p in pending for i in match_label(p.label)})
            chosen = self.choose(pcands) if pcands else None
            how = "pending"
        if chosen is None:
            chosen = self.next_open()
            how = "position"
        if chosen is None:
            if anchor is not None:
                self.note(
                    "row-extra", f"表三多出一行数值（“{own or '无标签'}”），25行均已读到，未采用。", anchor
                )
            return
        spec = T3_ROWS[chosen]
        label = own  # as written; a row placed by the lines before it or by position has none
        if own and is_renamed(own, spec):
            if anchor is not None:
                by = "按行标签关键词" if how == "label" else "按位置"
                self.note(
                    "label-renamed",
                    f"表三行标签“{own}”与模板“{spec.label}”不一致，已{by}归入该行。",
                    anchor,
                    spec.short_label,
                )
        elif not own and how == "position" and self.by_position is not None:
            self.by_position.append(spec.short_label)
        cells = {col: read_cell(p.text, p.span) for col, p in zip(T3_COL_KEYS, values, strict=True)}
        row_span = line.labels[0].span if line is not None and line.labels else span
        self.rows[spec.key] = trusted(TableRow, key=spec.key, label=label, span=row_span, cells=cells)
        self.last = chosen


def parse_table3(lines: list[Line], start: int, end: int) -> tuple[Table3 | None, list[ParseNote]]:
    """Read table 三 from ``lines[start:end]`` (from its note or heading up to table 四)."""
    notes: list[ParseNote] = []
    asg = _Assigner(rows={}, notes=notes)
    pending: list[Line] = []
    buffer: list[Piece] = []
    buffer_line: Line | None = None

    def flush_buffer() -> None:
        nonlocal buffer, buffer_line
        if buffer:
            where = buffer_line or lines[start]
            label = buffer_line.label if buffer_line is not None else ""
            notes.append(
                ParseNote(
                    code="values-stray" if buffer_line is None else "values-unreadable",
                    message=(
                        f"表三“{label}”只读到{len(buffer)}个数值（应为7个），未采用。"
                        if label
                        else f"表三中有{len(buffer)}个不成行的数值（“{' '.join(p.text for p in buffer)}”），未采用。"
                    ),
                    span=buffer[0].span if buffer_line is None else where.span,
                    table=TABLE,
                    actual=" ".join(p.text for p in buffer),
                )
            )
        buffer, buffer_line = [], None

    for line in lines[start:end]:
        values = line.values
        has_label = bool(line.label)
        if not line.is_table and values and not has_label:
            # one cell per line (or numbers wrapped onto their own line): gather until a row is full
            buffer.extend(values)
            if len(buffer) >= WIDTH:
                asg.assign(buffer_line, buffer_line.label if buffer_line else "", pending, buffer[-WIDTH:])
                pending, buffer, buffer_line = [], [], None
            continue
        if not line.is_table and has_label and 0 < len(values) < WIDTH:
            flush_buffer()
            buffer, buffer_line = list(values), line
            continue
        flush_buffer()
        filled = any(not is_blank(p.text) for p in values)
        seven = take_last(values, WIDTH, line.value_end) if values else None
        if seven is None or not filled and not (has_label and match_label(line.label)):
            if not filled:
                # label only: a line of its own (kept for the next value row) or a header row
                if has_label and (not line.is_table or line.label_count == 1):
                    pending.append(line)
            elif has_label and match_label(line.label) and line.label_count <= 3:
                notes.append(
                    ParseNote(
                        code="values-unreadable",
                        message=f"表三“{line.label}”只读到{len(line.trimmed())}个数值（应为7个），未采用。",
                        span=line.span,
                        table=TABLE,
                        actual=line.text[:80],
                    )
                )
            continue
        asg.assign(line, line.label, pending, seven)
        pending = []
    flush_buffer()
    if not asg.rows and not asg.other_group_rows:
        return None, notes
    _finish(asg, lines[start] if start < len(lines) else None)
    rows = complete_rows(dict.fromkeys(T3_ROW_KEYS, T3_COL_KEYS), asg.rows)
    return trusted(Table3, rows=rows, span=lines[start].span if start < len(lines) else None), notes


def _finish(asg: _Assigner, anchor: Line | None) -> None:
    notes = asg.notes
    other_found = any(asg.filled(_INDEX[k]) for k in ("other_1", "other_2", "other_3"))
    for line in asg.other_group_rows or []:
        if other_found:
            asg.note("row-extra", f"表三有模板以外的小计行“{line.label}”，未计入任何模板行。", line)
        else:
            asg.note(
                "label-2019",
                f"表三“{line.label}”为2019年试行格式的单行写法，2021年格式应分列“1.申请人无正当理由逾期不补正…”"
                "“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三项。",
                line,
                T3_OTHER,
            )
    if asg.by_position and anchor is not None:
        notes.append(
            ParseNote(
                code="row-by-position",
                message=f"表三有{len(asg.by_position)}行数值没有可读的行标签，已按模板顺序归入：{'、'.join(asg.by_position)}。",
                span=anchor.span,
                table=TABLE,
            )
        )
    skip_other = not other_found and bool(asg.other_group_rows)
    for spec in T3_ROWS:
        if spec.key in asg.rows or skip_other and spec.key.startswith("other_"):
            continue
        notes.append(
            ParseNote(
                code="row-missing",
                message=f"表三缺少“{spec.short_label}”行。",
                span=anchor.span if anchor is not None else None,
                table=TABLE,
                row=spec.short_label,
                expected=spec.label,
            )
        )
