"""Cross-article linking: which event mentions merge into one canonical event."""

from __future__ import annotations

import itertools
import random
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from builders import KENYA, LYON, Ev, make_doc
from hypothesis import given, settings
from hypothesis import strategies as st

from polybius.link import (MAX_SPREAD_DAYS, LinkItem, assign_clusters, cluster_id, clusters,
                           date_window, same_event)
from polybius.model import Document
from polybius.store import Store


def item(key: str, **kw: object) -> LinkItem:
    base: dict[str, object] = {"key": key, "article_id": key.split("/")[0], "type": "ASSAULT",
                               "window": (date(2024, 5, 6), date(2024, 5, 6)), "country": "FR",
                               "resolution": "country", "names": frozenset({"police"})}
    return LinkItem(**{**base, **kw})  # type: ignore[arg-type]


def test_month_precision_window_covers_the_whole_month() -> None:
    assert date_window(date(2024, 2, 1), None, "month") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_window(date(2024, 5, 8), date(2024, 5, 8), "week") == (date(2024, 5, 6),
                                                                        date(2024, 5, 12))
    assert date_window(date(2024, 5, 8), None, "year") == (date(2024, 1, 1), date(2024, 12, 31))
    assert date_window(None, None, "day") is None


def test_month_precision_event_links_with_a_day_inside_it() -> None:
    month = item("A/e1", window=date_window(date(2024, 5, 1), None, "month"))
    assert same_event(month, item("B/e1", window=(date(2024, 5, 20), date(2024, 5, 20))))
    assert not same_event(month, item("B/e1", window=(date(2024, 6, 1), date(2024, 6, 1))))


def test_different_type_country_or_actor_does_not_link() -> None:
    a = item("A/e1")
    assert not same_event(a, item("B/e1", type="PROTEST"))
    assert not same_event(a, item("B/e1", country="DE"))
    assert not same_event(a, item("B/e1", names=frozenset({"army"})))


def test_events_without_actors_link_when_both_have_none() -> None:
    assert same_event(item("A/e1", names=frozenset()), item("B/e1", names=frozenset()))
    assert not same_event(item("A/e1", names=frozenset()), item("B/e1"))


def test_two_city_level_events_must_share_the_city() -> None:
    paris = item("A/e1", resolution="city", geonameid=2988507, place_name="Paris")
    assert same_event(paris, item("B/e1", resolution="city", geonameid=2988507, place_name="Paris"))
    assert not same_event(paris, item("B/e1", resolution="city", geonameid=2996944,
                                      place_name="Lyon"))
    # a city and its country still link
    assert same_event(paris, item("B/e1"))


def test_unlocated_events_link_only_through_a_shared_actor() -> None:
    assert same_event(item("A/e1", country=None), item("B/e1"))
    assert not same_event(item("A/e1", country=None, names=frozenset()),
                          item("B/e1", country=None, names=frozenset()))


def test_events_of_the_same_article_are_not_linked_directly() -> None:
    assert not same_event(item("A/e1"), item("A/e2"))


def test_cluster_id_depends_only_on_the_member_set() -> None:
    assert cluster_id(["B/e1", "A/e1"]) == cluster_id(["A/e1", "B/e1"])
    assert cluster_id(["A/e1"]).startswith("c-")


# -- in the store ----------------------------------------------------------------------------

def reports() -> list[Document]:
    """Four outlets on one Paris attack (killed 2 vs 3), plus an unrelated Lyon and Kenya event."""
    return [
        make_doc(Ev(actor="Gunmen", killed=2), url="https://www.lemonde.fr/1", salt="1",
                 published=date(2024, 5, 7)),
        make_doc(Ev(actor="Gunmen", killed=3, precision="month", start="2024-05-01",
                    end="2024-05-31"), url="https://bbc.co.uk/2", salt="2",
                 published=date(2024, 5, 6)),
        make_doc(Ev(actor="gunmen", recipient="police", killed=3), url="https://bbc.co.uk/3",
                 salt="3", published=date(2024, 5, 8)),
        make_doc(Ev(actor="Gunmen", place=LYON), url="https://x.org/4", salt="4"),
        make_doc(Ev(actor="Gunmen", place=KENYA), url="https://x.org/5", salt="5"),
    ]


def clustering(store: Store) -> dict[str, str]:
    return {r.key: r.cluster_id or "" for r in store.events()}


@pytest.fixture
def tmp_stores(tmp_path: Path) -> Iterator[list[Store]]:
    opened: list[Store] = []
    yield opened
    for s in opened:
        s.close()


def open_store(tmp_path: Path, opened: list[Store], name: str) -> Store:
    s = Store(f"sqlite:///{tmp_path / name}.db")
    opened.append(s)
    return s


def test_ingest_order_and_batching_do_not_change_the_clustering(tmp_path: Path,
                                                                tmp_stores: list[Store]) -> None:
    docs = reports()
    results = []
    for n, order in enumerate(itertools.islice(itertools.permutations(range(len(docs))), 0, 120, 23)):
        one_by_one = open_store(tmp_path, tmp_stores, f"single{n}")
        for i in order:
            one_by_one.add([docs[i]])
        results.append(clustering(one_by_one))
    batch = open_store(tmp_path, tmp_stores, "batch")
    batch.add(docs)
    results.append(clustering(batch))
    assert all(r == results[0] for r in results)
    assert len(set(results[0].values())) == 3  # Paris (x3), Lyon, Kenya


def test_a_vague_late_article_does_not_chain_two_distinct_events(tmp_path: Path,
                                                                tmp_stores: list[Store]) -> None:
    early = make_doc(Ev(actor="Army", recipient=None, place=KENYA, start="2024-05-02"), salt="e")
    late = make_doc(Ev(actor="Militants", recipient=None, place=KENYA, start="2024-05-09"), salt="l")
    bridge = make_doc(Ev(actor="Army", recipient="Militants", place=KENYA, start="2024-05-01",
                         end="2024-05-31", precision="month"), salt="b")
    s = open_store(tmp_path, tmp_stores, "bridge")
    s.add([early])
    s.add([late])
    assert len(set(clustering(s).values())) == 2
    s.add([bridge])
    # the month-long, country-level report matches both but pins down neither: it stays on
    # its own, and the two events a week apart stay apart
    found = clustering(s)
    assert len(set(found.values())) == 3
    assert found[f"{early.article.id}/e1"] != found[f"{late.article.id}/e1"]
    assert found == assign_clusters(s.events())


def test_relinking_the_store_reproduces_the_incremental_clusters(store_path: Path) -> None:
    with Store(f"sqlite:///{store_path}") as s:
        for doc in reversed(reports()):
            s.add([doc])
        incremental = clustering(s)
        assert assign_clusters(s) == incremental
        assert clustering(s) == incremental


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "link.db"


def test_canonical_event_counts_sources_and_keeps_conflicting_figures(store_path: Path) -> None:
    with Store(f"sqlite:///{store_path}") as s:
        s.add(reports())
        paris = [c for c in s.canonical_events(country="FR") if c.place_name == "Paris"]
        assert len(paris) == 1
        c = paris[0]
        assert (c.n_articles, c.n_sources) == (3, 2)
        assert c.sources == ["bbc.co.uk", "lemonde.fr"]
        assert c.first_reported == date(2024, 5, 6)
        assert (c.date_start, c.date_precision) == ("2024-05-06", "day")
        assert c.killed.values == [2, 3] and c.killed.conflict
        assert c.killed.by_source == {"bbc.co.uk": [3], "lemonde.fr": [2]}
        assert c.injured.values == [] and not c.injured.conflict
        assert c.actor_names[0] == "Gunmen"
        assert len(c.members) == 3 and c.to_json()["first_reported"] == "2024-05-06"
        assert len(s.canonical_events()) == 3
        assert len(s.canonical_events(country="KE")) == 1


def test_same_city_name_in_different_countries_does_not_link() -> None:
    paris_fr = item("A/e1", resolution="city", place_name="Paris", country="FR")
    assert not same_event(paris_fr, item("B/e1", resolution="city", place_name="Paris",
                                         country="US"))


def _random_items() -> st.SearchStrategy[list[LinkItem]]:
    one = st.builds(
        lambda a, n, day, span, country, names: item(
            f"{a}/e{n}", window=(date(2024, 5, day), date(2024, 5, day + span)),
            country=country, names=frozenset(names)),
        st.sampled_from("ABCDEF"), st.integers(1, 3), st.integers(1, 20), st.integers(0, 6),
        st.sampled_from(["FR", "DE", None]),
        st.sets(st.sampled_from(["police", "army", "rebels"]), max_size=2))
    return st.lists(one, max_size=14, unique_by=lambda it: it.key)


def _any_item(key: str) -> st.SearchStrategy[LinkItem]:
    """Items over every field pair_score looks at, including a city resolution without a name."""
    return st.builds(
        lambda type_, day, span, country, resolution, gid, name, names: item(
            key, type=type_, window=(date(2024, 5, day), date(2024, 5, day + span)), country=country,
            resolution=resolution, geonameid=gid, place_name=name, names=frozenset(names)),
        st.sampled_from(["ASSAULT", "PROTEST"]), st.integers(1, 6), st.integers(0, 4),
        st.sampled_from(["FR", "DE", None]), st.sampled_from(["city", "country", "admin1", None]),
        st.sampled_from([None, 1, 2]), st.sampled_from([None, "Paris", "paris", "Lyon"]),
        st.sets(st.sampled_from(["police", "army", "rebels"]), max_size=2))


@settings(max_examples=400, deadline=None)
@given(_any_item("A/e1"), _any_item("B/e1"), st.booleans())
def test_pair_score_equals_its_definition(a: LinkItem, b: LinkItem, same_article: bool) -> None:
    from polybius.link import _pair_score_reference, pair_score

    if same_article:
        b = LinkItem(**{**b.__dict__, "article_id": a.article_id})
    assert pair_score(a, b) == _pair_score_reference(a, b) == pair_score(b, a)


@settings(max_examples=60, deadline=None)
@given(_random_items(), st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_item_order(items: list[LinkItem], rnd: random.Random) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert clusters(shuffled) == clusters(items)


@settings(max_examples=40, deadline=None)
@given(_random_items())
def test_a_cluster_never_spans_more_than_the_caps(items: list[LinkItem]) -> None:
    groups: dict[str, list[LinkItem]] = {}
    for it in items:
        groups.setdefault(clusters(items)[it.key], []).append(it)
    for members in groups.values():
        assert len({m.country for m in members if m.country}) <= 1
        windows = [m.window for m in members if m.window]
        assert (max(w[0] for w in windows) - min(w[1] for w in windows)).days <= MAX_SPREAD_DAYS


@settings(max_examples=8, deadline=None)
@given(st.permutations(range(5)))
def test_shuffled_ingest_orders_give_the_same_store_clusters(order: list[int]) -> None:
    docs = reports()
    with tempfile.TemporaryDirectory() as tmp:
        with Store(f"sqlite:///{tmp}/a.db") as s:
            for i in order:
                s.add([docs[i]])
            incremental = clustering(s)
            assert incremental == assign_clusters(s.events())
    assert len(set(incremental.values())) == 3


WIRE = ("Gunmen opened fire on a police station in the north of the country on Monday, killing "
        "three officers and wounding five others, a local official told reporters.")


def test_the_same_wire_story_at_two_outlets_is_one_source(store_path: Path) -> None:
    with Store(f"sqlite:///{store_path}") as s:
        s.add([make_doc(Ev(actor="Gunmen", killed=3), url="https://a-news.com/x", salt=WIRE),
               make_doc(Ev(actor="Gunmen", killed=3), url="https://b-daily.org/y",
                        salt=WIRE + " Updated."),
               make_doc(Ev(actor="Gunmen", killed=4), url="https://c-times.net/z",
                        salt="Four officers were killed, the ministry said on Tuesday.",
                        published=date(2024, 5, 8))])
        [c] = s.canonical_events()
        assert (c.n_articles, c.n_sources, len(c.duplicates)) == (3, 2, 1)
        assert c.disagreements["killed"] == {3: ["a-news.com", "b-daily.org"], 4: ["c-times.net"]}
        assert c.reported_by == 2


def test_two_tolls_for_one_attack_are_one_event_with_who_says_what(store_path: Path) -> None:
    # each outlet's toll is stated in a participle of the attack ("stormed ..., killing"):
    # the figure belongs to the attack, not to a second "killing" event beside it
    from polybius.model import Article
    from polybius.pipeline import Pipeline

    told = "Militants stormed an army checkpoint in Garissa on Friday, killing {} soldiers, {} said."
    pipe = Pipeline()
    docs = [pipe.process(Article(text=told.format(n, who), published=date(2024, 3, 2), url=url))
            for n, who, url in (("four", "a military spokesman", "https://a-news.example/1"),
                                ("six", "a local chief", "https://b-times.example/2"))]
    with Store(f"sqlite:///{store_path}") as s:
        s.add(docs)
        [c] = s.canonical_events(type="ASSAULT")
    assert c.n_sources == 2
    assert c.disagreements["killed"] == {4: ["a-news.example"], 6: ["b-times.example"]}


def test_an_article_ingested_twice_counts_once(store_path: Path) -> None:
    with Store(f"sqlite:///{store_path}") as s:
        doc = make_doc(Ev(actor="Gunmen", killed=3), salt=WIRE)
        s.add([doc])
        s.add([doc])
        [c] = s.canonical_events()
        assert (c.n_articles, c.n_sources) == (1, 1)


def test_events_canonical_lists_merged_events_with_their_disagreements(store_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from polybius.cli import main

    with Store(f"sqlite:///{store_path}") as s:
        s.add(reports())
    url = f"sqlite:///{store_path}"
    out = CliRunner().invoke(main, ["events", "--canonical", "--db", url, "--format", "json"],
                             catch_exceptions=False)
    records = json.loads(out.output)
    paris = [r for r in records if r["place_name"] == "Paris"]
    assert len(records) == 3 and paris[0]["n_sources"] == 2
    assert paris[0]["disagreements"] == {"killed": {"2": ["lemonde.fr"], "3": ["bbc.co.uk"]}}
    table = CliRunner().invoke(main, ["events", "--canonical", "--db", url, "--format", "csv"],
                               catch_exceptions=False)
    assert "killed: 2 (lemonde.fr) vs 3 (bbc.co.uk)" in table.output


def test_reports_of_one_city_and_day_join_even_when_their_actors_differ() -> None:
    from polybius.link import THRESHOLD, pair_score
    paris = {"resolution": "city", "geonameid": 2988507, "place_name": "Paris"}
    a = item("A/e1", names=frozenset({"gunmen"}), **paris)
    assert pair_score(a, item("B/e1", names=frozenset(), **paris)) == THRESHOLD
    # a month-only date or another city is not enough
    month = date_window(date(2024, 5, 1), None, "month")
    assert pair_score(a, item("B/e1", names=frozenset(), window=month, **paris)) == 0.0
    assert pair_score(a, item("B/e1", names=frozenset(), resolution="city", geonameid=1,
                              place_name="Lyon")) == 0.0


def test_merged_reports_keep_each_outlets_factuality_note(store_path: Path) -> None:
    docs = reports()
    docs[0].events[0].factuality.note = "killed: 2 according to police vs 4 according to medics"
    with Store(f"sqlite:///{store_path}") as s:
        s.add(docs)
        paris = [c for c in s.canonical_events(country="FR") if c.place_name == "Paris"][0]
    assert paris.notes == ["lemonde.fr: killed: 2 according to police vs 4 according to medics"]
    assert paris.to_json()["notes"] == paris.notes


def test_counted_or_role_described_people_do_not_identify_an_event() -> None:
    from polybius.link import link_names

    assert link_names(["At least 19 people", "the victims", "residents", "50 people"]) == set()
    assert link_names(["Yemeni people", "French civilians", "Manchester Arena victims"]) == {
        "manchester arena victims"}
    assert link_names(["at least 39\n\nGunmen", "Police", "The Islamic State"]) == {
        "gunmen", "police", "islamic state"}
