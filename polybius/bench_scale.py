"""``polybius bench scale``: Dask speed-up and overhead, WARC streaming memory, store write rates.

1. Extraction throughput on the same ≥1,000 articles (IndiaPoliceEvents documents repeated, or
   the bundled samples repeated): the plain in-process pipeline, then Dask with 1 and 2 workers.
   Overhead = Dask-1 time / plain time - 1; speed-up = Dask-1 time / Dask-2 time. Documents are
   counted, not stored, so the store does not weigh on these figures.
2. WARC streaming: synthetic archives of 1,000 and 10,000 HTML records are read end to end in a
   fresh process each; the figure is that process's peak RSS.
3. Store write rate: the documents from (1), given distinct ids, written in batches of 500 to a
   new SQLite file and (when ``POLYBIUS_TEST_PG`` names a server) to PostgreSQL, once as
   ``Store.add`` does by default and once without cross-article relinking (its share).
   ``polybius bench store`` measures this part alone. A repeated corpus is the worst case for
   relinking (every event has identical partners from every copy, so every neighbourhood is
   crowded); the same documents with each copy's dates moved a year on from the previous
   copy's (``SPREAD``: each event meets only the reports the corpus really has of it) give the
   rate for a stream without such duplicates.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from polybius.bench import bench_articles
from polybius.evaluate.report import Table
from polybius.ingest.items import SkipLog
from polybius.model import Article, Document, content_id

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

MIN_ARTICLES = 1000
STORE_BATCH = 500
NO_LINK = " without relinking"
SPREAD = ", copies a year apart"
T = TypeVar("T")


@dataclass
class Pass:
    """One timed extraction pass."""

    name: str
    articles: int
    seconds: float
    cpu: float = 0.0
    """CPU seconds of the extracting processes (this one, plus the Dask workers), which a busy
    machine disturbs less than the wall time."""

    @property
    def per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass
class ScaleReport:
    """Every figure of ``bench scale``."""

    corpus: str
    passes: list[Pass] = field(default_factory=list)
    warc_rss_mb: dict[int, float] = field(default_factory=dict)
    store_rates: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    """backend → (events, wall seconds, CPU seconds of the writing process)."""
    notes: list[str] = field(default_factory=list)

    def _time(self, name: str) -> float:
        return next((p.seconds for p in self.passes if p.name == name), 0.0)

    @property
    def overhead(self) -> float:
        """Dask with one worker against the plain pipeline (0.05 = 5% slower)."""
        plain, one = self._time("plain"), self._time("dask-1")
        return one / plain - 1 if plain and one else 0.0

    @property
    def cpu_overhead(self) -> float:
        """CPU seconds of Dask with one worker (client + worker) against the plain pipeline's."""
        plain = next((p.cpu for p in self.passes if p.name == "plain"), 0.0)
        one = next((p.cpu for p in self.passes if p.name == "dask-1"), 0.0)
        return one / plain - 1 if plain and one else 0.0

    @property
    def speedup(self) -> float:
        """Dask with two workers against Dask with one."""
        one, two = self._time("dask-1"), self._time("dask-2")
        return one / two if one and two else 0.0

    def relink_share(self, backend: str) -> float | None:
        """Share of the writer's CPU time spent relinking (with vs without), when both were measured."""
        with_link, without = self.store_rates.get(backend), self.store_rates.get(backend + NO_LINK)
        if not with_link or not without or not with_link[2]:
            return None
        return max(0.0, 1 - without[2] / with_link[2])

    def render(self) -> str:
        """Plain-text tables (those of the parts that were measured)."""
        lines = [f"corpus: {self.corpus}"]
        if self.passes:
            lines += [Table(["pass", "articles", "seconds", "articles/s", "CPU s"],
                            [[p.name, p.articles, round(p.seconds, 1), round(p.per_s, 2), round(p.cpu, 1)]
                             for p in self.passes]).render(),
                      f"Dask overhead (1 worker vs plain): {self.overhead:+.1%} wall, "
                      f"{self.cpu_overhead:+.1%} CPU   speed-up (2 vs 1 worker): {self.speedup:.2f}x"]
        if self.warc_rss_mb:
            lines.append(Table(["WARC records", "peak RSS MB"],
                               [[n, round(mb)] for n, mb in sorted(self.warc_rss_mb.items())]).render())
        lines.append(Table(["store", "events", "seconds", "events/s", "writer CPU s", "events/CPU-s"],
                           [[k, n, round(s, 2), round(n / s) if s else 0, round(c, 2), round(n / c) if c else 0]
                            for k, (n, s, c) in self.store_rates.items()]).render())
        for backend in ("sqlite", "postgresql"):
            share = self.relink_share(backend)
            if share is not None:
                lines.append(f"{backend}: relinking takes {share:.0%} of the writer's CPU time")
        return "\n".join(lines + [f"note: {n}" for n in self.notes])

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict with the same figures."""
        return {"corpus": self.corpus,
                "passes": [{"name": p.name, "articles": p.articles, "seconds": round(p.seconds, 2),
                            "articles_per_s": round(p.per_s, 3), "cpu_seconds": round(p.cpu, 2)}
                           for p in self.passes],
                "dask_overhead": round(self.overhead, 4), "dask_cpu_overhead": round(self.cpu_overhead, 4), "speedup_2_vs_1": round(self.speedup, 3),
                "warc_peak_rss_mb": {str(k): round(v, 1) for k, v in self.warc_rss_mb.items()},
                "store_events_per_s": {k: {"events": n, "seconds": round(s, 3),
                                           "events_per_s": round(n / s) if s else 0,
                                           "writer_cpu_seconds": round(c, 3)}
                                       for k, (n, s, c) in self.store_rates.items()},
                "relink_share_of_writer_cpu": {b: round(v, 3) for b in ("sqlite", "postgresql")
                                               if (v := self.relink_share(b)) is not None},
                "notes": list(self.notes)}


class _CountingSink:
    """Keeps the documents in memory instead of storing them (the store is measured apart)."""

    def __init__(self) -> None:
        self.docs: list[Document] = []
        self.added = self.duplicates = 0

    def known(self, ids: list[str]) -> set[str]:
        return set()

    def write(self, docs: list[Document]) -> None:
        self.docs += docs
        self.added += len(docs)

    def close(self) -> None:
        pass


def _repeat(articles: list[T], n: int) -> list[T]:
    """At least ``n`` articles: the corpus repeated (the same texts, so the same work each time)."""
    out = list(articles)
    while len(out) < n and articles:
        out += articles
    return out


def _timed_pass(name: str, articles: list[Article], executor: Any, size: int,
                worker_cpu: Callable[[], float] | None = None) -> tuple[Pass, list[Document]]:
    from polybius.scale import run

    sink = _CountingSink()
    cpu0 = _cpu_seconds() + (worker_cpu() if worker_cpu else 0.0)
    start = time.perf_counter()
    run(iter(articles), executor, sink, SkipLog(), partition_size=size)
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() + (worker_cpu() if worker_cpu else 0.0) - cpu0
    return Pass(name, len(sink.docs), seconds, cpu), sink.docs


def _cpu_seconds() -> float:
    """CPU seconds (user + system, every thread) of this process so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _dask_pass(name: str, workers: int, articles: list[Article], pipeline: Pipeline,
               size: int) -> tuple[Pass, list[Document]]:
    from distributed import Client

    from polybius.scale import DaskExecutor, local_cluster

    # the cluster `polybius ingest --workers N` makes, so its settings are measured too
    with local_cluster(workers) as cluster, Client(cluster) as client:
        # warm-up: every worker loads the model before the clock starts, as the plain pass did
        client.run(_warm, pipeline.config)
        return _timed_pass(name, articles, DaskExecutor(client, pipeline.config, None), size,
                           worker_cpu=lambda: sum(client.run(_cpu_seconds).values()))


def _warm(config: Any) -> None:
    from polybius.scale import _pipeline

    _pipeline(config).process(Article(text="Police arrested two men in Delhi on Monday."))


def run_scale_bench(pipeline: Pipeline, data_dir: Path | None, *, limit: int | None = None,
                    pg_url: str | None = None) -> ScaleReport:
    """All three measurements; ``limit`` caps the articles of the throughput passes."""
    import os

    from polybius.scale import LocalExecutor

    corpus, base = bench_articles(data_dir)
    articles = _repeat(base, MIN_ARTICLES)[:limit] if limit else _repeat(base, MIN_ARTICLES)
    report = ScaleReport(corpus=f"{corpus}, repeated to {len(articles)} articles")
    size = 16
    _warm(pipeline.config)
    plain, docs = _timed_pass("plain", articles, LocalExecutor(pipeline), size)
    report.passes.append(plain)
    for workers in (1, 2):
        report.passes.append(_dask_pass(f"dask-{workers}", workers, articles, pipeline, size)[0])
    for n in (1000, 10000):
        report.warc_rss_mb[n] = warc_peak_rss(n, base)
    measure_store(report, docs, pg_url, period=len(base))
    report.notes.append(f"measured {date.today().isoformat()} on {os.cpu_count()} cores, load average "
                        f"{os.getloadavg()[0]:.1f} at the end; partitions of {size} articles; store "
                        f"batches of {STORE_BATCH} documents")
    return report


# -- store write rate ------------------------------------------------------------------------------

def run_store_bench(pipeline: Pipeline, data_dir: Path | None, *, limit: int | None = None,
                    pg_url: str | None = None) -> ScaleReport:
    """Only the store write rates (``polybius bench store``): the corpus extracted once in this
    process, its documents repeated to at least 1,000 as the full benchmark's corpus is."""
    import os

    corpus, base = bench_articles(data_dir, limit)
    docs = _repeat(list(pipeline.process_many(base)), MIN_ARTICLES)
    report = ScaleReport(corpus=f"{corpus}, documents repeated to {len(docs)}")
    measure_store(report, docs, pg_url, period=len(base))
    report.notes.append(f"measured {date.today().isoformat()} on {os.cpu_count()} cores, load average "
                        f"{os.getloadavg()[0]:.1f} at the end; batches of {STORE_BATCH} documents")
    return report


def measure_store(report: ScaleReport, docs: list[Document], pg_url: str | None,
                  period: int | None = None) -> None:
    """Write rates of ``docs`` into new SQLite and (if configured) PostgreSQL stores, with and
    without relinking; with ``period`` (the length of the repeated corpus) also with relinking
    on the copies moved apart in time (``spread``)."""
    import os

    pg = pg_url or os.environ.get("POLYBIUS_TEST_PG")
    spread_docs = spread(docs, period) if period and period < len(docs) else None
    with tempfile.TemporaryDirectory() as tmp:
        for link in (True, False):
            report.store_rates["sqlite" + ("" if link else NO_LINK)] = store_rate(
                f"sqlite:///{tmp}/bench-{int(link)}.db", docs, link=link)
        if spread_docs:
            report.store_rates["sqlite" + SPREAD] = store_rate(f"sqlite:///{tmp}/bench-spread.db", spread_docs)
    if not pg:
        report.notes.append("PostgreSQL not measured: set POLYBIUS_TEST_PG (source .ci/postgres start)")
        return
    for link in (True, False):
        report.store_rates["postgresql" + ("" if link else NO_LINK)] = store_rate(
            pg, docs, fresh_postgres=True, link=link)
    if spread_docs:
        report.store_rates["postgresql" + SPREAD] = store_rate(pg, spread_docs, fresh_postgres=True)


def spread(docs: list[Document], period: int, days: int = 400) -> list[Document]:
    """The repeated corpus with the n-th copy's event dates moved ``n × days`` later, so that no
    copy of an event meets another (``period``: documents per copy)."""
    out = []
    for n, doc in enumerate(docs):
        shift = timedelta(days=days * (n // period))
        if not shift:
            out.append(doc)
            continue
        moved = [dataclasses.replace(ev, date=dataclasses.replace(
            ev.date, start=_later(ev.date.start, shift), end=_later(ev.date.end, shift)))
            for ev in doc.events]
        out.append(dataclasses.replace(doc, events=moved))
    return out


def _later(day: str | None, shift: timedelta) -> str | None:
    return (date.fromisoformat(day) + shift).isoformat() if day else day


def distinct(docs: list[Document]) -> list[Document]:
    """The documents with distinct article ids (a repeated corpus would otherwise be deduplicated)."""
    out = []
    for n, doc in enumerate(docs):
        article = dataclasses.replace(doc.article, id=content_id(f"{doc.article.text} #{n}"))
        out.append(dataclasses.replace(doc, article=article))
    return out


def store_rate(url: str, docs: list[Document], *, fresh_postgres: bool = False,
               link: bool = True) -> tuple[int, float, float]:
    """(events, wall seconds, writer CPU seconds) for writing ``docs`` in batches to a new store.

    ``link=False`` leaves out the incremental cross-article relinking, to tell its share.
    """
    from polybius.store import Store

    if fresh_postgres:
        empty_postgres(url)
    batch = distinct(docs)
    with Store(url) as store:
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(batch), STORE_BATCH):
            store.add(batch[i:i + STORE_BATCH], link=link)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return sum(len(d.events) for d in batch), seconds, cpu


def empty_postgres(url: str) -> None:
    """Drop every table of the PostgreSQL database at ``url`` (a scratch database only: the
    benchmark and the store tests start from an empty schema)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


# -- WARC streaming memory -----------------------------------------------------------------------

def write_synthetic_warc(path: Path, records: int, texts: Iterable[str]) -> None:
    """A gzipped WARC of ``records`` HTML responses built from ``texts`` (cycled)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pool = list(texts) or ["Police arrested two men on Monday."]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in range(records):
            body = pool[n % len(pool)]
            html = f"<html><body><article><p>{body}</p></article></body></html>".encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://bench.example/{n}", "response", payload=io.BytesIO(html), http_headers=http,
                warc_headers_dict={"WARC-Date": "2021-03-04T00:00:00Z"}))


# VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across fork+exec.
_READ_ALL = """
import json, sys
from pathlib import Path
from polybius.ingest.warc import read_warc
n = sum(len(p.html) > 0 for p in read_warc(Path(sys.argv[1]), on_skip=lambda s, r: None))
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"pages": n, "rss_kb": int(hwm.split()[1])}))
"""


def warc_peak_rss(records: int, articles: list[Article]) -> float:
    """Peak RSS (MB) of a fresh process that streams a synthetic archive of ``records`` records."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench-{records}.warc.gz"
        write_synthetic_warc(path, records, (a.text for a in articles))
        out = subprocess.run([sys.executable, "-c", _READ_ALL, str(path)], check=True,
                             capture_output=True, text=True, env=_child_env())
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["pages"] != records:
        raise RuntimeError(f"read {result['pages']} of {records} synthetic WARC records")
    return float(result["rss_kb"]) / 1024


def _child_env() -> dict[str, str]:
    import os

    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
