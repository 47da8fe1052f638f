"""What sources hand to the runners: ready Articles, raw HTML pages, and skipped inputs with reasons.

Raw pages carry their bytes so that the main-text extraction runs where the NLP runs (on the
Dask workers), not in the process that reads the archive.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from polybius.errors import InputError
from polybius.model import Article

log = logging.getLogger("polybius.ingest")


@dataclass(frozen=True)
class RawPage:
    """An HTML page as archived or fetched, not yet extracted."""

    source: str
    html: bytes
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Skipped:
    """An input left out of a run, and why (``source`` names the file, record or URL)."""

    source: str
    reason: str
    whole: bool = False
    """The whole input (a file, folder or URL) was unusable, not one record or page inside it."""


Item = Article | RawPage


def to_article(item: Item) -> Article:
    """The Article of an item, extracting raw pages; InputError when a page has no article."""
    if isinstance(item, Article):
        return item
    from polybius.ingest.html import article_from_html

    return article_from_html(item.html, source=item.source, url=item.url, published=item.published)


@dataclass
class SkipLog:
    """Collects skipped inputs of a run: each logged with its source as it happens, summarised at the end."""

    items: list[Skipped] = field(default_factory=list)

    def add(self, source: str, reason: str, *, whole: bool = False) -> None:
        """Record and log one skipped input (``whole``: a whole file, folder or URL)."""
        self.items.append(Skipped(source, reason, whole))
        log.warning("skipped %s: %s", source, reason)

    def add_error(self, err: InputError, *, whole: bool = False) -> None:
        """Record an InputError (its source and problem)."""
        self.add(err.source, err.problem, whole=whole)

    def reasons(self) -> Counter[str]:
        """How many inputs were skipped per kind of reason (the reason up to its first colon)."""
        return Counter(s.reason.split(":")[0] for s in self.items)

    def render(self) -> str:
        """A one-paragraph summary: counts per reason kind."""
        if not self.items:
            return "nothing skipped"
        parts = [f"{n} × {kind}" for kind, n in self.reasons().most_common()]
        return f"{len(self.items)} inputs skipped: " + "; ".join(parts)

