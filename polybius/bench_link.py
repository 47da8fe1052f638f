"""``polybius bench link``: clustering speed on synthetic events with a news-like distribution.

Synthetic, because no store of 100k real events ships with the project. Real events are drawn
with Zipf-like skew (a few types and countries dominate, as in GDELT/ACLED), each reported by 1 to
8 articles (most by one), reports jitter the date by a day and sometimes only give the month,
drop the city or name different actors. Measured: clustering all events at once (``clusters``),
peak memory, and adding new articles one at a time to a SQLite store holding all of them (what
``Store.add`` does: insert, relink the neighbourhood, commit).
"""

from __future__ import annotations

import random
import resource
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from polybius.link import LinkItem, clusters, date_window
from polybius.store.schema import articles, events

if TYPE_CHECKING:
    from polybius.store import Store

TYPES = ["ASSAULT", "PROTEST", "COERCE", "ACCUSE", "CONSULT", "THREATEN", "AGREE", "SANCTION",
         "SUPPORT", "REQUEST", "MOBILIZE", "REJECT", "CONCEDE", "RETREAT", "AID", "COOPERATE"]
ACTORS = [f"actor{i}" for i in range(400)]


@dataclass
class LinkBench:
    n_events: int
    n_true_events: int
    n_clusters: int
    cluster_seconds: float
    peak_mb: float
    incremental_ms: float
    """Median time to add one article to the stored ``n_events`` (insert + relink + commit)."""
    incremental_p95_ms: float
    incremental_max_ms: float
    incremental_cpu_ms: float
    """Median CPU time of this process per added article (what a shared machine cannot inflate)."""
    incremental_cpu_p95_ms: float
    n_additions: int
    incremental_exact: bool
    """Whether the store's clusters after the additions equal clustering everything at once."""
    mixed_clusters: int
    """Clusters holding reports of two or more synthetic real events."""
    split_events: int
    """Synthetic real events whose reports ended in two or more clusters."""

    def to_json(self) -> dict[str, Any]:
        """The figures as a JSON object (``polybius bench link --format json``)."""
        return asdict(self)

    def render(self) -> str:
        """The figures against their targets, for the terminal."""
        return (f"link bench: {self.n_events} synthetic event reports of {self.n_true_events} "
                f"real events -> {self.n_clusters} clusters ({self.mixed_clusters} mix real "
                f"events, {self.split_events} real events split)\n"
                f"  cluster all:        {self.cluster_seconds:.1f} s (target <= 60 s)\n"
                f"  peak memory (RSS):  {self.peak_mb:.0f} MB (target <= 2048 MB)\n"
                f"  add one article:    {self.incremental_ms:.1f} ms median, "
                f"{self.incremental_p95_ms:.1f} ms p95, {self.incremental_max_ms:.1f} ms max over "
                f"{self.n_additions} articles added to the SQLite store (target <= 50 ms)\n"
                f"                      CPU time {self.incremental_cpu_ms:.1f} ms median, "
                f"{self.incremental_cpu_p95_ms:.1f} ms p95\n"
                f"  same clusters as a full recompute: {'yes' if self.incremental_exact else 'NO'}")


def _zipf(rnd: random.Random, n: int) -> int:
    return min(n - 1, int(rnd.paretovariate(1.1)) - 1)


def synthetic(n: int, seed: int = 7) -> tuple[list[LinkItem], int]:
    """``n`` event reports and the number of real events behind them."""
    rnd = random.Random(seed)
    items: list[LinkItem] = []
    real = 0
    start = date(2024, 1, 1)
    while len(items) < n:
        real += 1
        type_ = TYPES[_zipf(rnd, len(TYPES))]
        country = f"C{_zipf(rnd, 150):03d}"
        city = rnd.randrange(40)
        day = start + timedelta(days=rnd.randrange(365))
        names = {ACTORS[_zipf(rnd, len(ACTORS))] for _ in range(rnd.randint(0, 2))}
        for r in range(min(8, int(rnd.paretovariate(1.6)))):
            if len(items) >= n:
                break
            d = day + timedelta(days=rnd.choice((0, 0, 0, 1)))
            precision = "month" if rnd.random() < 0.1 else "day"
            located = rnd.random() < 0.8
            reported = {x for x in sorted(names) if rnd.random() < 0.8}
            items.append(LinkItem(
                key=f"a{real}-{r}/e1", article_id=f"a{real}-{r}", type=type_,
                window=date_window(d, None, precision), country=country,
                resolution="city" if located else "country",
                geonameid=city if located else None, place_name=f"city{city}" if located else None,
                names=frozenset(reported)))
    return items, real


def _store_with(items: list[LinkItem], assigned: dict[str, str], url: str) -> Store:
    """A store holding ``items`` as event rows with their cluster ids (minimal article rows)."""
    from polybius.store import Store

    store = Store(url)
    now = datetime.now(timezone.utc)
    with store._write() as conn:
        arts = sorted({it.article_id for it in items})
        for i in range(0, len(arts), 5000):
            conn.execute(articles.insert(), [
                {"id": a, "language": "en", "text": "", "removed": [], "ingested_at": now,
                 "document": {}} for a in arts[i:i + 5000]])
        for i in range(0, len(items), 5000):
            conn.execute(events.insert(), [_event_row(it, assigned.get(it.key))
                                           for it in items[i:i + 5000]])
    return store


def _event_row(it: LinkItem, cid: str | None) -> dict[str, Any]:
    names = sorted(it.names)
    return {"article_id": it.article_id, "event_id": it.key.rsplit("/", 1)[1], "type": it.type,
            "date_start": it.window[0] if it.window else None,
            "date_end": it.window[1] if it.window else None,
            "window_start": it.window[0] if it.window else None,
            "window_end": it.window[1] if it.window else None,
            "precision": "day", "basis": "explicit", "country": it.country,
            "place_name": it.place_name, "geonameid": it.geonameid, "resolution": it.resolution,
            "factuality": "asserted", "actor_names": names, "recipient_names": [],
            "names_folded": "\n".join(names), "cluster_id": cid, "event": {}}


def _time_additions(store: Store, new: list[LinkItem]) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds to insert each new article's events and relink around them, one
    transaction each."""
    from polybius.store.db import _relink_around

    by_article: dict[str, list[LinkItem]] = {}
    for it in new:
        by_article.setdefault(it.article_id, []).append(it)
    now = datetime.now(timezone.utc)
    times = []
    for article, evs in by_article.items():
        t0, c0 = time.perf_counter(), time.process_time()
        with store._write() as conn:
            conn.execute(articles.insert(), [{"id": article, "language": "en", "text": "",
                                              "removed": [], "ingested_at": now, "document": {}}])
            conn.execute(events.insert(), [_event_row(it, None) for it in evs])
            _relink_around(conn, [(article, it.key.rsplit("/", 1)[1]) for it in evs])
        times.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    return times


def run_link_bench(n: int = 100_000, additions: int = 200, db_dir: str | None = None) -> LinkBench:
    """Cluster ``n`` synthetic reports, store them, then time adding ``additions`` new articles.

    The new articles are further reports drawn by the same generator (seed 11), so they land in
    busy neighbourhoods as real follow-up coverage does. Each is added like ``Store.add`` does:
    insert its events, relink around them, commit.
    """
    items, real = synthetic(n)
    t0 = time.perf_counter()
    assigned = clusters(items)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra, _ = synthetic(additions, seed=11)
    new = [replace(it, key="new-" + it.key, article_id="new-" + it.article_id) for it in extra]
    with tempfile.TemporaryDirectory(dir=db_dir) as tmp:
        store = _store_with(items, assigned, f"sqlite:///{tmp}/link-bench.db")
        try:
            measured = _time_additions(store, new)
            with store._read() as conn:
                stored = dict(conn.execute(select(
                    events.c.article_id + "/" + events.c.event_id, events.c.cluster_id)).tuples().all())
        finally:
            store.close()
    full = clusters([*items, *new])
    members: dict[str, set[str]] = {}
    spread: dict[str, set[str]] = {}
    for key, cid in assigned.items():
        origin = key.split("-")[0]  # synthetic article ids are "a<real event>-<report>"
        members.setdefault(cid, set()).add(origin)
        spread.setdefault(origin, set()).add(cid)
    wall = sorted(w for w, _ in measured)
    cpu = sorted(c for _, c in measured)
    p95 = int(0.95 * (len(wall) - 1))
    return LinkBench(len(items), real, len(members), seconds, peak,
                     statistics.median(wall), wall[p95], wall[-1], statistics.median(cpu), cpu[p95],
                     len(wall), stored == full,
                     sum(1 for m in members.values() if len(m) > 1),
                     sum(1 for c in spread.values() if len(c) > 1))
