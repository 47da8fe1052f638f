"""The event-coding challenge set (tests/data/event_challenge.yaml), scored on the full pipeline.

Non-events that contain trigger words must yield no event at all; event sentences must yield
exactly the expected PLOVER types (a missing type is a miss, an extra type a false event) and the
expected sizes. The figures are printed (``pytest -s``) and recorded in docs/EVALUATION.md; the
asserts pin them so a change that invents events or loses them fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from polybius.model import Article, Document
from polybius.pipeline import Pipeline

CHALLENGE = Path(__file__).parent / "data" / "event_challenge.yaml"
SIZES = ("killed", "injured", "arrested")

# Pinned from the measured figures (see docs/EVALUATION.md); raise them when the coder improves.
MAX_FALSE_EVENT_SENTENCES = 0
MIN_EXACT_TYPE_SETS = 0.95
MIN_SIZE_ACCURACY = 0.85


@dataclass(frozen=True)
class Item:
    section: str
    category: str
    text: str
    types: frozenset[str] = frozenset()
    sizes: dict[str, int] = field(default_factory=dict)
    status: str | None = None


def load_items() -> list[Item]:
    """Every sentence of the challenge set, with what a careful coder would record."""
    data: dict[str, Any] = yaml.safe_load(CHALLENGE.read_text(encoding="utf-8"))
    items = [Item("none", cat, text) for cat, texts in data["none"].items() for text in texts]
    for cat, rows in data["events"].items():
        for row in rows:
            items.append(Item("events", cat, row["text"], frozenset(row["types"]),
                              {k: row[k] for k in SIZES if k in row}, row.get("status")))
    return items


@dataclass
class Score:
    sentences: int = 0
    false_event_sentences: list[str] = field(default_factory=list)
    exact: int = 0
    event_sentences: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    sizes_right: int = 0
    sizes_total: int = 0
    size_errors: list[str] = field(default_factory=list)
    statuses_right: int = 0
    statuses_total: int = 0
    status_errors: list[str] = field(default_factory=list)


def score(items: list[Item], docs: list[Document]) -> Score:
    """Count false events, exact type sets and right sizes over the challenge items."""
    out = Score(sentences=len(items))
    for item, doc in zip(items, docs, strict=True):
        found = {e.type for e in doc.events}
        if item.section == "none":
            if found:
                out.false_event_sentences.append(f"{item.text} -> {sorted(found)}")
            continue
        out.event_sentences += 1
        out.exact += found == item.types
        out.missed += [f"{t}: {item.text}" for t in item.types - found]
        out.extra += [f"{t}: {item.text}" for t in found - item.types]
        first = next((e for e in doc.events if e.type in item.types), None)
        for kind, want in item.sizes.items():
            got = getattr(first.size, kind) if first else None
            out.sizes_total += 1
            out.sizes_right += got == want
            if got != want:
                out.size_errors.append(f"{kind}={got} (want {want}): {item.text}")
        if item.status is not None:
            got_status = first.factuality.status if first else None
            out.statuses_total += 1
            out.statuses_right += got_status == item.status
            if got_status != item.status:
                out.status_errors.append(f"status={got_status} (want {item.status}): {item.text}")
    return out


def test_challenge_set_is_large_enough_and_well_formed() -> None:
    items = load_items()
    assert len(items) >= 150
    assert len({i.text for i in items}) == len(items), "duplicate sentences"
    assert all(isinstance(i.text, str) for i in items), "a sentence YAML read as a mapping"
    assert all(i.types or i.section == "none" for i in items)


@pytest.fixture(scope="module")
def challenge() -> Score:
    items = load_items()
    docs = list(Pipeline().process_many(Article(text=i.text) for i in items))
    result = score(items, docs)
    print(f"\nchallenge: {result.sentences} sentences; false-event non-event sentences "
          f"{len(result.false_event_sentences)}; exact type sets {result.exact}/"
          f"{result.event_sentences}; missed types {len(result.missed)}; extra types "
          f"{len(result.extra)}; sizes {result.sizes_right}/{result.sizes_total}; factuality "
          f"{result.statuses_right}/{result.statuses_total}")
    for line in (result.false_event_sentences + result.missed + result.extra + result.size_errors
                 + result.status_errors):
        print("  ", line)
    return result


def test_non_events_with_trigger_words_yield_no_event(challenge: Score) -> None:
    assert len(challenge.false_event_sentences) <= MAX_FALSE_EVENT_SENTENCES, \
        challenge.false_event_sentences


def test_event_sentences_get_exactly_their_types(challenge: Score) -> None:
    assert challenge.exact / challenge.event_sentences >= MIN_EXACT_TYPE_SETS, \
        challenge.missed + challenge.extra


def test_casualty_and_arrest_counts_land_on_the_event(challenge: Score) -> None:
    assert challenge.sizes_right / challenge.sizes_total >= MIN_SIZE_ACCURACY, challenge.size_errors


def test_negated_and_hypothetical_events_are_coded_and_flagged(challenge: Score) -> None:
    assert challenge.statuses_total >= 4
    assert challenge.statuses_right == challenge.statuses_total, challenge.status_errors
