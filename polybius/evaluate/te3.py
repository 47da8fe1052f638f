"""TempEval-3 Task A (time expressions) on every TimeML ``.tml`` file under ``DIR/time/``.

Gold: the TIMEX3 elements inside each document's ``<TEXT>`` (the document creation time in
``<DCT>``, ``functionInDocument="CREATION_TIME"``, is not scored: it is the publication date we
anchor on). Measures, as UzZaman et al. (SemEval-2013 Task 1) define them, micro-averaged over
all documents:

* extent, *strict*: a system expression counts when a gold one has exactly its character extent
  (surrounding whitespace ignored); P = matching system / system, R = matching gold / gold;
* extent, *relaxed*: the same with "overlaps by at least one character" (TE3 uses one token);
* attributes: each system expression is paired with the gold expression it overlaps most
  (one to one, largest overlap first); ``value_accuracy`` = pairs with the identical ``value`` /
  pairs, ``value_f1`` = value_accuracy x relaxed F1 (TE3's ranking measure); likewise ``type``.

The scorer takes any tagger's output (``SystemTimex`` per document), so the HeidelTime
benchmark (``benchmarks/heideltime_te3.py``) is scored by exactly this code.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.report import Progress, Report, Table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("time")
TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class Timex:
    """One time expression: character extent in the document text, TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TmlDocument:
    """A TimeML document: its name, the plain text of ``<TEXT>``, DCT and gold expressions."""

    name: str
    text: str
    dct: date | None
    timexes: tuple[Timex, ...]


Tagger = Callable[[list[TmlDocument]], Iterable[list[Timex]]]


def _dct(root: ET.Element) -> date | None:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                return date.fromisoformat((timex.get("value") or "")[:10])
            except ValueError:
                return None
    return None


def _flatten(element: ET.Element, parts: list[str], timexes: list[Timex]) -> None:
    """Append ``element``'s text to ``parts``, recording the offsets of the TIMEX3 inside it."""
    start = sum(len(p) for p in parts)
    parts.append(element.text or "")
    for child in element:
        _flatten(child, parts, timexes)
        parts.append(child.tail or "")
    if element.tag == "TIMEX3":
        end = sum(len(p) for p in parts)
        text = "".join(parts)[start:end]
        lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
        if end - trail > start + lead:  # empty (non-consuming) TIMEX3 have no extent to score
            timexes.append(Timex(start + lead, end - trail, element.get("type") or "",
                                 element.get("value") or ""))


def load_tml(path: Path) -> TmlDocument:
    """Parse one TimeML file; EvaluationError naming the file when it is not TimeML."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        raise EvaluationError(f"te3: cannot read {path}: {err}") from err
    body = root.find("TEXT")
    if body is None:
        raise EvaluationError(f"te3: {path} has no <TEXT> element (not a TimeML document)")
    parts: list[str] = []
    timexes: list[Timex] = []
    _flatten(body, parts, timexes)
    return TmlDocument(path.stem, "".join(parts), _dct(root), tuple(timexes))


def load_gold(data_dir: Path, limit: int | None = None) -> list[TmlDocument]:
    """Every ``.tml`` under ``data_dir/time`` (recursively, sorted by path); first ``limit``."""
    root = data_dir / GOLD
    paths = sorted(root.rglob("*.tml")) if root.is_dir() else []
    if not paths:
        raise EvaluationError(f"te3: no .tml files under {root}; pass the data directory that "
                              f"holds time/ (--data or $POLYBIUS_DATA)")
    return [load_tml(p) for p in paths[:limit]]


def _overlap(a: Timex, b: Timex) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _pairs(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one (gold, system) pairs, largest character overlap first."""
    links = sorted(((_overlap(g, s), gi, si) for gi, g in enumerate(gold)
                    for si, s in enumerate(system) if _overlap(g, s)), reverse=True)
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[Timex, Timex]] = []
    for _, gi, si in links:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gold[gi], system[si]))
    return pairs


@dataclass
class _Counts:
    n_gold: int = 0
    n_sys: int = 0
    strict_gold: int = 0
    strict_sys: int = 0
    relaxed_gold: int = 0
    relaxed_sys: int = 0
    pairs: int = 0
    value_ok: int = 0
    type_ok: int = 0

    def add(self, gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
        self.n_gold += len(gold)
        self.n_sys += len(system)
        extents = {(g.start, g.end) for g in gold}
        self.strict_sys += sum((s.start, s.end) in extents for s in system)
        self.strict_gold += sum((g.start, g.end) in {(s.start, s.end) for s in system}
                                for g in gold)
        self.relaxed_sys += sum(any(_overlap(s, g) for g in gold) for s in system)
        self.relaxed_gold += sum(any(_overlap(g, s) for s in system) for g in gold)
        pairs = _pairs(gold, system)
        self.pairs += len(pairs)
        self.value_ok += sum(g.value == s.value for g, s in pairs)
        self.type_ok += sum(g.type == s.type for g, s in pairs)
        return pairs

    def metrics(self) -> dict[str, float]:
        def prf(found_sys: int, found_gold: int) -> tuple[float, float, float]:
            p = found_sys / self.n_sys if self.n_sys else 0.0
            r = found_gold / self.n_gold if self.n_gold else 0.0
            return p, r, m.f1(p, r)
        sp, sr, sf = prf(self.strict_sys, self.strict_gold)
        rp, rr, rf = prf(self.relaxed_sys, self.relaxed_gold)
        value_acc = self.value_ok / self.pairs if self.pairs else 0.0
        type_acc = self.type_ok / self.pairs if self.pairs else 0.0
        return {"strict_f1": sf, "relaxed_f1": rf, "value_f1": value_acc * rf,
                "type_f1": type_acc * rf, "value_accuracy": value_acc, "type_accuracy": type_acc,
                "strict_precision": sp, "strict_recall": sr, "relaxed_precision": rp,
                "relaxed_recall": rr}


def score(docs: list[TmlDocument], system: Iterable[list[Timex]], name: str = "te3",
          on_progress: Progress | None = None) -> Report:
    """Score one list of system expressions per document (same order as ``docs``)."""
    started = time.perf_counter()
    counts = _Counts()
    by_type: dict[str, _Counts] = {t: _Counts() for t in TYPES}
    errors: Counter[tuple[str, str, str]] = Counter()
    done = 0
    for doc, found in zip(docs, system, strict=True):
        pairs = counts.add(list(doc.timexes), found)
        for kind, sub in by_type.items():
            sub.add([g for g in doc.timexes if g.type == kind],
                    [s for s in found if s.type == kind])
        for g, s in pairs:
            if g.value != s.value:
                errors[(doc.text[g.start:g.end], g.value, s.value)] += 1
        done += 1
        if on_progress is not None:
            on_progress(done, len(docs))
    metrics = counts.metrics()
    types = Table(["type", "gold", "system", "relaxed_f1", "value_accuracy"])
    for kind, sub in by_type.items():
        sm = sub.metrics()
        types.rows.append([kind, sub.n_gold, sub.n_sys, sm["relaxed_f1"], sm["value_accuracy"]])
    wrong = Table(["gold text", "gold value", "system value", "n"],
                  [[t, g, s, n] for (t, g, s), n in errors.most_common(15)])
    report = Report(name, metrics, {"by type (each type scored on its own)": types,
                                    "most frequent value errors": wrong}, n=counts.n_gold)
    report.notes.append(f"{len(docs)} documents, {counts.n_gold} gold and {counts.n_sys} system "
                        f"expressions, {counts.pairs} aligned pairs")
    report.seconds = time.perf_counter() - started
    return report


def polybius_tagger(pipeline: Pipeline) -> Tagger:
    """Our tagger: spaCy parse of each document's text, then ``extract_times`` with the DCT."""
    from polybius import nlp
    from polybius.extract import Context
    from polybius.extract.times import extract_times

    def tag(docs: list[TmlDocument]) -> Iterable[list[Timex]]:
        parsed = nlp.parse_many((d.text for d in docs), pipeline.config.model,
                                pipeline.config.batch_size)
        for doc, spacy_doc in zip(docs, parsed):
            yield [Timex(t.span[0], t.span[1], t.type, t.value)
                   for t in extract_times(spacy_doc, Context(published=doc.dct))]
    return tag


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """TempEval-3 extent, value and type scores of our tagger on ``data_dir/time/**.tml``."""
    started = time.perf_counter()
    docs = load_gold(data_dir, limit)
    report = score(docs, polybius_tagger(pipeline)(docs), on_progress=on_progress)
    report.seconds = time.perf_counter() - started
    return report
