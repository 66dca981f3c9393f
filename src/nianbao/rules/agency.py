"""ID-AGENCY (R28): another agency's or jurisdiction's name used where the report speaks of itself."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from nianbao import divisions
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.identity import (
    Scope,
    Unit,
    leading_divisions,
    near,
    quote_line,
    same_body,
    scope_of,
    units,
)

# The report naming itself: 《{agency}{year}年…年度报告》, or 「现将{agency}{year}年…年度报告…公布」.
SELF_TITLE = re.compile(
    r"《(?P<name>[^《》]{0,40}?)(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年度?(?P<rest>[^《》]{0,30}?年度?报告)》"
    r"|现将(?P<name2>[^,。;《》]{0,40}?)(?P<year2>\d{4})年度?(?P<rest2>[^,。;《》]{0,30}?年度?报告)"
)
# Words of the sentence that mark a 《…年度报告》 as the report's own name, not a cited one.
_PUBLISHING = re.compile(r"现发布|现将|特发布|予以发布|向社会公布|编制|发布|公布|本报告")

# Guidance and supervision an agency exercises over its own subordinates (E09: 指导舞钢市开展…).
_WORK_VERBS = re.compile(r"指导|督促|督导|推动|帮助|组织|完成|检查|考核|测评|评估|培训|部署|统筹")
# …unless the clause is about cooperation or learning from another place.
_PEER_WORDS = re.compile(
    r"学习|考察|调研|交流|借鉴|赴|前往|参观|邀请|专家|协作|对口|帮扶|支援|援|跨|通办|签订|联合|兄弟|经验|与|同|来"
)
# A division name opening a clause followed by a report statement is the (wrong) actor.
_ACTOR_VERBS = re.compile(r"(?:共|全年|未|无|没有|收到|受理|办理|主动公开|发布|公开)")

# What a superior office does to this one (印发, 要求, …): then the superior is named on purpose.
_SUPERIOR_FOLLOW = re.compile(
    r"(?:印发|下发|转发|要求|部署|通报|组织|召开|关于|的|《|、|和|及|与|同|对|出台|制定|督导|检查|考核|指导"
    r"|领导|批复|同意|办公室|办公厅|门户|网站|公报|常务|文件)"
)
# What a report says of its own agency (「…未发生违反政府信息公开规定的行为」, 「…共收到申请」).
_SELF_STATEMENT = re.compile(
    r"(?:全年|今年|本年度|始终|一直|均)?(?:未|无|没有|共|收到|受理|办理|答复|主动公开|公开|发布|坚持|持续|不断"
    r"|进一步|认真|严格|扎实|积极|加强|推进|深化|完善|建立|健全|开展|完成|落实)"
)
_SUPERIOR_CONTEXT = re.compile(r"按照|根据|依据|遵照|要求|部署|转发|印发|下发|报送|上报|报请|配合|参加|参与")


@dataclass(frozen=True)
class SelfTitle:
    """The report naming itself: 《{name}{year}年…年度报告》 in a sentence that publishes it."""

    start: int
    end: int
    name: str
    name_start: int
    year: str
    year_start: int

    def quoted(self, unit: Unit) -> str:
        """The source words for a message: 《…》 as written, or “现将…报告” in quotation marks."""
        text = unit.original(self.start, self.end)
        return text if text.startswith("《") else f"“{text}”"


def self_titles(unit: Unit) -> Iterator[SelfTitle]:
    """Every place where the report names itself (the preamble's 现发布《…年度报告》)."""
    if "《" not in unit.norm and "现将" not in unit.norm:
        return  # both forms of SELF_TITLE start with one of these
    for m in SELF_TITLE.finditer(unit.norm):
        if "政府信息公开" not in m.group(0):
            continue
        s_start, s_end = unit.sentence(m.start())
        if not _PUBLISHING.search(unit.norm, s_start, s_end):
            continue
        g = "" if m.group("year") is not None else "2"
        yield SelfTitle(
            start=m.start(),
            end=m.end(),
            name=m.group(f"name{g}") or "",
            name_start=m.start(f"name{g}"),
            year=m.group(f"year{g}"),
            year_start=m.start(f"year{g}"),
        )


@dataclass(frozen=True)
class OfficeMention:
    """A self-statement whose subject is another level's or place's office (市政府办公室未发生…)."""

    unit: Unit
    start: int
    end: int
    name: str


@lru_cache(maxsize=32)  # one body per report, asked for once per paragraph
def _body_aliases(body: str) -> tuple[str, ...]:
    out = {body, body.replace("人民政府", "政府")}
    for b in list(out):
        if b.endswith("办公室"):
            out.add(b[:-3] + "办公厅")
        if b.endswith("办公厅"):
            out.add(b[:-3] + "办公室")
    return tuple(sorted((b for b in out if b), key=len, reverse=True))


@lru_cache(maxsize=32)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(a) for a in aliases))


def foreign_office_mentions(unit: Unit, scope: Scope) -> Iterator[OfficeMention]:
    """Clauses whose subject is this agency's body under another level word or another place's name."""
    aliases = _body_aliases(scope.body)
    if not aliases:
        return
    norm = unit.norm
    at_body = [m.start() for m in _alias_pattern(aliases).finditer(norm)]
    if not at_body:
        return
    for start in unit.clause_starts:
        # The body must follow within a prefix's length (省名+市名+县名 is at most about 20 characters).
        k = bisect_left(at_body, start)
        if k == len(at_body) or at_body[k] - start > 24 or unit.in_title(start):
            continue
        prefix = ""
        for word in scope.superior_words:
            if norm.startswith(word, start):
                prefix = word
                break
        if not prefix:
            chain = leading_divisions(norm[start : at_body[k]])
            if not chain or any(near(m.name, scope.region) for m in chain):
                continue
            inside = scope.anchor is not None and any(
                divisions.is_descendant(c, scope.anchor) for c in chain[-1].candidates
            )
            if inside:
                continue  # a subordinate's office (鲁山县… in 平顶山市's report) may be reported on
            prefix = "".join(m.name for m in chain)
        at = start + len(prefix)
        body = next((b for b in aliases if norm.startswith(b, at)), None)
        if body is None:
            continue
        end = at + len(body)
        if _SUPERIOR_FOLLOW.match(norm, end) or not _SELF_STATEMENT.match(norm, end):
            continue
        c_start, c_end = unit.clause(start)
        if _SUPERIOR_CONTEXT.search(norm, c_start, c_end):
            continue
        yield OfficeMention(unit=unit, start=start, end=end, name=norm[start:end])


@register
class ForeignAgency(Rule):
    """本报告出现其他机关或其他行政区的名称（把别人的名称当作本机关）。

    Checks three traces of a report adapted from another agency's (format-2021 R28): (a) the preamble's
    《…年度报告》 names an agency other than the title's; (b) an administrative division that is neither
    the report's own region, a superior nor a subordinate is the object or actor of the reported work;
    (c) a self-statement (「…未发生违反政府信息公开规定的行为」) is made about this office under another
    level's name. Allowed: 鲁山县政府办公室 for 鲁山县人民政府办公室, 本机关/我局/我办/我县, citations in
    《》, superiors named as the source of instructions (按照平顶山市政府要求).

    Why: the 2021 format holds leaders accountable for 发布内容不准确; foreign names are the usual trace
    of 照搬照抄 (the seed was adapted from 平顶山市人民政府办公室's report).

    Bad (in 鲁山县人民政府办公室's report): 现发布《平顶山市人民政府办公室2024年政府信息公开工作年度报告》;
    指导舞钢市开展“政府开放月”活动; 2024年，市政府办公室未发生违反政府信息公开规定的行为。
    Good: 现发布《鲁山县人民政府办公室2024年政府信息公开工作年度报告》; 指导各乡镇开展…;
    2024年，本机关未发生违反政府信息公开规定的行为。
    """

    code = "ID-AGENCY"
    name = "identity.agency"
    category = Category.IDENTITY
    severity = Severity.ERROR
    refs = ("R28",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        scope = scope_of(report)
        if scope is None:
            return
        for unit in units(report):
            yield from self._self_title(unit, scope)
            offices = list(foreign_office_mentions(unit, scope))
            for office in offices:
                yield self._office_finding(office, scope)
            yield from self._divisions(unit, scope, offices)

    # (a) 《{another agency}{Y}年…年度报告》
    def _self_title(self, unit: Unit, scope: Scope) -> Iterator[Finding]:
        for t in self_titles(unit):
            if not t.name or not is_foreign_agency(t.name, scope):
                continue
            name = "".join(t.name.split())
            span = unit.span(t.name_start)
            yield self.finding(
                f"{quote_line(span)}称本报告为{t.quoted(unit)}，"
                f"但标题的机关是{scope.agency}，“{name}”不是本机关。",
                Location(span=span, part=unit.para.part),
                expected=scope.agency,
                actual=name,
                evidence=[unit.sentence_text(t.start)],
            )

    # (c) 市政府办公室未发生…
    def _office_finding(self, office: OfficeMention, scope: Scope) -> Finding:
        span = office.unit.span(office.start)
        level = f"（{scope.level_name}）" if scope.level_name else ""
        return self.finding(
            f"{quote_line(span)}以“{office.name}”作为本机关工作的主体，"
            f"但本报告是{scope.agency}{level}的报告，应为“{scope.agency}”或“本机关”。",
            Location(span=span, part=office.unit.para.part),
            expected=scope.agency,
            actual=office.name,
            evidence=[office.unit.sentence_text(office.start)],
        )

    # (b) 指导舞钢市开展…
    def _divisions(self, unit: Unit, scope: Scope, offices: list[OfficeMention]) -> Iterator[Finding]:
        if scope.anchor is None:
            return  # the report's own place is unknown to the gazetteer: nothing is foreign for sure
        norm = unit.norm
        reported: set[str] = set()
        for m in divisions.find_in_text(norm):
            if m.name in reported or len(m.name) <= 2 or unit.in_title(m.start):
                continue
            if any(o.start <= m.start < o.end for o in offices):
                continue
            if scope.is_related(m.name, m.candidates) is not False:
                continue
            c_start, c_end = unit.clause(m.start)
            if _PEER_WORDS.search(norm, c_start, c_end) or _SUPERIOR_CONTEXT.search(norm, c_start, c_end):
                continue
            guided = _WORK_VERBS.search(norm, c_start, m.start) is not None
            opener = m.start in unit.clause_starts
            acting = opener and _ACTOR_VERBS.match(norm, m.end) is not None
            if not (guided or acting):
                continue
            reported.add(m.name)
            span = unit.span(m.start)
            yield self.finding(
                f"{quote_line(span)}称“{m.name}”，但本报告是{scope.agency}的报告，"
                f"{m.name}既不是本级也不是上级或下级行政区。",
                Location(span=span, part=unit.para.part),
                expected=scope.region,
                actual=m.name,
                evidence=[unit.sentence_text(m.start)],
            )


def is_foreign_agency(name: str, scope: Scope) -> bool:
    """Whether an agency name (from 《…年度报告》) is not the report's own agency.

    Same: the agency itself, with 人民政府 shortened, with superiors prefixed (河南省平顶山市鲁山县…), with
    the region shortened (鲁山…) or as a level word (县政府办公室). Foreign: another region, another
    level word (市政府办公室), or another body (鲁山县人民政府 for its 办公室). A region the gazetteer
    does not know is never taken as foreign when it differs from the own one by one character (OCR).
    """
    name = "".join(name.split())
    if name in (scope.agency, "本机关"):
        return False
    chain = leading_divisions(name)
    rest = name
    if chain:
        last = chain[-1]
        if near(last.name, scope.region):
            return not same_body(name[last.end :], scope.body)
        if scope.division is None and scope.anchor is not None and last.name == scope.anchor.name:
            rest = name[last.end :]  # a township named after its county: the township's own name must follow
        else:
            return True
    # The own region, the same with a one-character OCR slip (same suffix), or its short form.
    slip = rest[: len(scope.region)]
    slipped = slip[-1:] == scope.region[-1:] and near(slip, scope.region)
    for prefix in (scope.region, slip if slipped else "", scope.short):
        if prefix and rest.startswith(prefix):
            return not same_body(rest[len(prefix) :], scope.body)
    if chain:
        return True
    if scope.own_word and rest.startswith(scope.own_word):
        return not same_body(rest[len(scope.own_word) :], scope.body)
    if any(rest.startswith(w) for w in scope.superior_words):
        return True
    # An unknown place name (possibly an OCR slip of the own one) before a body: judge the body only.
    return not any(same_body(rest[cut:], scope.body) for cut in range(len(rest)))
