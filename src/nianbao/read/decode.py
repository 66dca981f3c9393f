"""Bytes → text: size limit, format sniffing, and encoding detection (UTF-8, BOMs, GB18030/GBK).

Government files are often GBK; decoding tries strict UTF-8 first (GBK bytes almost never form valid
UTF-8), then GB18030 (a superset of GBK and GB2312), and refuses bytes that are neither rather than
produce mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from nianbao.errors import BinaryInputError, EmptyInputError, ReadError, TooLargeError, UnsupportedFormatError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a report is a few hundred KB; anything this big is not one
REPLACEMENT = "\ufffd"
MAX_REPLACED = 8  # damaged UTF-8 bytes accepted (replaced by U+FFFD), or one per 1,000 characters

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_format(head: bytes) -> str | None:
    """Recognise container formats by content: 'pdf', 'zip' (docx/wps-x), 'ole' (.doc/.wps), 'rtf',
    'image' (a scan or photo), 'html' (a page, a CMS fragment, or a browser's MHTML archive)."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")):
        return "image"
    if is_html(head) or is_mhtml(head):
        return "html"
    return None


# A page or CMS fragment starts with one of these (after a BOM and whitespace).
_HTML_DOCUMENT_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<!-- saved from url=")
_HTML_FRAGMENT_RE = re.compile(
    rb"<(?:!--|head|body|meta|title|style|script|link|div|p|table|h[1-6]|span|section|article|center|font|ul|ol"
    rb"|o:p|strong|b)[\s>/]"
)
# Browser archives: MIME header lines, one of them MIME-Version, then a multipart/related body.
_MHTML_RE = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?MIME-Version:", re.I)


def _head_bytes(head: bytes) -> bytes:
    """The first bytes without BOM and leading whitespace, lower-case; UTF-16 pages as ASCII-ish bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[:4096].decode("utf-16", "ignore").encode("utf-8", "ignore")
    elif head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return head[:2048].lstrip().lower()


def is_html(head: bytes) -> bool:
    """A web page or an HTML fragment (a CMS export starting with ``<div``, ``<p`` or ``<table``).

    Plain text that mentions a tag does not start with one; a fragment must also close a tag.
    """
    lowered = _head_bytes(head)
    if lowered.startswith(_HTML_DOCUMENT_STARTS):
        return True
    if not lowered.startswith(b"<"):
        return False
    if b"<html" in lowered[:512]:
        return True  # a comment or a script before <html>
    return bool(_HTML_FRAGMENT_RE.match(lowered)) and b"</" in lowered


def is_mhtml(head: bytes) -> bool:
    """A browser's single-file web archive (.mht, .mhtml): MIME headers with a multipart/related type."""
    start = head.lstrip()[:4096]
    return bool(_MHTML_RE.match(start)) and b"multipart/related" in start.lower()


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read a file, refusing one larger than ``limit`` before reading it (bounded memory)."""
    try:
        if path.is_dir():
            raise ReadError(
                f"{path}: is a directory, not a report file",
                f"{path}：这是一个文件夹，不是年度报告文件，请指定其中的报告文件。",
                path=str(path),
            )
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(
            f"{path}: no such file", f"{path}：文件不存在，请检查路径和文件名。", path=str(path)
        ) from None
    except OSError as e:
        raise ReadError(
            f"{path}: cannot be opened ({e.strerror or e})",
            f"{path}：无法打开文件（{e.strerror or e}），请检查文件权限。",
            path=str(path),
        ) from None
    if size > limit:
        raise TooLargeError(
            f"{path}: file is {size / 1e6:.1f} MB, larger than the {limit / 1e6:.0f} MB limit for a report",
            f"{path}：文件大小为{size / 1e6:.1f} MB，超过年度报告的{limit / 1e6:.0f} MB上限，不像一份年度报告。",
            path=str(path),
        )
    try:
        with path.open("rb") as handle:
            # Read at most limit + 1 bytes: a file that grows (or a FIFO) cannot exhaust memory.
            data = handle.read(limit + 1)
    except OSError as e:
        raise ReadError(
            f"{path}: cannot be read ({e.strerror or e})",
            f"{path}：无法读取文件（{e.strerror or e}）。",
            path=str(path),
        ) from None
    if len(data) > limit:
        raise TooLargeError(
            f"{path}: file is larger than the {limit / 1e6:.0f} MB limit for a report",
            f"{path}：文件超过年度报告的{limit / 1e6:.0f} MB上限，不像一份年度报告。",
            path=str(path),
        )
    return data


# Characters of ordinary report text (ASCII, Latin, general punctuation, CJK, full-width forms) are
# skipped by this regex, so that only the rare others are looked up one by one.
_UNUSUAL_RE = re.compile(r"[^\t\n\r\f\v\x20-\x7e\u00a0-\u024f\u2010-\u2027\u2030-\u205e\u2100-\u27bf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fef\uff01-\uffbe]")


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in _UNUSUAL_RE.findall(sample) if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"))
    return bad / len(sample) > 0.01


def decode(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name). Raise a ReadError subclass on failure."""
    text, encoding = _decode(data, path)
    if not text.replace("\ufeff", "").strip():  # only BOMs, ideographic spaces, NBSPs …
        where = path or "<input>"
        raise EmptyInputError(f"{where}: the file is empty", f"{where}：文件为空，没有可检查的内容。", path=path)
    return text, encoding


def _decode(data: bytes, path: str | None) -> tuple[str, str]:
    where = path or "<input>"
    if not data.strip():
        raise EmptyInputError(f"{where}: the file is empty", f"{where}：文件为空，没有可检查的内容。", path=path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if _looks_binary(text):
                break
            return text, encoding
    if b"\x00" not in data:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _looks_binary(text):
                return text, encoding
    if b"\x00" not in data:
        # UTF-8 with a few damaged bytes (a file cut off mid-character, a flipped bit) is still UTF-8: a
        # GBK file read as UTF-8 has an invalid sequence in almost every Chinese character instead.
        text = data.decode("utf-8", errors="replace")
        bad = text.count(REPLACEMENT)
        if bad <= max(MAX_REPLACED, len(text) // 1000) and not _looks_binary(text):
            return text, "utf-8"
    kind = sniff_format(data[:4096])
    if kind is not None:  # pragma: no cover - callers sniff first; kept for direct use
        raise UnsupportedFormatError(f"{where}: {kind} content", f"{where}：不是纯文本文件。", path=path)
    raise BinaryInputError(
        f"{where}: not text in UTF-8, UTF-16 or GB18030 (a binary file?)",
        f"{where}：无法识别为文本（支持UTF-8、UTF-16、GB18030/GBK编码），可能是二进制文件或已损坏。",
        path=path,
    )
