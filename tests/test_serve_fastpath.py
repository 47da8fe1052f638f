"""GET /events in front of FastAPI's routing: the same answers, and everything unusual left to
the documented route."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from polybius.serve import create_app
from polybius.serve.fastpath import parse_params
from polybius.serve.pages import event_page
from polybius.serve.settings import ServeSettings
from polybius.store import Store

from builders import KENYA, Ev, make_doc


def test_plain_queries_parse_and_repeated_or_invalid_ones_do_not() -> None:
    params = parse_params(b"type=assault&status=asserted&status=denied&since=2024-01-01")
    assert params is not None
    assert (params.type, params.status, str(params.since)) == ("ASSAULT", ["asserted", "denied"],
                                                              "2024-01-01")
    assert parse_params(b"type=ASSAULT&type=PROTEST") is None  # the route decides
    assert parse_params(b"limit=-1") is None
    assert parse_params(b"colour=red") is None
    assert parse_params(b"q=caf\xc3\xa9") is None  # raw non-ASCII bytes: not a plain query


def test_fast_answers_equal_the_page_and_errors_keep_the_route_shape(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'f.db'}") as store:
        store.add([make_doc(Ev(), salt="a"), make_doc(Ev(place=KENYA), salt="b")])
        app = create_app(store, ServeSettings())

        def get(path: str) -> Any:
            async def call() -> httpx.Response:
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                             base_url="http://test") as client:
                    return await client.get(path)
            return asyncio.run(call())

        response = get("/events?country=ke&limit=5")
        params = parse_params(b"country=ke&limit=5")
        assert params is not None
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.content == event_page(store, params, 500)
        # a repeated parameter is the route's to interpret (it keeps the last value)
        assert get("/events?type=PROTEST&type=ASSAULT").json()["level"] == "canonical"
        for bad in ("/events?limit=0", "/events?colour=red", "/events?cursor=x"):
            answer = get(bad)
            assert answer.status_code == 422 and set(answer.json()) == {"error"}, bad
        assert get("/events?limit=501").json()["error"]["details"][0]["field"] == "limit"
