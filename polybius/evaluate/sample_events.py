"""Canonical events on the bundled samples against a hand-written truth.

The truth (``tests/data/sample_events_truth.yaml``) lists real-world events with the articles
that report them. A report of a member article stands for the event when its type is one of the
event's types, its date window overlaps the event's dates and its country is the event's (or
unknown). Scored, per the issue: the number of canonical events needed to cover the truth
(for each event, the fewest clusters that hold a report from every member article) against the
true number, and clusters that mix reports of two true events. Several records of one event in
one article are the extractor's business, not linking's: they are not counted as splits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from polybius.errors import ResourceError
from polybius.link import date_window
from polybius.store.rows import EventRow

__all__ = ["SampleScore", "TrueEvent", "load_truth", "score"]


@dataclass(frozen=True)
class TrueEvent:
    """One real-world event of the truth file."""

    id: str
    description: str
    types: frozenset[str]
    start: date
    end: date
    country: str | None
    articles: tuple[str, ...]
    """Titles of the articles that report it."""


@dataclass
class SampleScore:
    """How the store's clusters compare with the truth."""

    true_events: int
    """Events of the truth that at least one report stands for."""
    canonical_events: int
    """Clusters needed to cover them (one per event when linking is exact)."""
    mixed: list[list[str]] = field(default_factory=list)
    """Clusters holding reports of two or more true events: the true event ids of each."""
    split: dict[str, int] = field(default_factory=dict)
    """True events whose member articles are spread over several clusters: id → clusters."""
    unmatched: list[str] = field(default_factory=list)
    """True events no report stands for (type, date or place extracted differently)."""

    def render(self) -> str:
        """The figures, for the terminal."""
        lines = [f"{self.true_events} true events -> {self.canonical_events} canonical events; "
                 f"{len(self.mixed)} clusters mix two events"]
        lines += [f"  mixed: {' + '.join(ids)}" for ids in self.mixed]
        lines += [f"  split: {key} over {n} clusters" for key, n in sorted(self.split.items())]
        lines += [f"  no report found: {key}" for key in self.unmatched]
        return "\n".join(lines)


def _fail(path: Path, where: str, problem: str) -> ResourceError:
    return ResourceError(f"{path}: {where}: {problem}")


def _event(path: Path, n: int, obj: Any) -> TrueEvent:
    where = f"events[{n}]"
    if not isinstance(obj, dict):
        raise _fail(path, where, "must be a mapping")
    missing = {"id", "description", "types", "date", "country", "articles"} - set(obj)
    if missing:
        raise _fail(path, where, f"missing {', '.join(sorted(missing))}")
    start, end = obj["date"], obj.get("until", obj["date"])
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise _fail(path, where, "date/until must be YYYY-MM-DD dates, until not before date")
    if not obj["articles"] or not all(isinstance(a, str) for a in obj["articles"]):
        raise _fail(path, where, "articles must be a non-empty list of titles")
    return TrueEvent(id=str(obj["id"]), description=str(obj["description"]),
                     types=frozenset(obj["types"]), start=start, end=end,
                     country=obj["country"], articles=tuple(obj["articles"]))


def load_truth(path: Path) -> list[TrueEvent]:
    """Read and check a truth file (see the module docstring)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"{path}: cannot read the truth file ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise _fail(path, "<root>", "needs a list 'events'")
    out = [_event(path, n, obj) for n, obj in enumerate(data["events"])]
    ids = [e.id for e in out]
    if len(set(ids)) != len(ids):
        raise _fail(path, "events", "ids must be unique")
    return out


def _stands_for(row: EventRow, event: TrueEvent) -> bool:
    window = date_window(date.fromisoformat(row.date.start) if row.date.start else None,
                         date.fromisoformat(row.date.end) if row.date.end else None,
                         row.date.precision)
    if row.type not in event.types or window is None:
        return False
    if window[1] < event.start or window[0] > event.end:
        return False
    return event.country is None or row.place_country in (None, event.country)


def _cover(articles: dict[str, set[str]]) -> int:
    """Fewest clusters holding a report of every article (greedy; article → its clusters)."""
    left = set(articles)
    n = 0
    while left:
        counts: dict[str, int] = {}
        for a in left:
            for c in articles[a]:
                counts[c] = counts.get(c, 0) + 1
        best = max(sorted(counts), key=lambda c: counts[c])
        left = {a for a in left if best not in articles[a]}
        n += 1
    return n


def score(truth: Sequence[TrueEvent], rows: Sequence[EventRow]) -> SampleScore:
    """Compare the clusters of stored ``rows`` with the truth."""
    by_title: dict[str, list[EventRow]] = {}
    for row in rows:
        by_title.setdefault(row.title or "", []).append(row)
    owner: dict[str, set[str]] = {}  # report key → true events it may stand for
    clusters_of: dict[str, dict[str, set[str]]] = {}  # event → article → clusters
    for event in truth:
        for title in event.articles:
            for row in by_title.get(title, []):
                if _stands_for(row, event):
                    owner.setdefault(row.key, set()).add(event.id)
    for row in rows:
        events = owner.get(row.key, set())
        if len(events) == 1:  # a report that fits two true events tells nothing about linking
            (eid,) = events
            clusters_of.setdefault(eid, {}).setdefault(row.article_id, set()).add(
                row.cluster_id or row.key)
    mixing: dict[str, set[str]] = {}
    for row in rows:
        events = owner.get(row.key, set())
        if len(events) == 1:
            mixing.setdefault(row.cluster_id or row.key, set()).update(events)
    covers = {eid: _cover(arts) for eid, arts in clusters_of.items()}
    return SampleScore(
        true_events=len(covers), canonical_events=sum(covers.values()),
        mixed=sorted(sorted(ids) for ids in mixing.values() if len(ids) > 1),
        split={eid: n for eid, n in covers.items() if n > 1},
        unmatched=[e.id for e in truth if e.id not in covers])
