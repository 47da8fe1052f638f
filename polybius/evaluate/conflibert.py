"""ConfliBERT CAMEO actor spans: do our event actors/recipients hit the gold source/target spans?

Gold: ``events/conflibert_cameo/cameo_ner/train.txt`` (CoNLL ``token tag``; B/I-S source,
B/I-T target, B/I-R reciprocal = both). The tokens are joined back into a sentence
(``detokenize``, which keeps each token's character offsets), the pipeline runs on it, and every
event's actor spans become predicted S spans and recipient spans predicted T spans (union over
events, duplicates once). Score: exact character-span match, micro P/R/F1 per role over all
sentences; R gold spans count as both S and T. ``*_overlap_f1`` is the lenient variant where a
predicted span matches a gold span of the same role when they share a character (each gold and
each predicted span is matched at most once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate import metrics as m
from polybius.evaluate.common import actors_of, require, run_pipeline
from polybius.evaluate.report import Progress, Report, prf_table
from polybius.model import Article, Document, Span

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("events/conflibert_cameo/cameo_ner/train.txt")
ROLES = {"S": ("S",), "T": ("T",), "R": ("S", "T")}
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re",
                    "'ve", "'ll", "'d", "'m", "''", "...", "-", "’", "”"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "-", "“"}
_CLITICS = {"s", "t", "re", "ve", "ll", "d", "m"}


@dataclass(frozen=True)
class GoldSentence:
    """A detokenised sentence with its gold spans per role ("S", "T")."""

    text: str
    spans: dict[str, frozenset[Span]]


def detokenize(tokens: list[str]) -> tuple[str, list[Span]]:
    """Join tokens with single spaces except around punctuation; return text and token offsets."""
    parts: list[str] = []
    offsets: list[Span] = []
    pos = 0
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        # "Baghdad ’ s" and "Syria - related" were split by the tokenizer; join them back.
        glue = (i == 0 or tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER
                or (prev == "’" and tok in _CLITICS))
        if not glue:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), offsets


def spans_from_bio(tags: list[str], offsets: list[Span]) -> dict[str, set[Span]]:
    """Character spans per role ("S", "T") from BIO tags; R spans go to both roles."""
    out: dict[str, set[Span]] = {"S": set(), "T": set()}
    start: int | None = None
    role = ""
    end = 0
    for tag, (s, e) in [*zip(tags, offsets), ("O", (0, 0))]:
        if start is not None and not (tag.startswith("I-") and tag[2:] == role):
            for r in ROLES.get(role, ()):
                out[r].add((start, end))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, role = s, tag[2:]
        end = e
    return out


def parse_conll(text: str) -> list[GoldSentence]:
    """Sentences of a CoNLL ``token tag`` file (blank line between sentences)."""
    sentences = []
    for n, block in enumerate(text.strip().split("\n\n"), start=1):
        pairs = [line.rsplit(" ", 1) for line in block.splitlines() if line.strip()]
        if any(len(p) != 2 for p in pairs):
            raise EvaluationError(f"conflibert-actors: sentence {n} has a line without `token tag`")
        tokens, tags = [p[0] for p in pairs], [p[1] for p in pairs]
        sentence, offsets = detokenize(tokens)
        spans = spans_from_bio(tags, offsets)
        sentences.append(GoldSentence(sentence, {r: frozenset(s) for r, s in spans.items()}))
    return sentences


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldSentence]:
    """The sentences in file order (first ``limit``)."""
    path = require(data_dir / GOLD, "conflibert-actors")
    gold = parse_conll(path.read_text(encoding="utf-8"))
    return gold[:limit] if limit is not None else gold


def predicted_spans(doc: Document) -> dict[str, set[Span]]:
    """Actor spans (S) and recipient spans (T) of all events of the document."""
    out: dict[str, set[Span]] = {"S": set(), "T": set()}
    for event in doc.events:
        out["S"] |= {tuple(a.span) for a in actors_of(doc, event.actors)}  # type: ignore[misc]
        out["T"] |= {tuple(a.span) for a in actors_of(doc, event.recipients)}  # type: ignore[misc]
    return out


def _overlap_matches(gold: frozenset[Span], pred: set[Span]) -> int:
    used: set[Span] = set()
    hits = 0
    for g in sorted(gold):
        for p in sorted(pred - used):
            if p[0] < g[1] and g[0] < p[1]:
                used.add(p)
                hits += 1
                break
    return hits


def score(gold: list[GoldSentence], predicted: list[dict[str, set[Span]]]) -> Report:
    """Micro P/R/F1 per role, exact and overlapping spans."""
    metrics: dict[str, float] = {}
    rows = []
    for role, name in (("S", "source"), ("T", "target")):
        n_gold = sum(len(g.spans[role]) for g in gold)
        n_pred = sum(len(p[role]) for p in predicted)
        exact = sum(len(g.spans[role] & p[role]) for g, p in zip(gold, predicted, strict=True))
        loose = sum(_overlap_matches(g.spans[role], p[role]) for g, p in zip(gold, predicted))
        c = m.PRF(exact, n_pred - exact, n_gold - exact)
        lc = m.PRF(loose, n_pred - loose, n_gold - loose)
        metrics |= {f"{name}_precision": c.precision, f"{name}_recall": c.recall,
                    f"{name}_f1": c.f1, f"{name}_overlap_f1": lc.f1}
        rows += [(f"{name} exact", c.precision, c.recall, c.f1, n_gold),
                 (f"{name} overlap", lc.precision, lc.recall, lc.f1, n_gold)]
    return Report("conflibert-actors", metrics, n=len(gold), details={"per role": prf_table(rows)})


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Run the pipeline on each detokenised sentence and score its actor spans."""
    start = time.perf_counter()
    gold = load_gold(data_dir, limit)
    docs = run_pipeline(pipeline, [Article(text=g.text) for g in gold], on_progress)
    for g, d in zip(gold, docs):
        if d.article.text != g.text:
            raise EvaluationError("conflibert-actors: the pipeline changed the sentence text; "
                                  "spans would not line up")
    report = score(gold, [predicted_spans(d) for d in docs])
    report.seconds = time.perf_counter() - start
    return report
