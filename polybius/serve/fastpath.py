"""GET /events answered in front of FastAPI's routing, for the requests that are valid.

A page of stored canonical records costs ~1-2 ms of CPU; FastAPI's middleware stack, routing,
dependency solving and query-model binding added about as much again (measured with the ASGI
app called directly). This ASGI middleware validates the same ``EventListParams`` itself and
answers with the same bytes (``pages.event_page``). Anything it does not answer plainly -- an
invalid parameter, a bad cursor, a parameter given twice, a closed server without the token,
a store error -- goes on to the FastAPI route unchanged, which answers it in the API's one error
shape. The route stays the documented one (OpenAPI, response model).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from polybius.serve.params import EventListParams

_LISTS = frozenset({"status"})
# free text reads article texts and counts read every match: slow enough to leave the event loop
_SLOW = frozenset({"q", "count", "offset", "min_sources"})


def parse_params(query_string: bytes) -> EventListParams | None:
    """The parameters of a GET /events query string, or None when it is not plainly valid."""
    values: dict[str, Any] = {}
    try:
        pairs = parse_qsl(query_string.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None
    for key, value in pairs:
        if key in _LISTS:
            values.setdefault(key, []).append(value)
        elif key in values:
            return None  # repeated: the route decides what that means
        else:
            values[key] = value
    try:
        return EventListParams.model_validate(values)
    except ValidationError:
        return None


class FastEvents:
    """ASGI middleware: answer plainly valid GET /events requests with ``page``'s bytes."""

    def __init__(self, app: ASGIApp, page: Callable[[EventListParams], bytes],
                 open_reads: Callable[[], bool]) -> None:
        self.app = app
        self.page = page
        self.open_reads = open_reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != "/events" or scope["method"] != "GET"
                or not self.open_reads()):
            await self.app(scope, receive, send)
            return
        params = parse_params(scope["query_string"])
        body = None
        if params is not None:
            try:
                if _SLOW.intersection(params.model_fields_set):
                    body = await run_in_threadpool(self.page, params)
                else:
                    body = self.page(params)
            except Exception:  # noqa: BLE001 - the route answers it (error shape, logged if a bug)
                body = None
        if body is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
