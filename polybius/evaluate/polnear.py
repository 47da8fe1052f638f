"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attribution relations in US political news.

Gold: ``news/quotes_en_polnear/polnear_v1.0.0.tar.xz``, read in place. Every split found in the
archive (here: dev) is scored; each ``.ann`` file is one annotator's reading of one article, so
an article annotated twice is scored twice against the same predictions. Each attribution has a
Content span (possibly discontinuous: ``start end;start end``), a Cue and usually a Source.

Our side: every ``Quote`` of the pipeline's output (direct and indirect) is a predicted Content;
its ``source_span`` (the source phrase as written, "she", "a source") is the predicted Source.

* ``content_f1_overlap``: a predicted content is correct when it overlaps (≥ 1 character) a gold
  content fragment; a gold content is found when some predicted content overlaps it. Precision
  is over predictions, recall over gold attributions (the usual lenient span metric; one split
  quote '"…," he said, "…"' gives two predictions that both count as correct).
* ``content_f1_exact``: the same, but a prediction must equal a gold fragment or the whole gold
  span after trimming whitespace, punctuation, quotation marks and a leading "that" on both.
* ``source_f1``: over matched (overlapping) pairs only: correct when the predicted source span
  overlaps the gold Source; precision over matched pairs with a predicted source, recall over
  matched pairs whose gold has a Source.
* ``source_resolved``: of correct sources, the share whose quote also names a speaker actor.
  PolNeAR has no coreference layer, so whether a resolved pronoun ("she" → the senator named
  before) points at the right person cannot be checked against this gold.
"""

from __future__ import annotations

import re
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import require, run_pipeline
from polybius.evaluate.report import Progress, Report, Table
from polybius.model import Article, Document, Quote

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("news/quotes_en_polnear/polnear_v1.0.0.tar.xz")
Frag = tuple[int, int]
_TRIM = re.compile(r"^(?:[\s\"'“”‘’.,;:—–-]|that\s)+|[\s\"'“”‘’.,;:—–-]+$", re.I)


@dataclass
class GoldAttribution:
    """One attribution: its content fragments and its source fragments (empty: no source)."""

    content: list[Frag]
    source: list[Frag] = field(default_factory=list)


@dataclass
class GoldFile:
    """One annotator's attributions for one article of a split."""

    split: str
    article: str
    annotation: str
    attributions: list[GoldAttribution]


def _frags(offsets: str) -> list[Frag]:
    out = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        out.append((int(start), int(end)))
    return out


def parse_ann(text: str, name: str) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file (``T`` spans joined by ``E`` Attribution lines)."""
    spans: dict[str, list[Frag]] = {}
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        cols = line.split("\t")
        try:
            if line.startswith("T") and len(cols) >= 2:
                label, _, offsets = cols[1].partition(" ")
                if label in ("Content", "Source"):
                    spans[cols[0]] = _frags(offsets)
            elif line.startswith("E") and len(cols) >= 2:
                args = dict(a.split(":", 1) for a in cols[1].split()[1:])
                if "Content" in args:
                    found.append((args["Content"], args.get("Source")))
        except ValueError as err:
            raise EvaluationError(f"polnear: {name} line {n}: cannot parse {line!r}") from err
    return [GoldAttribution(spans[c], spans.get(s, []) if s else [])
            for c, s in found if c in spans]


def load_gold(data_dir: Path, limit: int | None = None) -> tuple[dict[str, str], list[GoldFile]]:
    """Article texts by ``split/name`` and the annotation files (first ``limit`` articles)."""
    path = require(data_dir / GOLD, "polnear")
    texts: dict[str, str] = {}
    anns: list[tuple[str, str, str]] = []
    try:
        with tarfile.open(path, "r:xz") as tar:
            for member in tar:
                p = PurePosixPath(member.name)
                if not member.isfile() or len(p.parts) < 4 or p.parts[-4] != "data":
                    continue
                fh = tar.extractfile(member)
                if fh is None:
                    continue
                content = fh.read().decode("utf-8")
                split, kind = p.parts[-3], p.parts[-2]
                if kind == "text" and p.suffix == ".txt":
                    texts[f"{split}/{p.stem}"] = content
                elif kind == "attributions" and p.suffix == ".ann":
                    anns.append((split, p.stem, content))
    except (tarfile.TarError, OSError, UnicodeDecodeError) as err:
        raise EvaluationError(f"polnear: cannot read {path}: {err}") from err
    keys = sorted(texts)[:limit] if limit is not None else sorted(texts)
    wanted = set(keys)
    files = []
    for split, stem, content in sorted(anns):
        # "<article>_<4 hex annotator id>.ann" annotates "<article>.txt".
        article = f"{split}/{stem.rsplit('_', 1)[0]}"
        if article in wanted:
            files.append(GoldFile(split, article, stem, parse_ann(content, stem)))
    if not files:
        raise EvaluationError(f"polnear: no annotated articles found in {path}")
    return {k: texts[k] for k in keys}, files


def _overlaps(a: Frag, frags: list[Frag]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in frags)


def _trimmed(text: str, frag: Frag) -> str:
    return _TRIM.sub("", text[frag[0]:frag[1]])


@dataclass
class Counts:
    """Running totals behind the headline metrics."""

    pred_ok: int = 0
    pred: int = 0
    gold_found: int = 0
    gold: int = 0
    exact_pred_ok: int = 0
    exact_gold_found: int = 0
    src_tp: int = 0
    src_pred: int = 0
    src_gold: int = 0
    src_resolved: int = 0
    direct_found: int = 0
    direct: int = 0

    def add(self, text: str, gold: list[GoldAttribution], quotes: list[Quote]) -> None:
        """Score one annotation file's attributions against one article's quotes."""
        forms = [{_trimmed(text, f) for f in g.content} | {_trimmed(text, (g.content[0][0], g.content[-1][1]))}
                 for g in gold]
        self.pred += len(quotes)
        self.gold += len(gold)
        for q in quotes:
            self.pred_ok += any(_overlaps(q.span, g.content) for g in gold)
            self.exact_pred_ok += any(_trimmed(text, q.span) in f for f in forms)
        for g, f in zip(gold, forms):
            matched = [q for q in quotes if _overlaps(q.span, g.content)]
            self.gold_found += bool(matched)
            self.exact_gold_found += any(_trimmed(text, q.span) in f for q in matched)
            is_direct = text[g.content[0][0]:g.content[0][0] + 1] in "\"“"
            self.direct += is_direct
            self.direct_found += is_direct and bool(matched)
            if not matched:
                continue
            q = matched[0]
            self.src_gold += bool(g.source)
            self.src_pred += q.source_span is not None
            if g.source and q.source_span is not None and _overlaps(q.source_span, g.source):
                self.src_tp += 1
                self.src_resolved += q.speaker is not None

    def report(self) -> dict[str, float]:
        overlap = m.PRF(self.pred_ok, self.pred - self.pred_ok, self.gold - self.gold_found)
        exact = m.PRF(self.exact_pred_ok, self.pred - self.exact_pred_ok, self.gold - self.exact_gold_found)
        source = m.PRF(self.src_tp, self.src_pred - self.src_tp, self.src_gold - self.src_tp)
        return {
            "content_f1_overlap": overlap.f1, "content_p_overlap": overlap.precision,
            "content_r_overlap": overlap.recall,
            "content_f1_exact": exact.f1, "content_p_exact": exact.precision, "content_r_exact": exact.recall,
            "source_f1": source.f1, "source_p": source.precision, "source_r": source.recall,
            "source_resolved": self.src_resolved / self.src_tp if self.src_tp else 0.0,
            "direct_recall": self.direct_found / self.direct if self.direct else 0.0,
            "indirect_recall": ((self.gold_found - self.direct_found) / (self.gold - self.direct)
                                if self.gold > self.direct else 0.0),
        }


def _by_rule(docs: dict[str, Document], files: list[GoldFile]) -> Table:
    """Precision of each quote rule (a prediction is correct when it overlaps gold content)."""
    gold_by_article: dict[str, list[GoldAttribution]] = {}
    for f in files:
        gold_by_article.setdefault(f.article, []).extend(f.attributions)
    totals: dict[str, list[int]] = {}
    for key, doc in docs.items():
        gold = gold_by_article.get(key, [])
        for q in doc.quotes:
            row = totals.setdefault(q.rule, [0, 0])
            row[0] += any(_overlaps(q.span, g.content) for g in gold)
            row[1] += 1
    return Table(["rule", "correct", "predicted", "precision"],
                 [[r, ok, n, ok / n] for r, (ok, n) in sorted(totals.items())])


def _splits(files: list[GoldFile]) -> Iterator[str]:
    yield from sorted({f.split for f in files})


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Run the pipeline on each article (its text as is: offsets must match) and score."""
    start = time.perf_counter()
    texts, files = load_gold(data_dir, limit)
    keys = list(texts)
    docs = dict(zip(keys, run_pipeline(pipeline, [Article(text=texts[k]) for k in keys], on_progress)))
    total = Counts()
    per_split = []
    for split in _splits(files):
        counts = Counts()
        for f in (f for f in files if f.split == split):
            for c in (counts, total):
                c.add(texts[f.article], f.attributions, docs[f.article].quotes)
        r = counts.report()
        per_split.append([split, counts.gold, r["content_f1_overlap"], r["content_f1_exact"], r["source_f1"]])
    report = Report("polnear", total.report(), n=total.gold, details={
        "per split": Table(["split", "attributions", "content_f1_overlap", "content_f1_exact", "source_f1"],
                           per_split),
        "precision per quote rule": _by_rule(docs, files)})
    report.notes.append(f"{len(texts)} articles, {len(files)} annotation files; "
                        "an article annotated twice is scored once per annotator")
    report.seconds = time.perf_counter() - start
    return report
