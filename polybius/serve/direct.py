"""Canonical GET /events pages read on the sqlite3 connection itself (SQLite stores only).

SQLAlchemy's execution around the two statements of a page (pool checkout, parameter and
result processing) cost 0.1-0.5 ms of a ~1.5 ms page (the ASGI app timed in one process: 1.55
-> 1.05 ms per page). Here each worker thread keeps one sqlite3 connection open (WAL, query-only,
memory-mapped) and runs the same statements -- ``query._phase_statement``, compiled once per
shape of query to SQLite's positional form -- with the parameters bound by position.

Only the common pages are read this way: canonical level, first page (no cursor, no offset),
no free text, no source count, no total. Anything else, and a page that meets a stale or
missing stored record (which must be built from its members, in a write), returns None and
the caller takes the general path (``Store.canonical_page``), which gives the same bytes.
PostgreSQL stores always take the general path.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from polybius.store import query as q_
from polybius.store.rows import EventQuery, Position

_DIALECT = sqlite_dialect.dialect()
_EXPANDING = "__[POSTCOMPILE_p_status]"


@dataclass(frozen=True)
class _Compiled:
    """A phase statement as SQLite text with ``?`` markers, and what fills each marker."""

    sql: str
    names: tuple[str, ...]
    constants: dict[str, Any]
    """Values fixed at build time (literals SQLAlchemy made parameters of)."""


_COMPILED: dict[tuple[Any, ...], _Compiled] = {}


def _compiled(q: EventQuery, dated: bool, kind: bool | None) -> _Compiled:
    key = (q_.shape(q), len(q.status), dated, kind)
    found = _COMPILED.get(key)
    if found is None:
        compiled = q_._phase_statement(q, dated, kind, "sqlite").compile(dialect=_DIALECT)
        sql = compiled.string.replace(_EXPANDING, ",".join("?" * len(q.status)))
        constants = {name: b.value for name, b in compiled.binds.items()}
        found = _COMPILED.setdefault(key, _Compiled(sql, tuple(compiled.positiontup or ()),
                                                    constants))
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
    def handles(query: EventQuery, *, offset: int, after: Position | None, count: bool) -> bool:
        """Whether a page of these arguments is read here (otherwise: the general path)."""
        return (not offset and after is None and not count and query.min_sources is None
                and not query.text)

    def canonical_page(self, query: EventQuery, limit: int) -> tuple[list[bytes], Position | None] | None:
        """The first page of canonical records matching ``query`` and the next page's position
        (None on the last page) -- or None when a record is stale or missing."""
        conn = self._connection()
        values = {k: _bound(v) for k, v in q_.parameters(query).items()}

        def phase(dated: bool, after: Position | None, n: int, skip: int) -> list[Any]:
            kind = None if after is None else after.window_start is not None
            c = _compiled(query, dated, kind)
            given = values | {"p_limit": n, "p_offset": skip}
            if after is not None:
                given |= {"a_pk": after.pk, "a_start": _bound(after.window_start)}
            args: list[Any] = []
            for name in c.names:
                if name == "p_status":
                    args.extend(given[name])
                else:
                    args.append(given[name] if name in given else c.constants[name])
            return [(pk, date.fromisoformat(start) if start else None, cluster)
                    for pk, start, cluster in conn.execute(c.sql, args)]

        conn.execute("BEGIN")  # the scan and the records from one snapshot
        try:
            keys = q_.pick_clusters(lambda n, start: q_.scan_phases(phase, query, n, after=start),
                                    limit + 1)
            more, keys = len(keys) > limit, keys[:limit]
            wanted = [k for k, _ in keys]
            records: dict[str, bytes] = {}
            if wanted:
                marks = ",".join("?" * len(wanted))
                records = dict(conn.execute(
                    f"SELECT key, record FROM canonical WHERE key IN ({marks}) "
                    "AND key NOT IN (SELECT key FROM canonical_stale)", wanted))
        finally:
            conn.execute("COMMIT")
        if len(records) < len(wanted):
            return None
        return [bytes(records[k]) for k in wanted], keys[-1][1] if more else None
