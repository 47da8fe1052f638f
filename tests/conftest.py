"""Shared fixtures: the NLP pipeline is loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.tokens import Doc

from polybius import nlp

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def parse() -> Callable[[str], Doc]:
    """Parse a short text with the default model (loaded once)."""
    return lambda text: nlp.parse(text)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
