"""Helpers shared by the scorers: file checks, running the pipeline with progress, event lookups."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate.report import Progress
from polybius.model import Actor, Article, Document, Event

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline


def require(path: Path, what: str) -> Path:
    """``path`` if it exists, else an EvaluationError saying which gold file is missing."""
    if not path.exists():
        raise EvaluationError(
            f"{what}: gold file {path} not found; pass the data directory "
            f"(--data-dir or $POLYBIUS_DATA) that holds events/ and news/")
    return path


def run_pipeline(pipeline: Pipeline, articles: Sequence[Article],
                 on_progress: Progress | None = None) -> list[Document]:
    """Documents for ``articles`` in order, parsed in batches by ``Pipeline.process_many``."""
    docs: list[Document] = []
    for doc in pipeline.process_many(articles):
        docs.append(doc)
        if on_progress is not None:
            on_progress(len(docs), len(articles))
    if len(docs) != len(articles):
        raise EvaluationError(f"pipeline returned {len(docs)} documents for {len(articles)} articles")
    return docs


def top_event(doc: Document) -> Event | None:
    """The highest-confidence event (first one on ties), or None."""
    return max(doc.events, key=lambda e: e.confidence, default=None)


def actors_of(doc: Document, ids: Sequence[str]) -> list[Actor]:
    """The Actor records behind actor ids (unknown ids are skipped)."""
    by_id = {a.id: a for a in doc.actors}
    return [by_id[i] for i in ids if i in by_id]


def sentence_of(doc: Document, event: Event) -> str:
    """The text of the event's evidence sentences (empty when it has none)."""
    return " ".join(doc.article.text[ev.span[0]:ev.span[1]] for ev in event.evidence)
