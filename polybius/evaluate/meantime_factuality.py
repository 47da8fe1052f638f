"""MEANTIME (Minard et al., LREC 2016): event factuality in English Wikinews articles.

Gold: ``news/meantime_en/meantime_en.tar.xz``, read in place; the intra-document layer of every
corpus in the archive (here: apple and stock, 60 documents). Each EVENT_MENTION with a single
head (``pos`` set) carries certainty, polarity and time. The text is rebuilt from the tokens
(joined by spaces, one sentence per line), parsed, and our factuality rules are asked for the
status of an event at the mention's first token, so this measures the factuality rules, not the
event lexicon (MEANTIME's events are any predicate, not only PLOVER events).

Label mapping (gold attributes → class; first that applies):

    polarity NEG                          → NEG
    time FUTURE                           → FUTURE
    certainty POSSIBLE or PROBABLE        → UNCERTAIN
    certainty CERTAIN, polarity POS, time NON_FUTURE → FACT
    any of the three UNDERSPECIFIED       → skipped (not scored)

Our statuses: asserted, reported, claimed, disputed → FACT (MEANTIME marks reported events
CERTAIN: it annotates what the text conveys, sources included); negated, denied → NEG;
future → FUTURE; hypothetical → UNCERTAIN. Metrics: ``macro_f1`` over the four classes,
``accuracy``, per-class P/R/F1.
"""

from __future__ import annotations

import tarfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from polybius import nlp
from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import require
from polybius.evaluate.factuality_challenge import statuses_at
from polybius.evaluate.report import Progress, Report, prf_table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("news/meantime_en/meantime_en.tar.xz")
CLASSES = ("FACT", "NEG", "FUTURE", "UNCERTAIN")
STATUS_CLASS = {"asserted": "FACT", "reported": "FACT", "claimed": "FACT", "disputed": "FACT",
                "negated": "NEG", "denied": "NEG", "future": "FUTURE", "hypothetical": "UNCERTAIN"}


@dataclass(frozen=True)
class Mention:
    """One scored event mention: its character span in the rebuilt text and its gold class."""

    span: tuple[int, int]
    gold: str


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    mentions: list[Mention]


def gold_class(attrs: dict[str, str]) -> str | None:
    """The class of a mention's factuality attributes (module docstring), None if underspecified."""
    certainty, polarity, when = attrs.get("certainty"), attrs.get("polarity"), attrs.get("time")
    if "UNDERSPECIFIED" in (certainty, polarity, when) or None in (certainty, polarity, when):
        return None
    if polarity == "NEG":
        return "NEG"
    if when == "FUTURE":
        return "FUTURE"
    if certainty in ("POSSIBLE", "PROBABLE"):
        return "UNCERTAIN"
    return "FACT"


def parse_doc(name: str, xml: bytes) -> GoldDoc:
    """Text rebuilt from the tokens and the scored mentions of one MEANTIME document."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as err:
        raise EvaluationError(f"meantime: {name}: {err}") from err
    offsets: dict[str, tuple[int, int]] = {}
    lines: list[str] = []
    current: list[str] = []
    sentence = None
    pos = 0
    for tok in root.iter("token"):
        if tok.get("sentence") != sentence and current:
            lines.append(" ".join(current))
            pos += 1  # the newline
            current = []
        sentence = tok.get("sentence")
        word = tok.text or "_"
        start = pos + (1 if current else 0)
        offsets[tok.get("t_id", "")] = (start, start + len(word))
        current.append(word)
        pos = start + len(word)
    if current:
        lines.append(" ".join(current))
    mentions = []
    markables = root.find("Markables")
    for ev in (markables.iter("EVENT_MENTION") if markables is not None else []):
        anchors = [a.get("t_id", "") for a in ev.iter("token_anchor")]
        cls = gold_class(dict(ev.attrib))
        if not ev.get("pos") or not anchors or cls is None or anchors[0] not in offsets:
            continue
        mentions.append(Mention(offsets[anchors[0]], cls))
    return GoldDoc(name, "\n".join(lines), mentions)


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldDoc]:
    """The intra-document layer of every corpus in the archive (first ``limit`` documents)."""
    path = require(data_dir / GOLD, "meantime")
    docs = []
    try:
        with tarfile.open(path, "r:xz") as tar:
            for member in sorted(tar.getmembers(), key=lambda x: x.name):
                p = PurePosixPath(member.name)
                if member.isfile() and p.suffix == ".xml" and "intra-doc_annotation" in p.parts:
                    fh = tar.extractfile(member)
                    if fh is not None:
                        docs.append(parse_doc(f"{p.parent.name}/{p.stem}", fh.read()))
    except (tarfile.TarError, OSError) as err:
        raise EvaluationError(f"meantime: cannot read {path}: {err}") from err
    if not docs:
        raise EvaluationError(f"meantime: no intra-doc_annotation documents in {path}")
    return docs[:limit] if limit is not None else docs


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Score our status at every gold event mention, mapped to the four classes."""
    start = time.perf_counter()
    gold_docs = load_gold(data_dir, limit)
    gold: list[str] = []
    pred: list[str] = []
    parsed = nlp.parse_many((d.text for d in gold_docs), pipeline.config.model, pipeline.config.batch_size)
    for n, (g, doc) in enumerate(zip(gold_docs, parsed), start=1):
        facts = statuses_at(doc, [mention.span for mention in g.mentions])
        gold += [mention.gold for mention in g.mentions]
        pred += [STATUS_CLASS[f.status] for f in facts]
        if on_progress is not None:
            on_progress(n, len(gold_docs))
    labels = m.per_label(gold, pred)
    present = [c for c in CLASSES if c in gold]
    macro = sum(labels[c].f1 for c in present) / len(present) if present else 0.0
    rows = [(c, labels[c].precision, labels[c].recall, labels[c].f1, gold.count(c)) for c in CLASSES if c in labels]
    report = Report("meantime-factuality", {"macro_f1": macro, "accuracy": m.accuracy(gold, pred)},
                    details={"per class": prf_table(rows)}, n=len(gold))
    report.notes.append(f"{len(gold_docs)} documents; always answering FACT would score accuracy "
                        f"{gold.count('FACT') / len(gold) if gold else 0:.3f}")
    report.seconds = time.perf_counter() - start
    return report
