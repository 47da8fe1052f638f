"""The store: SQLAlchemy Core schema, Alembic migrations, one write path, filtered reads."""

from polybius.store.db import Store, default_source
from polybius.store.rows import (
    CanonicalEvent,
    EventRow,
    FieldValues,
    IngestResult,
    Party,
    Summary,
)

__all__ = ["CanonicalEvent", "EventRow", "FieldValues", "IngestResult", "Party", "Store",
           "Summary", "default_source"]
