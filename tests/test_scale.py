"""Scale-out: sources to partitions, one writer, Parquet parts, Dask workers, resumable runs."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from polybius.ingest.items import RawPage, SkipLog
from polybius.model import Article
from polybius.nlp import FAST_MODEL
from polybius.pipeline import Config
from polybius.scale import (
    LocalExecutor,
    ParquetSink,
    StoreSink,
    iter_items,
    partitions,
    read_parquet,
    run,
)
from polybius.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"
WARC = Path(__file__).parent / "fixtures" / "warc" / "sample.warc.gz"
CONFIG = Config(model=FAST_MODEL, batch_size=4)  # the small model: these tests are about the runner


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Six plain-text sample articles and the WARC fixture (three more articles)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(SAMPLES.glob("*.txt"))[:6]:
        shutil.copy(path, folder / path.name)
    shutil.copy(WARC, folder / WARC.name)
    return folder


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without surrogate keys and ingest times, in a fixed order."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for table, drop in (("articles", {"ingested_at"}), ("events", {"pk"}), ("actors", {"pk"}),
                            ("places", {"pk"})):
            cols = [r[1] for r in con.execute(f"pragma table_info({table})") if r[1] not in drop]
            out[table] = sorted(con.execute(f"select {', '.join(cols)} from {table}").fetchall(),
                                key=repr)
        return out
    finally:
        con.close()


def ingest_here(sources: list[str], db: Path, skips: SkipLog | None = None) -> Any:
    skips = skips or SkipLog()
    items = iter_items(sources, skips)
    sink = StoreSink(f"sqlite:///{db}", batch=2)
    return run(items, LocalExecutor(CONFIG, sink.known), sink, skips, partition_size=3)


def test_sources_mix_files_archives_and_refused_urls(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_text("")
    skips = SkipLog()
    items = list(iter_items([str(corpus), "https://news.example/a", str(tmp_path / "missing.txt")], skips))
    assert sum(isinstance(i, Article) for i in items) == 6
    assert [i.url for i in items if isinstance(i, RawPage)][0] == "https://harbour.example/2021/03/04/dock-strike"
    reasons = {s.source.rsplit("/", 1)[-1]: s.reason for s in skips.items}
    assert reasons["empty.txt"] == "file is empty"
    assert reasons["a"] == "URL given but network fetching is off (use --network)"
    assert reasons["missing.txt"] == "no such file or directory"
    assert "HTTP 404" in skips.render()


def test_partitions_cover_every_item_in_order() -> None:
    assert list(partitions(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]  # type: ignore[arg-type]


def test_run_stores_every_article_and_a_rerun_adds_nothing(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    first = ingest_here([str(corpus)], db)
    assert (first.written, first.already) == (9, 0)
    assert [s.reason.split(":")[0] for s in first.skips.items] == ["HTTP 404 response, not an article",
                                                                   "no article text"]
    before = dump(db)
    second = ingest_here([str(corpus)], db)
    assert (second.written, second.already, second.events) == (0, 9, 0)  # nothing re-extracted
    assert dump(db) == before


def test_a_run_leaves_the_query_planner_statistics(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    ingest_here([str(corpus)], db)
    con = sqlite3.connect(db)
    try:
        assert con.execute("select count(*) from sqlite_stat1 where tbl = 'events'").fetchone()[0] > 0
    finally:
        con.close()


def test_parquet_parts_load_into_the_same_store_as_a_direct_run(corpus: Path, tmp_path: Path) -> None:
    direct = tmp_path / "direct.db"
    ingest_here([str(corpus)], direct)
    parts = tmp_path / "parts"
    skips = SkipLog()
    report = run(iter_items([str(corpus)], skips), LocalExecutor(CONFIG), ParquetSink(parts, batch=4),
                 skips, partition_size=3)
    assert report.written == 9 and len(list(parts.glob("part-*.parquet"))) == 3
    loaded = tmp_path / "loaded.db"
    with Store(f"sqlite:///{loaded}") as store:
        assert store.add(read_parquet(parts, SkipLog())).added == 9
    assert dump(loaded) == dump(direct)


def test_rerun_into_parquet_writes_no_part_twice(corpus: Path, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    for _ in range(2):
        skips = SkipLog()
        run(iter_items([str(corpus)], skips), LocalExecutor(CONFIG), ParquetSink(parts, batch=4),
            skips, partition_size=3)
    with Store("sqlite://") as store:
        assert store.add(read_parquet(parts, SkipLog())).added == 9
    assert sum(1 for _ in read_parquet(parts, SkipLog())) == 9


def test_damaged_parquet_part_is_skipped_with_its_name(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-broken.parquet").write_bytes(b"PAR1 not really")
    skips = SkipLog()
    assert list(read_parquet(parts, skips)) == []
    assert skips.items[0].source.endswith("part-broken.parquet")


def test_dask_workers_give_the_same_store_and_load_the_model_once_each(corpus: Path,
                                                                      tmp_path: Path) -> None:
    """Also: the workers run with the cluster settings of ``CLUSTER_CONFIG`` (no malloc trim
    threshold, no sampling profiler, slower diagnostics)."""
    from distributed import Client

    from polybius.scale import DaskExecutor, local_cluster

    plain = tmp_path / "plain.db"
    ingest_here([str(corpus)], plain)
    db = tmp_path / "dask.db"
    url = f"sqlite:///{db}"
    with local_cluster(2) as cluster, \
            Client(cluster) as client:
        skips = SkipLog()
        report = run(iter_items([str(corpus)], skips), DaskExecutor(client, CONFIG, url),
                     StoreSink(url, batch=2), skips, partition_size=2)
        loads = client.run(_model_loads)
        settings = client.run(_worker_settings)
        tick = client.run_on_scheduler(_tick_interval)
    assert report.written == 9
    assert dump(db) == dump(plain)
    assert sorted(loads.values()) in ([0, 1], [1, 1])  # never twice in one worker
    assert sum(loads.values()) >= 1
    # the nanny added no trim threshold of its own (the one of this process, if any, is inherited)
    assert set(settings.values()) == {(os.environ.get("MALLOC_TRIM_THRESHOLD_"), False, "1s")}
    assert tick == 0.1


def _worker_settings() -> tuple[str | None, bool, str]:
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.worker.memory.monitor-interval"))


def _tick_interval(dask_scheduler: Any) -> float:
    return float(dask_scheduler._tick_interval)


def _model_loads() -> int:
    from polybius import nlp

    return nlp.load.cache_info().misses


def test_run_killed_at_a_random_point_then_resumed_equals_an_uninterrupted_run(corpus: Path,
                                                                              tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLYBIUS_MODEL": FAST_MODEL,
           "POLYBIUS_WRITE_BATCH": "1", "POLYBIUS_PARTITION_SIZE": "1"}
    cmd = [sys.executable, "-m", "polybius.cli", "ingest", str(corpus)]
    whole = tmp_path / "whole.db"
    subprocess.run([*cmd, "--db", f"sqlite:///{whole}"], env=env, check=True, capture_output=True)
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen([*cmd, "--db", f"sqlite:///{killed}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    target = random.Random().randint(1, 8)  # kill after this many committed articles
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if killed.exists() and _articles(killed) >= target:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    interrupted = _articles(killed)
    subprocess.run([*cmd, "--db", f"sqlite:///{killed}"], env=env, check=True, capture_output=True)
    assert 0 < interrupted and dump(killed) == dump(whole), f"killed after {interrupted} articles"


def _articles(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(con.execute("select count(*) from articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_unreachable_scheduler_is_a_clear_error_naming_it() -> None:
    from polybius.errors import PolybiusError
    from polybius.scale import dask_client

    with pytest.raises(PolybiusError, match="tcp://127.0.0.1:9"):
        dask_client(None, "tcp://127.0.0.1:9", timeout=1)


# -- one ingest path: Store.ingest and the CLI run the same scale.ingest ---------------------------

def test_store_ingest_is_the_same_run_with_its_skips_and_progress(corpus: Path, tmp_path: Path) -> None:
    from polybius.pipeline import Pipeline

    direct = tmp_path / "direct.db"
    ingest_here([str(corpus)], direct)
    seen: list[tuple[int, int | None]] = []
    db = tmp_path / "api.db"
    with Store(f"sqlite:///{db}") as store:
        result = store.ingest([corpus, tmp_path / "nope.txt"], pipeline=Pipeline(CONFIG),
                              on_progress=lambda done, total: seen.append((done, total)))
    assert (result.added, result.skipped, len(result.ids)) == (9, 0, 9)
    assert sorted(m.split(": ", 1)[1].split(":")[0] for m in result.failed) == [
        "HTTP 404 response, not an article", "no article text", "no such file or directory"]
    assert dump(db) == dump(direct)
    # 9 articles and a page without article text (the 404 record is left out while reading)
    assert seen[0] == (0, None) and seen[-1] == (10, 10)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cli_exit_status_is_1_when_a_named_input_fails_but_the_rest_are_stored(corpus: Path,
                                                                                tmp_path: Path) -> None:
    from click.testing import CliRunner

    from polybius.cli import main

    db = tmp_path / "cli.db"
    result = CliRunner().invoke(main, ["ingest", str(corpus), str(tmp_path / "gone.txt"),
                                       "--db", f"sqlite:///{db}"],
                                env={"POLYBIUS_MODEL": FAST_MODEL}, catch_exceptions=False)
    assert result.exit_code == 1
    assert "gone.txt: no such file or directory" in result.output
    assert "9 articles added" in result.output and "3 inputs skipped" in result.output
    with Store(f"sqlite:///{db}") as store:
        assert store.count_articles() == 9
