"""Canonical events stored as served: one finished JSON record per canonical event.

Building a canonical event reads every member row, their actors and article texts and
shingles the texts for near-duplicates (30-40 ms of CPU per page of 50 on 100k events). Its
inputs change only when relinking moves reports between clusters, so the record is built
then and stored (table ``canonical``, migration 0005): a page of GET /events becomes the
filter scan over the events (unchanged: a canonical event matches when one of its members
does, and sits where its first matching member does) plus one primary-key read of stored
records.

Writes stay cheap: relinking only records which clusters it changed (``mark_stale``, one
insert into ``canonical_stale``); ``refresh`` rebuilds them in one transaction, at the end
of an ingest or relink run, when ``polybius serve`` starts, and after a read that met a stale
record. A page never serves a stale or missing record: it builds those from the members itself
(``page``), in the same read transaction as the scan, so it never sees a half-built state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, select

from polybius.store import query as q_
from polybius.store.bulk import insert_rows
from polybius.store.rows import CanonicalEvent, EventQuery, EventRow, Position
from polybius.store.schema import canonical, canonical_stale, events

_CHUNK = 500  # keys per IN (...) clause

# How each factuality status reads before the names of who says so.
_STATUS_WORDS = {
    "asserted": ("stated as fact", "by"),
    "reported": ("reported", "by"),
    "claimed": ("claimed", "by"),
    "disputed": ("disputed", "by"),
    "denied": ("denied", "by"),
    "negated": ("said not to have happened", "by"),
    "future": ("expected or planned, not yet happened", "according to"),
    "hypothetical": ("only a possibility", "according to"),
}


def attribution(status: str, names: list[str], note: str | None) -> str:
    """Factuality and its sources in plain words, e.g. "claimed by Islamic State"."""
    words, joiner = _STATUS_WORDS.get(status, (status, "by"))
    if names:
        text = f"{words} {joiner} {_join(names)}"
    elif status == "asserted":
        text = "stated as fact by the article"
    else:
        text = f"{words} (source not named)"
    return f"{text}; {note}" if note else text


def _join(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def corroboration(event: CanonicalEvent) -> str:
    """Who reports a canonical event, in plain words, e.g. "reported by 3 outlets; denied by x.org"."""
    outlets = f"{event.n_sources} outlet{'s' if event.n_sources != 1 else ''}"
    named = list(event.sources)
    if named and len(named) < event.n_sources:  # articles with no URL have no outlet name
        named.append(f"{event.n_sources - len(named)} unnamed")
    parts = [f"reported by {outlets}" + (f" ({_join(named)})" if named else "")]
    if event.duplicates:
        copies = sum(len(g) for g in event.duplicates) - len(event.duplicates)
        parts.append(f"{copies} more article{'s' if copies != 1 else ''} copied from the same source")
    if event.denied_by:
        parts.append(f"denied by {_join([_sayer(w) for w in event.denied_by])}")
    for name, values in event.disagreements.items():
        said = "; ".join(f"{v} per {_join([_sayer(w) for w in who])}" for v, who in values.items())
        parts.append(f"{name} disputed: {said}")
    return "; ".join(parts)


def _sayer(name: str) -> str:
    """An outlet's name; an article without one (no URL) is named by the start of its id, which
    is what the record's ``by_source`` keys it by."""
    if name.startswith("sha256:"):
        return f"unnamed outlet (article {name.removeprefix('sha256:')[:8]})"
    return name


def canonical_json(event: CanonicalEvent, members: list[EventRow]) -> dict[str, Any]:
    """The API's canonical event: the merged record, its member reports and plain-words sources.

    Each member report carries its ``key``: ``GET /events/{key}`` is its evidence.
    """
    # shallow: the nested figure records stay dataclasses, which orjson writes itself
    # (CanonicalEvent.to_json's deep asdict was a third of a canonical page's time)
    out: dict[str, Any] = {"key": event.cluster_id, **vars(event)}
    out["attribution"] = corroboration(event)
    out["reports"] = [{
        "key": r.key, "article_id": r.article_id, "event_id": r.id, "type": r.type,
        "date_start": r.date.start, "status": r.factuality.status, "source": r.source,
        "title": r.title, "url": r.url,
        "published": r.published.isoformat() if r.published else None,
        "attribution": attribution(r.factuality.status, r.attributed_to_names, r.factuality.note),
    } for r in members]
    return out


def dumps(body: Any) -> bytes:
    """JSON bytes of a response body or record (dates as ISO strings, integer keys as strings)."""
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)


@dataclass
class Built:
    """A canonical event built from its members, with its record as served."""

    event: CanonicalEvent
    members: list[EventRow]
    record: bytes


def build(conn: Connection, keys: Sequence[str]) -> dict[str, Built]:
    """Canonical events of these keys (``query.cluster_key``) built from their current members;
    keys with no members now (a relink dissolved the cluster) are left out."""
    from polybius.store.db import _article_texts, _canonical, _cluster_members

    out: dict[str, Built] = {}
    for i in range(0, len(keys), _CHUNK):
        members = _cluster_members(conn, list(keys[i:i + _CHUNK]))
        # near-duplicate detection needs the texts of clusters with two or more articles only
        texts = _article_texts(conn, {r.article_id for rows in members.values()
                                      if len({m.article_id for m in rows}) > 1 for r in rows})
        for key, rows in members.items():
            event = _canonical(rows[0].cluster_id or rows[0].key, rows, texts)
            out[key] = Built(event, rows, dumps(canonical_json(event, rows)))
    return out


def mark_stale(conn: Connection, keys: Iterable[str | None]) -> None:
    """Record that these canonical events changed membership (inside the writer's transaction).

    One driver-level executemany: this runs on every write batch, and SQLAlchemy's per-row
    parameter handling would cost more than the insert.
    """
    wanted = sorted({k for k in keys if k})
    if not wanted:
        return
    if conn.dialect.name == "postgresql":
        statement = "INSERT INTO canonical_stale (key) VALUES (%s) ON CONFLICT DO NOTHING"
    else:
        statement = "INSERT OR IGNORE INTO canonical_stale (key) VALUES (?)"
    conn.exec_driver_sql(statement, [(k,) for k in wanted])


def refresh(conn: Connection, *, everything: bool = False) -> int:
    """Rebuild the stale canonical records, in the caller's write transaction; returns how many.

    The stale marks are taken with DELETE … RETURNING, so of two processes refreshing at once
    the second (blocked on the write lock, or on the rows on PostgreSQL) finds none left.
    ``everything`` also builds records that are missing (events added without linking, stores
    from before this table) and drops records of canonical events that no longer exist.
    """
    keys = set(conn.execute(delete(canonical_stale).returning(canonical_stale.c.key)).scalars())
    if everything:
        current = set(conn.execute(select(events.c.cluster_id).distinct()
                                   .where(events.c.cluster_id.is_not(None))).scalars())
        current |= {f"#{pk}" for pk in conn.execute(select(events.c.pk)
                                                     .where(events.c.cluster_id.is_(None))).scalars()}
        stored = set(conn.execute(select(canonical.c.key)).scalars())
        keys |= (current - stored) | (stored - current)
    wanted = sorted(keys)
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i:i + _CHUNK]
        built = build(conn, chunk)
        conn.execute(delete(canonical).where(canonical.c.key.in_(chunk)))
        insert_rows(conn, canonical, [
            {"key": key, "type": b.event.type, "date_start": _day(b.event.date_start),
             "country": b.event.country, "n_sources": b.event.n_sources, "record": b.record}
            for key, b in built.items()])
    return len(wanted)


def _day(value: str | None) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class RecordPage:
    """One page of canonical events as stored JSON records."""

    records: list[bytes]
    total: int | None
    """All matching canonical events; None when not counted (as ``EventPage.total``)."""
    limit: int
    offset: int
    next: Position | None = None
    built: int = 0
    """Records of this page built from members because they were stale or missing."""


_STORED = select(canonical.c.key, canonical.c.record).where(
    canonical.c.key.in_(bindparam("keys", expanding=True)))
_FRESH = _STORED.where(canonical.c.key.not_in(select(canonical_stale.c.key)))


def stored(conn: Connection, keys: Sequence[str]) -> dict[str, bytes]:
    """The fresh stored records among ``keys`` (those marked stale left out)."""
    return {k: r if isinstance(r, bytes) else bytes(r)
            for k, r in conn.execute(_FRESH, {"keys": list(keys)})}


def page(conn: Connection, query: EventQuery, *, limit: int = 50, offset: int = 0,
         after: Position | None = None, count: bool = True) -> RecordPage:
    """One page of canonical events matching ``query``, as ``Store.find_canonical`` orders and
    counts them, each as its stored record (built here when stale or missing)."""
    keys = q_.canonical_keys(conn, query, limit + 1, offset=offset, after=after)
    more, keys = len(keys) > limit, keys[:limit]
    wanted = [k for k, _ in keys]
    records = stored(conn, wanted)
    missing = [k for k in wanted if k not in records]
    if missing:
        records |= {k: b.record for k, b in build(conn, missing).items()}
    if not more and after is None and (keys or offset == 0):
        total: int | None = offset + len(keys)
    else:
        total = q_.count_canonical(conn, query) if count else None
    # a key whose cluster a relink dissolved since the scan has no record: left out
    return RecordPage(records=[records[k] for k in wanted if k in records], total=total,
                      limit=limit, offset=offset, next=keys[-1][1] if more else None,
                      built=len(missing))


def count(conn: Connection) -> int:
    """Number of stored canonical records."""
    return int(conn.execute(select(func.count()).select_from(canonical)).scalar_one())
