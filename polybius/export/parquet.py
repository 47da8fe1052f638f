"""Parquet: one row per event with typed columns (lists stay lists, dates stay dates).

The full ``polybius/1`` event is kept as JSON text in ``event_json`` so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from polybius.export._common import evidence_text, export_id, has_coordinates
from polybius.model import to_plain
from polybius.store.rows import CanonicalEvent, EventRow

_TEXTS = pa.list_(pa.string())
SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("event_id", pa.string()),
    ("type", pa.string()), ("mode", _TEXTS), ("context", _TEXTS),
    ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("date_precision", pa.string()), ("date_basis", pa.string()),
    ("actors", _TEXTS), ("recipients", _TEXTS),
    ("country", pa.string()), ("admin1", pa.string()), ("place", pa.string()),
    ("latitude", pa.float64()), ("longitude", pa.float64()), ("resolution", pa.string()),
    ("killed", pa.int64()), ("injured", pa.int64()), ("arrested", pa.int64()),
    ("money_usd", pa.float64()),
    ("factuality", pa.string()), ("attributed_to", _TEXTS),
    ("source", pa.string()), ("url", pa.string()), ("published", pa.date32()),
    ("cluster_id", pa.string()), ("notes", pa.string()), ("rule", pa.string()),
    ("confidence", pa.float64()), ("event_json", pa.string()),
])
CANONICAL_SCHEMA = pa.schema([
    ("cluster_id", pa.string()), ("type", pa.string()), ("mode", _TEXTS), ("context", _TEXTS),
    ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("date_precision", pa.string()), ("date_basis", pa.string()),
    ("actors", _TEXTS), ("recipients", _TEXTS),
    ("country", pa.string()), ("admin1", pa.string()), ("place", pa.string()),
    ("latitude", pa.float64()), ("longitude", pa.float64()), ("resolution", pa.string()),
    ("killed", pa.int64()), ("injured", pa.int64()), ("arrested", pa.int64()),
    ("n_articles", pa.int64()), ("n_sources", pa.int64()), ("sources", _TEXTS),
    ("first_reported", pa.date32()), ("members", _TEXTS), ("urls", _TEXTS),
    ("reported_by", pa.int64()), ("denied_by", _TEXTS), ("notes", _TEXTS), ("evidence", _TEXTS),
    ("canonical_json", pa.string()),
])
_BATCH = 5000  # rows per record batch: bounded memory for large stores


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def record(row: EventRow) -> dict[str, Any]:
    """One event as a Parquet row (column → value)."""
    located = has_coordinates(row)
    return {
        "id": export_id(row), "article_id": row.article_id, "event_id": row.id,
        "type": row.type, "mode": row.mode, "context": row.context,
        "date_start": _day(row.date.start), "date_end": _day(row.date.end),
        "date_precision": row.date.precision, "date_basis": row.date.basis,
        "actors": row.actor_names, "recipients": row.recipient_names,
        "country": row.place_country, "admin1": row.place_admin1, "place": row.place_name,
        "latitude": row.place_lat if located else None,
        "longitude": row.place_lon if located else None,
        "resolution": row.location.resolution,
        "killed": row.size.killed, "injured": row.size.injured, "arrested": row.size.arrested,
        "money_usd": row.size.money_usd,
        "factuality": row.factuality.status, "attributed_to": row.attributed_to_names,
        "source": row.source, "url": row.url, "published": row.published,
        "cluster_id": row.cluster_id, "notes": evidence_text(row), "rule": row.rule,
        "confidence": row.confidence,
        "event_json": json.dumps(to_plain(row.event()), ensure_ascii=False),
    }


def canonical_record(event: CanonicalEvent) -> dict[str, Any]:
    """One canonical event as a Parquet row; figures are the best-supported values and the
    whole record (disagreements included) is kept as JSON in ``canonical_json``."""
    return {
        "cluster_id": event.cluster_id, "type": event.type, "mode": event.mode,
        "context": event.context, "date_start": _day(event.date_start),
        "date_end": _day(event.date_end), "date_precision": event.date_precision,
        "date_basis": event.date_basis, "actors": event.actor_names,
        "recipients": event.recipient_names, "country": event.country, "admin1": event.admin1,
        "place": event.place_name, "latitude": event.lat, "longitude": event.lon,
        "resolution": event.resolution, "killed": event.best.get("killed"),
        "injured": event.best.get("injured"), "arrested": event.best.get("arrested"),
        "n_articles": event.n_articles, "n_sources": event.n_sources, "sources": event.sources,
        "first_reported": event.first_reported, "members": event.members, "urls": event.urls,
        "reported_by": event.reported_by, "denied_by": event.denied_by, "notes": event.notes,
        "evidence": event.evidence,
        "canonical_json": json.dumps(event.to_json(), ensure_ascii=False, default=str),
    }


def write(rows: Iterable[EventRow], out: BinaryIO) -> int:
    """Write a Parquet file to a binary stream; returns the number of rows."""
    return _write((record(row) for row in rows), SCHEMA, out)


def write_canonical(events: Iterable[CanonicalEvent], out: BinaryIO) -> int:
    """Write canonical events as a Parquet file to a binary stream; returns the number of rows."""
    return _write((canonical_record(e) for e in events), CANONICAL_SCHEMA, out)


def _write(records: Iterable[dict[str, Any]], schema: pa.Schema, out: BinaryIO) -> int:
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for rec in records:
            batch.append(rec)
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
