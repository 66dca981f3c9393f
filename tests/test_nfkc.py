"""nianbao.normalize.nfkc is unicodedata's NFKC, only faster on ordinary report text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.normalize import _NFKC_CJK, _NFKC_SMALL, nfkc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The characters nfkc maps one by one, and a few that make it fall back (combining marks, half-width
# katakana with its sound mark, circled numbers, Hangul jamo, compatibility ideographs).
_FAST = "".join(chr(c) for a, b in _NFKC_SMALL for c in range(a, b + 1)) + "年度报告政府信息公开鲁山县"
_OTHER = "\u0301\u0308\uff76\uff9e\u2460\u3220\u1100\u1161\u11a8\uf900\u2017\u203e\u00bd\u00e9e"


@given(st.text(alphabet=st.sampled_from(_FAST + _OTHER), max_size=40))
@settings(max_examples=3000)
def test_same_as_unicodedata_on_report_like_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text(max_size=40))
@settings(max_examples=1000)
def test_same_as_unicodedata_on_any_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_same_on_fixtures_and_cjk_is_stable() -> None:
    for path in FIXTURES.glob("*"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert nfkc(line) == unicodedata.normalize("NFKC", line)
    assert all(unicodedata.normalize("NFKC", chr(c)) == chr(c) for a, b in _NFKC_CJK for c in range(a, b + 1))
