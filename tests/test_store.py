"""The store: round-trips, idempotent ingest, all-or-nothing batches, filters, summary."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from polybius import bench_scale
from polybius.errors import StoreError
from polybius.model import (
    FACTUALITY,
    PRECISIONS,
    Actor,
    Article,
    Document,
    Event,
    EventDate,
    Evidence,
    Factuality,
    Location,
    Place,
    Removed,
    Size,
    Trigger,
)
from polybius.store import Store, default_source
from polybius.store.db import MIGRATIONS
from polybius.store.schema import metadata

from builders import KENYA, Ev, make_doc



def postgres_url() -> str:
    """The test PostgreSQL server's URL (``.ci/run`` starts one); skips locally, fails in CI without it."""
    url = os.environ.get("POLYBIUS_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("POLYBIUS_TEST_PG is not set: .ci/run must start PostgreSQL (.ci/postgres)")
        pytest.skip("no PostgreSQL server configured: set POLYBIUS_TEST_PG=postgresql://… "
                    "(source .ci/postgres start) to run the store suite against PostgreSQL")
    return url


def empty_postgres() -> str:
    """The test PostgreSQL database, emptied (every table dropped) for one test."""
    url = postgres_url()
    bench_scale.empty_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = empty_postgres() if request.param == "postgresql" else f"sqlite:///{tmp_path / 'test.db'}"
    with Store(url) as s:
        yield s


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def store_name(store: Store) -> str:
    """What error messages call the store: the database file or name."""
    return Path(make_url(store.url).database or "").name


def table_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"select count(*) from {t}").scalar_one()
                for t in ("articles", "events", "actors", "places")}


# -- opening --------------------------------------------------------------------------------

def test_new_sqlite_store_uses_wal_and_is_migrated_to_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        assert con.execute("select version_num from alembic_version").fetchone()[0] == head
    finally:
        con.close()


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    from polybius.store.schema import actors

    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(actors.insert().values(article_id="sha256:missing", actor_id="a1",
                                            name="x", kind="ORG"))


def test_directory_path_raises_store_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store(f"sqlite:///{tmp_path}")


def test_file_that_is_not_a_database_raises_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("just some notes, not SQLite " * 50)
    with pytest.raises(StoreError, match="notes.db"):
        Store(f"sqlite:///{bad}")


def test_reopening_a_store_keeps_its_articles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as s:
        s.add([make_doc()])
    with Store(url) as s:
        assert s.count_articles() == 1


# -- writing --------------------------------------------------------------------------------

def test_added_document_reads_back_equal(store: Store) -> None:
    doc = make_doc(Ev(), Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None))
    doc.article.removed = [Removed(kind="caption", text="A photo.")]
    result = store.add([doc])
    assert (result.added, result.skipped, result.ids) == (1, 0, [doc.article.id])
    assert store.has_article(doc.article.id)
    assert store.article(doc.article.id) == doc


def test_analyze_gives_the_planner_statistics_and_changes_no_data(store: Store) -> None:
    store.add([make_doc(), make_doc(Ev(type="PROTEST", actor="Farmers", verb="protested"))])
    before = table_counts(store)
    store.analyze()
    stats = ("select count(*) from sqlite_stat1 where tbl = 'events'"
             if store.engine.dialect.name == "sqlite"
             else "select count(*) from pg_stats where tablename = 'events'")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql(stats).scalar_one() > 0
    assert table_counts(store) == before


def test_unknown_article_reads_as_none(store: Store) -> None:
    assert store.article("sha256:" + "0" * 64) is None
    assert not store.has_article("sha256:" + "0" * 64)


def test_re_adding_the_same_article_is_skipped_and_changes_nothing(store: Store) -> None:
    doc = make_doc()
    store.add([doc])
    before = table_counts(store)
    again = store.add([doc, make_doc()])
    assert (again.added, again.skipped) == (0, 2)
    assert table_counts(store) == before


def test_failure_midway_leaves_the_store_exactly_as_before(store: Store) -> None:
    store.add([make_doc(salt="first")])
    before = table_counts(store)

    def docs() -> Iterator[Document]:
        yield make_doc(salt="second")
        yield make_doc(salt="third")
        raise RuntimeError("reader crashed")

    with pytest.raises(RuntimeError, match="reader crashed"):
        store.add(docs())
    assert table_counts(store) == before
    assert store.count_articles() == 1


def test_database_error_midway_rolls_back_and_raises_store_error(store: Store) -> None:
    broken = make_doc(salt="broken")
    broken.events.append(broken.events[0])  # duplicate event id violates (article_id, event_id)
    with pytest.raises(StoreError, match=store_name(store)):
        store.add([make_doc(salt="fine"), broken])
    assert table_counts(store) == {"articles": 0, "events": 0, "actors": 0,
                                                  "places": 0}


def test_source_defaults_to_host_without_www_and_can_be_overridden(store: Store) -> None:
    store.add([make_doc(salt="1")])
    store.add([make_doc(salt="2", url=None)], source=lambda d: "wire.txt")
    assert sorted(r.source for r in store.events()) == ["example.com", "wire.txt"]


def test_default_source_of_a_file_path_is_its_name() -> None:
    assert default_source(make_doc(url="file:///data/news/story1.txt")) == "story1.txt"
    assert default_source(make_doc(url=None)) is None


# -- reading --------------------------------------------------------------------------------

@pytest.fixture
def filled(store: Store) -> Store:
    store.add([
        make_doc(Ev(actor="Al-Shabaab", killed=3),
                 Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                    start="2024-06-10", status="reported"), salt="a"),
        make_doc(Ev(type="ASSAULT", actor="Police", recipient="al-shabaab fighters",
                    place=KENYA, start="2024-05-01", end="2024-05-31", precision="month"),
                 url="https://news.example.org/b", salt="b"),
        make_doc(Ev(type="AGREE", actor="Kenya", verb="agreed with", recipient="Somalia",
                    place=None, start=None, precision="unknown"), salt="c"),
    ])
    return store


def test_filter_by_type_is_case_insensitive(filled: Store) -> None:
    assert [r.type for r in filled.events(type="protest")] == ["PROTEST"]
    assert len(filled.events(type="ASSAULT")) == 2


def test_filter_by_country(filled: Store) -> None:
    assert {r.place_country for r in filled.events(country="ke")} == {"KE"}
    assert len(filled.events(country="FR")) == 2


def test_date_filters_overlap_the_range_widened_to_its_precision(filled: Store) -> None:
    # the month-precision May event overlaps 20 May; the 6 May and June events do not
    hits = filled.events(since=date(2024, 5, 20), until=date(2024, 5, 25))
    assert [(r.type, r.date.precision) for r in hits] == [("ASSAULT", "month")]
    assert {r.type for r in filled.events(since=date(2024, 6, 1))} == {"PROTEST"}
    assert len(filled.events(until=date(2024, 5, 6))) == 2


def test_undated_events_are_excluded_by_date_filters_and_listed_last(filled: Store) -> None:
    assert "AGREE" not in {r.type for r in filled.events(since=date(2000, 1, 1))}
    assert filled.events()[-1].type == "AGREE"


def test_actor_filter_matches_any_actor_or_recipient_substring_ignoring_case(filled: Store) -> None:
    hits = filled.events(actor="SHABAAB")
    assert sorted(r.actor_names + r.recipient_names for r in hits) == [
        ["Al-Shabaab", "villagers"], ["Police", "al-shabaab fighters"]]
    assert [r.recipient_names for r in filled.events(actor="somal")] == [["Somalia"]]
    assert filled.events(actor="100%") == []


def test_limit_caps_the_number_of_rows(filled: Store) -> None:
    assert len(filled.events(limit=2)) == 2


def test_event_row_carries_article_place_names_and_evidence_sentence(filled: Store) -> None:
    row = filled.events(type="ASSAULT", country="FR")[0]
    assert row.evidence_text == ["Al-Shabaab attacked villagers in Paris."]
    assert (row.place_name, row.place_admin1, row.place_lat, row.place_lon) == (
        "Paris", "Île-de-France", 48.85, 2.35)
    assert (row.source, row.published, row.size.killed) == ("example.com", date(2024, 5, 7), 3)
    assert row.key == f"{row.article_id}/e1"
    assert row.to_json()["evidence_text"] == row.evidence_text


def test_summary_counts_types_countries_factuality_and_top_actors(filled: Store) -> None:
    s = filled.summary()
    assert (s.articles, s.events, s.unlocated) == (3, 4, 1)
    assert s.by_type == {"ASSAULT": 2, "AGREE": 1, "PROTEST": 1}
    assert s.by_country == {"FR": 2, "KE": 1}
    assert s.by_factuality == {"asserted": 3, "reported": 1}
    assert s.top_actors[0] == ("Al-Shabaab", 1) and len(s.top_actors) == 7
    assert s.to_json()["top_actors"][0] == {"name": "Al-Shabaab", "events": 1}


def test_reads_do_not_write(filled: Store) -> None:
    before = table_counts(filled)
    filled.events(actor="x")
    filled.summary()
    filled.canonical_events()
    assert table_counts(filled) == before


# -- property: round-trip --------------------------------------------------------------------

short = st.text(min_size=1, max_size=12)
maybe_int = st.none() | st.integers(min_value=0, max_value=10**6)
iso = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(date.isoformat)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(min_size=1, max_size=60))
    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda t: (min(t), max(t)))
    actors = [Actor(id=f"a{i}", text=draw(short), span=draw(span), name=draw(short),
                    kind=draw(st.sampled_from(["ORG", "PER", "UNKNOWN"])),
                    country=draw(st.none() | st.just("FRA")), rule="r")
              for i in range(draw(st.integers(0, 3)))]
    places = [Place(id="p1", text="x", span=draw(span), name=draw(short),
                    lat=draw(st.none() | st.floats(-90, 90)),
                    lon=draw(st.none() | st.floats(-180, 180)),
                    country_code="FR", resolution="city", confidence=0.5, rule="r")]
    ids = [a.id for a in actors]
    events = [Event(id=f"e{i}", type=draw(st.sampled_from(["ASSAULT", "PROTEST"])),
                    actors=draw(st.lists(st.sampled_from(ids), max_size=2)) if ids else [],
                    date=EventDate(start=draw(st.none() | iso), end=None,
                                   precision=draw(st.sampled_from(PRECISIONS))),
                    location=Location(place=draw(st.none() | st.just("p1"))),
                    size=Size(killed=draw(maybe_int), injured=draw(maybe_int),
                              money_usd=draw(st.none() | st.floats(0, 1e12))),
                    factuality=Factuality(status=draw(st.sampled_from(FACTUALITY))),
                    evidence=[Evidence(span=(0, n), trigger=Trigger("t", (0, n)))],
                    rule="r", confidence=draw(st.floats(0, 1)))
              for i in range(draw(st.integers(0, 3)))]
    article = Article(text=text, title=draw(st.none() | short), url=draw(st.none() | short),
                      published=draw(st.none() | st.dates()))
    return Document(article=article, actors=actors, places=places, events=events)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_document_round_trips_through_the_store(doc: Document) -> None:
    with Store("sqlite://") as s:
        s.add([doc])
        assert s.article(doc.article.id) == doc
        assert {r.id: r.event() for r in s.events()} == {e.id: e for e in doc.events}


def test_database_from_a_newer_schema_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="future.db"):
        Store(f"sqlite:///{path}")


# -- feed state and resumable runs (issue 10) ----------------------------------------------------

def test_known_ids_are_the_stored_subset(store: Store) -> None:
    doc = make_doc(salt="stored")
    store.add([doc])
    assert store.known_ids([doc.article.id, "sha256:" + "1" * 64]) == {doc.article.id}
    assert store.known_ids([]) == set()


def test_feed_is_added_once_and_its_state_saved(store: Store) -> None:
    from datetime import datetime, timezone

    assert store.add_feed("https://news.example/rss") is True
    assert store.add_feed("https://news.example/rss") is False
    [state] = store.feeds()
    assert (state.url, state.etag, state.n_entries) == ("https://news.example/rss", None, 0)
    state.etag, state.last_modified, state.title = '"v7"', "Wed, 03 Mar 2021 10:00:00 GMT", "News"
    state.last_polled, state.last_status, state.n_entries = datetime.now(timezone.utc), "ok", 12
    store.update_feed(state)
    [again] = store.feeds()
    assert (again.etag, again.last_modified, again.title, again.last_status, again.n_entries) == (
        '"v7"', "Wed, 03 Mar 2021 10:00:00 GMT", "News", "ok", 12)


def test_handled_entries_are_remembered_once_per_url(store: Store) -> None:
    store.add_feed("https://a.example/rss")
    store.record_entries("https://a.example/rss", [("https://a.example/1", "sha256:x", "stored", None),
                                                   ("https://a.example/2", None, "skipped", "HTTP 404")])
    store.record_entries("https://a.example/rss", [("https://a.example/1", "sha256:x", "stored", None)])
    assert store.seen_entry_urls(["https://a.example/1", "https://a.example/2",
                                  "https://a.example/3"]) == {"https://a.example/1", "https://a.example/2"}


def test_postgresql_urls_use_psycopg_3() -> None:
    with Store(empty_postgres()) as s:
        assert (s.engine.dialect.name, s.engine.dialect.driver) == ("postgresql", "psycopg")
        assert s.count_articles() == 0
