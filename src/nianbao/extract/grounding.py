"""Grounding, pure: is a model's quote in the report text, and is every number of a fact in its quote?

A model proposes facts; these tests decide which may be believed. They use no model and no network.

- A quote is *found* when its normalised form is a substring of the normalised source: full-width and
  half-width forms unified (NFKC), every kind of whitespace removed (reports wrap lines and put spaces
  between digits and CJK), curly and corner quotes unified. Nothing fuzzier: a fuzzy match of 「1,234件」
  could land on 「1,284件」.
- A number is *in* the quote when some number written in the quote has the same value: Arabic
  (4376, ４３７６, 1,295, 17.46), Chinese numerals (二十三, 两, 一百零五), with or without 万/亿.

The offsets of a match are offsets in the original source text, so that a fact can point at its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from nianbao.normalize import normalize_with_map
from nianbao.numerals import NUMBER_PATTERN, parse_number

_WS = re.compile(r"\s+")
_QUOTE_CHARS = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'"}
)
_NUMBER_RE = re.compile(NUMBER_PATTERN)
_ARABIC_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


class Ungrounded(StrEnum):
    """Why a model's fact is not believed (the reason reported with a dropped fact)."""

    QUOTE_NOT_FOUND = "quote-not-found"
    NUMBER_NOT_IN_QUOTE = "number-not-in-quote"
    INVALID = "invalid"  # the item did not even have the response schema's shape


@dataclass(frozen=True)
class MatchView:
    """A text normalised for matching, with the offset in the original text of every character."""

    text: str
    offsets: tuple[int, ...]


@lru_cache(maxsize=256)
def match_view(text: str) -> MatchView:
    """Normalise ``text`` for quote matching: NFKC per character, no whitespace at all, unified quotes.

    Cached: one chunk's source is matched against every quote of the reply.
    """
    norm, offsets = normalize_with_map(text)
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in _WS.finditer(norm):
        chars.append(norm[pos : m.start()])
        offs.extend(offsets[pos : m.start()])
        pos = m.end()
    chars.append(norm[pos:])
    offs.extend(offsets[pos:])
    return MatchView("".join(chars).translate(_QUOTE_CHARS), tuple(offs))


def find_quote(quote: str, source: str) -> tuple[int, int] | None:
    """(start, end) in ``source`` of the first place where ``quote`` occurs after normalisation, or None.

    An empty quote (or one of only spaces) is never found: a fact needs words to stand on.
    """
    needle = match_view(quote).text
    if not needle:
        return None
    view = match_view(source)
    at = view.text.find(needle)
    if at < 0:
        return None
    return view.offsets[at], view.offsets[at + len(needle) - 1] + 1


def numbers_in(text: str) -> frozenset[Decimal]:
    """Every value a number written in ``text`` can mean: 「1.2万」 gives 12000 and 1.2, 「二十三」 23.

    Both readings of a number with 万/亿 count, so that a fact of 1.2 (unit 万条) and one of 12000 (条)
    are both in a quote of 「1.2万条」.
    """
    norm = match_view(text).text
    values: set[Decimal] = set()
    for m in _NUMBER_RE.finditer(norm):
        token = m.group()
        for candidate in (token, token.rstrip("万亿")):
            value = parse_number(candidate) if candidate else None
            if value is not None:
                values.add(Decimal(value))
    return frozenset(values)


def as_decimal(value: int | float | Decimal | str) -> Decimal | None:
    """A fact's value as a Decimal (a float through its shortest repr: 17.46 stays 17.46), None if not a number."""
    try:
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None


def numbers_of_fact(value: int | float | Decimal | None, *texts: str) -> list[Decimal]:
    """The numbers a fact states: its value, and numbers written in Arabic digits in its other fields
    (a subject like 「12345热线」). Chinese numerals in a subject are words there (一是, 统一), not figures."""
    out: list[Decimal] = []
    if value is not None and not isinstance(value, bool):
        number = as_decimal(value)
        if number is not None:
            out.append(number)
    for text in texts:
        for m in _ARABIC_DIGITS.finditer(match_view(text).text):
            parsed = parse_number(m.group())
            if parsed is not None:
                out.append(Decimal(parsed))
    return out


def missing_numbers(numbers: Iterable[Decimal], quote: str) -> list[Decimal]:
    """The numbers that no number written in ``quote`` equals."""
    present = numbers_in(quote)
    return [n for n in numbers if n not in present]


@dataclass(frozen=True)
class GroundingProblem:
    """Why a fact is not grounded, in words a model can act on when re-asked (and a user can read)."""

    reason: Ungrounded
    message: str


def check_grounding(
    quote: str, source: str, value: int | float | Decimal | None = None, texts: Iterable[str] = ()
) -> GroundingProblem | None:
    """None when ``quote`` is in ``source`` and every number of the fact is in ``quote``; else the problem."""
    if find_quote(quote, source) is None:
        shown = quote if len(quote) <= 60 else quote[:60] + "…"
        return GroundingProblem(
            Ungrounded.QUOTE_NOT_FOUND,
            f"quote 「{shown}」 is not in the text: copy the quote character for character from the text "
            f"引文不在原文中：quote 必须逐字摘自原文，不得改写、概括或编造",
        )
    missing = missing_numbers(numbers_of_fact(value, *texts), quote)
    if missing:
        shown_numbers = "、".join(format(n.normalize(), "f") for n in missing)
        return GroundingProblem(
            Ungrounded.NUMBER_NOT_IN_QUOTE,
            f"the number(s) {shown_numbers} are not in the quote 「{quote}」: the value must be a number "
            f"written in the quote, or null 数值{shown_numbers}不在引文中：value 必须是引文中写明的数字，否则填 null",
        )
    return None
