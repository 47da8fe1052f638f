"""Running the one Pipeline over many articles: in this process, or on Dask workers.

This is the one way articles go from sources to the store: ``ingest`` below serves
``polybius ingest`` (with or without ``--workers``/``--scheduler``/``--out``) and ``Store.ingest``.
Sources (files, web archives, URLs) are read lazily into partitions of a few dozen items; each
partition is extracted by ``extract_partition`` (here, or as a Dask task on a LocalCluster or an
existing scheduler), and the documents come back to ONE writer that stores them in batches (one
transaction each) or writes them as Parquet parts. At most two partitions per worker are in
flight, so memory does not grow with the size of the input.

Resumable: every batch is committed on its own, and work already stored is recognised by the
article's content hash and skipped (before the NLP, not after), so a run killed at any point and
started again ends with the same store as a run that was never interrupted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from polybius.errors import InputError, PolybiusError
from polybius.ingest.items import Item, RawPage, SkipLog, Skipped, to_article
from polybius.model import Article, Document
from polybius.pipeline import Config, Pipeline

if TYPE_CHECKING:
    from polybius.store import Store

log = logging.getLogger(__name__)

PARQUET_SCHEME = "parquet://"
KnownIds = Callable[[list[str]], set[str]]
"""Which of these article ids are already written (by the store or the Parquet folder)."""


# -- reading sources -----------------------------------------------------------------------------

def iter_items(sources: Iterable[str], skips: SkipLog, *, published: date | None = None,
               fetch: Callable[[str], Article] | None = None,
               max_record_bytes: int | None = None) -> Iterator[Item]:
    """Articles and raw pages from files, directories, web archives and (with ``fetch``) URLs.

    Every unusable input is recorded in ``skips`` with its source, and reading goes on.
    """
    from polybius.ingest import read_file
    from polybius.ingest.warc import MAX_RECORD_BYTES, is_warc, read_warc

    for source in sources:
        if source.startswith(("http://", "https://")):
            if fetch is None:
                skips.add(source, "URL given but network fetching is off (use --network)", whole=True)
                continue
            try:
                yield fetch(source)
            except InputError as err:
                skips.add_error(err, whole=True)
            continue
        try:
            files = _files(Path(source))
        except InputError as err:
            skips.add_error(err, whole=True)
            continue
        for path in files:
            if is_warc(path):
                yield from read_warc(path, on_skip=skips.add,
                                     max_record_bytes=max_record_bytes or MAX_RECORD_BYTES)
                continue
            try:
                yield from read_file(path, published=published)
            except InputError as err:
                skips.add_error(err, whole=True)


def _files(path: Path) -> list[Path]:
    """The readable files and web archives under ``path``, in sorted order."""
    from polybius.ingest import iter_files
    from polybius.ingest.warc import is_warc

    files = set(iter_files([path]))
    if path.is_dir():
        files |= {p for p in path.rglob("*") if p.is_file() and is_warc(p)}
    return sorted(files)


def partitions(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the task --------------------------------------------------------------------------------------

@dataclass
class PartitionResult:
    """What one partition gave: new documents, inputs skipped, and how many were already stored."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    already: int = 0
    ids: list[str] = field(default_factory=list)
    """Content ids of the partition's articles, in item order (new, repeated and already stored)."""

    @property
    def done(self) -> int:
        """Items of the partition accounted for: extracted, skipped or already stored."""
        return len(self.documents) + len(self.skipped) + self.already


_PIPELINES: dict[Config, Pipeline] = {}
_KNOWN: dict[str, Any] = {}


def _pipeline(config: Config) -> Pipeline:
    """The process's Pipeline for ``config``: built once per worker, so the model loads once."""
    if config not in _PIPELINES:
        _PIPELINES[config] = Pipeline(config)
    return _PIPELINES[config]


def _known_ids(store_url: str, ids: list[str]) -> set[str]:
    """Ids already in the store, asked from the worker (one store handle per worker process)."""
    if not ids:
        return set()
    from polybius.store import Store

    if store_url not in _KNOWN:
        _KNOWN[store_url] = Store(store_url)
    return set(_KNOWN[store_url].known_ids(ids))


def extract_partition(items: list[Item], pipeline: Pipeline | Config,
                      known: KnownIds | None = None) -> PartitionResult:
    """Extract one partition: raw pages to articles, stored ones dropped, the rest through the Pipeline.

    ``pipeline`` is the Pipeline itself, or its Config (a Dask task gets the worker's Pipeline,
    built once); ``known`` tells which raw pages' articles are already written.
    """
    result = PartitionResult()
    articles: dict[str, Article] = {}
    for item in items:
        try:
            article = to_article(item)
        except InputError as err:
            result.skipped.append(Skipped(err.source, err.problem))
            continue
        result.ids.append(article.id)
        if article.id in articles:
            result.already += 1
        else:
            articles[article.id] = article
    # articles read from files were checked before the task; raw pages only now have an id
    pages = any(isinstance(i, RawPage) for i in items)
    stored = known(list(articles)) if known is not None and pages else set()
    result.already += len(stored)
    fresh = [a for aid, a in articles.items() if aid not in stored]
    runner = pipeline if isinstance(pipeline, Pipeline) else _pipeline(pipeline)
    result.documents = list(runner.process_many(fresh))
    return result


# -- writers ---------------------------------------------------------------------------------------

class Sink(Protocol):
    """Where the single writer puts documents."""

    added: int
    duplicates: int

    def known(self, ids: list[str]) -> set[str]: ...
    def write(self, docs: list[Document]) -> None: ...
    def close(self) -> None: ...


class StoreSink:
    """Writes to the store in batches of ``batch`` documents, one transaction each.

    ``store`` is an open Store (left open by ``close``) or a database URL (opened and closed here).
    """

    def __init__(self, store: Store | str, batch: int = 64) -> None:
        from polybius.store import Store

        self._owned = isinstance(store, str)
        self.store = Store(store) if isinstance(store, str) else store
        self.url, self.batch = self.store.url, batch
        self._buffer: list[Document] = []
        self.added = self.duplicates = 0

    def known(self, ids: list[str]) -> set[str]:
        return self.store.known_ids(ids)

    def write(self, docs: list[Document]) -> None:
        self._buffer += docs
        while len(self._buffer) >= self.batch:
            self._flush(self.batch)

    def _flush(self, n: int) -> None:
        batch, self._buffer = self._buffer[:n], self._buffer[n:]
        result = self.store.add(batch)
        self.added += result.added
        self.duplicates += result.skipped

    def close(self) -> None:
        try:
            if self._buffer:
                self._flush(len(self._buffer))
            self.store.refresh_canonical()  # the clusters this run changed, for the API
            self.store.analyze()
        finally:
            if self._owned:
                self.store.close()


class ParquetSink:
    """Writes each batch as one Parquet part (``part-<hash of its ids>.parquet``) under a folder."""

    def __init__(self, out_dir: Path, batch: int = 64) -> None:
        self.dir, self.batch = out_dir, batch
        self.dir.mkdir(parents=True, exist_ok=True)
        self._ids = set(parquet_ids(out_dir))
        self._buffer: list[Document] = []
        self.added = self.duplicates = 0

    def known(self, ids: list[str]) -> set[str]:
        return self._ids.intersection(ids)

    def write(self, docs: list[Document]) -> None:
        fresh = [d for d in docs if d.article.id not in self._ids]
        self.duplicates += len(docs) - len(fresh)
        self._ids.update(d.article.id for d in fresh)
        self._buffer += fresh
        while len(self._buffer) >= self.batch:
            self._flush(self.batch)

    def _flush(self, n: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        batch, self._buffer = self._buffer[:n], self._buffer[n:]
        ids = sorted(d.article.id for d in batch)
        name = "part-" + hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16] + ".parquet"
        table = pa.table({
            "id": [d.article.id for d in batch],
            "url": [d.article.url for d in batch],
            "published": [d.article.published.isoformat() if d.article.published else None for d in batch],
            "events": [len(d.events) for d in batch],
            "document": [json.dumps(d.to_json(), ensure_ascii=False) for d in batch]})
        tmp = self.dir / (name + ".tmp")
        pq.write_table(table, tmp)
        tmp.replace(self.dir / name)  # a part is either whole or absent, even after a kill
        self.added += len(batch)

    def close(self) -> None:
        if self._buffer:
            self._flush(len(self._buffer))


def parquet_ids(out_dir: Path) -> Iterator[str]:
    """Article ids in the Parquet parts of a folder."""
    import pyarrow.parquet as pq

    for part in sorted(out_dir.glob("part-*.parquet")):
        yield from pq.read_table(part, columns=["id"]).column("id").to_pylist()


def read_parquet(out_dir: Path, skips: SkipLog) -> Iterator[Document]:
    """Documents from the Parquet parts of a folder, part by part; unreadable parts are skipped."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted(out_dir.glob("part-*.parquet"))
    if not parts:
        raise InputError(str(out_dir), "no part-*.parquet files (write them with "
                                       "polybius ingest … --out parquet://DIR)")
    for part in parts:
        try:
            for batch in pq.ParquetFile(part).iter_batches(columns=["document"], batch_size=256):
                for text in batch.column(0).to_pylist():
                    yield Document.from_json(json.loads(text))
        except (pa.ArrowException, OSError, ValueError, KeyError) as err:
            skips.add(str(part), f"unreadable Parquet part ({err})")


def open_sink(out: str | None, db_url: str, batch: int) -> StoreSink | ParquetSink:
    """``parquet://DIR`` → Parquet parts, otherwise the store at ``db_url``."""
    if out is None:
        return StoreSink(db_url, batch)
    if not out.startswith(PARQUET_SCHEME) or not out[len(PARQUET_SCHEME):]:
        raise PolybiusError(f"--out {out!r}: expected parquet://DIR")
    return ParquetSink(Path(out[len(PARQUET_SCHEME):]), batch)


# -- running -----------------------------------------------------------------------------------------

Progress = Callable[[int, "int | None"], None]
"""``on_progress(done, total)``: items accounted for so far, and of how many (None while reading)."""


@dataclass
class RunReport:
    """Counts of one run, for the summary line."""

    items: int = 0
    written: int = 0
    already: int = 0
    events: int = 0
    seconds: float = 0.0
    skips: SkipLog = field(default_factory=SkipLog)
    ids: list[str] = field(default_factory=list)
    """Content ids of every article read (written, repeated or already stored), partition by partition."""

    @property
    def failed_inputs(self) -> list[Skipped]:
        """Inputs that could not be used at all (a file, folder or URL), not records inside one."""
        return [s for s in self.skips.items if s.whole]

    def render(self) -> str:
        """The summary: counts, then what was skipped and why."""
        return (f"{self.written} articles added ({self.events} events), {self.already} already stored, "
                f"{len(self.skips.items)} inputs skipped in {self.seconds:.1f} s\n{self.skips.render()}")


class Executor(Protocol):
    """Runs partitions: in this process or on Dask."""

    def map_unordered(self, parts: Iterable[list[Item]]) -> Iterator[PartitionResult]: ...


class LocalExecutor:
    """Extracts partitions one after the other in this process (no Dask).

    ``pipeline`` is a Pipeline or a Config (this process's Pipeline for it is built once);
    ``known`` is usually the sink's ``known``, so raw pages already written are not extracted again.
    """

    def __init__(self, pipeline: Pipeline | Config, known: KnownIds | None = None) -> None:
        self.pipeline, self.known = pipeline, known

    def map_unordered(self, parts: Iterable[list[Item]]) -> Iterator[PartitionResult]:
        for part in parts:
            yield extract_partition(part, self.pipeline, self.known)


class DaskExecutor:
    """Extracts partitions as Dask tasks, keeping at most ``2 × workers`` in flight.

    Workers ask the store at ``store_url`` (each through its own handle) which raw pages are done.
    """

    def __init__(self, client: Any, config: Config, store_url: str | None) -> None:
        self.client, self.config = client, config
        self.known = partial(_known_ids, store_url) if store_url else None

    def map_unordered(self, parts: Iterable[list[Item]]) -> Iterator[PartitionResult]:
        from distributed import as_completed

        limit = 2 * max(1, len(self.client.nthreads()))
        parts = iter(parts)
        pending = as_completed()
        for part in parts:
            pending.add(self._submit(part))
            if pending.count() >= limit:
                break
        for future in pending:
            yield future.result()
            future.release()
            nxt = next(parts, None)
            if nxt is not None:
                pending.add(self._submit(nxt))

    def _submit(self, part: list[Item]) -> Any:
        return self.client.submit(extract_partition, part, self.config, self.known, pure=False)


def run(items: Iterable[Item], executor: Executor, sink: Sink, skips: SkipLog, *,
        partition_size: int = 32, on_progress: Progress | None = None) -> RunReport:
    """Extract every item through ``executor`` and write the documents through ``sink``."""
    report = RunReport(skips=skips)
    started = time.perf_counter()
    sent = done = 0
    reading = True

    def fresh_parts() -> Iterator[list[Item]]:
        nonlocal sent, reading
        # Articles read from files know their id already: drop stored ones before any NLP.
        for part in partitions(items, partition_size):
            report.items += len(part)
            ids = [i.id for i in part if isinstance(i, Article)]
            known = sink.known(ids) if ids else set()
            report.ids += [i for i in ids if i in known]
            report.already += sum(1 for i in ids if i in known)
            keep = [i for i in part if not (isinstance(i, Article) and i.id in known)]
            if keep:
                sent += len(keep)
                yield keep
        reading = False

    try:
        if on_progress:
            on_progress(0, None)
        for result in executor.map_unordered(fresh_parts()):
            for s in result.skipped:
                skips.add(s.source, s.reason)
            report.already += result.already
            report.ids += result.ids
            sink.write(result.documents)
            report.events += sum(len(d.events) for d in result.documents)
            done += result.done
            if on_progress:
                on_progress(done, None if reading else sent)
        if on_progress:  # the last partition can come back before reading is seen to end
            on_progress(done, sent)
    finally:
        sink.close()
    report.written = sink.added
    report.already += sink.duplicates
    report.seconds = time.perf_counter() - started
    return report


def ingest(sources: Iterable[str | Path], executor: Executor, sink: Sink, *,
           published: date | None = None, fetch: Callable[[str], Article] | None = None,
           partition_size: int = 32, max_record_bytes: int | None = None,
           on_progress: Progress | None = None) -> RunReport:
    """Read ``sources`` (files, folders, web archives, and URLs with ``fetch``), extract, write.

    The one ingest path: ``polybius ingest`` and ``Store.ingest`` both come here. Unusable
    inputs are logged, skipped and summarised in the report's ``skips``; articles already
    written are skipped before extraction, so an interrupted run, run again, resumes.
    """
    skips = SkipLog()
    items = iter_items([str(s) for s in sources], skips, published=published, fetch=fetch,
                       max_record_bytes=max_record_bytes)
    return run(items, executor, sink, skips, partition_size=partition_size, on_progress=on_progress)


def dask_client(workers: int | None, scheduler: str | None, *, timeout: float = 10.0) -> Any:
    """A Dask client: to ``scheduler`` when given, else to a new LocalCluster of ``workers`` processes."""
    try:
        from distributed import Client
    except ImportError as err:  # pragma: no cover - dask is a declared dependency
        raise PolybiusError(f"Dask is not installed ({err}); run make install") from err
    if scheduler:
        try:
            return Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as err:
            raise PolybiusError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
    return Client(local_cluster(workers or 1))


# Settings of the LocalCluster (why: measured as CPU seconds of the worker process and of this
# process, 60-100 articles extracted plainly and on one worker, interleaved, fresh processes):
# - Dask's nanny exports MALLOC_TRIM_THRESHOLD_=65536 to its workers so they hand freed memory
#   back to the OS. Setting it at all makes glibc stop raising its mmap threshold, so every
#   numpy array above 128 kB that spaCy allocates is a fresh mmap, zero-filled page by page and
#   unmapped again: 8x the page faults, 4x the system time and +15-20 % CPU for the same work
#   (the plain process given that variable pays the same). Unset (None drops a default), worker
#   and plain process spend the same CPU; the price is a worker RSS that does not shrink
#   between tasks, which a worker holding one model does not need. The BLAS thread caps stay:
#   one worker thread per core should not start BLAS threads of its own.
# - The worker's sampling profiler runs on its event loop every 10 ms (half of that loop's CPU,
#   ~3 % of the worker's); with no dashboard nobody reads the profiles.
# - Diagnostics polled several times a second (memory every 100 ms, system monitor every
#   500 ms, the event-loop watchdog every 20 ms, the cluster's repr every 500 ms) cost this
#   process's event loop, which runs the scheduler and the nannies, ~4 % of a core; at these
#   intervals they cost under half of that and still catch a runaway worker within a second.
# An existing cluster (--scheduler) keeps its own settings: see docs/SCALE.md.
CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ": {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": 1,
                                            "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "100ms",
    "distributed.deploy.cluster-repr-interval": "2s",
}


def local_cluster(workers: int) -> Any:
    """A LocalCluster of ``workers`` single-threaded processes, with no dashboard, set up for
    extraction (``CLUSTER_CONFIG``)."""
    import dask
    from distributed import LocalCluster

    # The scheduler and the nannies read the config when they are made, inside the constructor,
    # and a nanny hands its copy to its worker process (also when it restarts one).
    with dask.config.set(CLUSTER_CONFIG):
        # The scheduler's own HTTP server goes on a free port: the default 8787 may be taken
        # (another cluster, another user), which Dask reports only as a warning.
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                            silence_logs=logging.ERROR)
