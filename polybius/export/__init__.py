"""Exports of stored events: PLOVER JSON, ACLED-style CSV, GeoJSON, Parquet."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from polybius.export import acled_csv, geojson, parquet, plover_json
from polybius.store.rows import EventRow

WRITERS: dict[str, Callable[[Iterable[EventRow], TextIO], int]] = {
    "plover-json": plover_json.write,
    "csv": acled_csv.write,
    "geojson": geojson.write,
    "acled-csv": acled_csv.write,  # the explicit name of "csv"
}
BINARY_WRITERS: dict[str, Callable[[Iterable[EventRow], BinaryIO], int]] = {
    "parquet": parquet.write,
}
FORMATS = (*WRITERS, *BINARY_WRITERS)


def write_export(rows: Iterable[EventRow], fmt: str, out: Path | TextIO | BinaryIO) -> int:
    """Write ``rows`` in ``fmt`` (see ``FORMATS``) to a file or an open stream.

    Parquet needs a binary stream, the others a text stream. Returns the number of rows written
    (for GeoJSON: located events, i.e. features).
    """
    if fmt in BINARY_WRITERS:
        if isinstance(out, io.TextIOBase):
            raise ValueError(f"{fmt} is binary: give a path or a binary stream, not a text stream")
        if isinstance(out, Path):
            with out.open("wb") as raw:
                return BINARY_WRITERS[fmt](rows, raw)
        return BINARY_WRITERS[fmt](rows, out)  # type: ignore[arg-type]
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    if isinstance(out, Path):
        # newline="" lets the csv module write its own line endings unchanged
        with out.open("w", encoding="utf-8", newline="") as handle:
            return writer(rows, handle)
    return writer(rows, out)  # type: ignore[arg-type]


__all__ = ["FORMATS", "write_export"]
