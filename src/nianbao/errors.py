"""Exceptions raised by the library. Findings are never exceptions.

Hierarchy::

    NianbaoError
    ├── ReadError            the input could not be read as a report (exit code 2 in the CLI)
    │   ├── EmptyInputError      empty or whitespace-only file
    │   ├── BinaryInputError     bytes that are not text in any supported encoding
    │   ├── UnsupportedFormatError  .doc, .wps, scans, or a format the reader does not take
    │   ├── TooLargeError        larger than the configured limit (bytes, inflated size or pages)
    │   ├── CorruptInputError    a .docx/.pdf/.html whose container or structure is damaged
    │   ├── EncryptedInputError  a password-protected PDF or Word file
    │   ├── NeedsOcrError        a PDF without a text layer (a scan)
    │   └── NotAReportError      readable text that is not a 政府信息公开工作年度报告
    ├── WriteError           an output file (annotated copy, rendered report) could not be written
    └── ConfigError          bad options (unknown rule code, bad threshold)

Every error carries a Chinese message for clerks (``message_zh``) and an English one for integrators
(``str(error)``).
"""

from __future__ import annotations


class NianbaoError(Exception):
    """Base class of all nianbao errors."""

    def __init__(self, message_en: str, message_zh: str, *, path: str | None = None) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh
        self.path = path


class ReadError(NianbaoError):
    """The input could not be read as a report."""


class EmptyInputError(ReadError):
    """The file is empty or holds only whitespace."""


class BinaryInputError(ReadError):
    """The bytes are not text in UTF-8, UTF-16 or GB18030."""


class UnsupportedFormatError(ReadError):
    """A format nianbao does not read (yet), with advice on how to convert it."""


class TooLargeError(ReadError):
    """The file is larger than the limit (a report is never that large)."""


class CorruptInputError(ReadError):
    """The file has a known format (a .docx, a PDF) but its structure is damaged: truncated, bad zip,
    broken XML or PDF objects."""


class EncryptedInputError(ReadError):
    """The file is protected by a password and its text cannot be read."""


class NeedsOcrError(ReadError):
    """A PDF whose pages carry images but no text layer: a scan that needs OCR first."""


class NotAReportError(ReadError):
    """Readable text that is not a 政府信息公开工作年度报告."""


class WriteError(NianbaoError):
    """An output file could not be written (no such folder, no permission, a folder, the input itself)."""


class ConfigError(NianbaoError):
    """Bad options or configuration."""
