"""Pages read on the sqlite3 connection (serve.direct) equal the general path's bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.serve.direct import DirectReader, direct_path
from polybius.serve.fastpath import parse_params
from polybius.serve.pages import decode_cursor, event_page
from polybius.model import Factuality
from polybius.store import Store

from builders import KENYA, LYON, PARIS, Ev, make_doc

_DAYS = ("2024-05-01", "2024-05-06", "2024-05-20", "2024-06-02", None)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DirectReader]]:
    path = tmp_path_factory.mktemp("direct") / "d.db"
    docs = []
    for i in range(36):
        ev = Ev(type=("ASSAULT", "PROTEST", "COERCE")[i % 3], place=(PARIS, LYON, KENYA, None)[i % 4],
                start=_DAYS[i % 5], status=("asserted", "denied", "claimed")[i % 3],
                actor=("Gunmen", "Police", None)[i % 3], recipient=("villagers", None)[i % 2])
        # pairs of articles about the same event from two outlets: clusters of two members
        docs.append(make_doc(ev, url=f"https://outlet{i % 2}.example/{i // 2}", salt=str(i // 2)
                             if i % 2 else f"{i}x"))
    with Store(f"sqlite:///{path}") as store:
        store.add(docs)
        store.relink()
        reader = DirectReader(str(path))
        yield store, reader
        reader.close()


_FILTERS = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["assault", "PROTEST", "coerce"]),
    "country": st.sampled_from(["fr", "KE", "us"]),
    "since": st.sampled_from(["2024-05-01", "2024-05-10"]),
    "until": st.sampled_from(["2024-05-31", "2024-06-30"]),
    "status": st.lists(st.sampled_from(["asserted", "denied", "claimed"]), min_size=1,
                       max_size=3, unique=True),
    "actor": st.sampled_from(["gunmen", "POLICE", "x"]),
    "recipient": st.sampled_from(["village", "none"]),
    "place": st.sampled_from(["paris", "Ly"]),
    "bbox": st.sampled_from(["-10,35,30,60", "170,-10,-170,10"]),
    "mode": st.sampled_from(["primitive"]),
    "sort": st.sampled_from(["date", "-date"]),
    "limit": st.integers(min_value=1, max_value=40),
    "min_sources": st.sampled_from(["1", "2", "3"]),
    "count": st.sampled_from(["true", "false"]),
    "level": st.sampled_from(["canonical", "report"]),
})


def _query(filters: dict[str, object]) -> bytes:
    pairs = []
    for key, value in filters.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append(f"{key}={v}")
    return "&".join(pairs).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=_FILTERS)
def test_direct_pages_equal_the_general_path(linked: tuple[Store, DirectReader],
                                             filters: dict[str, object]) -> None:
    store, reader = linked
    params = parse_params(_query(filters))
    if params is None:  # an invalid combination (since after until): the route's to answer
        return
    read = reader.report_page if params.level == "report" else reader.canonical_page
    assert read(params.query(descending=params.sort == "-date"), params.limit,
                count=params.count) is not None
    assert event_page(store, params, 500, reader) == event_page(store, params, 500)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=_FILTERS, limit=st.integers(min_value=1, max_value=7))
def test_every_page_after_a_cursor_equals_the_general_path(
        linked: tuple[Store, DirectReader], filters: dict[str, object], limit: int) -> None:
    store, reader = linked
    raw = _query(filters | {"limit": limit})
    seen: list[bytes] = []
    for _ in range(40):  # 36 reports
        params = parse_params(raw)
        if params is None:
            return
        if params.cursor is not None:
            after = decode_cursor(params, params.cursor)
            read = reader.report_page if params.level == "report" else reader.canonical_page
            assert read(params.query(descending=params.sort == "-date"), params.limit,
                        after=after) is not None
        page = event_page(store, params, 500, reader)
        assert page == event_page(store, params, 500)
        body = json.loads(page)
        seen += [json.dumps(e, sort_keys=True).encode() for e in body["events"]]
        if body["next_cursor"] is None:
            break
        raw = _query(filters | {"limit": limit, "cursor": body["next_cursor"]})
    else:
        raise AssertionError("the cursor never reached the last page")
    assert len(seen) == len(set(seen))  # no canonical event on two pages


def test_a_stale_record_is_left_to_the_general_path(linked: tuple[Store, DirectReader]) -> None:
    store, reader = linked
    params = parse_params(b"limit=3")
    assert params is not None
    query = params.query()
    found = reader.canonical_page(query, 3)
    assert found is not None and len(found[0]) == 3
    first = store.canonical_page(query, limit=1).records[0]
    key = first.split(b'"key":"', 1)[1].split(b'"', 1)[0].decode()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO canonical_stale (key) VALUES (?)", (key,))
    try:
        assert reader.canonical_page(query, 3) is None
        assert event_page(store, params, 500, reader) == event_page(store, params, 500)
    finally:
        store.refresh_canonical()


def test_offset_and_free_text_pages_take_the_general_path() -> None:
    for raw, direct in ((b"", True), (b"count=true&min_sources=2", True), (b"offset=5", False),
                        (b"q=paris", False)):
        params = parse_params(raw)
        assert params is not None
        assert DirectReader.handles(params.query(), offset=params.offset) is direct, raw


def test_only_sqlite_files_are_read_directly(tmp_path: Path) -> None:
    assert direct_path(f"sqlite:///{tmp_path / 'a.db'}") == str(tmp_path / "a.db")
    assert direct_path("sqlite://") is None
    assert direct_path("postgresql://u@localhost/db") is None


def test_report_pages_name_the_sources_and_keep_notes_as_the_general_path(tmp_path: Path) -> None:
    said = make_doc(Ev(status="claimed", actor="Rebels"), url=None, published=None, salt="s")
    # one source the article names, one id with no actor row (shown by its id)
    said.events[0].factuality = Factuality(status="claimed", attributed_to=["a1", "a9"],
                                           note="per a statement")
    with Store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        store.add([said, make_doc(Ev(), salt="t")])
        reader = DirectReader(str(tmp_path / "r.db"))
        try:
            params = parse_params(b"level=report")
            assert params is not None
            found = reader.report_page(params.query(), params.limit)
            assert found is not None and len(found[0]) == 2
            assert event_page(store, params, 500, reader) == event_page(store, params, 500)
            body = json.loads(event_page(store, params, 500, reader))
            claimed = next(e for e in body["events"] if e["factuality"]["status"] == "claimed")
            assert claimed["attributed_to_names"] == ["Rebels", "a9"]
            assert claimed["attribution"].endswith("; per a statement")
            assert claimed["article"]["published"] is None
        finally:
            reader.close()
