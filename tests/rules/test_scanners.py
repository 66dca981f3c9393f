"""Scanners that replace a slow regex (WD-SPACING tokens, ID-YEAR years) find exactly the regex matches."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.rules.spacing import _TOKEN, _tokens
from nianbao.rules.years import YEAR, years_in

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _regex(text: str) -> list[tuple[int, int, int, int, int, str, str, int]]:
    return [
        (m.start(), m.end(), m.start("num"), m.end("num"), m.start("l"), m.group("ls"), m.group("rs"), m.start("r"))
        for m in _TOKEN.finditer(text)
    ]


@given(st.text(alphabet=st.sampled_from("年件共 \u00a0\u30001234５６.。,a-Ｂ\u4e00\u9fff\u3400\u33ff\ua000"), max_size=30))
@settings(max_examples=5000)
def test_tokens_are_the_regex_matches(text: str) -> None:
    assert [tuple(t) for t in _tokens(text)] == _regex(text)


def test_tokens_on_fixture_lines() -> None:
    for path in FIXTURES.glob("*"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert [tuple(t) for t in _tokens(line)] == _regex(line)


@given(st.text(alphabet=st.sampled_from("年度19200９１二〇零三四.-—a 是"), max_size=24))
@settings(max_examples=5000)
def test_years_are_the_regex_matches(text: str) -> None:
    assert list(years_in(text)) == [(m.start(), m.end(), m.group("y")) for m in YEAR.finditer(text)]
