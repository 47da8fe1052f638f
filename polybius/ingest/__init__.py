"""Readers that turn files into ``Article``s: plain text, HTML and JSONL, and directories of them.

Every reader refuses bad input with an ``InputError`` that names the input, before anything is
stored, so a bad file never leaves half an article behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from polybius.errors import InputError
from polybius.ingest.html import read_html_file
from polybius.ingest.jsonl import read_jsonl_file
from polybius.ingest.text import read_text_file
from polybius.model import Article

READERS = {
    ".txt": read_text_file, ".text": read_text_file, "": read_text_file,
    ".html": read_html_file, ".htm": read_html_file,
    ".jsonl": read_jsonl_file, ".ndjson": read_jsonl_file,
}


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named by ``paths``, directories expanded recursively in sorted order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in READERS and not p.name.startswith(".")
                              and p.name.lower() != "readme.md")
        elif path.exists():
            yield path
        else:
            raise InputError(str(path), "no such file or directory")


def read_file(path: Path, *, published: date | None = None, url: str | None = None) -> list[Article]:
    """All articles in one file; ``published``/``url`` apply where the file does not say."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(str(path), f"unsupported file type {path.suffix!r} "
                                    f"(expected one of {', '.join(sorted(s for s in READERS if s))})")
    return reader(path, published=published, url=url)


def read_paths(paths: Iterable[Path], *, published: date | None = None,
               url: str | None = None) -> Iterator[Article]:
    """Articles from files and directories, in order; raises on the first bad input."""
    for path in iter_files(paths):
        yield from read_file(path, published=published, url=url)
