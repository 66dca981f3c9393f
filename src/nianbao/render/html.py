"""Report → HTML in the official layout: a standalone UTF-8 page, or the article alone for a CMS.

The article is ``<div class="article">``: the title as ``<h1>``, part headings ``<h2>``, stand-alone
sub-headings ``<h3>``, paragraphs ``<p>``, and the three tables with the template's merged header cells
as ``rowspan``/``colspan``. Every text is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from nianbao.model.report import Report
from nianbao.render.layout import Block, Grid, blocks, report_title

__all__ = ["render_html", "render_html_article"]

_CSS = """
body { margin: 0; background: #f5f5f5; }
.article { max-width: 60em; margin: 2em auto; padding: 2em 3em; background: #fff;
  font-family: "仿宋_GB2312", "FangSong", "STFangsong", serif; font-size: 16px; line-height: 1.8; color: #000; }
.article h1 { text-align: center; font-family: "方正小标宋简体", "SimSun", "Songti SC", serif;
  font-size: 1.6em; font-weight: normal; }
.article h2 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 1em; font-weight: normal;
  text-indent: 2em; margin: 0.5em 0; }
.article h3 { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; font-size: 1em; font-weight: normal;
  text-indent: 2em; margin: 0.5em 0; }
.article p { text-indent: 2em; margin: 0.5em 0; text-align: justify; }
.article p .lead { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; }
.article table { border-collapse: collapse; margin: 1em auto; width: 100%;
  font-family: "宋体", "SimSun", "Songti SC", serif; font-size: 13px; line-height: 1.4; }
.article th, .article td { border: 1px solid #000; padding: 0.3em 0.4em; text-align: center;
  vertical-align: middle; font-weight: normal; }
.article th.caption { font-weight: bold; }
.article th.row { text-align: left; }
""".strip()


# Cell classes by role. Not 「header」: page-cleaning heuristics drop elements whose class names page
# furniture (header, footer, nav), and a table cell must never look like it.
_CLASS = {"caption": "caption", "header": "col", "label": "row"}


def _cell_attrs(rowspan: int, colspan: int, role: str | None) -> str:
    attrs = f' class="{role}"' if role else ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    return attrs


def _table(grid: Grid) -> str:
    lines = [f'<table class="{grid.key}">']
    for row in grid.rows():
        cells = []
        for cell in row:
            tag = "td" if cell.role == "value" else "th"
            attrs = _cell_attrs(cell.rowspan, cell.colspan, _CLASS.get(cell.role))
            cells.append(f"<{tag}{attrs}>{escape(cell.text)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _block(block: Block) -> str:
    if block.grid is not None:
        return _table(block.grid)
    text = escape(block.text)
    if block.kind == "title":
        return f"<h1>{text}</h1>"
    if block.kind == "heading":
        return f"<h2>{text}</h2>"
    if block.kind == "subheading":
        return f"<h3>{text}</h3>"
    if block.lead:
        lead, rest = escape(block.text[: block.lead]), escape(block.text[block.lead :])
        return f'<p><span class="lead">{lead}</span>{rest}</p>'
    return f"<p>{text}</p>"


def render_html_article(report: Report) -> str:
    """The report as an HTML fragment ``<div class="article">…</div>``, for a CMS article body."""
    body = "\n".join(_block(b) for b in blocks(report) if b.grid is not None or b.text.strip())
    return f'<div class="article">\n{body}\n</div>\n'


def render_html(report: Report) -> str:
    """The report as a standalone UTF-8 HTML page; a known publication date goes in the PubDate meta
    tag that government portals use (政府网站发展指引)."""
    title = escape(report_title(report))
    published = report.metadata.publication_date
    pubdate = f'<meta name="PubDate" content="{published.isoformat()}">\n' if published else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{pubdate}<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{render_html_article(report)}</body>\n</html>\n"
    )
