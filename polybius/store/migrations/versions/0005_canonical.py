"""Canonical events stored as served: the ``canonical`` and ``canonical_stale`` tables.

Revision: 0005, after 0004. GET /events builds each canonical event from its members (reading
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
    op.drop_table("canonical_stale")
    op.drop_table("canonical")
