"""Extraction: pure functions from a parsed document (spaCy ``Doc``) and its ``Context`` to mentions.

Each extractor reads only the Doc and what earlier extractors produced; none reads files or the
network. Order: actors, places, times, numbers, quotes → events → factuality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Context:
    """What an extractor may know besides the text: the article's metadata."""

    published: date | None = None
    title: str | None = None
    url: str | None = None
