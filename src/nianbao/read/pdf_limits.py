"""Bounds on what reading a PDF may cost: pages, inflated stream sizes, objects per page.

A report is 3–30 pages of a few hundred characters each. A file far beyond that is refused before any
page is laid out (its page count is cheap to read); a page whose compressed streams would inflate
beyond a report page's size is skipped before pdfminer inflates them (the streams within bounds are
inflated here and handed to pdfminer decoded); and a page whose content draws more objects than any
report page does is cut off while it is being interpreted (skipped, with a note, rather than the
memory filled).
"""

from __future__ import annotations

import zlib
from typing import Any

from pdfminer.layout import LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

from nianbao.read.pdf_content import interpreter_class

MAX_PAGES = 100  # a report is 3–30 pages
MAX_PAGE_OBJECTS = 50_000  # characters, lines and images drawn on one page (a report page has ~2,000)
MAX_CONTENT_BYTES = 2 * 1024 * 1024  # content streams of one page, inflated (a dense page: ~150 KB)
MAX_STREAM_BYTES = 64 * 1024 * 1024  # any other stream a page uses (fonts), inflated
MAX_RESOURCE_OBJECTS = 10_000  # resource dictionaries (and entries of one) visited for one page
READ_SECONDS = 20.0  # the whole file (a 30-page report takes about 3 s)

_FLATE = ("FlateDecode", "Fl")
_EXPANDING = ("LZWDecode", "LZW", "RunLengthDecode", "RL")


class PageTooComplex(Exception):
    """A page draws more objects than :data:`MAX_PAGE_OBJECTS` (raised while it is interpreted)."""


def declared_page_count(doc: PDFDocument) -> int | None:
    """The page count the page tree declares (/Count), or None when it declares none."""
    pages = resolve1(doc.catalog.get("Pages"))
    if not isinstance(pages, dict):
        return None
    count = resolve1(pages.get("Count"))
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _inflate(data: bytes, cap: int) -> bytes | None:
    """``data`` inflated, as pdfminer would inflate it, or None once the output passes ``cap``.

    pdfminer drops a stream that is damaged in the middle (empty content) and keeps one that is only
    truncated or has a bad checksum; it inflates those byte by byte, concatenating its output, which
    takes seconds for a stream of a few megabytes. The result here is the same, without that cost.
    """
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest:
            out = inflater.decompress(rest, 1 << 20)
            total += len(out)
            if total > cap:
                return None
            pieces.append(out)
            rest = inflater.unconsumed_tail
            if not out and not rest:
                break
    except zlib.error:
        if len(data) <= 4:
            return b""
        try:  # damaged only in its last bytes (the checksum): keep the content before them
            out = zlib.decompressobj().decompress(data[:-4], cap + 1)
        except zlib.error:
            return b""
        return out if len(out) <= cap else None
    return b"".join(pieces)


def _filters(stream: PDFStream) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for f, params in stream.get_filters():
        name = getattr(f, "name", f)
        out.append((name if isinstance(name, str) else "", params))
    return out


def stream_size(stream: PDFStream, cap: int) -> int:
    """The decoded size of a stream, or a size past ``cap`` when it decodes to more than that.

    A stream compressed with Flate alone is inflated here, within ``cap``, and handed to pdfminer
    decoded (it would otherwise inflate it again, without a bound).
    """
    if stream.data is not None:
        return len(stream.data)  # already decoded by pdfminer
    raw = stream.rawdata or b""
    filters = _filters(stream)
    if filters and filters[0][0] in _FLATE:
        if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
            raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
        data = _inflate(raw, cap)
        if data is None:
            return cap + 1
        if len(filters) == 1 and not filters[0][1]:  # no further filter, no predictor: decoded
            stream.data, stream.rawdata = data, None
        return len(data)
    if any(name in _EXPANDING for name, _ in filters):
        return len(raw) * 8  # rare in reports: a rough upper estimate of the expansion
    return len(raw)


def page_streams_problem(page_obj: Any, seen: set[int]) -> str | None:
    """Why the streams pdfminer will inflate for one page are beyond a report's size, or None.

    Those are the page's content streams and its form XObjects (what the interpreter parses), which
    must inflate to at most :data:`MAX_CONTENT_BYTES` together, and its fonts' programs and CMaps
    (at most :data:`MAX_STREAM_BYTES` each). Images and Type 3 glyph procedures are never inflated
    by the reader and are not visited. ``seen`` holds the objects already checked on earlier pages
    (pages share fonts and forms), and is updated.
    """
    content = 0
    for stream in _content_streams(page_obj):
        content += stream_size(stream, MAX_CONTENT_BYTES)
        if content > MAX_CONTENT_BYTES:
            return "content"
    stack: list[tuple[Any, int]] = [(page_obj.resources, 0)]
    visited = 0
    while stack:
        resources, depth = stack.pop()
        resources = resolve1(resources)
        visited += 1
        if visited > MAX_RESOURCE_OBJECTS or depth > 16:
            return "resources"
        if not isinstance(resources, dict):
            continue
        for font in _new_values(resources.get("Font"), seen):
            if _font_problem(font, seen):
                return "stream"
        for xobject in _new_values(resources.get("XObject"), seen):
            if isinstance(xobject, PDFStream) and _name(xobject.attrs.get("Subtype")) == "Form":
                content += stream_size(xobject, MAX_CONTENT_BYTES)
                if content > MAX_CONTENT_BYTES:
                    return "content"
                stack.append((xobject.attrs.get("Resources"), depth + 1))
    return None


def _name(value: Any) -> str | None:
    name = getattr(resolve1(value), "name", None)
    return name if isinstance(name, str) else None


def _new_values(mapping: Any, seen: set[int]) -> list[Any]:
    """The resolved values of a resource dictionary that were not checked before."""
    mapping = resolve1(mapping)
    if not isinstance(mapping, dict):
        return []
    out: list[Any] = []
    for value in list(mapping.values())[:MAX_RESOURCE_OBJECTS]:
        if isinstance(value, PDFObjRef):
            if value.objid in seen:
                continue
            seen.add(value.objid)
        out.append(resolve1(value))
    return out


def _font_problem(font: Any, seen: set[int]) -> bool:
    """True when a stream pdfminer reads for this font (program, CMap) inflates beyond the limit."""
    if not isinstance(font, dict):
        return False
    fonts = [font, *(resolve1(f) for f in (resolve1(font.get("DescendantFonts")) or [])[:4] if f is not None)]
    streams: list[Any] = []
    for f in fonts:
        if not isinstance(f, dict):
            continue
        streams.extend(f.get(key) for key in ("ToUnicode", "Encoding"))
        descriptor = resolve1(f.get("FontDescriptor"))
        if isinstance(descriptor, dict):
            streams.extend(descriptor.get(key) for key in ("FontFile", "FontFile2", "FontFile3"))
    for ref in streams:
        if isinstance(ref, PDFObjRef):
            if ref.objid in seen:
                continue
            seen.add(ref.objid)
        stream = resolve1(ref)
        if isinstance(stream, PDFStream) and stream_size(stream, MAX_STREAM_BYTES) > MAX_STREAM_BYTES:
            return True
    return False


def _content_streams(page_obj: Any) -> list[PDFStream]:
    streams: list[PDFStream] = []
    for item in page_obj.contents:
        resolved = resolve1(item)
        if isinstance(resolved, PDFStream):
            streams.append(resolved)
    return streams


class _CountingAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device, stopping once a page has drawn :data:`MAX_PAGE_OBJECTS` objects."""

    drawn = 0

    def _count(self) -> None:
        self.drawn += 1
        if self.drawn > MAX_PAGE_OBJECTS:
            raise PageTooComplex(f"more than {MAX_PAGE_OBJECTS} objects on one page")

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self._count()
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self._count()
        super().paint_path(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self._count()
        super().render_image(*args, **kwargs)


class BoundedPage(Page):
    """A pdfplumber page whose layout is interpreted with an object budget (:class:`PageTooComplex`)."""

    @property
    def layout(self) -> LTPage:
        cached: LTPage | None = getattr(self, "_bounded_layout", None)
        if cached is not None:
            return cached
        device = _CountingAggregator(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        interpreter_class()(self.pdf.rsrcmgr, device).process_page(self.page_obj)
        result = device.get_result()
        self._bounded_layout = result
        return result
