"""JSON Lines: one article a line, ``{"text", "title", "url", "published"}``.

The whole file is checked before any article is returned, so a bad line refuses the file
instead of storing part of it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from polybius.errors import InputError
from polybius.ingest.decode import decode, read_bytes
from polybius.ingest.text import article_from_text
from polybius.model import Article


def parse_published(value: object, source: str) -> date | None:
    """A ``YYYY-MM-DD`` (or ISO datetime) value as a date; anything else is an InputError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(source, f"published must be a YYYY-MM-DD string, got {value!r}")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as err:
        raise InputError(source, f"published {value!r} is not a valid date (YYYY-MM-DD)") from err


def read_jsonl_file(path: Path, *, published: date | None = None, url: str | None = None) -> list[Article]:
    """Every article of a JSONL file, or an InputError naming the first bad line."""
    articles = []
    for n, line in enumerate(decode(read_bytes(path), str(path)).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(where, f"not valid JSON ({err.msg} at column {err.colno})") from err
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise InputError(where, 'expected an object with a non-empty "text" string')
        articles.append(article_from_text(
            obj["text"], source=where, title=obj.get("title") or None,
            published=parse_published(obj.get("published"), where) or published,
            url=obj.get("url") or url))
    if not articles:
        raise InputError(str(path), "no articles in file")
    return articles
