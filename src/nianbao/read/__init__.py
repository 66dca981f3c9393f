"""Readers: a file in any supported format → :class:`~nianbao.model.document.Document`.

One reader per format (text/Markdown, .docx, HTML, PDF), each producing the same Document of text and
table blocks with source spans. The format is chosen by the file's content, never only by its name.
"""

from __future__ import annotations

import json
from pathlib import Path

from nianbao.errors import EncryptedInputError, NotAReportError, UnsupportedFormatError
from nianbao.model.document import Document
from nianbao.normalize import compact
from nianbao.read.decode import REPLACEMENT, decode, read_bytes, sniff_format
from nianbao.read.docx import read_docx
from nianbao.read.html import read_html
from nianbao.read.pdf import read_pdf
from nianbao.read.text import read_text

__all__ = ["REPORT_MARKERS", "read_data", "read_document", "read_docx", "read_html", "read_pdf", "read_text"]

# Words every 政府信息公开工作年度报告 carries (title, preamble or table labels). Content with none of
# them (an article, lorem ipsum, a log file) is refused before parsing.
REPORT_MARKERS: tuple[str, ...] = ("信息公开", "政务公开", "年度报告")

_ADVICE = {
    "ole": (
        "old Word (.doc) or WPS (.wps) files are not read; open it in Word or WPS and save as .docx",
        "不支持旧版Word（.doc）或WPS（.wps）文件，请在Word或WPS中“另存为”Word文档（.docx）后再检查。",
    ),
    "rtf": (
        "RTF files are not read; open it in Word or WPS and save as .docx",
        "不支持RTF文件，请在Word或WPS中“另存为”Word文档（.docx）后再检查。",
    ),
    "image": (
        "images (scans, photos) are not read; the report's text is needed, e.g. the .docx or the published web page",
        "不支持图片（扫描件、照片），请使用报告的文字版本（如Word文档或网上发布的页面）后再检查。",
    ),
}


# The directory entry name of the encrypted package stream in an OLE file (UTF-16LE).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _is_json(text: str) -> bool:
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def _has_marker(text: str) -> bool:
    # A marker in the text is one in its compacted form too: compact the whole text only when needed.
    return any(m in text for m in REPORT_MARKERS) or any(m in compact(text) for m in REPORT_MARKERS)


def _not_a_report(where: str) -> NotAReportError:
    return NotAReportError(
        f"{where}: not a government information disclosure annual report "
        "(none of 信息公开, 政务公开, 年度报告 occurs in the text)",
        f"{where}：文中没有“信息公开”“政务公开”“年度报告”等字样，不是政府信息公开工作年度报告。",
        path=where,
    )


def _note_replaced(document: Document, text: str) -> None:
    bad = text.count(REPLACEMENT)
    if bad:
        document.notes.append(
            f"有{bad}处字节无法按{document.encoding or '文件'}编码解读（文件可能已损坏），已替换为“\ufffd”"
        )


def read_data(data: bytes, path: str | None = None) -> Document:
    """Read the bytes of a report file into a Document; ``path`` is only used in spans and messages."""
    where = path or "<input>"
    kind = sniff_format(data[:4096])
    document: Document
    if kind == "zip":
        document = read_docx(data, path)
    elif kind == "pdf":
        document = read_pdf(data, path)
    elif kind == "html":
        document = read_html(data, path)
    elif kind == "ole" and _ENCRYPTED_PACKAGE in data:
        # A password-protected .docx is stored as an OLE file holding the encrypted package.
        raise EncryptedInputError(
            f"{where}: the Word document is protected by a password; save a copy without the password",
            f"{where}：Word文档设有打开密码，无法读取，请在Word或WPS中取消密码后另存一份再检查。",
            path=path,
        )
    elif kind is not None:
        en, zh = _ADVICE[kind]
        raise UnsupportedFormatError(f"{where}: {en}", f"{where}：{zh}", path=path)
    else:
        text, encoding = decode(data, path)
        if _is_json(text):
            raise NotAReportError(
                f"{where}: JSON data, not the text of a report",
                f"{where}：这是JSON数据文件，不是年度报告正文，请检查报告的文本文件。",
                path=path,
            )
        if not _has_marker(text):
            raise _not_a_report(where)
        document = read_text(text, path=path, encoding=encoding)
        _note_replaced(document, text)
        return document
    content = document.text()
    if not _has_marker(content):
        raise _not_a_report(where)
    _note_replaced(document, content)
    return document


def read_document(path: str | Path) -> Document:
    """Read a report file into a Document. The format is chosen by content, not by extension."""
    p = Path(path)
    return read_data(read_bytes(p), str(p))
