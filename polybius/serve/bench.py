"""``polybius bench api``: latency of GET /events under concurrent clients, on synthetic events.

A temporary SQLite store gets ``events`` synthetic events (5 per article, written through
``Store.add`` without linking, which would dominate the set-up time); a uvicorn server runs in a child
process on 127.0.0.1, and 32 client threads send GET /events with typical filters over
keep-alive connections. The run is bounded in requests and in time, and stops by itself.
"""

from __future__ import annotations

import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from polybius.model import (
    Actor,
    Article,
    Document,
    Event,
    EventDate,
    Evidence,
    Factuality,
    Location,
    Place,
    Size,
    Trigger,
)

# (name, ISO-2, lat, lon): a spread of real places so country and bbox filters have work to do
CITIES = (("Paris", "FR", 48.85, 2.35), ("Lyon", "FR", 45.75, 4.85), ("Nairobi", "KE", -1.29, 36.82),
          ("Mombasa", "KE", -4.04, 39.67), ("Kabul", "AF", 34.53, 69.17), ("Lagos", "NG", 6.45, 3.39),
          ("Kyiv", "UA", 50.45, 30.52), ("Kharkiv", "UA", 49.99, 36.23), ("Bogotá", "CO", 4.61, -74.08),
          ("Manila", "PH", 14.6, 120.98), ("Delhi", "IN", 28.61, 77.21), ("Mosul", "IQ", 36.34, 43.13))
ACTORS = ("Police", "Gunmen", "Protesters", "The army", "Rebels", "The government", "Farmers",
          "Al-Shabaab", "Students", "The ministry")
STATUSES = ("asserted",) * 6 + ("reported",) * 3 + ("claimed", "denied", "disputed", "future")
VERBS = {"ASSAULT": "attacked", "PROTEST": "protested against", "ACCUSE": "accused",
         "COERCE": "arrested", "CONSULT": "met", "AGREE": "agreed with", "THREATEN": "threatened",
         "REQUEST": "asked", "SUPPORT": "backed", "REJECT": "rejected"}
START = date(2023, 1, 1)
EVENTS_PER_ARTICLE = 5


def synthetic_doc(n: int, rng: random.Random) -> Document:
    """Article ``n``: five one-sentence events with real spans (no NLP)."""
    text, actors, places, events = "", [], [], []
    for i in range(1, EVENTS_PER_ARTICLE + 1):
        etype = rng.choice(tuple(VERBS))
        city, cc, lat, lon = rng.choice(CITIES)
        who, whom = rng.sample(ACTORS, 2)
        day = START + timedelta(days=rng.randrange(730))
        start = len(text)
        sentence = f"{who} {VERBS[etype]} {whom.lower()} in {city} on {day.isoformat()}."
        text += sentence + " "
        a_id, r_id, p_id = f"a{2 * i - 1}", f"a{2 * i}", f"p{i}"
        actors += [Actor(id=a_id, text=who, span=(start, start + len(who)), name=who, rule="bench"),
                   Actor(id=r_id, text=whom.lower(), span=(sentence.index(whom.lower()) + start,
                                                          sentence.index(whom.lower()) + start + len(whom)),
                         name=whom.lower(), rule="bench")]
        p0 = start + sentence.index(" in ") + 4
        places.append(Place(id=p_id, text=city, span=(p0, p0 + len(city)), name=city, lat=lat,
                            lon=lon, country_code=cc, resolution="city", confidence=0.9, rule="bench"))
        v0 = start + len(who) + 1
        events.append(Event(
            id=f"e{i}", type=etype, mode=[], context=[], actors=[a_id], recipients=[r_id],
            date=EventDate(start=day.isoformat(), end=day.isoformat(), precision="day", basis="explicit"),
            location=Location(place=p_id, resolution="city"),
            size=Size(killed=rng.choice((None, None, 0, 1, 3)) if etype == "ASSAULT" else None),
            factuality=Factuality(status=rng.choice(STATUSES)),
            evidence=[Evidence(span=(start, start + len(sentence)),
                               trigger=Trigger(VERBS[etype], (v0, v0 + len(VERBS[etype]))))],
            rule="bench", confidence=0.8))
    article = Article(text=text.strip(), title=f"Synthetic report {n}",
                      url=f"https://outlet{n % 7}.example/{n}", published=START + timedelta(days=n % 730))
    return Document(article=article, actors=actors, places=places, events=events)


def fill(db_url: str, n_events: int, seed: int = 8) -> int:
    """Write about ``n_events`` synthetic events into the store; returns the number written."""
    from polybius.store import Store

    rng = random.Random(seed)
    n_articles = max(1, n_events // EVENTS_PER_ARTICLE)
    with Store(db_url) as store:
        for first in range(0, n_articles, 1000):
            store.add([synthetic_doc(n, rng) for n in range(first, min(first + 1000, n_articles))],
                      link=False)
    return n_articles * EVENTS_PER_ARTICLE


def typical_queries(rng: random.Random, n: int) -> list[str]:
    """Paths of GET /events with the filters a researcher typically combines."""
    out = []
    for _ in range(n):
        params: dict[str, Any] = {"limit": 50}
        pick = rng.randrange(6)
        since = START + timedelta(days=rng.randrange(700))
        if pick in (0, 3):
            params["type"] = rng.choice(tuple(VERBS))
        if pick in (1, 3, 4):
            params["country"] = rng.choice(CITIES)[1]
        if pick in (2, 3, 4):
            params.update(since=since.isoformat(), until=(since + timedelta(days=30)).isoformat())
        if pick == 4:
            params["status"] = "asserted"
        if pick == 5:
            params.update(actor=rng.choice(ACTORS).lower().split()[-1], sort="-date")
        out.append("/events?" + urlencode(params))
    return out


@dataclass
class Run:
    """Latencies (ms) of one load: a level of GET /events from a number of concurrent clients."""

    level: str
    clients: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    server_cpu_s: float | None = None
    """CPU seconds the server processes used during the run (None where unmeasurable)."""
    client_cpu_s: float | None = None
    """CPU seconds this process (the load generator) used during the run."""

    def per_request_ms(self, seconds: float | None) -> float | None:
        n = len(self.latencies_ms)
        return round(seconds / n * 1000, 2) if seconds is not None and n else None

    def percentile(self, p: int) -> float:
        values = self.latencies_ms
        if not values:
            return float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "clients": self.clients, "requests": len(self.latencies_ms),
                "errors": self.errors, "seconds": round(self.seconds, 2),
                "requests_per_s": round(len(self.latencies_ms) / self.seconds, 1) if self.seconds else None,
                "p50_ms": round(self.percentile(50), 2), "p95_ms": round(self.percentile(95), 2),
                "p99_ms": round(self.percentile(99), 2),
                "server_cpu_ms_per_request": self.per_request_ms(self.server_cpu_s),
                "client_cpu_ms_per_request": self.per_request_ms(self.client_cpu_s)}


@dataclass
class ApiBenchReport:
    """GET /events latencies per level (canonical, report) and client count."""

    events: int
    canonical: int
    """Canonical events (clusters) the synthetic reports form after linking."""
    workers: int
    runs: list[Run] = field(default_factory=list)
    relink_s: float = 0.0
    """Seconds to link every report (``Store.relink`` without the canonical records)."""
    refresh_s: float = 0.0
    """Seconds to build every canonical record (``Store.refresh_canonical``)."""

    def render(self) -> str:
        lines = [f"GET /events on {self.events} synthetic event reports ({self.canonical} canonical "
                 f"events), {self.workers} server worker(s), typical queries drawn at random, no "
                 f"response cache; aim: p95 < 50 ms at 32 clients",
                 f"  linking {self.relink_s:.1f} s; building the {self.canonical} canonical records "
                 f"{self.refresh_s:.1f} s ({self.canonical / self.refresh_s if self.refresh_s else 0:.0f}/s)"]
        for run in self.runs:
            j = run.to_json()
            lines.append(f"  level={run.level:<9} {run.clients:>2} client(s): {j['requests']} requests "
                         f"in {run.seconds:.1f} s ({j['requests_per_s']} req/s), {run.errors} errors; "
                         f"p50 {j['p50_ms']:.1f} ms, p95 {j['p95_ms']:.1f} ms, p99 {j['p99_ms']:.1f} ms; "
                         f"CPU per request: server {j['server_cpu_ms_per_request']} ms, "
                         f"load generator {j['client_cpu_ms_per_request']} ms")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"events": self.events, "canonical": self.canonical, "workers": self.workers,
                "relink_s": round(self.relink_s, 2), "refresh_s": round(self.refresh_s, 2),
                "runs": [r.to_json() for r in self.runs]}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, port: int, env: dict[str, str] | None = None,
                 timeout: float = 60.0, workers: int = 1) -> subprocess.Popen[bytes]:
    """``polybius.serve.run`` in a child process; returns once it answers on 127.0.0.1:port."""
    code = ("import sys; from polybius.serve import run; "
            "run(sys.argv[1], '127.0.0.1', int(sys.argv[2]), workers=int(sys.argv[3]))")
    proc = subprocess.Popen([sys.executable, "-c", code, db_url, str(port), str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"the API server exited with {proc.returncode}: {err[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError(f"the API server did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the child server (terminate, then kill if it lingers)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stderr:
        proc.stderr.close()


def server_cpu(proc: subprocess.Popen[bytes]) -> float | None:
    """CPU seconds used so far by the server process and its workers (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        root = psutil.Process(proc.pid)
        return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return None


def timed_load(proc: subprocess.Popen[bytes], port: int, level: str, paths: list[str], clients: int,
               time_limit: float) -> Run:
    """``load`` with the CPU time of the server and of this process (the clients) around it."""
    server0, client0 = server_cpu(proc), time.process_time()
    latencies, errors, seconds = load(port, paths, clients, time_limit)
    server1, client1 = server_cpu(proc), time.process_time()
    return Run(level, clients, errors, seconds, latencies,
               server_cpu_s=server1 - server0 if server0 is not None and server1 is not None else None,
               client_cpu_s=client1 - client0)


def load(port: int, paths: list[str], clients: int, time_limit: float) -> tuple[list[float], int, float]:
    """Send ``paths`` from ``clients`` concurrent keep-alive connections; returns (latencies ms,
    errors, seconds).

    The clients are coroutines on raw sockets in one event loop, the least CPU a client can
    take from the cores it shares with the server (about a quarter of a millisecond per
    request, as 32 http.client threads under light load; less under contention).
    """
    return asyncio.run(_load(port, paths, clients, time_limit))


async def _load(port: int, paths: list[str], clients: int,
                time_limit: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    queue = list(reversed(paths))
    deadline = time.monotonic() + time_limit

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while queue and time.monotonic() < deadline:
                path = queue.pop()
                t0 = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status, length = _response_head(head)
                body = await reader.readexactly(length)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += 0 if status == 200 and body.startswith(b"{") else 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - t0


def _response_head(head: bytes) -> tuple[int, int]:
    """Status and Content-Length of an HTTP/1.1 response head (the API always sends a length)."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return status, int(value)
    raise RuntimeError(f"response without Content-Length: {lines[0]!r}")


def run_api_bench(events: int = 100_000, clients: int = 32, requests: int = 3200,
                  time_limit: float = 120.0, seed: int = 8, workers: int = 2) -> ApiBenchReport:
    """Fill and link a temporary store, serve it, and time GET /events at both levels.

    Every request is a distinct draw of typical filters (there is no response cache to hit);
    each level is timed with ``clients`` concurrent clients and then with one client alone
    (the service time without queueing), with the CPU time the server and the load generator
    (client threads in this process, sharing the machine's cores) spent per request. Linking
    and building the canonical records are timed too. Everything is removed afterwards.
    """
    from polybius.store import Store

    rng = random.Random(seed)
    report = ApiBenchReport(events=0, canonical=0, workers=workers)
    with tempfile.TemporaryDirectory(prefix="polybius-bench-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        report.events = fill(db_url, events, seed)
        with Store(db_url) as store:
            t0 = time.perf_counter()
            report.canonical = len(set(store.relink(refresh=False).values()))
            t1 = time.perf_counter()
            store.refresh_canonical(everything=True)
            report.relink_s, report.refresh_s = t1 - t0, time.perf_counter() - t1
        port = free_port()
        proc = start_server(db_url, port, workers=workers)
        try:
            for level in ("canonical", "report"):
                extra = "" if level == "canonical" else "&level=report"
                load(port, [p + extra for p in typical_queries(rng, clients * 2)], clients, 30.0)  # warm-up
                for n, count in ((clients, requests), (1, 100)):
                    paths = [p + extra for p in typical_queries(rng, count)]
                    report.runs.append(timed_load(proc, port, level, paths, n, time_limit))
        finally:
            stop_server(proc)
    return report
