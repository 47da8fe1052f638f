"""GET /events per kind of page, two code trees served in turn against one 100k store.

``polybius bench api`` times first pages at both levels on a fresh store. This script keeps
one store (built once: ~3 min) and alternates the servers of two code trees on it, round by
round, timing each kind of page with 32 clients, so a before/after ratio is measured under
the same load of the machine:

- ``canonical``: first pages of typical queries (as ``polybius bench api``);
- ``cursor``: the second page of the same kind of queries (``cursor=`` from the first);
- ``min_sources``: first pages with ``min_sources=2``;
- ``count``: first pages with ``count=true``;
- ``report``: first pages with ``level=report``.

    git archive <before-commit> polybius | tar -x -C /tmp/before
    PYTHONPATH=. .venv/bin/python benchmarks/api_pages.py --db /tmp/api.db \\
        --before /tmp/before --after . [--rounds 2] [--requests 1600] [--time-limit 10]

Each line of output is one run as JSON (``Run.to_json`` plus server, round and kind).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

from polybius.serve.bench import (
    fill,
    free_port,
    load,
    start_server,
    stop_server,
    timed_load,
    typical_queries,
)
from polybius.serve.fastpath import parse_params
from polybius.serve.pages import event_page
from polybius.store import Store

KINDS = {"canonical": "", "cursor": "", "min_sources": "&min_sources=2", "count": "&count=true",
         "report": "&level=report"}


def build(url: str, events: int) -> None:
    """Fill, link and build the canonical records of a new store (as ``run_api_bench``)."""
    fill(url, events)
    with Store(url) as store:
        store.relink(refresh=False)
        store.refresh_canonical(everything=True)
        store.analyze()


def second_pages(store: Store, rng: random.Random, n: int) -> list[str]:
    """Paths of the second page of typical queries that have one (the cursor of the first)."""
    out: list[str] = []
    while len(out) < n:
        for path in typical_queries(rng, n):
            params = parse_params(path.split("?", 1)[1].encode())
            assert params is not None
            cursor = json.loads(event_page(store, params, 500))["next_cursor"]
            if cursor:
                out.append(f"{path}&cursor={cursor}")
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="the store file (built when missing)")
    ap.add_argument("--before", required=True, help="code tree served as 'before' (PYTHONPATH)")
    ap.add_argument("--after", required=True, help="code tree served as 'after' (PYTHONPATH)")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--requests", type=int, default=1600)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--kinds", default=",".join(KINDS))
    args = ap.parse_args()
    url = f"sqlite:///{args.db.resolve()}"
    if not args.db.exists():
        build(url, args.events)
    rng = random.Random(11)
    kinds = args.kinds.split(",")
    with Store(url) as store:
        paths = {k: second_pages(store, rng, args.requests) if k == "cursor"
                 else [p + KINDS[k] for p in typical_queries(rng, args.requests)] for k in kinds}
    trees = {"before": str(Path(args.before).resolve()), "after": str(Path(args.after).resolve())}
    for r in range(args.rounds):
        for name in ("before", "after") if r % 2 == 0 else ("after", "before"):
            port = free_port()
            proc = start_server(url, port, env=dict(os.environ, PYTHONPATH=trees[name]), workers=2)
            try:
                for kind in kinds:
                    load(port, paths[kind][:2 * args.clients], args.clients, args.time_limit)
                    run = timed_load(proc, port, kind, paths[kind], args.clients, args.time_limit)
                    print(json.dumps(run.to_json() | {"server": name, "round": r, "kind": kind}),
                          flush=True)
            finally:
                stop_server(proc)


if __name__ == "__main__":
    main()
