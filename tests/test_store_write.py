"""The store's write path: batches equal one-by-one writes, and the JSON columns hold the contract."""

from __future__ import annotations

import json
import math
import random
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from polybius.model import Document, Size
from polybius.store import Store, codec
from polybius.store.schema import actors, articles, events, places

from builders import KENYA, LYON, Ev, make_doc
from test_store import documents, empty_postgres


def stored_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the four document tables, without surrogate keys and ingest times."""
    out = {}
    with store.engine.connect() as conn:
        for table in (articles, events, actors, places):
            cols = [c for c in table.c if c.name not in ("pk", "ingested_at")]
            out[table.name] = sorted((tuple(json.dumps(v, sort_keys=True, default=str) for v in row)
                                      for row in conn.execute(select(*cols))), key=repr)
    return out


def one_by_one_equals_batch(url_for: Any, docs: list[Document]) -> None:
    with Store(url_for()) as batch:
        batch.add(docs)
        at_once = stored_rows(batch)
    with Store(url_for()) as single:
        for doc in docs:
            single.add([doc])
        assert stored_rows(single) == at_once


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=5))
def test_a_batch_stores_the_same_rows_as_its_documents_one_by_one(docs: list[Document]) -> None:
    # repeats in the list are skipped either way; events of different documents may link
    one_by_one_equals_batch(lambda: "sqlite://", docs)


def linked_documents() -> list[Document]:
    """Five reports, three of one attack in Lyon (they cluster) and two unrelated events."""
    return [make_doc(Ev(place=LYON, killed=2), salt="1"),
            make_doc(Ev(place=LYON, killed=3), url="https://b.example/x", salt="2"),
            make_doc(Ev(type="PROTEST", verb="protested", recipient=None, place=KENYA), salt="3"),
            make_doc(Ev(place=LYON), Ev(type="AGREE", verb="agreed with", start=None,
                                        precision="unknown"), url="https://c.example/y", salt="4"),
            make_doc(salt="1")]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_linked_reports_cluster_the_same_in_one_batch_or_one_by_one(backend: str, tmp_path: Path) -> None:
    names = count()
    url_for = (empty_postgres if backend == "postgresql"
               else lambda: f"sqlite:///{tmp_path / f'{next(names)}.db'}")
    docs = linked_documents()
    one_by_one_equals_batch(url_for, docs)
    with Store(url_for()) as store:
        store.add(docs)
        clustered = [r.cluster_id for r in store.events() if r.place_name == "Lyon"]
    assert len(clustered) == 3 and len(set(clustered)) == 1


def test_json_columns_hold_the_contract_document_and_its_events(tmp_path: Path) -> None:
    doc = make_doc(Ev(place=LYON, killed=2), Ev(type="PROTEST", verb="protested", recipient=None))
    with Store(f"sqlite:///{tmp_path / 'j.db'}") as store:
        store.add([doc])
        with store.engine.connect() as conn:
            text = conn.exec_driver_sql("select document from articles").scalar_one()
            stored_events = conn.exec_driver_sql("select event from events order by pk").scalars().all()
    assert json.loads(text) == doc.to_json()  # standard JSON, exactly the polybius/1 form
    assert [json.loads(e) for e in stored_events] == doc.to_json()["events"]


def test_a_figure_too_large_for_its_column_is_kept_in_the_event_json(tmp_path: Path) -> None:
    doc = make_doc(Ev(killed=10**20), Ev(type="PROTEST", verb="protested", injured=3 * 10**9))
    with Store(f"sqlite:///{tmp_path / 'big.db'}") as store:
        store.add([doc])  # beyond 64 bits: orjson refuses, the json fallback writes it
        assert store.article(doc.article.id) == doc
        assert [r.size.killed for r in store.events()] == [10**20, None]
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("select killed, injured from events order by pk").all() == [
                (None, None), (None, None)]


def test_codec_reads_the_non_standard_numbers_older_stores_hold() -> None:
    assert math.isnan(codec.loads('{"lat": NaN}')["lat"])
    assert codec.loads(b'[1, 2]') == [1, 2]


def test_codec_writes_dataclasses_as_their_plain_form() -> None:
    size = Size(killed=1, spans={"killed": (3, 4)})
    assert json.loads(codec.dumps({"size": size})) == {"size": {
        "killed": 1, "injured": None, "arrested": None, "money_usd": None,
        "spans": {"killed": [3, 4]}, "perpetrators_killed": None, "lower_bounds": [], "figures": []}}
    assert codec.dumps_bytes(["é"]) == '["é"]'.encode()


def test_store_bench_reports_rates_with_and_without_relinking(monkeypatch: pytest.MonkeyPatch) -> None:
    from polybius.bench_scale import ScaleReport, measure_store

    monkeypatch.delenv("POLYBIUS_TEST_PG", raising=False)
    report = ScaleReport(corpus="linked test documents")
    measure_store(report, linked_documents(), None)
    assert {k: v[0] for k, v in report.store_rates.items()} == {
        "sqlite": 6, "sqlite without relinking": 6}  # the repeated document is stored anew
    text = report.render()
    assert "relinking takes" in text and "PostgreSQL not measured" in text
    assert report.to_json()["relink_share_of_writer_cpu"]["sqlite"] >= 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_text_with_copy_delimiters_and_escapes_round_trips(backend: str, tmp_path: Path) -> None:
    # COPY's text format has its own delimiters (tab, newline) and escapes (backslash, \N)
    url = empty_postgres() if backend == "postgresql" else f"sqlite:///{tmp_path / 'esc.db'}"
    doc = make_doc(Ev(actor="Tab\there \\N back\\slash", recipient="new\nline «é» 'q' \"dq\""),
                   title="\\N", url="https://x.example/a?b=\\t")
    with Store(url) as store:
        store.add([doc])
        assert store.article(doc.article.id) == doc
        row = store.events()[0]
        assert row.actor_names == ["Tab\there \\N back\\slash"] and row.title == "\\N"
        assert store.events(actor="back\\slash")[0].key == row.key


_PLACES = [LYON, KENYA, None]


def _report(place: int, day: int, precision: str, actor: str | None, type_: str, salt: int) -> Document:
    ev = Ev(type=type_, verb="attacked" if type_ == "ASSAULT" else "protested", actor=actor,
            recipient=None, place=_PLACES[place], start=f"2024-05-{day:02d}", precision=precision)
    return make_doc(ev, salt=f"report {salt}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(_report, st.integers(0, 2), st.integers(1, 9),
                          st.sampled_from(["day", "day", "week", "month"]),
                          st.sampled_from(["Gunmen", "Police", None]),
                          st.sampled_from(["ASSAULT", "PROTEST"]), st.integers(0, 10**6)),
                min_size=1, max_size=14),
       st.lists(st.integers(1, 4), min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_batches_in_any_order_through_one_store_give_the_full_clustering(
        docs: list[Document], sizes: list[int], rnd: random.Random) -> None:
    """Store.add relinks each batch with link fields it wrote or read before (its item cache);
    whatever the batches and their order, the clusters equal a full recompute."""
    rnd.shuffle(docs)
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/s.db") as store:
        at, n = 0, 0
        while at < len(docs):
            store.add(docs[at:at + sizes[n % len(sizes)]])
            at, n = at + sizes[n % len(sizes)], n + 1
        incremental = {r.key: r.cluster_id for r in store.events()}
        assert incremental == store.relink()


def test_bench_spread_moves_each_copy_of_the_corpus_a_year_on() -> None:
    from polybius.bench_scale import spread

    doc = make_doc(Ev(start="2024-05-06", end="2024-05-07"), Ev(start=None))
    first, second, third = spread([doc, doc, doc], period=1)
    assert first is doc
    assert [(e.date.start, e.date.end) for e in second.events] == [("2025-06-10", "2025-06-11"), (None, None)]
    assert third.events[0].date.start == "2026-07-15"
    assert third.events[0].date.precision == doc.events[0].date.precision
