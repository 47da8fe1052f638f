"""Incremental relinking: updating a neighbourhood gives the clusters of a full recompute."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polybius.link import (COARSE_DATE, NO_CITY, SPECIFIC, VAGUE, WEEK_NO_CITY, LinkItem, clusters,
                           date_window, kind)
from polybius.link.incremental import MemoryNeighbourhood, relink

PLACES = {  # (country, resolution, geonameid, name)
    "paris": ("FR", "city", 1, "Paris"), "lyon": ("FR", "city", 2, "Lyon"),
    "france": ("FR", "country", None, None), "kenya": ("KE", "country", None, None),
    "nairobi": ("KE", "city", 3, "Nairobi"), "nowhere": (None, None, None, None),
}


def item(article: str, n: int, place: str = "paris", day: int = 6, precision: str = "day",
         names: frozenset[str] = frozenset({"police"}), type_: str = "ASSAULT") -> LinkItem:
    country, resolution, geonameid, name = PLACES[place]
    return LinkItem(key=f"{article}/e{n}", article_id=article, type=type_,
                    window=date_window(date(2024, 5, day), None, precision), country=country,
                    resolution=resolution, geonameid=geonameid, place_name=name, names=names)


def add_one_by_one(items: list[LinkItem], order: list[str]) -> dict[str, str]:
    """Ingest article by article in ``order``, relinking each time like the store does."""
    hood = MemoryNeighbourhood({}, [])
    by_article: dict[str, list[LinkItem]] = {}
    for it in items:
        by_article.setdefault(it.article_id, []).append(it)
    known: dict[str, LinkItem] = {}
    for article in order:
        new = by_article[article]
        for it in new:
            hood.add(it, None)
            known[it.key] = it
        assigned, _ = relink(new, hood)
        hood.save(assigned, known)
    return dict(hood.assigned)


def test_reports_are_sorted_by_how_precisely_they_place_and_date_the_event() -> None:
    assert kind(item("A", 1)) == SPECIFIC
    assert kind(item("A", 1, place="france")) == NO_CITY
    assert kind(item("A", 1, precision="month")) == COARSE_DATE
    assert kind(item("A", 1, place="france", precision="month")) == VAGUE
    assert kind(item("A", 1, place="nowhere", precision="week")) == WEEK_NO_CITY
    assert kind(item("A", 1, precision="year")) == VAGUE


def test_a_report_without_a_city_joins_the_city_cluster_it_fits() -> None:
    found = clusters([item("A", 1), item("B", 1), item("C", 1, place="france")])
    assert found["A/e1"] == found["B/e1"] == found["C/e1"]


def test_a_vague_report_does_not_bridge_two_cities() -> None:
    # a France-wide "police" report the same day fits both cities; it joins one, and Paris and
    # Lyon stay apart
    found = clusters([item("A", 1), item("B", 1, place="lyon"), item("C", 1, place="france")])
    assert found["A/e1"] != found["B/e1"]
    assert found["C/e1"] in (found["A/e1"], found["B/e1"])


def test_a_week_dated_report_without_a_city_joins_the_cluster_it_shares_a_name_with() -> None:
    # "the agreement the government signed with the Farc last week", no place named
    signing = item("A", 1, day=6, names=frozenset({"farc", "juan manuel santos"}))
    recalled = item("B", 1, place="nowhere", day=6, precision="week",
                    names=frozenset({"farc", "colombian government"}))
    found = clusters([signing, recalled])
    assert found["A/e1"] == found["B/e1"]


@pytest.mark.parametrize("recalled", [
    item("B", 1, place="nowhere", day=8, precision="week", names=frozenset({"army"})),
    item("B", 1, place="france", day=8, precision="week", names=frozenset()),
])
def test_a_week_dated_report_without_a_city_sharing_no_name_stays_apart(recalled: LinkItem) -> None:
    found = clusters([item("A", 1, day=6, names=frozenset()), recalled])
    assert found["A/e1"] != found["B/e1"]


def test_reports_without_a_city_cluster_together_when_no_city_report_exists() -> None:
    found = clusters([item("A", 1, place="kenya"), item("B", 1, place="kenya")])
    assert found["A/e1"] == found["B/e1"]


def test_one_article_at_a_time_gives_the_full_clustering_on_a_busy_month() -> None:
    rnd = random.Random(3)
    items = []
    for a in range(60):
        for n in range(1, rnd.randint(1, 3) + 1):
            items.append(item(f"a{a:02d}", n, place=rnd.choice(list(PLACES)),
                              day=rnd.randint(1, 12), precision=rnd.choice(["day"] * 4 + ["month", "week"]),
                              names=frozenset(rnd.sample(["police", "army", "rebels"], rnd.randint(0, 2))),
                              type_=rnd.choice(["ASSAULT", "ASSAULT", "PROTEST"])))
    articles = sorted({it.article_id for it in items})
    full = clusters(items)
    for seed in range(3):
        order = list(articles)
        random.Random(seed).shuffle(order)
        assert add_one_by_one(items, order) == full


def _items() -> st.SearchStrategy[list[LinkItem]]:
    one = st.builds(item, st.sampled_from("ABCDEFG"), st.integers(1, 2),
                    st.sampled_from(sorted(PLACES)), st.integers(1, 9),
                    st.sampled_from(["day", "day", "week", "month"]),
                    st.sets(st.sampled_from(["police", "army"]), max_size=2).map(frozenset),
                    st.sampled_from(["ASSAULT", "PROTEST"]))
    return st.lists(one, max_size=16, unique_by=lambda it: it.key)


@settings(max_examples=80, deadline=None)
@given(_items(), st.randoms(use_true_random=False))
def test_any_ingest_order_gives_the_full_clustering(items: list[LinkItem], rnd: random.Random) -> None:
    order = sorted({it.article_id for it in items})
    rnd.shuffle(order)
    assert add_one_by_one(items, order) == clusters(items)
