"""Feeds: conditional GET, new entries only, dedupe by URL and content hash, bad feeds skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from polybius.ingest.feeds import normalise_url, parse_feed, parse_interval, poll_all, poll_every
from polybius.ingest.fetch import Fetcher, FetchPolicy, Request, Response
from polybius.ingest.items import SkipLog
from polybius.model import Article, Document
from polybius.store import Store

FEED = "https://wire.example/rss"


def rss(*items: tuple[str, str], etag: str = '"v1"') -> Response:
    body = "".join(f"<item><title>{t}</title><link>{u}</link>"
                   f"<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate></item>" for u, t in items)
    xml = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
           f"<link>https://wire.example/</link>{body}</channel></rss>").encode()
    return Response("", 200, {"content-type": "application/rss+xml", "etag": etag}, xml)


def page(sentence: str) -> Response:
    html = (f"<html><head><title>t</title></head><body><article><p>{sentence} Officials confirmed "
            f"the figures to reporters late in the evening.</p></article></body></html>").encode()
    return Response("", 200, {"content-type": "text/html"}, html)


class Site:
    """A transport over a dict of pages that records requests; a 404 for anything else."""

    def __init__(self, pages: dict[str, Response]) -> None:
        self.pages = pages
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        etag = request.headers.get("if-none-match")
        if request.url == FEED and etag and etag == self.pages[FEED].headers.get("etag"):
            return Response(request.url, 304, {})
        return self.pages.get(request.url, Response(request.url, 404, {}))

    def fetched(self) -> list[str]:
        return [r.url for r in self.requests if not r.url.endswith("/robots.txt")]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'feeds.db'}") as s:
        yield s


def storing(store: Store) -> Callable[[list[Article]], int]:
    """The 'pipeline' of these tests: articles stored as documents without NLP."""
    return lambda articles: store.add([Document(article=a) for a in articles]).added


def poll(store: Store, site: Site) -> tuple[list[str], SkipLog]:
    skips = SkipLog()
    fetcher = Fetcher(site, FetchPolicy(min_interval=0), resolver=lambda h, p: ["93.184.216.34"])
    return [r.render() for r in poll_all(store, fetcher, storing(store), skips)], skips


def test_new_entries_are_fetched_extracted_and_stored_with_the_entry_date(store: Store) -> None:
    site = Site({FEED: rss(("https://wire.example/a", "A"), ("https://wire.example/b", "B")),
                 "https://wire.example/a": page("Troops shelled the town."),
                 "https://wire.example/b": page("Farmers blocked the motorway.")})
    store.add_feed(FEED)
    lines, skips = poll(store, site)
    assert lines == [f"{FEED}: 2 entries, 2 new, 2 articles stored, 0 duplicates, 0 skipped"]
    assert store.count_articles() == 2 and not skips.items
    [state] = store.feeds()
    assert (state.etag, state.title, state.last_status, state.n_entries) == ('"v1"', "Wire", "ok", 2)


def test_entry_date_fills_in_when_the_page_has_none(store: Store) -> None:
    site = Site({FEED: rss(("https://wire.example/a", "A")),
                 "https://wire.example/a": page("Troops shelled the town.")})
    store.add_feed(FEED)
    poll(store, site)
    [doc] = [store.article(i) for i in _all_ids(store)]
    assert doc is not None and doc.article.published == date(2021, 3, 2)
    assert doc.article.url == "https://wire.example/a"


def _all_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("select id from articles")]


def test_unchanged_feed_costs_one_conditional_request(store: Store) -> None:
    site = Site({FEED: rss(("https://wire.example/a", "A")),
                 "https://wire.example/a": page("Troops shelled the town.")})
    store.add_feed(FEED)
    poll(store, site)
    site.requests.clear()
    lines, _ = poll(store, site)
    assert lines == [f"{FEED}: not-modified"]
    assert site.fetched() == [FEED] and site.requests[-1].headers["if-none-match"] == '"v1"'


def test_entries_seen_before_are_not_fetched_again(store: Store) -> None:
    site = Site({FEED: rss(("https://wire.example/a", "A")),
                 "https://wire.example/a": page("Troops shelled the town."),
                 "https://wire.example/b": page("Farmers blocked the motorway.")})
    store.add_feed(FEED)
    poll(store, site)
    site.pages[FEED] = rss(("https://wire.example/a?utm_source=rss#top", "A"),
                           ("https://wire.example/b", "B"), etag='"v2"')
    site.requests.clear()
    lines, _ = poll(store, site)
    assert site.fetched() == [FEED, "https://wire.example/b"]
    assert lines == [f"{FEED}: 2 entries, 1 new, 1 articles stored, 0 duplicates, 0 skipped"]


def test_two_links_to_the_same_text_store_one_article(store: Store) -> None:
    same = page("Troops shelled the town.")
    site = Site({FEED: rss(("https://wire.example/a", "A"), ("https://mirror.example/a", "A")),
                 "https://wire.example/a": same, "https://mirror.example/a": same})
    store.add_feed(FEED)
    lines, _ = poll(store, site)
    assert lines == [f"{FEED}: 2 entries, 2 new, 1 articles stored, 1 duplicates, 0 skipped"]
    assert store.count_articles() == 1


def test_broken_entries_are_skipped_with_reasons_and_the_rest_stored(store: Store) -> None:
    site = Site({FEED: rss(("https://wire.example/gone", "404"), ("https://wire.example/down", "500"),
                           ("https://wire.example/ok", "fine")),
                 "https://wire.example/down": Response("", 500, {}),
                 "https://wire.example/ok": page("Troops shelled the town.")})
    store.add_feed(FEED)
    lines, skips = poll(store, site)
    assert lines == [f"{FEED}: 3 entries, 3 new, 1 articles stored, 0 duplicates, 2 skipped"]
    assert sorted((s.source.split(" → ")[1], s.reason) for s in skips.items) == [
        ("https://wire.example/down", "HTTP 500"), ("https://wire.example/gone", "HTTP 404")]
    # the 404 is final; the 500 may be temporary, so the next poll tries it again
    assert store.seen_entry_urls(["https://wire.example/gone", "https://wire.example/down"]) == {
        "https://wire.example/gone"}


def test_a_feed_that_is_an_html_page_is_skipped_and_other_feeds_still_polled(store: Store) -> None:
    other = "https://other.example/atom"
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Other</title>'
            b'<entry><title>X</title><link href="https://other.example/x"/>'
            b"<updated>2021-03-02T10:00:00Z</updated></entry></feed>")
    site = Site({FEED: Response("", 200, {"content-type": "application/xml"},
                                b"<!DOCTYPE html><html><body>Subscribe!</body></html>"),
                 other: Response("", 200, {"content-type": "application/atom+xml"}, atom),
                 "https://other.example/x": page("Troops shelled the town.")})
    store.add_feed(FEED)
    store.add_feed(other)
    lines, skips = poll(store, site)
    assert lines == [f"{other}: 1 entries, 1 new, 1 articles stored, 0 duplicates, 0 skipped",
                     f"{FEED}: failed (is an HTML page, not an RSS/Atom feed)"]
    assert [s.source for s in skips.items] == [FEED]
    assert {f.url: f.last_status for f in store.feeds()} == {FEED: "failed", other: "ok"}


def test_a_feed_served_as_html_is_refused_by_content_type(store: Store) -> None:
    site = Site({FEED: Response("", 200, {"content-type": "text/html"}, b"<html></html>")})
    store.add_feed(FEED)
    lines, _ = poll(store, site)
    assert lines[0].startswith(f"{FEED}: failed (content type 'text/html'")


def test_parse_feed_keeps_only_http_links_once() -> None:
    title, entries = parse_feed(rss(("https://a.example/1", "one"), ("https://a.example/1#x", "dup"),
                                    ("mailto:x@a.example", "mail")).body, FEED)
    assert title == "Wire" and [e.url for e in entries] == ["https://a.example/1"]


@pytest.mark.parametrize("url,expected", [
    ("https://A.example/x?utm_source=rss&id=3#c", "https://a.example/x?id=3"),
    ("https://a.example", "https://a.example/"),
    ("https://a.example/x?fbclid=1", "https://a.example/x"),
])
def test_urls_are_normalised_for_deduplication(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


@pytest.mark.parametrize("text,seconds", [("15m", 900), ("90s", 90), ("2h", 7200), ("30", 30)])
def test_intervals_parse(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "soon", "-5m", "1d"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval(text)


def test_polling_every_interval_waits_the_rest_of_the_interval() -> None:
    now = [0.0]
    waits: list[float] = []

    def one_poll() -> list[object]:
        now[0] += 40  # a poll that takes 40 s
        return []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    assert poll_every(900, one_poll, rounds=3, sleep=sleep, clock=lambda: now[0]) == 3  # type: ignore[arg-type]
    assert waits == [860, 860]


def test_cli_poll_stores_new_entries_through_the_ingest_run(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from polybius.cli import main
    from polybius.ingest import fetch
    from polybius.nlp import FAST_MODEL

    site = Site({FEED: rss(("https://wire.example/a", "A"), ("https://wire.example/b", "B")),
                 "https://wire.example/a": page("Police arrested two men in Lyon on Monday."),
                 "https://wire.example/b": page("Farmers protested in Paris on Tuesday.")})
    real = fetch.Fetcher
    monkeypatch.setattr(fetch, "Fetcher", lambda policy=None: real(
        site, FetchPolicy(min_interval=0), resolver=lambda h, p: ["93.184.216.34"]))
    db = f"sqlite:///{tmp_path / 'poll.db'}"
    env = {"POLYBIUS_MODEL": FAST_MODEL}
    assert CliRunner().invoke(main, ["feeds", "add", FEED, "--db", db], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["feeds", "poll", "--db", db], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.count_articles() == 2
        assert [f.n_entries for f in store.feeds()] == [2]
