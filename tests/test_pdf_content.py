"""The fast PDF tokenizer (read/pdf_content.py) gives exactly pdfminer's objects, positions included.

Each case runs pdfminer's own parser and ours over the same bytes and compares every object they hand
out (by ``repr``: pdfminer's streams and references have no equality), so any difference in a token,
its position, its type or where an error is raised fails.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psexceptions import PSEOF

import pdf_maker
from corpus_paths import FIXTURES
from nianbao.read.pdf_content import FastContentParser, FastObjectParser


def _stream(data: bytes, objid: int) -> PDFStream:
    stream = PDFStream({}, data)
    stream.set_objid(objid, 0)
    return stream


def _objects(parser: Any) -> list[str]:
    out: list[str] = []
    for _ in range(100_000):
        try:
            out.append(repr(parser.nextobject()))
        except PSEOF:
            out.append("EOF")
            break
        except Exception as exc:  # pdfminer raises on some damage: ours must raise the same
            out.append(f"raised {type(exc).__name__}")
            break
    return out


def _content_objects(cls: type[PDFContentParser], pieces: list[bytes]) -> list[str]:
    return _objects(cls([_stream(p, i + 1) for i, p in enumerate(pieces)]))


def _same_content(*pieces: bytes) -> list[str]:
    ours = _content_objects(FastContentParser, list(pieces))
    theirs = _content_objects(PDFContentParser, list(pieces))
    assert ours == theirs
    return ours


CASES = [
    b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
    b"1 0 0 1 -.5 +3 cm 5. .25 -.- + - . 1.2.3 +-5 m",
    b"/Name /A#20B /#e4#b8#ad /\xe4\xb8\xad /\xff\xfe // /a/b",
    b"(a\\(b\\)c) (nested (parens) here) (esc \\n\\t\\101\\0 \\\r\n end) () (\xe4\xb8\xad)",
    b"<4E2D> <4e2d6587> < 4E 2D > <> <4> <41>> <41 zz> <<>> << /A 1 /B [1 2 (x)] >>",
    b"[1 [2 [3]] ] ] [ (a) <41> /N true false null ] TJ",
    b"% a comment\n1 2 m % another\r3 4 l\r\nS %end",
    b"q 1 0 0 1 0 0 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI Q 1 g",
    b"BI /W 1 /H 1 /F /A85 ID abc~> EI BI /W ID",
    b"{ 1 2 add } T* ' \" d0 d1 W* f* B* b* ] ) > x\x00y \x80\xff 1e5 0x1F",
    b"true false truex nullity 12345678901234567890 " + b"9" * 5000 + b" 1",
]


@pytest.mark.parametrize("content", CASES)
def test_content_tokens_are_pdfminers(content: bytes) -> None:
    objects = _same_content(content)
    assert len(objects) >= 3


@pytest.mark.parametrize("content", CASES)
def test_tokens_split_across_streams_are_pdfminers(content: bytes) -> None:
    """A page's content may be cut anywhere into several streams (pdfminer joins a cut token)."""
    for cut in range(0, len(content), max(1, len(content) // 23)):
        _same_content(content[:cut], content[cut:])


def test_tokens_cut_by_the_buffer_are_pdfminers() -> None:
    """Tokens running over the end of a read buffer are left to pdfminer (it reads on)."""
    body = b"".join(CASES[:6]) + b" "
    size = FastContentParser.BUFSIZ
    for shift in range(0, 40, 3):
        content = b" " * (size - 20 + shift) + body * 2
        assert len(_same_content(content)) > 50


def test_a_whole_page_is_pdfminers() -> None:
    data = pdf_maker.report_pdf((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8"))
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    pages = list(PDFPage.create_pages(doc))
    assert len(pages) >= 2
    for page in pages:
        streams = [resolve1(s) for s in page.contents]
        objects = _same_content(*(s.get_data() for s in streams))
        assert len(objects) > 100


_PDFISH = st.lists(
    st.sampled_from(
        [
            b" ",
            b"\n",
            b"\r",
            b"\x00",
            b"%",
            b"/",
            b"(",
            b")",
            b"\\",
            b"<",
            b">",
            b"[",
            b"]",
            b"{",
            b"}",
            b"#",
            b"-",
            b"+",
            b".",
            b"0",
            b"7",
            b"9",
            b"a",
            b"F",
            b"e",
            b"Tj",
            b"BI",
            b"ID",
            b"EI",
            b"R",
            b"true",
            b"obj",
            b"endobj",
            b"stream",
            b"\xe4",
            b"12 0 R",
            b"<</A 1>>",
            b"(x)",
            b"<4E2D>",
        ]
    ),
    max_size=80,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(content=_PDFISH, cut=st.integers(min_value=0, max_value=200))
def test_random_content_is_pdfminers(content: bytes, cut: int) -> None:
    _same_content(content)
    _same_content(content[:cut], content[cut:])


class _Doc:
    """The little of a document pdfminer's object parser asks for (the decipher of a stream)."""

    decipher = None


def _file_objects(cls: type[PDFParser], data: bytes) -> list[str]:
    parser = cls(io.BytesIO(data))
    parser.set_document(_Doc())  # type: ignore[arg-type]
    return _objects(parser)


@settings(max_examples=300, deadline=None)
@given(content=_PDFISH)
def test_random_objects_are_pdfminers(content: bytes) -> None:
    assert _file_objects(FastObjectParser, content) == _file_objects(PDFParser, content)


def test_a_whole_file_parses_as_pdfminers() -> None:
    data = pdf_maker.report_pdf((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8"))
    objects = _file_objects(FastObjectParser, data)
    assert objects == _file_objects(PDFParser, data)
    assert len(objects) > 20


def test_fast_path_only_with_the_mirrored_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfminer.pdfinterp

    from nianbao.read import pdf_content

    assert pdf_content.FAST == (pdfminer.__version__ == pdf_content.MIRRORED_PDFMINER)
    monkeypatch.setattr(pdf_content, "FAST", False)
    assert pdf_content.interpreter_class() is pdfminer.pdfinterp.PDFPageInterpreter
    monkeypatch.setattr(pdf_content, "FAST", True)
    assert pdf_content.interpreter_class() is pdf_content.FastInterpreter


def test_fallback_reads_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_paths import FIXTURES
    from nianbao.read import pdf_content, read_data

    data = pdf_maker.report_pdf((FIXTURES / "lushan-2024.txt").read_text(encoding="utf-8"))
    fast = read_data(data, "x.pdf")
    monkeypatch.setattr(pdf_content, "FAST", False)
    slow = read_data(data, "x.pdf")
    assert fast.text() == slow.text() and fast.notes == slow.notes
    assert [b.span for b in fast.blocks] == [b.span for b in slow.blocks]
