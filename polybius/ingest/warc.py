"""Web archives (``.warc``, ``.warc.gz``): HTML response records, streamed, with their URL and date.

The file is read record by record (warcio), so a CC-NEWS archive of tens of thousands of records
needs no more memory than its largest record. Damage is local: a truncated file, a corrupt gzip
member or a record whose Content-Length lies is logged with its byte offset and skipped, and
reading resumes at the next record boundary found after it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from polybius.ingest.items import RawPage

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_RECORD_BYTES = 5 * 2**20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 16

OnSkip = Callable[[str, str], None]
# What warcio raises on damaged input: its own error, zlib's and I/O errors, and on some
# malformed headers plain Python errors from inside its parser (found by the truncation property test).
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError, AttributeError, TypeError,
           KeyError, IndexError)


def is_warc(path: Path) -> bool:
    """Whether a path names a web archive by its extension."""
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def read_warc(path: Path, *, on_skip: OnSkip, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[RawPage]:
    """The HTML response pages of an archive, in file order; every other record is passed over.

    ``on_skip(source, reason)`` hears about each unusable record (``source`` = ``path@offset``):
    non-200 HTML responses, oversized payloads and damaged stretches of the file.
    """
    gzipped = _is_gzip(path)
    with path.open("rb") as fh:
        position = 0
        while True:
            fh.seek(position)
            failed_at = yield from _records_from(fh, path, position, on_skip, max_record_bytes)
            if failed_at is None:
                return
            position = _next_boundary(fh, failed_at + 1, gzipped)
            if position is None:
                return


def _records_from(fh: IO[bytes], path: Path, start: int, on_skip: OnSkip,
                  max_record_bytes: int) -> Iterator[RawPage]:
    """Pages from ``start`` until the end (returns None) or damage (returns the damaged offset)."""
    records = ArchiveIterator(fh)
    offset = start  # ArchiveIterator.offset is absolute: it starts at fh.tell()
    try:
        for record in records:
            offset = records.offset
            source = f"{path}@{offset}"
            if record.format != "warc":
                on_skip(source, f"not a WARC record (looks like {record.format}); resuming at the next record")
                return offset
            page = _page(record, source, on_skip, max_record_bytes)
            if _drain(record) > 0:
                on_skip(source, "record truncated: its Content-Length runs past the end of the data; "
                                "resuming at the next record")
                return offset
            if page is not None:
                yield page
    except _DAMAGE as err:
        where = max(records.offset, offset)
        on_skip(f"{path}@{where}", f"damaged archive data ({_short(err)}); resuming at the next record")
        return where
    end = fh.seek(0, 2)
    if records.offset < end:
        # warcio ends quietly on a gzip member cut short; bytes left over mean exactly that
        on_skip(f"{path}@{records.offset}", f"truncated archive: the last {end - records.offset} "
                                            "bytes are not a complete record")
    return None


def _drain(record: Any) -> int:
    """Read the rest of a record's block; returns how many declared bytes the data did not have."""
    stream = record.raw_stream
    while stream.read(_SCAN_CHUNK):
        pass
    return int(getattr(stream, "limit", 0))  # no LimitReader: the record declared no length


def _page(record: Any, source: str, on_skip: OnSkip, max_record_bytes: int) -> RawPage | None:
    """The page of an HTML 200 response record; None for every other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if ctype not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    source = f"{source} {url}"
    status = record.http_headers.get_statuscode()
    if status != "200":
        on_skip(source, f"HTTP {status} response, not an article")
        return None
    body = record.content_stream().read(max_record_bytes + 1)
    if len(body) > max_record_bytes:
        on_skip(source, f"payload above the {max_record_bytes}-byte limit for one page")
        return None
    return RawPage(source=source, html=body, url=url,
                   published=_warc_date(record.rec_headers.get_header("WARC-Date")))


def _warc_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(3) == _GZIP_MAGIC


def _next_boundary(fh: IO[bytes], start: int, gzipped: bool) -> int | None:
    """Offset of the next plausible record start at or after ``start`` (a gzip member or 'WARC/1.')."""
    magic = _GZIP_MAGIC if gzipped else b"\n" + _WARC_MAGIC
    fh.seek(start)
    carry, base = b"", start
    while chunk := fh.read(_SCAN_CHUNK):
        data = carry + chunk
        hit = data.find(magic)
        if hit >= 0:
            found = base - len(carry) + hit
            return found if gzipped else found + 1
        carry = data[-(len(magic) - 1):]
        base += len(chunk)
    return None


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    first = "".join(c if c.isprintable() else "?" for c in text[0][:80]) if text else ""
    return f"{type(err).__name__}: {first}" if first else type(err).__name__
