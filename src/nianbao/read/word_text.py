"""The text of a Word paragraph as its reader sees it once every tracked change is accepted.

Runs inserted or moved here (``w:ins``, ``w:moveTo``) count; deleted or moved-away runs (``w:del``,
``w:moveFrom``, ``w:delText``) do not; hidden runs (``w:vanish``) and field codes (``w:instrText``, the
part of a field between its begin and separate marks) are not shown by Word and are dropped, while
field results, hyperlinks, smart tags and content controls are read. Of a ``mc:AlternateContent`` only
one branch is read. ``w:tab`` is kept as a tab and ``w:br`` as a newline for the caller to interpret.
Text boxes (``w:txbxContent``) float outside the flow of the body: they are skipped and counted, as
are pictures and embedded objects (an Excel table pasted as an object cannot be read).
"""

from __future__ import annotations

from lxml import etree

from nianbao.read.word_xml import MC, M, W, attr, child, is_on

_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_VML_NS = "urn:schemas-microsoft-com:vml"
_PICTURES = frozenset({f"{{{_DRAWING_NS}}}blip", f"{{{_VML_NS}}}imagedata"})

# Elements whose content is never shown in the accepted document, or holds no text.
_SKIP = frozenset(
    {W.pPr, W.rPr, W.sdtPr, W.sdtEndPr, W.customXmlPr, W.smartTagPr, W("del"), W.moveFrom, W.rt, W.rubyPr}
)
_OBJECTS = frozenset({W.drawing, W.pict, W.object, MC.AlternateContent})
_BREAKS = frozenset({W.br, W.cr})
_TABS = frozenset({W.tab, W.ptab})


def alternate_branch(element: etree._Element) -> etree._Element | None:
    """The one branch of a ``mc:AlternateContent`` to read: its first Choice, else its Fallback."""
    return child(element, MC.Choice) if child(element, MC.Choice) is not None else child(element, MC.Fallback)


class TextWalker:
    """Reads paragraphs in document order; a field may open in one paragraph and close in another."""

    def __init__(self) -> None:
        self._fields: list[bool] = []  # one per open field: True while in its instruction part
        self.text_boxes = 0
        self.pictures = 0
        self.objects = 0

    def paragraph(self, p: etree._Element) -> str:
        """The accepted text of a ``w:p`` (tabs as ``\\t``, line breaks as ``\\n``)."""
        out: list[str] = []
        self._walk(p, out)
        # A field code never runs past its paragraph in practice; a damaged field (a begin mark with no
        # separate or end) must not hide the rest of the document.
        self._fields = [False] * len(self._fields)
        return "".join(out)

    def _walk(self, element: etree._Element, out: list[str]) -> None:
        for node in element:
            tag = node.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W.r:
                self._run(node, out)
            elif tag == MC.AlternateContent:  # around runs (e.g. Word 2010 features): read one branch
                branch = alternate_branch(node)
                if branch is not None:
                    self._walk(branch, out)
            elif tag in _OBJECTS:
                self._objects(node)
            elif tag == W.txbxContent:
                self._text_box(node)
            elif tag == M.t:
                out.append(node.text or "")
            else:  # ins, moveTo, hyperlink, smartTag, customXml, fldSimple, sdt content, ruby base, math …
                self._walk(node, out)

    def _run(self, run: etree._Element, out: list[str]) -> None:
        hidden = is_on(child(child(run, W.rPr), W.vanish))
        for node in run:
            tag = node.tag
            if tag == W.fldChar:
                kind = attr(node, W.fldCharType)
                if kind == "begin":
                    self._fields.append(True)
                elif kind == "separate" and self._fields:
                    self._fields[-1] = False
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if hidden or (self._fields and any(self._fields)):
                if tag in _OBJECTS:
                    self._objects(node)
                continue
            if tag == W.t:
                out.append(node.text or "")
            elif tag in _TABS:
                out.append("\t")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == W.noBreakHyphen:
                out.append("-")
            elif tag in _OBJECTS:
                self._objects(node)
            elif tag == W.ruby:
                base = child(node, W.rubyBase)
                if base is not None:
                    self._walk(base, out)

    def _objects(self, element: etree._Element) -> None:
        """Count the text boxes, pictures and embedded objects of a drawing (one branch of each
        ``mc:AlternateContent``, so a text box saved in both DrawingML and VML counts once)."""
        stack = [element]
        while stack:
            node = stack.pop()
            tag = node.tag
            if tag == MC.AlternateContent:
                branch = alternate_branch(node)
                if branch is not None:
                    stack.append(branch)
                continue
            if tag == W.txbxContent:
                self._text_box(node)
                continue
            if tag == W.object:
                self.objects += 1
                continue
            if tag in _PICTURES:
                self.pictures += 1
            stack.extend(n for n in node if isinstance(n.tag, str))

    def _text_box(self, box: etree._Element) -> None:
        if any((t.text or "").strip() for t in box.iter(W.t)):
            self.text_boxes += 1
