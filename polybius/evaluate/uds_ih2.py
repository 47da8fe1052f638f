"""UDS-IH2 "It Happened" (White et al. 2016; Rudinger et al. 2018): did the predicate happen?

Gold: ``news/factuality_uds_ih2/uds_ih2_with_text.jsonl.xz`` (the dev split, 2,660 predicates in
English Web Treebank sentences: weblogs, emails, reviews, not news). Each predicate has several
annotator responses (Happened true/false, Confidence 0–4).

Gold value: each kept response (``Keep`` true and Happened true/false) maps to [−3, 3] with the
sign of Happened and magnitude 3·Confidence/4, and a predicate's value is the mean over its kept
responses; this is the scale Rudinger et al. (2018) report MAE and Pearson r on (the exact
aggregation is described in the MANIFEST; predicates without a kept response are skipped).

Our value: the sentence (tokens joined by spaces) is parsed and our factuality rules are asked
for the status of an event at the predicate token, then mapped to the same scale — a fixed
table, not fitted to this data:

    asserted 3   reported 2.25   claimed 1.5   disputed 0   hypothetical −1
    future −2.25   denied −2.25   negated −3

``accuracy`` compares three classes: gold value ≥ 1 happened, ≤ −1 not, otherwise uncertain;
ours asserted/reported → happened, negated/denied/future → not, claimed/disputed/hypothetical →
uncertain. Metrics: ``pearson``, ``mae``, ``accuracy``.
"""

from __future__ import annotations

import json
import lzma
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius import nlp
from polybius.errors import EvaluationError
from polybius.evaluate.common import require
from polybius.evaluate.factuality_challenge import statuses_at
from polybius.evaluate.report import Progress, Report, Table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("news/factuality_uds_ih2/uds_ih2_with_text.jsonl.xz")
VALUE = {"asserted": 3.0, "reported": 2.25, "claimed": 1.5, "disputed": 0.0, "hypothetical": -1.0,
         "future": -2.25, "denied": -2.25, "negated": -3.0}
CLASS = {"asserted": "happened", "reported": "happened", "negated": "not", "denied": "not",
         "future": "not", "claimed": "uncertain", "disputed": "uncertain", "hypothetical": "uncertain"}


@dataclass(frozen=True)
class Item:
    """One predicate: sentence tokens, its 0-based index, the gold value on [−3, 3]."""

    tokens: list[str]
    index: int
    value: float

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def span(self) -> tuple[int, int]:
        start = sum(len(t) + 1 for t in self.tokens[:self.index])
        return start, start + len(self.tokens[self.index])


def gold_value(responses: list[dict[str, Any]]) -> float | None:
    """Mean over kept responses of ±3·Confidence/4 (sign from Happened); None if none kept."""
    values = []
    for r in responses:
        happened = str(r.get("Happened", "")).lower()
        if str(r.get("Keep", "")).lower() != "true" or happened not in ("true", "false"):
            continue
        try:
            confidence = float(r["Confidence"])
        except (KeyError, ValueError):
            continue
        values.append((1 if happened == "true" else -1) * 3 * confidence / 4)
    return sum(values) / len(values) if values else None


def gold_class(value: float) -> str:
    return "happened" if value >= 1 else "not" if value <= -1 else "uncertain"


def load_gold(data_dir: Path, limit: int | None = None) -> list[Item]:
    """The dev predicates with a gold value, in file order (first ``limit``)."""
    path = require(data_dir / GOLD, "uds-ih2")
    items = []
    try:
        with lzma.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                row = json.loads(line)
                value = gold_value(row.get("responses", []))
                index = int(row["pred_token"]) - 1
                if value is None or not 0 <= index < len(row["tokens"]):
                    continue
                items.append(Item(list(row["tokens"]), index, value))
                if limit is not None and len(items) >= limit:
                    break
    except (OSError, lzma.LZMAError, ValueError, KeyError) as err:
        raise EvaluationError(f"uds-ih2: cannot read {path}: {err}") from err
    if not items:
        raise EvaluationError(f"uds-ih2: no predicates with kept responses in {path}")
    return items


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson's r; 0 when either side is constant."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return cov / (sx * sy) if sx and sy else 0.0


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Score our status at every gold predicate on the [−3, 3] scale and in three classes."""
    start = time.perf_counter()
    items = load_gold(data_dir, limit)
    statuses: list[str] = []
    parsed = nlp.parse_many((i.text for i in items), pipeline.config.model, pipeline.config.batch_size)
    for n, (item, doc) in enumerate(zip(items, parsed), start=1):
        statuses.append(statuses_at(doc, [item.span])[0].status)
        if on_progress is not None and n % 100 == 0:
            on_progress(n, len(items))
    gold = [i.value for i in items]
    pred = [VALUE[s] for s in statuses]
    gold_cls = [gold_class(v) for v in gold]
    pred_cls = [CLASS[s] for s in statuses]
    accuracy = sum(g == p for g, p in zip(gold_cls, pred_cls)) / len(items)
    by_status = Table(["our status", "items", "mean gold value"],
                      [[s, statuses.count(s), sum(g for g, t in zip(gold, statuses) if t == s) / statuses.count(s)]
                       for s in VALUE if s in statuses])
    report = Report("uds-ih2", {"pearson": pearson(gold, pred),
                                "mae": sum(abs(g - p) for g, p in zip(gold, pred)) / len(items),
                                "accuracy": accuracy},
                    details={"gold value per predicted status": by_status}, n=len(items))
    report.notes.append("genre: English Web Treebank (weblogs, emails, reviews), not news; "
                        f"always answering 'happened' would score accuracy {gold_cls.count('happened') / len(items):.3f}")
    report.seconds = time.perf_counter() - start
    return report
