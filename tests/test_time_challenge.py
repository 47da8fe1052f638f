"""The news challenge set for event dating (tests/data/time_challenge.yaml, our own sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybius.errors import EvaluationError
from polybius.evaluate import time_challenge


def test_challenge_set_is_large_enough_and_covers_the_fallback() -> None:
    items = time_challenge.load()
    assert len(items) >= 100
    assert any(i.publication for i in items) and any(not i.publication for i in items)


def test_event_dates_are_right_at_the_stated_precision() -> None:
    report = time_challenge.evaluate()
    assert report.metrics["accuracy"] >= 0.90, report.render()
    assert report.metrics["fallback_precision"] == 1.0, report.render()


def test_malformed_item_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("items:\n- {published: 2018-08-23, text: a b, trigger: x, value: 2018}\n")
    with pytest.raises(EvaluationError, match="item 1"):
        time_challenge.load(path)
