"""Coreference scores: MUC, B³, CEAF-e and their mean, the CoNLL F1.

Definitions follow Pradhan et al. (2014, "Scoring coreference partitions of predicted mentions"):

* MUC (Vilain et al. 1995): recall = Σ_k (|k| − |p(k)|) / Σ_k (|k| − 1), where p(k) is the
  partition of key cluster k by the response (mentions missing from the response count as
  singleton parts); precision is the same with key and response swapped. Singletons add nothing.
* B³ (Bagga & Baldwin 1998): per key mention m, |K(m) ∩ R(m)| / |K(m)|, averaged over key
  mentions (recall); per response mention, the same over |R(m)| (precision). A mention missing
  from the other side has an empty intersection.
* CEAF-e (Luo 2005): the one-to-one alignment of key and response clusters maximising
  Σ φ4(k, r), φ4 = 2|k ∩ r| / (|k| + |r|); recall = that sum / #key clusters, precision = / #response
  clusters. The alignment is solved exactly (Hungarian method) per connected block of
  overlapping clusters, so large corpora stay cheap.

Clusterings are sequences of sets of hashable mention ids; key and response may hold different
mentions (predicted-mention setting).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Scores", "b_cubed", "ceaf_e", "conll", "muc"]

Cluster = frozenset[Hashable]


@dataclass(frozen=True)
class Scores:
    """Recall, precision and F1 of one metric."""

    recall: float
    precision: float

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(clustering: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    out = [frozenset(c) for c in clustering]
    out = [c for c in out if c]
    seen: set[Hashable] = set()
    for c in out:
        if seen & c:
            raise ValueError(f"mention(s) {sorted(map(str, seen & c))[:3]} are in two clusters")
        seen |= c
    return out


def _index(clusters: Sequence[Cluster]) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _muc_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = _index(response)
    num = den = 0
    for k in key:
        parts = {where.get(m, ("single", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Scores:
    """The link-based MUC score."""
    k, r = _clusters(key), _clusters(response)
    return Scores(_muc_recall(k, r), _muc_recall(r, k))


def _b3_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = _index(response)
    total = sum(len(k) for k in key)
    if not total:
        return 0.0
    acc = 0.0
    for k in key:
        for m in k:
            i = where.get(m)
            acc += len(k & response[i]) / len(k) if i is not None else 0.0
    return acc / total


def b_cubed(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Scores:
    """The mention-based B³ score."""
    k, r = _clusters(key), _clusters(response)
    return Scores(_b3_recall(k, r), _b3_recall(r, k))


def _max_assignment(weights: list[list[float]]) -> float:
    """The largest total weight of a one-to-one assignment of rows to columns (Hungarian, O(n³))."""
    n_rows, n_cols = len(weights), len(weights[0])
    n = max(n_rows, n_cols)
    # minimise cost = -weight on a square matrix padded with zeros
    cost = [[-(weights[i][j]) if i < n_rows and j < n_cols else 0.0 for j in range(n)]
            for i in range(n)]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    match, way = [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        min_v, used = [inf] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < min_v[j]:
                        min_v[j], way[j] = cur, j0
                    if min_v[j] < delta:
                        delta, j1 = min_v[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    min_v[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(-cost[match[j] - 1][j - 1] for j in range(1, n + 1) if match[j])


def _ceaf_sum(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    """Σ φ4 over the best alignment, solved per connected block of overlapping clusters."""
    where = _index(response)
    # union-find over key clusters ("k", i) and response clusters ("r", j) that share a mention
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, k in enumerate(key):
        for m in k:
            j = where.get(m)
            if j is not None:
                parent[find(("k", i))] = find(("r", j))
    blocks: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        side, idx = node
        rows, cols = blocks.setdefault(find(node), ([], []))
        (rows if side == "k" else cols).append(idx)
    total = 0.0
    for rows, cols in blocks.values():
        if not rows or not cols:
            continue
        w = [[2 * len(key[i] & response[j]) / (len(key[i]) + len(response[j])) for j in cols]
             for i in rows]
        total += _max_assignment(w)
    return total


def ceaf_e(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Scores:
    """The entity-based CEAF score (φ4 similarity)."""
    k, r = _clusters(key), _clusters(response)
    s = _ceaf_sum(k, r)
    return Scores(s / len(k) if k else 0.0, s / len(r) if r else 0.0)


def conll(key: Iterable[Iterable[Hashable]],
          response: Iterable[Iterable[Hashable]]) -> dict[str, float]:
    """MUC, B³ and CEAF-e recall/precision/F1 and ``conll_f1``, their mean F1."""
    k, r = _clusters(key), _clusters(response)
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        s = fn(k, r)
        out |= {f"{name}_recall": s.recall, f"{name}_precision": s.precision, f"{name}_f1": s.f1}
    out["conll_f1"] = (out["muc_f1"] + out["b3_f1"] + out["ceafe_f1"]) / 3
    return out
