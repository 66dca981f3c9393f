"""What on a portal page is not the report: scripts, navigation, footers, share and print widgets.

Three kinds of page furniture:

- elements that never hold report text (script, style, iframe, form controls) or are hidden;
- page regions named as furniture by their tag (nav, header, footer, aside) or by their id/class
  (``mainNav``, ``breadcrumb``, ``footer``, ``bdsharebuttonbox``): dropped unless they hold report
  evidence, because some CMSs wrap the whole article in a ``<div class="main-nav-content">`` or an
  ASP.NET ``<form>``;
- single lines of furniture inside the article container: 【打印本页】【关闭窗口】, 「分享到：」,
  「字号：大 中 小」, 「上一篇」, and footer lines (版权所有, 网站标识码, ICP备, 主办单位：).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Elements whose content is never report text.
HARD_JUNK_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "canvas", "math", "select", "option", "button", "textarea", "input", "map", "audio", "video",
        "head", "title", "meta", "link", "base",
    }
)  # fmt: skip
# Regions that are furniture unless they hold report evidence (a CMS may wrap the article in one).
FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu"})
# id/class words of furniture (compared as lower-case substrings of each id/class token).
_FURNITURE_WORDS = (
    "nav", "menu", "footer", "foot", "header", "breadcrumb", "crumb", "share", "sidebar", "copyright",
    "banner", "toolbar", "pagination", "pager", "friendlink", "topbar", "searchbox", "search-box", "weizhi",
    "dqwz", "position", "location", "qrcode", "erweima", "fontsize", "font-size", "zihao", "printbtn", "print-btn",
    "prevnext", "prev-next", "relevant", "related", "xgwz", "xglj", "links",
)  # fmt: skip
_TOKEN_SPLIT_RE = re.compile(r"\s+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# A line made only of widget words: 【打印本页】【关闭窗口】, 「字号：大 中 小」, 「分享到：微信 微博」.
_WIDGET_WORD = (
    r"打印本页|打印此页|打印正文|打印|关闭窗口|关闭本页|关闭|保存本页|收藏本页|加入收藏|收藏|返回顶部|返回列表|返回|"
    r"我要纠错|纠错|分享到|分享|扫一扫|微信扫一扫|手机扫一扫|在手机上打开|用手机扫描|字号|字体|默认|大|中|小|"
    r"微信|微博|新浪微博|腾讯微博|QQ空间|QQ|人人网|豆瓣|朋友圈|[0-9]+(?![0-9])次?"
)
_WIDGET_SEP = r"[\s【】\[\]（）()|｜/:：,，、>＞»·•]*"
# One separator run between words (no two adjacent runs: no backtracking blow-up); a CJK widget word
# must occur, so that a line holding only a number is not taken for a counter.
_WIDGET_LINE_RE = re.compile(rf"(?=.*[\u4e00-\u9fff]){_WIDGET_SEP}(?:(?:{_WIDGET_WORD}){_WIDGET_SEP})+")
_WIDGET_MAX_LEN = 80
# A labelled page line: navigation aids and the info line under the title (its date is read apart).
_LABEL_LINE_RE = re.compile(
    r"^[\s【\[]*(?:上一篇|下一篇|上一条|下一条|当前位置|您现在的位置|您的位置|所在位置|浏览次数|阅读次数|访问次数|"
    r"点击数|点击量|分享到|字号|【?字体|信息来源|来源|发布日期|发布时间|发文日期|作者|编辑|责任编辑|审核)\s*[:：]"
)
_LABEL_MAX_LEN = 120
# A page footer line (copyright and site identification).
_FOOTER_LINE_RE = re.compile(
    r"版权所有|网站标识码|ICP备|ICP证|公网安备|主办单位[:：]|承办单位[:：]|技术支持[:：]|网站地图|"
    r"Copyright|©|建议使用.{0,20}浏览器|分辨率"
)
_FOOTER_MAX_LEN = 150


def tag_of(element: HtmlElement) -> str:
    """Lower-case tag name; comments and processing instructions give ''."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def is_hard_junk(element: HtmlElement) -> bool:
    """An element that never holds report text: scripts, styles, form controls, hidden elements."""
    tag = tag_of(element)
    if not tag or tag in HARD_JUNK_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true" and tag != "span":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(style))


def names_of(element: HtmlElement) -> list[str]:
    """The element's id and class tokens, lower-case."""
    names = [element.get("id") or ""]
    names.extend(_TOKEN_SPLIT_RE.split(element.get("class") or ""))
    return [n.lower() for n in names if n]


def looks_like_furniture(element: HtmlElement, *, by_name: bool = True) -> bool:
    """A navigation, header, footer, breadcrumb or share region by its tag or, with ``by_name``, its
    id/class (not asked inside a data table: a ``<th class="header">`` is a table header cell)."""
    if tag_of(element) in FURNITURE_TAGS:
        return True
    return by_name and any(word in name for name in names_of(element) for word in _FURNITURE_WORDS)


def is_furniture_line(text: str) -> bool:
    """A widget line (【打印本页】, 分享到：) or a footer line (版权所有, ICP备) inside the article."""
    if len(text) <= _WIDGET_MAX_LEN and _WIDGET_LINE_RE.fullmatch(text):
        return True
    if len(text) <= _LABEL_MAX_LEN and _LABEL_LINE_RE.match(text):
        return True
    return len(text) <= _FOOTER_MAX_LEN and bool(_FOOTER_LINE_RE.search(text))
