"""Stored canonical records (migration 0005): kept right through relinking, equal to records
built from the members, built on the fly when stale or missing, filled for old stores."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.serve.evidence import canonical_json
from polybius.store import Store
from polybius.store import canonical_table
from polybius.store.db import MIGRATIONS
from polybius.store.rows import EventQuery
from polybius.store.schema import canonical_stale

from builders import KENYA, LYON, PARIS, Ev, make_doc


def _served(store: Store, query: EventQuery | None = None) -> list[dict]:
    """The canonical events GET /events would list, from the stored records, every page."""
    out, after = [], None
    while True:
        page = store.canonical_page(query or EventQuery(), limit=2, after=after, count=False)
        out += [json.loads(r) for r in page.records]
        if page.next is None:
            return out
        after = page.next


def _built(store: Store, query: EventQuery | None = None) -> list[dict]:
    """The same events built from their members (the path before stored records)."""
    out, after = [], None
    while True:
        page = store.find_canonical(query or EventQuery(), limit=2, after=after, count=False)
        out += [json.loads(canonical_table.dumps(canonical_json(c, page.members[c.cluster_id])))
                for c in page.events]
        if page.next is None:
            return out
        after = page.next


def _stale(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(canonical_stale.select()).scalars())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as s:
        yield s


def test_a_report_joining_a_cluster_marks_it_stale_and_the_refresh_lists_both_outlets(store: Store) -> None:
    store.add([make_doc(Ev(actor="Al-Shabaab", killed=3), salt="a")])
    store.refresh_canonical()
    [alone] = _served(store)
    assert alone["n_sources"] == 1
    store.add([make_doc(Ev(actor="Al-Shabaab", killed=4), url="https://other.example.net/x", salt="b")])
    assert _stale(store)  # relinking only marked what changed
    assert store.refresh_canonical() >= 1 and not _stale(store)
    [merged] = _served(store)
    assert (merged["n_sources"], merged["killed"]["values"]) == (2, [3, 4])
    assert len(merged["reports"]) == 2 and merged != alone
    assert _served(store) == _built(store)


def test_a_page_builds_stale_records_itself_when_the_refresh_cannot_run(store: Store) -> None:
    store.add([make_doc(Ev(actor="Farmers", place=KENYA), salt="a")])
    store.refresh_canonical()
    store.add([make_doc(Ev(actor="Farmers", place=KENYA), url="https://b.example.org/1", salt="b")])
    with store.engine.connect() as conn:  # read inside one transaction, the marks still there
        page = canonical_table.page(conn, EventQuery())
    assert page.built == 1 and len(page.records) == 1
    assert json.loads(page.records[0])["n_articles"] == 2
    assert store.canonical_page(EventQuery()).built == 1 and not _stale(store)  # then refreshed
    assert store.canonical_page(EventQuery()).built == 0


def test_events_added_without_linking_are_served_before_any_refresh(store: Store) -> None:
    store.add([make_doc(Ev(), Ev(type="PROTEST", verb="protested", place=LYON), salt="a")], link=False)
    with store.engine.connect() as conn:
        page = canonical_table.page(conn, EventQuery())
    assert page.built == 2
    assert [json.loads(r) for r in page.records] == _built(store)
    assert store.refresh_canonical(everything=True) == 2
    assert canonical_table.count(store.engine.connect()) == 2


def test_full_relink_drops_records_of_clusters_that_no_longer_exist(store: Store) -> None:
    store.add([make_doc(Ev(), salt="a")], link=False)
    store.refresh_canonical(everything=True)
    with store.engine.connect() as conn:
        before = set(conn.execute(canonical_table.canonical.select()).scalars())
    store.relink()  # "#pk" becomes a cluster id: the old record goes, the new one is built
    with store.engine.connect() as conn:
        after = set(conn.execute(canonical_table.canonical.select()).scalars())
    assert before != after and len(after) == 1 and not _stale(store)
    assert _served(store) == _built(store)


def test_a_store_from_migration_0004_gets_its_records_built(store: Store, tmp_path: Path) -> None:
    store.add([make_doc(Ev(killed=2), salt="a"),
               make_doc(Ev(killed=5), url="https://second.example.org/", salt="b")])
    expected = _built(store)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
        conn.commit()
    store.close()
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as old:
        assert _stale(old)  # the migration marks every canonical event
        assert _served(old) == expected and not _stale(old)  # the first read refreshed
        assert old.canonical_page(EventQuery()).built == 0
    con = sqlite3.connect(tmp_path / "c.db")
    try:
        assert con.execute("select max(window_days) from events").fetchone() == (0,)
    finally:
        con.close()


def test_a_date_filter_finds_a_long_window_that_starts_long_before_since(store: Store) -> None:
    store.add([make_doc(Ev(start="2021-01-01", precision="year"), salt="y"),
               make_doc(Ev(start="2021-12-20"), salt="d")])
    query = EventQuery(since=date(2021, 12, 1), until=date(2021, 12, 31))
    assert store.find_events(query).total == 2
    assert len(_served(store, query)) == len(_built(store, query)) == 2


CITIES = [PARIS, LYON, KENYA]
DAYS = ["2024-05-06", "2024-05-07", "2024-05-20", "2024-06-01", None]


@st.composite
def _reports(draw: st.DrawFn) -> list:
    docs = []
    for n in range(draw(st.integers(1, 7))):
        evs = [Ev(type=draw(st.sampled_from(["ASSAULT", "PROTEST"])),
                  actor=draw(st.sampled_from(["Gunmen", "Police", "Farmers"])),
                  place=draw(st.sampled_from(CITIES)), start=draw(st.sampled_from(DAYS)),
                  killed=draw(st.sampled_from([None, 1, 3])),
                  status=draw(st.sampled_from(["asserted", "denied", "claimed"])))
               for _ in range(draw(st.integers(1, 2)))]
        outlet = draw(st.sampled_from(["a.example.com", "b.example.org", None]))
        docs.append(make_doc(*evs, url=f"https://{outlet}/{n}" if outlet else None, salt=f"{n}"))
    return docs


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(_reports(), min_size=1, max_size=3))
def test_stored_records_equal_records_built_from_members(tmp_path_factory: pytest.TempPathFactory,
                                                         batches: list) -> None:
    path = tmp_path_factory.mktemp("prop") / "p.db"
    with Store(f"sqlite:///{path}") as store:
        for docs in batches:  # several batches: relinking moves reports between clusters
            store.add(docs)
        store.refresh_canonical()
        assert _served(store) == _built(store)
        assert _served(store, EventQuery(type="ASSAULT", descending=True)) == \
            _built(store, EventQuery(type="ASSAULT", descending=True))


def test_an_ingest_run_ends_with_its_canonical_records_built(store: Store) -> None:
    from polybius.scale import StoreSink

    sink = StoreSink(store, batch=1)
    sink.write([make_doc(Ev(), salt="a"), make_doc(Ev(), url="https://b.example.org/", salt="b")])
    assert _stale(store)
    sink.close()
    assert not _stale(store) and _served(store) == _built(store)


def test_plain_words_name_an_article_without_outlet_by_its_id_not_the_whole_hash(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path}/s.db") as s:
        s.add([make_doc(Ev(actor="Gunmen", killed=2), url=None, salt="first telling"),
               make_doc(Ev(actor="Gunmen", killed=3), url="https://coast-news.example/a",
                        salt="second telling")])
        [record] = _served(s)
    unnamed = next(k for k in record["killed"]["by_source"] if k.startswith("sha256:"))
    assert record["attribution"].endswith(
        f"killed disputed: 2 per unnamed outlet (article {unnamed[7:15]}); 3 per coast-news.example")
