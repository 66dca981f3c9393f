"""Report → documents in the official 2021 layout: Word (.docx), HTML and plain text.

Every renderer draws the same layout (:mod:`nianbao.render.layout`): title, preamble, the six parts with
their paragraphs, and tables 二, 三 and 四 with the template's merged header cells and exact labels.
Table cells hold the raw text as written (blank stays blank; 「0」, 「/」, 「—」 are kept).
"""

from __future__ import annotations

from nianbao.render.docx import build_docx, render_docx, write_docx
from nianbao.render.html import render_html, render_html_article
from nianbao.render.layout import Block, Grid, GridCell, blocks, report_title
from nianbao.render.text import render_text

__all__ = [
    "Block",
    "Grid",
    "GridCell",
    "blocks",
    "build_docx",
    "render_docx",
    "render_html",
    "render_html_article",
    "render_text",
    "report_title",
    "write_docx",
]
