"""Feed state: subscribed feeds (conditional-GET validators, last poll) and the entries handled.

Revision: 0002_feeds, after 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feeds"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(80)
SHORT = sa.String(32)
URL = sa.String(2048)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", URL, primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_polled", sa.DateTime(timezone=True)),
        sa.Column("last_status", SHORT),
        sa.Column("last_error", sa.Text),
        sa.Column("n_entries", sa.Integer, nullable=False),
    )
    op.create_table(
        "feed_entries",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("feed_url", URL, sa.ForeignKey("feeds.url", ondelete="CASCADE"), nullable=False),
        sa.Column("url", URL, nullable=False),
        sa.Column("article_id", ID),
        sa.Column("status", SHORT, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("url"),
    )
    op.create_index("ix_feed_entries_article_id", "feed_entries", ["article_id"])


def downgrade() -> None:
    op.drop_table("feed_entries")
    op.drop_table("feeds")
