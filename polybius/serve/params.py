"""Query parameters of the read endpoints, validated; unknown parameters are refused (422)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from polybius.model import FACTUALITY
from polybius.store.rows import EventQuery

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_NUMBER = r"-?\d+(?:\.\d+)?"
_BBOX = re.compile(rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$")


def _scheme_names() -> tuple[set[str], set[str], set[str]]:
    from polybius.resources.plover import scheme

    s = scheme()
    return (set(s.types), {m for t in s.types.values() for m in t.modes}, set(s.contexts))


class EventFilters(BaseModel):
    """Filters shared by /events, /actors, /places, /stats and /export."""

    model_config = ConfigDict(extra="forbid")

    type: Short | None = Field(None, description="PLOVER event type, e.g. ASSAULT")
    mode: Short | None = Field(None, description="PLOVER mode, e.g. primitive")
    context: Short | None = Field(None, description="PLOVER context, e.g. terrorism")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        None, description="ISO 3166 alpha-2 code of the event's place")
    place: Short | None = Field(None, description="place name contains (any case)")
    actor: Short | None = Field(None, description="an actor or recipient name contains (any case)")
    recipient: Short | None = Field(None, description="a recipient name contains (any case)")
    since: date | None = Field(None, description="events on or after YYYY-MM-DD")
    until: date | None = Field(None, description="events on or before YYYY-MM-DD")
    status: list[Literal[FACTUALITY]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="factuality status; repeat for any of several")
    min_sources: int | None = Field(None, ge=1, le=10_000,
                                    description="at least this many distinct outlets report it")
    bbox: str | None = Field(None, description="west,south,east,north in degrees",
                             examples=["-10,35,30,60"])
    q: Short | None = Field(None, description="free text: article title or text, names, place")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in _scheme_names()[0]:
            raise ValueError(f"unknown PLOVER type {value!r}")
        return value.upper() if value else value

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in _scheme_names()[1]:
            raise ValueError(f"unknown PLOVER mode {value!r}")
        return value.lower() if value else value

    @field_validator("context")
    @classmethod
    def _known_context(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in _scheme_names()[2]:
            raise ValueError(f"unknown PLOVER context {value!r}")
        return value.lower() if value else value

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not _BBOX.match(value.replace(" ", "")):
            raise ValueError("bbox must be four numbers: west,south,east,north")
        west, south, east, north = (float(x) for x in value.split(","))
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError("bbox out of range: longitudes -180..180, latitudes -90..90, south <= north")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> EventFilters:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until")
        return self

    def query(self, *, descending: bool = False) -> EventQuery:
        """The store query these filters mean."""
        box = tuple(float(x) for x in self.bbox.split(",")) if self.bbox else None
        return EventQuery(type=self.type, mode=self.mode, context=self.context,
                          country=self.country, place=self.place, actor=self.actor,
                          recipient=self.recipient, since=self.since, until=self.until,
                          status=tuple(self.status), min_sources=self.min_sources,
                          bbox=box, text=self.q, descending=descending)  # type: ignore[arg-type]


_LEVEL = Field("canonical", description="canonical = one merged event per real-world happening "
                                        "(its member reports listed); report = one event per "
                                        "article's report")


class EventListParams(EventFilters):
    level: Literal["canonical", "report"] = _LEVEL
    limit: int = Field(50, ge=1, description="page size (at most POLYBIUS_PAGE_MAX, default 500)")
    offset: int = Field(0, ge=0, le=1_000_000, description="events to skip (prefer cursor for deep pages)")
    cursor: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="the previous page's next_cursor, with the same filters, sort and level")
    count: bool = Field(False, description="count every matching event (total); otherwise total "
                                           "is given on the last page only")
    sort: Literal["date", "-date"] = Field("date", description="date = oldest first; -date = newest first")


class StatsParams(EventFilters):
    level: Literal["canonical", "report"] = Field(
        "canonical", description="canonical = count canonical events (each group: those with a "
                                 "matching report in it); report = count every article's report")


class NameListParams(EventFilters):
    contains: Short | None = Field(None, description="name contains (any case)")
    limit: int = Field(100, ge=1, le=1000)


class ExportParams(EventFilters):
    format: Literal["plover-json", "acled-csv", "geojson", "parquet"] = "plover-json"
    level: Literal["canonical", "report"] = _LEVEL
    limit: int = Field(100_000, ge=1, le=1_000_000, description="at most this many events")
