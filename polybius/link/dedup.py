"""Article near-duplicates (wire copies, updated versions) and independent-source counting.

Two articles are near-duplicates when most of the word 4-shingles of the shorter one also occur
in the other (containment ≥ ``CONTAINMENT``): a wire story reprinted with a new headline, a
trimmed copy, or an update that adds a paragraph. Duplicates are linked, not thrown away; they
only stop counting as independent sources.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CONTAINMENT", "Report", "containment", "independent_groups", "shingles"]

CONTAINMENT = 0.6
MIN_SHINGLES = 12
"""Texts shorter than this (in shingles) are duplicates only when identical: a shared headline
sentence is not a reprint."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Report:
    """One article as a source: its id, outlet (None when unknown) and text."""

    article_id: str
    source: str | None
    text: str


@lru_cache(maxsize=1024)
def shingles(text: str, k: int = 4) -> frozenset[int]:
    """Hashed k-word shingles of the casefolded words (the whole text when shorter than k).

    Memoised: every canonical event built from the store (an API page, an export) asks again
    for the texts of its member articles.
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    grams = [" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))]
    return frozenset(int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big")
                     for g in grams if g)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / min(|a|, |b|); 0 when either is empty; short texts score 1 only when equal."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < MIN_SHINGLES:
        return 1.0 if a == b else 0.0
    return len(a & b) / min(len(a), len(b))


def independent_groups(reports: Sequence[Report]) -> list[list[str]]:
    """Article ids grouped into independent sources: same outlet or near-duplicate text join.

    Each group counts once (``n_sources``); the same article twice is one id to begin with.
    """
    ids = sorted({r.article_id for r in reports})
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_id = {r.article_id: r for r in reports}
    for n, a in enumerate(ids):
        for b in ids[n + 1:]:
            # shingled only when the outlets do not already join them (most clusters are one
            # article or one outlet, and shingling is most of building a canonical record)
            if find(a) == find(b):
                continue
            same_outlet = by_id[a].source is not None and by_id[a].source == by_id[b].source
            if same_outlet or containment(shingles(by_id[a].text), shingles(by_id[b].text)) >= CONTAINMENT:
                parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())
