"""A year's notes for the report: what colleagues wrote down, per part and topic, each with an id.

The format (YAML; documented in ``fixtures/README.md``)::

    agency: 鲁山县人民政府办公室
    year: 2024
    notes:                       # narrative notes, grouped by topic (Chinese label or key)
      主动公开:
        - id: active-1
          text: 全年通过政府门户网站主动公开政府信息3856条。
          figures: {total: 3856, parts: [1200, 2656]}   # optional: the parts must add up to the total
      依申请公开: [...]
      政府信息管理: [...]
      平台建设: [...]
      监督保障: [...]            # for a 人民政府: 工作考核、社会评议和责任追究 (topics 考核/评议/追责 too)
      信息处理费: [...]          # part 六 topics: 信息处理费, 年度工作要点落实, 建议提案办理, 其他事项
    problems:                    # 五: this year's problems
      - {id: p1, text: …}
    measures:                    # 五: each measure answers a problem
      - {id: m1, answers: p1, text: …}
    prior_problems:              # 五: last year's problems and what was done
      - {id: lp1, text: …, done: …}

A Markdown variant (``.md``) holds the same with headings and bullets::

    # 鲁山县人民政府办公室 2024
    ## 主动公开
    - [active-1] 全年通过政府门户网站主动公开政府信息3856条。 {total: 3856, parts: [1200, 2656]}
    ## 问题
    - [p1] …
    ## 改进
    - [m1 → p1] …
    ## 上年问题
    - [lp1] 上年的问题 ⇒ 整改情况

Every error is a :class:`DraftInputError` naming the file, the line and the note id, in Chinese and English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from nianbao.draft.input_files import DraftInputError as DraftInputError  # re-exported: its public home
from nianbao.draft.input_files import read_input
from nianbao.model.report import AgencyKind, Level


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of the notes: its key, the part it belongs to, its Chinese label and other names."""

    key: str
    part: str  # canonical part key (nianbao.model.template.PARTS)
    label: str
    aliases: tuple[str, ...] = ()


TOPICS: Final[tuple[Topic, ...]] = (
    # 一、总体情况: the five topics the format requires.
    Topic("active", "overview", "主动公开", ("主动公开情况",)),
    Topic("requests", "overview", "依申请公开", ("依申请公开情况",)),
    Topic("management", "overview", "政府信息管理", ("政府信息管理情况", "信息管理")),
    Topic(
        "platform",
        "overview",
        "平台建设",
        ("政府信息公开平台建设", "政府信息公开平台建设情况", "平台建设情况"),
    ),
    Topic("oversight", "overview", "监督保障", ("监督保障情况",)),
    # 监督保障 for a 人民政府 (条例第五十条第（四）项): 工作考核、社会评议和责任追究结果.
    Topic("assessment", "overview", "考核", ("工作考核",)),
    Topic("evaluation", "overview", "评议", ("社会评议",)),
    Topic("accountability", "overview", "追责", ("责任追究",)),
    # 二、三、四: extra narrative beside the tables (optional).
    Topic("active_data", "active", "主动公开数据", ("主动公开政府信息情况",)),
    Topic("requests_data", "requests", "依申请办理", ("收到和处理政府信息公开申请情况",)),
    Topic("review_data", "review", "复议诉讼", ("行政复议、行政诉讼", "政府信息公开行政复议、行政诉讼情况")),
    # 六、其他需要报告的事项.
    Topic("fee", "other", "信息处理费", ("收费", "收取信息处理费")),
    Topic("key_tasks", "other", "年度工作要点落实", ("工作要点", "政务公开工作要点落实")),
    Topic("proposals", "other", "建议提案办理", ("人大代表建议和政协提案办理", "建议提案")),
    Topic("other_matters", "other", "其他事项", ("其他",)),
)
TOPIC_BY_KEY: Final[dict[str, Topic]] = {t.key: t for t in TOPICS}
_TOPIC_NAMES: Final[dict[str, Topic]] = {name: t for t in TOPICS for name in (t.key, t.label, *t.aliases)}
REQUIRED_TOPICS: Final[tuple[str, ...]] = ("active", "requests", "management", "platform", "oversight")
GOVERNMENT_TOPICS: Final[tuple[str, ...]] = ("assessment", "evaluation", "accountability")

# Section names for problems / measures / prior problems (YAML keys and Markdown headings).
_PROBLEM_KEYS: Final = ("problems", "问题", "存在的主要问题")
_MEASURE_KEYS: Final = ("measures", "改进", "改进措施", "改进情况")
_PRIOR_KEYS: Final = ("prior_problems", "上年问题", "上年问题整改", "上年问题整改情况")


def topic_for(name: str) -> Topic | None:
    """The topic of a Chinese label, alias or key, or None."""
    return _TOPIC_NAMES.get(name.strip())


class Figures(BaseModel):
    """Optional figures of a note: parts that must add up to the total (checked on loading)."""

    model_config = ConfigDict(extra="forbid")

    total: int
    parts: list[int] | dict[str, int]

    def part_values(self) -> list[int]:
        """The parts as a list of numbers."""
        return list(self.parts.values()) if isinstance(self.parts, dict) else list(self.parts)


class Note(BaseModel):
    """One narrative note: a fact a colleague wrote down, for one topic of one part."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    topic: str  # topic key (TOPICS)
    part: str  # canonical part key
    figures: Figures | None = None
    line: int | None = None


class Problem(BaseModel):
    """A problem of this year (part 五)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    line: int | None = None


class Measure(BaseModel):
    """An improvement measure, answering one problem of this year (part 五)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    answers: str  # a Problem id
    line: int | None = None


class PriorProblem(BaseModel):
    """A problem named in last year's report, and what was done about it this year (part 五)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    done: str
    line: int | None = None


AnyNote = Note | Problem | Measure | PriorProblem


class Notes(BaseModel):
    """All notes of one agency and year."""

    model_config = ConfigDict(extra="forbid")

    agency: str
    year: int
    region: str = ""
    level: Level = Level.UNKNOWN
    kind: AgencyKind = AgencyKind.UNKNOWN
    items: list[Note] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    prior_problems: list[PriorProblem] = Field(default_factory=list)
    path: str | None = None

    def by_part(self, part_key: str) -> list[Note]:
        """The narrative notes of a part (``overview``, ``other`` …), in file order."""
        return [n for n in self.items if n.part == part_key]

    def by_topic(self, topic_key: str) -> list[Note]:
        """The narrative notes of a topic (``active``, ``fee`` …), in file order."""
        return [n for n in self.items if n.topic == topic_key]

    def measures_for(self, problem_id: str) -> list[Measure]:
        """The measures that answer a problem."""
        return [m for m in self.measures if m.answers == problem_id]

    def all(self) -> Iterator[AnyNote]:
        """Every note of every kind, in the order: narrative, problems, measures, prior problems."""
        yield from self.items
        yield from self.problems
        yield from self.measures
        yield from self.prior_problems

    def ids(self) -> list[str]:
        """Every note id."""
        return [n.id for n in self.all()]

    def get(self, note_id: str) -> AnyNote | None:
        """The note with this id, of any kind, or None."""
        return next((n for n in self.all() if n.id == note_id), None)

    def text_of(self, note_id: str) -> str:
        """All text of a note (a prior problem's text and what was done), or "" for an unknown id."""
        note = self.get(note_id)
        if note is None:
            return ""
        if isinstance(note, PriorProblem):
            return f"{note.text}\n{note.done}"
        return note.text

    @property
    def is_government(self) -> bool:
        """True for a 人民政府's own report (条例第五十条: 考核、评议、追责 are required)."""
        return self.kind is AgencyKind.GOVERNMENT


# ---------------------------------------------------------------------------------------------- loading


def _err(path: str, line: int | None, note_id: str | None, en: str, zh: str) -> tuple[str, str]:
    where = f"{path}" + (f":{line}" if line else "")
    who_zh = f"（要点 {note_id}）" if note_id else ""
    who_en = f" (note {note_id})" if note_id else ""
    return f"{where}{who_en}: {en}", f"{where}{who_zh}：{zh}"


class _Collector:
    """Gathers every problem of a notes file, so that the clerk sees them all at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.en: list[str] = []
        self.zh: list[str] = []

    def add(self, line: int | None, note_id: str | None, en: str, zh: str) -> None:
        e, z = _err(self.path, line, note_id, en, zh)
        self.en.append(e)
        self.zh.append(z)

    def raise_if_any(self) -> None:
        if self.zh:
            raise DraftInputError(
                "\n".join(self.en), "\n".join(self.zh), path=self.path, problems=list(self.zh)
            )


def _yaml_nodes(text: str, path: str) -> Any:
    """Parse YAML into plain values; every mapping gets a ``__line__`` key (1-based)."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - PyYAML is a dependency
        raise DraftInputError(
            f"{path}: reading YAML needs PyYAML (pip install PyYAML)",
            f"{path}：读取 YAML 需要安装 PyYAML（pip install PyYAML）。",
            path=path,
        ) from exc

    def build(node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {"__line__": node.start_mark.line + 1}
            for k, v in node.value:
                out[build(k)] = build(v)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(v) for v in node.value]
        return scalars.construct_object(node, deep=True)

    scalars = yaml.SafeLoader("")

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DraftInputError(
            f"{path}{line}: not valid YAML: {exc}",
            f"{path}{line}：不是有效的 YAML 文件（{getattr(exc, 'problem', '') or exc}）。",
            path=path,
        ) from exc
    return build(root) if root is not None else None


_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*$")
_MD_BULLET = re.compile(
    r"^\s*[-*+]\s+\[(?P<id>[^\]→>]+?)(?:\s*(?:→|->)\s*(?P<answers>[^\]]+?))?\]\s*(?P<text>.+?)\s*$"
)
_MD_FIGURES = re.compile(
    r"\s*\{\s*total\s*:\s*(?P<total>\d+)\s*,\s*parts\s*:\s*\[(?P<parts>[\d,\s]*)\]\s*\}\s*$"
)
_MD_TITLE = re.compile(r"^(?P<agency>.+?)\s*(?P<year>(?:19|20)\d\d)\s*年?\s*$")


def _markdown_data(text: str, c: _Collector) -> dict[str, Any]:
    """The Markdown bullet variant, turned into the same structure as the YAML."""
    data: dict[str, Any] = {"__line__": 1, "notes": {"__line__": 1}}
    section: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        h = _MD_HEADING.match(raw)
        if h:
            title = h.group(2)
            if len(h.group(1)) == 1:
                m = _MD_TITLE.match(title)
                if m:
                    data["agency"], data["year"] = m.group("agency"), int(m.group("year"))
                else:
                    c.add(
                        lineno,
                        None,
                        "the first heading must be '# AGENCY YEAR'",
                        "一级标题应为「# 单位名称 年度」。",
                    )
                section = None
                continue
            section = title
            continue
        b = _MD_BULLET.match(raw)
        if not b:
            c.add(lineno, None, "expected a bullet '- [id] text'", "应为「- [编号] 内容」格式的要点。")
            continue
        if section is None:
            c.add(
                lineno, b.group("id"), "a note before any '## topic' heading", "要点前缺少「## 主题」标题。"
            )
            continue
        item: dict[str, Any] = {"__line__": lineno, "id": b.group("id").strip()}
        body = b.group("text")
        if section in _MEASURE_KEYS:
            item["answers"] = (b.group("answers") or "").strip()
        if section in _PRIOR_KEYS:
            left, sep, right = body.partition("⇒")
            body, item["done"] = left.strip(), right.strip() if sep else ""
        fig = _MD_FIGURES.search(body)
        if fig:
            parts = [int(p) for p in fig.group("parts").replace(" ", "").split(",") if p]
            item["figures"] = {"total": int(fig.group("total")), "parts": parts}
            body = body[: fig.start()].rstrip()
        item["text"] = body
        if section in (*_PROBLEM_KEYS, *_MEASURE_KEYS, *_PRIOR_KEYS):
            key = next(k[0] for k in (_PROBLEM_KEYS, _MEASURE_KEYS, _PRIOR_KEYS) if section in k)
            data.setdefault(key, []).append(item)
        else:
            data["notes"].setdefault(section, []).append(item)
    return data


def _line(d: Any) -> int | None:
    return d.get("__line__") if isinstance(d, dict) else None


def _str(d: dict[str, Any], key: str) -> str:
    v = d.get(key)
    if v is None:
        return ""
    return str(v).strip()


def load_notes(path: str | Path) -> Notes:
    """Read and validate a notes file (YAML ``.yaml``/``.yml``, or Markdown bullets ``.md``).

    Raises :class:`DraftInputError` listing every problem: not readable, no agency or year, an unknown
    topic, a duplicate or missing id, a note without text, figures whose parts do not add up to the
    total, a measure for an unknown problem, a problem without a measure, a required topic with no note.
    """
    p = Path(path)
    name = str(path)
    text = read_input(p, "notes file", "工作要点文件")
    c = _Collector(name)
    data = _markdown_data(text, c) if p.suffix.lower() in (".md", ".markdown") else _yaml_nodes(text, name)
    c.raise_if_any()
    return notes_from_data(data, name)


def notes_from_data(data: Any, path: str = "<notes>") -> Notes:
    """Validate parsed notes data (the YAML structure, mappings optionally with ``__line__``)."""
    from nianbao.parse.metadata import _kind, parse_agency

    c = _Collector(path)
    if not isinstance(data, dict):
        c.add(
            None,
            None,
            "the notes must be a mapping with agency, year and notes",
            "工作要点文件应包含 agency、year、notes 等字段。",
        )
        c.raise_if_any()
        raise AssertionError  # unreachable
    agency = _str(data, "agency") or _str(data, "单位")
    year_raw = data.get("year", data.get("年度"))
    if not agency:
        c.add(
            _line(data),
            None,
            "no agency (e.g. agency: 鲁山县人民政府办公室)",
            "缺少单位名称（agency，如「鲁山县人民政府办公室」）。",
        )
    year = 0
    if isinstance(year_raw, int) and 2000 <= year_raw <= 2100:
        year = year_raw
    else:
        c.add(
            _line(data),
            None,
            f"no valid year (got {year_raw!r})",
            f"缺少有效的报告年度（year），读到的是「{year_raw}」。",
        )
    known = {
        "__line__",
        "agency",
        "单位",
        "year",
        "年度",
        "region",
        "notes",
        "要点",
        *_PROBLEM_KEYS,
        *_MEASURE_KEYS,
        *_PRIOR_KEYS,
    }
    for key in data:
        if key not in known:
            c.add(_line(data), None, f"unknown field {key!r}", f"未知字段「{key}」。")

    seen: dict[str, int | None] = {}

    def check_id(item: dict[str, Any]) -> str:
        nid = _str(item, "id")
        line = _line(item)
        if not nid:
            c.add(line, None, "a note without an id", "要点缺少编号（id）。")
            return ""
        if nid in seen:
            first = seen[nid]
            c.add(line, nid, f"duplicate id (first used at line {first})", f"编号重复（第{first}行已使用）。")
        else:
            seen[nid] = line
        return nid

    def check_text(item: dict[str, Any], nid: str, field: str = "text") -> str:
        text = _str(item, field)
        if not text:
            c.add(_line(item), nid, f"empty {field}", f"要点内容（{field}）为空。")
        return text

    def items_of(value: Any, where: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            c.add(_line(data), None, f"{where} must be a list of notes", f"「{where}」应为要点列表。")
            return []
        out = []
        for v in value:
            if isinstance(v, dict):
                out.append(v)
            else:
                c.add(
                    None,
                    None,
                    f"{where}: each note needs id and text (got {v!r})",
                    f"「{where}」中的每条要点都要有 id 和 text（读到「{v}」）。",
                )
        return out

    items: list[Note] = []
    notes_raw = data.get("notes", data.get("要点")) or {}
    if not isinstance(notes_raw, dict):
        c.add(_line(data), None, "notes must map topics to lists of notes", "notes 应按主题列出要点。")
        notes_raw = {}
    labels = "、".join(t.label for t in TOPICS)
    for topic_name, value in notes_raw.items():
        if topic_name == "__line__":
            continue
        topic = topic_for(str(topic_name))
        if topic is None:
            c.add(
                _line(notes_raw),
                None,
                f"unknown topic {topic_name!r} (known: {labels})",
                f"未知主题「{topic_name}」（可用主题：{labels}）。",
            )
            continue
        for item in items_of(value, str(topic_name)):
            nid = check_id(item)
            text = check_text(item, nid)
            figures = _figures(item, nid, text, c)
            extra = set(item) - {"__line__", "id", "text", "figures"}
            if extra:
                c.add(
                    _line(item),
                    nid,
                    f"unknown field(s) {sorted(extra)}",
                    f"未知字段「{'、'.join(sorted(map(str, extra)))}」。",
                )
            items.append(
                Note(id=nid, text=text, topic=topic.key, part=topic.part, figures=figures, line=_line(item))
            )

    problems = []
    for item in items_of(_first(data, _PROBLEM_KEYS), "problems"):
        nid = check_id(item)
        problems.append(Problem(id=nid, text=check_text(item, nid), line=_line(item)))
    measures = []
    for item in items_of(_first(data, _MEASURE_KEYS), "measures"):
        nid = check_id(item)
        measures.append(
            Measure(id=nid, text=check_text(item, nid), answers=_str(item, "answers"), line=_line(item))
        )
    prior = []
    for item in items_of(_first(data, _PRIOR_KEYS), "prior_problems"):
        nid = check_id(item)
        prior.append(
            PriorProblem(
                id=nid, text=check_text(item, nid), done=check_text(item, nid, "done"), line=_line(item)
            )
        )

    problem_ids = {p.id for p in problems}
    for m in measures:
        if not m.answers:
            c.add(
                m.line,
                m.id,
                "a measure must name the problem it answers (answers: p1)",
                "改进措施须用 answers 注明对应的问题编号。",
            )
        elif m.answers not in problem_ids:
            c.add(
                m.line,
                m.id,
                f"answers an unknown problem {m.answers!r}",
                f"改进措施对应的问题「{m.answers}」不存在。",
            )
    answered = {m.answers for m in measures}
    for pr in problems:
        if pr.id not in answered:
            c.add(
                pr.line,
                pr.id,
                f"a problem without an improvement measure (add a measure with answers: {pr.id})",
                f"问题没有对应的改进措施（请补充 answers: {pr.id} 的改进措施）。",
            )
    if not problems:
        c.add(
            _line(data),
            None,
            "no problems (part 五 needs this year's main problems)",
            "缺少本年度存在的主要问题（problems），第五部分无从起草。",
        )

    region, _code, level = parse_agency(agency) if agency else ("", None, Level.UNKNOWN)
    kind = _kind(agency)
    present = {n.topic for n in items}
    required = list(REQUIRED_TOPICS)
    for key in required:
        if key not in present and not (key == "oversight" and present & set(GOVERNMENT_TOPICS)):
            t = TOPIC_BY_KEY[key]
            c.add(
                None,
                None,
                f"missing required topic {t.label} ({t.key}): 总体情况 must cover it",
                f"缺少必备主题「{t.label}」的要点：总体情况须包括主动公开、依申请公开、政府信息管理、平台建设、监督保障。",
            )
    if kind is AgencyKind.GOVERNMENT and not present & {
        "assessment",
        "evaluation",
        "accountability",
        "oversight",
    }:
        c.add(
            None,
            None,
            "a government's report needs 考核/评议/追责 notes",
            "人民政府的年度报告须包括工作考核、社会评议和责任追究结果情况的要点。",
        )
    c.raise_if_any()
    return Notes(
        agency=agency,
        year=year,
        region=_str(data, "region") or region,
        level=level,
        kind=kind,
        items=items,
        problems=problems,
        measures=measures,
        prior_problems=prior,
        path=path,
    )


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((data[k] for k in keys if k in data), None)


def _figures(item: dict[str, Any], nid: str, text: str, c: _Collector) -> Figures | None:
    raw = item.get("figures")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        c.add(
            _line(item),
            nid,
            "figures must be {total: N, parts: [a, b]}",
            "figures 应写作 {total: 总数, parts: [分项, 分项]}。",
        )
        return None
    clean = {k: v for k, v in raw.items() if k != "__line__"}
    if isinstance(clean.get("parts"), dict):
        clean["parts"] = {k: v for k, v in clean["parts"].items() if k != "__line__"}
    try:
        fig = Figures.model_validate(clean)
    except ValueError:
        c.add(
            _line(item),
            nid,
            "figures must be {total: N, parts: [a, b]} with whole numbers",
            "figures 应写作 {total: 总数, parts: [分项, 分项]}，且均为整数。",
        )
        return None
    parts = fig.part_values()
    if sum(parts) != fig.total:
        shown = " + ".join(str(v) for v in parts)
        c.add(
            _line(item),
            nid,
            f"the parts do not add up: {shown} = {sum(parts)}, but the total is {fig.total}",
            f"分项之和与总数不符：{shown} = {sum(parts)}，但总数为{fig.total}。",
        )
    return fig
