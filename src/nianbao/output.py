"""Writing output files atomically: a temporary file beside the target, then ``os.replace``.

An interrupted run (Ctrl-C, a full disk) leaves the old file or no file, never half of a new one; the
new file gets the old file's permissions, or the umask's for a new one.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from nianbao.errors import WriteError

__all__ = ["write_atomic"]


def write_atomic(
    data: bytes, target: Path, *, what_en: str = "the output", what_zh: str = "输出文件"
) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same directory and ``os.replace``:
    readers see the old file or the new one, never a partial one."""
    where = str(target)
    if target.is_dir():
        raise WriteError(
            f"{where}: is a directory; give a file name for {what_en}",
            f"{where}：这是一个文件夹，请指定{what_zh}的文件名。",
            path=where,
        )
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as e:
        raise _unwritable(where, e) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(e, OSError):
            raise _unwritable(where, e) from None
        raise


def _unwritable(where: str, e: OSError) -> WriteError:
    return WriteError(
        f"{where}: cannot be written ({e.strerror or e})",
        f"{where}：无法写入文件（{e.strerror or e}），请检查文件夹是否存在以及写入权限。",
        path=where,
    )


def _umask() -> int:
    # Read the process umask without changing it (Linux); elsewhere assume the usual 022.
    with suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022
