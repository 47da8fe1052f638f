"""Many articles through one pipeline: ``Pipeline.extract_many``, ``polybius extract FILE... --out``,
``Store.ingest``, and the event lists' converters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from polybius import Article, Pipeline, Store
from polybius.cli import main
from polybius.contract import problems
from polybius.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = [
    "Police arrested two men in Lyon on Monday, prosecutors said.",
    "Thousands of people marched through Hong Kong on Sunday against the extradition bill.",
    "Gunmen killed three villagers in Borno state on Friday, officials said.",
]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_extract_many_gives_the_documents_of_single_extract_calls_in_order(pipeline: Pipeline) -> None:
    many = list(pipeline.extract_many(TEXTS, batch_size=2))
    single = [pipeline.extract(t) for t in TEXTS]
    assert [d.to_json() for d in many] == [d.to_json() for d in single]


def test_extract_many_takes_articles_and_raw_text_together(pipeline: Pipeline) -> None:
    article = Article(text=TEXTS[2], published=date(2019, 3, 1), url="https://example.org/borno")
    docs = list(pipeline.extract_many([TEXTS[0], article]))
    assert docs[1].article is article and docs[0].article.published is None


def test_extract_many_reads_its_input_one_batch_at_a_time(pipeline: Pipeline) -> None:
    pulled: list[int] = []

    def stream() -> Iterator[str]:
        for n in range(10):
            pulled.append(n)
            yield TEXTS[n % 3]

    first = next(pipeline.extract_many(stream(), batch_size=3))
    assert first.article.text == TEXTS[0] and pulled == [0, 1, 2]


def test_extract_many_refuses_a_zero_batch_size(pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        next(pipeline.extract_many(TEXTS, batch_size=-1))


def test_batch_cli_writes_the_same_documents_as_single_calls(tmp_path: Path) -> None:
    inputs = sorted((FIXTURES / "articles").iterdir())
    out = tmp_path / "out"
    result = run("extract", *map(str, inputs), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.stem + (".jsonl" if p.suffix == ".jsonl" else ".json") for p in inputs)
    for path in inputs:
        single = run("extract", str(path), "--format", "jsonl")
        assert single.exit_code == 0, single.output
        expected = [json.loads(line) for line in single.output.splitlines()]
        written = out / (path.stem + (".jsonl" if path.suffix == ".jsonl" else ".json"))
        if path.suffix == ".jsonl":
            got = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
        else:
            got = [json.loads(written.read_text(encoding="utf-8"))]
        assert got == expected, path.name
        assert all(problems(d) == [] for d in got)


def test_several_inputs_without_out_print_json_lines_in_input_order() -> None:
    inputs = [FIXTURES / "articles" / "2018-08-23-knife-attack.txt", FIXTURES / "articles" / "wire.jsonl"]
    result = run("extract", *map(str, inputs))
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.output.splitlines()]
    assert len(docs) == 1 + len((FIXTURES / "articles" / "wire.jsonl").read_text().splitlines())
    assert docs[0]["article"]["published"] == "2018-08-23"


def test_a_failing_input_is_named_and_the_others_are_still_extracted(tmp_path: Path) -> None:
    good = FIXTURES / "articles" / "2018-08-23-knife-attack.txt"
    bad = [FIXTURES / "bad" / "empty.txt", FIXTURES / "bad" / "broken.jsonl", tmp_path / "missing.txt"]
    out = tmp_path / "out"
    result = run("extract", str(bad[0]), str(good), str(bad[1]), str(bad[2]), "--out", str(out))
    assert result.exit_code == 1
    for path in bad:
        assert path.name in result.output
    assert "3 of 4 inputs failed" in result.output
    assert [p.name for p in out.iterdir()] == ["2018-08-23-knife-attack.json"]


def test_stdin_with_out_is_written_to_stdin_json(tmp_path: Path) -> None:
    result = run("extract", "-", "--published", "2019-01-07", "--out", str(tmp_path),
                 input="Police arrested two men in Lyon on Monday, prosecutors said.")
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "stdin.json").read_text(encoding="utf-8"))
    assert doc["article"]["published"] == "2019-01-07" and doc["events"][0]["type"] == "COERCE"


def test_two_inputs_that_would_overwrite_each_other_are_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "x.txt").write_text("Police arrested two men in Lyon on Monday.")
    result = run("extract", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"),
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "would both be written to x.json" in result.output
    assert not (tmp_path / "out").exists()


def test_url_with_several_inputs_is_a_usage_error() -> None:
    paths = [str(p) for p in sorted((FIXTURES / "articles").iterdir())[:2]]
    result = run("extract", *paths, "--url", "https://example.org/a")
    assert result.exit_code == 2 and "--url" in result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'events.db'}")
    result = store.ingest(FIXTURES / "articles", pipeline=pipeline)
    assert result.added == 4 and result.failed == [] and len(result.ids) == 4
    return store


def test_ingest_skips_stored_articles_and_names_unreadable_inputs(store: Store, pipeline: Pipeline,
                                                                  tmp_path: Path) -> None:
    result = store.ingest([FIXTURES / "articles", FIXTURES / "bad" / "empty.txt", tmp_path / "nope"],
                          pipeline=pipeline)
    assert result.added == 0 and result.skipped == 4
    assert len(result.failed) == 2
    assert "empty.txt" in result.failed[0] and "nope" in result.failed[1]


def test_events_to_pandas_has_one_row_per_event_with_typed_columns(store: Store) -> None:
    pd = pytest.importorskip("pandas")
    rows = store.events()
    frame = rows.to_pandas()
    assert len(frame) == len(rows) and list(frame["key"]) == [r.key for r in rows]
    assert str(frame["killed"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])
    assert frame.loc[0, "evidence"] == rows[0].evidence_text


def test_an_empty_query_gives_an_empty_frame_with_the_columns(store: Store) -> None:
    pytest.importorskip("pandas")
    frame = store.events(type="NO-SUCH-TYPE").to_pandas()
    assert frame.empty and {"type", "date_start", "place", "killed", "factuality"} <= set(frame.columns)


def test_canonical_events_to_pandas_keeps_disagreeing_figures(store: Store) -> None:
    pytest.importorskip("pandas")
    merged = store.canonical_events()
    frame = merged.to_pandas()
    assert list(frame["cluster_id"]) == [c.cluster_id for c in merged]
    assert list(frame["killed"]) == [c.killed.values for c in merged]


def test_events_to_geojson_puts_only_located_events_on_the_map(store: Store) -> None:
    rows = store.events()
    collection = rows.to_geojson()
    located = [r for r in rows if r.place_lat is not None]
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) + collection["unlocated"] == len(rows)
    assert len(collection["features"]) == len(located)


class BreakingPipeline:
    """Extracts nothing, and breaks the contract on articles whose text mentions 'Borno'."""

    def extract_many(self, articles, *, batch_size=None):
        from polybius.model import Actor, Document

        for article in articles:
            bad = "Borno" in article.text
            actors = [Actor(id="a1", text="x", span=(0, 10**6), name="x")] if bad else []
            yield Document(article=article, actors=actors)


def test_a_document_breaking_the_contract_fails_its_own_input_only(tmp_path: Path) -> None:
    from polybius.batch import extract_files

    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"text": t}) for t in TEXTS), encoding="utf-8")
    after = tmp_path / "after.txt"
    after.write_text(TEXTS[0], encoding="utf-8")
    results = list(extract_files(BreakingPipeline(), [feed, tmp_path / "gone.txt", after]))  # type: ignore[arg-type]
    assert [r.source for r in results] == [str(feed), str(tmp_path / "gone.txt"), str(after)]
    assert "feed.jsonl: document breaks polybius/1" in (results[0].error or "")
    assert "gone.txt" in (results[1].error or "")
    assert results[2].error is None and [d.article.text for d in results[2].documents] == [TEXTS[0]]


def test_extract_takes_the_publication_date_as_an_iso_string(pipeline: Pipeline) -> None:
    text = "Police arrested two men in Leeds on Friday."
    as_string = pipeline.extract(text, published="2024-03-10")
    assert as_string.events[0].date == pipeline.extract(text, published=date(2024, 3, 10)).events[0].date
    assert as_string.events[0].date.start == "2024-03-08"


def test_extract_names_a_publication_date_it_cannot_read(pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="published: not an ISO date.*'10/03/2024'"):
        pipeline.extract("Police arrested two men.", published="10/03/2024")
