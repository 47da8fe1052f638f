"""``Pipeline``: the one way an article becomes records (clean → nlp → extract → Document).

The CLI, the store's ingest and the evaluators all call this class.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from spacy.tokens import Doc

from polybius import nlp
from polybius.clean import clean_text
from polybius.config import Config
from polybius.errors import InputError
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


class Pipeline:
    """Turns articles into ``polybius/1`` Documents; loads the NLP model once, on first use.

    ``config`` defaults to ``Config.load()`` (``polybius.toml`` and ``POLYBIUS_*`` variables).

    Example::

        pipeline = Pipeline()
        doc = pipeline.extract("Police said two people were killed ...", published=date(2018, 8, 23))
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config.load()

    def extract(self, text: str, *, published: date | str | None = None, url: str | None = None,
                title: str | None = None) -> Document:
        """Extract one article given as raw body text (it is cleaned first); ``published`` is a
        date or an ISO date string.

        Example::

            doc = pipeline.extract(text, published=date(2018, 8, 23), url="https://example.org/a")
            [e.type for e in doc.events]
        """
        return self.process(_as_article(text, published=_as_date(published), url=url, title=title))

    def process(self, article: Article) -> Document:
        """Extract one already-cleaned Article (a non-English one is returned empty, flagged)."""
        if _skip_foreign(article):
            return Document(article=article)
        return self._extract(article, nlp.parse(article.text, self.config.model))

    def extract_many(self, articles: Iterable[Article | str], *,
                     batch_size: int | None = None) -> Iterator[Document]:
        """Extract many articles, parsing them in batches with ``nlp.pipe``; yields in input order.

        Items are ``Article``s (already cleaned, e.g. from ``polybius.ingest``) or raw body texts
        (cleaned as ``extract`` does). The input is consumed lazily, ``batch_size`` articles at a
        time (default ``config.batch_size``), so a long stream never sits in memory at once.

        Example::

            for doc in pipeline.extract_many([text1, text2], batch_size=32):
                print(doc.article.id, len(doc.events))
        """
        size = batch_size or self.config.batch_size
        if size < 1:
            raise ValueError(f"batch_size must be at least 1, got {size}")
        items = iter(articles)
        while batch := [_as_article(a) for a in islice(items, size)]:
            english = [a for a in batch if not _skip_foreign(a)]
            docs = iter(nlp.parse_many((a.text for a in english), self.config.model, size))
            for article in batch:
                yield Document(article=article) if article.skipped else self._extract(article, next(docs))

    def process_many(self, articles: Iterable[Article]) -> Iterator[Document]:
        """``extract_many`` under the name older callers use."""
        return self.extract_many(articles)

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
        assign_factuality(doc, ctx, events, quotes, actors, numbers)
        return Document(article=article, actors=actors, places=places, times=times,
                        quotes=quotes, events=events)


def _as_article(item: Article | str, *, published: date | None = None, url: str | None = None,
                title: str | None = None) -> Article:
    """An Article as is; raw text cleaned into one, with the cleaner's removals kept."""
    if isinstance(item, Article):
        return item
    cleaned, removed = clean_text(item)
    return Article(text=cleaned, title=title, url=url, published=published, removed=removed)


def _as_date(value: date | str | None) -> date | None:
    """A date given as such or as an ISO string ("2024-03-10"); anything else is a clear error."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError("published", f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def _skip_foreign(article: Article) -> bool:
    """Flag a non-English article (language code and ``skipped`` reason); True when flagged."""
    if article.skipped:
        return True
    check = check_language(article.text)
    if check.english:
        return False
    article.language, article.skipped = check.code, check.reason
    return True
