"""Drafting inputs (notes, table data): their error, and reading a file as text with the same messages
for both."""

from __future__ import annotations

from pathlib import Path

from nianbao.errors import NianbaoError


class DraftInputError(NianbaoError):
    """Notes or table data that cannot be drafted from (bad file, unknown topic, duplicate id, a sum that
    does not add up, a bad table label). ``problems`` lists every problem found, one line each."""

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        path: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(message_en, message_zh, path=path)
        self.problems = problems or [message_zh]


def read_input(path: str | Path, what_en: str, what_zh: str) -> str:
    """The text of ``path`` (UTF-8, a BOM allowed); :class:`DraftInputError` naming ``what`` otherwise."""
    name = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DraftInputError(f"{name}: no such file", f"{name}：文件不存在。", path=name) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftInputError(
            f"{name}: cannot read the {what_en} ({exc})",
            f"{name}：无法读取{what_zh}（{exc}）。",
            path=name,
        ) from exc
