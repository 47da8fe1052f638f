"""Extraction: pure functions from a parsed document (spaCy ``Doc``) and its ``Context`` to mentions.

Each extractor reads only the Doc and what earlier extractors produced; none reads files or the
network. Order: actors, places, times, numbers, quotes → events → factuality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span

LEAD_SENTENCES = 2
"""Sentences after the headline that make the lead, where the headline's events are told."""


@dataclass(frozen=True)
class Context:
    """What an extractor may know besides the text: the article's metadata."""

    published: date | None = None
    title: str | None = None
    url: str | None = None


def headline_and_lead(doc: Doc, ctx: Context) -> tuple[int, range] | None:
    """When the text opens with the title as its own paragraph: the headline's end offset and the
    character range of the lead (the next ``LEAD_SENTENCES`` sentences); else None."""
    title = " ".join((ctx.title or "").split())
    first = doc.text.split("\n\n", 1)[0]
    if not title or " ".join(first.split()) != title:
        return None
    lead: list[Span] = [s for s in doc.sents if s.start_char >= len(first) and s.text.strip()][:LEAD_SENTENCES]
    return (len(first), range(lead[0].start_char, lead[-1].end_char)) if lead else None
