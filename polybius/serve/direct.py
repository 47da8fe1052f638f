"""Canonical GET /events pages read on the sqlite3 connection itself (SQLite stores only).

SQLAlchemy's execution around the two statements of a page (pool checkout, parameter and
result processing) cost 0.1-0.5 ms of a ~1.5 ms page (the ASGI app timed in one process: 1.55
-> 1.05 ms per page). Here each worker thread keeps one sqlite3 connection open (WAL, query-only,
memory-mapped) and runs the same statements -- ``query._phase_statement``,
``query.listed_statement`` after a cursor, ``query.count_canonical_statement`` for a total --
compiled once per shape of query to SQLite's positional form, with the parameters bound by
position.

Canonical pages are read this way: first pages and pages after a cursor, with or without a
source count or a total. Free text and offsets, and a page that meets a stale or missing
stored record (which must be built from its members, in a write), return None and the caller
takes the general path (``Store.canonical_page``), which gives the same bytes. PostgreSQL
stores always take the general path.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from polybius.store import codec
from polybius.store import query as q_
from polybius.store.canonical_table import attribution, dumps
from polybius.store.rows import EventQuery, Position
from polybius.store.schema import articles

_DIALECT = sqlite_dialect.dialect()
# lists bound as one parameter each, which SQLAlchemy expands into one marker per value
_EXPANDING = ("p_status", "l_keys")


@dataclass(frozen=True)
class _Compiled:
    """A statement as SQLite text with ``?`` markers, and what fills each marker."""

    sql: str
    """With a ``__[POSTCOMPILE_name]`` slot left for each list parameter (``_EXPANDING``)."""
    names: tuple[str, ...]
    constants: dict[str, Any]
    """Values fixed at build time (literals SQLAlchemy made parameters of)."""

    def run(self, conn: sqlite3.Connection, given: dict[str, Any]) -> sqlite3.Cursor:
        """Execute with ``given`` values (by name; constants fill the rest), lists expanded."""
        sql, args = self.sql, []
        for name in self.names:
            if name in _EXPANDING:
                values = given[name]
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", ",".join("?" * len(values)))
                args.extend(_bound(v) for v in values)
            else:
                args.append(_bound(given[name] if name in given else self.constants[name]))
        return conn.execute(sql, args)


_COMPILED: dict[tuple[Any, ...], _Compiled] = {}


def _compiled(key: tuple[Any, ...], build: Callable[[], Any]) -> _Compiled:
    """``build()``'s statement compiled to SQLite's positional form, once per ``key``."""
    found = _COMPILED.get(key)
    if found is None:
        compiled = build().compile(dialect=_DIALECT)
        constants = {name: b.value for name, b in compiled.binds.items()}
        found = _COMPILED.setdefault(key, _Compiled(compiled.string,
                                                    tuple(compiled.positiontup or ()), constants))
    return found


def _bound(value: Any) -> Any:
    # SQLite keeps dates as ISO text (SQLAlchemy's Date type does the same on the general path)
    return value.isoformat() if isinstance(value, date) else value


def direct_path(url: str) -> str | None:
    """The database file of a SQLite store URL, or None (PostgreSQL, in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


class DirectReader:
    """Canonical pages of one SQLite store read on per-thread sqlite3 connections."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            # the same settings as the store's own connections (store.db._sqlite_setup); this
            # one never writes
            for pragma in ("busy_timeout=5000", "mmap_size=1073741824", "query_only=ON"):
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close with their threads' end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @staticmethod
    def handles(query: EventQuery, *, offset: int) -> bool:
        """Whether a page of these arguments is read here (otherwise: the general path).

        Free text reads article texts (a scan either way); an offset skips clusters one by one
        (and may need the dated count), both left to the general path.
        """
        return not offset and not query.text

    @staticmethod
    def _scan(conn: sqlite3.Connection, query: EventQuery,
              values: dict[str, Any]) -> Callable[[int, Position | None], list[Any]]:
        """``scan(n, start)``: n narrow rows (pk, window_start, cluster_id) after ``start``."""
        def phase(dated: bool, start: Position | None, n: int, skip: int) -> list[Any]:
            kind = None if start is None else start.window_start is not None
            c = _compiled(("phase", q_.shape(query), len(query.status), dated, kind),
                          lambda: q_._phase_statement(query, dated, kind, "sqlite"))
            given = values | {"p_limit": n, "p_offset": skip}
            if start is not None:
                given |= {"a_pk": start.pk, "a_start": start.window_start}
            return [(pk, date.fromisoformat(w) if w else None, cluster)
                    for pk, w, cluster in c.run(conn, given)]

        return lambda n, start: q_.scan_phases(phase, query, n, after=start)

    @staticmethod
    def _count(conn: sqlite3.Connection, query: EventQuery, values: dict[str, Any],
               canonical: bool) -> int:
        build = q_.count_canonical_statement if canonical else q_.count_statement
        c = _compiled(("count", canonical, q_.shape(query), len(query.status)),
                      lambda: build(query))
        return int(c.run(conn, values).fetchone()[0])

    def canonical_page(self, query: EventQuery, limit: int, *, after: Position | None = None,
                       count: bool = False) -> tuple[list[bytes], int | None, Position | None] | None:
        """A page of canonical records matching ``query`` after position ``after`` (the first
        page without), the total as the general path gives it (counted when ``count``, else
        known only on a last first page) and the next page's position (None on the last
        page) -- or None when a record is stale or missing."""
        conn = self._connection()
        values = q_.parameters(query)

        def listed_before(p: Position, clusters: set[str]) -> set[str]:
            dated = p.window_start is not None
            c = _compiled(("listed", q_.shape(query), len(query.status), dated),
                          lambda: q_.listed_statement(query, dated))
            given = values | {"l_pk": p.pk, "l_start": p.window_start}
            wanted, found = sorted(clusters), set()
            for i in range(0, len(wanted), q_.LISTED_CHUNK):
                found.update(k for (k,) in c.run(conn, given | {"l_keys": wanted[i:i + q_.LISTED_CHUNK]}))
            return found

        conn.execute("BEGIN")  # the scan, the records and the count from one snapshot
        try:
            keys = q_.pick_clusters(self._scan(conn, query, values), limit + 1, after=after,
                                    listed_before=listed_before)
            more, keys = len(keys) > limit, keys[:limit]
            wanted = [k for k, _ in keys]
            records: dict[str, bytes] = {}
            if wanted:
                marks = ",".join("?" * len(wanted))
                records = dict(conn.execute(
                    f"SELECT key, record FROM canonical WHERE key IN ({marks}) "
                    "AND key NOT IN (SELECT key FROM canonical_stale)", wanted))
            if len(records) < len(wanted):
                return None
            total = self._total(conn, query, values, len(keys), more or after is not None, count,
                                canonical=True)
        finally:
            conn.execute("COMMIT")
        return [bytes(records[k]) for k in wanted], total, keys[-1][1] if more else None

    def _total(self, conn: sqlite3.Connection, query: EventQuery, values: dict[str, Any], listed: int,
               partial: bool, count: bool, *, canonical: bool) -> int | None:
        """The page's total: what it listed when it holds every match, else a COUNT if asked."""
        if not partial:
            return listed
        return self._count(conn, query, values, canonical=canonical) if count else None

    def report_page(self, query: EventQuery, limit: int, *, after: Position | None = None,
                    count: bool = False) -> tuple[list[bytes], int | None, Position | None] | None:
        """``canonical_page`` for per-report events: each the JSON ``event_json`` gives,
        built from the stored event JSON and its row (no row objects in between) -- or None
        when a report of the page was deleted since the scan."""
        conn = self._connection()
        values = q_.parameters(query)
        conn.execute("BEGIN")
        try:
            rows = self._scan(conn, query, values)(limit + 1, after)
            more, rows = len(rows) > limit, rows[:limit]
            pks = [pk for pk, _, _ in rows]
            wide = {r[0]: r for r in conn.execute(_WIDE.format(",".join("?" * len(pks))), pks)} \
                if pks else {}
            if len(wide) < len(pks):
                return None
            events = [(r, codec.loads(r[2])) for r in (wide[pk] for pk in pks)]
            names = _party_names(conn, events)
            total = self._total(conn, query, values, len(rows), more or after is not None, count,
                                canonical=False)
        finally:
            conn.execute("COMMIT")
        records = [dumps(_report_json(r, ev, names.get(r[1], {}))) for r, ev in events]
        return records, total, Position(rows[-1][1], rows[-1][0]) if more else None


# the columns ``_report_json`` reads, in its order
_WIDE = ("SELECT e.pk, e.article_id, e.event, e.place_name, e.country, e.admin1, e.lat, e.lon, "
         "e.geonameid, e.resolution, e.cluster_id, a.url, a.title, a.published, a.source, a.text "
         "FROM events AS e JOIN articles AS a ON e.article_id = a.id WHERE e.pk IN ({})")
# SQLAlchemy's own reading of the stored date (the general path's row has a ``date``)
_PUBLISHED = articles.c.published.type.dialect_impl(_DIALECT).result_processor(_DIALECT, None)


def _party_names(conn: sqlite3.Connection, events: list[tuple[Any, dict[str, Any]]],
                 ) -> dict[str, dict[str, str]]:
    """The names of the actors these events name, per article (as ``db._parties_of``)."""
    wanted: dict[str, set[str]] = {}
    for r, ev in events:
        wanted.setdefault(r[1], set()).update(ev["actors"], ev["recipients"],
                                              ev["factuality"]["attributed_to"])
    groups = sorted((art, sorted(ids)) for art, ids in wanted.items() if ids)
    out: dict[str, dict[str, str]] = {}
    for i in range(0, len(groups), 100):
        terms, args = [], []
        for art, ids in groups[i:i + 100]:
            args += [art, *ids]
            terms.append(f"(article_id = ? AND actor_id IN ({','.join('?' * len(ids))}))")
        for art, actor_id, name in conn.execute(
                "SELECT article_id, actor_id, name FROM actors WHERE " + " OR ".join(terms), args):
            out.setdefault(art, {})[actor_id] = name
    return out


def _report_json(r: Any, ev: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``event_json(EventRow)`` of one wide row (``_WIDE``) and its decoded event JSON."""
    (_, article_id, _, place_name, country, admin1, lat, lon, geonameid, resolution,
     cluster_id, url, title, published, source, text) = r
    day = _PUBLISHED(published) if _PUBLISHED is not None else published
    sayers = [names.get(a, a) for a in ev["factuality"]["attributed_to"]]
    out = dict(ev)
    out.update({
        "article": {"id": article_id, "url": url, "title": title,
                    "published": day.isoformat() if day else None, "source": source},
        "actor_names": [names.get(a, a) for a in ev["actors"]],
        "recipient_names": [names.get(a, a) for a in ev["recipients"]],
        "attributed_to_names": sayers,
        "place": {"name": place_name, "country_code": country, "admin1": admin1, "lat": lat,
                  "lon": lon, "geonameid": geonameid, "resolution": resolution},
        "evidence_text": [text[x["span"][0]:x["span"][1]] for x in ev["evidence"]],
        "cluster_id": cluster_id,
    })
    out["key"] = f"{article_id}/{ev['id']}"
    out["attribution"] = attribution(ev["factuality"].get("status", "asserted"), sayers,
                                     ev["factuality"].get("note"))
    return out
