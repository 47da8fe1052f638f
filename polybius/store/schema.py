"""The store's tables, in SQLAlchemy Core so the same schema runs on SQLite and PostgreSQL.

Alembic migrations (``migrations/versions``) build this schema; ``tests/test_store.py`` checks
that the migrated database and these definitions do not drift apart.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Named constraints so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

ID = String(80)  # "sha256:" + 64 hex digits
SHORT = String(32)

articles = Table(
    "articles", metadata,
    Column("id", ID, primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("published", Date),
    Column("source", String(255)),
    Column("language", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("removed", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON, nullable=False),
    Index("ix_articles_published", "published"),
    Index("ix_articles_source", "source"),
)

events = Table(
    "events", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", SHORT, nullable=False),
    Column("type", SHORT, nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    # The date range widened to its precision (a month-precision date covers the whole month);
    # date filters and cross-article linking compare these.
    Column("window_start", Date),
    Column("window_end", Date),
    Column("precision", SHORT, nullable=False),
    Column("basis", SHORT, nullable=False),
    Column("country", String(2)),
    Column("place_name", Text),
    Column("admin1", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("resolution", SHORT),
    Column("factuality", SHORT, nullable=False),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("money_usd", Float),
    Column("actor_names", JSON, nullable=False),
    Column("recipient_names", JSON, nullable=False),
    # casefolded actor and recipient names, one per line: a portable, Unicode-correct
    # substring search (SQLite's lower() folds ASCII only).
    Column("names_folded", Text, nullable=False),
    Column("cluster_id", SHORT),
    Column("event", JSON, nullable=False),
    # Migration 0003 (API filters): modes and contexts one per line, framed by newlines so a
    # whole value matches as "\nvalue\n"; recipient names casefolded like names_folded.
    Column("modes", Text, nullable=False, server_default=""),
    Column("contexts", Text, nullable=False, server_default=""),
    Column("recipients_folded", Text, nullable=False, server_default=""),
    # Migration 0005: days from window_start to window_end. Its maximum bounds how far before
    # ``since`` a matching window can start, so a date filter seeks instead of scanning from
    # the first event (8.7 -> ~1 ms for a 30-day filter on 100k events).
    Column("window_days", Integer, nullable=False, server_default="0"),
    UniqueConstraint("article_id", "event_id"),
    Index("ix_events_type", "type"),
    Index("ix_events_country", "country"),
    Index("ix_events_window", "window_start", "window_end"),
    Index("ix_events_factuality", "factuality"),
    Index("ix_events_cluster_id", "cluster_id"),
    Index("ix_events_type_window", "type", "window_start", "window_end", "country", "factuality"),
    Index("ix_events_country_window", "country", "window_start", "window_end", "type", "factuality"),
    # Migration 0005 (was names_folded, window_start): an actor filter walks the dates in page
    # order and tests names inside the index, stopping after a page (6.4 -> 1.6 ms on 100k)
    Index("ix_events_window_names", "window_start", "names_folded"),
    # Migration 0004 (incremental linking): an event's neighbours by type + city or country.
    Index("ix_events_link_city", "type", "geonameid", "window_start", "window_end"),
    Index("ix_events_link_country", "type", "country", "window_start", "window_end"),
    Index("ix_events_window_days", "window_days"),
)

actors = Table(
    "actors", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", SHORT, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", SHORT, nullable=False),
    Column("country", String(3)),
    Column("sector", SHORT),
    UniqueConstraint("article_id", "actor_id"),
    Index("ix_actors_name", "name"),
)

places = Table(
    "places", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("place_id", SHORT, nullable=False),
    Column("name", Text, nullable=False),
    Column("geonameid", Integer),
    Column("country_code", String(2)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("resolution", SHORT, nullable=False),
    UniqueConstraint("article_id", "place_id"),
    Index("ix_places_country_code", "country_code"),
)

# Feed state (migration 0002_feeds): one row per subscribed feed, with the validators for
# conditional GET and the outcome of the last poll; entries remember which links were handled.
URL = String(2048)

feeds = Table(
    "feeds", metadata,
    Column("url", URL, primary_key=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("last_polled", DateTime(timezone=True)),
    Column("last_status", SHORT),
    Column("last_error", Text),
    Column("n_entries", Integer, nullable=False, default=0),
)

feed_entries = Table(
    "feed_entries", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("feed_url", URL, ForeignKey("feeds.url", ondelete="CASCADE"), nullable=False),
    Column("url", URL, nullable=False),
    Column("article_id", ID),
    Column("status", SHORT, nullable=False),
    Column("reason", Text),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("url"),
    Index("ix_feed_entries_article_id", "article_id"),
)

# Canonical events as served (migration 0005): per canonical event (a cluster, or "#<pk>" for an
# event not yet clustered) the finished JSON record GET /events returns, so a page is one indexed
# read instead of rebuilding records from their members. Relinking marks the clusters it changed
# in ``canonical_stale``; ``polybius.store.canonical_table.refresh`` rebuilds them.
canonical = Table(
    "canonical", metadata,
    Column("key", String(80), primary_key=True),
    Column("type", SHORT, nullable=False),
    Column("date_start", Date),
    Column("country", String(2)),
    Column("n_sources", Integer, nullable=False),
    Column("record", LargeBinary, nullable=False),
)

canonical_stale = Table(
    "canonical_stale", metadata,
    Column("key", String(80), primary_key=True),
)
