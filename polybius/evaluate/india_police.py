"""IndiaPoliceEvents: document-level police-action labels (KILL, ARREST, FORCE, FAIL, ANY_ACTION).

Gold: ``events/india_police_events/docs.jsonl`` (text, labels) joined with ``metadata.jsonl``
(publication date, url). Every sentence of every article was annotated, so recall is unbiased.

The labels are about what *police* did, so an event counts only when the police are involved:
an actor of the event has sector COP, or its text names a police force (``POLICE`` below); or the
event has no actor at all and its evidence sentence names the police (agentless passives such as
"99 persons were killed in police firing"; for KILL and FORCE, not when the sentence names them
only as its source or as a place: "two were killed, police said"). Events whose factuality is future, hypothetical,
negated or denied did not happen and are skipped, except for FAIL. A document gets label

* KILL       a police ASSAULT with ``size.killed`` > 0 or a killing trigger (``KILL_TRIGGER``);
* FORCE      any police ASSAULT (KILL implies FORCE, as in the gold);
* ARREST     a COERCE with mode ``arrest`` or an arrest trigger, or ``size.arrested`` > 0, by the
             police or with no actor (arrests are made by the police in these reports);
* FAIL       a police event of any type that is negated, or a trigger saying they failed;
* ANY_ACTION any police event that happened (so any of KILL/FORCE/ARREST too).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import actors_of, require, run_pipeline, sentence_of
from polybius.evaluate.report import Progress, Report, prf_table
from polybius.model import Article, Document, Event

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

DOCS = Path("events/india_police_events/docs.jsonl")
META = Path("events/india_police_events/metadata.jsonl")
LABELS = ("KILL", "ARREST", "FORCE", "FAIL", "ANY_ACTION")
POLICE_SECTORS = frozenset({"COP"})
# Gujarat 2002 reports name the police and the paramilitary forces doing police work (RAF, CRPF,
# SRP, BSF); the army is not police and is left out.
POLICE = re.compile(
    r"\b(police|policem[ae]n|cops?|constables?|constabulary|inspectors?|sub-inspectors?|"
    r"\bsp\b|dsp|rapid action force|raf|crpf|srp|bsf|paramilitary|"
    r"security forces|law enforcement)\b", re.I)
# Police named only as the source of a report or as a place do not act in the event:
# "two were killed, police said", "according to the police", "under Khadia police station".
NOT_ACTING = re.compile(
    r"\b(according to (the )?|(the )?[\w-]+ )?(police|cops?|officials?)( \w+){0,4}"
    r"( (said|says|say|told|added|reported|confirmed|stated|informed|claimed|sources?|spokesm[ae]n)\b)"
    r"|\bpolice (station|control room|headquarters|chowky|chowki|post|lines|commissionerate)s?\b"
    r"|\baccording to (the )?police\b", re.I)
KILL_TRIGGER = re.compile(r"kill|shot dead|shoot dead|gunned down|murder|dead|death|lynch", re.I)
ARREST_TRIGGER = re.compile(r"arrest|detain|detention|custody|nab|apprehend|round(ed)? up|held", re.I)
FAIL_TRIGGER = re.compile(r"fail|did not|didn't|refus|inaction|mute spectator|look(ed)? on", re.I)
DID_NOT_HAPPEN = frozenset({"future", "hypothetical", "negated", "denied"})


@dataclass(frozen=True)
class GoldDoc:
    id: int
    text: str
    labels: frozenset[str]
    published: date | None
    url: str | None


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as err:
                    raise EvaluationError(f"india-police: {path} line {n}: {err}") from err


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldDoc]:
    """The documents in file order (first ``limit``), with their publication dates."""
    docs_path = require(data_dir / DOCS, "india-police")
    meta = {r["doc_id"]: r for r in _jsonl(require(data_dir / META, "india-police"))}
    gold = []
    for r in _jsonl(docs_path):
        md = meta.get(r["doc_id"], {})
        gold.append(GoldDoc(r["doc_id"], r["doc_text"], frozenset(r["doc_labels"]),
                            date.fromisoformat(md["date"]) if md.get("date") else None,
                            md.get("url")))
        if limit is not None and len(gold) >= limit:
            break
    return gold


def _triggers(event: Event) -> str:
    return " ".join(ev.trigger.text for ev in event.evidence)


def police_involved(doc: Document, event: Event, *, acting: bool = False) -> bool:
    """An actor is police (sector COP or a police name), or no actor and the sentence names police;
    with ``acting``, naming them only as the source of the report or as a place does not count
    ("two were killed, police said", "under X police station")."""
    actors = actors_of(doc, event.actors)
    if any(a.sector in POLICE_SECTORS or POLICE.search(f"{a.text} {a.name}") for a in actors):
        return True
    sentence = sentence_of(doc, event)
    return not actors and bool(POLICE.search(NOT_ACTING.sub(" ", sentence) if acting else sentence))


def labels_of(doc: Document) -> set[str]:
    """The document labels our events imply (the mapping in the module docstring)."""
    out: set[str] = set()
    for event in doc.events:
        happened = event.factuality.status not in DID_NOT_HAPPEN
        police = police_involved(doc, event)
        if police and (event.factuality.status == "negated" or FAIL_TRIGGER.search(_triggers(event))):
            out.add("FAIL")
        if not happened:
            continue
        if event.type == "COERCE" and (police or not event.actors) and (
                "arrest" in event.mode or ARREST_TRIGGER.search(_triggers(event))
                or (event.size.arrested or 0) > 0):
            out |= {"ARREST", "ANY_ACTION"}
        if not police:
            continue
        out.add("ANY_ACTION")
        # Violence in a sentence that names the police only as its source is not police force.
        if event.type == "ASSAULT" and police_involved(doc, event, acting=True):
            out.add("FORCE")
            if (event.size.killed or 0) > 0 or KILL_TRIGGER.search(_triggers(event)):
                out.add("KILL")
    return out


def score(gold: list[GoldDoc], predicted: list[set[str]]) -> Report:
    """Per-label precision/recall/F1 over documents."""
    metrics: dict[str, float] = {}
    rows = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g.labels and label in p)
        fp = sum(1 for g, p in zip(gold, predicted) if label not in g.labels and label in p)
        fn = sum(1 for g, p in zip(gold, predicted) if label in g.labels and label not in p)
        c = m.PRF(tp, fp, fn)
        metrics |= {f"p_{label}": c.precision, f"r_{label}": c.recall, f"f1_{label}": c.f1}
        rows.append((label, c.precision, c.recall, c.f1, tp + fn))
    return Report("india-police", metrics, n=len(gold), details={"per label": prf_table(rows)})


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Run the pipeline on each article (raw text, dated by its metadata) and score."""
    start = time.perf_counter()
    gold = load_gold(data_dir, limit)
    articles = [Article(text=g.text, published=g.published, url=g.url) for g in gold]
    docs = run_pipeline(pipeline, articles, on_progress)
    report = score(gold, [labels_of(d) for d in docs])
    report.seconds = time.perf_counter() - start
    return report
