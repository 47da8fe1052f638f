"""Canonical events stored as served: the ``canonical`` and ``canonical_stale`` tables.

Revision: 0005, after 0004. Also ``events.window_days`` (window length, indexed), so date filters
can seek (see ``polybius.store.query``). GET /events builds each canonical event from its members (reading
every member row, their actors and article texts, shingling texts for near-duplicates): 30-40 ms
of CPU per page of 50 on 100k events. The finished record is now stored per canonical event
and rebuilt only when relinking changes its membership (``polybius.store.canonical_table``).

Existing canonical events are not built here (that needs the extraction code, which migrations
must not import): every one of them is marked stale, and the first refresh (``polybius serve``
does one before it listens, ``Store.refresh_canonical``) builds them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("window_days", sa.Integer, nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE events SET window_days = window_end - window_start "
                   "WHERE window_start IS NOT NULL")
    else:  # SQLite keeps dates as ISO text
        op.execute("UPDATE events SET window_days = CAST(julianday(window_end) - "
                   "julianday(window_start) AS INTEGER) WHERE window_start IS NOT NULL")
    op.create_index("ix_events_window_days", "events", ["window_days"])
    # an actor filter walks dates in page order testing names inside the index and stops after a
    # page; the old (names_folded, window_start) index made it read every match and sort
    op.drop_index("ix_events_names_folded", table_name="events")
    op.create_index("ix_events_window_names", "events", ["window_start", "names_folded"])
    op.create_table(
        "canonical",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("country", sa.String(2)),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("record", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_canonical"),
    )
    op.create_table(
        "canonical_stale",
        sa.Column("key", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_canonical_stale"),
    )
    # SQL only, the same on SQLite and PostgreSQL: clusters, then events not yet clustered
    op.execute("INSERT INTO canonical_stale (key) SELECT DISTINCT cluster_id FROM events "
               "WHERE cluster_id IS NOT NULL")
    op.execute("INSERT INTO canonical_stale (key) SELECT '#' || CAST(pk AS VARCHAR(20)) FROM events "
               "WHERE cluster_id IS NULL")


def downgrade() -> None:
    op.drop_index("ix_events_window_names", table_name="events")
    op.create_index("ix_events_names_folded", "events", ["names_folded", "window_start"])
    op.drop_index("ix_events_window_days", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("window_days")
    op.drop_table("canonical_stale")
    op.drop_table("canonical")
