"""Updating clusters when reports arrive, by reclustering their neighbourhood only.

``polybius.link.clusters`` is built so that a cluster depends on a bounded neighbourhood:
specific reports (a city and a date within a few days) cluster among reports of the same type,
city and days; a less precise report joins one of the specific clusters it links to; reports
that join none cluster with reports as imprecise as themselves, also within a type, a place and
a window. ``relink`` follows exactly those links from the new reports, through indexed lookups
(``Neighbourhood.near``: type + date window + country or city), and recomputes what can have
changed. The result equals clustering the whole store, whatever the ingest order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from polybius.link import (
    ATTACH_DAYS,
    ATTACHABLE,
    COARSE_DATE,
    MAX_SPREAD_DAYS,
    NO_CITY,
    NO_CITY_DAYS,
    WEEK_NO_CITY,
    SPECIFIC,
    LinkItem,
    attach,
    cluster_id,
    group_links,
    kind,
    pair_score,
    place_key,
)

__all__ = ["MemoryNeighbourhood", "Neighbourhood", "Stored", "relink"]

Stored = tuple[LinkItem, str | None]
"""A stored report and its current cluster id (None when never clustered)."""
# how far before a report's window a report of each attachable kind may start and still overlap
_REACH = {NO_CITY: MAX_SPREAD_DAYS, WEEK_NO_CITY: NO_CITY_DAYS, COARSE_DATE: ATTACH_DAYS}


class Neighbourhood(Protocol):
    """Indexed access to the stored reports (``polybius.store`` implements it in SQL)."""

    def near(self, type_: str, lo: date, hi: date, *, before: int, country: str | None,
             city: LinkItem | None, kinds: Collection[str]) -> list[Stored]:
        """Reports of ``type_`` and ``kinds`` whose window overlaps [lo, hi] and starts at most
        ``before`` days before ``lo``; in ``country`` or unlocated (any country when None); in
        the city of ``city`` when given."""

    def in_clusters(self, ids: Collection[str]) -> list[Stored]:
        """Every report whose cluster id is one of ``ids``."""


@dataclass
class _Work:
    """What one update has read so far: items and their stored cluster ids."""

    hood: Neighbourhood
    items: dict[str, LinkItem] = field(default_factory=dict)
    stored: dict[str, str | None] = field(default_factory=dict)
    seen: dict[tuple[object, ...], list[LinkItem]] = field(default_factory=dict)
    """Lookups already made: reports of one day and place share their neighbourhood."""
    members: dict[str, list[LinkItem]] = field(default_factory=dict)
    """Clusters already read (the store does not change during one update)."""

    def keep(self, found: Iterable[Stored]) -> list[LinkItem]:
        out = []
        for it, cid in found:
            self.items.setdefault(it.key, it)
            self.stored.setdefault(it.key, cid)
            out.append(self.items[it.key])
        return out

    def in_clusters(self, ids: Iterable[str]) -> list[LinkItem]:
        """The stored members of clusters ``ids``, each cluster read once per update."""
        wanted = sorted(set(ids))
        missing = [cid for cid in wanted if cid not in self.members]
        if missing:
            for cid in missing:
                self.members[cid] = []
            for it in self.keep(self.hood.in_clusters(missing)):
                self.members[self.stored[it.key] or ""].append(it)
        return [it for cid in wanted for it in self.members[cid]]

    def near(self, it: LinkItem, *, before: int, city: bool, kinds: Collection[str]) -> list[LinkItem]:
        assert it.window is not None
        key = (it.type, it.window, it.country, place_key(it) if city else None, before, tuple(kinds))
        if key not in self.seen:
            self.seen[key] = self.keep(self.hood.near(
                it.type, it.window[0], it.window[1], before=before, country=it.country,
                city=it if city else None, kinds=kinds))
        return self.seen[key]


def _specific_component(work: _Work, seeds: list[LinkItem]) -> set[str]:
    """Keys of the specific reports linked to the seeds, transitively."""
    comp = {it.key for it in seeds}
    frontier = list(seeds)
    while frontier:
        nxt = []
        for f in frontier:
            for it in work.near(f, before=MAX_SPREAD_DAYS, city=True, kinds=(SPECIFIC,)):
                if it.key not in comp and pair_score(it, f) > 0:
                    comp.add(it.key)
                    nxt.append(it)
        frontier = nxt
    return comp


def _affected(work: _Work, new: Sequence[LinkItem], comp: set[str]) -> dict[str, LinkItem]:
    """Less precise reports whose attachment may change: new ones, those attached to a cluster
    of the component, and those that link to one of its reports."""
    out = {it.key: it for it in new if kind(it) in ATTACHABLE}
    old_ids = {work.stored[k] for k in comp if work.stored.get(k)}
    for it in work.in_clusters(cid for cid in old_ids if cid):
        if kind(it) in ATTACHABLE:
            out[it.key] = it
    for key in sorted(comp):
        s = work.items[key]
        near = (work.near(s, before=MAX_SPREAD_DAYS, city=False, kinds=(NO_CITY,))
                + work.near(s, before=NO_CITY_DAYS, city=False, kinds=(WEEK_NO_CITY,))
                + work.near(s, before=ATTACH_DAYS, city=True, kinds=(COARSE_DATE,)))
        out.update((it.key, it) for it in near if pair_score(it, s) > 0)
    return out


def _attachments(work: _Work, affected: dict[str, LinkItem],
                 specific: dict[str, str]) -> dict[str, str | None]:
    """The specific cluster each affected report joins now (None: it stays apart)."""
    members: dict[str, list[LinkItem]] = {}
    for key, cid in specific.items():
        members.setdefault(cid, []).append(work.items[key])
    out: dict[str, str | None] = {}
    for key in sorted(affected):
        v = affected[key]
        candidates = [c for c in work.near(v, before=MAX_SPREAD_DAYS, city=kind(v) == COARSE_DATE,
                                           kinds=(SPECIFIC,)) if pair_score(v, c) > 0]
        cluster_of = {}
        for c in candidates:
            cid = specific.get(c.key) or work.stored.get(c.key)
            if cid is None:  # stored unclustered (``add(link=False)``): on its own until relink
                cid = cluster_id([c.key])
                members.setdefault(cid, [c])
            cluster_of[c.key] = cid
        missing = sorted({cid for cid in cluster_of.values() if cid not in members})
        for it in work.in_clusters(missing):
            if kind(it) == SPECIFIC:
                members.setdefault(work.stored[it.key] or "", []).append(it)
        out[key] = attach(v, candidates, cluster_of, members)
    return out


def _leftover_group(work: _Work, seeds: Iterable[LinkItem], attached: dict[str, str | None]) -> list[LinkItem]:
    """The reports that joined no specific cluster and link, transitively, to the seeds."""
    status: dict[str, bool] = {k: cid is None for k, cid in attached.items()}

    def leftover(items: list[LinkItem]) -> list[LinkItem]:
        unknown = sorted({work.stored[it.key] or "" for it in items if it.key not in status})
        with_specific = {cid for it in work.in_clusters(u for u in unknown if u)
                         if kind(it) == SPECIFIC and (cid := work.stored[it.key])}
        for it in items:
            if it.key not in status:
                status[it.key] = work.stored[it.key] not in with_specific
        return [it for it in items if status[it.key]]

    group: dict[str, LinkItem] = {}
    frontier = [it for it in seeds if kind(it) in ATTACHABLE]
    seen = {it.key for it in frontier}
    group.update((it.key, it) for it in leftover(frontier))
    while frontier:
        fresh: list[LinkItem] = []
        for f in frontier:
            near = work.near(f, before=_REACH[kind(f) or NO_CITY],
                             city=kind(f) == COARSE_DATE, kinds=(kind(f) or "",))
            new = [it for it in near if it.key not in seen and pair_score(it, f) > 0]
            seen.update(it.key for it in new)
            fresh += new
        # one lookup of the fresh reports' clusters per step, not one per frontier report
        frontier = leftover(fresh)
        group.update((it.key, it) for it in frontier)
    return [group[k] for k in sorted(group)]


def relink(new: Sequence[LinkItem], hood: Neighbourhood) -> tuple[dict[str, str], dict[str, str | None]]:
    """Cluster ids after adding ``new`` (already stored) for every report that may have changed.

    Returns (key → cluster id, key → cluster id stored before) for the reports looked at.
    """
    work = _Work(hood)
    work.items.update((it.key, it) for it in new)
    work.stored.update((it.key, None) for it in new)
    comp = _specific_component(work, [it for it in new if kind(it) == SPECIFIC])
    out = group_links([work.items[k] for k in sorted(comp)])
    affected = _affected(work, new, comp)
    attached = _attachments(work, affected, out)
    out.update((k, cid) for k, cid in attached.items() if cid is not None)
    seeds = [*affected.values()]
    out.update(group_links(_leftover_group(work, seeds, attached)))
    for it in new:
        if it.key not in out:  # undated, or too vague to link: a cluster of its own
            out[it.key] = cluster_id([it.key])
    return out, dict(work.stored)


class MemoryNeighbourhood:
    """A ``Neighbourhood`` over items in memory (for tests and experiments; the store has its own)."""

    def __init__(self, assigned: dict[str, str], items: Iterable[LinkItem]) -> None:
        self.assigned = dict(assigned)
        self.by_type: dict[str, list[LinkItem]] = {}
        self.by_cluster: dict[str, list[LinkItem]] = {}
        for it in items:
            self.add(it, assigned.get(it.key))

    def add(self, it: LinkItem, cid: str | None) -> None:
        """Store one item (with its cluster id, if any)."""
        self.by_type.setdefault(it.type, []).append(it)
        if cid is not None:
            self.assigned[it.key] = cid
            self.by_cluster.setdefault(cid, []).append(it)

    def save(self, assigned: dict[str, str], items: dict[str, LinkItem]) -> None:
        """Record new cluster ids."""
        for key, cid in assigned.items():
            old = self.assigned.get(key)
            if old == cid:
                continue
            if old is not None:
                self.by_cluster[old] = [x for x in self.by_cluster[old] if x.key != key]
            self.assigned[key] = cid
            self.by_cluster.setdefault(cid, []).append(items[key])

    def near(self, type_: str, lo: date, hi: date, *, before: int, country: str | None,
             city: LinkItem | None, kinds: Collection[str]) -> list[Stored]:
        first = lo - timedelta(days=before)
        out = []
        for it in self.by_type.get(type_, []):
            w = it.window
            if w is None or not (first <= w[0] <= hi and w[1] >= lo) or kind(it) not in kinds:
                continue
            if country is not None and it.country not in (country, None):
                continue
            if city is not None and not _same_city(it, city):
                continue
            out.append((it, self.assigned.get(it.key)))
        return out

    def in_clusters(self, ids: Collection[str]) -> list[Stored]:
        return [(it, cid) for cid in ids for it in self.by_cluster.get(cid, [])]


def _same_city(a: LinkItem, b: LinkItem) -> bool:
    return a.resolution == "city" and place_key(a) == place_key(b) and a.country == b.country
