"""Imports every rule module so that their rules register. Add new rule modules here."""
from nianbao.rules import privacy  # noqa: F401
from nianbao.rules import agency, level_words, years  # noqa: F401
from nianbao.rules import crossyear  # noqa: F401
from nianbao.rules import structure  # noqa: F401
from nianbao.rules import documents_text, fee_text, requests_text, review_text, wording  # noqa: F401
from nianbao.rules import table2, table3, table4, template  # noqa: F401
