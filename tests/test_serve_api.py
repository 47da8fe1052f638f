"""The REST API against a real uvicorn server on 127.0.0.1 over a real SQLite file.

Every error must come back as 4xx JSON in one shape, never a 500, and never leave a partial write.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from pydantic import TypeAdapter

from polybius.contract import problems
from polybius.serve.bench import free_port, start_server, stop_server
from polybius.serve.evidence import attribution
from polybius.serve.models import EventPageOut
from polybius.serve.settings import SettingsError, from_env
from polybius.store import Store

from builders import KENYA, LYON, PARIS, Ev, make_doc

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = ("Police arrested twelve protesters in Nairobi on Tuesday after a march against new "
           "taxes, the interior ministry said in a statement.")


def assert_error(response: httpx.Response, status: int) -> dict[str, object]:
    """The response is the one error shape with this status; returns the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status and error["message"] and isinstance(error["details"], list)
    return error


def article_count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("select count(*) from articles").fetchone()[0])
    finally:
        con.close()


def fill(db: Path) -> None:
    with Store(f"sqlite:///{db}") as store:
        store.add([
            make_doc(Ev(actor="Al-Shabaab", recipient="villagers", killed=3, start="2024-05-06"),
                     Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                        place=LYON, start="2024-06-10", status="reported"), salt="a"),
            make_doc(Ev(type="ASSAULT", actor="Police", recipient="al-shabaab fighters",
                        place=KENYA, start="2024-05-01", end="2024-05-31", precision="month",
                        status="claimed"),
                     url="https://news.example.org/b", title="Raid near the border", salt="b"),
            make_doc(Ev(type="AGREE", actor="Kenya", verb="agreed with", recipient="Somalia",
                        place=None, start=None, precision="unknown"), salt="c"),
        ])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("api") / "api.db"
    fill(db)
    port = free_port()
    env = {**os.environ, "POLYBIUS_TOKEN": TOKEN, "POLYBIUS_MAX_BODY": "100000",
           "POLYBIUS_PAGE_MAX": "100"}
    proc = start_server(f"sqlite:///{db}", port, env=env)
    try:
        yield f"http://127.0.0.1:{port}", db
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def client(server: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=120) as c:
        yield c


@pytest.fixture
def db(server: tuple[str, Path]) -> Path:
    return server[1]


# -- reading ------------------------------------------------------------------------------------

def test_events_are_polybius_1_events_with_their_context(client: httpx.Client) -> None:
    body = client.get("/events?level=report").json()
    assert body["total"] == 4 and body["next_offset"] is None and body["level"] == "report"
    first = body["events"][0]
    for field in ("id", "type", "mode", "context", "actors", "recipients", "date", "location",
                  "size", "factuality", "evidence", "rule", "confidence"):
        assert field in first
    assert first["key"] == f"{first['article']['id']}/{first['id']}"
    assert first["evidence_text"] and first["attribution"]


def test_events_are_sorted_by_date_with_undated_last_and_can_be_reversed(client: httpx.Client) -> None:
    starts = [e["date"]["start"] for e in client.get("/events?level=report").json()["events"]]
    assert starts == ["2024-05-01", "2024-05-06", "2024-06-10", None]
    newest = [e["date"]["start"] for e in client.get("/events?level=report&sort=-date").json()["events"]]
    assert newest == ["2024-06-10", "2024-05-06", "2024-05-01", None]


@pytest.mark.parametrize("query, types", [
    ("type=assault", ["ASSAULT", "ASSAULT"]),
    ("country=ke", ["ASSAULT"]),
    ("status=claimed&status=reported", ["ASSAULT", "PROTEST"]),
    ("actor=SHABAAB", ["ASSAULT", "ASSAULT"]),
    ("recipient=somalia", ["AGREE"]),
    ("place=lyo", ["PROTEST"]),
    ("since=2024-06-01", ["PROTEST"]),
    ("since=2024-05-20&until=2024-05-25", ["ASSAULT"]),
    ("bbox=-5,40,10,52", ["ASSAULT", "PROTEST"]),
    ("q=border", ["ASSAULT"]),
    ("mode=primitive&type=AGREE", ["AGREE"]),
    ("min_sources=2", []),
])
def test_each_filter_narrows_the_events(client: httpx.Client, query: str, types: list[str]) -> None:
    for level in ("report", "canonical"):  # no two reports here are merged: the levels agree
        response = client.get(f"/events?{query}&level={level}")
        assert response.status_code == 200, response.text
        assert [e["type"] for e in response.json()["events"]] == types


def test_pages_follow_each_other_without_overlap(client: httpx.Client) -> None:
    first = client.get("/events?level=report&limit=3&count=true").json()
    assert first["next_offset"] == 3 and first["total"] == 4
    assert client.get("/events?level=report&limit=3").json()["total"] is None  # not counted
    rest = client.get(f"/events?level=report&limit=3&offset={first['next_offset']}").json()
    keys = [e["key"] for e in first["events"] + rest["events"]]
    assert len(keys) == len(set(keys)) == 4 and rest["next_offset"] is None


def test_event_detail_has_article_text_highlights_and_plain_attribution(client: httpx.Client) -> None:
    key = client.get("/events?level=report&status=claimed").json()["events"][0]["key"]
    detail = client.get(f"/events/{key}").json()
    text = detail["article"]["text"]
    kinds = {m["kind"] for m in detail["mentions"]}
    assert {"evidence", "trigger", "actor", "recipient", "place"} <= kinds
    for m in detail["mentions"]:
        assert text[m["span"][0]:m["span"][1]] == m["text"]
    assert detail["event"]["attribution"].startswith("claimed")


def test_article_is_its_polybius_1_document(client: httpx.Client) -> None:
    article_id = client.get("/events?level=report").json()["events"][0]["article"]["id"]
    doc = client.get(f"/articles/{article_id}").json()
    assert doc["schema"] == "polybius/1" and problems(doc) == []


def test_actors_places_and_stats_count_events(client: httpx.Client) -> None:
    actors = {a["name"]: a["events"] for a in client.get("/actors").json()}
    assert actors["Al-Shabaab"] == 1 and actors["Somalia"] == 1
    places = client.get("/places?contains=par").json()
    assert [(p["name"], p["events"], p["country"]) for p in places] == [("Paris", 1, "FR")]
    stats = client.get("/stats?type=ASSAULT&level=report").json()
    assert stats["total"] == 2 and stats["by_country"] == {"FR": 1, "KE": 1}
    assert {(d["day"], d["type"], d["events"]) for d in stats["by_day"]} == {
        ("2024-05-01", "ASSAULT", 1), ("2024-05-06", "ASSAULT", 1)}
    # by default canonical events: the two ASSAULT reports are in two places, two events
    assert client.get("/stats?type=ASSAULT").json()["total"] == 2


def test_exports_in_every_format(client: httpx.Client) -> None:
    csv_text = client.get("/export?format=acled-csv").text
    header = csv_text.splitlines()[0].split(",")
    for column in ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
                   "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                   "notes", "fatalities"):
        assert column in header
    assert len(csv_text.splitlines()) == 5
    geo = client.get("/export?format=geojson&type=ASSAULT").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert len(client.get("/export?format=plover-json").json()) == 4
    table = pq.read_table(io.BytesIO(client.get("/export?format=parquet").content))
    assert table.num_rows == 4 and sorted(table.column("type").to_pylist()).count("ASSAULT") == 2


# -- canonical events, cursors -----------------------------------------------------------------

def fill_merged(db: Path) -> None:
    """Seven reports: one attack told by three outlets (two figures), four lone events."""
    with Store(f"sqlite:///{db}") as store:
        store.add([
            make_doc(Ev(actor="Al-Shabaab", recipient="villagers", killed=3, start="2024-05-06"),
                     url="https://one.example/a", salt="m1"),
            make_doc(Ev(actor="Al-Shabaab", recipient="villagers", killed=4, start="2024-05-06"),
                     url="https://two.example/b", salt="m2"),
            make_doc(Ev(actor="Al-Shabaab", recipient="villagers", killed=4, start="2024-05-06",
                        status="denied"), url="https://three.example/c", salt="m3"),
            make_doc(Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                        place=LYON, start="2024-06-10"),
                     Ev(type="PROTEST", actor="Nurses", verb="protested", recipient=None,
                        place=KENYA, start="2024-06-11"), salt="m4"),
            make_doc(Ev(type="AGREE", actor="Kenya", verb="agreed with", recipient="Somalia",
                        place=None, start=None, precision="unknown"),
                     Ev(type="ASSAULT", actor="Gunmen", recipient="a bus", place=PARIS,
                        start="2024-04-02"), salt="m5"),
        ])


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server with two worker processes (polybius serve --workers 2) over a store with a merged event."""
    db = tmp_path_factory.mktemp("merged") / "merged.db"
    fill_merged(db)
    port = free_port()
    proc = start_server(f"sqlite:///{db}", port, workers=2)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
            yield c
    finally:
        stop_server(proc)


def test_events_are_canonical_by_default_with_their_reports_one_step_away(merged: httpx.Client) -> None:
    body = merged.get("/events").json()
    assert body["level"] == "canonical" and body["total"] == 5
    attack = next(e for e in body["events"] if e["n_articles"] == 3)
    assert attack["n_sources"] == 3 and attack["sources"] == ["one.example", "three.example", "two.example"]
    assert attack["killed"]["values"] == [3, 4] and attack["best"]["killed"] == 4
    assert attack["denied_by"] == ["three.example"]
    assert attack["attribution"].startswith("reported by 3 outlets") and "denied by three.example" in attack["attribution"]
    assert sorted(r["key"] for r in attack["reports"]) == attack["members"]
    for ref in attack["reports"]:
        detail = merged.get(f"/events/{ref['key']}").json()  # the report's evidence: one request
        assert detail["event"]["key"] == ref["key"] and detail["mentions"]
        assert detail["event"]["cluster_id"] == attack["cluster_id"]
    reports = merged.get("/events?level=report").json()
    assert reports["total"] == 7 and len(reports["events"]) == 7


def test_exports_give_canonical_events_by_default_and_reports_on_request(merged: httpx.Client) -> None:
    canonical = merged.get("/export?format=acled-csv").text.splitlines()
    reports = merged.get("/export?format=acled-csv&level=report").text.splitlines()
    assert (len(canonical), len(reports)) == (1 + 5, 1 + 7)
    assert len(merged.get("/export?format=plover-json&type=ASSAULT").json()) == 2
    assert len(merged.get("/export?format=plover-json&type=ASSAULT&level=report").json()) == 4


@pytest.mark.parametrize("query, canonical, reports", [
    ("type=ASSAULT", 2, 4),
    ("status=denied", 1, 1),          # a cluster matches through any of its members ...
    ("actor=nurses", 1, 1),
    ("min_sources=2", 1, 3),
    ("since=2024-06-01", 2, 2),
    ("country=FR&type=PROTEST", 1, 1),
])
def test_filters_work_on_both_levels(merged: httpx.Client, query: str, canonical: int, reports: int) -> None:
    found = merged.get(f"/events?{query}").json()
    assert len(found["events"]) == found["total"] == canonical
    assert merged.get(f"/events?{query}&level=report").json()["total"] == reports
    if query == "status=denied":  # ... and is shown whole, with every member report
        assert found["events"][0]["n_articles"] == 3


@pytest.mark.parametrize("level", ["canonical", "report"])
@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cursor_pages_cover_every_event_exactly_once(merged: httpx.Client, level: str, sort: str,
                                                     limit: int) -> None:
    everything = merged.get(f"/events?level={level}&sort={sort}&limit=100").json()["events"]
    keys: list[str] = []
    cursor = None
    for _ in range(20):
        params = {"level": level, "sort": sort, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = merged.get("/events", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["events"]) <= limit and body["next_offset"] in (None, limit)
        keys += [e["key"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert keys == [e["key"] for e in everything]  # same order, none twice, none left out
    assert len(set(keys)) == len(keys) == (5 if level == "canonical" else 7)


def test_offset_pages_of_canonical_events_follow_each_other(merged: httpx.Client) -> None:
    first = merged.get("/events?limit=2").json()
    assert first["next_offset"] == 2 and first["total"] is None
    second = merged.get("/events?limit=2&offset=2").json()
    everything = merged.get("/events").json()["events"]
    assert [e["key"] for e in first["events"] + second["events"]] == [e["key"] for e in everything[:4]]


@pytest.mark.parametrize("level", ["canonical", "report"])
def test_pages_match_their_typed_response_models(merged: httpx.Client, level: str) -> None:
    body = merged.get(f"/events?level={level}&count=true").json()
    page = TypeAdapter(EventPageOut).validate_python(body)
    assert page.level == level and len(page.events) == page.total


@pytest.mark.parametrize("cursor", ["zzz", "bm90IGpzb24", "WzEsImFiYyIsbnVsbCwiMSJd", "%00", "a" * 201])
def test_bad_cursor_is_422_in_the_error_shape(merged: httpx.Client, cursor: str) -> None:
    error = assert_error(merged.get("/events", params={"cursor": cursor}), 422)
    assert "cursor" in str(error["message"])
    assert any(d["field"] == "cursor" for d in error["details"])  # type: ignore[union-attr, index]


def test_cursor_is_tied_to_its_filters_and_not_mixed_with_offset(merged: httpx.Client) -> None:
    cursor = merged.get("/events?limit=1&type=ASSAULT").json()["next_cursor"]
    assert cursor
    assert merged.get("/events", params={"limit": 1, "type": "ASSAULT", "cursor": cursor}).status_code == 200
    for other in ({"type": "PROTEST"}, {"type": "ASSAULT", "level": "report"},
                  {"type": "ASSAULT", "sort": "-date"}):
        error = assert_error(merged.get("/events", params={"limit": 1, "cursor": cursor, **other}), 422)
        assert "other filters" in str(error["message"])
    assert_error(merged.get("/events", params={"type": "ASSAULT", "cursor": cursor, "offset": 1}), 422)


def test_openapi_describes_both_levels_of_event_pages(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    refs = {s["$ref"].rsplit("/", 1)[-1] for s in ok["oneOf"]}
    assert refs == {"CanonicalList", "EventList"} and ok["discriminator"]["propertyName"] == "level"
    params = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert {"level", "cursor", "count", "limit", "offset"} <= params
    canonical = spec["components"]["schemas"]["CanonicalOut"]["properties"]
    assert {"n_sources", "n_articles", "reports", "members"} <= set(canonical)


# -- bad requests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, field", [
    ("limit=-1", "limit"), ("limit=0", "limit"), ("limit=abc", "limit"), ("offset=-5", "offset"),
    ("limit=101", "limit"), ("since=2024-13-45", "since"), ("type=NOT_A_TYPE", "type"),
    ("country=FRA", "country"), ("bbox=1,2,3", "bbox"), ("bbox=0,95,10,99", "bbox"),
    ("status=maybe", "status"), ("sort=random", "sort"), ("colour=red", "colour"),
    ("since=2024-06-01&until=2024-05-01", "request"), ("min_sources=0", "min_sources"),
])
def test_bad_parameters_are_422_naming_the_parameter(client: httpx.Client, query: str, field: str) -> None:
    error = assert_error(client.get(f"/events?{query}"), 422)
    assert field in str(error["message"])
    assert any(d["field"] == field for d in error["details"])  # type: ignore[union-attr, index]


def test_huge_page_is_refused_not_served(client: httpx.Client) -> None:
    assert_error(client.get("/events?limit=1000000"), 422)
    assert_error(client.get("/events?offset=99999999"), 422)


@pytest.mark.parametrize("needle", ["'; DROP TABLE events; --", "\" OR 1=1 --", "%", "_",
                                    "Robert'); DELETE FROM articles;--"])
def test_sql_looking_filters_are_plain_text(client: httpx.Client, db: Path, needle: str) -> None:
    before = article_count(db)
    for name in ("actor", "q", "place", "recipient"):
        response = client.get("/events", params={name: needle})
        assert response.status_code == 200 and response.json()["total"] == 0
    assert article_count(db) == before
    assert client.get("/events").json()["total"] >= 4


def test_unknown_event_and_article_are_404(client: httpx.Client) -> None:
    assert_error(client.get("/events/sha256:nope/e1"), 404)
    assert_error(client.get("/articles/sha256:nope"), 404)
    assert_error(client.get("/no/such/page"), 404)


def test_wrong_method_is_405_in_the_same_shape(client: httpx.Client) -> None:
    assert_error(client.delete("/events"), 405)


# -- writing -------------------------------------------------------------------------------------

def test_write_without_token_is_401_and_wrong_token_403(client: httpx.Client, db: Path) -> None:
    before = article_count(db)
    error = client.post("/articles", json={"text": ARTICLE})
    assert_error(error, 401)
    assert error.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/articles", json={"text": ARTICLE},
                             headers={"Authorization": "Bearer nope"}), 403)
    assert_error(client.post("/articles", json={"text": ARTICLE},
                             headers={"Authorization": f"Basic {TOKEN}"}), 403)
    assert article_count(db) == before


@pytest.mark.parametrize("body, status", [
    (b'{"text": "unfinished', 422),
    (b"[1, 2, 3]", 422),
    (b'{"text": 42}', 422),
    (b'{"text": "' + "Gunmen attacked Paris on Monday".encode() + b'", "published": "yesterday"}', 422),
    (b'{"text": "abc", "html": "<p>abc</p>"}', 422),
    (b'{"published": "2024-01-01"}', 422),
    (b'{"text": "hi", "colour": "red"}', 422),
    (b'{"text": "short"}', 422),
    (b'{"text": "\xff\xfe\xfa not utf-8"}', 400),
    (b"", 422),
])
def test_bad_bodies_are_4xx_json_and_write_nothing(client: httpx.Client, db: Path, body: bytes,
                                                    status: int) -> None:
    before = article_count(db)
    response = client.post("/articles", content=body,
                           headers={**AUTH, "Content-Type": "application/json"})
    assert_error(response, status)
    assert article_count(db) == before


def test_huge_body_is_413_whether_declared_or_streamed(client: httpx.Client, db: Path) -> None:
    before = article_count(db)
    huge = json.dumps({"text": "word " * 60_000}).encode()
    assert_error(client.post("/articles", content=huge,
                             headers={**AUTH, "Content-Type": "application/json"}), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count the bytes
        for start in range(0, len(huge), 8192):
            yield huge[start:start + 8192]

    assert_error(client.post("/articles", content=chunks(),
                             headers={**AUTH, "Content-Type": "application/json"}), 413)
    assert article_count(db) == before


def test_posted_article_runs_the_pipeline_and_is_stored_once(client: httpx.Client, db: Path) -> None:
    before = article_count(db)
    body = {"text": ARTICLE, "published": "2024-03-07", "url": "https://example.net/kenya"}
    first = client.post("/articles", json=body, headers=AUTH)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert stored["added"] is True and stored["article_id"].startswith("sha256:")
    assert any(e["type"] == "COERCE" for e in stored["events"])
    assert article_count(db) == before + 1
    again = client.post("/articles", json=body, headers=AUTH).json()
    assert again["added"] is False and article_count(db) == before + 1
    doc = client.get(f"/articles/{stored['article_id']}").json()
    assert problems(doc) == []


def test_posted_html_is_reduced_to_its_main_text(client: httpx.Client) -> None:
    page = (f"<html><head><title>Arrests</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Arrests in Nairobi</h1><p>{ARTICLE}</p><p>{ARTICLE.replace('twelve', 'ten')}"
            f"</p></article></body></html>")
    response = client.post("/articles", json={"html": page, "published": "2024-03-08"}, headers=AUTH)
    assert response.status_code == 201, response.text
    doc = client.get(f"/articles/{response.json()['article_id']}").json()
    assert "Home | World" not in doc["article"]["text"] and "Nairobi" in doc["article"]["text"]


# -- settings ------------------------------------------------------------------------------------

def test_reads_can_be_closed_by_the_token_setting(tmp_path: Path) -> None:
    db = tmp_path / "private.db"
    fill(db)
    port = free_port()
    env = {**os.environ, "POLYBIUS_TOKEN": TOKEN, "POLYBIUS_PRIVATE_READS": "1"}
    proc = start_server(f"sqlite:///{db}", port, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            assert_error(c.get("/events"), 401)
            assert_error(c.get("/stats", headers={"Authorization": "Bearer wrong"}), 403)
            assert c.get("/events", headers=AUTH).json()["total"] == 4
    finally:
        stop_server(proc)


def test_without_a_token_writes_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "open.db"
    fill(db)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "POLYBIUS_TOKEN"}
    proc = start_server(f"sqlite:///{db}", port, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            error = assert_error(c.post("/articles", json={"text": ARTICLE}, headers=AUTH), 403)
            assert "POLYBIUS_TOKEN" in str(error["message"])
            assert c.get("/events").status_code == 200
    finally:
        stop_server(proc)


def test_settings_come_from_the_environment_with_clear_errors() -> None:
    s = from_env({"POLYBIUS_TOKEN": "t", "POLYBIUS_PRIVATE_READS": "1", "POLYBIUS_MAX_BODY": "5000"})
    assert (s.token, s.private_reads, s.max_body, s.page_max) == ("t", True, 5000, 500)
    assert from_env({}).token is None
    with pytest.raises(SettingsError, match="POLYBIUS_MAX_BODY"):
        from_env({"POLYBIUS_MAX_BODY": "lots"})
    with pytest.raises(SettingsError, match="POLYBIUS_PRIVATE_READS"):
        from_env({"POLYBIUS_PRIVATE_READS": "maybe"})


def test_attribution_reads_as_plain_words() -> None:
    assert attribution("claimed", ["Islamic State"], None) == "claimed by Islamic State"
    assert attribution("disputed", ["the prosecutor", "the mayor"], None) == \
        "disputed by the prosecutor and the mayor"
    assert attribution("asserted", [], None) == "stated as fact by the article"
    assert attribution("denied", [], "denial in a statement") == \
        "denied (source not named); denial in a statement"


def test_page_and_docs_are_served_from_bundled_assets(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/app.js">' in page.text
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    spec = client.get("/openapi.json").json()
    assert {"/events", "/events/{article_id}/{event_id}", "/articles", "/stats"} <= set(spec["paths"])
