"""PLOVER JSON: a JSON array of records named like the PLOVER gold standard records.

Gold-standard fields: id, date, source, target, event, mode, context, eventText, text, eventLoc,
dead, injured, size, publication. Polybius adds what the gold records lack: the date's extent,
precision and basis, factuality, the article URL and publication date, and the cluster id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from polybius.export._common import evidence_text, export_id, has_coordinates
from polybius.store.rows import EventRow, Party


def _actor(p: Party) -> dict[str, Any]:
    # PLOVER's gold records put the actor's ISO-3 country in "code"
    return {"actorText": p.name, "code": p.country, "sector": p.sector}


def record(row: EventRow) -> dict[str, Any]:
    """One event as a PLOVER-style record."""
    loc = None
    if row.place_name or has_coordinates(row):
        loc = {"name": row.place_name, "country code": row.place_country,
               "admin1": row.place_admin1,
               "lat": row.place_lat if has_coordinates(row) else None,
               "lon": row.place_lon if has_coordinates(row) else None,
               "resolution": row.location.resolution}
    return {
        "id": export_id(row),
        "date": row.date.start,
        "event": row.type,
        "mode": ", ".join(row.mode),
        "context": ", ".join(row.context),
        "source": [_actor(p) for p in row.actor_parties],
        "target": [_actor(p) for p in row.recipient_parties],
        "eventText": " ".join(e.trigger.text for e in row.evidence),
        "text": evidence_text(row),
        "eventLoc": loc,
        "dead": row.size.killed,
        "injured": row.size.injured,
        "size": None,  # PLOVER's size is crowd size, which polybius/1 does not record yet
        "arrested": row.size.arrested,
        "dateInfo": {"start": row.date.start, "end": row.date.end,
                     "precision": row.date.precision, "basis": row.date.basis},
        "factuality": {"status": row.factuality.status,
                       "attributed_to": row.attributed_to_names, "note": row.factuality.note},
        "publication": row.source,
        "publicationDate": row.published.isoformat() if row.published else None,
        "url": row.url,
        "articleId": row.article_id,
        "clusterId": row.cluster_id,
        "rule": row.rule,
        "confidence": row.confidence,
    }


def write(rows: Iterable[EventRow], out: TextIO) -> int:
    """Write a JSON array of records, one per line, streaming; returns the number written."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record(row), ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
