"""A portal page saved from a browser, or a CMS export (HTML) → Document.

Steps: decode the bytes (:mod:`~nianbao.read.html_charset`), parse with lxml's forgiving HTML parser,
choose the article container (:mod:`~nianbao.read.html_article`: navigation, sidebars and footers are
not the report), read its blocks and tables (:mod:`~nianbao.read.html_blocks`), and keep the page's
发布日期 (:mod:`~nianbao.read.html_dates`). A browser's single-file archive (MHTML, .mht) is read by its
HTML part. Whatever goes wrong inside lxml comes out as a :class:`~nianbao.errors.CorruptInputError`.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

import lxml.html
from lxml.html import HtmlElement

from nianbao.errors import (
    CorruptInputError,
    EmptyInputError,
    NotAReportError,
    ReadError,
    UnsupportedFormatError,
)
from nianbao.model.document import Document, TableBlock, TextBlock
from nianbao.model.span import Span
from nianbao.read.decode import is_mhtml
from nianbao.read.html_article import Article, is_title_line
from nianbao.read.html_blocks import Flow
from nianbao.read.html_boilerplate import is_hard_junk
from nianbao.read.html_charset import decode_html
from nianbao.read.html_dates import publication_date
from nianbao.read.html_text import collapse

__all__ = ["read_html"]

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>")
_ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".zip", ".rar")
_IMAGE_PAGE_TEXT = 300  # characters of text beside the images: a caption, not a report
_TITLE_LOOKAHEAD = 6  # the parser looks for the title among the first text blocks


def _mhtml_part(data: bytes, path: str | None) -> tuple[bytes, str | None]:
    """The bytes and charset of the first text/html part of a web archive."""
    where = path or "<input>"
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if isinstance(part, Message) and part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    raise UnsupportedFormatError(
        f"{where}: a web archive (MHTML, .mht) without an HTML part; save the page as "
        "'Web page, HTML only' or copy its text into a .txt file",
        f"{where}：这是网页归档文件（MHTML/.mht），其中没有网页正文。请在浏览器中将网页“另存为”"
        "“网页，仅HTML”（.html），或复制报告正文保存为文本文件后再检查。",
        path=path,
    )


def _parse(text: str) -> HtmlElement:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    # lxml refuses a str that carries an XML encoding declaration (the bytes were decoded already).
    return lxml.html.document_fromstring(_XML_DECLARATION_RE.sub("", text, count=1), parser=parser)


def _with_title(
    article: Article, container: HtmlElement, flow: Flow, blocks: list[TextBlock | TableBlock]
) -> None:
    """Put the page's title first when the container does not start with one."""
    first_texts = [b for b in blocks if isinstance(b, TextBlock)][:_TITLE_LOOKAHEAD]
    if any(is_title_line(b.text) for b in first_texts):
        return
    title = article.title_before(container)
    if title is None:
        return
    if isinstance(title, str):
        blocks.insert(
            0, TextBlock(text=title, path=flow.path, given=Span(path=flow.path, element="/html/head/title"))
        )
        return
    before = Flow(flow.tree, flow.path, is_hard_junk)
    before.walk(title, title)
    lines = [b for b in before.finish() if isinstance(b, TextBlock)]
    for block in reversed(lines):
        block.style = block.style or "h1"
        blocks.insert(0, block)


def _refuse_report_elsewhere(article: Article, container: HtmlElement, path: str | None) -> None:
    """A page that only links to the report (附件) or shows it as images: say so instead of reading
    its few lines as an empty report."""
    if article.evidence() > 0:
        return
    where = path or "<input>"
    for link in container.iter("a"):
        href = (link.get("href") or "").split("?")[0].split("#")[0].lower()
        if href.endswith(_ATTACHMENT_SUFFIXES) and not article.skip(link):
            name = collapse(link.text_content()) or href.rsplit("/", 1)[-1]
            raise NotAReportError(
                f"{where}: the page holds no report text, only an attachment ({name}); download it and check that file",
                f"{where}：网页正文中没有年度报告内容，报告在附件“{name}”中，请下载附件后检查该文件。",
                path=path,
            )
    images = sum(1 for img in container.iter("img") if not article.skip(img))
    if images and article.text_length(container) < _IMAGE_PAGE_TEXT:
        raise UnsupportedFormatError(
            f"{where}: the report on this page is published as images; the report's text is needed "
            "(the .docx or a text version)",
            f"{where}：网页中的报告是图片，无法读取文字，请使用报告的文字版本（如Word文档或文字网页）后再检查。",
            path=path,
        )


def _read(data: bytes, path: str | None) -> Document:
    charset_hint: str | None = None
    if is_mhtml(data[:4096]):
        data, charset_hint = _mhtml_part(data, path)
    text, encoding = decode_html(data, path, charset_hint)
    where = path or "<input>"
    if not text.strip():
        raise EmptyInputError(
            f"{where}: the file is empty", f"{where}：文件为空，没有可检查的内容。", path=path
        )
    root = _parse(text)
    article = Article(root)
    container = article.container()
    _refuse_report_elsewhere(article, container, path)
    flow = Flow(root.getroottree(), path, article.skip)
    flow.walk(container, container)
    blocks = flow.finish()
    _with_title(article, container, flow, blocks)
    notes = [f"已忽略{flow.page_footers}处页码行（如「- 3 -」）"] if flow.page_footers else []
    if container is not root.find("body"):
        notes.append(
            f"只读取了网页正文区域（{root.getroottree().getpath(container)}），导航、页眉页脚等未读取"
        )
    return Document(
        path=path,
        format="html",
        encoding=encoding,
        blocks=blocks,
        publication_date=publication_date(root, container),
        notes=notes,
    )


def read_html(data: bytes, path: str | None = None) -> Document:
    """Read the bytes of a saved web page (or MHTML archive) into a Document of the article's blocks."""
    where = path or "<input>"
    try:
        return _read(data, path)
    except ReadError:
        raise
    except Exception as e:
        raise CorruptInputError(
            f"{where}: the web page could not be read ({type(e).__name__}: {e})",
            f"{where}：网页文件已损坏或结构无法解析，无法读取。",
            path=path,
        ) from None
