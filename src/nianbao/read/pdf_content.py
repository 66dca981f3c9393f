"""A faster tokenizer for page content streams, giving exactly pdfminer's tokens.

Interpreting a page's content is most of the time a PDF takes to read, and most of that is
pdfminer's tokenizer, a state machine that looks at a token a few characters at a time. Here one
regular expression reads a whole common token (a number, an operator, a name, a short string or hex
string, ``[``, ``]``, ``<<``, ``>>``) at once; anything else (a comment, an escape in a string, a
``#`` in a name, a token running to the end of the buffer, an inline image) is left to pdfminer's
own state machine, which then carries on from the same place. The tokens, their positions and so the
objects the interpreter sees are the same as pdfminer's (``tests/test_pdf_content.py`` compares
them on real and random content).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import pdfminer
from pdfminer import settings
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFContentParser, PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import (
    HEX_PAIR,
    KWD,
    LIT,
    SPC,
    PSBaseParser,
    PSBaseParserToken,
    PSKeyword,
    PSLiteral,
    PSStackEntry,
    keyword_name,
)

log = logging.getLogger("pdfminer.pdfinterp")

_END = rb"#/%\[\]()<>{}\s"  # what ends a name or an operator (pdfminer's END_LITERAL, END_KEYWORD)
_TOKEN = re.compile(
    rb"[\s\x00]*(?:"
    rb"(?P<num>(?:[-+][0-9]*|[0-9]+)(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<kw>[A-Za-z][^" + _END + rb"]*)"
    rb"|/(?P<lit>[^" + _END + rb"]*+)(?!#)"
    rb"|\((?P<str>[^()\\]*)\)"
    rb"|<(?P<hex>[0-9a-fA-F\s]*)>(?!>)"
    rb"|(?P<dict><<|>>)"
    rb"|(?P<one>[^\s\x00%/+\-.0-9A-Za-z(<>])"
    rb")"
)
_DICT = {b"<<": KWD(b"<<"), b">>": KWD(b">>")}
_TRUE_FALSE = {b"true": True, b"false": False}
_PLAIN = (int, float, bool, str, bytes, PSLiteral)
_STRUCTURE = frozenset(
    KWD(k) for k in (b"[", b"]", b"<<", b">>", b"{", b"}", b"BI", b"ID")
)  # the keywords pdfminer's nextobject and PDFContentParser.do_keyword treat specially
_OPENED = frozenset(("lit", "str", "hex"))
_MAIN = PSBaseParser._parse_main


def _hex_byte(m: re.Match[bytes]) -> bytes:
    return bytes((int(m.group(0), 16),))


class _FastTokens(PSBaseParser):
    """pdfminer's tokenizer with whole common tokens read by one regular expression."""

    _pending: tuple[int, PSBaseParserToken] | None = None  # a token read ahead, given out next

    def nexttoken(self) -> tuple[int, PSBaseParserToken]:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            return pending
        buf = self.buf
        if (
            self.eof
            or self._tokens
            or self.charpos >= len(buf)
            or getattr(self._parse1, "__func__", None) is not _MAIN
        ):
            return super().nexttoken()
        m = _TOKEN.match(buf, self.charpos)
        if m is None or m.end() >= len(buf):  # the token may go on in the next buffer
            return super().nexttoken()
        kind = m.lastgroup
        token: PSBaseParserToken
        text = m.group(kind) if kind is not None else b""
        if kind == "num":
            try:
                token = float(text) if b"." in text else int(text)
            except ValueError:  # a lone sign or dot: pdfminer drops it, its way
                return super().nexttoken()
        elif kind == "kw":
            flag = _TRUE_FALSE.get(text)
            token = KWD(text) if flag is None else flag
        elif kind == "lit":
            try:
                token = LIT(str(text, "utf-8"))
            except UnicodeDecodeError:
                token = LIT(text)
        elif kind == "str":
            token = text
        elif kind == "hex":
            token = HEX_PAIR.sub(_hex_byte, SPC.sub(b"", text))
        elif kind == "dict":
            token = _DICT[text]
        elif kind == "one":
            token = KWD(text)
        else:
            return super().nexttoken()
        self.charpos = m.end()
        start = m.start(kind) - (kind in _OPENED)  # a name, string or hex string starts at its mark
        return (self.bufpos + start, token)


class FastContentParser(_FastTokens, PDFContentParser):
    """pdfminer's content parser with fast tokens, handing a top-level operand or operator over at once."""

    BUFSIZ = 1 << 16  # fewer tokens cut by a buffer's end (those go the slow way)

    def nextobject(self) -> PSStackEntry[PSKeyword | PDFStream]:
        if self.results or self.context or self.curstack:
            return super().nextobject()
        pos, token = self.nexttoken()
        if isinstance(token, _PLAIN) or (isinstance(token, PSKeyword) and token not in _STRUCTURE):
            return (pos, token)  # pdfminer pushes it, then hands the stack (just it) over at once
        self._pending = (pos, token)  # a token that opens or closes a structure: pdfminer's way
        return super().nextobject()


class FastObjectParser(_FastTokens, PDFParser):
    """pdfminer's parser of a file's objects (fonts, resources) with fast tokens."""


# The pdfminer release whose tokenizer and ``execute`` these classes mirror; with any other release
# pdfminer's own classes are used (slower, never different).
MIRRORED_PDFMINER = "20260107"
FAST = getattr(pdfminer, "__version__", None) == MIRRORED_PDFMINER


def interpreter_class() -> type[PDFPageInterpreter]:
    """:class:`FastInterpreter` with the pdfminer release it mirrors, else pdfminer's own."""
    return FastInterpreter if FAST else PDFPageInterpreter


def use_fast_objects(doc: PDFDocument) -> None:
    """Have ``doc`` parse the objects it has not read yet with :class:`FastObjectParser`.

    pdfplumber makes the document with pdfminer's own parser, which has read the cross-reference
    table by now; the parser keeps its state, only its tokenizer changes.
    """
    parser = getattr(doc, "_parser", None)
    if FAST and type(parser) is PDFParser:
        parser.__class__ = FastObjectParser


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter reading content with :class:`FastContentParser`.

    ``execute`` is pdfminer's (20260107) with the parser swapped and the operator methods looked up
    once per operator rather than once per use; nested forms get the same class (``dup``).
    """

    def execute(self, streams: Sequence[object]) -> None:
        valid_streams: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:  # inline streams cannot be tracked for circular references
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                valid_streams.append(stream)
                self.stream_ids.add(stream.objid)
        try:
            parser = FastContentParser(valid_streams)
        except PSEOF:
            return  # an empty page
        operators: dict[PSKeyword, tuple[Callable[..., Any], int] | None] = {}
        while True:
            try:
                (_, obj) = parser.nextobject()
            except PSEOF:
                break
            if not isinstance(obj, PSKeyword):
                self.push(obj)
                continue
            if obj in operators:
                found = operators[obj]
            else:
                found = operators[obj] = self._operator(obj)
            if found is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            func, nargs = found
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()

    def _operator(self, keyword: PSKeyword) -> tuple[Callable[..., Any], int] | None:
        name = keyword_name(keyword)
        method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
        if not hasattr(self, method):
            return None
        func = getattr(self, method)
        return func, func.__code__.co_argcount - 1
