"""CASE 2021 Task 2: one of 30 ACLED-style labels per snippet, from our events via a mapping table.

Gold: ``events/case2021_task2/test_set_final_release_with_labels.tsv``. The mapping from PLOVER
type + mode + context (+ weapon/target words in the evidence) to the labels is data:
``polybius/resources/case2021_map.yaml``: the snippet's events ranked by tier, rules following
ACLED's sub-event definitions, and ``no_event`` rules for disasters and crime, which are no PLOVER
event. A snippet with no mappable event and no ``no_event`` match is wrong (NONE / UNMAPPED).
Metrics: ``weighted_f1`` (the shared task's official metric, sklearn ``average="weighted"``),
``accuracy``, ``macro_f1`` (mean over the labels present in gold).
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from polybius.errors import EvaluationError, ResourceError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import actors_of, require, run_pipeline
from polybius.evaluate.report import Progress, Report, Table, prf_table
from polybius.model import Article, Document, Event

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("events/case2021_task2/test_set_final_release_with_labels.tsv")
MAP_FILE = "case2021_map.yaml"
PLOVER_TYPES = frozenset({
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "POL", "SPY", "JUD", "LEG"})
NO_EVENT = "NONE"
UNMAPPED = "UNMAPPED"
_RULE_KEYS = {"label", "types", "modes", "contexts", "trigger", "evidence", "actor",
              "actor_sectors", "recipient_sectors", "not_evidence", "harm", "text"}


@dataclass(frozen=True)
class Rule:
    """One row of the mapping table; every condition given must hold."""

    label: str
    types: frozenset[str]
    modes: frozenset[str] = frozenset()
    contexts: frozenset[str] = frozenset()
    trigger: re.Pattern[str] | None = None
    evidence: re.Pattern[str] | None = None
    actor: str | None = None
    actor_sectors: frozenset[str] = frozenset()
    recipient_sectors: frozenset[str] = frozenset()
    not_evidence: re.Pattern[str] | None = None
    harm: bool | None = None
    text: re.Pattern[str] | None = None

    def matches(self, event: Event, doc: Document) -> bool:
        """True when ``event`` (in ``doc``) satisfies every condition of this rule."""
        if event.type not in self.types:
            return False
        if self.modes and not self.modes & {_norm(x) for x in event.mode}:
            return False
        if self.contexts and not self.contexts & {_norm(x) for x in event.context}:
            return False
        if self.trigger and not any(self.trigger.search(ev.trigger.text) for ev in event.evidence):
            return False
        if self.evidence and not self.evidence.search(_evidence_text(doc, event)):
            return False
        if self.not_evidence and self.not_evidence.search(_evidence_text(doc, event)):
            return False
        if self.text and not self.text.search(doc.article.text):
            return False
        if self.actor_sectors and _first_sector(doc, event) not in self.actor_sectors:
            return False
        if self.recipient_sectors and not self.recipient_sectors & {
                a.sector for a in actors_of(doc, event.recipients)}:
            return False
        if self.harm is not None and self.harm != bool(event.size.killed or event.size.injured):
            return False
        return self.actor is None or _actor_kind(doc, event) == self.actor


def _norm(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def _evidence_text(doc: Document, event: Event) -> str:
    return " ".join(doc.article.text[ev.span[0]:ev.span[1]] for ev in event.evidence)


def _first_sector(doc: Document, event: Event) -> str | None:
    actors = actors_of(doc, event.actors)
    return actors[0].sector if actors else None


def _actor_kind(doc: Document, event: Event) -> str | None:
    actors = actors_of(doc, event.actors)
    if not actors:
        return None
    first = actors[0]
    return "state" if first.kind == "STATE" or (first.sector or "") in STATE_SECTORS else "nonstate"


@lru_cache(maxsize=1)
def load_map() -> tuple[tuple[str, ...], tuple[Rule, ...]]:
    """(labels, rules) from the packaged mapping table, validated."""
    labels, rules, _, _ = _load()
    return labels, rules


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[str, ...], tuple[Rule, ...], tuple[NoEventRule, ...], dict[str, int]]:
    where = f"polybius/resources/{MAP_FILE}"
    data = yaml.safe_load(resources.files("polybius.resources").joinpath(MAP_FILE).read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list) \
            or not isinstance(data.get("rules"), list):
        raise ResourceError(f"{where}: needs a `labels` list and a `rules` list")
    labels = tuple(str(x) for x in data["labels"])
    rules = tuple(_rule(r, i, labels, where) for i, r in enumerate(data["rules"]))
    tiers = data.get("tiers") or []
    if not isinstance(tiers, list) or not all(isinstance(t, list) and set(t) <= PLOVER_TYPES
                                              for t in tiers):
        raise ResourceError(f"{where}: `tiers` must be a list of lists of PLOVER types")
    rank = {etype: n for n, tier in enumerate(tiers) for etype in tier}
    return labels, rules, tuple(_no_event_rule(r, i, labels, where)
                                for i, r in enumerate(data.get("no_event") or [])), rank


@dataclass(frozen=True)
class NoEventRule:
    """A label for a snippet with no mappable event (or only events of the ``over`` types) whose
    text matches ``text``."""

    label: str
    text: re.Pattern[str]
    over: frozenset[str] = frozenset()


def _no_event_rule(raw: Any, i: int, labels: tuple[str, ...], where: str) -> NoEventRule:
    entry = f"{where}: no_event rule {i} ({raw!r})"
    if not isinstance(raw, dict) or not {"label", "text"} <= set(raw) <= {"label", "text", "over"} \
            or raw["label"] not in labels or not set(raw.get("over", [])) <= PLOVER_TYPES:
        raise ResourceError(f"{entry}: needs `label` (one of `labels`), a `text` regex and "
                            f"optionally `over` (PLOVER types)")
    try:
        return NoEventRule(raw["label"], re.compile(raw["text"], re.I), frozenset(raw.get("over", [])))
    except re.error as err:
        raise ResourceError(f"{entry}: bad regex: {err}") from err


def _rule(raw: Any, i: int, labels: tuple[str, ...], where: str) -> Rule:
    entry = f"{where}: rule {i} ({raw!r})"
    if not isinstance(raw, dict) or set(raw) - _RULE_KEYS or "label" not in raw or "types" not in raw:
        raise ResourceError(f"{entry}: needs `label` and `types`; allowed keys {sorted(_RULE_KEYS)}")
    if raw["label"] not in labels:
        raise ResourceError(f"{entry}: label {raw['label']!r} is not in `labels`")
    bad = set(raw["types"]) - PLOVER_TYPES
    if bad:
        raise ResourceError(f"{entry}: unknown PLOVER types {sorted(bad)}")
    if raw.get("harm") not in (None, True, False):
        raise ResourceError(f"{entry}: harm must be true or false")
    if raw.get("actor") not in (None, "state", "nonstate"):
        raise ResourceError(f"{entry}: actor must be `state` or `nonstate`")
    try:
        trigger = re.compile(raw["trigger"], re.I) if raw.get("trigger") else None
        evidence = re.compile(raw["evidence"], re.I) if raw.get("evidence") else None
        not_evidence = re.compile(raw["not_evidence"], re.I) if raw.get("not_evidence") else None
        text = re.compile(raw["text"], re.I) if raw.get("text") else None
    except re.error as err:
        raise ResourceError(f"{entry}: bad regex: {err}") from err
    return Rule(label=raw["label"], types=frozenset(raw["types"]),
                modes=frozenset(_norm(x) for x in raw.get("modes", [])),
                contexts=frozenset(_norm(x) for x in raw.get("contexts", [])),
                trigger=trigger, evidence=evidence, actor=raw.get("actor"),
                actor_sectors=frozenset(raw.get("actor_sectors", [])),
                recipient_sectors=frozenset(raw.get("recipient_sectors", [])),
                not_evidence=not_evidence, harm=raw.get("harm"), text=text)


def map_event(event: Event, doc: Document) -> str | None:
    """The CASE label of one event by the first matching rule, or None."""
    for rule in load_map()[1]:
        if rule.matches(event, doc):
            return rule.label
    return None


def predict(doc: Document) -> str:
    """The snippet's label: a `no_event` rule whose words the text names when every event is of
    its `over` types (relief after a disaster); else the first event that maps, taken by tier
    (material acts before statements), then confidence, then text order; else the first
    `no_event` rule whose words the text names (a disaster is no PLOVER event); else NONE /
    UNMAPPED."""
    _, _, no_event, rank = _load()
    types = {e.type for e in doc.events}
    for rule in no_event:  # "floods ... thousands evacuated": the relief is not the news
        if types and types <= rule.over and rule.text.search(doc.article.text):
            return rule.label
    for event in sorted(doc.events, key=lambda e: (rank.get(e.type, len(rank)), -e.confidence)):
        label = map_event(event, doc)
        if label:
            return label
    for rule in no_event:
        if rule.text.search(doc.article.text):
            return rule.label
    return UNMAPPED if doc.events else NO_EVENT


@dataclass(frozen=True)
class GoldSnippet:
    id: str
    text: str
    label: str


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldSnippet]:
    """The labelled snippets in file order (first ``limit``)."""
    path = require(data_dir / GOLD, "case2021")
    labels = set(load_map()[0])
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != ["id", "EventSnippet", "SubType"]:
        raise EvaluationError(f"case2021: {path} lacks the header id/EventSnippet/SubType")
    gold = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != 3 or row[2] not in labels:
            raise EvaluationError(f"case2021: {path} line {n}: expected id, snippet, one of the 30 labels")
        gold.append(GoldSnippet(*row))
    return gold[:limit] if limit is not None else gold


def score(gold: list[GoldSnippet], predicted: list[str]) -> Report:
    """Score one predicted label per gold snippet (same order)."""
    g = [x.label for x in gold]
    table = m.per_label(g, predicted)
    rows = [(label, c.precision, c.recall, c.f1, g.count(label)) for label, c in table.items()]
    metrics = {"weighted_f1": m.weighted_f1(g, predicted), "accuracy": m.accuracy(g, predicted),
               "macro_f1": m.macro_f1(g, predicted),
               "no_event": predicted.count(NO_EVENT) / len(g) if g else 0.0,
               "unmapped": predicted.count(UNMAPPED) / len(g) if g else 0.0}
    return Report("case2021", metrics, n=len(g), details={
        "per label (NONE = no event, UNMAPPED = events but no rule)": prf_table(rows),
        "predictions per label": Table(["label", "predicted"],
                                       [[lab, predicted.count(lab)] for lab in sorted(set(predicted))]),
    })


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Run the pipeline on every snippet, map its events to a label and score."""
    start = time.perf_counter()
    gold = load_gold(data_dir, limit)
    docs = run_pipeline(pipeline, [Article(text=x.text) for x in gold], on_progress)
    report = score(gold, [predict(d) for d in docs])
    report.seconds = time.perf_counter() - start
    return report
