"""Many inputs through one ``Pipeline``: files to documents (``polybius extract``). One model
load, ``nlp.pipe`` batches across file boundaries, and a bad input is reported by name while the
rest go on. (Into a store, inputs go through ``polybius.scale.ingest``.)
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import InputError
from polybius.model import Article, Document

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

STDIN = "-"


@dataclass
class FileResult:
    """One input of a batch: the documents extracted from it, or why it failed."""

    source: str
    """The input as given (a path, or ``-`` for standard input)."""
    documents: list[Document] = field(default_factory=list)
    error: str | None = None
    expected: int = 0
    """How many articles the input holds (a JSONL file holds several)."""
    received: int = 0
    """How many of them came out of the pipeline so far (valid or not)."""

    @property
    def done(self) -> bool:
        """Whether every article of the input has been through the pipeline."""
        return self.received >= self.expected


def read_source(source: str | Path, *, published: date | None = None,
                url: str | None = None) -> list[Article]:
    """The articles of one input: a text/HTML/JSONL file, or ``-`` for raw text on stdin."""
    from polybius.ingest import read_file

    if str(source) != STDIN:
        return read_file(Path(source), published=published, url=url)
    from polybius.ingest.decode import decode
    from polybius.ingest.text import article_from_text

    data = sys.stdin.buffer.read()
    if not data.strip():
        raise InputError("<stdin>", "input is empty")
    return [article_from_text(decode(data, "<stdin>"), source="<stdin>", published=published, url=url)]


def output_name(source: str | Path) -> str:
    """The file ``extract --out`` writes for an input: ``x.html`` -> ``x.json``, JSONL -> ``x.jsonl``."""
    if str(source) == STDIN:
        return "stdin.json"
    path = Path(source)
    return path.stem + (".jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else ".json")


def output_names(sources: Iterable[str | Path]) -> dict[str, str]:
    """Input -> output file name for every input; ValueError when two inputs would share one."""
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for source in map(str, sources):
        name = output_name(source)
        if name in owners and owners[name] != source:
            raise ValueError(f"inputs {owners[name]} and {source} would both be written to {name}; "
                             "extract them into separate --out folders")
        if name in owners:
            raise ValueError(f"input {source} is given twice")
        names[source], owners[name] = name, source
    return names


def extract_files(pipeline: Pipeline, sources: Iterable[str | Path], *,
                  published: date | None = None, url: str | None = None,
                  batch_size: int | None = None, validate: bool = True) -> Iterator[FileResult]:
    """One ``FileResult`` per input, in input order, extracting all inputs as one batched stream.

    Inputs are read lazily as the batches need them. With ``validate`` every document is checked
    against the ``polybius/1`` contract; a document that breaks it fails its input.
    """
    from polybius.contract import problems

    pending: deque[FileResult] = deque()

    def feed() -> Iterator[Article]:
        for source in sources:
            try:
                articles = read_source(source, published=published, url=url)
            except InputError as err:
                pending.append(FileResult(str(source), error=str(err)))
                continue
            pending.append(FileResult(str(source), expected=len(articles)))
            yield from articles

    for doc in pipeline.extract_many(feed(), batch_size=batch_size):
        owner = next(r for r in pending if not r.done)
        owner.received += 1
        found = problems(doc.to_json()) if validate else []
        if found:  # the input fails; its later articles still belong to it
            owner.error = owner.error or f"{owner.source}: document breaks polybius/1: " + "; ".join(found)
        elif owner.error is None:
            owner.documents.append(doc)
        while pending and pending[0].done:
            yield pending.popleft()
    yield from pending  # inputs that failed to read after the last document
