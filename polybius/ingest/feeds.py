"""RSS/Atom feeds: subscribe, poll with conditional GET, fetch each new entry's page, dedupe.

A poll asks for the feed with the validators of the last answer (ETag / Last-Modified), so an
unchanged feed costs one 304. New entries are the links no earlier poll handled (URLs compared
after dropping fragments and tracking parameters); their pages go through the same ``Fetcher``
(robots.txt, pacing, SSRF checks) and the same extraction as any URL, and an article whose
content hash is already stored is a duplicate, however many links lead to it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from polybius.errors import FetchError, InputError
from polybius.ingest.fetch import FEED_TYPES, Fetcher, fetch_article
from polybius.ingest.items import SkipLog
from polybius.model import Article
from polybius.store import Store
from polybius.store.rows import FeedState

log = logging.getLogger(__name__)

Process = Callable[[list[Article]], int]
"""Extracts and stores articles, returning how many were added (the CLI passes the pipeline)."""

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)
_TRANSIENT = ("HTTP 5", "timed out", "network error", "HTTP 429")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: the article link and what the feed says about it."""

    url: str
    title: str | None
    published: date | None


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed: str
    status: str
    """``ok``, ``not-modified`` or ``failed``."""
    entries: int = 0
    new: int = 0
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    error: str | None = None

    def render(self) -> str:
        """One line for the CLI."""
        if self.status != "ok":
            return f"{self.feed}: {self.status}" + (f" ({self.error})" if self.error else "")
        return (f"{self.feed}: {self.entries} entries, {self.new} new, {self.stored} articles stored, "
                f"{self.duplicates} duplicates, {self.skipped} skipped")


def normalise_url(url: str) -> str:
    """The URL without fragment and tracking parameters, host lower-cased: the entry's identity."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def parse_feed(body: bytes, source: str) -> tuple[str | None, list[FeedEntry]]:
    """(feed title, entries with a link); InputError when the bytes are not an RSS/Atom feed."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        head = body[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")):
            raise InputError(source, "is an HTML page, not an RSS/Atom feed")
        problem = parsed.get("bozo_exception")
        raise InputError(source, f"not an RSS/Atom feed ({problem or 'no feed elements'})")
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or urlsplit(link).scheme not in ("http", "https"):
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(FeedEntry(url=normalise_url(link), title=entry.get("title"),
                                 published=date(*when[:3]) if when else None))
    return parsed.feed.get("title"), list({e.url: e for e in entries}.values())


def poll_feed(store: Store, fetcher: Fetcher, state: FeedState, process: Process,
              skips: SkipLog) -> PollResult:
    """Poll one feed: conditional GET, new entries fetched, extracted and stored; state saved."""
    headers = {k: v for k, v in (("if-none-match", state.etag),
                                 ("if-modified-since", state.last_modified)) if v}
    state.last_polled = datetime.now(timezone.utc)
    try:
        response = fetcher.get(state.url, accept=FEED_TYPES, headers=headers)
        if response.status == 304:
            result = PollResult(state.url, "not-modified")
        else:
            title, entries = parse_feed(response.body, state.url)
            state.title = title or state.title
            state.etag = response.headers.get("etag") or None
            state.last_modified = response.headers.get("last-modified") or None
            result = _handle_entries(store, fetcher, state.url, entries, process, skips)
        state.last_status, state.last_error = result.status, None
    except InputError as err:
        skips.add_error(err)
        result = PollResult(state.url, "failed", error=err.problem)
        state.last_status, state.last_error = "failed", err.problem
    state.n_entries += result.stored
    store.update_feed(state)
    return result


def _handle_entries(store: Store, fetcher: Fetcher, feed_url: str, entries: list[FeedEntry],
                    process: Process, skips: SkipLog) -> PollResult:
    result = PollResult(feed_url, "ok", entries=len(entries))
    seen = store.seen_entry_urls(e.url for e in entries)
    fresh = [e for e in entries if e.url not in seen]
    result.new = len(fresh)
    handled: list[tuple[str, str | None, str, str | None]] = []
    articles: dict[str, Article] = {}
    for entry in fresh:
        try:
            article = fetch_article(fetcher, entry.url)
        except InputError as err:
            skips.add(f"{feed_url} → {entry.url}", err.problem)
            result.skipped += 1
            if not isinstance(err, FetchError) or not err.problem.startswith(_TRANSIENT):
                handled.append((entry.url, None, "skipped", err.problem))  # retried if transient
            continue
        if article.published is None:
            article.published = entry.published
        article.title = article.title or entry.title
        handled.append((entry.url, article.id, "stored", None))
        articles.setdefault(article.id, article)
    known = store.known_ids(articles)
    result.duplicates = len(fresh) - result.skipped - (len(articles) - len(known))
    new_articles = [a for aid, a in articles.items() if aid not in known]
    if new_articles:
        result.stored = process(new_articles)
    handled = [(u, a, "duplicate" if a in known else s, r) for u, a, s, r in handled]
    store.record_entries(feed_url, handled)
    return result


def poll_all(store: Store, fetcher: Fetcher, process: Process, skips: SkipLog) -> list[PollResult]:
    """Poll every subscribed feed once, in URL order."""
    return [poll_feed(store, fetcher, state, process, skips) for state in store.feeds()]


def parse_interval(text: str) -> float:
    """``90s``, ``15m``, ``2h`` or plain seconds as seconds; ValueError for anything else."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not an interval like 90s, 15m or 2h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def poll_every(interval: float, poll: Callable[[], Iterable[PollResult]], *,
               rounds: int | None = None, sleep: Callable[[float], None] = time.sleep,
               clock: Callable[[], float] = time.monotonic) -> int:
    """Run ``poll`` every ``interval`` seconds (``rounds`` times, or until interrupted); returns rounds run."""
    done = 0
    while rounds is None or done < rounds:
        started = clock()
        for result in poll():
            log.info("%s", result.render())
        done += 1
        if rounds is not None and done >= rounds:
            break
        sleep(max(0.0, interval - (clock() - started)))
    return done

