"""GeoJSON: a FeatureCollection of located events; unlocated ones are counted, never put at 0,0."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from polybius.export._common import evidence_text, export_id, has_coordinates
from polybius.store.rows import CanonicalEvent, EventRow


def feature(row: EventRow) -> dict[str, Any]:
    """One located event as a GeoJSON Point feature (longitude first, as GeoJSON wants)."""
    return {
        "type": "Feature",
        "id": export_id(row),
        "geometry": {"type": "Point", "coordinates": [row.place_lon, row.place_lat]},
        "properties": {
            "type": row.type, "mode": row.mode, "context": row.context,
            "date_start": row.date.start, "date_end": row.date.end,
            "date_precision": row.date.precision, "date_basis": row.date.basis,
            "place": row.place_name, "admin1": row.place_admin1, "country": row.place_country,
            "resolution": row.location.resolution,
            "actors": row.actor_names, "recipients": row.recipient_names,
            "killed": row.size.killed, "injured": row.size.injured,
            "factuality": row.factuality.status, "text": evidence_text(row),
            "source": row.source, "url": row.url, "article_id": row.article_id,
            "cluster_id": row.cluster_id,
        },
    }


def write(rows: Iterable[EventRow], out: TextIO) -> int:
    """Write the FeatureCollection; returns the number of features (located events)."""
    return _collection((feature(row) if has_coordinates(row) else None for row in rows), out)


def _collection(features: Iterable[dict[str, Any] | None], out: TextIO) -> int:
    """Write the located features (None stands for an unlocated event, only counted)."""
    located, unlocated = [], 0
    for f in features:
        if f is None:
            unlocated += 1
        else:
            located.append(f)
    # "unlocated" is a GeoJSON foreign member (RFC 7946 §6.1): readers ignore it, people see it.
    json.dump({"type": "FeatureCollection", "unlocated": unlocated, "features": located},
              out, ensure_ascii=False)
    out.write("\n")
    return len(located)


def canonical_feature(event: CanonicalEvent) -> dict[str, Any]:
    """One located canonical event as a GeoJSON Point feature with the cluster's fields."""
    props = event.to_json()
    for key in ("lat", "lon"):
        props.pop(key)
    return {"type": "Feature", "id": event.cluster_id,
            "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
            "properties": props}


def write_canonical(events: Iterable[CanonicalEvent], out: TextIO) -> int:
    """Write the FeatureCollection of located canonical events; returns the number of features."""
    return _collection((canonical_feature(e) if has_coordinates(e) else None for e in events), out)
