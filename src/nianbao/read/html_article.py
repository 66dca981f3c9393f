"""Which part of a portal page is the report: the article container, and the title outside it.

Every element gets three numbers, computed in one bottom-up pass: its text outside links (navigation
is links), its link text, and its *evidence*: the blocks inside it that hold words only a report has
(part headings 「总体情况」「主动公开政府信息情况」…, and table cells 「本年新收」「申请人情况」「行政复议」…). Furniture regions (nav, footer,
breadcrumb, share; :mod:`nianbao.read.html_boilerplate`) without evidence count for nothing.

The container is found by walking down from ``<body>`` (or from the deepest element with a known CMS
article id/class such as ``zoom``, ``TRS_Editor``, ``article-content`` that holds the report): step into
a child while it holds nearly all the evidence (a report's headings and tables are spread over its
whole body, so the walk stops at the element that holds them all), never into a data table. A page
with too little evidence to steer by (an unfilled template, a very short report) is walked by text
instead: into a child that holds most of the text outside links.

The title is usually an ``<h1>`` above the container (the CMS writes it apart from the body): when the
container does not start with a title line, the closest heading or ``*title*`` element before the
container that names a 年度报告, else the page ``<title>`` without the site name, is put first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from nianbao.read.html_blocks import BLOCK_TAGS, is_layout_table
from nianbao.read.html_boilerplate import is_hard_junk, looks_like_furniture, names_of, tag_of
from nianbao.read.html_text import collapse

# Words of the six part headings (in any block), and of the three tables' labels (in table cells only:
# a sidebar menu lists 行政许可 and 行政处罚 too).
_PART_WORDS_RE = re.compile(
    "总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议|存在的主要问题|其他需要报告的事项"
)
_TABLE_WORDS_RE = re.compile(
    "本年新收|予以公开|申请人情况|信息内容|本年制发件数|行政复议|行政诉讼|结转下年度|不予公开|无法提供|不予处理"
    "|行政许可|行政处罚|商业企业|结果维持"
)
# Article containers of common government CMSs (TRS, 开普云, 大汉, ucap, 政务云), compared lower-case.
KNOWN_CONTAINERS = frozenset(
    {
        "zoom", "zoomcon", "fontzoom", "zoomcontent", "article", "article-content", "article_content",
        "articlecontent", "article-body", "article_body", "content", "contents", "con", "main-txt", "main_txt",
        "art_con", "artcon", "xxgk_content", "xxgk-content", "xxgkcontent", "trs_editor", "trs_ueditor",
        "trs_paper_default", "ucapcontent", "view", "detail", "details", "detail-content", "detail_content",
        "news_content", "newscontent", "info_content", "infocontent", "pages_content", "wz_content", "zw",
        "zwnr", "con_text", "contxt", "text", "txt", "bt_content", "article-con", "main-content",
    }
)  # fmt: skip
# Elements that hold lines, not blocks: the walk never steps into one.
_LEAF_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "span",
     "font", "a", "b", "strong", "em", "i", "u", "o:p", "label", "small", "big", "sup", "sub"}
)  # fmt: skip
_MAX_DEPTH = 400  # libxml2 stops nesting at 256; a bound of our own keeps recursion safe regardless
_SHARE = 0.9  # share of the evidence a child must hold to be stepped into
_TEXT_SHARE = 0.6  # share of the text, on a page without enough evidence
_MIN_EVIDENCE = 3
_TITLE_WORDS_RE = re.compile(r"年度报告|年报|信息公开.{0,8}报告")
_TITLE_MAX_LEN = 100
_SITE_SEPARATORS_RE = re.compile(r"\s*(?:[-_|｜—–]+|\s-\s)\s*")
_NO_SPACE_RE = re.compile(r"\s+")
_SENTENCE_MARKS_RE = re.compile(r"[，。；：,;]")


@dataclass(slots=True)
class _Stats:
    text: int = 0  # characters outside links (whitespace not counted)
    links: int = 0  # characters inside links
    evidence: int = 0  # blocks holding report words
    depth: int = 0


class Article:
    """Statistics of a parsed page and the choice of its article container."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        self.stats: dict[HtmlElement, _Stats] = {}
        self.furniture: set[HtmlElement] = set()
        self._measure(root, depth=0, in_link=False, in_data=False)

    def evidence(self) -> int:
        """Blocks holding report words on the whole page."""
        body = self.root.find("body")
        return self.stats.get(body if body is not None else self.root, _Stats()).evidence

    def text_length(self, element: HtmlElement) -> int:
        """Characters of text outside links in ``element``."""
        return self.stats.get(element, _Stats()).text

    def skip(self, element: HtmlElement) -> bool:
        """Elements not read as report text: scripts, hidden elements, furniture without evidence."""
        return is_hard_junk(element) or element in self.furniture

    # --- measuring ------------------------------------------------------------------------------------

    def _measure(self, element: HtmlElement, depth: int, in_link: bool, in_data: bool) -> tuple[_Stats, str]:
        """Stats of ``element``, and its inline text (what it adds to the line of its block parent).

        ``in_data``: inside a data table, whose rows and cells are never furniture by their id/class
        (a CMS styles 「本年废止件数」 as ``<th class="header">``).
        """
        stats = _Stats(depth=depth)
        if depth > _MAX_DEPTH or is_hard_junk(element):
            return stats, ""
        tag = tag_of(element)
        in_link = in_link or tag == "a"
        # The table itself may still be furniture by its name (a menu laid out as a table).
        inner_data = in_data or tag == "table" and not is_layout_table(element)
        pieces: list[str] = [element.text or ""]
        for child in element:
            child_stats, inline = self._measure(child, depth + 1, in_link, inner_data)
            stats.text += child_stats.text
            stats.links += child_stats.links
            stats.evidence += child_stats.evidence
            pieces.append(inline)
            pieces.append(child.tail or "")
        own = _NO_SPACE_RE.sub("", "".join(pieces))
        if in_link:
            stats.links += len(own)
        else:
            stats.text += len(own)
        is_block = tag in BLOCK_TAGS or tag == "br"
        if (
            is_block
            and not in_link
            and (_PART_WORDS_RE.search(own) or tag in ("td", "th") and _TABLE_WORDS_RE.search(own))
        ):
            stats.evidence += 1
        if (
            stats.evidence == 0
            and tag not in ("html", "body")
            and looks_like_furniture(element, by_name=not in_data)
        ):
            self.furniture.add(element)
            stats = _Stats(depth=depth)
        self.stats[element] = stats
        # Text of a block element starts its own line: the parent's line does not get it.
        return stats, "" if is_block else own

    # --- choosing the container -----------------------------------------------------------------------

    def container(self) -> HtmlElement:
        """The element that holds the report."""
        body = self.root.find("body")
        top = body if body is not None else self.root
        total = self.stats.get(top, _Stats())
        by_evidence = total.evidence >= _MIN_EVIDENCE
        known = self._known(top, total, by_evidence)
        current = top if known is None else known
        while True:
            nxt = self._step(current, by_evidence)
            if nxt is None:
                return current
            current = nxt

    def _enough(self, part: _Stats, whole: _Stats, by_evidence: bool) -> bool:
        if by_evidence:
            return part.evidence >= math.ceil(_SHARE * whole.evidence)
        return part.text > 0 and part.text >= _TEXT_SHARE * whole.text

    def _known(self, top: HtmlElement, total: _Stats, by_evidence: bool) -> HtmlElement | None:
        """The deepest element with a known CMS article name that holds the report."""
        best: HtmlElement | None = None
        for element, stats in self.stats.items():
            if element is top or not any(name in KNOWN_CONTAINERS for name in names_of(element)):
                continue
            if not self._may_hold_report(element):
                continue
            if not self._enough(stats, total, by_evidence) or not self._inside(element, top):
                continue
            if best is None or stats.depth > self.stats[best].depth:
                best = element
        return best

    def _may_hold_report(self, element: HtmlElement) -> bool:
        """Not furniture, not a line of text (p, li, span…) and not a data table."""
        if element in self.furniture or is_hard_junk(element):
            return False
        tag = tag_of(element)
        return tag not in _LEAF_TAGS and not (tag == "table" and not is_layout_table(element))

    @staticmethod
    def _inside(element: HtmlElement, top: HtmlElement) -> bool:
        return any(ancestor is top for ancestor in element.iterancestors())

    def _step(self, current: HtmlElement, by_evidence: bool) -> HtmlElement | None:
        whole = self.stats.get(current)
        if whole is None:
            return None
        for child in current:
            stats = self.stats.get(child)
            if stats is None or not self._may_hold_report(child):
                continue
            if self._enough(stats, whole, by_evidence):
                return child
        return None

    # --- the title outside the container --------------------------------------------------------------

    def title_before(self, container: HtmlElement) -> HtmlElement | str | None:
        """The title element closest before the container, else one in a region of the container that
        was dropped as furniture (an HTML5 ``<article><header><h1>``), else the page title's text."""
        before: HtmlElement | None = None
        for element in self.root.iter():
            if element is container:
                break
            if self._is_title_element(element):
                before = element
        if before is not None:
            return before
        for element in container.iter():
            if self._is_title_element(element) and any(a in self.furniture for a in element.iterancestors()):
                return element
        for meta in self.root.iter("meta"):
            if (meta.get("name") or "").lower() == "articletitle":
                text = collapse(meta.get("content") or "")
                if self._is_title_text(text):
                    return text
        title = self.root.find(".//title")
        if title is not None:
            for piece in _SITE_SEPARATORS_RE.split(collapse(title.text_content())):
                if self._is_title_text(piece):
                    return piece
        return None

    def _is_title_element(self, element: HtmlElement) -> bool:
        tag = tag_of(element)
        if not tag:
            return False
        titled = tag in ("h1", "h2", "h3", "h4", "ucaptitle") or any("title" in n for n in names_of(element))
        return (
            titled
            and not self._hidden_or_link(element)
            and self._is_title_text(collapse(element.text_content()))
        )

    @staticmethod
    def _hidden_or_link(element: HtmlElement) -> bool:
        return any(tag_of(node) == "a" or is_hard_junk(node) for node in (element, *element.iterancestors()))

    @staticmethod
    def _is_title_text(text: str) -> bool:
        return 0 < len(text) <= _TITLE_MAX_LEN and bool(_TITLE_WORDS_RE.search(text))


def is_title_line(text: str) -> bool:
    """A short line naming the report (「…2023年政府信息公开工作年度报告」), not a sentence that names it."""
    compacted = _NO_SPACE_RE.sub("", text)
    return (
        0 < len(compacted) <= _TITLE_MAX_LEN
        and bool(_TITLE_WORDS_RE.search(compacted))
        and not _SENTENCE_MARKS_RE.search(compacted)
    )
