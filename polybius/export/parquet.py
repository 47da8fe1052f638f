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
from polybius.store.rows import EventRow

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


def write(rows: Iterable[EventRow], out: BinaryIO) -> int:
    """Write a Parquet file to a binary stream; returns the number of rows."""
    n = 0
    with pq.ParquetWriter(out, SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(record(row))
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            n += len(batch)
    return n
