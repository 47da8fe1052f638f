"""End-to-end false-fact rate on the bundled sample corpus (``samples/articles/``).

Gold: ``tests/data/samples_factuality_gold.yaml``, the true status of the sample events that did
not happen as told (threats, plans, hypotheticals, negations, claims, disputes) and of some that
did happen but are easy to hedge. An item matches an output event whose evidence sentence
contains the item's text and whose trigger text equals the item's trigger.

* ``false_fact_rate``: of the matched events that did not happen as told, the share output as
  ``asserted`` (the issue's measure; the aim is 0);
* ``nonfact_as_happened``: the same, counting ``reported`` as a false fact too (stricter);
* ``hedged_rate``: of the matched events that did happen, the share output as not happened;
* ``status_accuracy``: matched items whose status is right, ``asserted`` and ``reported`` being
  the same answer for events that happened;
* ``coverage``: the share of gold items the event extractor output at all.

    python -m polybius.evaluate.false_facts
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from polybius.errors import EvaluationError
from polybius.evaluate.report import Report, Table
from polybius.ingest import read_paths
from polybius.model import FACTUALITY, Document, Event

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "samples" / "articles"
GOLD = ROOT / "tests" / "data" / "samples_factuality_gold.yaml"
HAPPENED = frozenset({"asserted", "reported"})


@dataclass(frozen=True)
class GoldEvent:
    """The true status of one sample event, found by trigger text and a piece of its sentence."""

    status: str
    trigger: str
    context: str


def load_gold(path: Path = GOLD) -> list[GoldEvent]:
    """The gold items; a malformed one is named in the error."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise EvaluationError(f"false facts: cannot read {path}: {err}") from err
    items = []
    for n, raw in enumerate((data or {}).get("items") or [], start=1):
        if not (isinstance(raw, list) and len(raw) == 3 and all(isinstance(x, str) for x in raw)
                and raw[0] in FACTUALITY):
            raise EvaluationError(f"false facts: {path} item {n}: expected [status, trigger, context], got {raw!r}")
        items.append(GoldEvent(*raw))
    return items


def find(docs: list[Document], item: GoldEvent) -> Event | None:
    """The output event this gold item describes, or None when it was not extracted."""
    for doc in docs:
        text = doc.article.text
        for event in doc.events:
            for ev in event.evidence:
                if ev.trigger.text == item.trigger and item.context in " ".join(text[ev.span[0]:ev.span[1]].split()):
                    return event
    return None


def score(gold: list[GoldEvent], docs: list[Document]) -> Report:
    """The metrics of the module docstring, and one row per gold item."""
    rows = []
    nonfacts = as_asserted = as_happened = facts = hedged = right = found = 0
    for item in gold:
        event = find(docs, item)
        got = event.factuality.status if event is not None else None
        rows.append([item.status, got or "-", item.trigger, item.context[:60]])
        if got is None:
            continue
        found += 1
        if item.status in HAPPENED:
            facts += 1
            hedged += got not in HAPPENED
            right += got in HAPPENED
        else:
            nonfacts += 1
            as_asserted += got == "asserted"
            as_happened += got in HAPPENED
            right += got == item.status
    metrics = {
        "false_fact_rate": as_asserted / nonfacts if nonfacts else 0.0,
        "nonfact_as_happened": as_happened / nonfacts if nonfacts else 0.0,
        "hedged_rate": hedged / facts if facts else 0.0,
        "status_accuracy": right / found if found else 0.0,
        "coverage": found / len(gold) if gold else 0.0,
    }
    return Report("false-facts", metrics, n=len(gold),
                  details={"items": Table(["gold", "output", "trigger", "context"], rows)},
                  notes=[f"{nonfacts} non-fact and {facts} fact items matched an output event"])


def evaluate(pipeline: Pipeline, gold_path: Path = GOLD, samples: Path = SAMPLES) -> Report:
    """Run the pipeline on the sample corpus and score it against the gold items."""
    start = time.perf_counter()
    articles = list(read_paths([samples]))
    report = score(load_gold(gold_path), list(pipeline.process_many(articles)))
    report.seconds = time.perf_counter() - start
    return report


def main() -> int:
    """Print the report for the bundled corpus."""
    from polybius.pipeline import Pipeline

    print(evaluate(Pipeline()).render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
