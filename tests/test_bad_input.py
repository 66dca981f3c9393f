"""Bad input through the command line: a clear message, the right exit code, never a traceback."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nianbao.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "lushan-2024.txt"
CLEAN = ROOT / "fixtures" / "clean-2024.txt"

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    # An exception that escaped the CLI would be stored here instead of printed.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def assert_unreadable(path: Path, *needles: str) -> str:
    code, out, err = run("check", str(path))
    assert code == 2, (code, out, err)
    for needle in needles:
        assert needle in err, f"{needle!r} not in stderr:\n{err}"
    return err


def findings_of(path: Path) -> list[tuple[str, str, int | None, int | None]]:
    code, out, err = run("check", "--format", "json", str(path))
    assert code in (0, 1), err
    report = json.loads(out)["reports"][0]
    return sorted(
        (
            f["rule"],
            f["message"],
            (f["location"]["span"] or {}).get("line"),
            (f["location"]["span"] or {}).get("column"),
        )
        for f in report["findings"]
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_unreadable(path, "文件为空", "empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n\u3000\n", encoding="utf-8")
    assert_unreadable(path, "文件为空")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(20240131).randbytes(8192))
    assert_unreadable(path, "无法识别为文本", "binary")


def test_png_image(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(2048))
    assert_unreadable(path, "图片", "images")


def test_lorem_ipsum_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "lorem.txt"
    path.write_text("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 40, encoding="utf-8")
    assert_unreadable(
        path, "不是政府信息公开工作年度报告", "not a government information disclosure annual report"
    )


def test_news_article_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text(
        "全县秋粮收购工作有序推进\n\n"
        "本报讯 连日来，县粮食部门组织收储企业敞开收购秋粮，截至目前已收购稻谷三万余吨。\n\n"
        "县发展改革委负责同志表示，将持续做好收购资金保障和仓容调度，确保农民售粮顺畅。\n",
        encoding="utf-8",
    )
    assert_unreadable(path, "不是政府信息公开工作年度报告")


def test_text_about_disclosure_without_report_structure(tmp_path: Path) -> None:
    # Mentions 政务公开 (passes the word test) but has no title, no part heading and no table.
    path = tmp_path / "notice.txt"
    path.write_text(
        "关于做好政务公开培训的通知\n\n各科室：\n\n为提升政务公开工作水平，定于下周三下午举办业务培训，请各科室派员参加。\n",
        encoding="utf-8",
    )
    assert_unreadable(path, "不是政府信息公开工作年度报告")


def test_truncated_report_is_checked_with_structure_findings(tmp_path: Path) -> None:
    path = tmp_path / "truncated.txt"
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:30]), encoding="utf-8")
    code, out, err = run("check", "--format", "json", str(path))
    assert code == 1, err
    findings: list[dict[str, Any]] = json.loads(out)["reports"][0]["findings"]
    assert any(f["category"] == "structure" for f in findings), [f["rule"] for f in findings]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_reads_like_utf8(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "utf8").mkdir()
    (tmp_path / encoding).mkdir()
    text = SEED.read_text(encoding="utf-8")
    utf8, other = tmp_path / "utf8" / "seed.txt", tmp_path / encoding / "seed.txt"
    utf8.write_bytes(text.encode("utf-8"))
    other.write_bytes(text.encode(encoding))
    assert findings_of(other) == findings_of(utf8)
    assert findings_of(utf8)  # the seed has findings: the comparison is not between two empty lists


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_bom_encodings_read_like_utf8(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = SEED.read_text(encoding="utf-8")
    plain, other = tmp_path / "a" / "seed.txt", tmp_path / "b" / "seed.txt"
    plain.write_bytes(text.encode("utf-8"))
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    other.write_bytes(data)
    assert findings_of(other) == findings_of(plain)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # 50 MB, sparse: the test itself stays cheap
        f.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        err = assert_unreadable(path, "MB", "超过")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "52.4 MB" in err
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB: the file was read before the size check"


def test_directory(tmp_path: Path) -> None:
    assert_unreadable(tmp_path, "文件夹", "directory")


def test_missing_file(tmp_path: Path) -> None:
    assert_unreadable(tmp_path / "nope.txt", "文件不存在", "no such file")


def test_old_word_doc_by_content(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"  # the extension lies; the content decides
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    assert_unreadable(path, "另存为", ".doc")


def test_unreadable_input_does_not_stop_the_others(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run("check", "--format", "json", str(empty), str(CLEAN))
    assert code == 2
    assert "文件为空" in err
    reports = json.loads(out)["reports"]
    assert [r["path"] for r in reports] == [str(CLEAN)]


def test_unreadable_previous_report(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run("check", str(CLEAN), "--previous", str(empty))
    assert code == 2
    assert "文件为空" in err


def test_subprocess_prints_no_traceback(tmp_path: Path) -> None:
    """The real console script path (not CliRunner): binary input, exit 2, message on stderr only."""
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(7).randbytes(4096))
    proc = subprocess.run(
        [sys.executable, "-m", "nianbao", "check", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "无法识别为文本" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_json_data_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "expected.txt"
    path.write_text(
        json.dumps({"title": "2024年政府信息公开工作年度报告", "table3": {"new": 3}}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert_unreadable(path, "JSON")


def test_password_protected_docx(tmp_path: Path) -> None:
    # Word stores a password-protected .docx as an OLE compound file with an EncryptedPackage stream.
    path = tmp_path / "report.docx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00")
    path.write_bytes(header + entry + b"\x00" * 4096)
    assert_unreadable(path, "密码", "password")
