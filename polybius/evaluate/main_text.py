"""Main-text extraction on the ScrapingHub article-extraction benchmark (the pages present here).

Gold: ``news/article_extraction_benchmark/`` (``html/<id>.html.gz``, ``ground-truth.json``,
``reference_outputs/<tool>.json.gz``). Metric, as the benchmark's ``evaluate.py`` defines it:
``\\w+`` tokens (case kept); per page, the multisets of 4-token shingles of gold and prediction
give TP/FP/FN, normalised to sum to 1; precision = mean page precision over pages with any
prediction, recall = mean page recall over pages with gold text (a page where FP = FN = 0 scores
1), F1 = harmonic mean of the two means; accuracy = share of pages whose token sequence is
identical. Ours is ``polybius.ingest.html.article_from_html(...).text``; beside it: plain
``trafilatura.extract`` with default settings run now, and each stored reference output, all on
the same pages.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import EvaluationError, PolybiusError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import require
from polybius.evaluate.report import Progress, Report, Table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

ROOT = Path("news/article_extraction_benchmark")
Extractor = Callable[[bytes, str | None], str]


def load_gold(data_dir: Path, limit: int | None = None) -> dict[str, dict[str, Any]]:
    """Ground truth ``{id: {articleBody, url}}`` for the pages whose HTML is present, sorted by id."""
    root = require(data_dir / ROOT, "main-text")
    truth = json.loads(require(root / "ground-truth.json", "main-text").read_text("utf-8"))
    ids = sorted(k for k in truth if (root / "html" / f"{k}.html.gz").exists())
    if not ids:
        raise EvaluationError(f"main-text: no html/<id>.html.gz under {root} matches ground-truth.json")
    return {k: truth[k] for k in ids[:limit]}


def load_references(data_dir: Path) -> dict[str, dict[str, str]]:
    """Stored outputs ``{tool: {id: text}}``; the ``{"version", "output"}`` wrapping is removed."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted((data_dir / ROOT / "reference_outputs").glob("*.json.gz")):
        data = json.loads(gzip.decompress(path.read_bytes()))
        if set(data) == {"version", "output"}:
            data = data["output"]
        out[path.name.removesuffix(".json.gz")] = {
            k: (v.get("articleBody") or "") for k, v in data.items()}
    return out


def evaluate_texts(gold: dict[str, dict[str, Any]], predicted: dict[str, str]) -> dict[str, float]:
    """precision/recall/f1/accuracy of one system's texts (a missing page counts as empty)."""
    pages = [m.shingle_counts(g.get("articleBody") or "", predicted.get(k, "")) for k, g in gold.items()]
    precision, recall, f1 = m.shingle_prf(pages)
    exact = sum(m.exact_tokens(g.get("articleBody") or "", predicted.get(k, "")) for k, g in gold.items())
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": exact / len(gold)}


def _ours(html: bytes, url: str | None) -> str:
    from polybius.ingest.html import article_from_html
    try:
        return article_from_html(html, source="main-text-benchmark", url=url).text
    except PolybiusError:
        return ""  # the reader refused the page (e.g. no main text): scored as an empty output


def _trafilatura(html: bytes, url: str | None) -> str:
    import trafilatura
    return trafilatura.extract(html.decode("utf-8", errors="replace"), url=url) or ""


def _run(extractor: Extractor, gold: dict[str, dict[str, Any]], root: Path,
         tick: Callable[[], None]) -> dict[str, str]:
    out = {}
    for key, g in gold.items():
        out[key] = extractor(gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()), g.get("url"))
        tick()
    return out


def _key(tool: str) -> str:
    return re.sub(r"\W+", "_", tool).strip("_")


def evaluate(data_dir: Path, pipeline: Pipeline | None = None, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Score our HTML reader, plain trafilatura and the stored reference outputs on the pages."""
    start = time.perf_counter()
    gold = load_gold(data_dir, limit)
    root = data_dir / ROOT
    done = 0
    total = 2 * len(gold)

    def tick() -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    try:
        ours = evaluate_texts(gold, _run(_ours, gold, root, tick))
    except ImportError as err:
        raise EvaluationError(f"main-text: our HTML reader cannot be imported: {err}") from err
    metrics = dict(ours)
    rows: list[list[Any]] = [["polybius (article_from_html)", *ours.values()]]
    notes = [f"{len(gold)} pages (those whose HTML is present, sorted by id)"]
    try:
        plain = evaluate_texts(gold, _run(_trafilatura, gold, root, tick))
    except ImportError as err:
        notes.append(f"plain trafilatura unavailable: {err}")
    else:
        metrics |= {f"trafilatura_{k}": v for k, v in plain.items()}
        rows.append(["trafilatura.extract (default, now)", *plain.values()])
    for tool, texts in load_references(data_dir).items():
        ref = evaluate_texts(gold, texts)
        metrics |= {f"ref_{_key(tool)}_{k}": v for k, v in ref.items()}
        rows.append([f"{tool} (stored output)", *ref.values()])
    table = Table(["system", "precision", "recall", "f1", "accuracy"], rows)
    return Report("main-text", metrics, n=len(gold), details={"systems": table}, notes=notes,
                  seconds=time.perf_counter() - start)
