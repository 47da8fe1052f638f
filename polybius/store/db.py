"""``Store``: articles and their events in SQLite (WAL) or PostgreSQL, one write path (``add``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    create_engine,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from polybius.errors import StoreError
from polybius.link import (ATTACH_DAYS, COARSE_DATE, MAX_SPREAD_DAYS, NO_CITY, SPECIFIC, VAGUE,
                           WEEK_NO_CITY, LinkItem, clusters, date_window, incremental, kind,
                           link_names, place_key)
from polybius.link.incremental import Stored
from polybius.link.canonical import FIGURES, Member, corroborate
from polybius.model import (
    Document,
    Event,
    EventDate,
    Evidence,
    Factuality,
    Location,
    Place,
    Size,
    Trigger,
)
from polybius.store import canonical_table, codec
from polybius.store.bulk import insert_rows, placeholder, update_by_pk
from polybius.store import query as q_
from polybius.store.query import lines_value
from polybius.store.rows import (
    CanonicalEvent,
    CanonicalPage,
    EventPage,
    EventQuery,
    EventRow,
    FieldValues,
    FeedState,
    IngestResult,
    NameCount,
    Party,
    Position,
    Stats,
    Summary,
)
from polybius.store.results import CanonicalEventList, EventList
from polybius.store.schema import actors, articles, events, feed_entries, feeds, places

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

MIGRATIONS = Path(__file__).parent / "migrations"
_CHUNK = 500  # ids per IN (...) clause; well under every backend's bound-parameter limit


def default_source(doc: Document) -> str | None:
    """The outlet: the URL's host without ``www.``, or the file name for file paths."""
    url = doc.article.url
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        host = parts.hostname.lower()
        return host[4:] if host.startswith("www.") else host
    return PurePosixPath(parts.path or url).name or None


class Store:
    """Articles, events, actors and places in a database, migrated to the latest schema on open.

    ``url`` is a SQLAlchemy URL: ``sqlite:///events.db`` (created when missing) or
    ``postgresql://user@host/name``. Writes go through ``add``/``ingest``, one transaction a batch.

    Example::

        with Store("sqlite:///events.db") as store:
            store.ingest("reports/")
            store.events(type="ASSAULT", since=date(2018, 1, 1)).to_pandas()
    """

    def __init__(self, url: str = "sqlite:///polybius.db") -> None:
        self.url = url
        self.engine = _open_engine(url)
        # link fields of events this Store wrote or read while relinking: rows never change them
        # (only cluster_id, which is read fresh each time), so each is parsed once per process
        self._link_items = _ItemCache()
        try:
            with self.engine.connect() as conn:
                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {_describe(url)}: {_reason(exc)}") from exc
        except CommandError as exc:
            # typically a database migrated by a newer polybius than this one
            self.engine.dispose()
            raise StoreError(f"cannot migrate store {_describe(url)}: {exc}") from exc

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def add(self, docs: Iterable[Document], *,
            source: Callable[[Document], str | None] | None = None, link: bool = True) -> IngestResult:
        """Store a batch of documents in ONE transaction (all or nothing); known articles are skipped.

        ``link=False`` leaves the new events unclustered (``relink`` clusters them later): for
        bulk loads such as ``polybius bench api``, where re-clustering after every batch costs
        more than the load itself.
        """
        source = source or default_source
        result = IngestResult()
        try:
            with self._write() as conn:
                fresh: dict[str, Document] = {}
                batch = list(docs)
                known = _present(conn, articles.c.id, (d.article.id for d in batch))
                for doc in batch:
                    aid = doc.article.id
                    result.ids.append(aid)
                    if aid in fresh or aid in known:
                        result.skipped += 1
                    else:
                        fresh[aid] = doc
                new_items: list[LinkItem] = []
                new_keys = _insert_documents(conn, list(fresh.values()), source, new_items)
                result.added = len(fresh)
                if new_keys and link:
                    _relink_around(conn, new_keys, new=new_items, known=self._link_items)
            # only rows that are committed may be taken from the cache later
            self._link_items.add(new_items)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc
        return result

    def ingest(self, sources: Iterable[str | Path] | str | Path, *, pipeline: Pipeline | None = None,
               published: date | None = None,
               on_progress: Callable[[int, int | None], None] | None = None) -> IngestResult:
        """Read, extract and store text, HTML, JSONL and WARC files or whole folders.

        The same path as ``polybius ingest`` (``polybius.scale.ingest``) run in this process: one
        model load, partitions through ``nlp.pipe``, one transaction per ``write_batch`` documents;
        articles already stored are skipped without extraction, so an interrupted ingest resumes;
        unusable inputs are listed in ``failed`` and the rest go on. ``published`` applies to files
        that do not say; ``pipeline`` defaults to ``Pipeline()``; ``on_progress(done, total)``
        hears of every partition (``total`` is None until every input has been read).

        Example::

            result = store.ingest("samples/articles")
            result.added, result.skipped, result.failed
        """
        from polybius import scale
        from polybius.pipeline import Pipeline

        pipeline = pipeline or Pipeline()
        sink = scale.StoreSink(self, batch=pipeline.config.write_batch)
        report = scale.ingest([sources] if isinstance(sources, str | Path) else sources,
                              scale.LocalExecutor(pipeline, sink.known), sink, published=published,
                              partition_size=pipeline.config.partition_size,
                              max_record_bytes=pipeline.config.warc_max_record_bytes,
                              on_progress=on_progress)
        return IngestResult(added=report.written, skipped=report.already, ids=report.ids,
                            failed=[f"{s.source}: {s.reason}" for s in report.skips.items])

    def relink(self, *, refresh: bool = True) -> dict[str, str]:
        """Recompute every cluster from scratch (after the linking rules change); returns key → cluster.

        ``add`` keeps clusters current incrementally; this is the only other write. The stored
        canonical records are rebuilt afterwards unless ``refresh=False`` (then
        ``refresh_canonical`` or the next API read does it).
        """
        try:
            with self._write() as conn:
                found = conn.execute(_link_select()).all()
                assigned = clusters([_link_item(r) for r in found])
                _save_clusters(conn, assigned,
                               {f"{r.article_id}/{r.event_id}": r.cluster_id for r in found})
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc
        if refresh:
            self.refresh_canonical(everything=True)
        return assigned

    def refresh_canonical(self, *, everything: bool = False) -> int:
        """Rebuild the stored canonical records whose clusters changed; returns how many.

        Relinking (``add``, ``relink``) only marks the clusters it changed; this rebuilds them in
        one transaction. ``ingest``, ``relink`` and ``polybius serve`` call it, and the API's
        pages call it when anything is stale. ``everything`` also builds missing records
        (events added with ``link=False``, stores from before migration 0005).
        """
        try:
            with self._write() as conn:
                return canonical_table.refresh(conn, everything=everything)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc

    def analyze(self) -> None:
        """Refresh the query planner's statistics (``ANALYZE``) after a bulk write.

        ``polybius ingest`` and ``polybius serve`` call it. Without statistics SQLite took the
        country index for a page filtered by type, country and dates and sorted its matches
        (2.2 ms against 0.6 ms with them, on 100k reports); a full ANALYZE of 100k reports
        takes ~0.3 s.
        """
        try:
            with self._write() as conn:
                conn.exec_driver_sql("ANALYZE")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc

    def canonical_page(self, query: EventQuery, *, limit: int = 50, offset: int = 0,
                       after: Position | None = None, count: bool = True) -> canonical_table.RecordPage:
        """``find_canonical``'s page as the stored JSON records GET /events serves.

        A record marked stale (or missing) is never served: the page builds it from the members,
        and then the stale records are rebuilt (``refresh_canonical``) for the next reads;
        when another process holds the write lock, that is left to the next read.
        """
        with self._read() as conn:
            page = canonical_table.page(conn, query, limit=limit, offset=offset, after=after,
                                        count=count)
        if page.built:
            try:
                self.refresh_canonical()
            except StoreError:
                pass  # a writer is busy; pages keep building what is stale until it is done
        return page

    # -- reading -------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this content id is stored."""
        with self._read() as conn:
            return self._has(conn, article_id)

    def article(self, article_id: str) -> Document | None:
        """The stored document of an article, or None when it is not stored."""
        with self._read() as conn:
            obj = conn.execute(select(articles.c.document)
                               .where(articles.c.id == article_id)).scalar_one_or_none()
        return Document.from_json(obj) if obj is not None else None

    def count_articles(self) -> int:
        """Number of stored articles."""
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def events(self, *, type: str | None = None, country: str | None = None,
               since: date | None = None, until: date | None = None, actor: str | None = None,
               limit: int | None = None, cluster_ids: Sequence[str] | None = None,
               ) -> EventList:
        """Events matching every given filter, by date (undated last).

        Dates overlap-match the event's date range widened to its precision; ``actor`` is a
        case-insensitive substring of any actor or recipient name; ``country`` is ISO-2.
        The list converts itself with ``to_pandas()`` and ``to_geojson()``.

        Example::

            store.events(type="ASSAULT", country="FR", since=date(2018, 1, 1))
        """
        query = (select(events, articles.c.url, articles.c.title, articles.c.published,
                        articles.c.source, articles.c.text)
                 .join(articles, events.c.article_id == articles.c.id))
        if type:
            query = query.where(events.c.type == type.upper())
        if country:
            query = query.where(events.c.country == country.upper())
        if since:
            query = query.where(events.c.window_end >= since)
        if until:
            query = query.where(events.c.window_start <= until)
        if actor:
            query = query.where(events.c.names_folded.contains(actor.casefold(), autoescape=True))
        if cluster_ids is not None:
            query = query.where(events.c.cluster_id.in_(list(cluster_ids)))
        query = query.order_by(events.c.window_start.is_(None), events.c.window_start,
                               events.c.article_id, events.c.pk)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            found = conn.execute(query).mappings().all()
            names = _actors_of(conn, {r["article_id"] for r in found})
        return EventList(_event_row(r, names.get(r["article_id"], {})) for r in found)

    def canonical_events(self, *, type: str | None = None, country: str | None = None,
                         since: date | None = None, until: date | None = None,
                         actor: str | None = None, limit: int | None = None,
                         ) -> CanonicalEventList:
        """One record per cluster having at least one event that matches the filters.

        Takes the filters of ``events``; the list converts itself with ``to_pandas()``.

        Example::

            [(c.type, c.n_sources, c.killed.values) for c in store.canonical_events(type="ASSAULT")]
        """
        hits = self.events(type=type, country=country, since=since, until=until, actor=actor)
        merged = self.canonical_of(hits)
        return CanonicalEventList(merged[:limit] if limit is not None else merged)

    def canonical_of(self, rows: Iterable[EventRow]) -> CanonicalEventList:
        """The canonical events the given event rows belong to, each with ALL its members.

        For callers that select rows their own way (``find_events``, the API's export) and want
        the merged events behind them. Sorted by date like ``canonical_events``.
        """
        rows = list(rows)
        wanted = sorted({r.cluster_id for r in rows if r.cluster_id})
        members: list[EventRow] = [r for r in rows if not r.cluster_id]
        for i in range(0, len(wanted), _CHUNK):
            members += self.events(cluster_ids=wanted[i:i + _CHUNK])
        groups: dict[str, list[EventRow]] = {}
        for row in members:
            groups.setdefault(row.cluster_id or row.key, []).append(row)
        with self._read() as conn:
            texts = _article_texts(conn, {r.article_id for r in members})
        return CanonicalEventList(sorted(
            (_canonical(cid, rows, texts) for cid, rows in groups.items()),
            key=lambda c: (c.date_start is None, c.date_start or "", c.cluster_id)))

    def find_events(self, query: EventQuery, *, limit: int = 50, offset: int = 0,
                    after: Position | None = None, count: bool = True) -> EventPage:
        """One page of the events matching ``query``, sorted by date, with the total count.

        ``after`` (a page's ``next``) starts the page after that position (keyset pagination:
        as fast on page 1000 as on page 1); ``offset`` skips events instead. ``count=False``
        leaves ``total`` None unless this page is the last one (then it is known for free).
        """
        with self._read() as conn:
            # Sort and cut the page on narrow rows (index-only for the usual filters), then
            # read the wide rows of that page only; sorting wide rows costs ~10x more.
            keys = q_.page_keys(conn, query, limit + 1, offset=offset, after=after)
            more, keys = len(keys) > limit, keys[:limit]
            rows = _rows_by_pk(conn, [k.pk for k in keys])
            if not more and after is None and (keys or offset == 0):
                total: int | None = offset + len(keys)  # the last page tells the total
            else:
                total = q_.count(conn, query) if count else None
        return EventPage(rows=rows, total=total, limit=limit, offset=offset,
                         next=keys[-1] if more else None)

    def find_canonical(self, query: EventQuery, *, limit: int = 50, offset: int = 0,
                       after: Position | None = None, count: bool = True) -> CanonicalPage:
        """One page of canonical events: clusters with a member matching ``query``, by date.

        A cluster takes the place of its first matching member in date order; its record is
        built from all its members (as ``canonical_events``). ``after``, ``offset`` and
        ``count`` as in ``find_events``.
        """
        with self._read() as conn:
            keys = q_.canonical_keys(conn, query, limit + 1, offset=offset, after=after)
            more, keys = len(keys) > limit, keys[:limit]
            wanted = [k for k, _ in keys]
            members = _cluster_members(conn, wanted)
            # near-duplicate detection needs the texts of clusters with two or more articles only
            texts = _article_texts(conn, {r.article_id for rows in members.values()
                                          if len({m.article_id for m in rows}) > 1 for r in rows})
            if not more and after is None and (keys or offset == 0):
                total: int | None = offset + len(keys)
            else:
                total = q_.count_canonical(conn, query) if count else None
        wanted = [k for k in wanted if k in members]  # a relink since the scan moved it
        merged = [_canonical(members[k][0].cluster_id or members[k][0].key, members[k], texts)
                  for k in wanted]
        return CanonicalPage(events=merged, members={c.cluster_id: members[k]
                                                     for c, k in zip(merged, wanted)},
                             total=total, limit=limit, offset=offset,
                             next=keys[-1][1] if more else None)

    def event(self, article_id: str, event_id: str) -> EventRow | None:
        """One stored event by its article and event id, or None."""
        query = (select(events, articles.c.url, articles.c.title, articles.c.published,
                        articles.c.source, articles.c.text)
                 .join(articles, events.c.article_id == articles.c.id)
                 .where(events.c.article_id == article_id, events.c.event_id == event_id))
        with self._read() as conn:
            found = conn.execute(query).mappings().first()
            if found is None:
                return None
            names = _actors_of(conn, {article_id})
        return _event_row(found, names.get(article_id, {}))

    def name_counts(self, kind: str, query: EventQuery | None = None, *,
                    contains: str | None = None, limit: int = 100) -> list[NameCount]:
        """Actors (``kind="actors"``) or places (``"places"``) of matching events, with counts."""
        if kind not in ("actors", "places"):
            raise ValueError(f"kind must be 'actors' or 'places', not {kind!r}")
        with self._read() as conn:
            return q_.name_counts(conn, kind, query or EventQuery(), contains, limit)

    def stats(self, query: EventQuery | None = None, *, canonical: bool = False) -> Stats:
        """Counts of matching events per type, country, factuality status and day;
        ``canonical`` counts canonical events (``query.stats``) instead of reports."""
        with self._read() as conn:
            return q_.stats(conn, query or EventQuery(), canonical=canonical)

    def summary(self, top: int = 10) -> Summary:
        """Counts per type, country and factuality status, and the most frequent actors."""
        e = events
        with self._read() as conn:
            def grouped(col: Any) -> dict[str, int]:
                rows = conn.execute(select(col, func.count()).where(col.is_not(None))
                                    .group_by(col).order_by(func.count().desc(), col))
                return {k: int(n) for k, n in rows}

            n_articles = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            n_events = conn.execute(select(func.count()).select_from(e)).scalar_one()
            unlocated = conn.execute(select(func.count()).select_from(e)
                                     .where(e.c.country.is_(None))).scalar_one()
            by_type, by_country, by_fact = grouped(e.c.type), grouped(e.c.country), grouped(e.c.factuality)
            people: Counter[str] = Counter()
            for a_names, r_names in conn.execute(select(e.c.actor_names, e.c.recipient_names)):
                people.update(set(a_names) | set(r_names))
        top_actors = sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return Summary(articles=int(n_articles), events=int(n_events), by_type=by_type,
                       by_country=by_country, unlocated=int(unlocated),
                       by_factuality=by_fact, top_actors=top_actors)

    # -- feed state and resumable runs (issue 10) ----------------------------------------

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored."""
        with self._read() as conn:
            return _present(conn, articles.c.id, article_ids)

    def add_feed(self, url: str) -> bool:
        """Subscribe to a feed; False when it was already subscribed."""
        try:
            with self._write() as conn:
                if conn.execute(select(feeds.c.url).where(feeds.c.url == url)).first() is not None:
                    return False
                conn.execute(feeds.insert().values(url=url, added_at=datetime.now(timezone.utc),
                                                   n_entries=0))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc
        return True

    def feeds(self) -> list[FeedState]:
        """Every subscribed feed, by URL."""
        with self._read() as conn:
            rows = conn.execute(select(feeds).order_by(feeds.c.url)).mappings().all()
        return [FeedState(**dict(r)) for r in rows]

    def update_feed(self, state: FeedState) -> None:
        """Save a feed's state after a poll."""
        values = {k: v for k, v in vars(state).items() if k not in ("url", "added_at")}
        try:
            with self._write() as conn:
                conn.execute(update(feeds).where(feeds.c.url == state.url).values(**values))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc

    def seen_entry_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these entry URLs a feed poll has already handled."""
        with self._read() as conn:
            return _present(conn, feed_entries.c.url, urls)

    def record_entries(self, feed_url: str, entries: Iterable[tuple[str, str | None, str, str | None]]) -> None:
        """Remember handled entries: (url, article id or None, status, reason); known URLs are kept."""
        rows = [{"feed_url": feed_url, "url": u, "article_id": a, "status": s, "reason": r,
                 "seen_at": datetime.now(timezone.utc)} for u, a, s, r in entries]
        if not rows:
            return
        try:
            with self._write() as conn:
                known = set(conn.execute(select(feed_entries.c.url).where(
                    feed_entries.c.url.in_([r["url"] for r in rows]))).scalars())
                fresh = list({r["url"]: r for r in rows if r["url"] not in known}.values())
                if fresh:
                    conn.execute(feed_entries.insert(), fresh)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to store {_describe(self.url)}: {_reason(exc)}") from exc

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _has(conn: Connection, article_id: str) -> bool:
        return conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """The single writer: one transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
        with self.engine.connect() as conn:
            conn.execution_options(polybius_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read store {_describe(self.url)}: {_reason(exc)}") from exc


# -- opening ---------------------------------------------------------------------------------

def _describe(url: str) -> str:
    try:
        return repr(make_url(url).render_as_string(hide_password=True))
    except ArgumentError:
        return repr(url)


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else str(exc).splitlines()[0]


def _open_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot open store {url!r}: not a database URL ({exc})") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if path.is_dir():
            raise StoreError(f"cannot open store {url!r}: {path} is a directory, not a database file")
        if not path.parent.is_dir():
            raise StoreError(f"cannot open store {url!r}: directory {path.parent} does not exist")
    if parsed.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare "postgresql" would mean psycopg2
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        pg = parsed.get_backend_name() == "postgresql"
        # orjson for the JSON columns (half the write time with json.dumps); psycopg takes bytes
        engine = create_engine(parsed, pool_pre_ping=pg, json_deserializer=codec.loads,
                               json_serializer=codec.dumps_bytes if pg else codec.dumps)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open store {_describe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    return engine


def _sqlite_setup(engine: Engine) -> None:
    """WAL + foreign keys on every connection; transactions begun by us, not by pysqlite.

    pysqlite's own implicit BEGIN skips DDL and cannot do BEGIN IMMEDIATE, so we switch it off
    and emit BEGIN ourselves (the SQLAlchemy-documented recipe).
    """
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # reads through a memory map, not a read() copy per page: half the SQLite time of an API
        # page on 100k events (issue 8); address space only, the OS shares the file's pages
        cursor.execute("PRAGMA mmap_size=1073741824")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("polybius_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# -- writing one document ----------------------------------------------------------------------

def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _present(conn: Connection, column: Any, values: Iterable[str]) -> set[str]:
    """Which of ``values`` occur in ``column`` (one query per _CHUNK values)."""
    wanted = sorted(set(values))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        found.update(conn.execute(select(column).where(column.in_(wanted[i:i + _CHUNK]))).scalars())
    return found


def _insert_documents(conn: Connection, docs: list[Document], source: Callable[[Document], str | None],
                      items: list[LinkItem] | None = None) -> list[tuple[str, str]]:
    """Insert a batch of new documents, one bulk insert per table (``bulk``); returns the event keys
    (and appends the events' link fields to ``items``, so relinking need not read them back).

    The JSON columns get the model's dataclasses as they are (``Document.to_json(native=True)``,
    the ``Event`` itself): the engine's orjson serialiser (``codec``) writes them in one pass.
    """
    if not docs:
        return []
    now = datetime.now(timezone.utc)
    rows: dict[str, list[dict[str, Any]]] = {"articles": [], "actors": [], "places": [], "events": []}
    for doc in docs:
        art, obj = doc.article, doc.to_json(native=True)
        rows["articles"].append({
            "id": art.id, "url": art.url, "title": art.title, "published": art.published,
            "source": source(doc), "language": art.language, "text": art.text,
            "removed": obj["article"]["removed"], "ingested_at": now, "document": obj})
        rows["actors"] += [{"article_id": art.id, "actor_id": a.id, "name": a.name, "kind": a.kind,
                            "country": a.country, "sector": a.sector} for a in doc.actors]
        rows["places"] += [{"article_id": art.id, "place_id": p.id, "name": p.name,
                            "geonameid": p.geonameid, "country_code": p.country_code,
                            "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
                            "resolution": p.resolution} for p in doc.places]
        names = {a.id: a.name for a in doc.actors}
        where = {p.id: p for p in doc.places}
        rows["events"] += [_event_values(art.id, ev, names, where) for ev in doc.events]
    for table in (articles, actors, places, events):  # parents first: foreign keys hold throughout
        insert_rows(conn, table, rows[table.name])
    if items is not None:
        items += [_link_item_of(r["article_id"], r["event_id"], r["type"], r["window_start"],
                                r["window_end"], r["country"], r["resolution"], r["geonameid"],
                                r["place_name"], r["actor_names"], r["recipient_names"])
                  for r in rows["events"]]
    return [(d.article.id, e.id) for d in docs for e in d.events]


_INT_MAX = 2**31 - 1  # INTEGER columns are 32-bit on PostgreSQL


def _count(value: int | None) -> int | None:
    """A figure for its INTEGER column: one beyond the column's range (no real count is) is left
    out there, so it cannot fail the batch; the event's JSON keeps it as the article said."""
    return value if value is None or -_INT_MAX <= value <= _INT_MAX else None


def _event_values(article_id: str, ev: Event, names: dict[str, str],
                  where: dict[str, Place]) -> dict[str, Any]:
    place = where.get(ev.location.place) if ev.location.place else None
    start, end = _iso(ev.date.start), _iso(ev.date.end)
    window = date_window(start, end, ev.date.precision)
    actor_names = [names.get(a, a) for a in ev.actors]
    recipient_names = [names.get(a, a) for a in ev.recipients]
    size = ev.size
    return {
        "article_id": article_id, "event_id": ev.id, "type": ev.type,
        "date_start": start, "date_end": end,
        "window_start": window[0] if window else None, "window_end": window[1] if window else None,
        "precision": ev.date.precision, "basis": ev.date.basis,
        "country": place.country_code if place else None,
        "place_name": place.name if place else None, "admin1": place.admin1 if place else None,
        "geonameid": place.geonameid if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "resolution": ev.location.resolution or (place.resolution if place else None),
        "factuality": ev.factuality.status,
        "killed": _count(size.killed), "injured": _count(size.injured),
        "arrested": _count(size.arrested), "money_usd": size.money_usd,
        "actor_names": actor_names, "recipient_names": recipient_names,
        "names_folded": "\n".join(n.casefold() for n in actor_names + recipient_names),
        "cluster_id": None, "event": ev,
        "modes": lines_value(ev.mode), "contexts": lines_value(ev.context),
        "recipients_folded": "\n".join(n.casefold() for n in recipient_names),
        "window_days": (window[1] - window[0]).days if window else 0,
    }


# -- linking inside the write transaction ------------------------------------------------------

def _link_select() -> Any:
    e = events
    return select(e.c.article_id, e.c.event_id, e.c.type, e.c.window_start, e.c.window_end,
                  e.c.country, e.c.resolution, e.c.geonameid, e.c.place_name,
                  e.c.actor_names, e.c.recipient_names, e.c.cluster_id)


def _link_item(r: Any) -> LinkItem:
    return _link_item_of(r.article_id, r.event_id, r.type, r.window_start, r.window_end, r.country,
                         r.resolution, r.geonameid, r.place_name, r.actor_names, r.recipient_names)


def _link_item_of(article_id: str, event_id: str, type_: str, window_start: date | None,
                  window_end: date | None, country: str | None, resolution: str | None,
                  geonameid: int | None, place_name: str | None, actor_names: list[str],
                  recipient_names: list[str]) -> LinkItem:
    """An event's link fields, from its row or from the values about to be inserted (the same)."""
    window = (window_start, window_end) if window_start is not None else None
    return LinkItem(key=f"{article_id}/{event_id}", article_id=article_id, type=type_,
                    window=window, country=country, resolution=resolution,  # type: ignore[arg-type]
                    geonameid=geonameid, place_name=place_name,
                    names=link_names([*actor_names, *recipient_names]))


def _relink_around(conn: Connection, new_keys: list[tuple[str, str]], *,
                   new: Sequence[LinkItem] | None = None, known: _ItemCache | None = None) -> None:
    """Update the clusters around newly inserted events (``polybius.link.incremental``).

    Only the new events' neighbourhood is read, through indexed lookups by type, date window
    and country or city; the result equals reclustering the whole store, whatever the order.
    ``new`` are the new events' link items when the caller has them (else they are read back),
    ``known`` link items of committed rows (so neighbours are not parsed again).
    """
    e = events
    if new is None:
        new_articles = sorted({a for a, _ in new_keys})
        new = []
        for i in range(0, len(new_articles), _CHUNK):
            new += [_link_item(r) for r in conn.execute(
                _link_select().where(e.c.article_id.in_(new_articles[i:i + _CHUNK])))]
    hood = _StoreNeighbourhood(conn, known)
    hood.items.update((it.key, it) for it in new)
    hood.prefetch(new)
    assigned, current = incremental.relink(new, hood)
    _save_clusters(conn, assigned, current, hood.pks)


class _ItemCache:
    """Link items by event key, bounded: when full it starts again (the rows are still in SQL)."""

    LIMIT = 500_000  # about 250 MB of items; a store's busy neighbourhoods are far smaller

    def __init__(self) -> None:
        self.items: dict[str, LinkItem] = {}

    def get(self, key: str) -> LinkItem | None:
        return self.items.get(key)

    def add(self, items: Iterable[LinkItem]) -> None:
        for it in items:
            if len(self.items) >= self.LIMIT:
                self.items.clear()
            self.items[it.key] = it


def _light_select() -> Any:
    """Which rows a lookup finds, and their current cluster: the link fields come from the caches."""
    e = events
    return select(e.c.pk, e.c.article_id, e.c.event_id, e.c.cluster_id)


class _StoreNeighbourhood:
    """``polybius.link.incremental.Neighbourhood`` over the events table.

    Lookups go through the (type, city or country, window) indexes of migration 0004, with the
    wanted kinds narrowed in SQL as far as a portable query allows and exactly in Python; those
    inside a ``prefetch``ed range are answered from memory with the same conditions
    (``_near_match``), which the shuffled-order store tests hold equal to a full recompute.
    """

    def __init__(self, conn: Connection, known: _ItemCache | None = None) -> None:
        self.conn = conn
        # one update reads the same rows through many overlapping lookups; parse each once
        self.items: dict[str, LinkItem] = {}
        self.known = known or _ItemCache()
        self.pks: dict[str, int] = {}
        """Primary keys of the rows the lookups found (for writing their cluster ids)."""
        # prefetched rows per type, in buckets by kind and city (each sorted by window start,
        # with the starts alongside for bisecting), and the window-start ranges they cover
        self.buckets: dict[str, dict[tuple[str | None, object], tuple[list[date], list[Stored]]]] = {}
        self.regions: dict[str, list[tuple[date, date]]] = {}

    def _fetch(self, statement: Any, params: dict[str, Any] | None = None) -> list[tuple[LinkItem, str | None]]:
        """(item, cluster id) of the rows a ``_light_select`` statement finds, in its order: the
        link fields of rows not seen before are read by primary key, in chunks, and parsed once."""
        found = [(f"{aid}/{eid}", pk, cid) for pk, aid, eid, cid in self.conn.execute(statement, params or {})]
        items, known, pks = self.items, self.known.items, self.pks
        missing = []
        for key, pk, _ in found:
            pks[key] = pk
            if key not in items:
                it = known.get(key)
                if it is None:
                    missing.append(pk)
                else:
                    items[key] = it
        for i in range(0, len(missing), _CHUNK):
            for row in self.conn.execute(_link_select().where(events.c.pk.in_(missing[i:i + _CHUNK]))):
                items[f"{row.article_id}/{row.event_id}"] = _link_item(row)
        return [(items[key], cid) for key, _, cid in found]

    def prefetch(self, new: Sequence[LinkItem]) -> None:
        """Read the rows of a batch's types and date ranges in one query per range, so that
        thousands of new reports do not cost thousands of round trips; lookups outside these
        ranges still go to the database."""
        spans: dict[str, list[tuple[date, date]]] = {}
        for it in new:
            if it.window is not None:
                spans.setdefault(it.type, []).append(
                    (it.window[0] - _PREFETCH_BEFORE, it.window[1] + _PREFETCH_AFTER))
        e = events
        for type_, windows in spans.items():
            rows: list[tuple[LinkItem, str | None]] = []
            for first, last in _disjoint(windows):
                rows += self._fetch(_light_select().where(
                    e.c.type == type_, e.c.window_start >= first, e.c.window_start <= last))
                self.regions.setdefault(type_, []).append((first, last))
            rows.sort(key=lambda row: row[0].window[0])  # type: ignore[index]
            buckets = self.buckets.setdefault(type_, {})
            for row in rows:
                starts, found = buckets.setdefault((kind(row[0]), place_key(row[0])), ([], []))
                starts.append(row[0].window[0])  # type: ignore[index]
                found.append(row)

    def near(self, type_: str, lo: date, hi: date, *, before: int, country: str | None,
             city: LinkItem | None, kinds: Collection[str]) -> list[tuple[LinkItem, str | None]]:
        wanted = frozenset(kinds)
        gid = city.geonameid if city is not None else None
        place = ("city" if wanted <= {SPECIFIC, COARSE_DATE}
                 else "no-city" if wanted <= {NO_CITY, WEEK_NO_CITY, VAGUE} else "any")
        first = lo - timedelta(days=before)
        city_key = place_key(city) if city is not None else None
        if any(a <= first and hi <= b for a, b in self.regions.get(type_, ())):
            buckets = self.buckets[type_]
            # only the buckets of the wanted kinds (and city) can match: no scan of the others
            keys = ([(k, city_key) for k in kinds] if city_key is not None
                    else [key for key in buckets if key[0] in wanted])
            found = []
            for key in keys:
                starts, rows = buckets.get(key, ((), ()))  # type: ignore[arg-type]
                found += [(it, cid) for it, cid in rows[bisect_left(starts, first):bisect_right(starts, hi)]
                          if (country is None or it.country in (country, None))
                          and _near_match(it, first, lo, hi, city is not None, gid, place)]
        else:
            statement = _near_statement(country is not None, city is not None, gid is not None, place)
            params = {"type": type_, "first": first, "hi": hi, "lo": lo, "country": country, "gid": gid}
            found = self._fetch(statement, params)
        return [(it, cid) for it, cid in found
                if kind(it) in kinds and (city_key is None or place_key(it) == city_key)]

    def in_clusters(self, ids: Collection[str]) -> list[tuple[LinkItem, str | None]]:
        return self._rows(events.c.cluster_id, ids)

    def _rows(self, column: Any, values: Collection[Any]) -> list[tuple[LinkItem, str | None]]:
        wanted = sorted(values)
        out = []
        for i in range(0, len(wanted), _CHUNK):
            out += self._fetch(_light_select().where(column.in_(wanted[i:i + _CHUNK])))
        return out


# a lookup reaches back at most ATTACH_DAYS (+ the spread cap) before a report's window; neighbours
# found around it ask a few days further on either side
_PREFETCH_BEFORE = timedelta(days=ATTACH_DAYS + 2 * MAX_SPREAD_DAYS)
_PREFETCH_AFTER = timedelta(days=2 * MAX_SPREAD_DAYS)


def _disjoint(windows: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping date ranges merged into disjoint ones."""
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _near_match(it: LinkItem, first: date, lo: date, hi: date, in_city: bool, gid: int | None,
                place: str) -> bool:
    """``_near_statement``'s WHERE clause (beyond type and country) evaluated on a prefetched row."""
    if it.window is None or not (first <= it.window[0] <= hi and it.window[1] >= lo):
        return False
    if (in_city or place == "city") and it.resolution != "city":
        return False
    if gid is not None and it.geonameid != gid:
        return False
    if place == "no-city":
        return it.resolution != "city" or (it.geonameid is None and it.place_name is None)
    return True


@lru_cache(maxsize=32)
def _near_statement(by_country: bool, in_city: bool, by_geonameid: bool, place: str) -> Any:
    """The neighbour lookup of ``_StoreNeighbourhood.near`` for one combination of filters,
    built once (bound parameters: type, first, hi, lo, country, gid)."""
    e = events
    where = [e.c.type == bindparam("type"), e.c.window_start >= bindparam("first"),
             e.c.window_start <= bindparam("hi"), e.c.window_end >= bindparam("lo")]
    if by_country:
        where.append(or_(e.c.country == bindparam("country"), e.c.country.is_(None)))
    if in_city or place == "city":  # SPECIFIC and COARSE_DATE both need a city
        where.append(e.c.resolution == "city")
    if by_geonameid:
        where.append(e.c.geonameid == bindparam("gid"))
    if place == "no-city":  # a superset of "no city"; kind() decides exactly
        where.append(or_(e.c.resolution.is_(None), e.c.resolution != "city",
                         and_(e.c.geonameid.is_(None), e.c.place_name.is_(None))))
    return _light_select().where(and_(*where))


def _save_clusters(conn: Connection, assigned: dict[str, str], current: dict[str, str | None],
                   pks: dict[str, int] | None = None) -> None:
    """Write the cluster ids that changed: the one place relinking writes them. Rows whose
    primary key the lookups saw (``pks``) are updated by it in one driver call, others by
    (article id, event id)."""
    pks = pks or {}
    changed = [(k, c) for k, c in assigned.items() if current.get(k) != c]
    update_by_pk(conn, events, "cluster_id", [(pks[k], c) for k, c in changed if k in pks])
    by_key = [{"a": k.rsplit("/", 1)[0], "e": k.rsplit("/", 1)[1], "c": c} for k, c in changed if k not in pks]
    if by_key:
        conn.execute(update(events).where(and_(events.c.article_id == bindparam("a"),
                                               events.c.event_id == bindparam("e")))
                     .values(cluster_id=bindparam("c")), by_key)
    if changed:
        # the stored records of the clusters they left and joined are out of date
        canonical_table.mark_stale(conn, {c for _, c in changed} | {current.get(k) for k, _ in changed})


# -- reading rows back -------------------------------------------------------------------------

def _wide() -> Any:
    return (select(events, articles.c.url, articles.c.title, articles.c.published,
                   articles.c.source, articles.c.text)
            .join(articles, events.c.article_id == articles.c.id))


def _rows_by_pk(conn: Connection, pks: list[int]) -> list[EventRow]:
    """Event rows with these primary keys, in the order given."""
    found = {r["pk"]: r for r in conn.execute(_wide().where(events.c.pk.in_(pks))).mappings()}
    names = _parties_of(conn, found.values())
    return [_event_row(found[pk], names.get(found[pk]["article_id"], {})) for pk in pks if pk in found]


def _cluster_members(conn: Connection, keys: list[str]) -> dict[str, list[EventRow]]:
    """Every member row of these canonical keys (``query.cluster_key``), by date; unknown keys left out."""
    pks = [int(k[1:]) for k in keys if k.startswith("#")]
    clusters = [k for k in keys if not k.startswith("#")]
    found: list[Any] = []
    for i in range(0, len(clusters), _CHUNK):
        found += conn.execute(_wide().where(events.c.cluster_id.in_(clusters[i:i + _CHUNK]))).mappings().all()
    for i in range(0, len(pks), _CHUNK):
        found += conn.execute(_wide().where(events.c.pk.in_(pks[i:i + _CHUNK]))).mappings().all()
    # "#pk" of an event clustered since is found again by its cluster: once per event
    found = list({r["pk"]: r for r in found}.values())
    names = _parties_of(conn, found)
    out: dict[str, list[EventRow]] = {}
    for r in sorted(found, key=lambda r: (r["window_start"] is None, r["window_start"] or date.min, r["pk"])):
        out.setdefault(q_.cluster_key(r["pk"], r["cluster_id"]), []).append(
            _event_row(r, names.get(r["article_id"], {})))
    return out


def _actors_of(conn: Connection, article_ids: set[str]) -> dict[str, dict[str, Party]]:
    out: dict[str, dict[str, Party]] = {}
    ids = sorted(article_ids)
    for i in range(0, len(ids), _CHUNK):
        for r in conn.execute(select(actors).where(actors.c.article_id.in_(ids[i:i + _CHUNK]))):
            out.setdefault(r.article_id, {})[r.actor_id] = Party(
                id=r.actor_id, name=r.name, kind=r.kind, country=r.country, sector=r.sector)
    return out


def _parties_of(conn: Connection, rows: Iterable[Any]) -> dict[str, dict[str, Party]]:
    """The actors these event rows name (actors, recipients, sources), per article.

    Only those, not every actor of their articles: a page of 50 events read 600 actor rows
    (a quarter of the page's time) to use 100.
    """
    wanted: dict[str, set[str]] = {}
    for r in rows:
        ev = r["event"]
        wanted.setdefault(r["article_id"], set()).update(
            ev["actors"], ev["recipients"], ev["factuality"]["attributed_to"])
    groups = sorted((art, sorted(ids)) for art, ids in wanted.items() if ids)
    out: dict[str, dict[str, Party]] = {}
    # One (article_id = ? AND actor_id IN (...)) term per article, ORed: each term walks the
    # (article_id, actor_id) index; a row-value IN of the pairs made SQLite scan the table.
    # Positional parameters straight to the driver: SQLAlchemy compiling a text clause of
    # thousands of named parameters cost a tenth of a canonical refresh.
    mark = placeholder(conn.dialect)
    for i in range(0, len(groups), 100):
        terms, params = [], []
        for art, ids in groups[i:i + 100]:
            params += [art, *ids]
            terms.append(f"(article_id = {mark} AND actor_id IN ({', '.join([mark] * len(ids))}))")
        query = ("SELECT article_id, actor_id, name, kind, country, sector FROM actors WHERE "
                 + " OR ".join(terms))
        for article_id, actor_id, name, actor_kind, country, sector in conn.exec_driver_sql(query, tuple(params)):
            out.setdefault(article_id, {})[actor_id] = Party(actor_id, name, actor_kind, country, sector)
    return out


def _party(parties: dict[str, Party], actor_id: str) -> Party:
    return parties.get(actor_id) or Party(id=actor_id, name=actor_id)


def _event_row(r: Any, parties: dict[str, Party]) -> EventRow:
    ev: dict[str, Any] = r["event"]
    text: str = r["text"]
    size = dict(ev["size"])
    size["spans"] = {k: tuple(v) for k, v in size.get("spans", {}).items()}
    evidence = [Evidence(span=(x["span"][0], x["span"][1]),
                         trigger=Trigger(x["trigger"]["text"],
                                         (x["trigger"]["span"][0], x["trigger"]["span"][1])))
                for x in ev["evidence"]]
    return EventRow(
        article_id=r["article_id"], id=ev["id"], type=ev["type"], mode=list(ev["mode"]),
        context=list(ev["context"]), actors=list(ev["actors"]), recipients=list(ev["recipients"]),
        date=EventDate(**ev["date"]), location=Location(**ev["location"]), size=Size(**size),
        factuality=Factuality(**ev["factuality"]), evidence=evidence, rule=ev["rule"],
        confidence=ev["confidence"], url=r["url"], title=r["title"], published=r["published"],
        source=r["source"],
        actor_parties=[_party(parties, a) for a in ev["actors"]],
        recipient_parties=[_party(parties, a) for a in ev["recipients"]],
        attributed_to_names=[_party(parties, a).name for a in ev["factuality"]["attributed_to"]],
        place_name=r["place_name"], place_country=r["country"], place_admin1=r["admin1"],
        place_lat=r["lat"], place_lon=r["lon"], place_geonameid=r["geonameid"],
        place_resolution=r["resolution"],
        evidence_text=[text[s:e] for s, e in (x.span for x in evidence)],
        cluster_id=r["cluster_id"], stored_json=ev)


# -- canonical events ------------------------------------------------------------------------

_BASIS_RANK = {"explicit": 0, "relative": 1, "publication": 2}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_RESOLUTION_RANK = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, "region": 4}


def _figures(rows: list[EventRow], field: str) -> FieldValues:
    by_source: dict[str, set[int]] = {}
    for row in rows:
        value = getattr(row.size, field)
        if value is not None:
            by_source.setdefault(row.source or row.article_id, set()).add(value)
    values = sorted(set().union(*by_source.values())) if by_source else []
    return FieldValues(values=values, by_source={s: sorted(v) for s, v in sorted(by_source.items())})


def _ranked_names(name_lists: Iterable[list[str]]) -> list[str]:
    # a plain dict, not Counter: this runs five times per canonical event and Counter's
    # construction was a fifth of a canonical refresh
    counts: dict[str, int] = {}
    for names in name_lists:
        for name in set(names):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def _article_texts(conn: Connection, article_ids: set[str]) -> dict[str, str]:
    ids = sorted(article_ids)
    out: dict[str, str] = {}
    for i in range(0, len(ids), _CHUNK):
        out |= dict(conn.execute(select(articles.c.id, articles.c.text)
                                 .where(articles.c.id.in_(ids[i:i + _CHUNK]))).tuples().all())
    return out


def _canonical(cid: str, rows: list[EventRow], texts: dict[str, str]) -> CanonicalEvent:
    # The best-dated member (explicit over publication fallback, finest precision) sets the date.
    dated = min(rows, key=lambda r: (_BASIS_RANK.get(r.date.basis, 3),
                                     _PRECISION_RANK.get(r.date.precision, 5), r.key))
    located = min(rows, key=lambda r: (r.place_lat is None,
                                       _RESOLUTION_RANK.get(r.location.resolution or "", 5), r.key))
    countries = Counter(r.place_country for r in rows if r.place_country)
    published = [r.published for r in rows if r.published]
    corroboration = corroborate([
        Member(r.article_id, r.source, texts.get(r.article_id, ""), r.factuality.status,
               {f: getattr(r.size, f) for f in FIGURES}) for r in rows])
    return CanonicalEvent(
        cluster_id=cid, type=rows[0].type,
        date_start=dated.date.start, date_end=dated.date.end,
        date_precision=dated.date.precision, date_basis=dated.date.basis,
        country=min(countries, key=lambda c: (-countries[c], c)) if countries else None,
        place_name=located.place_name, lat=located.place_lat, lon=located.place_lon,
        resolution=located.location.resolution,
        actor_names=_ranked_names(r.actor_names for r in rows),
        recipient_names=_ranked_names(r.recipient_names for r in rows),
        n_articles=len({r.article_id for r in rows}),
        n_sources=corroboration.n_sources,
        sources=sorted({r.source for r in rows if r.source}),
        first_reported=min(published) if published else None,
        members=sorted(r.key for r in rows),
        factuality=dict(Counter(r.factuality.status for r in rows)),
        killed=_figures(rows, "killed"), injured=_figures(rows, "injured"),
        arrested=_figures(rows, "arrested"), duplicates=corroboration.duplicates,
        best=corroboration.best, disagreements=corroboration.disagreements,
        reported_by=corroboration.reported_by, denied_by=corroboration.denied_by,
        notes=sorted({f"{r.source or r.article_id}: {r.factuality.note}" for r in rows if r.factuality.note}),
        mode=_ranked_names(r.mode for r in rows), context=_ranked_names(r.context for r in rows),
        admin1=located.place_admin1,
        evidence=[f"{r.source or r.article_id}: " + " … ".join(" ".join(t.split()) for t in r.evidence_text)
                  for r in sorted(rows, key=lambda r: r.key)],
        urls=sorted({r.url for r in rows if r.url}))

