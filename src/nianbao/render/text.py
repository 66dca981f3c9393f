"""Report → plain text in the form the text reader reads best (like ``fixtures/clean-2024.txt``).

One block per line with a blank line between blocks; a table is one line per grid row with its cells
separated by tabs, a merged cell's text at its top-left place and the places it covers left empty,
so every value keeps its row label and column. A row label merged across label columns is repeated
in each of them: the parser takes a row's values after its last label cell, and an empty covered
label cell would otherwise count as a value (a blank last value then shifts the row by one).
"""

from __future__ import annotations

import re

from nianbao.model.report import Report
from nianbao.render.layout import Block, blocks

__all__ = ["render_text"]

# A tab or line break inside a paragraph or cell would start a table row or a new block.
_BREAKS_RE = re.compile(r"[\t\r\n\v\f\u2028\u2029\x1c-\x1e\x85]+")


def _one_line(text: str) -> str:
    return _BREAKS_RE.sub(" ", text)


def _block_text(block: Block) -> str:
    if block.grid is None:
        return _one_line(block.text)
    return "\n".join("\t".join(_one_line(t) for t in row) for row in block.grid.text_grid(repeat_labels=True))


def render_text(report: Report) -> str:
    """The report as UTF-8 plain text: title, preamble, the six parts and the three tables as TSV rows."""
    return "\n\n".join(_block_text(b) for b in blocks(report) if b.grid is not None or b.text.strip()) + "\n"
