"""Average-link agglomerative clustering over a sparse similarity graph, with cannot-link pairs.

Used for event mentions (evaluation) and stored events (canonical events). Unlike connected
components, average link does not chain: two groups merge only when their members are similar
*on average* (pairs never scored count as 0), so A~B and B~C does not pull A and C together
unless the whole group holds. A cannot-link pair (e.g. two dates too far apart, two different
cities) forbids any merge that would put both in one cluster, which caps a cluster's diameter.

The result is a function of the item set and the pair scores only: merges are taken best first,
ties broken by the clusters' smallest keys, so ingest order cannot change it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

__all__ = ["average_link"]

K = TypeVar("K", bound=Hashable)


def average_link(keys: Iterable[K], similarity: Mapping[tuple[K, K], float], threshold: float,
                 cannot_link: Iterable[tuple[K, K]] = (),
                 allowed: Callable[[list[K]], bool] | None = None) -> list[list[K]]:
    """Clusters of ``keys`` (each sorted, list sorted by first key).

    ``similarity[(a, b)]`` scores a candidate pair (either order; missing pairs score 0);
    clusters merge while the best average pairwise score is ≥ ``threshold`` (> 0) and no
    ``cannot_link`` pair would end up inside one cluster; ``allowed(members)``, when given, must
    accept every cluster formed (a cap on its diameter in time or space). A refused merge is
    dropped and the next best one is tried.
    """
    if threshold <= 0:
        raise ValueError(f"threshold must be positive (unscored pairs count as 0), got {threshold}")
    members: dict[int, list[K]] = {}
    cid: dict[K, int] = {}
    for k in sorted(set(keys), key=_order):
        cid[k] = len(members)
        members[len(members)] = [k]
    sums: dict[int, dict[int, float]] = {c: {} for c in members}
    pairs: dict[tuple[int, int], float] = {}
    for (a, b), s in similarity.items():
        if a == b or a not in cid or b not in cid:
            continue
        pair = (min(cid[a], cid[b]), max(cid[a], cid[b]))
        pairs[pair] = max(s, pairs.get(pair, s))  # a pair given in both orders counts once
    for (ca, cb), s in pairs.items():
        sums[ca][cb] = s
        sums[cb][ca] = s
    banned: dict[int, set[int]] = {c: set() for c in members}
    for a, b in cannot_link:
        if a in cid and b in cid and a != b:
            banned[cid[a]].add(cid[b])
            banned[cid[b]].add(cid[a])
    smallest = {c: _order(m[0]) for c, m in members.items()}
    heap: list[tuple[float, object, object, int, int]] = []

    def push(c: int, d: int) -> None:
        if d in banned[c]:
            return
        avg = sums[c][d] / (len(members[c]) * len(members[d]))
        if avg >= threshold:
            lo, hi = sorted((c, d), key=lambda x: smallest[x])
            heapq.heappush(heap, (-avg, smallest[lo], smallest[hi], lo, hi))

    for c in sums:
        for d in sums[c]:
            if smallest[c] < smallest[d]:
                push(c, d)
    next_id = len(members)
    while heap:
        neg, _, _, c, d = heapq.heappop(heap)
        if c not in members or d not in members or d in banned[c]:
            continue
        if abs(sums[c].get(d, 0.0) / (len(members[c]) * len(members[d])) + neg) > 1e-12:
            continue  # stale entry
        if allowed is not None and not allowed(members[c] + members[d]):
            banned[c].add(d)
            banned[d].add(c)
            continue
        new = next_id
        next_id += 1
        members[new] = sorted(members.pop(c) + members.pop(d), key=_order)
        smallest[new] = _order(members[new][0])
        banned[new] = banned.pop(c) | banned.pop(d)
        for x in banned[new]:
            banned[x] -= {c, d}
            banned[x].add(new)
        merged: dict[int, float] = {}
        for old in (c, d):
            for x, s in sums.pop(old).items():
                if x in (c, d):
                    continue
                merged[x] = merged.get(x, 0.0) + s
                del sums[x][old]
        sums[new] = merged
        for x, s in merged.items():
            sums[x][new] = s
            push(new, x)
    return sorted(members.values(), key=lambda m: _order(m[0]))


def _order(key: object) -> tuple[str, str]:
    # keys may be of mixed types; compare by type name then text so sorting never fails
    return type(key).__name__, str(key)
