"""HTML pages: main text by trafilatura, then our cleaner; metadata (title, date, URL) from the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import trafilatura

from polybius.errors import InputError
from polybius.ingest.decode import decode, read_bytes
from polybius.ingest.jsonl import parse_published
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
    page_date = None
    if doc.get("date"):
        try:
            page_date = parse_published(doc["date"], source)
        except InputError:
            page_date = None  # a page's own bad date is not fatal: --published or None then
    return article_from_text(doc["text"], source=source, title=doc.get("title") or None,
                             published=page_date or published, url=doc.get("url") or url)


def read_html_file(path: Path, *, published: date | None = None, url: str | None = None) -> list[Article]:
    """One article from an HTML file."""
    return [article_from_html(read_bytes(path), source=str(path), url=url, published=published)]
