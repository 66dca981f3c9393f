"""The CI output formats of ``nianbao check`` by name: markdown, rdjsonl, github, sarif, gitlab."""

from __future__ import annotations

from nianbao.review.ci import Writer
from nianbao.review.github import GithubWriter
from nianbao.review.gitlab import GitlabWriter
from nianbao.review.markdown import MarkdownWriter
from nianbao.review.rdjsonl import RdjsonlWriter
from nianbao.review.sarif import SarifWriter
from nianbao.rules import all_rules

CI_FORMATS = ("markdown", "rdjsonl", "github", "sarif", "gitlab")


def make_writer(name: str, version: str) -> Writer:
    """The writer of a CI format; ``version`` is nianbao's (SARIF names it)."""
    if name == "markdown":
        return MarkdownWriter()
    if name == "rdjsonl":
        return RdjsonlWriter()
    if name == "github":
        return GithubWriter()
    if name == "sarif":
        return SarifWriter(all_rules(), version)
    if name == "gitlab":
        return GitlabWriter()
    raise ValueError(f"not a CI output format: {name}")
