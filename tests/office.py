"""LibreOffice for the tests that check our Word files open in an office suite (skipped where absent)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def soffice_convert(
    soffice: str, profile: Path, source: Path, fmt: str, outdir: Path, timeout: int = 180
) -> Path:
    """Convert ``source`` to ``fmt`` (e.g. "pdf", "fodt") with a private profile; the converted file."""
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",  # a private profile: no clash with a running office
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    return outdir / f"{source.stem}.{fmt}"
