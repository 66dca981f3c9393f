"""Imports every rule module so that their rules register. Add new rule modules here."""

from nianbao.rules import (  # noqa: F401  (imported for their @register side effect)
    agency,
    contents,
    crossyear,
    documents_text,
    fee_text,
    level_words,
    outline,
    privacy,
    requests_text,
    review_text,
    spacing,
    table2,
    table3,
    table4,
    template,
    timeliness,
    unfilled,
    wording,
    years,
)
