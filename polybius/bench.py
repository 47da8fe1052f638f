"""``polybius bench``: throughput of the full pipeline against a bare ``nlp.pipe`` of the same model.

Texts: the IndiaPoliceEvents documents under the data dir when present (419 news articles,
~135k words), else the bundled ``samples/articles/``. The model is loaded before either clock
starts, the bare parse runs first and the full pipeline second on the same texts, and peak RSS
is the process maximum (``getrusage``), so it includes everything loaded before the run.
"""

from __future__ import annotations

import platform
import resource
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius import nlp
from polybius.evaluate.report import Table
from polybius.model import Article

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"


@dataclass
class Throughput:
    """One timed pass over the texts."""

    articles: int
    words: int
    seconds: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


@dataclass
class BenchReport:
    """Bare spaCy vs full pipeline on the same texts, and the process's peak memory."""

    corpus: str
    model: str
    batch_size: int
    bare: Throughput
    full: Throughput
    peak_rss_mb: float
    events: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Full-pipeline time over bare-parse time (how much the extractors add)."""
        return self.full.seconds / self.bare.seconds if self.bare.seconds else 0.0

    def render(self) -> str:
        """A plain-text table."""
        rows: list[list[Any]] = [
            [name, t.articles, t.words, round(t.seconds, 2), round(t.articles_per_s, 2),
             round(t.words_per_s)] for name, t in (("bare nlp.pipe", self.bare),
                                                   ("full pipeline", self.full))]
        table = Table(["pass", "articles", "words", "seconds", "articles/s", "words/s"], rows)
        lines = [f"corpus: {self.corpus}", f"model: {self.model} (batch {self.batch_size})",
                 table.render(),
                 f"full / bare time: {self.ratio:.2f}x   events: {self.events}   "
                 f"peak RSS: {self.peak_rss_mb:.0f} MB"]
        return "\n".join(lines + [f"note: {n}" for n in self.notes])

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict with the same figures."""
        def tp(t: Throughput) -> dict[str, float]:
            return {"articles": t.articles, "words": t.words, "seconds": round(t.seconds, 3),
                    "articles_per_s": round(t.articles_per_s, 3), "words_per_s": round(t.words_per_s, 1)}
        return {"corpus": self.corpus, "model": self.model, "batch_size": self.batch_size,
                "bare": tp(self.bare), "full": tp(self.full), "ratio": round(self.ratio, 3),
                "events": self.events, "peak_rss_mb": round(self.peak_rss_mb, 1),
                "python": sys.version.split()[0], "machine": platform.machine(),
                "notes": list(self.notes)}


def bench_articles(data_dir: Path | None, limit: int | None = None) -> tuple[str, list[Article]]:
    """(corpus description, articles): IndiaPoliceEvents docs if under ``data_dir``, else samples."""
    if data_dir is not None and (data_dir / "events/india_police_events/docs.jsonl").exists():
        from polybius.evaluate.india_police import load_gold
        docs = load_gold(data_dir, limit)
        return (f"IndiaPoliceEvents documents ({len(docs)})",
                [Article(text=d.text, published=d.published, url=d.url) for d in docs])
    from polybius.ingest import read_paths
    articles = list(read_paths([SAMPLES]))[:limit]
    return f"bundled samples/articles ({len(articles)})", articles


def _timed(run: Callable[[], Iterable[Any]]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    out = list(run())
    return time.perf_counter() - start, out


def run_bench(pipeline: Pipeline, data_dir: Path | None, *, limit: int | None = None) -> BenchReport:
    """Time a bare ``nlp.pipe`` and then ``pipeline.process_many`` over the same articles."""
    corpus, articles = bench_articles(data_dir, limit)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    model, batch = pipeline.config.model, pipeline.config.batch_size
    language = nlp.load(model)  # loaded here so neither clock includes the ~2 s load
    language("warm-up")
    bare_s, _ = _timed(lambda: language.pipe(texts, batch_size=batch))
    full_s, docs = _timed(lambda: pipeline.process_many(articles))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return BenchReport(
        corpus=corpus, model=model, batch_size=batch,
        bare=Throughput(len(texts), words, bare_s), full=Throughput(len(texts), words, full_s),
        peak_rss_mb=peak_kb / 1024, events=sum(len(d.events) for d in docs),
        notes=[f"measured {date.today().isoformat()}; bare = the loaded model incl. the actor "
               "EntityRuler, full = the same parse plus every extractor; words = whitespace tokens"])
