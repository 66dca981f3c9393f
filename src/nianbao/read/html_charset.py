"""HTML bytes → text: byte-order mark, then the page's declared charset, then UTF-8, then GB18030.

Portal pages of county governments are still often GB2312 or GBK and say so in
``<meta charset="gb2312">`` or ``<meta http-equiv="Content-Type" content="text/html; charset=gbk">``.
GB2312 and GBK are read as GB18030, their superset: pages labelled GB2312 routinely hold GBK-only
characters (people's names, 「镕」). A page whose declared charset does not decode is tried as UTF-8 and
GB18030 strictly, and bytes that are none of these are refused rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
import re

from nianbao.errors import BinaryInputError, EmptyInputError, UnsupportedFormatError
from nianbao.read.decode import decode

# The declaration must be in the first bytes of the page (the HTML standard says 1024; saved pages put
# scripts and comments first, so look further).
_PRESCAN_BYTES = 8192
_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
# Labels that mean GB18030 in practice (WHATWG maps gb2312 and gbk to GBK; GB18030 is a superset).
_GB_LABELS = frozenset(
    {"gb2312", "gbk", "gb18030", "gb_2312-80", "chinese", "x-gbk", "csgb2312", "euc-cn", "cp936"}
)
# Single-byte codecs (Python names) that accept nearly any bytes.
_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15", "cp1250", "cp1251"})
_UTF16_LABELS = frozenset({"utf-16", "utf-16le", "utf-16be", "unicode"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def codec_for_label(label: str) -> str | None:
    """The Python codec for a charset label (gb2312 and gbk read as gb18030), None if unknown."""
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"
    if label in _UTF16_LABELS:
        # A page read from bytes that declares UTF-16 in ASCII is not UTF-16 (the WHATWG rule): UTF-8.
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset a page declares in its first bytes, if known."""
    head = data[:_PRESCAN_BYTES]
    m = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    return codec_for_label(m.group(1).decode("ascii", "replace")) if m else None


def decode_html(data: bytes, path: str | None = None, hint: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of an HTML page's bytes; ``hint`` is a charset label from outside the page
    (an MHTML part's header). Raises EmptyInputError or BinaryInputError."""
    where = path or "<input>"
    if not data.strip():
        raise EmptyInputError(
            f"{where}: the file is empty", f"{where}：文件为空，没有可检查的内容。", path=path
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let the generic decoder judge (and refuse) it
    declared = codec_for_label(hint) if hint else declared_charset(data)
    if declared in _SINGLE_BYTE:
        # A Chinese report under a Latin label (a CMS template's default) decodes to mojibake without
        # an error: the multi-byte readings come first.
        declared = None
    if declared is not None:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration is wrong (a page converted to UTF-8 that kept its gb2312 meta)
    try:
        return decode(data, path)
    except (BinaryInputError, UnsupportedFormatError):  # the generic decoder sniffs these bytes as HTML
        raise BinaryInputError(
            f"{where}: a web page whose text is not in its declared charset, UTF-8 or GB18030 (damaged?)",
            f"{where}：网页文字的编码无法识别（不是网页声明的编码，也不是UTF-8或GB18030），文件可能已损坏。",
            path=path,
        ) from None
