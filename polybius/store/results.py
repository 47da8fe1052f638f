"""Lists the store's queries return: plain lists of rows that also convert themselves to a pandas
DataFrame (``pip install 'polybius[pandas]'``) or a GeoJSON FeatureCollection.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from polybius.store.rows import CanonicalEvent, EventRow

if TYPE_CHECKING:
    import pandas

DATE_COLUMNS = ("date_start", "date_end", "published", "first_reported")
COUNT_COLUMNS = ("killed", "injured", "arrested", "geonameid")


def event_record(row: EventRow) -> dict[str, Any]:
    """One flat record per event: scalars as columns, names and evidence as lists of strings."""
    return {
        "key": row.key, "article_id": row.article_id, "event_id": row.id, "type": row.type,
        "mode": row.mode, "context": row.context,
        "date_start": row.date.start, "date_end": row.date.end,
        "date_precision": row.date.precision, "date_basis": row.date.basis,
        "actors": row.actor_names, "recipients": row.recipient_names,
        "place": row.place_name, "admin1": row.place_admin1, "country": row.place_country,
        "lat": row.place_lat, "lon": row.place_lon, "geonameid": row.place_geonameid,
        "resolution": row.place_resolution,
        "killed": row.size.killed, "injured": row.size.injured, "arrested": row.size.arrested,
        "money_usd": row.size.money_usd,
        "factuality": row.factuality.status, "attributed_to": row.attributed_to_names,
        "evidence": row.evidence_text, "rule": row.rule, "confidence": row.confidence,
        "source": row.source, "url": row.url, "title": row.title, "published": row.published,
        "cluster_id": row.cluster_id,
    }


def canonical_record(event: CanonicalEvent) -> dict[str, Any]:
    """One flat record per canonical event; reported figures as lists of the distinct values."""
    out = event.to_json()
    for name in ("killed", "injured"):
        figures = out.pop(name)
        out[name] = figures["values"]
        out[f"{name}_by_source"] = figures["by_source"]
    return out


def _frame(records: list[dict[str, Any]], columns: list[str],
           counts: tuple[str, ...] = ()) -> pandas.DataFrame:
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas() needs pandas: pip install 'polybius[pandas]'") from None
    frame = pandas.DataFrame.from_records(records, columns=columns)
    for col in DATE_COLUMNS:
        if col in frame:
            # precision-aware dates stay strings in the records; as columns they are timestamps
            frame[col] = pandas.to_datetime(frame[col], format="ISO8601")
    for col in counts:
        if col in frame:  # unknown stays <NA>, not a float NaN that turns counts into floats
            frame[col] = pandas.array([r[col] for r in records], dtype="Int64")
    return frame


class EventList(list[EventRow]):
    """Events from ``Store.events``: a list of ``EventRow`` with converters.

    Example::

        rows = store.events(type="ASSAULT")
        rows.to_pandas().groupby("country").size()
    """

    def to_pandas(self) -> pandas.DataFrame:
        """A DataFrame, one row per event (columns as ``event_record``); needs pandas.

        Example::

            frame = store.events().to_pandas()
            frame[["date_start", "type", "place", "killed", "factuality"]]
        """
        return _frame([event_record(r) for r in self], list(event_record(_empty_row())), COUNT_COLUMNS)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of the located events (the ``polybius export`` format).

        Example::

            collection = store.events(country="FR").to_geojson()
            len(collection["features"]), collection["unlocated"]
        """
        from polybius.export import write_export

        out = io.StringIO()
        write_export(self, "geojson", out)
        return json.loads(out.getvalue())  # type: ignore[no-any-return]


class CanonicalEventList(list[CanonicalEvent]):
    """Merged events from ``Store.canonical_events``: a list of ``CanonicalEvent`` with a converter.

    Example::

        store.canonical_events(since=date(2018, 1, 1)).to_pandas()
    """

    def to_pandas(self) -> pandas.DataFrame:
        """A DataFrame, one row per canonical event; needs pandas.

        Example::

            frame = store.canonical_events().to_pandas()
            frame.sort_values("n_sources", ascending=False).head()
        """
        from dataclasses import fields

        columns = [f.name for f in fields(CanonicalEvent) if f.name not in ("killed", "injured")]
        columns += ["killed", "killed_by_source", "injured", "injured_by_source"]
        return _frame([canonical_record(c) for c in self], columns)


def _empty_row() -> EventRow:
    """A row with every field empty: its record's keys are the DataFrame's columns."""
    from polybius.model import EventDate, Factuality, Location, Size

    return EventRow(article_id="", id="", type="", mode=[], context=[], actors=[], recipients=[],
                    date=EventDate(), location=Location(), size=Size(), factuality=Factuality(),
                    evidence=[], rule="", confidence=0.0)
