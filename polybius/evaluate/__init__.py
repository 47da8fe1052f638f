"""``polybius eval``: scorers per gold set, each returning a ``Report`` (nothing is printed here).

    EVALUATIONS["plover-gsr"]         PLOVER gold records: event type, actor/recipient text
    EVALUATIONS["case2021"]           CASE 2021 Task 2: 30 ACLED-style labels via a mapping table
    EVALUATIONS["india-police"]       IndiaPoliceEvents: document-level police-action labels
    EVALUATIONS["conflibert-actors"]  ConfliBERT CAMEO source/target actor spans
    EVALUATIONS["main-text"]          ScrapingHub article-extraction benchmark (HTML main text)
    EVALUATIONS["geo"]                geoparsing corpora (LGL/GeoVirus schema): recognition, acc@161
    EVALUATIONS["te3"]                TempEval-3 time expressions: extent, TIMEX3 value and type
    EVALUATIONS["time-challenge"]     event dating on our news challenge set (ships with the tests)
    EVALUATIONS["polnear"]            PolNeAR attribution relations: quote content and source spans
    EVALUATIONS["meantime-factuality"] MEANTIME event certainty/polarity/time vs our statuses
    EVALUATIONS["uds-ih2"]            UDS "It Happened": did the predicate happen ([-3, 3], 3 classes)
    EVALUATIONS["ecbplus"]            ECB+ cross-document event coreference (CoNLL F1)
    EVALUATIONS["meantime-coref"]     MEANTIME cross-document event coreference (CoNLL F1)

Definitions of every metric: docs/EVALUATION.md and each module's docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate import (
    case2021, conflibert, ecbplus, geo, india_police, main_text, meantime_coref, meantime_factuality,
    plover_gsr, polnear, te3, time_challenge, uds_ih2,
)
from polybius.evaluate.report import Progress, Report, Table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

__all__ = ["EVALUATIONS", "Evaluation", "Report", "Table", "default_data_dir", "run"]

Runner = Callable[..., Report]


@dataclass(frozen=True)
class Evaluation:
    """One gold set: its name, what it measures, the gold path under the data dir, its runner."""

    name: str
    description: str
    gold: Path
    runner: Runner
    needs_pipeline: bool = True

    def check(self, data_dir: Path) -> None:
        """Raise EvaluationError when this set's gold file is missing under ``data_dir``."""
        if not (data_dir / self.gold).exists():
            raise EvaluationError(
                f"{self.name}: gold data {data_dir / self.gold} not found; set $POLYBIUS_DATA "
                f"or pass the data directory that holds events/ and news/")


EVALUATIONS: dict[str, Evaluation] = {
    e.name: e for e in (
        Evaluation("plover-gsr", "PLOVER gold records: event type per sentence, actor text overlap",
                   plover_gsr.GOLD, plover_gsr.evaluate),
        Evaluation("case2021", "CASE 2021 Task 2: 30 event labels via case2021_map.yaml",
                   case2021.GOLD, case2021.evaluate),
        Evaluation("india-police", "IndiaPoliceEvents: document-level police action labels",
                   india_police.DOCS, india_police.evaluate),
        Evaluation("conflibert-actors", "ConfliBERT CAMEO: source/target actor spans",
                   conflibert.GOLD, conflibert.evaluate),
        Evaluation("main-text", "Article body extraction from HTML (shingle P/R/F1)",
                   main_text.ROOT / "ground-truth.json", main_text.evaluate, needs_pipeline=False),
        Evaluation("geo", "Geoparsing (every XML under geo/): recognition P/R/F1, acc@161 km",
                   geo.GOLD, geo.evaluate),
        Evaluation("te3", "TempEval-3 time expressions (every .tml under time/): extent, value, type",
                   te3.GOLD, te3.evaluate),
        # An absolute path: the set is part of the repository, not of the data directory.
        Evaluation("time-challenge", "Event dating at the stated precision on 120 news sentences",
                   time_challenge.CHALLENGE, time_challenge.run),
        Evaluation("polnear", "PolNeAR attributions: content spans (overlap/exact) and sources",
                   polnear.GOLD, polnear.evaluate),
        Evaluation("meantime-factuality", "MEANTIME event factuality (certainty/polarity/time) vs statuses",
                   meantime_factuality.GOLD, meantime_factuality.evaluate),
        Evaluation("uds-ih2", "UDS-IH2 'it happened' factuality: Pearson r, MAE, 3-class accuracy",
                   uds_ih2.GOLD, uds_ih2.evaluate),
        Evaluation("ecbplus", "ECB+ cross-document event coreference: CoNLL F1, gold/detected mentions",
                   ecbplus.GOLD, ecbplus.evaluate, needs_pipeline=False),
        Evaluation("meantime-coref", "MEANTIME cross-document event coreference: CoNLL F1",
                   meantime_coref.GOLD, meantime_coref.evaluate, needs_pipeline=False),
    )
}


def default_data_dir() -> Path:
    """The ``data_dir`` setting: ``$POLYBIUS_DATA`` if set, else ``../shared/data`` relative to the
    working directory."""
    from polybius.config import Config

    return Path(Config.load().data_dir)


def run(name: str, data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
        on_progress: Progress | None = None) -> Report:
    """Run evaluation ``name`` on the gold data under ``data_dir``; ``limit`` = first N items."""
    if name not in EVALUATIONS:
        raise EvaluationError(f"unknown evaluation {name!r}; choose from {', '.join(EVALUATIONS)}")
    if limit is not None and limit < 1:
        raise EvaluationError(f"limit must be at least 1, got {limit}")
    evaluation = EVALUATIONS[name]
    evaluation.check(data_dir)
    report = evaluation.runner(data_dir, pipeline, limit=limit, on_progress=on_progress)
    if limit is not None:
        report.notes.append(f"limited to the first {limit} items (quick run, not comparable)")
    return report
