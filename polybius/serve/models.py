"""Typed request and response bodies of the API (OpenAPI at /docs is generated from these).

An event is the ``polybius/1`` event (docs/CONTRACT.md) plus read-only context the store adds:
``key``, the article block, participant and place names, evidence sentences and cluster id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Span = tuple[int, int]


class EventDateOut(BaseModel):
    start: str | None
    end: str | None
    precision: str
    basis: str
    time: str | None = None


class LocationOut(BaseModel):
    place: str | None
    resolution: str | None
    reason: str | None = None


class SizeOut(BaseModel):
    killed: int | None
    injured: int | None
    arrested: int | None
    money_usd: float | None
    spans: dict[str, Span] = Field(default_factory=dict)


class FactualityOut(BaseModel):
    status: str
    attributed_to: list[str]
    note: str | None
    cue: str | None = None


class TriggerOut(BaseModel):
    text: str
    span: Span


class EvidenceOut(BaseModel):
    span: Span
    trigger: TriggerOut


class ArticleRef(BaseModel):
    id: str
    url: str | None
    title: str | None
    published: date | None
    source: str | None


class PlaceRef(BaseModel):
    name: str | None
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    resolution: str | None


class EventOut(BaseModel):
    """A stored ``polybius/1`` event with its context."""

    key: str = Field(description="article_id/event_id: the event's id in this API")
    id: str
    type: str
    mode: list[str]
    context: list[str]
    actors: list[str]
    recipients: list[str]
    date: EventDateOut
    location: LocationOut
    size: SizeOut
    factuality: FactualityOut
    evidence: list[EvidenceOut]
    rule: str
    confidence: float
    article: ArticleRef
    actor_names: list[str]
    recipient_names: list[str]
    attributed_to_names: list[str]
    place: PlaceRef
    evidence_text: list[str]
    cluster_id: str | None
    attribution: str = Field(description="factuality and who says so, in plain words")


class _Page(BaseModel):
    total: int | None = Field(description="events matching the filters over all pages: with "
                                          "count=true, and on the last page; else null")
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last page "
                                                "and when paging by cursor")
    next_cursor: str | None = Field(description="cursor of the next page; null on the last page")


class EventList(_Page):
    """A page of per-report events (``level=report``)."""

    level: Literal["report"]
    events: list[EventOut]


class Figures(BaseModel):
    values: list[int] = Field(description="distinct reported values, ascending")
    by_source: dict[str, list[int]]


class ReportRef(BaseModel):
    """A member report of a canonical event: ``GET /events/{key}`` shows its evidence."""

    key: str
    article_id: str
    event_id: str
    type: str
    date_start: str | None
    status: str = Field(description="the report's factuality status")
    source: str | None
    title: str | None
    url: str | None
    published: date | None
    attribution: str


class CanonicalOut(BaseModel):
    """One real-world event merged from the reports of one or more articles and outlets."""

    key: str = Field(description="the cluster id (a lone report's own key when it is not clustered)")
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
    n_sources: int = Field(description="independent outlets (copies of one wire story count once)")
    sources: list[str]
    first_reported: date | None
    members: list[str] = Field(description="keys of the member reports")
    factuality: dict[str, int] = Field(description="member reports per factuality status")
    killed: Figures
    injured: Figures
    arrested: Figures
    duplicates: list[list[str]]
    best: dict[str, int | None] = Field(description="per figure, the value most sources give")
    disagreements: dict[str, dict[str, list[str]]] = Field(
        description="per figure reported with several values: value -> who says so")
    reported_by: int
    denied_by: list[str]
    notes: list[str]
    attribution: str = Field(description="who reports it, in plain words")
    reports: list[ReportRef]


class CanonicalList(_Page):
    """A page of canonical events (``level=canonical``, the default)."""

    level: Literal["canonical"]
    events: list[CanonicalOut]


EventPageOut = Annotated[CanonicalList | EventList, Field(discriminator="level")]


class Mention(BaseModel):
    """A span of the article text the event view highlights."""

    kind: str = Field(description="trigger | evidence | actor | recipient | source | place | time | number")
    text: str
    span: Span
    label: str


class QuoteOut(BaseModel):
    id: str
    text: str
    span: Span
    kind: str
    speaker: str | None
    speaker_name: str | None
    cue: str | None


class ArticleText(ArticleRef):
    text: str


class EventDetail(BaseModel):
    event: EventOut
    article: ArticleText
    mentions: list[Mention]
    quotes: list[QuoteOut]


class DocumentOut(BaseModel):
    """A stored article as its ``polybius/1`` document (schema resources/polybius-1.schema.json)."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="schema", serialization_alias="schema")
    article: dict[str, object]
    actors: list[dict[str, object]]
    places: list[dict[str, object]]
    times: list[dict[str, object]]
    quotes: list[dict[str, object]]
    events: list[dict[str, object]]


class NameCountOut(BaseModel):
    name: str
    events: int
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class DayCount(BaseModel):
    day: date
    type: str
    events: int


class StatsOut(BaseModel):
    total: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_status: dict[str, int]
    by_day: list[DayCount]


class ArticleIn(BaseModel):
    """An article to extract and store: body text or an HTML page, plus its metadata."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1)] | None = None
    html: Annotated[str, StringConstraints(min_length=1)] | None = None
    published: date | None = None
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    title: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ArticleStored(BaseModel):
    article_id: str
    added: bool = Field(description="false when the same article (content hash) was already stored")
    events: list[EventOut]
