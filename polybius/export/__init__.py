"""Exports of stored events: PLOVER JSON, ACLED-style CSV, GeoJSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from polybius.export import acled_csv, geojson, plover_json
from polybius.store.rows import EventRow

WRITERS: dict[str, Callable[[Iterable[EventRow], TextIO], int]] = {
    "plover-json": plover_json.write,
    "csv": acled_csv.write,
    "geojson": geojson.write,
}
FORMATS = tuple(WRITERS)


def write_export(rows: Iterable[EventRow], fmt: str, out: Path | TextIO) -> int:
    """Write ``rows`` in ``fmt`` (plover-json | csv | geojson) to a file or open text stream.

    Returns the number of rows written (for GeoJSON: located events, i.e. features).
    """
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    if isinstance(out, Path):
        # newline="" lets the csv module write its own line endings unchanged
        with out.open("w", encoding="utf-8", newline="") as handle:
            return writer(rows, handle)
    return writer(rows, out)


__all__ = ["FORMATS", "write_export"]
