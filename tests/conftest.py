"""Shared test helpers: paths to fixtures and to the real-report corpus beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_paths import CORPUS


@pytest.fixture
def corpus() -> Path:
    """The directory of real reports (../shared/corpus); skips the test with a reason when absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real-report corpus not found at {CORPUS} (CI has ../shared beside the checkout)")
    return CORPUS
