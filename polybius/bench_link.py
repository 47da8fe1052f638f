"""``polybius bench link``: clustering speed on synthetic events with a news-like distribution.

Synthetic, because no store of 100k real events ships with the project. Real events are drawn
with Zipf-like skew (a few types and countries dominate, as in GDELT/ACLED), each reported by 1 to
8 articles (most by one), reports jitter the date by a day and sometimes only give the month,
drop the city or name different actors. Measured: clustering all events at once (``clusters``),
peak memory, and re-clustering the group a newly ingested article can reach (what the store does
on ``add``).
"""

from __future__ import annotations

import random
import resource
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from polybius.link import LinkItem, clusters, date_window, pair_score

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
    incremental_group: int
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
                f"  add one article:    {self.incremental_ms:.1f} ms to recluster the "
                f"{self.incremental_group} events it can reach (target <= 50 ms)")


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


def _reachable(items: list[LinkItem], new: list[LinkItem]) -> list[LinkItem]:
    """The events a new article links to, transitively (the group the store reclusters)."""
    group = {it.key: it for it in new}
    frontier = list(new)
    while frontier:
        found = [it for it in items if it.key not in group
                 and any(pair_score(it, f) > 0 for f in frontier)]
        for it in found:
            group[it.key] = it
        frontier = found
    return list(group.values())


def run_link_bench(n: int = 100_000) -> LinkBench:
    """Cluster ``n`` synthetic reports, then time one article's incremental recluster."""
    items, real = synthetic(n)
    t0 = time.perf_counter()
    assigned = clusters(items)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    new = [LinkItem(key="new/e1", article_id="new", type=items[0].type, window=items[0].window,
                    country=items[0].country, resolution=items[0].resolution,
                    geonameid=items[0].geonameid, place_name=items[0].place_name,
                    names=items[0].names)]
    group = _reachable(items, new)
    t1 = time.perf_counter()
    clusters(group)
    incremental = (time.perf_counter() - t1) * 1000
    members: dict[str, set[str]] = {}
    spread: dict[str, set[str]] = {}
    for key, cid in assigned.items():
        origin = key.split("-")[0]  # synthetic article ids are "a<real event>-<report>"
        members.setdefault(cid, set()).add(origin)
        spread.setdefault(origin, set()).add(cid)
    return LinkBench(len(items), real, len(members), seconds, peak, incremental, len(group),
                     sum(1 for m in members.values() if len(m) > 1),
                     sum(1 for c in spread.values() if len(c) > 1))
