"""Every rule's documentation as clerks read it in `nianbao rules`: a Chinese one-sentence summary with
full-width punctuation, and a bad and a good example in the body."""

from __future__ import annotations

import re

import pytest

from nianbao.rules import REGISTRY, Rule, all_rules

_CJK = re.compile(r"[\u4e00-\u9fff]")
# The marker every docstring uses: 「Bad: …」 / 「Good: …」, optionally with a parenthesised context
# (「Bad (county government): …」).
_BAD = re.compile(r"\bBad\b(?: \([^)]*\))?:")
_GOOD = re.compile(r"\bGood\b(?: \([^)]*\))?:")

RULES = all_rules()


def test_every_family_is_registered() -> None:
    prefixes = {code.split("-")[0] for code in REGISTRY}
    assert {"ID", "PII", "STR", "T2", "T3", "T4", "TPL", "TXT", "WD", "XY"} <= prefixes


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_summary_is_one_chinese_sentence(rule: type[Rule]) -> None:
    summary = rule.summary()
    assert _CJK.search(summary), f"{rule.code}: summary has no Chinese: {summary!r}"
    assert summary.endswith("。"), f"{rule.code}: summary must end with 。: {summary!r}"
    # One sentence: 。 only at the end.
    assert "。" not in summary[:-1], f"{rule.code}: summary is more than one sentence: {summary!r}"
    assert not re.search(r"[,;]", summary), f"{rule.code}: half-width comma or semicolon in {summary!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_docstring_has_bad_and_good_examples(rule: type[Rule]) -> None:
    doc = rule.__doc__ or ""
    body = doc.strip().split("\n", 1)[1] if "\n" in doc.strip() else ""
    bad, good = _BAD.search(body), _GOOD.search(body)
    assert bad is not None, f"{rule.code}: no 「Bad: …」 example"
    assert good is not None, f"{rule.code}: no 「Good: …」 example"
    assert bad.start() < good.start(), f"{rule.code}: the good example comes before the bad one"


def test_checks_can_fail() -> None:
    """The patterns reject what they must: an English summary, a missing example."""
    assert not _CJK.search("Each of the six parts appears exactly once.")
    assert re.search(r"[,;]", "表三, 表四")
    assert not _BAD.search("What: … Good: …") and _BAD.search("Bad (county government): x")
