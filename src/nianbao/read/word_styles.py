"""Paragraph styles of a Word document: which style makes a heading, a table of contents line, a list.

A paragraph names its style by id (``w:pStyle w:val="2"``); ``word/styles.xml`` gives the style's name
(「heading 1」, 「标题 1」, 「toc 1」), its outline level and list numbering, each possibly inherited
through ``w:basedOn``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from nianbao.read.word_xml import W, attr, child, int_attr

_HEADING_RE = re.compile(r"^(?:heading|标题)\s*([1-9])$")
_TOC_RE = re.compile(r"^(?:toc|目录)\s*[1-9]$")
_BODY_LEVEL = 9  # w:outlineLvl 9 is body text


@dataclass(frozen=True)
class NumberingRef:
    """A paragraph's list and level (``w:numPr``); num_id "0" switches numbering off."""

    num_id: str
    ilvl: int


def numbering_ref(ppr: etree._Element | None) -> NumberingRef | None:
    """The ``w:numPr`` of a paragraph or style properties element, if any."""
    numpr = child(ppr, W.numPr)
    if numpr is None:
        return None
    num_id = attr(child(numpr, W.numId), W.val)
    ilvl = int_attr(child(numpr, W.ilvl), W.val)
    if num_id is None and ilvl is None:
        return None
    return NumberingRef(num_id or "", ilvl or 0)


def outline_level(ppr: etree._Element | None) -> int | None:
    """``w:outlineLvl`` (0 = heading 1 … 8; 9 = body text), or None when not set here."""
    return int_attr(child(ppr, W.outlineLvl), W.val)


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbering: NumberingRef | None


@dataclass
class Styles:
    """The paragraph styles of a document, by style id."""

    styles: dict[str, _Style] = field(default_factory=dict)
    default: str | None = None

    @classmethod
    def from_xml(cls, root: etree._Element | None) -> Styles:
        """Read ``word/styles.xml`` (None: a document without styles)."""
        styles = cls()
        if root is None:
            return styles
        for style in root.iterchildren(W.style):
            if attr(style, W.type) not in (None, "paragraph"):
                continue
            style_id = attr(style, W.styleId)
            if style_id is None:
                continue
            ppr = child(style, W.pPr)
            styles.styles[style_id] = _Style(
                name=(attr(child(style, W.name), W.val) or "").strip().lower(),
                based_on=attr(child(style, W.basedOn), W.val),
                outline=outline_level(ppr),
                numbering=numbering_ref(ppr),
            )
            if attr(style, W.default) in ("1", "true", "on"):
                styles.default = style_id
        return styles

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        current = style_id if style_id in self.styles else self.default
        while current is not None and current not in seen and current in self.styles:
            seen.add(current)
            style = self.styles[current]
            chain.append(style)
            current = style.based_on
        return chain

    def heading_level(self, style_id: str | None, direct_outline: int | None) -> int | None:
        """1–9 for a heading paragraph (by the paragraph's outline level, its style's name or the
        style's outline level), None for body text."""
        if direct_outline is not None:
            return direct_outline + 1 if 0 <= direct_outline < _BODY_LEVEL else None
        for style in self._chain(style_id):
            m = _HEADING_RE.match(style.name)
            if m:
                return int(m.group(1))
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < _BODY_LEVEL else None
        return None

    def is_toc(self, style_id: str | None) -> bool:
        """True for a line of an automatic table of contents (styles 「toc 1」, 「目录 1」 …)."""
        return bool(style_id in self.styles and _TOC_RE.match(self.styles[style_id].name))

    def numbering(self, style_id: str | None) -> NumberingRef | None:
        """The list numbering a style gives its paragraphs (through ``w:basedOn`` too)."""
        for style in self._chain(style_id):
            if style.numbering is not None:
                return style.numbering
        return None
