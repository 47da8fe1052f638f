"""PLOVER gold-standard records: event type per sentence, plus actor/recipient text overlap.

Gold: ``events/plover_gsr/PLOVER_GSR_CAMEO.json`` (the DOCUMENT header record is skipped; the
v0.5b1 labels are mapped to current PLOVER: DEMAND→REQUEST, DISAPPROVE→ACCUSE,
INVESTIGATE→ACCUSE, FIGHT→ASSAULT).

Per sentence the prediction is the type of the highest-confidence event, or "NONE".
``actor_f1`` / ``recipient_f1``: for each sentence whose gold record has source (resp. target)
actors, the bag-of-words F1 (lower-cased ``\\w+`` tokens, multiset intersection) between the
texts of the predicted event's actors (resp. recipients) taken together and the gold
``actorText``s taken together; 0 when we predict no event or no actor; averaged over those
sentences. Sentences without gold actors are not scored for that role.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import actors_of, require, run_pipeline, top_event
from polybius.evaluate.report import Progress, Report, Table, prf_table
from polybius.model import Article, Document

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("events/plover_gsr/PLOVER_GSR_CAMEO.json")
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
              "FIGHT": "ASSAULT"}
NONE = "NONE"


@dataclass(frozen=True)
class GoldSentence:
    """One coded sentence: text, current-PLOVER type, gold actor and recipient texts."""

    id: str
    text: str
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


def _actor_texts(value: Any) -> tuple[str, ...]:
    # "target" is a list of {actorText,...}, "" or absent in the file.
    if not isinstance(value, list):
        return ()
    return tuple(a["actorText"] for a in value if isinstance(a, dict) and a.get("actorText"))


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldSentence]:
    """The coded sentences in file order (first ``limit`` of them)."""
    path = require(data_dir / GOLD, "plover-gsr")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        gold = [GoldSentence(r["id"], r["text"], OLD_LABELS.get(r["event"], r["event"]),
                             _actor_texts(r.get("source")), _actor_texts(r.get("target")))
                for r in records if r.get("event") != "DOCUMENT"]
    except (ValueError, KeyError, TypeError) as err:
        raise EvaluationError(f"plover-gsr: cannot read {path}: {err!r}") from err
    return gold[:limit] if limit is not None else gold


def score(gold: list[GoldSentence], docs: list[Document]) -> Report:
    """Score one Document per gold sentence (same order)."""
    pred_types: list[str] = []
    actor_scores: list[float] = []
    recipient_scores: list[float] = []
    for g, doc in zip(gold, docs, strict=True):
        event = top_event(doc)
        pred_types.append(event.type if event else NONE)
        actors = [a.text for a in actors_of(doc, event.actors)] if event else []
        recipients = [a.text for a in actors_of(doc, event.recipients)] if event else []
        if g.sources:
            actor_scores.append(m.token_overlap_f1(actors, g.sources) if actors else 0.0)
        if g.targets:
            recipient_scores.append(m.token_overlap_f1(recipients, g.targets) if recipients else 0.0)
    gold_types = [g.type for g in gold]
    table = m.per_label(gold_types, pred_types)
    support = {t: gold_types.count(t) for t in table}
    metrics = {
        "type_accuracy": m.accuracy(gold_types, pred_types),
        "type_macro_f1": m.macro_f1(gold_types, pred_types),
        "actor_f1": _mean(actor_scores),
        "recipient_f1": _mean(recipient_scores),
        "coverage": sum(t != NONE for t in pred_types) / len(gold) if gold else 0.0,
    }
    rows = [(t, c.precision, c.recall, c.f1, support[t]) for t, c in table.items()]
    return Report("plover-gsr", metrics, n=len(gold), details={
        "per type": prf_table(rows),
        "confusions (gold -> predicted, count)": _confusions(gold_types, pred_types),
    }, notes=[f"actor_f1 over {len(actor_scores)} sentences with gold sources, "
              f"recipient_f1 over {len(recipient_scores)} with gold targets"])


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _confusions(gold: list[str], pred: list[str], top: int = 12) -> Table:
    counts: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, pred):
        if g != p:
            counts[(g, p)] = counts.get((g, p), 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Table(["gold", "predicted", "count"], [[g, p, n] for (g, p), n in ranked])


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Run the pipeline on each gold sentence and score it."""
    start = time.perf_counter()
    gold = load_gold(data_dir, limit)
    docs = run_pipeline(pipeline, [Article(text=g.text) for g in gold], on_progress)
    report = score(gold, docs)
    report.seconds = time.perf_counter() - start
    return report
