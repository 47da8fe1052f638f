"""PLOVER JSON: a JSON array of records named like the PLOVER gold standard records.

Gold-standard fields: id, date, source, target, event, mode, context, eventText, text, eventLoc,
dead, injured, size, publication. Polybius adds what the gold records lack: the date's extent,
precision and basis, factuality, the article URL and publication date, and the cluster id.
A canonical (merged) event is one record with the cluster's fields added (``canonical_record``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from polybius.export._common import evidence_text, export_id, has_coordinates
from polybius.store.rows import CanonicalEvent, EventRow, Party


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
    return _write_records((record(row) for row in rows), out)


def canonical_record(event: CanonicalEvent) -> dict[str, Any]:
    """One canonical event as a PLOVER-style record plus the cluster's fields.

    ``dead``/``injured`` are the best-supported figures; every reported value and who reports
    it stay in ``disagreements``, ``killedBySource`` and ``injuredBySource``.
    """
    loc = None
    if event.place_name or event.lat is not None:
        loc = {"name": event.place_name, "country code": event.country, "admin1": event.admin1,
               "lat": event.lat, "lon": event.lon, "resolution": event.resolution}
    return {
        "id": event.cluster_id,
        "date": event.date_start,
        "event": event.type,
        "mode": ", ".join(event.mode),
        "context": ", ".join(event.context),
        "source": [{"actorText": n} for n in event.actor_names],
        "target": [{"actorText": n} for n in event.recipient_names],
        "text": " | ".join(event.evidence),
        "eventLoc": loc,
        "dead": event.best.get("killed"),
        "injured": event.best.get("injured"),
        "size": None,
        "arrested": event.best.get("arrested"),
        "dateInfo": {"start": event.date_start, "end": event.date_end,
                     "precision": event.date_precision, "basis": event.date_basis},
        "factuality": {"statuses": event.factuality, "reportedBy": event.reported_by,
                       "deniedBy": event.denied_by, "notes": event.notes},
        "publication": event.sources,
        "firstReported": event.first_reported.isoformat() if event.first_reported else None,
        "urls": event.urls,
        "clusterId": event.cluster_id,
        "nArticles": event.n_articles,
        "nSources": event.n_sources,
        "members": event.members,
        "duplicates": event.duplicates,
        "disagreements": {f: {str(v): who for v, who in d.items()}
                          for f, d in event.disagreements.items()},
        "killedBySource": event.killed.by_source,
        "injuredBySource": event.injured.by_source,
    }


def write_canonical(events: Iterable[CanonicalEvent], out: TextIO) -> int:
    """Write a JSON array of canonical records, one per line; returns the number written."""
    return _write_records((canonical_record(e) for e in events), out)


def _write_records(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    out.write("[")
    for rec in records:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(rec, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
