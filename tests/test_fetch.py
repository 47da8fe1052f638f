"""Fetching: SSRF refusal after DNS, redirects, content types, robots.txt, pacing, byte caps."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from polybius.errors import FetchError, InputError
from polybius.ingest.fetch import (
    ARTICLE_TYPES,
    FEED_TYPES,
    Fetcher,
    FetchPolicy,
    HttpxTransport,
    Request,
    Response,
    fetch_article,
    is_public,
)

PAGE = (b"<html><head><title>Raid</title></head><body><article><p>Police raided three houses "
        b"in the northern district on Tuesday and arrested eleven people, officials said.</p>"
        b"</article></body></html>")


def html(body: bytes = PAGE, status: int = 200, **headers: str) -> Response:
    return Response(url="", status=status, headers={"content-type": "text/html; charset=utf-8", **headers},
                    body=body)


def site(pages: dict[str, Response], log: list[Request] | None = None) -> Callable[[Request], Response]:
    """A transport serving ``pages`` by URL; robots.txt is a 404 unless given."""
    def transport(request: Request) -> Response:
        if log is not None:
            log.append(request)
        return pages.get(request.url, Response(url=request.url, status=404, headers={}))
    return transport


def public(_host: str, _port: int) -> list[str]:
    return ["93.184.216.34"]


def fetcher(pages: dict[str, Response], *, resolver: Callable[[str, int], list[str]] = public,
            log: list[Request] | None = None, **policy: Any) -> Fetcher:
    return Fetcher(site(pages, log), FetchPolicy(min_interval=0, **policy), resolver=resolver)


def test_page_is_fetched_and_extracted_with_its_url() -> None:
    f = fetcher({"https://news.example/a": html()})
    article = fetch_article(f, "https://news.example/a")
    assert article.url == "https://news.example/a"
    assert "arrested eleven people" in article.text


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.7", "172.16.5.5",
                                     "169.254.169.254", "::1", "fe80::1", "fd00:ec2::254",
                                     "100.64.0.1", "0.0.0.0", "::ffff:127.0.0.1"])
def test_hosts_resolving_to_internal_addresses_are_refused(address: str) -> None:
    log: list[Request] = []
    f = fetcher({"http://innocent.example/": html()}, resolver=lambda h, p: [address], log=log)
    with pytest.raises(FetchError, match="non-public address refused"):
        f.get("http://innocent.example/")
    assert log == []  # refused before any byte was sent


def test_one_internal_address_among_public_ones_is_enough_to_refuse() -> None:
    f = fetcher({}, resolver=lambda h, p: ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(FetchError, match="10.0.0.1"):
        f.get("http://mixed.example/")


def test_internal_addresses_are_allowed_only_when_explicitly_permitted() -> None:
    f = fetcher({"http://localhost/a": html()}, resolver=lambda h, p: ["127.0.0.1"], allow_private=True)
    assert f.get("http://localhost/a").status == 200


def test_request_is_pinned_to_the_checked_address() -> None:
    log: list[Request] = []
    f = fetcher({"https://news.example/a": html()}, log=log)
    f.get("https://news.example/a")
    assert [r.address for r in log] == ["93.184.216.34", "93.184.216.34"]  # robots.txt, then page


def test_redirect_to_an_internal_host_is_refused() -> None:
    pages = {"https://news.example/a": html(b"", 302, location="http://metadata.internal/latest")}
    resolve = {"news.example": ["93.184.216.34"], "metadata.internal": ["169.254.169.254"]}
    f = fetcher(pages, resolver=lambda h, p: resolve[h])
    with pytest.raises(FetchError, match="169.254.169.254"):
        f.get("https://news.example/a")


def test_relative_redirect_is_followed() -> None:
    pages = {"https://news.example/old": html(b"", 301, location="/new"), "https://news.example/new": html()}
    assert fetcher(pages).get("https://news.example/old").body == PAGE


def test_redirect_loop_is_reported() -> None:
    pages = {"https://x.example/a": html(b"", 302, location="/b"),
             "https://x.example/b": html(b"", 302, location="/a")}
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher(pages).get("https://x.example/a")


def test_redirect_chain_longer_than_the_cap_is_refused() -> None:
    pages = {f"https://x.example/{i}": html(b"", 302, location=f"/{i + 1}") for i in range(10)}
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher(pages, max_redirects=3).get("https://x.example/0")


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors_name_the_url_and_status(status: int) -> None:
    pages = {"https://x.example/a": html(b"oops", status)}
    with pytest.raises(FetchError, match=rf"https://x.example/a: HTTP {status}"):
        fetcher(pages).get("https://x.example/a")


def test_wrong_content_type_is_refused() -> None:
    pages = {"https://x.example/v.mp4": Response("", 200, {"content-type": "video/mp4"}, b"\0\0")}
    with pytest.raises(FetchError, match="video/mp4"):
        fetcher(pages).get("https://x.example/v.mp4")


def test_feed_fetch_refuses_an_html_page() -> None:
    with pytest.raises(FetchError, match="text/html"):
        fetcher({"https://x.example/feed": html()}).get("https://x.example/feed", accept=FEED_TYPES)


def test_non_http_schemes_are_refused() -> None:
    with pytest.raises(FetchError, match="only http"):
        fetcher({}).get("file:///etc/passwd")


def test_fetch_error_is_an_input_error_so_runs_skip_it() -> None:
    assert issubclass(FetchError, InputError)


def test_robots_txt_disallow_is_respected() -> None:
    robots = Response("", 200, {"content-type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    pages = {"https://x.example/robots.txt": robots, "https://x.example/private/a": html(),
             "https://x.example/public/a": html()}
    f = fetcher(pages)
    assert f.get("https://x.example/public/a").status == 200
    with pytest.raises(FetchError, match="robots.txt"):
        f.get("https://x.example/private/a")


def test_robots_txt_server_error_means_disallow_everything() -> None:
    pages = {"https://x.example/robots.txt": html(b"", 503), "https://x.example/a": html()}
    with pytest.raises(FetchError, match="robots.txt"):
        fetcher(pages).get("https://x.example/a")


def test_robots_txt_is_read_once_per_host() -> None:
    log: list[Request] = []
    f = fetcher({"https://x.example/a": html(), "https://x.example/b": html()}, log=log)
    f.get("https://x.example/a")
    f.get("https://x.example/b")
    assert [r.url for r in log].count("https://x.example/robots.txt") == 1


def test_requests_to_one_host_are_paced_by_crawl_delay() -> None:
    robots = Response("", 200, {"content-type": "text/plain"}, b"User-agent: *\nCrawl-delay: 7\n")
    pages = {"https://x.example/robots.txt": robots, "https://x.example/a": html()}
    now = [100.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    f = Fetcher(site(pages), FetchPolicy(min_interval=1.0), resolver=public,
                clock=lambda: now[0], sleep=sleep)
    f.get("https://x.example/a")
    f.get("https://x.example/a")
    assert waits == [7.0, 7.0]  # once robots.txt is read, its crawl delay paces every request


def test_conditional_get_passes_validators_and_returns_304() -> None:
    log: list[Request] = []
    pages = {"https://x.example/feed": Response("", 304, {})}
    r = fetcher(pages, log=log).get("https://x.example/feed", accept=FEED_TYPES,
                                    headers={"if-none-match": '"v1"'})
    assert r.status == 304 and log[-1].headers["if-none-match"] == '"v1"'


def test_default_accepted_types_are_article_types() -> None:
    assert "text/html" in ARTICLE_TYPES and "text/html" not in FEED_TYPES


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public(address)


# -- the real httpx transport against a local server (loopback only) --------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(2**15):  # would be 2 GiB; the client must hang up long before
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if self.path == "/slow":
            time.sleep(2)
        body = f"host={self.headers['host']}".encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hanging up on /endless is the point of that test


@pytest.fixture
def local_server() -> Iterator[int]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_httpx_transport_connects_to_the_pinned_address_with_the_real_host(local_server: int) -> None:
    transport = HttpxTransport(FetchPolicy())
    try:
        r = transport(Request(url=f"http://news.example:{local_server}/a", address="127.0.0.1"))
    finally:
        transport.close()
    assert r.status == 200 and r.body == f"host=news.example:{local_server}".encode()


def test_httpx_transport_stops_reading_at_the_size_cap(local_server: int) -> None:
    transport = HttpxTransport(FetchPolicy())
    try:
        with pytest.raises(FetchError, match="exceeds the 1000000-byte limit"):
            transport(Request(url=f"http://127.0.0.1:{local_server}/endless", max_bytes=1_000_000))
    finally:
        transport.close()


def test_httpx_transport_reports_a_timeout(local_server: int) -> None:
    transport = HttpxTransport(FetchPolicy())
    try:
        with pytest.raises(FetchError, match="timed out"):
            transport(Request(url=f"http://127.0.0.1:{local_server}/slow", timeout=0.3))
    finally:
        transport.close()
