"""The CI output formats of ``nianbao check``: markdown, rdjsonl, github, sarif, gitlab (issue 7).

rdjsonl lines and SARIF logs are validated against the schemas shipped in tests/schemas (see the
``$comment`` in each for where it came from)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs installed
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

import nianbao
from nianbao.cli import app
from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Metadata, Report
from nianbao.model.span import Span
from nianbao.review.checked import CheckedReport
from nianbao.review.ci import byte_column
from nianbao.review.github import GithubWriter, annotation, escape_data, escape_property
from nianbao.review.gitlab import issues
from nianbao.review.markdown import MAX_CHARS, MarkdownWriter
from nianbao.review.rdjsonl import diagnostic, render_rdjsonl
from nianbao.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "fixtures" / "lushan-2024.txt")
CLEAN = str(ROOT / "fixtures" / "clean-2024.txt")
SCHEMAS = Path(__file__).resolve().parent / "schemas"
FORMATS = ("markdown", "rdjsonl", "github", "sarif", "gitlab")


def run(fmt: str, *paths: str) -> str:
    result = CliRunner().invoke(app, ["check", "--format", fmt, *paths])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def seed_findings() -> list[Finding]:
    return nianbao.check(nianbao.read(SEED))


def schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


def text_report(path: str, findings: list[Finding]) -> CheckedReport:
    return CheckedReport(path, Report(metadata=Metadata(source_format="text")), findings)


def finding(
    message: str,
    line: int = 1,
    column: int | None = 1,
    severity: Severity = Severity.ERROR,
    rule: str = "X-TEST",
) -> Finding:
    return Finding(
        rule=rule,
        category=Category.WORDING,
        severity=severity,
        message=message,
        location=Location(span=Span(path="r.txt", line=line, column=column)),
    )


# ---- exit codes and the clean fixture -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes_follow_findings(fmt: str) -> None:
    assert CliRunner().invoke(app, ["check", "--format", fmt, SEED]).exit_code == 1
    assert CliRunner().invoke(app, ["check", "--format", fmt, CLEAN]).exit_code == 0


def test_clean_fixture_in_every_format() -> None:
    assert run("rdjsonl", CLEAN) == ""
    assert run("gitlab", CLEAN).strip() == "[]"
    sarif = json.loads(run("sarif", CLEAN))
    jsonschema.validate(sarif, schema("sarif-2.1.0-subset.json"))
    assert sarif["runs"][0]["results"] == []
    github = run("github", CLEAN).splitlines()
    assert len(github) == 1 and github[0].startswith("::notice ") and "共0项问题" in github[0]
    md = run("markdown", CLEAN)
    assert "共0项" in md and "未发现问题" in md


# ---- rdjsonl ---------------------------------------------------------------------------------------


def test_rdjsonl_seed_lines_validate_against_reviewdog_schema() -> None:
    lines = run("rdjsonl", SEED).splitlines()
    findings = seed_findings()
    assert len(lines) == len(findings) > 0
    validator = jsonschema.Draft4Validator(schema("reviewdog-diagnostic.json"))
    for line in lines:
        validator.validate(json.loads(line))
    first = json.loads(lines[0])
    assert first["severity"] == "ERROR" and first["code"] == {"value": findings[0].rule}
    assert {json.loads(line)["severity"] for line in lines} == {"ERROR", "WARNING", "INFO"}


def test_schema_rejects_a_bad_diagnostic() -> None:
    validator = jsonschema.Draft4Validator(schema("reviewdog-diagnostic.json"))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"message": "x", "severity": "FATAL"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"message": "x", "location": {"range": {"start": {"column": "3"}}}})


def test_rdjsonl_columns_are_utf8_bytes_in_the_seed() -> None:
    source = Path(SEED).read_text(encoding="utf-8").splitlines()
    diagnostics = [json.loads(line) for line in run("rdjsonl", SEED).splitlines()]
    for d, f in zip(diagnostics, seed_findings(), strict=True):
        span = f.location.span
        assert span is not None and span.line is not None and span.column is not None
        assert d["message"].endswith(f.message)
        start = d["location"]["range"]["start"]
        assert start["line"] == span.line
        assert start["column"] == len(source[span.line - 1][: span.column - 1].encode("utf-8")) + 1
    # ID-AGENCY on line 7 sits after 108 characters, most of them CJK: bytes, not characters.
    assert any(d["location"]["range"]["start"]["column"] > 200 for d in diagnostics)


def test_byte_column_after_cjk() -> None:
    line = "二〇二四年，本机关收到abc申请𠀀件"
    assert byte_column(line, 1) == 1
    assert byte_column(line, 12) == 11 * 3 + 1  # 'a' after 11 CJK characters
    assert byte_column(line, 15) == 11 * 3 + 3 + 1  # '申' after 11 CJK and 'abc'
    assert byte_column(line, 18) == 11 * 3 + 3 + 2 * 3 + 4 + 1  # '件' after the 4-byte 𠀀
    d = diagnostic(text_report("r.txt", []), finding("申请数不符", line=1, column=15), [line])
    assert d["location"] == {"path": "r.txt", "range": {"start": {"line": 1, "column": 37}}}


def test_rdjsonl_reads_the_file_for_byte_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("标题\n二〇二四年abc\n", encoding="utf-8")
    out = render_rdjsonl(text_report(str(path), [finding("x", line=2, column=6)]))
    assert json.loads(out)["location"]["range"]["start"] == {"line": 2, "column": 16}


def test_rdjsonl_without_lines_has_path_only() -> None:
    docx = CheckedReport("r.docx", Report(metadata=Metadata(source_format="docx")), [])
    f = Finding(
        rule="X",
        category=Category.WORDING,
        severity=Severity.INFO,
        message="m",
        location=Location(span=Span(paragraph=2)),
    )
    d = diagnostic(docx, f)
    assert d["location"] == {"path": "r.docx"} and d["message"] == "第3段：m"


# ---- GitHub workflow commands ----------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100%\r\n下一行") == "100%25%0D%0A下一行"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    report = text_report("dir,1/报告:2024.txt", [])
    message = "合计 50% 不符,\n应为: 3"
    line = annotation(report, finding(message, line=4, column=2))
    assert line == (
        "::error file=dir%2C1/报告%3A2024.txt,line=4,col=2,title=nianbao X-TEST::合计 50%25 不符,%0A应为: 3"
    )
    assert "\n" not in line


def test_github_seed_annotations() -> None:
    lines = run("github", SEED).splitlines()
    findings = seed_findings()
    assert len(lines) == len(findings) + 1  # 17 fit within the limits, plus the summary notice
    assert sum(line.startswith("::error file=") for line in lines) == 6
    assert lines[-1].startswith("::notice title=nianbao summary::") and "共17项问题" in lines[-1]


def test_github_limits_per_step() -> None:
    writer = GithubWriter()
    many = [finding(f"问题{i}", line=i + 1, severity=s) for s in Severity for i in range(25)]
    out = writer.add(text_report("r.txt", many)).splitlines()
    summary = writer.finish()
    assert sum(line.startswith("::error ") for line in out) == 10
    assert sum(line.startswith("::warning ") for line in out) == 10
    assert sum(line.startswith("::notice ") for line in out) == 9
    assert summary.count("\n") == 1 and "共75项问题" in summary and "另有46项" in summary


# ---- SARIF -----------------------------------------------------------------------------------------


def test_sarif_seed_validates() -> None:
    log = json.loads(run("sarif", SEED, CLEAN))
    jsonschema.Draft7Validator(schema("sarif-2.1.0-subset.json")).validate(log)
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    findings = seed_findings()
    assert len(run_["results"]) == len(findings)
    for res, f in zip(run_["results"], findings, strict=True):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f.rule
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity.value]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith("fixtures/lushan-2024.txt")
        assert f.location.span is not None
        assert loc["region"] == {"startLine": f.location.span.line, "startColumn": f.location.span.column}


def test_sarif_schema_rejects_bad_level() -> None:
    log = json.loads(run("sarif", SEED))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema("sarif-2.1.0-subset.json"))


# ---- GitLab Code Quality ---------------------------------------------------------------------------


def test_gitlab_seed() -> None:
    data = json.loads(run("gitlab", SEED))
    findings = seed_findings()
    assert len(data) == len(findings)
    assert len({i["fingerprint"] for i in data}) == len(data)
    for issue in data:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert len(issue["fingerprint"]) == 64
        assert issue["location"]["path"].endswith("fixtures/lushan-2024.txt")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert {i["severity"] for i in data} == {"critical", "major", "info"}
    assert data == json.loads(run("gitlab", SEED))  # stable between runs


def test_gitlab_fingerprints_survive_lines_added_above() -> None:
    before = [finding("第3行写作“全市”", line=3, column=5), finding("第9行写作“全市”", line=9, column=5)]
    after = [finding("第5行写作“全市”", line=5, column=7), finding("第11行写作“全市”", line=11, column=7)]
    fp_before = [i["fingerprint"] for i in issues(text_report("r.txt", before))]
    fp_after = [i["fingerprint"] for i in issues(text_report("r.txt", after))]
    assert fp_before == fp_after and len(set(fp_before)) == 2  # equal findings told apart by occurrence
    other = [i["fingerprint"] for i in issues(text_report("other.txt", before))]
    assert not set(other) & set(fp_before)


# ---- Markdown --------------------------------------------------------------------------------------


def plain_text(markdown: str) -> str:
    """Everything a reader sees, from markdown-it-py's tokens (escapes resolved)."""
    out: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline" and token.children is not None:
            out.append("".join(c.content for c in token.children if c.type in ("text", "code_inline")))
        elif token.type == "html_block":
            out.append(token.content)
    return "\n".join(out)


def test_markdown_seed_renders_and_names_every_error() -> None:
    md = run("markdown", SEED)
    assert len(md) < MAX_CHARS
    tokens = MarkdownIt("commonmark").parse(md)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert headings and tokens[0].type == "heading_open"
    text = plain_text(md)
    findings = seed_findings()
    assert "共17项：错误6项，警告5项，提示6项。" in text
    for f in findings:
        if f.severity is Severity.ERROR:
            assert f.message in text, f.message
            assert f"应为：{f.expected}" in text and f"报告中：{f.actual}" in text
    assert "一、总体情况" in text and "<details>" in md  # the part with 11 findings folds its hints
    assert md.count("<details>") == md.count("</details>")
    html = MarkdownIt("commonmark").render(md)
    assert "<li><strong>错误</strong>" in html


def test_markdown_escapes_report_text() -> None:
    writer = MarkdownWriter()
    writer.add(text_report("r.txt", [finding("见 *附件* <b>[1]</b> | a_b & c", line=2)]))
    md = writer.finish()
    html = MarkdownIt("commonmark").render(md)
    assert "<b>" not in html and "<em>" not in html
    assert "见 *附件* <b>[1]</b> | a_b & c" in plain_text(md)


def test_markdown_batch_stays_under_the_limit() -> None:
    writer = MarkdownWriter()
    long = "很长的说明" * 60
    for n in range(300):
        writer.add(text_report(f"reports/{n}.txt", [finding(f"{long}{n}", line=i + 1) for i in range(5)]))
    for n in range(20):
        writer.add(text_report(f"clean/{n}.txt", []))
    md = writer.finish()
    assert len(md) < MAX_CHARS
    text = plain_text(md)
    assert "320份报告，共1500项" in text and "篇幅所限" in text and "20份报告未发现问题" in text
    assert md.count("<details>") == md.count("</details>")
    MarkdownIt("commonmark").render(md)


def test_markdown_two_reports() -> None:
    md = run("markdown", SEED, CLEAN)
    text = plain_text(md)
    assert "2份报告，共17项" in text and "| 文件 | 机关 |" in md and "1份报告未发现问题" in text
