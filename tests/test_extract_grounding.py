"""Grounding, pure: a quote is found in the source after normalising width and spaces (and only then),
and every number of a fact is in its quote, Arabic or Chinese numerals alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nianbao.extract.grounding import Ungrounded, check_grounding, find_quote, numbers_in
from nianbao.extract.models import NarrativeFacts, NarrativeItem

SOURCE = "（一）主动公开情况。全年通过县政府门户网站主动公开政府信息612条，其中政策解读二十三篇；组织培训2次，参训120人次。"

_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}  # ASCII → full-width forms
_NARROW = {v: k for k, v in _WIDE.items()}


def _respell(text: str, widths: list[bool], spaces: list[int]) -> str:
    """``text`` with some characters switched between full and half width and spaces inserted."""
    out = []
    for i, ch in enumerate(text):
        if widths[i % len(widths)]:
            ch = _WIDE.get(ch, _NARROW.get(ch, ch))
        out.append(ch + " " * spaces[i % len(spaces)])
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, len(SOURCE) - 2),
    length=st.integers(1, 30),
    widths=st.lists(st.booleans(), min_size=1, max_size=7),
    spaces=st.lists(st.integers(0, 2), min_size=1, max_size=5),
)
def test_quote_with_other_widths_and_spaces_is_found(
    start: int, length: int, widths: list[bool], spaces: list[int]
) -> None:
    quote = SOURCE[start : start + length]
    where = find_quote(_respell(quote, widths, spaces), SOURCE)
    assert where is not None
    assert SOURCE[where[0] : where[1]] == quote  # the place in the original text, exactly


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, len(SOURCE) - 6),
    length=st.integers(3, 20),
    spaces=st.lists(st.integers(0, 2), min_size=1, max_size=4),
)
def test_a_changed_character_is_not_found(start: int, length: int, spaces: list[int]) -> None:
    quote = SOURCE[start : start + length]
    i = len(quote) // 2
    changed = quote[:i] + ("某" if quote[i] != "某" else "甲") + quote[i + 1 :]
    assert find_quote(_respell(changed, [False], spaces), SOURCE) is None


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 99_999))
def test_chinese_numerals_match_arabic(n: int) -> None:
    assert Decimal(n) in numbers_in(f"共{_chinese(n)}条")
    assert Decimal(n) in numbers_in(f"共{n}条") and Decimal(n) in numbers_in(f"共{_full(str(n))}条")


def _full(text: str) -> str:
    return "".join(_WIDE.get(c, c) for c in text)


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def test_examples() -> None:
    assert Decimal(23) in numbers_in("政策解读二十三篇")
    assert {Decimal(12000), Decimal("1.2")} <= numbers_in("发布1.2万条")
    assert Decimal("17.46") in numbers_in("占17.46%")
    assert find_quote("", SOURCE) is None and find_quote("   ", SOURCE) is None
    assert find_quote("全年通过县政府门户网站主动公开政府信息６１２条", SOURCE) is not None
    assert find_quote("“政务新媒体”", "通过「政务新媒体」发布") is not None  # quote marks unified


def test_check_grounding_reasons() -> None:
    assert check_grounding("政策解读二十三篇", SOURCE, 23) is None
    assert check_grounding("政策解读二十三篇", SOURCE, 23.0) is None
    missing = check_grounding("政策解读二十三篇", SOURCE, 32)
    assert missing is not None and missing.reason is Ungrounded.NUMBER_NOT_IN_QUOTE
    invented = check_grounding("政策解读三十篇", SOURCE, 30)
    assert invented is not None and invented.reason is Ungrounded.QUOTE_NOT_FOUND
    # a figure in the subject must be in the quote too
    subject = check_grounding("组织培训2次", SOURCE, 2, ["12345热线"])
    assert subject is not None and subject.reason is Ungrounded.NUMBER_NOT_IN_QUOTE


def test_validators_ground_with_a_context_and_only_shape_without() -> None:
    good = {
        "kind": "interpretation",
        "subject": "政策解读",
        "value": "二十三",
        "unit": "篇",
        "quote": "政策解读二十三篇",
    }
    item = NarrativeItem.model_validate(good, context={"source": SOURCE})
    assert item.value == 23
    bad = {**good, "quote": "政策解读九篇", "value": 9}
    with pytest.raises(ValidationError, match="引文不在原文中"):
        NarrativeFacts.model_validate({"facts": [good, bad]}, context={"source": SOURCE})
    with pytest.raises(ValidationError, match="不在引文中"):
        NarrativeItem.model_validate({**good, "value": 24}, context={"source": SOURCE})
    assert NarrativeItem.model_validate(bad).quote == "政策解读九篇"  # no context: shape only
    with pytest.raises(ValidationError):
        NarrativeItem.model_validate({**good, "value": True})


def test_schema_is_small_and_flat() -> None:
    schema = NarrativeFacts.model_json_schema()
    item = schema["$defs"]["NarrativeItem"]["properties"]
    assert all("title" not in p and "$ref" not in p for p in item.values())
    assert item["value"]["type"] == ["number", "null"]
    assert schema["title"] == "NarrativeFacts"  # instructor names the tool after it
