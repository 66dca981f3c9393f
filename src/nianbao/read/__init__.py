"""Readers: a file in any supported format → :class:`~nianbao.model.document.Document`."""

from __future__ import annotations

import json
from pathlib import Path

from nianbao.errors import NotAReportError, UnsupportedFormatError
from nianbao.model.document import Document
from nianbao.normalize import compact
from nianbao.read.decode import decode, read_bytes, sniff_format
from nianbao.read.text import read_text

__all__ = ["REPORT_MARKERS", "read_document", "read_text"]

# Words every 政府信息公开工作年度报告 carries (title, preamble or table labels). Text with none of them
# (an article, lorem ipsum, a log file) is refused before parsing.
REPORT_MARKERS: tuple[str, ...] = ("信息公开", "政务公开", "年度报告")

_ADVICE = {
    "pdf": ("PDF files are not read yet; copy the text into a .txt file", "暂不支持PDF文件，请将全文复制到.txt文本文件后再检查。"),
    "zip": ("Word .docx files are not read yet; save as plain text (.txt)", "暂不支持Word（.docx）文件，请另存为纯文本（.txt）后再检查。"),
    "ole": (
        "old Word (.doc) or WPS (.wps) files are not read; save as .docx or plain text (.txt)",
        "不支持旧版Word（.doc）或WPS（.wps）文件，请在Word或WPS中另存为.docx或纯文本（.txt）后再检查。",
    ),
    "rtf": ("RTF files are not read; save as plain text (.txt)", "不支持RTF文件，请在Word或WPS中另存为纯文本（.txt）后再检查。"),
    "image": (
        "images (scans, photos) are not read; the report's text is needed, e.g. from the published web page",
        "不支持图片（扫描件、照片），请使用报告的文字版本（如网上发布页面的正文）保存为.txt后再检查。",
    ),
    "html": ("saved web pages are not read yet; copy the text into a .txt file", "暂不支持网页（HTML）文件，请将正文复制到.txt文本文件后再检查。"),
}


def _is_json(text: str) -> bool:
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def read_document(path: str | Path) -> Document:
    """Read a report file into a Document. The format is chosen by content, not by extension."""
    p = Path(path)
    data = read_bytes(p)
    kind = sniff_format(data[:4096])
    if kind is not None:
        en, zh = _ADVICE[kind]
        raise UnsupportedFormatError(f"{p}: {en}", f"{p}：{zh}", path=str(p))
    text, encoding = decode(data, str(p))
    if _is_json(text):
        raise NotAReportError(
            f"{p}: JSON data, not the text of a report",
            f"{p}：这是JSON数据文件，不是年度报告正文，请检查报告的文本文件。",
            path=str(p),
        )
    # A marker in the text is one in its compacted form too: compact the whole text only when needed.
    if not any(marker in text for marker in REPORT_MARKERS) and not any(
        marker in compact(text) for marker in REPORT_MARKERS
    ):
        raise NotAReportError(
            f"{p}: not a government information disclosure annual report "
            "(none of 信息公开, 政务公开, 年度报告 occurs in the text)",
            f"{p}：文中没有“信息公开”“政务公开”“年度报告”等字样，不是政府信息公开工作年度报告。",
            path=str(p),
        )
    return read_text(text, path=str(p), encoding=encoding)
