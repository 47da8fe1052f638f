"""GET /events pages as ready JSON bytes: canonical or per-report events, cursors, totals.

The pages skip FastAPI's response-model validation (a page of 50 events validated field by
field cost more than the query); the models in ``serve.models`` still describe them in OpenAPI
and tests/test_serve_api.py checks real pages against them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import date

from polybius.serve.direct import DirectReader
from polybius.serve.errors import ApiError
from polybius.serve.evidence import event_json
from polybius.serve.params import EventListParams
from polybius.store import Store
from polybius.store.canonical_table import dumps
from polybius.store.rows import Position

_CURSOR_VERSION = 1
_NOT_FILTERS = {"limit", "offset", "cursor", "count"}


def _fingerprint(params: EventListParams) -> str:
    """What a cursor must be used with: the filters, sort order and level that made it."""
    shown = params.model_dump(mode="json", exclude=_NOT_FILTERS)
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]


def encode_cursor(params: EventListParams, at: Position) -> str:
    """An opaque cursor: where the page ended, tied to the filters that made the page."""
    raw = [_CURSOR_VERSION, _fingerprint(params),
           at.window_start.isoformat() if at.window_start else None, at.pk]
    return base64.urlsafe_b64encode(json.dumps(raw, separators=(",", ":")).encode()).decode().rstrip("=")


def _bad_cursor(problem: str) -> ApiError:
    return ApiError(422, f"invalid request: cursor: {problem}", "invalid_request",
                    [{"field": "cursor", "problem": problem, "type": "cursor"}])


def decode_cursor(params: EventListParams, cursor: str) -> Position:
    """The position a cursor stands for; 422 when it is malformed or made by other filters."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        version, fingerprint, start, pk = raw
        if version != _CURSOR_VERSION or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError("unknown cursor version")
        window_start = date.fromisoformat(start) if start is not None else None
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise _bad_cursor("not a cursor this server made: pass next_cursor back unchanged") from None
    if fingerprint != _fingerprint(params):
        raise _bad_cursor("the cursor belongs to other filters, sort or level: "
                          "repeat the query's parameters with it")
    return Position(window_start, pk)


def event_page(store: Store, params: EventListParams, page_max: int,
               direct: DirectReader | None = None) -> bytes:
    """One page of GET /events as JSON bytes; ``direct`` reads pages without free text or
    offset, at either level, on the sqlite3 connection itself (``serve.direct``), with the
    same bytes."""
    if params.limit > page_max:
        raise ApiError(422, f"limit {params.limit} is above the maximum page size {page_max}",
                       "invalid_request",
                       [{"field": "limit", "problem": f"at most {page_max}", "type": "less_than_equal"}])
    if params.cursor is not None and params.offset:
        raise ApiError(422, "invalid request: send either cursor or offset, not both",
                       "invalid_request", [{"field": "cursor", "problem": "not with offset",
                                            "type": "cursor"}])
    after = decode_cursor(params, params.cursor) if params.cursor is not None else None
    query = params.query(descending=params.sort == "-date")
    if params.level == "report" and direct is not None \
            and direct.handles(query, offset=params.offset) \
            and (found := direct.report_page(query, params.limit, after=after,
                                             count=params.count)) is not None:
        records, total, at = found
    elif params.level == "report":
        page = store.find_events(query, limit=params.limit, offset=params.offset, after=after,
                                 count=params.count)
        records = [dumps(event_json(r)) for r in page.rows]
        total, at = page.total, page.next
    elif direct is not None and direct.handles(query, offset=params.offset) \
            and (found := direct.canonical_page(query, params.limit, after=after,
                                                count=params.count)) is not None:
        records, total, at = found
    else:
        # stored records (polybius.store.canonical_table): the page is concatenated, not built
        cpage = store.canonical_page(query, limit=params.limit, offset=params.offset, after=after,
                                     count=params.count)
        records, total, at = cpage.records, cpage.total, cpage.next
    more = at is not None
    head = {"level": params.level, "total": total, "limit": params.limit, "offset": params.offset,
            "next_offset": params.offset + len(records) if more and after is None else None,
            "next_cursor": encode_cursor(params, at) if at is not None else None}
    return dumps(head)[:-1] + b',"events":[' + b",".join(records) + b"]}"
