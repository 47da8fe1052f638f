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

from polybius.store import query as q_
from polybius.store.rows import EventQuery, Position

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

    def canonical_page(self, query: EventQuery, limit: int, *, after: Position | None = None,
                       count: bool = False) -> tuple[list[bytes], int | None, Position | None] | None:
        """A page of canonical records matching ``query`` after position ``after`` (the first
        page without), the total as the general path gives it (counted when ``count``, else
        known only on a last first page) and the next page's position (None on the last
        page) -- or None when a record is stale or missing."""
        conn = self._connection()
        values = q_.parameters(query)

        def phase(dated: bool, start: Position | None, n: int, skip: int) -> list[Any]:
            kind = None if start is None else start.window_start is not None
            c = _compiled(("phase", q_.shape(query), len(query.status), dated, kind),
                          lambda: q_._phase_statement(query, dated, kind, "sqlite"))
            given = values | {"p_limit": n, "p_offset": skip}
            if start is not None:
                given |= {"a_pk": start.pk, "a_start": start.window_start}
            return [(pk, date.fromisoformat(w) if w else None, cluster)
                    for pk, w, cluster in c.run(conn, given)]

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
            keys = q_.pick_clusters(lambda n, start: q_.scan_phases(phase, query, n, after=start),
                                    limit + 1, after=after, listed_before=listed_before)
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
            total: int | None = None
            if not more and after is None:
                total = len(keys)
            elif count:
                c = _compiled(("count", q_.shape(query), len(query.status)),
                              lambda: q_.count_canonical_statement(query))
                total = int(c.run(conn, values).fetchone()[0])
        finally:
            conn.execute("COMMIT")
        return [bytes(records[k]) for k in wanted], total, keys[-1][1] if more else None
