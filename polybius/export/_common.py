"""Helpers shared by the export formats."""

from __future__ import annotations

from polybius.store.rows import EventRow


def export_id(row: EventRow) -> str:
    """A short, stable id for an exported event: 16 hex digits of the article hash + event id."""
    digest = row.article_id.split(":", 1)[-1]
    return f"{digest[:16]}-{row.id}"


def evidence_text(row: EventRow) -> str:
    """The evidence sentence(s) of an event as one string."""
    return " … ".join(" ".join(t.split()) for t in row.evidence_text)


def has_coordinates(row: EventRow) -> bool:
    """Whether the event has a real point; (0, 0) is treated as a missing value, not a place."""
    if row.place_lat is None or row.place_lon is None:
        return False
    return not (row.place_lat == 0 and row.place_lon == 0)
