"""ACLED-style CSV: ACLED's column names, PLOVER types mapped through resources/acled_map.yaml.

Unknown numbers stay empty (ACLED would write 0); ``polybius_*`` columns keep what the ACLED
columns cannot say (PLOVER type and mode, factuality, how the date was set). Canonical events
(``canonical_record``) give one row per real-world event, its sources joined, like ACLED's own
rows, with the cluster's size and disagreements in extra columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

import pycountry
import yaml

from polybius.errors import ResourceError
from polybius.export._common import evidence_text, export_id, has_coordinates
from polybius.store.rows import CanonicalEvent, EventRow

MAP_FILE = "acled_map.yaml"

COLUMNS = (
    "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities",
    "polybius_type", "polybius_mode", "factuality", "date_basis", "date_precision", "article_url",
)

CANONICAL_COLUMNS = (
    *COLUMNS, "polybius_cluster_id", "n_articles", "n_sources", "first_reported", "disagreements",
    "denied_by",
)

# ACLED geo-precision: 1 = the town itself, 2 = a part of a region / near a town, 3 = only a
# larger region (province or country) is known.
GEO_PRECISION = {"city": 1, "admin2": 2, "admin1": 3, "country": 3, "region": 3}


@dataclass(frozen=True)
class AcledType:
    """An ACLED event type and sub-event type."""

    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class AcledMap:
    """PLOVER type → default ACLED type, and per-mode refinements (first listed mode wins)."""

    default: dict[str, AcledType]
    modes: dict[str, dict[str, AcledType]]

    def lookup(self, plover_type: str, modes: Iterable[str]) -> AcledType | None:
        """The ACLED type of a PLOVER event, refined by its modes; None for an unknown type."""
        refined = self.modes.get(plover_type, {})
        wanted = set(modes)
        for mode, target in refined.items():
            if mode in wanted:
                return target
        return self.default.get(plover_type)


def _fail(entry: str, problem: str) -> ResourceError:
    return ResourceError(f"polybius/resources/{MAP_FILE}: {entry}: {problem}")


def _target(entry: str, obj: Any, allowed: dict[str, list[str]]) -> AcledType:
    if not isinstance(obj, dict) or set(obj) != {"event_type", "sub_event_type"}:
        raise _fail(entry, "needs exactly event_type and sub_event_type")
    if obj["event_type"] not in allowed:
        raise _fail(entry, f"unknown ACLED event_type {obj['event_type']!r}")
    if obj["sub_event_type"] not in allowed[obj["event_type"]]:
        raise _fail(entry, f"{obj['sub_event_type']!r} is not a sub-event type of "
                           f"{obj['event_type']!r}")
    return AcledType(obj["event_type"], obj["sub_event_type"])


def parse_map(data: Any, plover_modes: dict[str, tuple[str, ...]]) -> AcledMap:
    """Validate the mapping table against ACLED's types and the PLOVER scheme."""
    if not isinstance(data, dict) or not isinstance(data.get("acled_types"), dict) \
            or not isinstance(data.get("plover"), dict):
        raise _fail("<root>", "needs the mappings acled_types and plover")
    allowed: dict[str, list[str]] = data["acled_types"]
    default: dict[str, AcledType] = {}
    modes: dict[str, dict[str, AcledType]] = {}
    for ptype, spec in data["plover"].items():
        if ptype not in plover_modes:
            raise _fail(f"plover/{ptype}", "not a PLOVER event type")
        if not isinstance(spec, dict) or "default" not in spec:
            raise _fail(f"plover/{ptype}", "needs a default")
        default[ptype] = _target(f"plover/{ptype}/default", spec["default"], allowed)
        modes[ptype] = {}
        for mode, target in (spec.get("modes") or {}).items():
            if mode not in plover_modes[ptype]:
                raise _fail(f"plover/{ptype}/modes/{mode}", f"not a mode of {ptype} in plover.yaml")
            modes[ptype][mode] = _target(f"plover/{ptype}/modes/{mode}", target, allowed)
    missing = sorted(set(plover_modes) - set(default))
    if missing:
        raise _fail("plover", f"no mapping for {', '.join(missing)}")
    return AcledMap(default=default, modes=modes)


@lru_cache(maxsize=1)
def acled_map() -> AcledMap:
    """The packaged PLOVER → ACLED table, loaded and validated once."""
    from polybius.resources.plover import scheme

    text = resources.files("polybius.resources").joinpath(MAP_FILE).read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail("<file>", f"not valid YAML ({exc})") from exc
    return parse_map(data, {name: t.modes for name, t in scheme().types.items()})


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """ISO-2 code → English short name (the code itself when unknown)."""
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found is not None else code


def _iso3(code: str | None) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return found.alpha_3 if found is not None else "XXX"


def _blank(value: Any) -> Any:
    return "" if value is None else value


def record(row: EventRow) -> dict[str, Any]:
    """One event as an ACLED-style CSV row (column → value)."""
    acled = acled_map().lookup(row.type, row.mode)
    located = has_coordinates(row)
    resolution = row.location.resolution
    return {
        "event_id_cnty": f"{_iso3(row.place_country)}-{export_id(row)}",
        "event_date": _blank(row.date.start),
        "year": row.date.start[:4] if row.date.start else "",
        "event_type": acled.event_type if acled else "",
        "sub_event_type": acled.sub_event_type if acled else "",
        "actor1": "; ".join(row.actor_names),
        "actor2": "; ".join(row.recipient_names),
        "country": country_name(row.place_country) if row.place_country else "",
        "admin1": _blank(row.place_admin1),
        "location": _blank(row.place_name),
        "latitude": row.place_lat if located else "",
        "longitude": row.place_lon if located else "",
        "geo_precision": GEO_PRECISION.get(resolution, "") if resolution else "",
        "source": _blank(row.source),
        "notes": evidence_text(row),
        "fatalities": _blank(row.size.killed),
        "polybius_type": row.type,
        "polybius_mode": ";".join(row.mode),
        "factuality": row.factuality.status,
        "date_basis": row.date.basis,
        "date_precision": row.date.precision,
        "article_url": _blank(row.url),
    }


def write(rows: Iterable[EventRow], out: TextIO) -> int:
    """Write a header and one row per event; returns the number of event rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(record(row))
        n += 1
    return n


def canonical_record(event: CanonicalEvent) -> dict[str, Any]:
    """One canonical event as an ACLED-style CSV row: sources and evidence joined."""
    acled = acled_map().lookup(event.type, event.mode)
    located = has_coordinates(event)
    digest = event.cluster_id.removeprefix("c-")
    statuses = sorted(event.factuality, key=lambda s: (-event.factuality[s], s))
    return {
        "event_id_cnty": f"{_iso3(event.country)}-{digest}",
        "event_date": _blank(event.date_start),
        "year": event.date_start[:4] if event.date_start else "",
        "event_type": acled.event_type if acled else "",
        "sub_event_type": acled.sub_event_type if acled else "",
        "actor1": "; ".join(event.actor_names),
        "actor2": "; ".join(event.recipient_names),
        "country": country_name(event.country) if event.country else "",
        "admin1": _blank(event.admin1),
        "location": _blank(event.place_name),
        "latitude": event.lat if located else "",
        "longitude": event.lon if located else "",
        "geo_precision": GEO_PRECISION.get(event.resolution or "", ""),
        "source": "; ".join(event.sources),
        "notes": " | ".join(event.evidence),
        "fatalities": _blank(event.best.get("killed")),
        "polybius_type": event.type,
        "polybius_mode": ";".join(event.mode),
        "factuality": ";".join(statuses),
        "date_basis": event.date_basis,
        "date_precision": event.date_precision,
        "article_url": " ".join(event.urls),
        "polybius_cluster_id": event.cluster_id,
        "n_articles": event.n_articles,
        "n_sources": event.n_sources,
        "first_reported": event.first_reported.isoformat() if event.first_reported else "",
        "disagreements": "; ".join(
            f"{f}: " + " vs ".join(f"{v} ({', '.join(who)})" for v, who in d.items())
            for f, d in event.disagreements.items()),
        "denied_by": "; ".join(event.denied_by),
    }


def write_canonical(events: Iterable[CanonicalEvent], out: TextIO) -> int:
    """Write a header and one row per canonical event; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=CANONICAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(canonical_record(event))
        n += 1
    return n
