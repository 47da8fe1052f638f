"""Record types of the ``polybius/1`` contract and their JSON (de)serialisation.

Every mention carries a ``span`` (character offsets into ``Article.text``) and the ``rule`` that
made it, so each field of an event can be traced to the sentence behind it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, TypeVar

SCHEMA = "polybius/1"

Span = tuple[int, int]

ACTOR_KINDS = ("ORG", "PER", "GROUP", "STATE", "UNKNOWN")
RESOLUTIONS = ("city", "admin2", "admin1", "country", "region")
TIME_TYPES = ("DATE", "TIME", "DURATION", "SET")
PRECISIONS = ("day", "week", "month", "year", "unknown")
DATE_BASES = ("explicit", "relative", "publication")
FACTUALITY = (
    "asserted", "reported", "claimed", "disputed", "denied", "negated", "future", "hypothetical",
)
REMOVED_KINDS = ("caption", "read_more", "byline", "boilerplate")


def content_id(text: str) -> str:
    """The article id: a hash of its clean text, so the same article is stored once."""
    return "sha256:" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass
class Removed:
    """A piece of the page the cleaner removed, kept so the user can see what was dropped."""

    kind: str
    text: str


@dataclass
class Article:
    """One news article: clean body text plus the metadata it came with.

    ``id`` is the content hash of the text (``content_id``), so the same article is stored once.

    Example::

        Article(text="Police arrested two men in Lyon on Monday.", published=date(2019, 1, 7))
    """

    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    language: str = "en"
    removed: list[Removed] = field(default_factory=list)
    id: str = ""
    skipped: str | None = None
    """Why nothing was extracted (e.g. the text is not English); None when it was processed."""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)


@dataclass
class Actor:
    """Someone who acts or is acted upon: a person, organisation, group or state."""

    id: str
    text: str
    span: Span
    name: str
    kind: str = "UNKNOWN"
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    rule: str = ""


@dataclass
class Place:
    """A toponym resolved (or not) to a gazetteer entry, with the resolution it reached."""

    id: str
    text: str
    span: Span
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    resolution: str = "country"
    confidence: float = 0.0
    rule: str = ""


@dataclass
class Time:
    """A temporal expression with its TIMEX3-style value and what it was anchored to."""

    id: str
    text: str
    span: Span
    type: str = "DATE"
    value: str = ""
    anchor: str | None = "published"
    rule: str = ""


@dataclass
class Quote:
    """Reported speech: its content span, speaker (actor id) and cue verb."""

    id: str
    text: str
    span: Span
    kind: str = "direct"
    speaker: str | None = None
    cue: str | None = None
    rule: str = ""
    source_span: Span | None = None
    """The source phrase as written ("she", "a senior official"), which ``speaker`` resolves."""


@dataclass
class EventDate:
    """When an event happened; ``basis`` says whether the text or the publication date set it."""

    start: str | None = None
    end: str | None = None
    precision: str = "unknown"
    basis: str = "publication"
    time: str | None = None
    confidence: float | None = None
    """How safely the date holds (0-1): the publication-date fallback is the least sure."""


@dataclass
class Location:
    """Where an event happened: a place id and the resolution, or ``reason`` when there is none."""

    place: str | None = None
    resolution: str | None = None
    reason: str | None = None


@dataclass
class Figure:
    """One of several figures an event's text gives for the same kind ("killed" …)."""

    kind: str
    value: float
    span: Span
    relation: str
    """"kept" (the figure in the size field), "earlier" (replaced by a later running total:
    "killed 3 ... the toll rose to 5"), "range-max" (the upper end of "between 10 and 15"), "part"
    (a sub-count: "including two children"), "other" (a further figure not added in)."""


@dataclass
class Size:
    """How many: casualty and arrest counts, money in USD; ``spans`` point at each number."""

    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    money_usd: float | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    perpetrators_killed: int | None = None
    """Attackers killed ("four of the assailants were shot dead"), kept apart from ``killed``."""
    lower_bounds: list[str] = field(default_factory=list)
    """Kinds whose figure is a minimum: "at least 12", "dozens" (24, flagged), "more than 40"."""
    figures: list[Figure] = field(default_factory=list)
    """Every figure given for a kind that has more than one ("killed 3 ... the toll rose to 5"),
    in text order, each with how it relates to the one kept. Empty when each kind has one."""

    def __post_init__(self) -> None:
        # JSON and the store give plain dicts and lists; the dataclass keeps Figures and tuples.
        self.figures = [f if isinstance(f, Figure) else Figure(**{**f, "span": tuple(f["span"])})
                        for f in self.figures]


@dataclass
class Factuality:
    """Whether the event happened according to the text, who says so, and the cue that decided."""

    status: str = "asserted"
    attributed_to: list[str] = field(default_factory=list)
    note: str | None = None
    cue: str | None = None


@dataclass
class Trigger:
    text: str
    span: Span


@dataclass
class Evidence:
    """A sentence that reports the event, and the trigger word in it."""

    span: Span
    trigger: Trigger


@dataclass
class Event:
    """One PLOVER-coded event with its arguments, date, place, size, factuality and evidence."""

    id: str
    type: str
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    date: EventDate = field(default_factory=EventDate)
    location: Location = field(default_factory=Location)
    size: Size = field(default_factory=Size)
    factuality: Factuality = field(default_factory=Factuality)
    evidence: list[Evidence] = field(default_factory=list)
    rule: str = ""
    confidence: float = 0.5


@dataclass
class Document:
    """Everything extracted from one article: the ``polybius/1`` JSON object.

    Every mention has a ``span`` into ``article.text``; events refer to actors, places and times
    by id. ``to_json`` / ``from_json`` convert losslessly.

    Example::

        doc = Pipeline().extract(text, published=date(2018, 8, 23))
        for event in doc.events:
            start, end = event.evidence[0].span
            print(event.type, event.factuality.status, doc.article.text[start:end])
    """

    article: Article
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_json(self, *, native: bool = False) -> dict[str, Any]:
        """The document as a JSON-ready dict in the ``polybius/1`` contract.

        ``native=True`` leaves the records (removed parts, actors, places, times, quotes, events)
        as dataclasses, for serialisers that write dataclasses themselves (orjson, as the store
        does): the same JSON, without building a dict per record first.

        Example::

            json.dumps(doc.to_json(), ensure_ascii=False)
        """
        plain = _same if native else to_plain
        art = self.article
        return {
            "schema": SCHEMA,
            "article": {"id": art.id, "url": art.url, "title": art.title,
                        "published": art.published.isoformat() if art.published else None,
                        "language": art.language, "text": art.text,
                        "removed": [plain(r) for r in art.removed]}
            | ({"skipped": art.skipped} if art.skipped else {}),
            "actors": [plain(a) for a in self.actors],
            "places": [plain(p) for p in self.places],
            "times": [plain(t) for t in self.times],
            "quotes": [plain(q) for q in self.quotes],
            "events": [plain(e) for e in self.events],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Document:
        """Rebuild a document from its ``polybius/1`` JSON form (``from_json(d.to_json()) == d``).

        Example::

            doc = Document.from_json(json.loads(path.read_text()))
        """
        if obj.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema={obj.get('schema')!r})")
        art = dict(obj["article"])
        art["published"] = date.fromisoformat(art["published"]) if art.get("published") else None
        art["removed"] = [Removed(**r) for r in art.get("removed", [])]
        return cls(
            article=Article(**art),
            actors=[_build(Actor, a) for a in obj.get("actors", [])],
            places=[_build(Place, p) for p in obj.get("places", [])],
            times=[_build(Time, t) for t in obj.get("times", [])],
            quotes=[_build(Quote, q) for q in obj.get("quotes", [])],
            events=[event_from_json(e) for e in obj.get("events", [])],
        )


T = TypeVar("T")


def to_plain(record: Any) -> dict[str, Any]:
    """asdict with tuples turned into lists, as JSON has them.

    Walks the dataclasses directly instead of ``asdict`` + a second pass: 5x faster, which is
    most of the store's write time (every field here is immutable, so no deep copy is needed).
    """
    return _plain(record)  # type: ignore[no-any-return]


def _same(record: Any) -> Any:
    return record


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, type(None), date)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {n: _plain(getattr(value, n)) for n in names}


def _build(cls: type[T], obj: dict[str, Any]) -> T:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs = {k: v for k, v in obj.items() if k in names}
    if "span" in kwargs:
        kwargs["span"] = tuple(kwargs["span"])
    if kwargs.get("source_span") is not None:
        kwargs["source_span"] = tuple(kwargs["source_span"])
    return cls(**kwargs)


def event_from_json(obj: dict[str, Any]) -> Event:
    """Rebuild an Event from its JSON form."""
    size = dict(obj.get("size", {}))
    size["spans"] = {k: tuple(v) for k, v in size.get("spans", {}).items()}
    return Event(
        id=obj["id"], type=obj["type"], mode=list(obj.get("mode", [])),
        context=list(obj.get("context", [])), actors=list(obj.get("actors", [])),
        recipients=list(obj.get("recipients", [])),
        date=_build(EventDate, obj.get("date", {})),
        location=_build(Location, obj.get("location", {})),
        size=Size(**size),
        factuality=_build(Factuality, obj.get("factuality", {})),
        evidence=[Evidence(span=tuple(ev["span"]),  # type: ignore[arg-type]
                           trigger=Trigger(ev["trigger"]["text"], tuple(ev["trigger"]["span"])))  # type: ignore[arg-type]
                  for ev in obj.get("evidence", [])],
        rule=obj.get("rule", ""), confidence=obj.get("confidence", 0.5),
    )
