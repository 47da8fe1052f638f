"""Exports: each format parses back, carries the evidence, and never invents coordinates."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import KENYA, PARIS, Ev, make_doc

from polybius.errors import ResourceError
from polybius.export import FORMATS, write_export
from polybius.export.acled_csv import COLUMNS, acled_map, parse_map
from polybius.model import Place
from polybius.store import EventRow, Store

NULL_ISLAND = Place(id="p1", text="Nowhere", span=(0, 0), name="Nowhere", lat=0.0, lon=0.0,
                    country_code=None, resolution="city", rule="test")


@pytest.fixture
def rows(tmp_path: Path) -> Iterator[list[EventRow]]:
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as s:
        s.add([
            make_doc(Ev(actor="Gunmen", recipient="villagers", killed=2, injured=5), salt="a"),
            make_doc(Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                        place=KENYA, start="2024-05-01", precision="month", basis="relative",
                        status="reported"), url="https://news.example.org/b", salt="b"),
            make_doc(Ev(type="AGREE", actor="Kenya", verb="agreed with", recipient="Somalia",
                        place=None, start=None, precision="unknown"), salt="c"),
            make_doc(Ev(place=NULL_ISLAND), salt="d"),
        ])
        s.add([make_doc(Ev(actor="Gunmen", killed=2), salt="e")])
        yield s.events()


def test_plover_json_is_an_array_of_gold_style_records(rows: list[EventRow], tmp_path: Path) -> None:
    out = tmp_path / "events.json"
    assert write_export(rows, "plover-json", out) == 5
    records = json.loads(out.read_text("utf-8"))
    assert len(records) == 5
    paris = next(r for r in records if r["dead"] == 2 and r["injured"] == 5)
    assert paris["event"] == "ASSAULT" and paris["date"] == "2024-05-06"
    assert paris["source"] == [{"actorText": "Gunmen", "code": None, "sector": None}]
    assert paris["target"][0]["actorText"] == "villagers"
    assert paris["eventText"] == "attacked"
    assert paris["text"] == "Gunmen attacked villagers in Paris."
    assert paris["eventLoc"]["name"] == "Paris" and paris["eventLoc"]["country code"] == "FR"
    assert paris["factuality"]["status"] == "asserted"
    assert paris["publication"] == "example.com" and paris["publicationDate"] == "2024-05-07"
    assert paris["url"] == "https://www.example.com/a"
    assert len({r["id"] for r in records}) == 5


def test_plover_json_of_no_rows_is_an_empty_array() -> None:
    buf = io.StringIO()
    assert write_export([], "plover-json", buf) == 0
    assert json.loads(buf.getvalue()) == []


def test_csv_has_acled_header_and_mapped_types(rows: list[EventRow], tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert write_export(rows, "csv", out) == 5
    with out.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        table = list(reader)
    assert len(table) == 5
    paris = next(r for r in table if r["notes"].startswith("Gunmen")
                 and r["fatalities"] == "2" and r["location"] == "Paris")
    assert (paris["event_type"], paris["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert (paris["country"], paris["admin1"], paris["geo_precision"]) == ("France", "Île-de-France", "1")
    assert paris["event_id_cnty"].startswith("FRA-") and paris["year"] == "2024"
    assert paris["notes"] == "Gunmen attacked villagers in Paris."
    protest = next(r for r in table if r["polybius_type"] == "PROTEST")
    assert (protest["event_type"], protest["country"], protest["geo_precision"]) == (
        "Protests", "Kenya", "3")
    assert (protest["date_basis"], protest["date_precision"], protest["factuality"]) == (
        "relative", "month", "reported")
    agree = next(r for r in table if r["polybius_type"] == "AGREE")
    # unknown stays unknown: no invented date, place or zero fatalities
    assert (agree["event_date"], agree["latitude"], agree["fatalities"]) == ("", "", "")
    assert agree["event_type"] == "Strategic developments"


def test_geojson_lists_only_real_points_and_counts_the_rest(rows: list[EventRow],
                                                            tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    assert write_export(rows, "geojson", out) == 3
    fc = json.loads(out.read_text("utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert fc["unlocated"] == 2  # the undated AGREE (no place) and the 0,0 place
    points = [f["geometry"]["coordinates"] for f in fc["features"]]
    assert [0, 0] not in points and [0.0, 0.0] not in points
    assert [2.35, 48.85] in points  # longitude first
    assert {f["properties"]["type"] for f in fc["features"]} == {"ASSAULT", "PROTEST"}


def test_linked_rows_export_their_shared_cluster_id(rows: list[EventRow]) -> None:
    buf = io.StringIO()
    write_export(rows, "geojson", buf)
    clusters = [f["properties"]["cluster_id"] for f in json.loads(buf.getvalue())["features"]
                if f["properties"]["killed"] == 2]
    assert len(clusters) == 2 and clusters[0] == clusters[1]


def test_unknown_format_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="plover-json, csv, geojson, acled-csv, parquet"):
        write_export([], "xlsx", io.StringIO())
    assert FORMATS == ("plover-json", "csv", "geojson", "acled-csv", "parquet")


def test_parquet_to_a_text_stream_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="parquet.*binary"):
        write_export([], "parquet", io.StringIO())


def test_acled_map_modes_refine_the_type_default() -> None:
    table = acled_map()
    assert table.lookup("ASSAULT", ["explosives"]).sub_event_type == "Remote explosive/landmine/IED"  # type: ignore[union-attr]
    assert table.lookup("PROTEST", ["riot"]).event_type == "Riots"  # type: ignore[union-attr]
    assert table.lookup("COERCE", ["arrest"]).sub_event_type == "Arrests"  # type: ignore[union-attr]
    assert table.lookup("COERCE", ["ban"]).sub_event_type == "Other"  # type: ignore[union-attr]


def test_acled_map_with_a_wrong_sub_type_names_the_entry() -> None:
    data = {"acled_types": {"Protests": ["Peaceful protest"]},
            "plover": {"PROTEST": {"default": {"event_type": "Protests",
                                               "sub_event_type": "Armed clash"}}}}
    with pytest.raises(ResourceError, match="acled_map.yaml: plover/PROTEST/default"):
        parse_map(data, {"PROTEST": ("riot",)})


def test_acled_map_must_cover_every_plover_type() -> None:
    data = {"acled_types": {"Protests": ["Peaceful protest"]},
            "plover": {"PROTEST": {"default": {"event_type": "Protests",
                                               "sub_event_type": "Peaceful protest"}}}}
    with pytest.raises(ResourceError, match="no mapping for ASSAULT"):
        parse_map(data, {"PROTEST": (), "ASSAULT": ()})


def test_exports_accept_paths_and_streams_alike(rows: list[EventRow], tmp_path: Path) -> None:
    buf = io.StringIO()
    write_export(rows, "csv", buf)
    write_export(rows, "csv", tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_text("utf-8") == buf.getvalue()
    assert PARIS.name in buf.getvalue()


def test_parquet_keeps_types_lists_and_the_full_event(rows: list[EventRow], tmp_path: Path) -> None:
    import datetime

    import pyarrow.parquet as pq

    out = tmp_path / "e.parquet"
    assert write_export(rows, "parquet", out) == len(rows)
    table = pq.read_table(out).to_pylist()
    first = next(r for r in table if r["type"] == "ASSAULT")
    assert isinstance(first["date_start"], datetime.date) and first["killed"] == 2
    assert first["actors"] == ["Gunmen"] and first["recipients"] == ["villagers"]
    assert json.loads(first["event_json"])["size"]["injured"] == 5
    unlocated = [r for r in table if r["place"] is None]
    assert all(r["latitude"] is None for r in unlocated)


# -- canonical events: one record per real-world event -------------------------------------

@pytest.fixture
def merged(tmp_path: Path) -> Iterator[Store]:
    """One Paris attack told by two outlets (2 vs 3 killed) and an unrelated Kenya protest."""
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as s:
        s.add([make_doc(Ev(actor="Gunmen", killed=2), url="https://a-news.com/1", salt="1"),
               make_doc(Ev(actor="Gunmen", killed=3), url="https://b-daily.org/2", salt="2"),
               make_doc(Ev(type="PROTEST", actor="Farmers", verb="protested", recipient=None,
                           place=KENYA), url="https://c.org/3", salt="3")])
        yield s


def test_canonical_csv_has_one_row_per_event_with_its_sources_joined(merged: Store) -> None:
    out = io.StringIO()
    assert write_export(merged.canonical_events(), "acled-csv", out, level="canonical") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    paris = [r for r in rows if r["location"] == "Paris"][0]
    assert paris["source"] == "a-news.com; b-daily.org" and paris["n_sources"] == "2"
    assert paris["disagreements"] == "killed: 2 (a-news.com) vs 3 (b-daily.org)"
    assert paris["fatalities"] == "3"  # two values with one source each: the larger is kept
    assert set(COLUMNS) <= set(rows[0])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_canonical_events(merged: Store, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"c.{fmt}"
    n = write_export(merged.canonical_events(), fmt, out, level="canonical")
    assert n == 2 and out.stat().st_size > 0
    if fmt == "plover-json":
        records = json.loads(out.read_text())
        paris = [r for r in records if r["eventLoc"]["name"] == "Paris"][0]
        assert paris["nArticles"] == 2 and paris["killedBySource"] == {"a-news.com": [2],
                                                                      "b-daily.org": [3]}
    if fmt == "geojson":
        features = json.loads(out.read_text())["features"]
        assert {f["properties"]["n_sources"] for f in features} == {1, 2}


def test_export_rows_turns_a_selection_into_its_whole_canonical_events(merged: Store) -> None:
    from polybius.export import export_rows

    one_report = [r for r in merged.events() if r.source == "a-news.com"]
    out = io.StringIO()
    assert export_rows(merged, one_report, "plover-json", out) == 1
    [record] = json.loads(out.getvalue())
    assert record["nArticles"] == 2  # the other outlet's report comes with it
    out = io.StringIO()
    assert export_rows(merged, one_report, "plover-json", out, level="reports") == 1
    with pytest.raises(ValueError, match="unknown export level"):
        write_export([], "csv", io.StringIO(), level="clusters")
