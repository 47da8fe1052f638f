"""Exports of stored events: PLOVER JSON, ACLED-style CSV, GeoJSON, Parquet.

Two levels: ``"canonical"`` writes one record per real-world event (reports merged across
articles, with sources, best-supported figures and disagreements); ``"reports"`` writes one
record per event report, as each article gives it. The CLI and ``export_store`` default to
canonical.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from polybius.export import acled_csv, geojson, parquet, plover_json
from polybius.store.rows import CanonicalEvent, EventRow

if TYPE_CHECKING:
    from polybius.store import Store

WRITERS: dict[str, Callable[[Iterable[EventRow], TextIO], int]] = {
    "plover-json": plover_json.write,
    "csv": acled_csv.write,
    "geojson": geojson.write,
    "acled-csv": acled_csv.write,  # the explicit name of "csv"
}
BINARY_WRITERS: dict[str, Callable[[Iterable[EventRow], BinaryIO], int]] = {
    "parquet": parquet.write,
}
CANONICAL_WRITERS: dict[str, Callable[[Iterable[CanonicalEvent], Any], int]] = {
    "plover-json": plover_json.write_canonical,
    "csv": acled_csv.write_canonical,
    "acled-csv": acled_csv.write_canonical,
    "geojson": geojson.write_canonical,
    "parquet": parquet.write_canonical,
}
FORMATS = (*WRITERS, *BINARY_WRITERS)
LEVELS = ("canonical", "reports")


def write_export(rows: Iterable[EventRow] | Iterable[CanonicalEvent], fmt: str,
                 out: Path | TextIO | BinaryIO, *, level: str = "reports") -> int:
    """Write ``rows`` in ``fmt`` (see ``FORMATS``) to a file or an open stream.

    ``level="reports"`` takes event rows (``Store.events``), ``level="canonical"`` canonical
    events (``Store.canonical_events``). Parquet needs a binary stream, the others a text
    stream. Returns the number of records written (for GeoJSON: located ones, i.e. features).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown export level {level!r}; choose one of {', '.join(LEVELS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    writer: Callable[[Any, Any], int] = (
        CANONICAL_WRITERS[fmt] if level == "canonical" else {**WRITERS, **BINARY_WRITERS}[fmt])
    if fmt in BINARY_WRITERS:
        if isinstance(out, io.TextIOBase):
            raise ValueError(f"{fmt} is binary: give a path or a binary stream, not a text stream")
        if isinstance(out, Path):
            with out.open("wb") as raw:
                return writer(rows, raw)
        return writer(rows, out)
    if isinstance(out, Path):
        # newline="" lets the csv module write its own line endings unchanged
        with out.open("w", encoding="utf-8", newline="") as handle:
            return writer(rows, handle)
    return writer(rows, out)


def export_rows(store: Store, rows: Iterable[EventRow], fmt: str, out: Path | TextIO | BinaryIO,
                level: str = "canonical") -> int:
    """Export selected event rows, either as they are (``"reports"``) or as the canonical
    events they belong to, each with all its members (``"canonical"``).

    Example (the API's export route)::

        rows = store.find_events(query, limit=1000).rows
        export_rows(store, rows, "acled-csv", stream, level="canonical")
    """
    chosen = store.canonical_of(rows) if level == "canonical" else rows
    return write_export(chosen, fmt, out, level=level)


__all__ = ["FORMATS", "LEVELS", "export_rows", "write_export"]
