"""What the store hands back: event rows, canonical (merged) events, ingest results, summaries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from polybius.link import LinkItem, date_window
from polybius.model import (
    Event,
    EventDate,
    Evidence,
    Factuality,
    Location,
    Size,
    to_plain,
)


@dataclass
class IngestResult:
    """Outcome of ``Store.add`` (one batch) or ``Store.ingest`` (files and folders).

    Example::

        result = store.ingest("reports/")
        print(result.added, "added,", result.skipped, "already stored,", len(result.failed), "failed")
    """

    added: int = 0
    skipped: int = 0
    """Articles already stored (same content hash), including repeats within the batch."""
    ids: list[str] = field(default_factory=list)
    """Content ids of every document in the batch, in input order (added and skipped); for
    ``Store.ingest``, of every article read, partition by partition."""
    failed: list[str] = field(default_factory=list)
    """``Store.ingest`` only: one message per input (file, URL, archive record) that could not be
    used, naming it."""


@dataclass(frozen=True)
class Party:
    """An event participant as the article names it."""

    id: str
    name: str
    kind: str = "UNKNOWN"
    country: str | None = None
    sector: str | None = None


@dataclass
class EventRow:
    """One stored event: its ``polybius/1`` fields plus article, participant and place details.

    Example::

        row = store.events(type="ASSAULT")[0]
        row.actor_names, row.place_name, row.factuality.status, row.evidence_text[0]
    """

    article_id: str
    id: str
    type: str
    mode: list[str]
    context: list[str]
    actors: list[str]
    recipients: list[str]
    date: EventDate
    location: Location
    size: Size
    factuality: Factuality
    evidence: list[Evidence]
    rule: str
    confidence: float
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    actor_parties: list[Party] = field(default_factory=list)
    recipient_parties: list[Party] = field(default_factory=list)
    attributed_to_names: list[str] = field(default_factory=list)
    place_name: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_geonameid: int | None = None
    place_resolution: str | None = None
    """The event's location resolution, else its place's."""
    evidence_text: list[str] = field(default_factory=list)
    """The evidence sentences, sliced from the article text."""
    cluster_id: str | None = None
    stored_json: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    """The event's ``polybius/1`` JSON as stored, when read from the store (saves re-serialising)."""

    @property
    def key(self) -> str:
        """``article_id/event_id``: unique across the store."""
        return f"{self.article_id}/{self.id}"

    @property
    def actor_names(self) -> list[str]:
        """The names of the event's actors, in order."""
        return [p.name for p in self.actor_parties]

    @property
    def recipient_names(self) -> list[str]:
        """The names of the event's recipients (who it was done to), in order."""
        return [p.name for p in self.recipient_parties]

    @property
    def link_item(self) -> LinkItem:
        """What ``polybius.link`` needs to cluster this row."""
        start = date.fromisoformat(self.date.start) if self.date.start else None
        end = date.fromisoformat(self.date.end) if self.date.end else None
        return LinkItem(
            key=self.key, article_id=self.article_id, type=self.type,
            window=date_window(start, end, self.date.precision), country=self.place_country,
            resolution=self.place_resolution, geonameid=self.place_geonameid,
            place_name=self.place_name,
            names=frozenset(n.casefold() for n in self.actor_names + self.recipient_names))

    def event(self) -> Event:
        """The bare ``polybius/1`` event."""
        return Event(id=self.id, type=self.type, mode=self.mode, context=self.context,
                     actors=self.actors, recipients=self.recipients, date=self.date,
                     location=self.location, size=self.size, factuality=self.factuality,
                     evidence=self.evidence, rule=self.rule, confidence=self.confidence)

    def to_json(self) -> dict[str, Any]:
        """The event JSON with an ``article`` block, names, place details and evidence text."""
        out = dict(self.stored_json) if self.stored_json is not None else to_plain(self.event())
        out.update({
            "article": {"id": self.article_id, "url": self.url, "title": self.title,
                        "published": self.published.isoformat() if self.published else None,
                        "source": self.source},
            "actor_names": self.actor_names, "recipient_names": self.recipient_names,
            "attributed_to_names": self.attributed_to_names,
            "place": {"name": self.place_name, "country_code": self.place_country,
                      "admin1": self.place_admin1, "lat": self.place_lat, "lon": self.place_lon,
                      "geonameid": self.place_geonameid, "resolution": self.place_resolution},
            "evidence_text": self.evidence_text,
            "cluster_id": self.cluster_id,
        })
        return out


@dataclass
class FieldValues:
    """A figure as the members of a cluster report it, disagreements kept side by side."""

    values: list[int] = field(default_factory=list)
    """Distinct reported values, ascending; unknown (null) reports are left out."""
    by_source: dict[str, list[int]] = field(default_factory=dict)

    @property
    def conflict(self) -> bool:
        return len(self.values) > 1


@dataclass
class CanonicalEvent:
    """One real-world event as reported by one or more articles (a cluster of event rows).

    Figures the sources disagree on are kept side by side (``killed.values``, ``killed.by_source``).

    Example::

        event = store.canonical_events(type="ASSAULT")[0]
        event.n_sources, event.killed.values, event.members
    """

    cluster_id: str
    type: str
    date_start: str | None
    date_end: str | None
    date_precision: str
    date_basis: str
    country: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    resolution: str | None
    actor_names: list[str]
    recipient_names: list[str]
    n_articles: int
    n_sources: int
    sources: list[str]
    first_reported: date | None
    members: list[str]
    """``article_id/event_id`` of every member event."""
    factuality: dict[str, int]
    """How many members report each factuality status."""
    killed: FieldValues
    injured: FieldValues
    arrested: FieldValues = field(default_factory=FieldValues)
    duplicates: list[list[str]] = field(default_factory=list)
    """Article ids grouped as one source (near-duplicate text or same outlet), groups of 2+."""
    best: dict[str, int | None] = field(default_factory=dict)
    """Per figure (killed/injured/arrested): the value most independent sources report."""
    disagreements: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    """Per figure reported with two or more values: value → who says so."""
    reported_by: int = 0
    """Independent sources reporting that the event happened."""
    denied_by: list[str] = field(default_factory=list)
    """Who reports it negated or denied."""
    notes: list[str] = field(default_factory=list)
    """Each member's factuality note (claims, disputes, figures its sources disagree on),
    prefixed with the outlet that printed it: kept side by side when reports merge."""
    mode: list[str] = field(default_factory=list)
    """PLOVER modes any member gives, most frequent first."""
    context: list[str] = field(default_factory=list)
    """PLOVER contexts any member gives, most frequent first."""
    admin1: str | None = None
    """First-level region of the best-located member."""
    evidence: list[str] = field(default_factory=list)
    """Each member's evidence sentence(s), prefixed with its outlet (or article id)."""
    urls: list[str] = field(default_factory=list)
    """The member articles' URLs, where known."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; ``first_reported`` as an ISO date."""
        out = asdict(self)
        out["first_reported"] = self.first_reported.isoformat() if self.first_reported else None
        return out


@dataclass
class Summary:
    """Counts over the whole store."""

    articles: int
    events: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    unlocated: int
    """Events with no country."""
    by_factuality: dict[str, int]
    top_actors: list[tuple[str, int]]
    """(name, number of events naming it as actor or recipient), most frequent first."""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["top_actors"] = [{"name": n, "events": c} for n, c in self.top_actors]
        return out


@dataclass
class FeedState:
    """One subscribed feed: its conditional-GET validators and how the last poll went."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    added_at: datetime | None = None
    last_polled: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    n_entries: int = 0


@dataclass(frozen=True)
class EventQuery:
    """Filters over stored events; every given filter must match (None = no filter)."""

    type: str | None = None
    """PLOVER type, any case."""
    mode: str | None = None
    context: str | None = None
    country: str | None = None
    """ISO 3166 alpha-2 of the event's place."""
    place: str | None = None
    """Case-insensitive substring of the place name."""
    actor: str | None = None
    """Case-insensitive substring of any actor or recipient name."""
    recipient: str | None = None
    """Case-insensitive substring of a recipient name."""
    since: date | None = None
    until: date | None = None
    status: tuple[str, ...] = ()
    """Factuality statuses; an event matches any of them."""
    min_sources: int | None = None
    """At least this many distinct outlets report the event's cluster."""
    bbox: tuple[float, float, float, float] | None = None
    """(west, south, east, north) in degrees; only located events match."""
    text: str | None = None
    """Free text: a substring of the article title or text, a participant or the place name."""
    descending: bool = False
    """Newest first instead of oldest first (undated events always come last)."""


@dataclass(frozen=True)
class Position:
    """A place in the date order of events (undated last): where a page ended.

    ``window_start`` (the event's date window start) is None exactly when the event is
    undated; ``pk`` (the event's row number) breaks ties.
    """

    window_start: date | None
    pk: int


@dataclass
class EventPage:
    """One page of events and the number of all matching events."""

    rows: list[EventRow]
    total: int | None
    """All matching events; None when not counted (``count=False`` and the page is not the last)."""
    limit: int
    offset: int
    next: Position | None = None
    """Where the next page starts (``after=``); None on the last page."""


@dataclass
class CanonicalPage:
    """One page of canonical events (clusters with a matching member) and their member rows."""

    events: list[CanonicalEvent]
    members: dict[str, list[EventRow]]
    """Per canonical event (``cluster_id``): its member event rows, by date."""
    total: int | None
    limit: int
    offset: int
    next: Position | None = None


@dataclass(frozen=True)
class NameCount:
    """A name with the number of stored events that mention it (and where it is, for places)."""

    name: str
    events: int
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Stats:
    """Event counts for the charts, over the events matching a query."""

    total: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_status: dict[str, int]
    by_day: list[tuple[str, str, int]]
    """(ISO day of the event's start, PLOVER type, events), by day then type."""
