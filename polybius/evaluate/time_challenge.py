"""Event dating on the news challenge set ``tests/data/time_challenge.yaml`` (our own sentences).

Each item gives a sentence, its publication date, the trigger word of one event and the date
the event happened as a TIMEX3 value (its granularity is the expected precision). The event is
built on that trigger (so event detection is not what is measured), dated by
``polybius.extract.times.date_events``, and counted correct when its (start, end, precision)
equal those of the gold value and its basis is "publication" exactly when the item says so.
``accuracy`` is the share of correct items; ``fallback_precision`` the share of
publication-basis answers that were expected to be.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from polybius.errors import EvaluationError
from polybius.evaluate.report import Progress, Report, Table
from polybius.extract.timex import value_range

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

CHALLENGE = Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "time_challenge.yaml"


@dataclass(frozen=True)
class Item:
    """One challenge sentence."""

    text: str
    published: date
    trigger: str
    value: str
    case: str
    publication: bool


def _item(raw: Any, n: int) -> Item:
    try:
        text, trigger, value = str(raw["text"]), str(raw["trigger"]), str(raw["value"])
        published = raw["published"]
        if not isinstance(published, date) or trigger not in text:
            raise ValueError("published must be a date and trigger a word of text")
        if value_range(value)[0] is None:
            raise ValueError(f"value {value!r} is not a calendar period")
        return Item(text, published, trigger, value, str(raw.get("case", "")),
                    raw.get("basis") == "publication")
    except (KeyError, TypeError, ValueError) as err:
        raise EvaluationError(f"time challenge item {n}: {err}") from err


def load(path: Path = CHALLENGE) -> list[Item]:
    """The challenge items; EvaluationError naming the item when one is malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise EvaluationError(f"time challenge: cannot read {path}: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise EvaluationError(f"time challenge: {path} must hold a list under 'items'")
    return [_item(raw, n) for n, raw in enumerate(data["items"], 1)]


def run(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
        on_progress: Progress | None = None) -> Report:
    """``polybius eval time-challenge``: the set ships with the tests, so ``data_dir`` is unused."""
    return evaluate(CHALLENGE, pipeline.config.model, limit=limit)


def evaluate(path: Path = CHALLENGE, model: str | None = None,
             limit: int | None = None) -> Report:
    """Event-date accuracy at the stated precision on the challenge set (first ``limit`` items)."""
    from polybius import nlp
    from polybius.extract import Context
    from polybius.extract.times import date_events, extract_times
    from polybius.model import Event, Evidence, Trigger

    started = time.perf_counter()
    items = load(path)[:limit]
    docs = nlp.parse_many((i.text for i in items), model or nlp.DEFAULT_MODEL)
    correct, fallbacks, right_fallbacks = 0, 0, 0
    misses: Counter[str] = Counter()
    wrong = Table(["case", "text", "gold", "system (basis)"])
    for item, doc in zip(items, docs):
        ctx = Context(published=item.published)
        at = item.text.index(item.trigger)
        event = Event(id="e1", type="ASSAULT", evidence=[Evidence(
            span=(0, len(item.text)), trigger=Trigger(item.trigger, (at, at + len(item.trigger))))])
        date_events(doc, ctx, [event], extract_times(doc, ctx))
        got = event.date
        start, end, precision = value_range(item.value)
        is_fallback = got.basis == "publication"
        ok = ((got.start, got.end, got.precision) == (
            start.isoformat() if start else None, end.isoformat() if end else None, precision)
              and is_fallback == item.publication)
        correct += ok
        fallbacks += is_fallback
        right_fallbacks += is_fallback and item.publication
        if not ok:
            misses[item.case] += 1
            wrong.rows.append([item.case, item.text, item.value,
                               f"{got.start}..{got.end} {got.precision} ({got.basis})"])
    report = Report("time-challenge", {
        "accuracy": correct / len(items) if items else 0.0,
        "fallback_precision": right_fallbacks / fallbacks if fallbacks else 1.0,
    }, {"wrong answers": wrong}, n=len(items))
    report.seconds = time.perf_counter() - started
    return report
