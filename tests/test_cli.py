"""End to end through the CLI: extract, ingest, events, export, summary, on fixture articles.

Every document printed is checked against the polybius/1 contract (schema, spans, references).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from polybius.cli import main
from polybius.contract import problems

SAMPLES = Path(__file__).parent.parent / "samples" / "articles"


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory, fixtures_dir=Path(__file__).parent / "fixtures") -> str:
    """A SQLite store holding the fixture articles."""
    db = tmp_path_factory.mktemp("store") / "events.db"
    url = f"sqlite:///{db}"
    result = run("ingest", str(fixtures_dir / "articles"), "--db", url)
    assert result.exit_code == 0, result.output
    assert "4 articles added (" in result.output and "0 already stored, 0 inputs skipped" in result.output
    return url


def extract_json(path: Path, *extra: str) -> dict:
    result = run("extract", str(path), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_extract_prints_a_valid_polybius_1_document(fixtures: Path):
    doc = extract_json(fixtures / "articles" / "2018-08-23-knife-attack.txt")
    assert problems(doc) == []
    assert doc["article"]["published"] == "2018-08-23"
    assert [r["kind"] for r in doc["article"]["removed"]].count("read_more") == 3


def test_knife_attack_is_an_assault_in_trappes_with_its_evidence(fixtures: Path):
    doc = extract_json(fixtures / "articles" / "2018-08-23-knife-attack.txt")
    places = {p["id"]: p for p in doc["places"]}
    text = doc["article"]["text"]
    [killing] = [e for e in doc["events"] if e["type"] == "ASSAULT"
                 and e["evidence"][0]["trigger"]["text"].startswith("killed")]
    assert places[killing["location"]["place"]]["name"] == "Trappes"
    assert places[killing["location"]["place"]]["country_code"] == "FR"
    assert killing["date"] == {"start": "2018-08-23", "end": "2018-08-23", "precision": "day",
                               "basis": "relative", "time": killing["date"]["time"],
                               "confidence": killing["date"]["confidence"]}
    assert 0.3 < killing["date"]["confidence"] < 1
    assert "primitive" in killing["mode"]
    start, end = killing["evidence"][0]["span"]
    assert text[start:end].startswith("A man armed with a knife killed")


def test_claim_of_responsibility_is_not_coded_as_fact(fixtures: Path):
    doc = extract_json(fixtures / "articles" / "2018-08-23-knife-attack.txt")
    actors = {a["id"]: a["name"] for a in doc["actors"]}
    claimed = [e for e in doc["events"] if e["factuality"]["status"] in ("claimed", "disputed")]
    assert claimed, "the Islamic State claim must be marked as a claim"
    assert any("Islamic State" in [actors[a] for a in e["factuality"]["attributed_to"]] for e in claimed)


def test_threat_and_denial_in_jsonl_keep_their_status(fixtures: Path):
    result = run("extract", str(fixtures / "articles" / "wire.jsonl"), "--format", "json")
    assert result.exit_code == 0
    docs = [json.loads(chunk) for chunk in _split_json(result.output)]
    assert all(problems(d) == [] for d in docs)
    statuses = {e["type"]: e["factuality"]["status"] for d in docs for e in d["events"]}
    assert statuses.get("THREATEN") == "asserted"
    guam = [e for e in docs[0]["events"] if e["type"] == "ASSAULT"]
    assert guam and all(e["factuality"]["status"] in ("future", "hypothetical") for e in guam)
    salisbury = [e for e in docs[1]["events"] if e["factuality"]["status"] == "denied"]
    assert salisbury


def _split_json(output: str) -> list[str]:
    decoder = json.JSONDecoder()
    chunks, pos = [], 0
    while pos < len(output.rstrip()):
        obj, end = decoder.raw_decode(output, pos)
        chunks.append(json.dumps(obj))
        pos = end
        while pos < len(output) and output[pos].isspace():
            pos += 1
    return chunks


def test_every_bundled_sample_article_honours_the_contract():
    from polybius.ingest import read_paths
    from polybius.pipeline import Pipeline

    articles = list(read_paths([SAMPLES]))
    assert len(articles) >= 30
    for doc in Pipeline().process_many(articles):
        assert problems(doc.to_json()) == [], doc.article.title


def test_events_without_a_date_in_the_text_say_publication(tmp_path: Path):
    page = tmp_path / "2019-05-02-brief.txt"
    page.write_text("Soldiers arrested three protesters outside the parliament in Khartoum.")
    doc = extract_json(page)
    [event] = doc["events"]
    assert event["date"]["basis"] == "publication" and event["date"]["start"] == "2019-05-02"


def test_impossible_published_date_is_a_usage_error(fixtures: Path):
    result = run("extract", str(fixtures / "articles" / "2018-08-23-knife-attack.txt"), "--published", "2018-02-30")
    assert result.exit_code == 2
    assert "2018-02-30" in result.output and "not a valid date" in result.output


def test_extract_reads_stdin():
    result = run("extract", "-", "--published", "2019-01-07",
                 input="Police arrested two men in Lyon on Monday, prosecutors said.")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert problems(doc) == [] and doc["events"][0]["type"] == "COERCE"


def test_reingesting_the_same_articles_changes_nothing(store: str, fixtures: Path):
    before = _dump(store)
    result = run("ingest", str(fixtures / "articles"), "--db", store)
    assert result.exit_code == 0
    assert "0 articles added (0 events), 4 already stored" in result.output
    assert _dump(store) == before


@pytest.mark.parametrize("bad", ["empty.txt", "binary.txt", "broken.jsonl", "bad-date.jsonl",
                                 "malformed.html", "latin1.txt"])
def test_bad_input_names_the_file_and_leaves_the_store_intact(store: str, fixtures: Path, bad: str):
    before = _dump(store)
    result = run("ingest", str(fixtures / "bad" / bad), "--db", store)
    if bad == "latin1.txt":  # not bad: decoded, then stored like any other article
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert bad in result.output and "error:" in result.output
    assert _dump(store) == before


def _dump(url: str) -> list[str]:
    """Every row of the store, to compare before and after."""
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_events_lists_canonical_events_filtered_by_type_country_and_date(store: str):
    result = run("events", "--db", store, "--type", "assault", "--country", "FR", "--format", "json")
    rows = json.loads(result.output)
    assert rows and all(r["type"] == "ASSAULT" for r in rows)
    assert {"cluster_id", "n_sources", "members", "disagreements"} <= set(rows[0])
    result = run("events", "--db", store, "--since", "2019-01-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {"cluster_id", "type", "n_sources"} <= set(rows[0])
    # --canonical is still accepted (it is the default)
    same = run("events", "--db", store, "--since", "2019-01-01", "--format", "csv", "--canonical")
    assert same.output == result.output


def test_events_reports_lists_each_articles_event(store: str):
    result = run("events", "--db", store, "--reports", "--since", "2019-01-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(r["date"] >= "2019-01-01" for r in rows if r["date"])
    assert {"id", "type", "actors", "place", "factuality", "cluster"} <= set(rows[0])
    canonical = json.loads(run("events", "--db", store, "--since", "2019-01-01", "--format", "json").output)
    assert sum(len(c["members"]) for c in canonical) >= len(rows) >= len(canonical)


def test_events_filter_by_actor(store: str):
    rows = json.loads(run("events", "--db", store, "--reports", "--actor", "POLICE", "--format", "json").output)
    assert rows and all("police" in " ".join(r["actor_names"] + r["recipient_names"]).lower() for r in rows)


def test_events_table_lists_events(store: str):
    result = run("events", "--db", store, "--type", "PROTEST")
    assert result.exit_code == 0 and "PROTEST" in result.output
    assert "PROTEST" in run("events", "--db", store, "--type", "PROTEST", "--reports").output


@pytest.mark.parametrize("level", ["canonical", "reports"])
@pytest.mark.parametrize("fmt, name", [("plover-json", "e.json"), ("csv", "e.csv"), ("geojson", "e.geojson"),
                                       ("acled-csv", "e.acled.csv"), ("parquet", "e.parquet")])
def test_export_writes_each_format(store: str, tmp_path: Path, fmt: str, name: str, level: str):
    out = tmp_path / name
    flags = ["--reports"] if level == "reports" else []
    result = run("export", "--db", store, "--format", fmt, *flags, str(out))
    assert result.exit_code == 0 and out.exists()
    assert ("canonical events written" in result.output) == (level == "canonical")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.num_rows > 0
        assert ("event_json" if level == "reports" else "canonical_json") in table.column_names
    elif fmt in ("csv", "acled-csv"):
        with out.open() as f:
            rows = list(csv.DictReader(f))
        assert rows and "event_date" in rows[0] and "sub_event_type" in rows[0]
        assert ("n_sources" in rows[0]) == (level == "canonical")
    else:
        data = json.loads(out.read_text())
        assert data if fmt == "plover-json" else data["type"] == "FeatureCollection"
        if fmt == "plover-json" and level == "canonical":
            assert {"clusterId", "nSources", "members", "disagreements"} <= set(data[0])


def test_serve_with_a_bad_setting_is_a_one_line_error(store: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POLYBIUS_MAX_BODY", "huge")
    result = run("serve", "--db", store, "--port", "0")
    assert result.exit_code == 1 and "POLYBIUS_MAX_BODY" in result.output


def test_summary_prints_counts(store: str):
    result = run("summary", "--db", store)
    assert result.exit_code == 0
    assert "events per type" in result.output and "top actors" in result.output


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name
