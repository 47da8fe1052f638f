"""Plain-text articles: first line the headline when a blank line follows it.

The publication date comes from a ``YYYY-MM-DD`` prefix of the file name when present
(``2018-08-24-trappes.txt``), else from ``--published``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from polybius.clean import clean_text
from polybius.errors import InputError
from polybius.ingest.decode import decode, read_bytes
from polybius.model import Article

DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
MIN_WORDS = 5
"""Fewer words than this is a page fragment (a menu, a broken page), not an article."""


def date_from_name(path: Path) -> date | None:
    """The ``YYYY-MM-DD`` date a file name starts with, if it is a real date."""
    m = DATE_PREFIX.match(path.name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError as err:
        raise InputError(str(path), f"file name starts with an impossible date {m.group(1)!r}") from err


def article_from_text(text: str, *, source: str, title: str | None = None,
                      published: date | None = None, url: str | None = None) -> Article:
    """An Article from raw body text: cleaned, refusing text with no body left."""
    body, removed = clean_text(text)
    words = sum(1 for w in body.split() if any(c.isalpha() for c in w))
    if words < MIN_WORDS:
        raise InputError(source, f"no article text: {words} words left after removing boilerplate "
                                 f"(at least {MIN_WORDS} needed)")
    return Article(text=body, title=title, url=url, published=published, removed=removed)


def read_text_file(path: Path, *, published: date | None = None, url: str | None = None) -> list[Article]:
    """One article from a text file."""
    text = decode(read_bytes(path), str(path))
    head, sep, rest = text.lstrip().partition("\n\n")
    title = None
    if sep and "\n" not in head.strip() and len(head.split()) <= 25:
        title, text = head.strip(), rest
    return [article_from_text(text, source=str(path), title=title,
                              published=date_from_name(path) or published, url=url)]
