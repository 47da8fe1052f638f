"""Filtered reads for the API: where-clauses from an ``EventQuery``, counts and charts data.

The ``Store`` methods ``find_events``, ``name_counts`` and ``stats`` call these; they only read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from polybius.store.rows import EventQuery, NameCount, Position, Stats
from polybius.store.schema import articles, events


def lines_value(values: list[str]) -> str:
    """Values one per line, framed by newlines, so ``"\\nvalue\\n"`` matches a whole value."""
    return "\n" + "\n".join(values) + "\n" if values else ""


_ESCAPE = "/"


def like_pattern(needle: str) -> str:
    """``%needle%`` with the user's ``%``, ``_`` and ``/`` taken literally (escape ``/``)."""
    escaped = needle.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _contains(column: Any, name: str, needle: str) -> ColumnElement[bool]:
    # a named parameter (not a literal) so the statement is reusable for other values
    return column.like(bindparam(name, like_pattern(needle)), escape=_ESCAPE)  # type: ignore[no-any-return]


def _sources_at_least(n: int) -> ColumnElement[bool]:
    """The event's cluster (or the event alone) is reported by at least n distinct outlets.

    Correlated with the scanned event (its cluster's members through ``ix_events_cluster_id``):
    a page stops after a few hundred events, where ``cluster_id IN (every cluster with n
    outlets)`` grouped all clustered events first (0.7 s per page on 100k reports).
    """
    if n <= 1:
        return true()
    # aliases: the outer query may join articles too (free text), which must not correlate
    member, report = events.alias("member"), articles.alias("report")
    outlet = func.coalesce(report.c.source, report.c.id)
    outlets = (select(func.count(distinct(outlet)))
               .select_from(member.join(report, member.c.article_id == report.c.id))
               .where(member.c.cluster_id == events.c.cluster_id)
               .scalar_subquery())
    return and_(events.c.cluster_id.is_not(None), outlets >= bindparam("p_min_sources", n))


def conditions(q: EventQuery) -> list[ColumnElement[bool]]:
    """The SQL conditions of a query over ``events`` joined with ``articles``.

    Values are named parameters carrying this query's values: a statement built for one query
    runs for another of the same ``shape`` with ``parameters(q)`` (see ``_phase``).
    """
    e, where = events.c, []
    if q.type:
        where.append(e.type == bindparam("p_type", q.type.upper()))
    if q.mode:
        where.append(_contains(e.modes, "p_mode", f"\n{q.mode.lower()}\n"))
    if q.context:
        where.append(_contains(e.contexts, "p_context", f"\n{q.context.lower()}\n"))
    if q.country:
        where.append(e.country == bindparam("p_country", q.country.upper()))
    if q.place:
        where.append(_contains(func.lower(e.place_name), "p_place", q.place.lower()))
    if q.actor:
        where.append(_contains(e.names_folded, "p_actor", q.actor.casefold()))
    if q.recipient:
        where.append(_contains(e.recipients_folded, "p_recipient", q.recipient.casefold()))
    if q.since:
        where.append(e.window_end >= bindparam("p_since", q.since))
    if q.until:
        where.append(e.window_start <= bindparam("p_until", q.until))
    if q.status:
        where.append(e.factuality.in_(bindparam("p_status", list(q.status), expanding=True)))
    if q.min_sources is not None:
        where.append(_sources_at_least(q.min_sources))
    if q.bbox:
        west, south, east, north = q.bbox
        w, s_, e_, n_ = (bindparam(f"p_{k}", v) for k, v in
                         (("west", west), ("south", south), ("east", east), ("north", north)))
        lon = e.lon.between(w, e_) if west <= east else or_(e.lon >= w, e.lon <= e_)
        where.append(and_(e.lat.between(s_, n_), lon))
    if q.text:
        needle = q.text.casefold()
        where.append(or_(_contains(e.names_folded, "p_text", needle),
                         _contains(func.lower(e.place_name), "p_text", needle),
                         _contains(func.lower(articles.c.title), "p_text", needle),
                         _contains(func.lower(articles.c.text), "p_text", needle)))
    return where


def shape(q: EventQuery) -> tuple[Any, ...]:
    """What decides the SQL text of ``conditions(q)`` (which filters, not their values)."""
    return (bool(q.type), bool(q.mode), bool(q.context), bool(q.country), bool(q.place),
            bool(q.actor), bool(q.recipient), bool(q.since), bool(q.until), bool(q.status),
            None if q.min_sources is None else q.min_sources > 1,
            None if not q.bbox else q.bbox[0] <= q.bbox[2], bool(q.text), q.descending)


def parameters(q: EventQuery) -> dict[str, Any]:
    """The values of ``conditions(q)``'s named parameters."""
    out: dict[str, Any] = {}
    if q.type:
        out["p_type"] = q.type.upper()
    if q.mode:
        out["p_mode"] = like_pattern(f"\n{q.mode.lower()}\n")
    if q.context:
        out["p_context"] = like_pattern(f"\n{q.context.lower()}\n")
    if q.country:
        out["p_country"] = q.country.upper()
    if q.place:
        out["p_place"] = like_pattern(q.place.lower())
    if q.actor:
        out["p_actor"] = like_pattern(q.actor.casefold())
    if q.recipient:
        out["p_recipient"] = like_pattern(q.recipient.casefold())
    if q.since:
        out["p_since"] = q.since
    if q.until:
        out["p_until"] = q.until
    if q.status:
        out["p_status"] = list(q.status)
    if q.min_sources is not None and q.min_sources > 1:
        out["p_min_sources"] = q.min_sources
    if q.bbox:
        out.update(zip(("p_west", "p_south", "p_east", "p_north"), q.bbox))
    if q.text:
        out["p_text"] = like_pattern(q.text.casefold())
    return out


def needs_articles(q: EventQuery) -> bool:
    """Whether the conditions read the articles table (free text does)."""
    return bool(q.text)


def _source(q: EventQuery) -> Any:
    return events.join(articles, events.c.article_id == articles.c.id) if needs_articles(q) else events


def _after(q: EventQuery, undated: bool) -> ColumnElement[bool]:
    """Events of the position's phase (dated or undated) strictly after it in date order
    (parameters ``a_start``, ``a_pk``)."""
    e = events.c
    pk = bindparam("a_pk", type_=Integer)
    tie = e.pk < pk if q.descending else e.pk > pk
    if undated:
        return tie
    start = bindparam("a_start", type_=Date)
    later = e.window_start < start if q.descending else e.window_start > start
    # the range term is implied by the OR but lets the planner walk the window index from the
    # position: without it SQLite unioned two index searches and sorted (a second page of
    # actor=...&sort=-date on 100k reports: ~200 -> ~2 ms)
    reach = e.window_start <= start if q.descending else e.window_start >= start
    return and_(reach, or_(later, tie))


def _at_or_before(q: EventQuery, dated: bool) -> ColumnElement[bool]:
    """Events at a position or before it in date order, undated last (the complement of
    "after"); the position is parameters ``l_start`` (when ``dated``) and ``l_pk``."""
    e = events.c
    pk = bindparam("l_pk", type_=Integer)
    tie = e.pk >= pk if q.descending else e.pk <= pk
    if not dated:
        return or_(e.window_start.is_not(None), tie)
    start = bindparam("l_start", type_=Date)
    earlier = e.window_start > start if q.descending else e.window_start < start
    return and_(e.window_start.is_not(None), or_(earlier, and_(e.window_start == start, tie)))


# built statements by (shape, dated, kind of position): a few dozen at most
_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def _built(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """The statement for ``key``, built by ``build`` the first time it is asked for."""
    statement = _STATEMENTS.get(key)
    return statement if statement is not None else _STATEMENTS.setdefault(key, build())


def _floor(dialect: str) -> ColumnElement[Any]:
    """``since`` minus the longest stored window (an indexed max, evaluated once per query)."""
    longest = select(func.coalesce(func.max(events.c.window_days), 0)).scalar_subquery()
    since = bindparam("p_since", type_=Date)
    if dialect == "postgresql":
        return cast(since, Date) - longest  # type: ignore[no-any-return]
    # SQLite keeps dates as ISO text: date('2024-03-01', '-366 days')
    return func.date(since, literal("-") + cast(longest, String) + literal(" days"))


def _phase_statement(q: EventQuery, dated: bool, after: bool | None, dialect: str) -> Any:
    """``_phase`` for every query of ``q``'s shape (``after``: None = from the start, True = after
    a dated position, False = after an undated one); limit and offset are parameters."""
    e = events.c
    query = (select(e.pk, e.window_start, e.cluster_id).select_from(_source(q))
             .where(e.window_start.is_not(None) if dated else e.window_start.is_(None), *conditions(q)))
    if after is not None:
        query = query.where(_after(q, undated=not after))
    if dated and q.since:
        # windows ending on or after since start at most the longest window earlier: a seek
        query = query.where(e.window_start >= _floor(dialect))
    keys = [e.window_start, e.pk] if dated else [e.pk]
    query = query.order_by(*(k.desc() for k in keys) if q.descending else keys)
    return query.limit(bindparam("p_limit", type_=Integer)).offset(bindparam("p_offset", type_=Integer))


def _phase(conn: Connection, q: EventQuery, dated: bool, after: Position | None, limit: int,
           offset: int) -> list[Any]:
    """Narrow rows of the dated (or undated) matching events in date order, after ``after``.

    Dated and undated events are read in two queries: ``ORDER BY window_start IS NULL, ...``
    cannot walk an index, so SQLite sorted every match to return 50 (220 ms on 100k events);
    ``ORDER BY window_start, pk`` walks one and stops after the page. The statement is built
    once per shape of query (building it cost as much as running it).
    """
    kind = None if after is None else after.window_start is not None
    statement = _built((shape(q), dated, kind, conn.dialect.name),
                       lambda: _phase_statement(q, dated, kind, conn.dialect.name))
    values = parameters(q) | {"p_limit": limit, "p_offset": offset}
    if after is not None:
        values |= {"a_pk": after.pk, "a_start": after.window_start}
    return conn.execute(statement, values).all()


# one phase of a scan: (dated, after, limit, offset) -> rows (pk, window_start, cluster_id)
Phase = Callable[[bool, "Position | None", int, int], list[Any]]


def scan_phases(phase: Phase, q: EventQuery, limit: int, offset: int = 0,
                after: Position | None = None,
                dated_count: Callable[[], int] | None = None) -> list[Any]:
    """Up to ``limit`` narrow rows (pk, window_start, cluster_id) of matching events in date
    order (undated last), after skipping ``offset`` of them or after position ``after``;
    ``phase`` runs one phase's statement, ``dated_count`` counts the dated matches (needed
    only when an offset reaches past them)."""
    out: list[Any] = []
    undated_after = after
    if after is None or after.window_start is not None:
        out = phase(True, after, limit, offset)
        if len(out) == limit:
            return out
        if offset and not out:  # the offset reaches past the dated events: skip the rest of it
            if dated_count is None:
                raise ValueError("an offset past the dated events needs dated_count")
            offset = max(0, offset - dated_count())
        else:
            offset = 0
        undated_after = None
    if q.since or q.until:  # an undated event has no window for a date filter to match
        return out
    return out + phase(False, undated_after, limit - len(out), offset)


def _scan(conn: Connection, q: EventQuery, limit: int, offset: int = 0,
          after: Position | None = None) -> list[Any]:
    """``scan_phases`` through SQLAlchemy on ``conn``."""
    def dated_count() -> int:
        dated = select(func.count()).select_from(_source(q)).where(
            events.c.window_start.is_not(None), *conditions(q))
        return int(conn.execute(dated).scalar_one())

    return scan_phases(lambda dated, at, n, skip: _phase(conn, q, dated, at, n, skip),
                       q, limit, offset, after, dated_count)


def page_keys(conn: Connection, q: EventQuery, limit: int, *, offset: int = 0,
              after: Position | None = None) -> list[Position]:
    """Positions of up to ``limit`` matching events in date order, after ``offset`` or ``after``.

    Reads only narrow rows; the caller fetches the wide rows of the page by primary key.
    """
    return [Position(w, pk) for pk, w, _ in _scan(conn, q, limit, offset, after)]


def cluster_key(pk: int, cluster_id: str | None) -> str:
    """The canonical event an event belongs to: its cluster, or itself when not clustered."""
    return cluster_id if cluster_id is not None else f"#{pk}"


def canonical_keys(conn: Connection, q: EventQuery, limit: int, *, offset: int = 0,
                   after: Position | None = None) -> list[tuple[str, Position]]:
    """Up to ``limit`` canonical events (clusters with a matching member) in date order.

    A cluster sits where its first matching member does in ``order(q)``, so the events are
    scanned in that order and each cluster is taken when it first turns up; its position is
    the cursor of the next page. After a cursor, clusters that have a matching member at or
    before it were listed on an earlier page and are skipped. ``offset`` skips that many
    clusters (a scan: deep pages should use the cursor).
    """
    return pick_clusters(lambda n, start: _scan(conn, q, n, after=start), limit, offset=offset,
                         after=after,
                         listed_before=lambda p, fresh: _listed_before(conn, q, p, fresh))


def pick_clusters(scan: Callable[[int, Position | None], list[Any]], limit: int, *,
                  offset: int = 0, after: Position | None = None,
                  listed_before: Callable[[Position, set[str]], set[str]] | None = None,
                  ) -> list[tuple[str, Position]]:
    """``canonical_keys`` over rows (pk, window_start, cluster_id) from ``scan(n, start)``
    (n rows in date order after ``start``); ``listed_before`` is needed after a cursor."""
    out: list[tuple[str, Position]] = []
    seen: set[str] = set()
    # a cluster has ~1.7 reports on 100k events, fewer of them matching: two rows per wanted
    # cluster nearly always fill the page in one query (more are read when not)
    skip, start, batch = offset, after, min(2 * (limit + offset), 1000) + 10
    while True:
        rows = scan(batch, start)
        if after is not None:
            fresh = {r[2] for r in rows if r[2] is not None} - seen
            if fresh:
                if listed_before is None:
                    raise ValueError("a page after a cursor needs listed_before")
                seen |= listed_before(after, fresh)
        for pk, window_start, cluster_id in rows:
            key = cluster_key(pk, cluster_id)
            if key in seen:
                continue
            seen.add(key)
            if skip:
                skip -= 1
                continue
            out.append((key, Position(window_start, pk)))
            if len(out) == limit:
                return out
        if len(rows) < batch:
            return out
        start = Position(rows[-1][1], rows[-1][0])


def listed_statement(q: EventQuery, dated: bool) -> Any:
    """Which clusters of the list parameter ``l_keys`` have a matching member at or before a
    position (``_at_or_before``): built once per shape of query and kind of position."""
    e = events.c
    return _built(("listed", shape(q), dated), lambda: (
        select(e.cluster_id).distinct().select_from(_source(q))
        .where(e.cluster_id.in_(bindparam("l_keys", expanding=True)), _at_or_before(q, dated),
               *conditions(q))))


# clusters asked about per ``listed_statement`` query (bound parameters stay well under limits)
LISTED_CHUNK = 500


def _listed_before(conn: Connection, q: EventQuery, p: Position, clusters: set[str]) -> set[str]:
    """Which of ``clusters`` have a matching member at or before ``p`` (so an earlier page had them)."""
    found: set[str] = set()
    wanted = sorted(clusters)
    statement = listed_statement(q, p.window_start is not None)
    values = parameters(q) | {"l_pk": p.pk, "l_start": p.window_start}
    for i in range(0, len(wanted), LISTED_CHUNK):
        found.update(conn.execute(statement, values | {"l_keys": wanted[i:i + LISTED_CHUNK]})
                     .scalars())
    return found


def count_statement(q: EventQuery) -> Any:
    """``count``'s statement, built once per shape of query."""
    return _built(("count", shape(q)),
                  lambda: select(func.count()).select_from(_source(q)).where(*conditions(q)))


def count(conn: Connection, q: EventQuery) -> int:
    """Number of events matching ``q``."""
    return int(conn.execute(count_statement(q), parameters(q)).scalar_one())


def count_canonical_statement(q: EventQuery) -> Any:
    """``count_canonical``'s statement, built once per shape of query."""
    e = events.c
    return _built(("count_canonical", shape(q)), lambda: (
        select(func.count(distinct(func.coalesce(e.cluster_id, literal("#") + cast(e.pk, String)))))
        .select_from(_source(q)).where(*conditions(q))))


def count_canonical(conn: Connection, q: EventQuery) -> int:
    """Number of canonical events (clusters, unclustered events alone) with a matching member."""
    return int(conn.execute(count_canonical_statement(q), parameters(q)).scalar_one())


def name_counts(conn: Connection, kind: str, q: EventQuery, contains: str | None,
                limit: int) -> list[NameCount]:
    """Actors (``kind="actors"``) or places (``"places"``) of matching events, most frequent first."""
    source = _source(q)
    where = conditions(q)
    if kind == "places":
        e = events.c
        query = (select(e.place_name, e.country, func.avg(e.lat), func.avg(e.lon), func.count())
                 .select_from(source).where(e.place_name.is_not(None), *where)
                 .group_by(e.place_name, e.country))
        if contains:
            query = query.where(_contains(func.lower(e.place_name), "p_contains", contains.lower()))
        rows = conn.execute(query.order_by(func.count().desc(), e.place_name).limit(limit))
        return [NameCount(name=n, country=c, lat=lat, lon=lon, events=int(k))
                for n, c, lat, lon, k in rows]
    counts: dict[str, int] = {}
    for a_names, r_names in conn.execute(select(events.c.actor_names, events.c.recipient_names)
                                         .select_from(source).where(*where)):
        for name in set(a_names) | set(r_names):
            if not contains or contains.casefold() in name.casefold():
                counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [NameCount(name=n, events=k) for n, k in ranked]


def stats(conn: Connection, q: EventQuery, *, canonical: bool = False) -> Stats:
    """Counts per type, country, factuality status and (day, type) of matching events.

    ``canonical`` counts canonical events instead of reports: each group counts the canonical
    events with a matching report in it (a cluster reported as ``asserted`` by one outlet and
    ``denied`` by another counts once under each status).
    """
    source = _source(q)
    where = conditions(q)
    e = events.c
    n = func.count(distinct(func.coalesce(e.cluster_id, literal("#") + cast(e.pk, String)))) \
        if canonical else func.count()

    def grouped(col: Any) -> dict[str, int]:
        rows = conn.execute(select(col, n).select_from(source)
                            .where(col.is_not(None), *where)
                            .group_by(col).order_by(n.desc(), col))
        return {str(k): int(c) for k, c in rows}

    days = conn.execute(select(e.date_start, e.type, n).select_from(source)
                        .where(e.date_start.is_not(None), *where)
                        .group_by(e.date_start, e.type).order_by(e.date_start, e.type))
    return Stats(total=count_canonical(conn, q) if canonical else count(conn, q),
                 by_type=grouped(e.type), by_country=grouped(e.country),
                 by_status=grouped(e.factuality),
                 by_day=[(d.isoformat(), t, int(c)) for d, t, c in days])
