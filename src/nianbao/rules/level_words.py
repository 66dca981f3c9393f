"""ID-LEVEL-WORD (R29): a superior level's words (全市, 市政府公文, 我市) used for this agency's own work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Report
from nianbao.rules.agency import foreign_office_mentions
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.identity import Scope, Unit, quote_line, scope_of, units

# A superior named on purpose: its instructions, its rankings and awards, its unified systems.
_SUPERIOR_CONTEXT = re.compile(
    r"按照|根据|依据|遵照|落实|贯彻|执行|响应|参加|参与|配合|部署|要求|排名|排第|位居|位列|名列|前列"
    r"|第[一二三四五六七八九十\d]+名|评为|获评|荣获|获得|获|入选|列为|被|率先|首个|首家|首批|唯一|之一|范围内"
    r"|推广|交流|示范|先进|优秀|统一|作为|报送|上报|纳入|评估|考评|评比|测评|评价|考核|督查|通报|在我|在本"
)
# Instruction words only: 「落实市政府公文公开属性…机制」 is this office's own document stream (E06),
# 「落实市政府文件要求」 is not.
_INSTRUCTION_CONTEXT = re.compile(r"按照|根据|依据|遵照|要求|部署|转发|报送|上报|报请|配合|参加|参与|协助")


@lru_cache(maxsize=64)
def _patterns(word: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    w = re.escape(word)
    scope_word = re.compile(rf"(?<![安健完齐周])全{w}(?!场|域|{w})")
    stream = re.compile(rf"{w}政府(?:及{w}政府办公[室厅])?(?:公文|公报|门户网站)")
    self_word = re.compile(rf"(?:我|本){w}(?![场级])")
    superior = re.compile(rf"(?<!全){w}(?:委|政府|人民政府)")  # the superior itself acts in the clause
    return scope_word, stream, self_word, superior


@register
class LevelWord(Rule):
    """本机关的工作使用了上级的层级用语（县级报告中的“全市”“市政府公文”“我市”）。

    Checks, for a report whose region has a level word (县) different from its superiors' (市, 省),
    that the superior's words do not describe this agency's own scope or documents (format-2021 R29):
    「全市」 as the scope of its own activity, 「市政府公文」/「市政府门户网站」/「市政府公报」 as its own document
    stream, 「我市」/「本市」 as itself. A superior named on purpose is allowed: 落实市委、市政府部署,
    按照全市统一要求, 在全市考核中位居前列. A county-level city (市 under 市) cannot be judged and is skipped.

    Why: a county report that organises 全市 training or reviews 市政府公文 was copied from the city's.

    Bad (鲁山县人民政府办公室): 举办全市政府信息公开和政务公开业务专题培训会1次; 认真落实市政府公文公开属性
    源头认定和发布审查机制。 Good: 举办全县…培训会1次; 认真落实县政府公文公开属性源头认定…; 认真落实市委、
    市政府关于政务公开工作的部署。
    """

    code = "ID-LEVEL-WORD"
    name = "identity.level-word"
    category = Category.IDENTITY
    severity = Severity.WARNING
    refs = ("R29",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        scope = scope_of(report)
        if scope is None or not scope.superior_words or not scope.own_word:
            return
        for unit in units(report):
            taken: list[tuple[int, int]] | None = None
            seen: set[tuple[int, str]] = set()
            for word in scope.superior_words:
                if word not in unit.norm:
                    continue
                for start, end, kind in self._mentions(unit, word):
                    if taken is None:
                        # ID-AGENCY already reports 「市政府办公室未发生…」 as an error: do not repeat it here.
                        taken = [(o.start, o.end) for o in foreign_office_mentions(unit, scope)]
                    if unit.in_title(start) or any(a <= start < b for a, b in taken):
                        continue
                    found = unit.norm[start:end]
                    sent = unit.sentence(start)[0]
                    if (sent, found) in seen:
                        continue
                    seen.add((sent, found))
                    yield self._finding(unit, scope, start, found, word, kind)

    def _mentions(self, unit: Unit, word: str) -> Iterator[tuple[int, int, str]]:
        scope_word, stream, self_word, superior = _patterns(word)
        norm = unit.norm
        for m in stream.finditer(norm):
            a, b = unit.clause(m.start())
            if not _INSTRUCTION_CONTEXT.search(norm, a, b):
                yield m.start(), m.end(), "stream"
        for pattern, kind in ((scope_word, "scope"), (self_word, "self")):
            for m in pattern.finditer(norm):
                a, b = unit.clause(m.start())
                if not _SUPERIOR_CONTEXT.search(norm, a, b) and not superior.search(norm, a, b):
                    yield m.start(), m.end(), kind

    def _finding(self, unit: Unit, scope: Scope, start: int, found: str, word: str, kind: str) -> Finding:
        span = unit.span(start)
        own = found.replace(word, scope.own_word)
        level = scope.level_name or "本级"
        what = {
            "scope": "作为本机关工作的范围",
            "stream": "作为本机关的公文或平台",
            "self": "指称本地",
        }[kind]
        return self.finding(
            f"{quote_line(span)}以“{found}”{what}，但{scope.agency}是{level}机关，应为“{own}”。",
            Location(span=span, part=unit.para.part),
            expected=own,
            actual=found,
            evidence=[unit.sentence_text(start)],
        )
