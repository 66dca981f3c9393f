"""The page's 发布日期: CMS meta tags, publish-time elements, or the info line near the title.

In order of trust:

1. ``<meta name="PubDate" content="2024-01-26 10:00">`` (the 政府网站发展指引 meta set; also
   ``firstpublishedtime``, ``publishdate``, ``article:published_time`` …);
2. an element the CMS fills with the date: ``<publishtime>2024-01-17</publishtime>`` (ucap),
   ``<span id="pubtime">``;
3. a labelled line outside the article body or in its first lines: 「发布日期：2024-01-26」
   「发布时间：2024年01月26日」, a 「公开日期」 cell followed by the date; then a bare 「日期：」「时间：」
   that is not part of another label (「采集时间」「更新时间」「成文日期」 are not publication dates).

The article's own signature date (「2024年1月25日」 under the agency name at the end) is not the page's
publication date and is never read here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from nianbao.read.html_blocks import BLOCK_TAGS
from nianbao.read.html_boilerplate import is_hard_junk, names_of, tag_of
from nianbao.read.html_text import collapse

_META_NAMES = frozenset(
    {
        "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publish_time",
        "firstpublishedtime", "article:published_time", "og:published_time", "datepublished", "dc.date",
        "dc.date.issued", "dcterms.issued", "weibo:article:create_at",
    }
)  # fmt: skip
_DATE_TAGS = frozenset({"publishtime", "pubtime", "publishdate"})
_DATE_NAMES = frozenset(
    {"pubtime", "pubdate", "publishtime", "publish-time", "publish_time", "publishdate", "fbsj"}
)
_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:年|[-/.．])\s*(?P<m>\d{1,2})\s*(?:月|[-/.．])\s*(?P<d>\d{1,2})(?!\d)"
_DATE_RE = re.compile(_DATE)
_STRONG_LABEL_RE = re.compile(
    r"(?:(?:发布|公开|发表|上网|刊发|信息发布)(?:日期|时间)|发布于)\s*[:：]?\s*" + _DATE
)
# A bare 日期/时间 label, not the end of another word (采集时间, 成文日期, 更新时间).
_WEAK_LABEL_RE = re.compile(r"(?<![\u3400-\u9fff])(?:日期|时间)\s*[:：]\s*" + _DATE)
_HEAD_CHARS = 400  # how much of the article's start may hold its info line


def _date(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def _first_date(pattern: re.Pattern[str], text: str) -> str | None:
    for m in pattern.finditer(text):
        found = _date(m)
        if found:
            return found
    return None


def _text_pieces(element: HtmlElement, stop: HtmlElement | None) -> Iterator[str]:
    """The raw text of ``element`` without ``stop``'s subtree, scripts and styles, blocks on own lines."""
    if element is stop or is_hard_junk(element):
        return
    is_block = tag_of(element) in BLOCK_TAGS
    if is_block:
        yield "\n"
    if element.text:
        yield element.text
    for child in element:
        yield from _text_pieces(child, stop)
        if child.tail:
            yield child.tail
    if is_block:
        yield "\n"


def _lines(element: HtmlElement, stop: HtmlElement | None) -> str:
    return "\n".join(
        collapse(line) for line in "".join(_text_pieces(element, stop)).split("\n") if line.strip()
    )


def _named_date(elements: Iterator[HtmlElement]) -> str | None:
    """The date in the first element the CMS fills with one (``<publishtime>``, ``id="pubtime"``)."""
    for element in elements:
        if not isinstance(element.tag, str) or is_hard_junk(element):
            continue
        if tag_of(element) in _DATE_TAGS or _DATE_NAMES.intersection(names_of(element)):
            found = _first_date(_DATE_RE, collapse(element.text_content()))
            if found:
                return found
    return None


def _labelled_date(text: str) -> str | None:
    return _first_date(_STRONG_LABEL_RE, text) or _first_date(_WEAK_LABEL_RE, text)


def _outside(ancestor: HtmlElement, inner: HtmlElement) -> Iterator[HtmlElement]:
    """Every element of ``ancestor``'s subtree except ``inner``'s subtree, in document order."""
    yield ancestor
    for child in ancestor:
        if child is not inner:
            yield from child.iter()


def publication_date(root: HtmlElement, container: HtmlElement) -> str | None:
    """The page's publication date as ISO 「YYYY-MM-DD」, or None.

    Meta tags first; then the nearest date to the article: its first lines, then what lies around it
    one level up at a time, so that the info line under the title wins over the dates of a 相关文章
    list in the sidebar.
    """
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if name in _META_NAMES:
            found = _first_date(_DATE_RE, meta.get("content") or "")
            if found:
                return found
    found = _labelled_date(_lines(container, None)[:_HEAD_CHARS])
    if found:
        return found
    inner = container
    for ancestor in container.iterancestors():
        found = _named_date(_outside(ancestor, inner)) or _labelled_date(_lines(ancestor, inner))
        if found:
            return found
        inner = ancestor
    return None
