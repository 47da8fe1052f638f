"""Quality gate: fails when an evaluation metric drops below its pinned floor.

Runs only when the gold data directory exists ($POLYBIUS_DATA or ../shared/data); otherwise
every case is skipped with the reason. Each evaluation runs on the fixed, deterministic subset
named in tests/eval_floors.json ("limit" = the first N items in file order, or all when null),
so the whole gate stays under ~3 minutes. Floors are the figures measured on that subset minus a
small tolerance; they are only ever raised (see the file's "_comment").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from polybius import evaluate

FLOORS_FILE = Path(__file__).parent / "eval_floors.json"
FLOORS: dict[str, Any] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
DATA = evaluate.default_data_dir()
if not DATA.is_absolute():
    # the default is relative to the working directory; pytest may run from elsewhere
    DATA = Path(__file__).resolve().parent.parent / DATA


def test_floors_file_covers_every_evaluation_and_is_documented() -> None:
    assert set(FLOORS["evaluations"]) == set(evaluate.EVALUATIONS)
    assert "only ever raised" in FLOORS["_comment"]


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from polybius.pipeline import Pipeline
    return Pipeline()


@pytest.mark.skipif(not DATA.exists(), reason=f"gold data not found at {DATA} (set $POLYBIUS_DATA)")
@pytest.mark.parametrize("name", list(FLOORS["evaluations"]))
def test_metric_stays_above_its_floor(name: str, pipeline: Any) -> None:
    spec = FLOORS["evaluations"][name]
    report = evaluate.run(name, DATA, pipeline, limit=spec["limit"])
    below = {key: (round(report.metrics[key], 4), floor) for key, floor in spec["floors"].items()
             if report.metrics[key] < floor}
    assert not below, f"{name}: metric (measured, floor) below floor: {below}\n{report.render()}"
    if name == "main-text":
        # Our cleaning runs after trafilatura: it must never make the body text worse.
        assert report.metrics["f1"] >= report.metrics["trafilatura_f1"], report.render()
