"""Cross-article linking: group event mentions that report the same happening.

Two events can link when they have the same PLOVER type, overlapping date windows (a date is
widened to its precision, so "in August" overlaps "on 14 August"), the same place (both
city-level) or the same country, and a shared actor/recipient name (or neither names anyone);
``pair_score`` grades such pairs by how many names they share. Counted or role-described
people ("50 people", "residents") are not names here (``link_names``).

Reports differ in how precisely they pin an event down (``kind``). Specific reports (a city and
a date within MAX_SPREAD_DAYS) form the clusters, by average link (``polybius.link.
agglomerative``, which does not chain) with caps: every member's window lies within
``MAX_SPREAD_DAYS`` of every other's, and one cluster never holds two countries or two cities.
A report without a city, or dated only to a week or month, then joins the specific cluster it
fits best (``attach``), so it cannot bridge two of them; those that fit none cluster with
reports as imprecise as themselves. A report without a city dated only to a week ("the deal
signed last week") joins only through a shared participant name. Reports with neither a city
nor a date within a week, or dated only to a year, stay on their own. The result depends only on the set of events (not on ingest
order), and a cluster only on a bounded neighbourhood in type, time and place, which is what
lets ``polybius.link.incremental`` update a store in milliseconds. A cluster's id is derived
from its smallest specific (else smallest) member key. Events without a date, or without a
place and a shared name, are never linked (text alone never merges them).
"""

from __future__ import annotations

import calendar
import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from polybius.store import Store

from polybius.link.agglomerative import average_link

__all__ = ["LinkItem", "assign_clusters", "attach", "cluster_id", "clusters", "date_window",
           "group_links", "kind", "link_names", "pair_score", "place_key", "same_event"]

GENERIC_NAMES = "link_generic_names.yaml"
THRESHOLD = 0.5
"""Average pair score two groups of reports need to merge."""
MAX_SPREAD_DAYS = 3
"""Cap on a cluster's time diameter: latest window start minus earliest window end."""


@dataclass(frozen=True)
class LinkItem:
    """What linking needs to know about one stored event."""

    key: str
    """``article_id/event_id``: unique, and ordered so the cluster id is reproducible."""
    article_id: str
    type: str
    window: tuple[date, date] | None
    country: str | None = None
    resolution: str | None = None
    geonameid: int | None = None
    place_name: str | None = None
    names: frozenset[str] = frozenset()
    """Casefolded actor and recipient names."""


class _Linkable(Protocol):
    @property
    def link_item(self) -> LinkItem: ...


@dataclass(frozen=True)
class _GenericNames:
    quantifiers: tuple[str, ...]
    generic: frozenset[str]


@lru_cache(maxsize=1)
def _generic_names() -> _GenericNames:
    from polybius.errors import ResourceError
    from polybius.resources import load_yaml

    data = load_yaml(GENERIC_NAMES)
    if not isinstance(data, dict) or not all(
            isinstance(data.get(k), list) and all(isinstance(x, str) for x in data[k])
            for k in ("quantifiers", "generic")):
        raise ResourceError(f"resources/{GENERIC_NAMES}: needs lists of strings 'quantifiers' "
                            "and 'generic'")
    # longest first, so "more than" is removed before "more"
    quantifiers = tuple(sorted((q.casefold() for q in data["quantifiers"]), key=len, reverse=True))
    return _GenericNames(quantifiers, frozenset(g.casefold() for g in data["generic"]))


def link_names(names: Iterable[str]) -> frozenset[str]:
    """The casefolded names that identify participants, for linking.

    Whitespace is normalised and a leading number or quantifier removed ("at least 39 gunmen"
    → "gunmen"); counted or role-described people ("at least 19 people", "the victims",
    "residents": ``resources/link_generic_names.yaml``) are left out.
    """
    return frozenset(n for n in (_link_name(name) for name in names) if n)


@lru_cache(maxsize=65536)
def _link_name(name: str) -> str | None:
    """One name as ``link_names`` keeps it, or None (names repeat: cached)."""
    table = _generic_names()
    words = " ".join(name.casefold().split())
    stripped = True
    while stripped and words:
        stripped = False
        head = words.split(" ", 1)[0]
        if head.replace(",", "").replace(".", "").isdigit():
            words, stripped = words[len(head):].lstrip(), True
            continue
        for q in table.quantifiers:
            if words == q or words.startswith(q + " "):
                words, stripped = words[len(q):].lstrip(), True
                break
    if not words or words in table.generic:
        return None
    # a role qualified by one word is still a role: "Yemeni people", "French civilians"
    qualifier, _, head = words.rpartition(" ")
    return None if qualifier and " " not in qualifier and head in table.generic else words


def date_window(start: date | None, end: date | None, precision: str) -> tuple[date, date] | None:
    """The days an event date may cover: [start, end] widened to whole weeks, months or years."""
    if start is None:
        return None
    end = end if end is not None and end >= start else start
    if precision == "week":
        return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())
    if precision == "month":
        last = calendar.monthrange(end.year, end.month)[1]
        return start.replace(day=1), end.replace(day=last)
    if precision == "year":
        return date(start.year, 1, 1), date(end.year, 12, 31)
    return start, end


def _same_place(a: LinkItem, b: LinkItem) -> bool | None:
    """True/False when both locations are known; None when either is unknown."""
    if a.country is not None and b.country is not None and a.country != b.country:
        return False
    if a.resolution == "city" and b.resolution == "city":
        if a.geonameid is not None and b.geonameid is not None:
            return a.geonameid == b.geonameid
        if a.place_name and b.place_name:
            return a.place_name.casefold() == b.place_name.casefold()
    if a.country is None or b.country is None:
        return None
    return True


def same_event(a: LinkItem, b: LinkItem) -> bool:
    """Whether two event mentions from different articles report the same happening."""
    if a.article_id == b.article_id or a.type != b.type or a.window is None or b.window is None:
        return False
    if a.window[0] > b.window[1] or b.window[0] > a.window[1]:
        return False
    shared = bool(a.names & b.names)
    place = _same_place(a, b)
    if place is False:
        return False
    if place is None:
        # Without a known place on both sides only a named participant ties them together;
        # otherwise every unlocated, actorless ASSAULT of a day would merge.
        return shared
    return shared or (not a.names and not b.names and not _week_without_city(a)
                      and not _week_without_city(b))


def cluster_id(member_keys: Iterable[str]) -> str:
    """The id of a cluster: a short hash of its smallest member key, so insertion order is moot."""
    return "c-" + hashlib.sha256(min(member_keys).encode("utf-8")).hexdigest()[:12]


def place_key(it: LinkItem) -> object:
    """The city an event is placed in (None when only a country or nothing is known)."""
    if it.resolution != "city":
        return None
    return it.geonameid if it.geonameid is not None else (it.place_name or "").casefold() or None


def _candidate_pairs(items: Sequence[LinkItem]) -> Iterator[tuple[int, int]]:
    """Pairs that could link: same type, overlapping windows, same or unknown country and city.

    A sweep over windows sorted by start, with one active list per (country, city): an event
    placed in a city meets only that city's events and those placed no finer than its country,
    so a year of news from many places costs far less than all n^2 comparisons.
    """
    by_type: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        if it.window is not None:
            by_type.setdefault(it.type, []).append(i)
    for members in by_type.values():
        members.sort(key=lambda i: items[i].window)  # type: ignore[arg-type, return-value]
        active: dict[tuple[str | None, object], list[int]] = {}
        cities: dict[str | None, set[object]] = {}
        for i in members:
            it = items[i]
            start = it.window[0]  # type: ignore[index]
            country, city = it.country, place_key(it)
            if country is None:  # an unlocated event may match any place (through a shared actor)
                keys = list(active)
            elif city is None:
                keys = [(country, c) for c in cities.get(country, ())] + [
                    (None, c) for c in cities.get(None, ())]
            else:
                keys = [(country, city), (country, None)] + [(None, c) for c in cities.get(None, ())]
            for key in keys:
                pool = active.get(key)
                if not pool:
                    continue
                pool[:] = [j for j in pool if items[j].window[1] >= start]  # type: ignore[index]
                for j in pool:
                    yield j, i
            active.setdefault((country, city), []).append(i)
            cities.setdefault(country, set()).add(city)


def _same_city_and_day(a: LinkItem, b: LinkItem) -> bool:
    """Same type, same city, both dated to the day and overlapping: a weak link on its own."""
    if a.article_id == b.article_id or a.type != b.type or a.window is None or b.window is None:
        return False
    if a.resolution != "city" or b.resolution != "city" or _same_place(a, b) is not True:
        return False
    if (a.window[1] - a.window[0]).days > 1 or (b.window[1] - b.window[0]).days > 1:
        return False
    return a.window[0] <= b.window[1] and b.window[0] <= a.window[1]


def pair_score(a: LinkItem, b: LinkItem) -> float:
    """How strongly two reports look like one event; 0 = never linked directly.

    ``same_event`` pairs score 0.6 plus up to 0.4 for the share of names in common; pairs that
    name different (or no) participants but share type, city and day score just ``THRESHOLD``
    (actor extraction is noisy), enough to join a report but not to outvote disagreeing ones.
    """
    # ``same_event`` then ``_same_city_and_day``, with the checks they share made once: relinking
    # scores hundreds of thousands of pairs, most of them rejected by the cheap tests first
    wa, wb = a.window, b.window
    if (a.article_id == b.article_id or a.type != b.type or wa is None or wb is None
            or wa[0] > wb[1] or wb[0] > wa[1]):
        return 0.0
    place = _same_place(a, b)
    if place is False:
        return 0.0
    an, bn = a.names, b.names
    shared = an & bn
    if shared or (place is True and not an and not bn and not _week_without_city(a)
                  and not _week_without_city(b)):
        union = an | bn
        return 0.6 + 0.4 * (len(shared) / len(union) if union else 1.0)
    if (place is True and a.resolution == "city" and b.resolution == "city"
            and (wa[1] - wa[0]).days <= 1 and (wb[1] - wb[0]).days <= 1):
        return THRESHOLD
    return 0.0


def _week_without_city(it: LinkItem) -> bool:
    """Dated to more than MAX_SPREAD_DAYS (a week) and placed no finer than a country: such a
    report ("the deal the government signed last week") links through a shared name only."""
    w = it.window
    return w is not None and (w[1] - w[0]).days > MAX_SPREAD_DAYS and place_key(it) is None


def _pair_score_reference(a: LinkItem, b: LinkItem) -> float:
    """``pair_score`` written as its definition (the tests hold the fast one equal to it)."""
    if same_event(a, b):
        union = a.names | b.names
        return 0.6 + 0.4 * (len(a.names & b.names) / len(union) if union else 1.0)
    return THRESHOLD if _same_city_and_day(a, b) else 0.0


def _within_caps(group: Sequence[LinkItem]) -> bool:
    """A cluster spans at most MAX_SPREAD_DAYS, one country and one city."""
    windows = [it.window for it in group if it.window is not None]
    if windows and (max(w[0] for w in windows) - min(w[1] for w in windows)).days > MAX_SPREAD_DAYS:
        return False
    if len({it.country for it in group if it.country is not None}) > 1:
        return False
    cities = {it.geonameid if it.geonameid is not None else (it.place_name or "").casefold()
              for it in group if it.resolution == "city"}
    return len(cities) <= 1


SPECIFIC = "specific"
"""Placed in a city and dated within MAX_SPREAD_DAYS: such reports form the clusters."""
NO_CITY = "no-city"
"""Dated within MAX_SPREAD_DAYS but placed no finer than a country (or not at all)."""
COARSE_DATE = "coarse-date"
"""Placed in a city but dated only to a week or a month (a window of at most ATTACH_DAYS)."""
VAGUE = "vague"
"""Neither a city nor a date within a week, or a window longer than ATTACH_DAYS: never attached."""
WEEK_NO_CITY = "week-no-city"
"""Placed no finer than a country and dated to a window under NO_CITY_DAYS (a week): it joins a
specific cluster only through a shared participant name ("signed ... last week")."""
NO_CITY_DAYS = 7
"""Longest window (days) a report without a city may have and still join a specific cluster."""
ATTACHABLE = (NO_CITY, WEEK_NO_CITY, COARSE_DATE)
"""Kinds of report that may join a specific cluster (``attach``)."""
ATTACH_DAYS = 31
"""Longest window (days) a city-placed report may have and still join a specific cluster."""


def kind(it: LinkItem) -> str | None:
    """How precisely a report pins its event down (None: undated, never linked)."""
    if it.window is None:
        return None
    span = (it.window[1] - it.window[0]).days
    city = place_key(it) is not None
    if span <= MAX_SPREAD_DAYS:
        return SPECIFIC if city else NO_CITY
    if not city:
        return WEEK_NO_CITY if span < NO_CITY_DAYS else VAGUE
    return COARSE_DATE if span < ATTACH_DAYS else VAGUE


def attach(vague: LinkItem, candidates: Iterable[LinkItem], cluster_of: Mapping[str, str],
           members: Mapping[str, Sequence[LinkItem]]) -> str | None:
    """The specific cluster a less precise report joins, or None.

    ``candidates`` are specific reports it may link to, ``cluster_of`` their cluster ids and
    ``members`` each such cluster's specific members. The report joins the cluster with the best
    average ``pair_score`` over all its members (≥ THRESHOLD, caps kept; ties: smaller id).
    """
    scores: dict[str, list[float]] = {}
    for c in candidates:
        score = pair_score(vague, c)
        if score > 0:
            scores.setdefault(cluster_of[c.key], []).append(score)
    best: tuple[float, str] | None = None
    for cid, found in scores.items():
        # fsum is exact, so the candidates' order (which depends on how they were looked up)
        # cannot tip a tie or the threshold
        avg = math.fsum(found) / len(members[cid])
        if avg >= THRESHOLD and (best is None or (-avg, cid) < best) \
                and _within_caps([*members[cid], vague]):
            best = (-avg, cid)
    return best[1] if best is not None else None


def group_links(items: Sequence[LinkItem]) -> dict[str, str]:
    """Average-link clusters of same-kind items (with caps): key → cluster id.

    Vague reports (``kind`` VAGUE) and undated ones stay on their own.
    """
    by_key = {it.key: it for it in items}
    kinds = [kind(it) for it in items]
    sim: dict[tuple[str, str], float] = {}
    for i, j in _candidate_pairs(items):
        a, b = items[i], items[j]
        if kinds[i] == kinds[j] and kinds[i] in (SPECIFIC, *ATTACHABLE):
            score = pair_score(a, b)
            if score > 0:
                sim[(a.key, b.key)] = score
    groups = average_link(list(by_key), sim, THRESHOLD,
                          allowed=lambda keys: _within_caps([by_key[k] for k in keys]))
    return {key: cluster_id(keys) for keys in groups for key in keys}


def clusters(items: Sequence[LinkItem]) -> dict[str, str]:
    """Map each item's key to its cluster id.

    Specific reports (a city and a date within a few days) cluster by average link on
    ``pair_score``, with caps. Each less precise report then joins the specific cluster it fits
    best (``attach``); those that fit none cluster with reports as imprecise as themselves. The
    vaguest (no city and no short date, or a window over ATTACH_DAYS) never join a specific
    cluster. So a vague report cannot chain distinct events together, and a cluster depends
    only on a bounded neighbourhood in type, time and place: ``polybius.link.incremental``
    updates a store by reclustering that neighbourhood only, with the same result.
    """
    specific = [it for it in items if kind(it) == SPECIFIC]
    out = group_links(specific)
    members: dict[str, list[LinkItem]] = {}
    for it in specific:
        members.setdefault(out[it.key], []).append(it)
    attachable = [it for it in items if kind(it) in ATTACHABLE]
    near: dict[str, list[LinkItem]] = {it.key: [] for it in attachable}
    pool = [*specific, *attachable]
    for i, j in _candidate_pairs(pool):
        a, b = pool[i], pool[j]
        if i < len(specific) <= j:  # the pool lists the specific reports first
            near[b.key].append(a)
        elif j < len(specific) <= i:
            near[a.key].append(b)
    for it in attachable:
        cid = attach(it, near[it.key], out, members)
        if cid is not None:
            out[it.key] = cid
    leftover = [it for it in items if it.key not in out]
    out.update(group_links(leftover))
    return out


def assign_clusters(source: Store | Iterable[LinkItem | _Linkable]) -> dict[str, str]:
    """Cluster a store's events (and save the cluster ids) or a list of items/rows (pure).

    Returns ``{article_id/event_id: cluster_id}``.
    """
    from polybius.store import Store

    if isinstance(source, Store):
        return source.relink()
    items = [s if isinstance(s, LinkItem) else s.link_item for s in source]
    return clusters(items)
