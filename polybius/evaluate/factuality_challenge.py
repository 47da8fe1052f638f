"""Scorer for the factuality challenge set (``tests/data/factuality_challenge.yaml``).

Each item is a short text, a trigger word (its first whole-word occurrence is the event) and the
gold status. The scorer parses the text, runs the actor and quote extractors, builds one event
at the trigger and asks ``assign_factuality`` for its status, so it measures the factuality
rules alone (not the event lexicon). Metrics: ``macro_f1`` over the eight statuses, ``accuracy``,
and the confusion of gold (rows) against predicted (columns).

    python -m polybius.evaluate.factuality_challenge tests/data/factuality_challenge.yaml
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Doc

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.report import Report, Table, prf_table
from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.factuality import assign_factuality
from polybius.extract.places import extract_places
from polybius.extract.quotes import extract_quotes
from polybius.model import FACTUALITY, Event, Evidence, Factuality, Trigger


@dataclass(frozen=True)
class Item:
    """One challenge sentence: gold status, trigger word, text."""

    status: str
    trigger: str
    text: str

    def trigger_span(self) -> tuple[int, int]:
        found = re.search(rf"\b{re.escape(self.trigger)}\b", self.text)
        if found is None:
            raise EvaluationError(f"factuality challenge: trigger {self.trigger!r} not in {self.text!r}")
        return found.span()


def load_items(path: Path) -> list[Item]:
    """The items of a challenge YAML file; a malformed item is named in the error."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise EvaluationError(f"factuality challenge: cannot read {path}: {err}") from err
    items = []
    for n, raw in enumerate((data or {}).get("items") or [], start=1):
        if not (isinstance(raw, list) and len(raw) == 3 and all(isinstance(x, str) for x in raw)
                and raw[0] in FACTUALITY):
            raise EvaluationError(f"factuality challenge: {path} item {n}: expected "
                                  f"[status, trigger, text] with a status in {FACTUALITY}, got {raw!r}")
        item = Item(*raw)
        item.trigger_span()
        items.append(item)
    if not items:
        raise EvaluationError(f"factuality challenge: {path} has no items")
    return items


def statuses_at(doc: Doc, spans: Sequence[tuple[int, int]]) -> list[Factuality]:
    """The factuality our rules give an event at each character span of ``doc`` (after the
    actor and quote extractors ran, as in the pipeline). Shared by the factuality scorers."""
    ctx = Context()
    actors = extract_actors(doc, ctx, extract_places(doc, ctx))
    quotes = extract_quotes(doc, ctx, actors)
    events = [Event(id=f"e{n}", type="ASSAULT",
                    evidence=[Evidence(span=(0, len(doc.text)), trigger=Trigger(doc.text[s:e], (s, e)))])
              for n, (s, e) in enumerate(spans, start=1)]
    assign_factuality(doc, ctx, events, quotes, actors)
    return [e.factuality for e in events]


def predict(item: Item, doc: Doc) -> str:
    """The status our rules give the event at the item's trigger."""
    return statuses_at(doc, [item.trigger_span()])[0].status


def score(items: list[Item], parse_many: Callable[[list[str]], list[Doc]]) -> Report:
    """Macro-F1, accuracy, per-status P/R/F1 and the confusion matrix."""
    start = time.perf_counter()
    docs = parse_many([i.text for i in items])
    gold = [i.status for i in items]
    pred = [predict(i, d) for i, d in zip(items, docs, strict=True)]
    labels = m.per_label(gold, pred)
    rows = [(s, labels[s].precision, labels[s].recall, labels[s].f1, gold.count(s))
            for s in FACTUALITY if s in labels]
    macro = sum(labels[s].f1 for s in FACTUALITY if s in gold) / len(set(gold))
    confusion = Table(["gold \\ predicted", *FACTUALITY],
                      [[g, *(sum(1 for a, b in zip(gold, pred) if a == g and b == p) for p in FACTUALITY)]
                       for g in FACTUALITY])
    report = Report("factuality-challenge", {"macro_f1": macro, "accuracy": m.accuracy(gold, pred)},
                    details={"per status": prf_table(rows), "confusion": confusion}, n=len(items))
    report.notes += [f"wrong: [{g} -> {p}] {i.text}" for i, g, p in zip(items, gold, pred) if g != p]
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str]) -> int:
    """Score the challenge file given on the command line and print the report."""
    from polybius import nlp

    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    report = score(load_items(Path(argv[0])), lambda texts: list(nlp.parse_many(texts)))
    print(report.render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
