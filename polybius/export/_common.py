"""Helpers shared by the export formats."""

from __future__ import annotations

from polybius.store.rows import CanonicalEvent, EventRow


def export_id(row: EventRow) -> str:
    """A short, stable id for an exported event: 16 hex digits of the article hash + event id."""
    digest = row.article_id.split(":", 1)[-1]
    return f"{digest[:16]}-{row.id}"


def evidence_text(row: EventRow) -> str:
    """The evidence sentence(s) of an event as one string."""
    return " … ".join(" ".join(t.split()) for t in row.evidence_text)


def has_coordinates(row: EventRow | CanonicalEvent) -> bool:
    """Whether the event has a real point; (0, 0) is treated as a missing value, not a place."""
    lat, lon = (row.lat, row.lon) if isinstance(row, CanonicalEvent) else (row.place_lat, row.place_lon)
    if lat is None or lon is None:
        return False
    return not (lat == 0 and lon == 0)
