"""Small PDFs written by hand for the PDF reader's tests: CJK text, ruled tables, pictures, a password.

No binary is committed and no PDF library is needed: pages are drawn with a handful of content-stream
operators, and text uses the standard Adobe-GB1 font 「STSong-Light」 with the 「UniGB-UCS2-H」 encoding
(every PDF reader knows it without an embedded font, and pdfminer maps it back to Unicode), so a string
is simply its UTF-16BE bytes. Encryption is the standard security handler, revision 2 (RC4, 40 bits).

:class:`Flow` lays a report out the way Word does (text wrapped at the margins, ruled tables that
break across pages, a running header and a page-number footer), and :func:`report_pdf` turns one of
our text fixtures (paragraph lines, tab-separated tables) into such a PDF.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from dataclasses import dataclass, field

A4 = (595.0, 842.0)
_DESCENT = 0.12  # the font's descent as a fraction of its size (FontDescriptor below)
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PERMISSIONS = -4  # every permission


def _hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex() + ">"


def char_width(ch: str, size: float) -> float:
    """The advance of a character in STSong-Light as declared below: half width for ASCII."""
    return size / 2 if " " <= ch <= "~" else size


def text_width(text: str, size: float) -> float:
    return sum(char_width(ch, size) for ch in text)


class Page:
    """One page's drawing, in top-down coordinates (``top`` measured from the page's upper edge)."""

    def __init__(self, width: float = A4[0], height: float = A4[1], *, rotate: int = 0) -> None:
        self.width, self.height = width, height
        self.rotate = rotate  # /Rotate: how a viewer turns the page (its drawing is unchanged)
        self.ops: list[str] = []
        self.has_image = False

    def text(
        self,
        x: float,
        top: float,
        text: str,
        size: float = 12.0,
        *,
        unmapped: bool = False,
        angle: float = 0.0,
    ) -> None:
        """Text whose glyph boxes start at ``top`` (pdfminer's ``top`` of each character).

        ``unmapped``: in a font that maps its glyphs to no characters (Identity-H, no ToUnicode), as
        PDFs made by some converters are: the page shows the text, but no reader can extract it.
        ``angle``: turned counter-clockwise by that many degrees about its start (a watermark)."""
        baseline = self.height - top - (1 - _DESCENT) * size
        font = "F2" if unmapped else "F1"
        if angle:
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            place = f"{c:.4f} {s:.4f} {-s:.4f} {c:.4f} {x:.2f} {baseline:.2f} Tm"
        else:
            place = f"{x:.2f} {baseline:.2f} Td"
        self.ops.append(f"BT /{font} {size:g} Tf {place} {_hex(text)} Tj ET")

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.75) -> None:
        h = self.height
        self.ops.append(f"{width:g} w 0 G {x0:.2f} {h - top0:.2f} m {x1:.2f} {h - top1:.2f} l S")

    def rect(self, x: float, top: float, w: float, h: float, *, gray: float = 1.0) -> None:
        """A filled rectangle without an outline (Word and WPS put a white one behind each line)."""
        self.ops.append(f"q {gray:g} g {x:.2f} {self.height - top - h:.2f} {w:.2f} {h:.2f} re f Q")

    def image(self, x: float, top: float, w: float, h: float) -> None:
        """The page's picture (a grey 8×8 image scaled to the box): what a scan is made of."""
        self.has_image = True
        self.ops.append(f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {self.height - top - h:.2f} cm /Im1 Do Q")

    def content(self) -> bytes:
        return "\n".join(self.ops).encode("ascii")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


@dataclass
class _Security:
    """Standard security handler, revision 2: the /Encrypt entries and the per-object RC4 keys."""

    user: str
    owner: str
    file_id: bytes = b"nianbao-test-id!"
    o_entry: bytes = field(init=False)
    u_entry: bytes = field(init=False)
    key: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.o_entry = _rc4(hashlib.md5(_padded(self.owner or self.user)).digest()[:5], _padded(self.user))
        p = _PERMISSIONS.to_bytes(4, "little", signed=True)
        self.key = hashlib.md5(_padded(self.user) + self.o_entry + p + self.file_id).digest()[:5]
        self.u_entry = _rc4(self.key, _PAD)

    def encrypt(self, objnum: int, data: bytes) -> bytes:
        key = hashlib.md5(self.key + objnum.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return _rc4(key, data)

    def dictionary(self) -> bytes:
        return (
            f"<< /Filter /Standard /V 1 /R 2 /O <{self.o_entry.hex()}> /U <{self.u_entry.hex()}> "
            f"/P {_PERMISSIONS} >>"
        ).encode("ascii")


def build_pdf(
    pages: list[Page],
    *,
    user_password: str | None = None,
    owner_password: str | None = None,
    declared_count: int | None = None,
    compress: bool = True,
) -> bytes:
    """The bytes of a PDF with ``pages``. With a password, the file is encrypted (RC4-40): a user
    password is needed to open it; an owner password alone only restricts permissions and any reader
    opens the file with the empty user password. ``declared_count`` writes a false /Count."""
    security = (
        _Security(user_password or "", owner_password or "")
        if user_password is not None or owner_password is not None
        else None
    )
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(attrs: str, data: bytes, objnum: int) -> bytes:
        if compress:
            data = zlib.compress(data)
            attrs += " /Filter /FlateDecode"
        if security is not None:
            data = security.encrypt(objnum, data)
        return f"<< {attrs} /Length {len(data)} >>\nstream\n".encode("ascii") + data + b"\nendstream"

    catalog = add(b"")
    tree = add(b"")
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cidnum = len(objects) + 1

    def string(value: str, objnum: int | None = None) -> str:  # strings are encrypted with their object's key
        data = value.encode("latin-1")
        key_num = cidnum if objnum is None else objnum
        return "<" + (security.encrypt(key_num, data) if security is not None else data).hex() + ">"

    cidfont = add(
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        f"/CIDSystemInfo << /Registry {string('Adobe')} /Ordering {string('GB1')} /Supplement 2 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [1 95 500] >>".encode("ascii")
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        f"/DescendantFonts [{cidfont} 0 R] >>".encode("ascii")
    )
    opaque_num = len(objects) + 1
    add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Opaque "
        f"/CIDSystemInfo << /Registry {string('Adobe', opaque_num)} /Ordering {string('Identity', opaque_num)} "
        f"/Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 >>".encode("ascii")
    )
    opaque = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /Opaque /Encoding /Identity-H "
        f"/DescendantFonts [{opaque_num} 0 R] >>".encode("ascii")
    )
    image = 0
    if any(p.has_image for p in pages):
        image = len(objects) + 1
        pixels = bytes((i * 37) % 256 for i in range(64))
        add(stream("/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8",
                   pixels, image))  # fmt: skip
    kids: list[int] = []
    for page in pages:
        content_num = len(objects) + 1
        add(stream("", page.content(), content_num))
        xobjects = f"/XObject << /Im1 {image} 0 R >>" if page.has_image else ""
        kids.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                f"/Rotate {page.rotate} "
                f"/Resources << /Font << /F1 {font} 0 R /F2 {opaque} 0 R >> {xobjects} >> /Contents {content_num} 0 R >>".encode(
                    "ascii"
                )
            )
        )
    count = len(pages) if declared_count is None else declared_count
    objects[tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {count} >>".encode()
    )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    encrypt = add(security.dictionary()) if security is not None else 0

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root {catalog} 0 R"
    if security is not None:
        fid = security.file_id.hex()
        trailer += f" /Encrypt {encrypt} 0 R /ID [<{fid}> <{fid}>]"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- Layout: text and ruled tables flowing over A4 pages -------------------------------------------


@dataclass
class GridCell:
    """A table cell on the grid: merged cells span several rows or columns."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


_ASCII_RUN = re.compile(r"[A-Za-z0-9.,%:/()+\-]+|.", re.S)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking by character widths; a run of Latin letters and digits is not broken."""
    lines: list[str] = []
    current = ""
    for piece in _ASCII_RUN.findall(text):
        if current and text_width(current + piece, size) > width:
            lines.append(current)
            current = piece.lstrip()
        else:
            current += piece
    if current or not lines:
        lines.append(current)
    return lines


class Flow:
    """Lays out text lines and ruled tables top to bottom over A4 pages, like a word processor.

    ``header``: a running header drawn at the top of every page; ``footer``: a format with ``{n}``
    for the page number drawn at the bottom of every page; ``line_boxes``: draw the white rectangle
    WPS puts behind each text line (it must not be taken for a table).
    """

    def __init__(
        self,
        *,
        header: str | None = None,
        footer: str | None = "- {n} -",
        size: float = 12.0,
        table_size: float = 9.0,
        margin: float = 72.0,
        line_boxes: bool = False,
    ) -> None:
        self.header, self.footer = header, footer
        self.size, self.table_size, self.margin = size, table_size, margin
        self.line_boxes = line_boxes
        self.pages: list[Page] = []
        self.y = 0.0
        self._new_page()

    @property
    def width(self) -> float:
        return A4[0] - 2 * self.margin

    def _new_page(self) -> None:
        page = Page()
        n = len(self.pages) + 1
        if self.header:
            page.text(self.margin, 36, self.header, 9)
            page.line(self.margin, 50, A4[0] - self.margin, 50, 0.5)
        if self.footer:
            label = self.footer.format(n=n)
            page.text((A4[0] - text_width(label, 10.5)) / 2, A4[1] - 50, label, 10.5)
        self.pages.append(page)
        self.y = self.margin

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def _room(self, height: float) -> None:
        if self.y + height > A4[1] - self.margin:
            self._new_page()

    def paragraph(self, text: str, *, indent: bool = False) -> None:
        """A paragraph wrapped at the margins (the first line indented two characters if asked)."""
        leading = self.size * 1.6
        first = 2 * self.size if indent else 0.0
        lines = wrap(text, self.width - first, self.size)
        if len(lines) > 1:  # the following lines use the full width
            rest = wrap(text[len(lines[0]) :], self.width, self.size)
            lines = [lines[0], *rest]
        for i, line in enumerate(lines):
            self._room(leading)
            x = self.margin + (first if i == 0 else 0.0)
            if self.line_boxes:
                self.page.rect(self.margin, self.y - 2, self.width, leading)
            self.page.text(x, self.y, line, self.size)
            self.y += leading

    def table(self, cells: list[GridCell], widths: list[float], *, ruled: bool = True) -> None:
        """A table (ruled unless asked otherwise); rows held together by vertical merges stay on one page."""
        size, pad, leading = self.table_size, 3.0, self.table_size * 1.3
        nrows = max(c.row + c.rowspan for c in cells)
        xs = [self.margin]
        for w in widths:
            xs.append(xs[-1] + w)

        def lines_of(c: GridCell) -> list[str]:
            w = xs[c.col + c.colspan] - xs[c.col] - 2 * pad
            return [piece for part in c.text.split("\n") for piece in wrap(part, w, size)]

        heights = [0.0] * nrows
        for c in sorted(cells, key=lambda c: c.rowspan):
            need = len(lines_of(c)) * leading + 2 * pad
            have = sum(heights[c.row : c.row + c.rowspan])
            if need > have:
                heights[c.row + c.rowspan - 1] += need - have
        # Groups of rows that vertical merges tie together.
        group_end = list(range(nrows))
        for c in cells:
            for r in range(c.row, c.row + c.rowspan):
                group_end[r] = max(group_end[r], c.row + c.rowspan - 1)
        r = 0
        while r < nrows:
            end = r
            while (further := max(group_end[r : end + 1])) > end:
                end = further
            block = sum(heights[r : end + 1])
            self._room(block)
            tops = {row: self.y + sum(heights[r:row]) for row in range(r, end + 2)}
            for c in cells:
                if not r <= c.row <= end:
                    continue
                x0, x1 = xs[c.col], xs[c.col + c.colspan]
                top, bottom = tops[c.row], tops[c.row + c.rowspan]
                for a, b, cc, d in ((x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom),
                                    (x1, top, x1, bottom)) if ruled else ():  # fmt: skip
                    self.page.line(a, b, cc, d)
                for i, text in enumerate(lines_of(c)):
                    self.page.text(x0 + pad, top + pad + i * leading, text, size)
            self.y += block
            r = end + 1
        self.y += leading

    def pdf(self, **kwargs: object) -> bytes:
        return build_pdf(self.pages, **kwargs)  # type: ignore[arg-type]


def tsv_grid(rows: list[list[str]]) -> list[GridCell]:
    """Tab-separated rows with flattened merges (blank cells) → grid cells with the merges restored.

    A row's leading blank cells lie under merged cells from the rows above (their row spans grow); a
    blank cell after text joins the cell on its left, except, in a header row (no figures) below
    another header row, under a cell of one column (「总计」 spans two header rows); blank cells among a
    row's figures stay cells.
    """
    width = max(len(r) for r in rows)
    grid: list[list[GridCell | None]] = []  # the cell covering each position
    cells: list[GridCell] = []
    header_above = False
    for r, raw in enumerate(rows):
        row = [t.strip() for t in raw] + [""] * (width - len(raw))
        figures = [i for i, t in enumerate(row) if re.fullmatch(r"[\d.]+", t)]
        first_figure = figures[0] if figures else width
        covered: list[GridCell | None] = [None] * width
        leading = True
        for c, text in enumerate(row):
            above = grid[r - 1][c] if r else None
            if text:
                leading = False
            if not text and c >= first_figure:
                cell = GridCell(r, c, "")
                cells.append(cell)
            elif not text and (
                leading or (not figures and header_above and above is not None and above.colspan == 1)
            ):
                if above is None:
                    cell = GridCell(r, c, "")
                    cells.append(cell)
                else:
                    cell = above
                    if cell.row + cell.rowspan == r:
                        cell.rowspan += 1
            elif not text and c > 0 and covered[c - 1] is not None:
                cell = covered[c - 1]
                assert cell is not None
                if cell.col + cell.colspan == c:
                    cell.colspan += 1
            else:
                cell = GridCell(r, c, text)
                cells.append(cell)
            covered[c] = cell
        grid.append(covered)
        header_above = not figures
    return cells


def column_widths(cells: list[GridCell], total: float, size: float) -> list[float]:
    """Widths in proportion to the longest single-column text of each column (3.5 to 14 characters)."""
    ncols = max(c.col + c.colspan for c in cells)
    longest = [3.5] * ncols  # room for a four-digit figure
    for c in cells:
        if c.colspan == 1:
            longest[c.col] = max(longest[c.col], min(14.0, text_width(c.text, 1.0)))
    scale = total / sum(longest)
    return [w * scale for w in longest]


def report_pdf(text: str, *, ruled: bool = True, rotate: int = 0, **flow_options: object) -> bytes:
    """A text fixture (paragraph lines, tab-separated table rows) laid out as a PDF report, its tables
    ruled or (``ruled=False``) set as text in columns without any rule; ``rotate``: every page's
    /Rotate (as a page turned in a PDF editor)."""
    flow = Flow(**flow_options)  # type: ignore[arg-type]
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            cells = tsv_grid(table)
            flow.table(cells, column_widths(cells, flow.width, flow.table_size), ruled=ruled)
            table.clear()

    for line in text.splitlines():
        if "\t" in line:
            table.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            flow.paragraph(line.strip(), indent=not re.match(r"^[一二三四五六七八九十]+、", line.strip()))
    flush()
    for page in flow.pages:
        page.rotate = rotate
    return flow.pdf()
