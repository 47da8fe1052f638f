"""Filtered reads for the API: where-clauses from an ``EventQuery``, counts and charts data.

The ``Store`` methods ``find_events``, ``name_counts`` and ``stats`` call these; they only read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, distinct, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from polybius.store.rows import EventQuery, NameCount, Stats
from polybius.store.schema import articles, events


def lines_value(values: list[str]) -> str:
    """Values one per line, framed by newlines, so ``"\\nvalue\\n"`` matches a whole value."""
    return "\n" + "\n".join(values) + "\n" if values else ""


def _contains(column: Any, needle: str) -> ColumnElement[bool]:
    # autoescape: a user's % or _ is a literal character, not a wildcard
    return column.contains(needle, autoescape=True)  # type: ignore[no-any-return]


def _sources_at_least(n: int) -> ColumnElement[bool]:
    """The event's cluster (or the event alone) is reported by at least n distinct outlets."""
    if n <= 1:
        return true()
    outlet = func.coalesce(articles.c.source, articles.c.id)
    clusters = (select(events.c.cluster_id)
                .join(articles, events.c.article_id == articles.c.id)
                .where(events.c.cluster_id.is_not(None))
                .group_by(events.c.cluster_id)
                .having(func.count(distinct(outlet)) >= n))
    return events.c.cluster_id.in_(clusters)


def conditions(q: EventQuery) -> list[ColumnElement[bool]]:
    """The SQL conditions of a query over ``events`` joined with ``articles``."""
    e, where = events.c, []
    if q.type:
        where.append(e.type == q.type.upper())
    if q.mode:
        where.append(_contains(e.modes, f"\n{q.mode.lower()}\n"))
    if q.context:
        where.append(_contains(e.contexts, f"\n{q.context.lower()}\n"))
    if q.country:
        where.append(e.country == q.country.upper())
    if q.place:
        where.append(_contains(func.lower(e.place_name), q.place.lower()))
    if q.actor:
        where.append(_contains(e.names_folded, q.actor.casefold()))
    if q.recipient:
        where.append(_contains(e.recipients_folded, q.recipient.casefold()))
    if q.since:
        where.append(e.window_end >= q.since)
    if q.until:
        where.append(e.window_start <= q.until)
    if q.status:
        where.append(e.factuality.in_(list(q.status)))
    if q.min_sources is not None:
        where.append(_sources_at_least(q.min_sources))
    if q.bbox:
        west, south, east, north = q.bbox
        lon = e.lon.between(west, east) if west <= east else or_(e.lon >= west, e.lon <= east)
        where.append(and_(e.lat.between(south, north), lon))
    if q.text:
        needle = q.text.casefold()
        where.append(or_(_contains(e.names_folded, needle),
                         _contains(func.lower(e.place_name), needle),
                         _contains(func.lower(articles.c.title), needle),
                         _contains(func.lower(articles.c.text), needle)))
    return where


def needs_articles(q: EventQuery) -> bool:
    """Whether the conditions read the articles table (free text does)."""
    return bool(q.text)


def order(q: EventQuery) -> list[Any]:
    """Date order, undated last, ties broken by insertion order (stable pages)."""
    e = events.c
    if q.descending:
        return [e.window_start.is_(None), e.window_start.desc(), e.pk.desc()]
    return [e.window_start.is_(None), e.window_start, e.pk]


def _source(q: EventQuery) -> Any:
    return events.join(articles, events.c.article_id == articles.c.id) if needs_articles(q) else events


def page_keys(q: EventQuery, limit: int, offset: int) -> Any:
    """The primary keys of one page of matching events, in date order (a subquery)."""
    return (select(events.c.pk).select_from(_source(q)).where(*conditions(q))
            .order_by(*order(q)).limit(limit).offset(offset))


def count(conn: Connection, q: EventQuery) -> int:
    """Number of events matching ``q``."""
    query = select(func.count()).select_from(_source(q))
    return int(conn.execute(query.where(*conditions(q))).scalar_one())


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
            query = query.where(_contains(func.lower(e.place_name), contains.lower()))
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


def stats(conn: Connection, q: EventQuery) -> Stats:
    """Counts per type, country, factuality status and (day, type) of matching events."""
    source = _source(q)
    where = conditions(q)

    def grouped(col: Any) -> dict[str, int]:
        rows = conn.execute(select(col, func.count()).select_from(source)
                            .where(col.is_not(None), *where)
                            .group_by(col).order_by(func.count().desc(), col))
        return {str(k): int(n) for k, n in rows}

    e = events.c
    days = conn.execute(select(e.date_start, e.type, func.count()).select_from(source)
                        .where(e.date_start.is_not(None), *where)
                        .group_by(e.date_start, e.type).order_by(e.date_start, e.type))
    return Stats(total=count(conn, q), by_type=grouped(e.type), by_country=grouped(e.country),
                 by_status=grouped(e.factuality),
                 by_day=[(d.isoformat(), t, int(n)) for d, t, n in days])
