"""Structure rules (format-2021.md §2 F, R27 and R33–R37): the six parts, their numbering, the tables
under their parts, the five 总体情况 topics, 考核/评议/追究 results, problems with measures, the fee
statement, the statistics period and the preamble's names for the parts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import AgencyKind, Heading, Paragraph, Part, Report
from nianbao.model.span import Span
from nianbao.model.tables import Table2, Table3, Table4
from nianbao.model.template import OVERVIEW_TOPICS, PART_BY_KEY, PARTS
from nianbao.normalize import compact, label_key, normalize_with_map
from nianbao.parse.sections import is_inferred as _is_inferred
from nianbao.parse.sections import match_part
from nianbao.rules.base import Context, Rule, register

_PART_INDEX = {p.key: i for i, p in enumerate(PARTS)}
_NUMBERS = "一二三四五六七八九十"


def _part_name(key: str) -> str:
    spec = PART_BY_KEY[key]
    return f"第{spec.number}部分“{spec.title}”"


def _line(span: Span | None) -> str:
    return f"第{span.line}行" if span is not None and span.line is not None else "文中"


def _position(span: Span) -> int:
    """Document order of a span: its line for text sources, its paragraph index for Word."""
    if span.line is not None:
        return span.line
    return span.paragraph if span.paragraph is not None else 0


def _fallback_span(report: Report) -> Span | None:
    if report.parts:
        return report.parts[0].heading.span
    return report.metadata.title_span


def _paragraphs_of(report: Report, key: str) -> list[Paragraph]:
    """Paragraphs tagged with a part key (includes those under unnumbered sub-parts of that part)."""
    return [p for p in report.paragraphs() if p.part == key]


def _find(
    paras: list[Paragraph], pattern: re.Pattern[str], prefilter: str = ""
) -> tuple[Paragraph, re.Match[str]] | None:
    """The first paragraph whose normalised text matches, with the match on the normalised text.

    ``prefilter`` (a regex on the raw text) skips paragraphs cheaply before normalising them.
    """
    for para in paras:
        if prefilter and not re.search(prefilter, para.text):
            continue
        text, _ = normalize_with_map(para.text)
        m = pattern.search(text)
        if m:
            return para, m
    return None


def _span_of(para: Paragraph, norm_offset: int) -> Span:
    _, offsets = normalize_with_map(para.text)
    if not offsets:
        return para.span
    return para.span_at(offsets[min(norm_offset, len(offsets) - 1)])


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of the original text, sentences ending in 。！？ (kept)."""
    start = 0
    for m in re.finditer(r"[。！？!?]", text):
        if text[start : m.end()].strip():
            yield start, text[start : m.end()]
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def _matchable(sentence: str) -> str:
    """A sentence as patterns see it: half-width forms, no spaces (「2024 年」 → 「2024年」)."""
    return unicodedata.normalize("NFKC", compact(sentence))


def _find_sentence(paras: list[Paragraph], pattern: re.Pattern[str]) -> tuple[Paragraph, int, str] | None:
    """The first sentence (original text, its offset in the paragraph) whose matchable form matches."""
    for para in paras:
        for start, sentence in _sentences(para.text):
            if pattern.search(_matchable(sentence)):
                lead = len(sentence) - len(sentence.lstrip())
                return para, start + lead, sentence.strip().rstrip("。")
    return None


@register
class PartsRule(Rule):
    """Each of the six parts appears exactly once, in the order of the 2021 format.

    What: every part of 国办公开办函〔2021〕30号 (一、总体情况 … 六、其他需要报告的事项) must have one
    heading; a part named twice, a part missing, or parts out of order is an error. A part whose heading
    line is absent but whose content the parser recognised by its sub-headings (「（一）2024年工作中存在问题
    的改进情况」 after part 四) is reported as info: PDF extraction often loses such a line.
    Why: the format says the content 「不能遗漏」; a duplicated heading is the trace of a pasted text.
    Bad: 「一、总体情况」 on line 5 and again on line 9 (the seed).
    Good: 一、总体情况 … 六、其他需要报告的事项, each once, in this order.
    """

    code = "STR-PARTS"
    name = "structure.parts"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        if not report.parts:
            yield self.finding(
                "报告中未找到“一、总体情况”至“六、其他需要报告的事项”六个部分的标题。",
                Location(span=report.metadata.title_span),
                expected="六个部分",
                actual="无",
            )
            return
        by_key: dict[str, list[Part]] = {}
        for part in report.parts:
            if part.key is not None:
                by_key.setdefault(part.key, []).append(part)
        yield from self._duplicates(by_key)
        yield from self._missing(report, by_key)
        yield from self._order(report)
        for part in report.parts:
            if part.key is not None and _is_inferred(part.heading):
                spec = PART_BY_KEY[part.key]
                yield self.finding(
                    f"{_part_name(part.key)}没有“{spec.heading}”标题行，已按{_line(part.heading.span)}"
                    f"的“{part.heading.text}”推定为该部分的开始。",
                    Location(span=part.heading.span, part=part.key),
                    expected=spec.heading,
                    actual=part.heading.text,
                    evidence=[part.heading.text],
                    severity=Severity.INFO,
                )

    def _duplicates(self, by_key: dict[str, list[Part]]) -> Iterator[Finding]:
        for key, found in by_key.items():
            if len(found) < 2:
                continue
            lines = "、".join(_line(p.heading.span) for p in found)
            first = found[0].heading
            for dup in found[1:]:
                yield self.finding(
                    f"{_part_name(key)}的标题“{dup.heading.text}”重复出现（{lines}），"
                    f"{_line(dup.heading.span)}的标题与{_line(first.span)}的重复。",
                    Location(span=dup.heading.span, part=key),
                    expected=1,
                    actual=len(found),
                    evidence=[f"{_line(p.heading.span)}：{p.heading.text}" for p in found],
                )

    def _missing(self, report: Report, by_key: dict[str, list[Part]]) -> Iterator[Finding]:
        for i, spec in enumerate(PARTS):
            if spec.key in by_key:
                continue
            # Point at the next part that is present (where the missing one should have been).
            after = next((by_key[s.key][0] for s in PARTS[i + 1 :] if s.key in by_key), None)
            span = after.heading.span if after else report.parts[-1].heading.span
            yield self.finding(
                f"报告缺少{_part_name(spec.key)}，格式要求六个部分一个不缺。",
                Location(span=span, part=spec.key),
                expected=spec.heading,
                actual="缺失",
            )

    def _order(self, report: Report) -> Iterator[Finding]:
        seen: set[str] = set()
        last: Part | None = None
        for part in report.parts:
            if part.key is None or part.key in seen:
                continue
            seen.add(part.key)
            if last is not None and last.key is not None and _PART_INDEX[part.key] < _PART_INDEX[last.key]:
                yield self.finding(
                    f"{_part_name(part.key)}（{_line(part.heading.span)}）出现在{_part_name(last.key)}"
                    f"（{_line(last.heading.span)}）之后，部分顺序与格式不符。",
                    Location(span=part.heading.span, part=part.key),
                    expected=f"{PART_BY_KEY[part.key].number}在{PART_BY_KEY[last.key].number}之前",
                    actual=f"{PART_BY_KEY[part.key].number}在{PART_BY_KEY[last.key].number}之后",
                    evidence=[part.heading.text, last.heading.text],
                )
            else:
                last = part


@register
class NumberingRule(Rule):
    """The top-level headings use one numbering system, 一 to 六, each part with its own number.

    What: a second run of 「一、二、…」 headings that restarts at 一 after a higher number (the
    总体情况 topics written as top-level 「一、…六、」 and the six parts numbered again from 一), or —
    without such a restart — a part heading whose number is not the template's (「四、其他需要报告的事项」).
    Why: two numbering systems make the statutory parts impossible to find; the format numbers the
    sub-topics of 总体情况 （一）…（五）.
    Bad: 「一、总体情况 二、工作机制保障 … 六、政府信息公开平台建设」 then 「一、主动公开政府信息情况」.
    Good: 「一、总体情况」 with 「（一）主动公开情况」…「（五）监督保障情况」, then 「二、主动公开政府信息情况」.
    """

    code = "STR-NUMBERING"
    name = "structure.numbering"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        tops = [h for h in report.headings if h.depth == 1 and not _is_inferred(h)]
        restarts = False
        prev: Heading | None = None
        first_one: Heading | None = None
        for h in tops:
            value = _NUMBERS.find(h.number) + 1
            if value == 1 and first_one is None:
                first_one = h
            prev_value = _NUMBERS.find(prev.number) + 1 if prev else 0
            if prev is not None and value == 1 and prev_value > 1 and first_one is not None:
                restarts = True
                unnamed = [x.text for x in tops if x.part is None and x.span.line is not None]
                extra = f"，其中“{unnamed[0]}”等不是年度报告的部分" if unnamed else ""
                yield self.finding(
                    f"一级标题编号在{_line(h.span)}“{h.text}”处从“一”重新开始（前一套编号始于"
                    f"{_line(first_one.span)}“{first_one.text}”，至“{prev.text}”）{extra}，报告使用了两套编号。",
                    Location(span=h.span, part=h.part),
                    expected=PART_BY_KEY[h.part].number if h.part else None,
                    actual=h.number,
                    evidence=[first_one.text, prev.text, h.text],
                )
            prev = h
        if restarts:
            return
        for h in tops:
            if h.part is None:
                continue
            spec = PART_BY_KEY[h.part]
            if h.number != spec.number:
                yield self.finding(
                    f"{_line(h.span)}的标题“{h.text}”是{_part_name(h.part)}，编号应为“{spec.number}”而不是“{h.number}”。",
                    Location(span=h.span, part=h.part),
                    expected=spec.number,
                    actual=h.number,
                    evidence=[h.text],
                )


_TABLES: tuple[tuple[str, str, str], ...] = (
    ("table2", "表二", "active"),
    ("table3", "表三", "requests"),
    ("table4", "表四", "review"),
)


def _table_line(table: Table2 | Table3 | Table4) -> int | None:
    if table.span is not None and table.span.line is not None:
        return table.span.line
    lines = [r.span.line for r in table.rows.values() if r.span is not None and r.span.line is not None]
    return min(lines) if lines else None


@register
class TablesRule(Rule):
    """Tables 二, 三 and 四 are present, each under its own part heading.

    What: table 二 (第二十条…) must sit under 「二、主动公开政府信息情况」, table 三 under 「三、收到和处理
    政府信息公开申请情况」, table 四 under 「四、…行政复议、行政诉讼情况」; a table that is absent or sits
    under another part is an error.
    Why: the tables are the report's statistics; a missing or misplaced table means missing or misread data.
    Bad: no table 四 after 「四、政府信息公开行政复议、行政诉讼情况」.
    Good: each table right after its part heading.
    """

    code = "STR-TABLES"
    name = "structure.tables"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R34",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        ranges = self._part_ranges(report)
        for attr, label, key in _TABLES:
            table: Table2 | Table3 | Table4 | None = getattr(report, attr)
            part = report.part(key)
            if table is None or not table.found:
                span = part.heading.span if part else _fallback_span(report)
                yield self.finding(
                    f"报告中未找到{label}，{_part_name(key)}应附{label}。",
                    Location(span=span, part=key, table=label),
                    expected=label,
                    actual="缺失",
                )
                continue
            line = _table_line(table)
            if line is None or not ranges:
                continue
            owner = next((k for k, start, end in ranges if start <= line < end), None)
            if owner != key and part is not None:
                where = _part_name(owner) if owner else "第一部分之前"
                yield self.finding(
                    f"{label}（第{line}行）位于{where}下，而不在{_part_name(key)}下。",
                    Location(span=table.span or Span(line=line), part=owner, table=label),
                    expected=PART_BY_KEY[key].heading,
                    actual=PART_BY_KEY[owner].heading if owner else "无",
                )

    @staticmethod
    def _part_ranges(report: Report) -> list[tuple[str | None, int, float]]:
        out: list[tuple[str | None, int, float]] = []
        parts = [p for p in report.parts if p.heading.span.line is not None]
        for i, part in enumerate(parts):
            start = part.heading.span.line or 0
            end: float = (parts[i + 1].heading.span.line or 0) if i + 1 < len(parts) else float("inf")
            out.append((part.key, start, end))
        return out


# Extra words that show a topic is covered when a report words its sub-headings freely.
_TOPIC_EXTRA: dict[str, tuple[str, ...]] = {
    "management": ("公开属性", "信息清理", "发布审查", "保密审查", "公文公开"),
    "platform": ("网站建设", "平台"),
    "oversight": ("考核", "培训", "责任追究", "督查", "督导"),
}


def _overview_text(report: Report) -> tuple[str, Heading | None]:
    paras = _paragraphs_of(report, "overview")
    subs = [h.title for p in report.parts for h in p.subheadings if p.key == "overview" or p.key is None]
    tops = [p.heading.title for p in report.parts if p.key is None]
    overview = report.part("overview")
    text = compact("\n".join([*(p.text for p in paras), *subs, *tops]))
    return text, overview.heading if overview else None


@register
class TopicsRule(Rule):
    """总体情况 covers the five topics: 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障.

    What: the text and sub-headings of part 一 must speak of each of the five topics the format
    names (words such as 公开属性 or 信息清理 count for 政府信息管理).
    Why: the format describes 总体情况 as 「主要包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、
    监督保障」.
    Bad: a 总体情况 with only 主动公开 and 依申请公开 paragraphs.
    Good: 「（一）主动公开情况」…「（五）监督保障情况」.
    """

    code = "STR-TOPICS"
    name = "structure.overview_topics"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R35",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        text, heading = _overview_text(report)
        if heading is None:
            return  # a missing part 一 is STR-PARTS's finding
        missing = [
            label
            for key, label, words in OVERVIEW_TOPICS
            if not any(w in text for w in (*words, *_TOPIC_EXTRA.get(key, ())))
        ]
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            yield self.finding(
                f"第一部分“总体情况”（{_line(heading.span)}）未涉及{names}，格式要求总体情况包括主动公开、"
                "依申请公开、政府信息管理、政府信息公开平台建设和监督保障五个方面。",
                Location(span=heading.span, part="overview"),
                expected="五个方面",
                actual="、".join(missing),
            )


_ACCOUNT_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("工作考核", ("考核", "考评", "绩效评估")),
    ("社会评议", ("社会评议", "评议", "满意度")),
    ("责任追究", ("责任追究", "追究", "问责", "追责")),
)


@register
class AccountabilityRule(Rule):
    """A 人民政府's report states its 工作考核、社会评议和责任追究结果 (条例第五十条第四项).

    What: for the report of a 人民政府 itself (kind government) 总体情况 must give the results of
    工作考核, 社会评议 and 责任追究; any of them missing is an error. Department and office reports are
    not bound by the clause: when they mention none of the three, an info finding suggests it.
    Why: 条例第五十条 requires 「各级人民政府的政府信息公开工作年度报告还应当包括工作考核、社会评议和责任追究
    结果情况」.
    Bad (county government): 监督保障 with training only.
    Good: 「将政务公开纳入年度绩效考核……开展社会评议……全年未发生责任追究情况」.
    """

    code = "STR-ACCOUNTABILITY"
    name = "structure.accountability"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    refs = ("R36",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        text, heading = _overview_text(report)
        if heading is None:
            return
        missing = [label for label, words in _ACCOUNT_TOPICS if not any(w in text for w in words)]
        if not missing:
            return
        sub = next(
            (h for p in report.parts if p.key == "overview" for h in p.subheadings if "监督" in h.title),
            heading,
        )
        names = "、".join(f"“{m}”" for m in missing)
        if report.metadata.kind == AgencyKind.GOVERNMENT:
            yield self.finding(
                f"本报告是人民政府的年度报告，但总体情况（{_line(sub.span)}）未说明{names}结果情况，"
                "条例第五十条第四项要求各级人民政府的年度报告包括工作考核、社会评议和责任追究结果情况。",
                Location(span=sub.span, part="overview"),
                expected="工作考核、社会评议和责任追究结果情况",
                actual="缺少" + "、".join(missing),
            )
        elif len(missing) == len(_ACCOUNT_TOPICS):
            yield self.finding(
                f"总体情况（{_line(sub.span)}）未说明工作考核、社会评议和责任追究结果情况，"
                "部门报告虽不强制，但写明考核和责任追究情况更完整。",
                Location(span=sub.span, part="overview"),
                expected="工作考核、社会评议和责任追究结果情况",
                actual="未提及",
                severity=Severity.INFO,
            )


_PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|有待|仍需|尚需|薄弱|不够")
_MEASURE_WORDS = re.compile(
    r"措施|下一步|整改|拟|计划|(?<!需要)将(?!其|会议)|针对(?:上述|以上|这些|存在的|前述)|根据上述|为此|对此|今后"
)


@register
class ProblemsRule(Rule):
    """Part 五 states this year's problems and, for them, improvement measures.

    What: part 五 empty or only 「无」 is an error (R27). Problems of the report year stated with no
    improvement measure for them — including the case where the only measures given are for last year's
    problems (「针对2023年存在的问题，2024年改进措施如下」 in a 2024 report) — is a warning (R37).
    Why: the format asks for 「存在的主要问题及改进情况」; assessors require 「逐条提出改进措施」.
    Bad: 2024 problems listed, then only 「针对2023年存在的问题…改进措施」.
    Good: 「（二）存在的主要问题。一是…」 followed by 「（三）改进措施。针对…问题，2025年将…」.
    """

    code = "STR-PROBLEMS"
    name = "structure.problems"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    refs = ("R27", "R37")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        part = report.part("problems")
        if part is None:
            return  # STR-PARTS reports the missing part
        paras = _paragraphs_of(report, "problems")
        body = compact("".join(p.text for p in paras))
        if len(re.sub(r"[。.；;，,]", "", body)) <= 2:
            yield self.finding(
                f"{_part_name('problems')}（{_line(part.heading.span)}）内容为空或只写“无”，应说明存在的主要问题及改进情况。",
                Location(span=part.heading.span, part="problems"),
                expected="存在的主要问题及改进情况",
                actual=body or "空",
                severity=Severity.ERROR,
            )
            return
        year = report.metadata.year
        prior = (
            re.compile(rf"{year - 1}年|上年度|上一年度|去年|上年")
            if year
            else re.compile(r"上年度|上一年度|去年")
        )
        problem_at: tuple[Paragraph, int, str] | None = None
        prior_measure: str | None = None
        current_measure = False
        for para in paras:
            context_prior = self._under_prior_heading(part, para, prior)
            for start, raw in _sentences(para.text):
                sentence = _matchable(raw)
                is_prior = context_prior or bool(prior.search(sentence))
                if _MEASURE_WORDS.search(sentence):
                    if is_prior:
                        prior_measure = prior_measure or raw.strip()
                    else:
                        current_measure = True
                elif not is_prior and _PROBLEM_WORDS.search(sentence) and problem_at is None:
                    problem_at = (para, start + len(raw) - len(raw.lstrip()), raw.strip())
        if problem_at is None or current_measure:
            return
        para, start, sentence = problem_at
        short = prior_measure.split("：")[0].split("，")[0] if prior_measure else ""
        tail = f"，只写了“{short}”的改进措施" if prior_measure else ""
        yield self.finding(
            f"{_part_name('problems')}列出了本年度存在的问题{tail}，未对本年度问题提出改进措施。",
            Location(span=para.span_at(start), part="problems"),
            expected="针对本年度问题的改进措施",
            actual="未提出",
            evidence=[s for s in (sentence, prior_measure) if s],
        )

    @staticmethod
    def _under_prior_heading(part: Part, para: Paragraph, prior: re.Pattern[str]) -> bool:
        where = _position(para.span)
        current: Heading | None = None
        for h in part.subheadings:
            if h.depth == 2 and _position(h.span) <= where:
                current = h
        return current is not None and bool(prior.search(compact(current.title)))


_FEE_PAID_RE = re.compile(r"(?:未|没有|不)收取[^。]{0,12}费|收取[^。]{0,12}费[^。]*\d|收费事项")
_FEE_RE = re.compile(r"收取[^。]{0,12}费|处理费|收费")
_NOTICE_RE = re.compile(r"收费通知|缴费通知|通知缴费|发出[^。]{0,8}通知")


@register
class FeeStatementRule(Rule):
    """Part 六 says whether 收费通知 were issued when it reports on 信息处理费.

    What: when part 六 reports 信息处理费 (e.g. 「未收取信息处理费」) it should also state the 收费通知
    issued (number and amount) and the amount actually collected.
    Why: the 2021 format asks part 六 to report 「发出收费通知的件数和总金额以及实际收取的总金额」;
    table 三 has a row for 申请人逾期未按收费通知要求缴纳费用.
    Bad: 「2024年鲁山县人民政府办公室未收取信息处理费。」
    Good: 「本年度本局未发出信息处理费收费通知，未收取信息处理费。」
    """

    code = "STR-FEE-STATEMENT"
    name = "structure.fee_statement"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    refs = ("R25",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        paras = _paragraphs_of(report, "other")
        if any(_NOTICE_RE.search(_matchable(p.text)) for p in paras):
            return
        hit = _find_sentence(paras, _FEE_PAID_RE) or _find_sentence(paras, _FEE_RE)
        if hit is None:
            return
        para, start, quote = hit
        yield self.finding(
            f"第六部分只说明“{quote}”，未说明是否发出收费通知及其件数和金额。",
            Location(span=para.span_at(start), part="other"),
            expected="发出收费通知的件数和总金额以及实际收取的总金额",
            actual=quote,
            evidence=[quote],
        )


@register
class PeriodRule(Rule):
    """The report states its statistics period (「本报告所列数据统计期限为Y年1月1日至12月31日」).

    What: no sentence names the period the figures cover.
    Why: common practice in published reports and recommended by model reports; it anchors the year.
    Bad: a report that never says which dates its figures cover.
    Good: 「本报告所列数据统计期限为2024年1月1日至2024年12月31日。」
    """

    code = "STR-PERIOD"
    name = "structure.period"
    category = Category.STRUCTURE
    severity = Severity.INFO
    refs = ("R30",)

    _PERIOD = re.compile(r"统计(?:期限|周期|时限|时间|区间|范围)|\d{4}年1月1日(?:起)?至(?:\d{4}年)?12月31日")

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        if not report.parts and not report.preamble:
            return
        if _find(report.paragraphs(), self._PERIOD, prefilter=r"统计|12\s*月\s*31|１２月３１") is not None:
            return
        year = report.metadata.year
        period = f"{year}年1月1日至{year}年12月31日" if year else "本年1月1日至12月31日"
        yield self.finding(
            f"报告未说明数据统计期限，宜写明“本报告所列数据统计期限为{period}”。",
            Location(span=report.metadata.title_span or _fallback_span(report)),
            expected=period,
            actual="未说明",
        )


_LISTING = re.compile(r"(?:全文|报告|内容)?包括(?P<items>[^。]{10,200}?)(?:等?[六6]个?部分|。)")


def _listed_items(segment: str) -> list[str]:
    pieces = [p for p in re.split(r"、|，|,|以及|；", segment) if p]
    items: list[str] = []
    i = 0
    while i < len(pieces):
        item = pieces[i]
        if match_part(item) is None and i + 1 < len(pieces) and match_part(item + "、" + pieces[i + 1]):
            item = item + "、" + pieces[i + 1]
            i += 1
        items.append(re.sub(r"^(?:和|及)|等$", "", item))
        i += 1
    return items


@register
class PreambleNamesRule(Rule):
    """The preamble names the parts as the headings do.

    What: the sentence 「全文包括总体情况、…六个部分」 names a part in other words than its heading, e.g. the
    条例/2019 wording 「因政府信息公开工作被申请行政复议和提起行政诉讼情况」 while the heading reads
    「四、政府信息公开行政复议、行政诉讼情况」.
    Why: a cosmetic inconsistency, typical of a preamble copied from an older report.
    Bad: preamble 「政府信息公开工作存在的主要问题及改进情况」, heading 「五、存在的主要问题及改进情况」.
    Good: the preamble repeats the six headings verbatim.
    """

    code = "STR-PREAMBLE-NAMES"
    name = "structure.preamble_names"
    category = Category.STRUCTURE
    severity = Severity.INFO
    refs = ("R33",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        active = report.part("active")
        limit = active.heading.span.line if active and active.heading.span.line else None
        paras = [p for p in report.paragraphs() if limit is None or (p.span.line or 0) < limit]
        hit = _find(paras, _LISTING, prefilter="包括")
        if hit is None:
            return
        para, m = hit
        headings = {p.key: p.heading for p in reversed(report.parts) if p.key and not _is_inferred(p.heading)}
        differences: list[str] = []
        for item in _listed_items(m.group("items")):
            key = match_part(item)
            heading = headings.get(key) if key else None
            if heading is None or label_key(item) == label_key(heading.title):
                continue
            differences.append(f"“{item}”与标题“{heading.text}”")
        if differences:
            yield self.finding(
                f"导语对各部分的称谓与正文标题不一致：{'；'.join(differences)}。",
                Location(span=_span_of(para, m.start())),
                expected="与正文标题一致",
                actual="；".join(differences),
                evidence=[m.group(0)],
            )
