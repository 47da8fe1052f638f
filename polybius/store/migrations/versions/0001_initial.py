"""Initial schema: articles, events, actors, places.

Revision: 0001, the first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(80)
SHORT = sa.String(32)


def _article_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE",
                                                     name=None), nullable=False)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", ID, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("source", sa.String(255)),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("removed", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_source", "articles", ["source"])

    op.create_table(
        "events",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk(),
        sa.Column("event_id", SHORT, nullable=False),
        sa.Column("type", SHORT, nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("window_start", sa.Date),
        sa.Column("window_end", sa.Date),
        sa.Column("precision", SHORT, nullable=False),
        sa.Column("basis", SHORT, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("place_name", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("geonameid", sa.Integer),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("resolution", SHORT),
        sa.Column("factuality", SHORT, nullable=False),
        sa.Column("killed", sa.Integer),
        sa.Column("injured", sa.Integer),
        sa.Column("arrested", sa.Integer),
        sa.Column("money_usd", sa.Float),
        sa.Column("actor_names", sa.JSON, nullable=False),
        sa.Column("recipient_names", sa.JSON, nullable=False),
        sa.Column("names_folded", sa.Text, nullable=False),
        sa.Column("cluster_id", SHORT),
        sa.Column("event", sa.JSON, nullable=False),
        sa.UniqueConstraint("article_id", "event_id"),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_country", "events", ["country"])
    op.create_index("ix_events_window", "events", ["window_start", "window_end"])
    op.create_index("ix_events_factuality", "events", ["factuality"])
    op.create_index("ix_events_cluster_id", "events", ["cluster_id"])

    op.create_table(
        "actors",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk(),
        sa.Column("actor_id", SHORT, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", SHORT, nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("sector", SHORT),
        sa.UniqueConstraint("article_id", "actor_id"),
    )
    op.create_index("ix_actors_name", "actors", ["name"])

    op.create_table(
        "places",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk(),
        sa.Column("place_id", SHORT, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geonameid", sa.Integer),
        sa.Column("country_code", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("resolution", SHORT, nullable=False),
        sa.UniqueConstraint("article_id", "place_id"),
    )
    op.create_index("ix_places_country_code", "places", ["country_code"])


def downgrade() -> None:
    for table in ("places", "actors", "events", "articles"):
        op.drop_table(table)
