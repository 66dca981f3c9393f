"""The zip container of a Word file, checked before anything is inflated.

A .docx is a zip archive. Before python-docx reads it, this module refuses what is not a Word
document (a damaged zip, an Excel or PowerPoint file, an OpenDocument or OFD file, a plain archive)
and what would cost unbounded memory or time: a zip bomb declares a modest compressed size and a huge
inflated one, so the declared sizes and compression ratios are checked from the central directory
alone. Python's zipfile never inflates a member beyond its declared size (a member whose data runs
longer fails its CRC check), so the declared sizes bound the memory python-docx can use afterwards;
members read here are read in chunks with a cap all the same.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import NoReturn

from lxml import etree

from nianbao.errors import CorruptInputError, EncryptedInputError, TooLargeError, UnsupportedFormatError

MAX_MEMBERS = 10_000  # a report with photos has a few hundred parts at most
MAX_TOTAL_INFLATED = 200 * 1024 * 1024  # every member together, inflated
MAX_MAIN_PART = 50 * 1024 * 1024  # word/document.xml of a long report is a few MB
MAX_RATIO = 200  # XML compresses 5–50×; hundreds of times means a run of one repeated byte
RATIO_MIN_SIZE = 1024 * 1024  # small members may compress well without costing anything
_SMALL_PART = 4 * 1024 * 1024  # cap for the small parts read here (_rels/.rels, mimetype)

# No entity expansion, no network: a Word part never needs either (and libxml2's default depth and
# text-size limits stay on: no huge_tree).
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT_SUFFIX = "/officeDocument"

# Main parts of the other zip-based formats a clerk may hand over by mistake: (English, Chinese) names.
_OTHER_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("xl/", "an Excel workbook (.xlsx)", "Excel表格（.xlsx）"),
    ("ppt/", "a PowerPoint presentation (.pptx)", "PowerPoint演示文稿（.pptx）"),
)
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ("an OpenDocument text (.odt)", "OpenDocument文档（.odt）"),
    "application/vnd.oasis.opendocument.spreadsheet": (
        "an OpenDocument spreadsheet (.ods)",
        "OpenDocument表格（.ods）",
    ),
    "application/vnd.oasis.opendocument.presentation": (
        "an OpenDocument presentation (.odp)",
        "OpenDocument演示文稿（.odp）",
    ),
    "application/epub+zip": ("an EPUB e-book", "EPUB电子书"),
}


@dataclass(frozen=True)
class WordPackage:
    """A zip archive checked to be a Word document of sane size; ``main`` is its main part's name."""

    archive: zipfile.ZipFile
    main: str


def _where(path: str | None) -> str:
    return path or "<input>"


def corrupt(path: str | None, detail: str) -> CorruptInputError:
    """The error for a damaged Word file (bad zip, truncated, broken XML)."""
    where = _where(path)
    return CorruptInputError(
        f"{where}: the Word (.docx) file is damaged and cannot be read ({detail}); "
        "open it in Word or WPS, save it again as .docx, and retry",
        f"{where}：文件已损坏，无法作为Word文档（.docx）读取（{detail}）。"
        "请在Word或WPS中打开后重新“另存为”.docx文件再检查。",
        path=path,
    )


def _too_large(path: str | None, what_en: str, what_zh: str) -> TooLargeError:
    where = _where(path)
    return TooLargeError(
        f"{where}: refused before unpacking: {what_en}; a report's Word file is never that large "
        "(it may be a zip bomb)",
        f"{where}：{what_zh}，远超一份年度报告的Word文档，已拒绝解压读取（可能是恶意压缩文件）。",
        path=path,
    )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, path: str | None) -> bytes:
    """A member's bytes, read in chunks and refused beyond ``cap`` whatever its header says."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(64 * 1024):
            total += len(chunk)
            if total > cap:
                raise _too_large(
                    path,
                    f"member {info.filename} inflates beyond {cap // (1024 * 1024)} MB",
                    f"压缩包内的{info.filename}解压后超过{cap // (1024 * 1024)} MB",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _check_sizes(infos: list[zipfile.ZipInfo], path: str | None) -> None:
    if len(infos) > MAX_MEMBERS:
        raise _too_large(path, f"{len(infos)} members in the archive", f"压缩包内有{len(infos)}个文件")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise _too_large(
                path,
                f"member {info.filename} declares {info.file_size / 1e6:.0f} MB from "
                f"{info.compress_size / 1e3:.0f} KB (ratio {ratio:.0f})",
                f"压缩包内的{info.filename}声明解压后为{info.file_size / 1e6:.0f} MB，压缩比达{ratio:.0f}倍",
            )
    if total > MAX_TOTAL_INFLATED:
        raise _too_large(
            path,
            f"the archive inflates to {total / 1e6:.0f} MB",
            f"压缩包解压后共{total / 1e6:.0f} MB",
        )


def _office_document_target(
    archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], path: str | None
) -> str | None:
    """The main part named by the package relationships (``word/document.xml`` for Word), if any."""
    info = names.get("_rels/.rels")
    if info is None:
        return None
    try:
        root = etree.fromstring(read_member(archive, info, _SMALL_PART, path), parser=_SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT_SUFFIX) and rel.get("TargetMode") != "External":
            return str(rel.get("Target", "")).lstrip("/")
    return None


def _not_word(path: str | None, what_en: str, what_zh: str, advice_zh: str) -> UnsupportedFormatError:
    where = _where(path)
    return UnsupportedFormatError(
        f"{where}: {what_en}, not a Word document; the report's .docx, web page or PDF is needed",
        f"{where}：这是{what_zh}，不是Word文档。{advice_zh}",
        path=path,
    )


def _refuse_other_format(
    archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], target: str | None, path: str | None
) -> NoReturn:
    """Raise UnsupportedFormatError naming the format when the archive is not a Word document."""
    for prefix, en, zh in _OTHER_FORMATS:
        if (target or "").startswith(prefix) or any(n.startswith(prefix) for n in names):
            raise _not_word(path, en, zh, "请提供年度报告的Word文档（.docx）、网页或PDF文件。")
    mimetype = names.get("mimetype")
    if mimetype is not None:
        kind = read_member(archive, mimetype, _SMALL_PART, path).decode("ascii", "replace").strip()
        if kind in _ODF_TYPES:
            en, zh = _ODF_TYPES[kind]
            raise _not_word(path, en, zh, "请在WPS或LibreOffice中“另存为”Word文档（.docx）后再检查。")
    if "OFD.xml" in names:
        raise _not_word(
            path, "an OFD fixed-layout document", "OFD版式文件", "请导出为PDF或Word文档（.docx）后再检查。"
        )
    raise _not_word(
        path,
        "a zip archive",
        "一个压缩包",
        "如年度报告在压缩包内，请先解压，再检查其中的Word文档（.docx）。",
    )


def open_word_package(data: bytes, path: str | None) -> WordPackage:
    """Open ``data`` as a zip and check that it is a Word document of sane size (of its members only
    the package relationships, a few hundred bytes, are inflated here).

    Raises CorruptInputError (bad or truncated zip), UnsupportedFormatError (another zip-based format),
    EncryptedInputError (zip-level encryption) or TooLargeError (a zip bomb).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise corrupt(path, f"bad zip: {e}") from None
    _check_sizes(infos, path)
    names = {info.filename: info for info in infos}
    if any(info.flag_bits & 0x1 for info in infos):
        where = _where(path)
        raise EncryptedInputError(
            f"{where}: the archive is password-protected; save the document without a password and retry",
            f"{where}：文件设有密码保护，无法读取。请去掉密码后另存为.docx文件再检查。",
            path=path,
        )
    target = _office_document_target(archive, names, path)
    main = target if target and target in names and target.startswith("word/") else None
    if main is None and "word/document.xml" in names:
        main = "word/document.xml"
    if main is None:
        _refuse_other_format(archive, names, target, path)
    if names[main].file_size > MAX_MAIN_PART:
        raise _too_large(
            path,
            f"{main} declares {names[main].file_size / 1e6:.0f} MB",
            f"正文部分{main}声明解压后为{names[main].file_size / 1e6:.0f} MB",
        )
    return WordPackage(archive=archive, main=main)


def part_root(package: WordPackage, name: str, path: str | None) -> etree._Element | None:
    """The parsed XML of a part (None when the package has no such part); broken XML is corrupt input."""
    try:
        info = package.archive.getinfo(name)
    except KeyError:
        return None
    try:
        blob = read_member(package.archive, info, MAX_MAIN_PART, path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        raise corrupt(path, f"{name}: {e}") from None
    try:
        return etree.fromstring(blob, parser=_SAFE_PARSER)
    except etree.XMLSyntaxError as e:
        raise corrupt(path, f"broken XML in {name}: {e}") from None


def related_parts(package: WordPackage, source: str, path: str | None) -> dict[str, str]:
    """The parts ``source`` refers to, by the last word of the relationship type (``styles``, ``numbering``)."""
    folder, _, base = source.rpartition("/")
    rels = part_root(package, f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels", path)
    found: dict[str, str] = {}
    if rels is None:
        return found
    for rel in rels.iter(f"{{{_RELS_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        kind = str(rel.get("Type", "")).rpartition("/")[2]
        target = str(rel.get("Target", ""))
        name = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found.setdefault(kind, name)
    return found
