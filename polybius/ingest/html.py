"""HTML pages: main text by trafilatura, then our cleaner; title and URL from the page, the
publication date (when not given) by ``pubdate.page_published``: metadata, dateline, URL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import trafilatura

from polybius.errors import InputError
from polybius.ingest.decode import decode, read_bytes
from polybius.ingest.pubdate import page_published
from polybius.ingest.text import article_from_text
from polybius.model import Article


def article_from_html(html: str | bytes, *, source: str, url: str | None = None,
                      published: date | None = None) -> Article:
    """An Article from an HTML page; raises InputError when no main text can be found."""
    if isinstance(html, bytes):
        html = decode(html, source)
    if "<" not in html:
        raise InputError(source, "does not look like HTML (no tags)")
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, deduplicate=False, as_dict=True)
    except (ValueError, TypeError) as err:  # lxml raises these on hopelessly broken markup
        raise InputError(source, f"malformed HTML: {err}") from err
    if not doc or not (doc.get("text") or "").strip():
        raise InputError(source, "no article text found in the HTML page")
    if published is None:  # a date the caller gives wins over anything the page says
        published, _ = page_published(html, doc.get("url") or url)
    return article_from_text(doc["text"], source=source, title=doc.get("title") or None,
                             published=published, url=doc.get("url") or url)


def read_html_file(path: Path, *, published: date | None = None, url: str | None = None) -> list[Article]:
    """One article from an HTML file."""
    return [article_from_html(read_bytes(path), source=str(path), url=url, published=published)]
