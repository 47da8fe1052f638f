"""Store reads for the API: filtered pages, counts, names, stats; migration 0003's backfill."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from polybius.store import Store
from polybius.store.db import MIGRATIONS
from polybius.store.rows import EventQuery

from builders import KENYA, Ev, make_doc


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'q.db'}") as s:
        s.add([
            make_doc(Ev(actor="Al-Shabaab", killed=3), salt="a"),
            # the same attack told by a second outlet: one cluster, two sources
            make_doc(Ev(actor="Al-Shabaab", killed=4), url="https://other.example.net/x", salt="b"),
            make_doc(Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                        place=KENYA, start="2024-06-10"), salt="c"),
        ])
        yield s


def test_min_sources_keeps_events_whose_cluster_two_outlets_report(store: Store) -> None:
    page = store.find_events(EventQuery(min_sources=2))
    assert page.total == 2 and {r.type for r in page.rows} == {"ASSAULT"}
    assert store.find_events(EventQuery(min_sources=3)).total == 0


def test_min_sources_counts_the_cluster_outlets_when_free_text_reads_the_articles(store: Store) -> None:
    # free text joins articles: the source count must still see every member's article
    page = store.find_events(EventQuery(min_sources=2, text="al-shabaab"))
    assert page.total == 2 and {r.type for r in page.rows} == {"ASSAULT"}
    assert store.find_canonical(EventQuery(min_sources=2, text="al-shabaab"), count=True).total == 1


def test_page_is_cut_after_sorting_and_total_counts_all(store: Store) -> None:
    page = store.find_events(EventQuery(descending=True), limit=1, offset=0)
    assert page.total == 3 and [r.type for r in page.rows] == ["PROTEST"]
    assert [r.type for r in store.find_events(EventQuery(), limit=1, offset=2).rows] == ["PROTEST"]
    beyond = store.find_events(EventQuery(), limit=5, offset=10)
    assert (beyond.rows, beyond.total) == ([], 3)
    short = store.find_events(EventQuery(type="ASSAULT"), limit=5, offset=1)
    assert (len(short.rows), short.total) == (1, 2)


def test_keyset_pages_continue_where_the_last_one_ended(store: Store) -> None:
    for descending in (False, True):
        query = EventQuery(descending=descending)
        whole = [r.key for r in store.find_events(query).rows]
        keys, after = [], None
        while True:
            page = store.find_events(query, limit=1, after=after, count=False)
            keys += [r.key for r in page.rows]
            if page.next is None:
                break
            after = page.next
        assert keys == whole and len(whole) == 3


def test_uncounted_pages_leave_the_total_out_unless_it_is_free(store: Store) -> None:
    assert store.find_events(EventQuery(), limit=1, count=False).total is None
    assert store.find_events(EventQuery(), limit=5, count=False).total == 3  # the last page


def test_canonical_page_merges_the_two_outlets_and_keeps_members(store: Store) -> None:
    page = store.find_canonical(EventQuery())
    assert page.total == 2 and [c.type for c in page.events] == ["ASSAULT", "PROTEST"]
    attack = page.events[0]
    assert (attack.n_articles, attack.n_sources, attack.killed.values) == (2, 2, [3, 4])
    assert sorted(r.key for r in page.members[attack.cluster_id]) == attack.members
    first = store.find_canonical(EventQuery(), limit=1, count=False)
    assert first.total is None and first.next is not None
    rest = store.find_canonical(EventQuery(), limit=1, after=first.next)
    assert [c.type for c in rest.events] == ["PROTEST"] and rest.next is None
    assert store.find_canonical(EventQuery(), limit=1, offset=1).events == rest.events


def test_canonical_event_is_listed_once_where_its_first_matching_report_is(store: Store) -> None:
    # a cluster whose reports both match appears once; after a cursor it is not repeated
    newest = store.find_canonical(EventQuery(descending=True), limit=1)
    assert [c.type for c in newest.events] == ["PROTEST"]
    after = store.find_canonical(EventQuery(descending=True), limit=5, after=newest.next)
    assert [c.type for c in after.events] == ["ASSAULT"]
    assert store.find_canonical(EventQuery(min_sources=2), count=True).total == 1


def test_mode_and_context_match_whole_values_only(store: Store) -> None:
    assert store.find_events(EventQuery(mode="primitive")).total == 3
    assert store.find_events(EventQuery(mode="primi")).total == 0
    assert store.find_events(EventQuery(context="test")).total == 3


def test_bbox_across_the_antimeridian_wraps(store: Store) -> None:
    assert store.find_events(EventQuery(bbox=(170.0, -90.0, 10.0, 90.0))).total == 2
    assert store.find_events(EventQuery(bbox=(30.0, -10.0, 40.0, 10.0))).total == 1


def test_names_and_stats_count_matching_events(store: Store) -> None:
    actors = store.name_counts("actors")
    assert (actors[0].name, actors[0].events) == ("Al-Shabaab", 2)
    places = store.name_counts("places", EventQuery(type="PROTEST"))
    assert [(p.name, p.events, p.country) for p in places] == [("Kenya", 1, "KE")]
    stats = store.stats(EventQuery(country="FR"))
    assert (stats.total, stats.by_type, stats.by_day) == (2, {"ASSAULT": 2}, [("2024-05-06", "ASSAULT", 2)])
    # the two outlets' reports are one canonical event
    merged = store.stats(EventQuery(country="FR"), canonical=True)
    assert (merged.total, merged.by_type, merged.by_status, merged.by_day) == (
        1, {"ASSAULT": 1}, {"asserted": 1}, [("2024-05-06", "ASSAULT", 1)])
    with pytest.raises(ValueError, match="kind"):
        store.name_counts("verbs")


def test_event_by_key_and_missing_event(store: Store) -> None:
    row = store.find_events(EventQuery(type="PROTEST")).rows[0]
    assert store.event(row.article_id, row.id) == row
    assert store.event(row.article_id, "e99") is None


def test_migration_0003_backfills_modes_contexts_and_recipients(store: Store, tmp_path: Path) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        conn.commit()
        command.upgrade(cfg, "head")
        conn.commit()
    con = sqlite3.connect(tmp_path / "q.db")
    try:
        rows = set(con.execute("select modes, contexts, recipients_folded from events"))
    finally:
        con.close()
    assert rows == {("\nprimitive\n", "\ntest\n", "villagers"), ("\nprimitive\n", "\ntest\n", "")}
    assert store.find_events(EventQuery(recipient="VILLAGERS")).total == 2
