"""CLI of issue 10: ingest of archives and URLs, feeds, load, bench NAME; settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from polybius.cli import main
from polybius.errors import PolybiusError
from polybius.ingest.settings import SourceSettings, env_names, source_settings

WARC = Path(__file__).parent / "fixtures" / "warc" / "sample.warc.gz"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_ingest_of_a_web_archive_stores_its_articles_and_reports_skips(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    result = run("ingest", str(WARC), "--db", url)
    assert result.exit_code == 0, result.output
    assert "3 articles added" in result.output
    assert "2 inputs skipped: 1 × HTTP 404 response, not an article; 1 × no article text" in result.output
    again = run("ingest", str(WARC), "--db", url)
    assert "0 articles added (0 events), 3 already stored" in again.output


def test_urls_are_refused_without_the_network_flag(tmp_path: Path) -> None:
    result = run("ingest", "https://news.example/a", "--db", f"sqlite:///{tmp_path / 'u.db'}")
    assert result.exit_code == 1
    assert "URL given but network fetching is off (use --network)" in result.output


def test_out_must_be_a_parquet_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(WARC), "--out", "ftp://x"])
    assert result.exit_code == 1 and "expected parquet://DIR" in result.output


def test_ingest_to_parquet_then_load(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    assert run("ingest", str(WARC), "--out", f"parquet://{parts}").exit_code == 0
    url = f"sqlite:///{tmp_path / 'l.db'}"
    loaded = run("load", str(parts), "--db", url)
    assert loaded.exit_code == 0 and "3 articles loaded, 0 already stored" in loaded.output
    assert "3 articles loaded" not in run("load", str(parts), "--db", url).output


def test_load_of_a_folder_without_parts_is_an_error_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1 and str(tmp_path) in result.output and "no part-*.parquet" in result.output


def test_feeds_add_refuses_non_http_urls_and_lists_what_was_added(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    assert CliRunner().invoke(main, ["feeds", "add", "file:///etc/passwd", "--db", url]).exit_code == 2
    assert "added: https://a.example/rss" in run("feeds", "add", "https://a.example/rss", "--db", url).output
    assert "already subscribed" in run("feeds", "add", "https://a.example/rss", "--db", url).output
    assert run("feeds", "list", "--db", url).output.startswith("https://a.example/rss\t")


def test_feeds_poll_without_feeds_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["feeds", "poll", "--db", f"sqlite:///{tmp_path / 'e.db'}"])
    assert result.exit_code == 2 and "no feeds subscribed" in result.output


def test_feeds_poll_refuses_a_bad_interval(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["feeds", "poll", "--every", "soon"])
    assert result.exit_code == 2 and "not an interval" in result.output


def test_bench_refuses_an_unknown_benchmark() -> None:
    assert CliRunner().invoke(main, ["bench", "nonsense"]).exit_code == 2


def test_feeds_subcommands_have_help_with_an_example() -> None:
    group = main.commands["feeds"]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help and "Example:" in command.help, name


def test_settings_come_from_the_environment() -> None:
    settings = source_settings({"POLYBIUS_FETCH_TIMEOUT": "5", "POLYBIUS_FETCH_ALLOW_PRIVATE": "true",
                                "POLYBIUS_PARTITION_SIZE": "8"})
    assert (settings.fetch_timeout, settings.fetch_allow_private, settings.scale_partition_size) == (5.0, True, 8)
    assert source_settings({}) == SourceSettings()
    assert set(env_names().values()) >= {"POLYBIUS_FETCH_MAX_BYTES", "POLYBIUS_WRITE_BATCH"}


@pytest.mark.parametrize("name,value", [("POLYBIUS_FETCH_TIMEOUT", "fast"),
                                        ("POLYBIUS_FETCH_ALLOW_PRIVATE", "maybe")])
def test_bad_setting_is_a_clear_error_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(PolybiusError, match=name):
        source_settings({name: value})
