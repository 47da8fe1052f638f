"""Fetching web pages and feeds: opt-in, SSRF-safe, robots.txt-respecting, size- and time-limited.

All network I/O goes through one ``Transport``: a function from a ``Request`` to a ``Response``
that performs exactly one HTTP exchange (no redirects, no retries). ``Fetcher`` holds the policy
(redirect cap, content types, robots.txt, per-host pacing, address checks) and works on those
plain values, so tests pass an ordinary function as the transport and never touch the network.

SSRF protection happens after DNS resolution: every address the host name resolves to must be
public, and the request is then pinned to the checked address (the TLS name check still uses the
host name), so a second, different DNS answer cannot redirect the connection to an internal host.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from polybius import __version__
from polybius.errors import FetchError
from polybius.ingest.decode import decode
from polybius.model import Article

log = logging.getLogger(__name__)

USER_AGENT = f"polybius/{__version__} (news event extraction; respects robots.txt)"
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/feed+json")
# Cloud metadata endpoints that are not caught by the private/link-local tests (AWS IPv6, Alibaba).
_METADATA = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not public, not "private"


@dataclass(frozen=True)
class Request:
    """One HTTP GET. ``address`` is the checked IP the transport must connect to (None: resolve)."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    address: str | None = None
    max_bytes: int = 10 * 2**20
    timeout: float = 20.0


@dataclass(frozen=True)
class Response:
    """One HTTP answer; header names are lower-case."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


Transport = Callable[[Request], Response]
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetcher; the defaults are polite to servers and safe for the machine."""

    max_bytes: int = 10 * 2**20
    """Largest body accepted (10 MiB): news pages are ~100 KB; a bigger answer is not an article."""
    timeout: float = 20.0
    """Seconds for connecting and for each read."""
    max_redirects: int = 5
    min_interval: float = 1.0
    """Seconds between two requests to the same host (robots.txt Crawl-delay may ask for more)."""
    allow_private: bool = False
    """Allow loopback/private/link-local addresses. Only for tests against a local server."""
    respect_robots: bool = True
    user_agent: str = USER_AGENT


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(host, f"cannot resolve host name: {err}") from err
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """Whether an IP address is a public, routable unicast address (not internal or metadata)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or ip in _METADATA
                or (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED))


class Fetcher:
    """GETs URLs through a transport under a ``FetchPolicy``; raises ``FetchError`` naming the URL."""

    def __init__(self, transport: Transport | None = None, policy: FetchPolicy | None = None, *,
                 resolver: Resolver = system_resolver,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or FetchPolicy()
        self.transport = transport or HttpxTransport(self.policy)
        self.resolver = resolver
        self.clock, self.sleep = clock, sleep
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last: dict[str, float] = {}

    def get(self, url: str, *, accept: tuple[str, ...] = ARTICLE_TYPES,
            headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` following redirects; a 304 is returned as is (conditional GET)."""
        seen = {url}
        current = url
        for _ in range(self.policy.max_redirects + 1):
            address = self._checked_address(current)
            if self.policy.respect_robots and not self._robots_allow(current):
                raise FetchError(current, "disallowed by the site's robots.txt")
            response = self._send(current, address, headers or {})
            if response.status in (301, 302, 303, 307, 308):
                target = response.headers.get("location")
                if not target:
                    raise FetchError(current, f"HTTP {response.status} redirect without a Location")
                current = urljoin(current, target)
                if current in seen:
                    raise FetchError(url, f"redirect loop (back to {current})")
                seen.add(current)
                continue
            return self._check(url, response, accept)
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    def _check(self, url: str, response: Response, accept: tuple[str, ...]) -> Response:
        if response.status == 304:
            return response
        if response.status >= 400:
            raise FetchError(url, f"HTTP {response.status}")
        if response.status != 200:
            raise FetchError(url, f"unexpected HTTP status {response.status}")
        if accept and response.content_type not in accept:
            raise FetchError(url, f"content type {response.content_type or '(none)'!r} is not one of "
                                  f"{', '.join(accept)}")
        return response

    def _checked_address(self, url: str) -> str:
        """The address to connect to for ``url``, after the scheme and SSRF checks."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only http:// and https:// URLs can be fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = self.resolver(parts.hostname, port)
        except FetchError as err:
            raise FetchError(url, err.problem) from err
        if not addresses:
            raise FetchError(url, f"host {parts.hostname} has no address")
        if not self.policy.allow_private:
            bad = [a for a in addresses if not is_public(a)]
            if bad:
                raise FetchError(url, f"non-public address refused: {parts.hostname} resolves to "
                                      f"{bad[0]} (private, loopback, link-local or metadata)")
        return addresses[0]

    def _send(self, url: str, address: str, headers: Mapping[str, str]) -> Response:
        """One request to ``url`` at the checked ``address``, paced per host."""
        self._pace(urlsplit(url).hostname or "")
        request = Request(url=url, address=address,
                          headers={"user-agent": self.policy.user_agent, **headers},
                          max_bytes=self.policy.max_bytes, timeout=self.policy.timeout)
        return self.transport(request)

    def _pace(self, host: str) -> None:
        """Wait so that two requests to one host are ``min_interval`` (or Crawl-delay) apart."""
        interval = self.policy.min_interval
        robots = self._robots.get(host)
        if robots is not None:
            delay = robots.crawl_delay(self.policy.user_agent)
            interval = max(interval, float(delay or 0))
        last = self._last.get(host)
        now = self.clock()
        if last is not None and now - last < interval:
            self.sleep(interval - (now - last))
        self._last[host] = self.clock()

    def _robots_allow(self, url: str) -> bool:
        """robots.txt decision for ``url`` (RFC 9309: 4xx = no rules, 5xx/unreachable = all disallowed)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host not in self._robots:
            self._robots[host] = self._load_robots(parts.scheme, parts.netloc)
        robots = self._robots[host]
        return True if robots is None else robots.can_fetch(self.policy.user_agent, url)

    def _load_robots(self, scheme: str, netloc: str) -> urllib.robotparser.RobotFileParser | None:
        robots_url = urlunsplit((scheme, netloc, "/robots.txt", "", ""))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            response = self._send(robots_url, self._checked_address(robots_url), {})
        except FetchError as err:
            log.warning("%s: robots.txt unreachable (%s); treating the site as disallowed",
                        robots_url, err.problem)
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        if 400 <= response.status < 500 or response.status in (301, 302, 303, 307, 308):
            return None
        if response.status != 200:
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        return parser


class HttpxTransport:
    """The real transport: httpx, pinned to the checked address, streamed with a byte cap."""

    def __init__(self, policy: FetchPolicy) -> None:
        import httpx

        self._httpx = httpx
        self.client = httpx.Client(follow_redirects=False, trust_env=False,
                                   timeout=httpx.Timeout(policy.timeout))

    def __call__(self, request: Request) -> Response:
        httpx = self._httpx
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        target, extensions = request.url, {}
        if request.address is not None:
            # Connect to the address we checked, while Host and the TLS certificate name stay the host's.
            ip = f"[{request.address}]" if ":" in request.address else request.address
            netloc = ip + (f":{parts.port}" if parts.port else "")
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            extensions = {"sni_hostname": host}
        headers = {"host": parts.netloc, "accept-encoding": "gzip, deflate", **request.headers}
        try:
            with self.client.stream("GET", target, headers=headers, extensions=extensions,
                                    timeout=request.timeout) as answer:
                declared = int(answer.headers.get("content-length") or 0)
                if declared > request.max_bytes:
                    raise FetchError(request.url, f"response is {declared} bytes, above the "
                                                  f"{request.max_bytes}-byte limit")
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > request.max_bytes:
                        raise FetchError(request.url, f"response exceeds the {request.max_bytes}-byte limit")
                return Response(url=request.url, status=answer.status_code,
                                headers={k.lower(): v for k, v in answer.headers.items()},
                                body=bytes(body))
        except httpx.TimeoutException as err:
            raise FetchError(request.url, f"timed out ({type(err).__name__})") from err
        except httpx.HTTPError as err:
            raise FetchError(request.url, f"network error: {err}") from err

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


def fetch_article(fetcher: Fetcher, url: str) -> Article:
    """Fetch one article page and extract its main text; ``FetchError``/``InputError`` name the URL."""
    from polybius.ingest.html import article_from_html
    from polybius.ingest.text import article_from_text

    response = fetcher.get(url, accept=ARTICLE_TYPES)
    if response.content_type == "text/plain":
        return article_from_text(decode(response.body, url), source=url, url=url)
    return article_from_html(response.body, source=url, url=url)
