"""Web archives: HTML responses with URL and date, everything else passed over, damage skipped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.ingest.items import RawPage, to_article
from polybius.ingest.warc import is_warc, read_warc

WARC_DIR = Path(__file__).parent / "fixtures" / "warc"
GZ, RAW = WARC_DIR / "sample.warc.gz", WARC_DIR / "sample.warc"
ARTICLES = ["https://harbour.example/2021/03/04/dock-strike",
            "https://valley.example/news/flood-evacuation",
            "https://capital.example/politics/minister-resigns"]
MENU = "https://harbour.example/menu"


def read(path: Path) -> tuple[list[RawPage], list[tuple[str, str]]]:
    skipped: list[tuple[str, str]] = []
    pages = list(read_warc(path, on_skip=lambda source, reason: skipped.append((source, reason))))
    return pages, skipped


def urls(pages: list[RawPage]) -> list[str | None]:
    return [p.url for p in pages if p.url != MENU]


def with_content_length(data: bytes, nth_response: int, value: bytes) -> bytes:
    at = -1
    for _ in range(nth_response + 1):
        at = data.index(b"WARC-Type: response", at + 1)
    start = data.index(b"Content-Length: ", at) + len(b"Content-Length: ")
    return data[:start] + value + data[data.index(b"\r\n", start):]


@pytest.mark.parametrize("path", [GZ, RAW], ids=["gzip", "plain"])
def test_html_responses_come_with_their_url_and_archive_date(path: Path) -> None:
    pages, _ = read(path)
    assert urls(pages) == ARTICLES
    assert [p.published for p in pages if p.url != MENU] == [date(2021, 3, 4), date(2021, 3, 5),
                                                             date(2021, 3, 6)]


@pytest.mark.parametrize("path", [GZ, RAW], ids=["gzip", "plain"])
def test_requests_images_and_warcinfo_are_passed_over_and_error_pages_are_reported(path: Path) -> None:
    pages, skipped = read(path)
    assert not any(p.url and p.url.endswith(".png") for p in pages)
    assert [(s.split()[-1], r) for s, r in skipped] == [("https://harbour.example/missing",
                                                         "HTTP 404 response, not an article")]


def test_skip_source_names_the_file_and_byte_offset() -> None:
    _, skipped = read(GZ)
    assert skipped[0][0].startswith(f"{GZ}@")


def test_page_becomes_an_article_with_the_record_url_and_date() -> None:
    pages, _ = read(GZ)
    article = to_article(pages[0])
    assert article.url == ARTICLES[0] and article.published == date(2021, 3, 4)
    assert "Dock workers" in article.text and "Copyright" not in article.text


def test_truncated_gzip_archive_keeps_what_came_before_and_reports_the_rest(tmp_path: Path) -> None:
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(GZ.read_bytes()[:-700])
    pages, skipped = read(cut)
    assert urls(pages) == ARTICLES[:2]
    assert "truncated archive" in skipped[-1][1]


def test_truncated_plain_archive_drops_the_cut_record(tmp_path: Path) -> None:
    cut = tmp_path / "cut.warc"
    cut.write_bytes(RAW.read_bytes()[:-500])
    pages, skipped = read(cut)
    assert urls(pages) == ARTICLES[:2]
    assert "record truncated" in skipped[-1][1]


def test_corrupt_gzip_member_is_skipped_and_reading_resumes(tmp_path: Path) -> None:
    data = bytearray(GZ.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 40] = bytes(40)
    bad = tmp_path / "corrupt.warc.gz"
    bad.write_bytes(bytes(data))
    pages, skipped = read(bad)
    assert urls(pages) == ARTICLES  # the damage hit a non-article record; every article survives
    assert any("damaged archive data" in r for _, r in skipped)


@pytest.mark.parametrize("length", [b"99999999999", b"5"])
def test_bogus_content_length_costs_only_that_record(tmp_path: Path, length: bytes) -> None:
    bad = tmp_path / "bogus.warc"
    bad.write_bytes(with_content_length(RAW.read_bytes(), 0, length))
    pages, skipped = read(bad)
    assert urls(pages) == ARTICLES[1:]
    assert any("truncated" in r or "damaged" in r for _, r in skipped)


def test_content_length_slightly_too_long_loses_no_article(tmp_path: Path) -> None:
    raw = RAW.read_bytes()
    at = raw.index(b"WARC-Type: response")
    start = raw.index(b"Content-Length: ", at) + len(b"Content-Length: ")
    n = int(raw[start:raw.index(b"\r\n", start)])
    bad = tmp_path / "long.warc"
    bad.write_bytes(with_content_length(raw, 0, str(n + 300).encode()))
    pages, skipped = read(bad)
    assert ARTICLES[0] in urls(pages)  # the page itself is whole; the next record paid
    assert ARTICLES[1:] == urls(pages)[1:]


def test_file_that_is_not_an_archive_is_reported_not_parsed(tmp_path: Path) -> None:
    bad = tmp_path / "notes.warc"
    bad.write_bytes(b"these are my notes about the archive\n" * 20)
    pages, skipped = read(bad)
    assert pages == [] and skipped and skipped[0][0] == f"{bad}@0"


def test_oversized_page_is_skipped_with_the_limit_named() -> None:
    skipped: list[tuple[str, str]] = []
    pages = list(read_warc(GZ, on_skip=lambda s, r: skipped.append((s, r)), max_record_bytes=300))
    assert [p.url for p in pages] == [MENU]  # the one page under 300 bytes
    assert sum("300-byte limit" in r for _, r in skipped) == 3


def test_archives_are_recognised_by_extension() -> None:
    assert is_warc(Path("CC-NEWS-2021.warc.gz")) and is_warc(Path("x.WARC"))
    assert not is_warc(Path("x.gz")) and not is_warc(Path("x.html"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=GZ.stat().st_size), gzipped=st.booleans())
def test_any_truncation_yields_a_prefix_of_the_articles_and_never_raises(tmp_path: Path, cut: int,
                                                                         gzipped: bool) -> None:
    source = GZ if gzipped else RAW
    data = source.read_bytes()[:cut]
    path = tmp_path / ("t.warc.gz" if gzipped else "t.warc")
    path.write_bytes(data)
    pages, _ = read(path)
    found = urls(pages)
    assert found == ARTICLES[:len(found)]
