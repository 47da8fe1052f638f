"""What a canonical event says beyond its members: independent sources, best-supported figures,
who says what when sources disagree, and how the members' factuality combines.

Support is counted in independent sources (``polybius.link.dedup``): a wire story reprinted by
three outlets supports a figure once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from polybius.link.dedup import Report, independent_groups

__all__ = ["Corroboration", "FIGURES", "corroborate"]

FIGURES = ("killed", "injured", "arrested")
DID_NOT_HAPPEN = frozenset({"negated", "denied"})
UNREALISED = frozenset({"future", "hypothetical"})


@dataclass(frozen=True)
class Member:
    """One member event as corroboration sees it."""

    article_id: str
    source: str | None
    text: str
    status: str
    figures: dict[str, int | None]


@dataclass
class Corroboration:
    """Sources, best-supported figures and disagreements of one canonical event."""

    n_sources: int
    duplicates: list[list[str]] = field(default_factory=list)
    """Groups of near-duplicate or same-outlet articles (only groups of two or more)."""
    best: dict[str, int | None] = field(default_factory=dict)
    """Per figure: the value reported by the most independent sources (larger on ties)."""
    disagreements: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    """Per figure with two or more values: value → who says so (outlet, else article id)."""
    reported_by: int = 0
    """Independent sources reporting that it happened."""
    denied_by: list[str] = field(default_factory=list)
    """Who reports it negated or denied (stays visible whatever the majority says)."""


def corroborate(members: Sequence[Member]) -> Corroboration:
    """Combine member events into the corroboration record (see the class docstring)."""
    groups = independent_groups([Report(m.article_id, m.source, m.text) for m in members])
    group_of = {a: n for n, g in enumerate(groups) for a in g}
    who = {m.article_id: m.source or m.article_id for m in members}
    out = Corroboration(n_sources=len(groups), duplicates=[g for g in groups if len(g) > 1])
    for name in FIGURES:
        support: dict[int, set[int]] = {}
        sayers: dict[int, set[str]] = {}
        for m in members:
            value = m.figures.get(name)
            if value is not None:
                support.setdefault(value, set()).add(group_of[m.article_id])
                sayers.setdefault(value, set()).add(who[m.article_id])
        out.best[name] = max(support, key=lambda v: (len(support[v]), v)) if support else None
        if len(support) > 1:
            out.disagreements[name] = {v: sorted(sayers[v]) for v in sorted(support)}
    out.reported_by = len({group_of[m.article_id] for m in members
                           if m.status not in DID_NOT_HAPPEN | UNREALISED})
    out.denied_by = sorted({who[m.article_id] for m in members if m.status in DID_NOT_HAPPEN})
    return out
