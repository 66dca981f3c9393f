"""WordprocessingML names and small accessors shared by the .docx reader modules."""

from __future__ import annotations

from lxml import etree

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_WORD_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


class _Names:
    """``W.p`` is the Clark name ``{namespace}p`` of the element or attribute ``w:p``."""

    def __init__(self, namespace: str) -> None:
        self._prefix = f"{{{namespace}}}"

    def __getattr__(self, local: str) -> str:
        name = self._prefix + local
        setattr(self, local, name)  # computed once per name
        return name

    def __call__(self, local: str) -> str:
        """For names that are Python keywords: ``W("del")``."""
        return self._prefix + local


W = _Names(WORD_NS)
MC = _Names(MC_NS)
M = _Names(MATH_NS)


def child(element: etree._Element | None, tag: str) -> etree._Element | None:
    """The first child with this tag, or None (also when ``element`` is None)."""
    return None if element is None else element.find(tag)


def attr(element: etree._Element | None, name: str) -> str | None:
    """An attribute's value, or None (also when ``element`` is None)."""
    if element is None:
        return None
    value = element.get(name)
    return None if value is None else str(value)


def int_attr(element: etree._Element | None, name: str) -> int | None:
    """An integer attribute, or None when absent or not a number."""
    value = attr(element, name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def is_on(element: etree._Element | None) -> bool:
    """A toggle property (``<w:vanish/>``, ``<w:isLgl w:val="1"/>``): present and not switched off."""
    return element is not None and attr(element, W.val) not in ("0", "false", "off")
