"""``polybius bench api`` pieces on a small scale: synthetic articles honour the contract."""

from __future__ import annotations

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from polybius.contract import problems
from polybius.serve.bench import (
    ApiBenchReport,
    Run,
    _response_head,
    fill,
    load,
    synthetic_doc,
    typical_queries,
)
from polybius.store import Store


def test_synthetic_articles_honour_the_contract() -> None:
    rng = random.Random(1)
    for n in range(20):
        assert problems(synthetic_doc(n, rng).to_json()) == []


def test_fill_writes_the_requested_number_of_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert fill(url, 50) == 50
    with Store(url) as store:
        assert store.summary().events == 50


def test_typical_queries_are_event_list_paths() -> None:
    paths = typical_queries(random.Random(2), 30)
    assert all(p.startswith("/events?limit=50") for p in paths)
    assert any("type=" in p for p in paths) and any("since=" in p for p in paths)


def test_report_gives_percentiles_of_every_run() -> None:
    report = ApiBenchReport(events=10, canonical=8, workers=2, runs=[
        Run("canonical", 2, 0, 1.0, [1.0, 2.0, 3.0, 40.0]), Run("report", 1, 0, 1.0, [1.0, 1.0])])
    assert report.runs[0].percentile(50) == 2.5
    assert [r["p50_ms"] for r in report.to_json()["runs"]] == [2.5, 1.0]
    assert "level=report" in report.render() and "p95" in report.render()


def test_runs_report_cpu_per_request_when_measured() -> None:
    run = Run("canonical", 32, 0, 2.0, [1.0] * 400, server_cpu_s=0.8, client_cpu_s=0.1)
    j = run.to_json()
    assert (j["server_cpu_ms_per_request"], j["client_cpu_ms_per_request"]) == (2.0, 0.25)
    assert Run("report", 1, 0, 1.0, [1.0]).to_json()["server_cpu_ms_per_request"] is None
    report = ApiBenchReport(events=10, canonical=8, workers=2, runs=[run], relink_s=1.0, refresh_s=2.0)
    assert "4/s" in report.render() and "server 2.0 ms" in report.render()


class _Events(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        body = b'{"path":"%s"}' % self.path.encode() if self.path != "/bad" else b"oops"
        self.send_response(200 if self.path != "/missing" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_load_sends_every_path_over_keep_alive_and_counts_failures() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Events)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = [f"/events?limit={i}" for i in range(40)] + ["/bad", "/missing"]
        latencies, errors, seconds = load(server.server_address[1], paths, 4, 30.0)
    finally:
        server.shutdown()
        server.server_close()
    assert len(latencies) == 42 and errors == 2 and seconds > 0


def test_a_response_head_gives_status_and_length() -> None:
    assert _response_head(b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n") == (200, 12)
    with pytest.raises(RuntimeError, match="Content-Length"):
        _response_head(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
