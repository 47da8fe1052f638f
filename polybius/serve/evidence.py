"""What the event view shows: the event JSON, the spans to highlight, attribution in plain words."""

from __future__ import annotations

from typing import Any

from polybius.model import Document
from polybius.store.canonical_table import attribution, canonical_json, corroboration
from polybius.store.rows import EventRow

__all__ = ["attribution", "canonical_json", "corroboration", "event_json", "mentions", "quotes"]

def event_json(row: EventRow) -> dict[str, Any]:
    """The API's event object: ``row.to_json()`` plus its key and plain-words attribution."""
    out = row.to_json()
    out["key"] = row.key
    out["attribution"] = attribution(row.factuality.status, row.attributed_to_names,
                                     row.factuality.note)
    return out


def mentions(row: EventRow, doc: Document) -> list[dict[str, Any]]:
    """Every span of the article the event rests on, labelled, in text order."""
    out: list[dict[str, Any]] = []
    text = doc.article.text

    def add(kind: str, span: tuple[int, int], label: str) -> None:
        start, end = span
        if 0 <= start < end <= len(text):
            out.append({"kind": kind, "text": text[start:end], "span": (start, end), "label": label})

    for ev in row.evidence:
        add("evidence", ev.span, "evidence sentence")
        add("trigger", ev.trigger.span, f"trigger of {row.type}")
    by_id = {a.id: a for a in doc.actors}
    for role, ids in (("actor", row.actors), ("recipient", row.recipients),
                      ("source", row.factuality.attributed_to)):
        for actor_id in ids:
            if actor_id in by_id:
                actor = by_id[actor_id]
                add(role, actor.span, f"{role}: {actor.name}")
    place = next((p for p in doc.places if p.id == row.location.place), None)
    if place is not None:
        add("place", place.span, f"place: {place.name}")
    time = next((t for t in doc.times if t.id == row.date.time), None)
    if time is not None:
        add("time", time.span, f"time: {time.value or time.text}")
    for name, span in row.size.spans.items():
        add("number", span, f"{name}: {getattr(row.size, name, '')}")
    return sorted(out, key=lambda m: (m["span"][0], -m["span"][1]))


def quotes(row: EventRow, doc: Document) -> list[dict[str, Any]]:
    """Quotes that overlap the event's evidence or whose speaker is a source of its factuality."""
    names = {a.id: a.name for a in doc.actors}
    spans = [e.span for e in row.evidence]
    sources = set(row.factuality.attributed_to)
    out = []
    for q in doc.quotes:
        overlaps = any(q.span[0] < end and start < q.span[1] for start, end in spans)
        if overlaps or (q.speaker is not None and q.speaker in sources):
            out.append({"id": q.id, "text": q.text, "span": q.span, "kind": q.kind,
                        "speaker": q.speaker, "speaker_name": names.get(q.speaker or ""),
                        "cue": q.cue})
    return out
