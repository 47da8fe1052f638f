"""What the event view shows: the event JSON, the spans to highlight, attribution in plain words."""

from __future__ import annotations

from typing import Any

from polybius.model import Document
from polybius.store.rows import CanonicalEvent, EventRow

# How each factuality status reads before the names of who says so.
_STATUS_WORDS = {
    "asserted": ("stated as fact", "by"),
    "reported": ("reported", "by"),
    "claimed": ("claimed", "by"),
    "disputed": ("disputed", "by"),
    "denied": ("denied", "by"),
    "negated": ("said not to have happened", "by"),
    "future": ("expected or planned, not yet happened", "according to"),
    "hypothetical": ("only a possibility", "according to"),
}


def attribution(status: str, names: list[str], note: str | None) -> str:
    """Factuality and its sources in plain words, e.g. "claimed by Islamic State"."""
    words, joiner = _STATUS_WORDS.get(status, (status, "by"))
    if names:
        text = f"{words} {joiner} {_join(names)}"
    elif status == "asserted":
        text = "stated as fact by the article"
    else:
        text = f"{words} (source not named)"
    return f"{text}; {note}" if note else text


def _join(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def event_json(row: EventRow) -> dict[str, Any]:
    """The API's event object: ``row.to_json()`` plus its key and plain-words attribution."""
    out = row.to_json()
    out["key"] = row.key
    out["attribution"] = attribution(row.factuality.status, row.attributed_to_names,
                                     row.factuality.note)
    return out


def corroboration(event: CanonicalEvent) -> str:
    """Who reports a canonical event, in plain words, e.g. "reported by 3 outlets; denied by x.org"."""
    outlets = f"{event.n_sources} outlet{'s' if event.n_sources != 1 else ''}"
    named = list(event.sources)
    if named and len(named) < event.n_sources:  # articles with no URL have no outlet name
        named.append(f"{event.n_sources - len(named)} unnamed")
    parts = [f"reported by {outlets}" + (f" ({_join(named)})" if named else "")]
    if event.duplicates:
        copies = sum(len(g) for g in event.duplicates) - len(event.duplicates)
        parts.append(f"{copies} more article{'s' if copies != 1 else ''} copied from the same source")
    if event.denied_by:
        parts.append(f"denied by {_join(event.denied_by)}")
    for name, values in event.disagreements.items():
        said = "; ".join(f"{v} per {_join(who)}" for v, who in values.items())
        parts.append(f"{name} disputed: {said}")
    return "; ".join(parts)


def canonical_json(event: CanonicalEvent, members: list[EventRow]) -> dict[str, Any]:
    """The API's canonical event: the merged record, its member reports and plain-words sources.

    Each member report carries its ``key``: ``GET /events/{key}`` is its evidence.
    """
    # shallow: the nested figure records stay dataclasses, which orjson writes itself
    # (CanonicalEvent.to_json's deep asdict was a third of a canonical page's time)
    out: dict[str, Any] = {"key": event.cluster_id, **vars(event)}
    out["attribution"] = corroboration(event)
    out["reports"] = [{
        "key": r.key, "article_id": r.article_id, "event_id": r.id, "type": r.type,
        "date_start": r.date.start, "status": r.factuality.status, "source": r.source,
        "title": r.title, "url": r.url,
        "published": r.published.isoformat() if r.published else None,
        "attribution": attribution(r.factuality.status, r.attributed_to_names, r.factuality.note),
    } for r in members]
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
