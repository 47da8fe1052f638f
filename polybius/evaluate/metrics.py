"""Metric arithmetic shared by the scorers: P/R/F1, weighted and macro F1, token overlap, shingles.

Implemented here (no scikit-learn dependency); each function states the definition it follows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and the counts behind them."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def per_label(gold: Sequence[str], pred: Sequence[str]) -> dict[str, PRF]:
    """One-label-per-item classification counts for every label seen in gold or predictions."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items, predictions {len(pred)}")
    labels = sorted(set(gold) | set(pred))
    out: dict[str, PRF] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        out[label] = PRF(tp, fp, fn)
    return out


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Share of items whose predicted label equals the gold label."""
    return sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Unweighted mean F1 over the labels present in gold (predicted-only labels are not averaged)."""
    table = per_label(gold, pred)
    labels = sorted(set(gold))
    return sum(table[label].f1 for label in labels) / len(labels) if labels else 0.0


def weighted_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """scikit-learn's ``average="weighted"``: per-label F1 weighted by gold support.

    Labels that only occur in predictions (e.g. "NONE") have support 0, so they weigh nothing;
    their false positives still lower the precision of nothing but themselves, while the gold
    items they took count as false negatives of their gold label.
    """
    table = per_label(gold, pred)
    support = Counter(gold)
    total = sum(support.values())
    return sum(table[label].f1 * n for label, n in support.items()) / total if total else 0.0


def words(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens."""
    return [w.lower() for w in _WORD.findall(text)]


def token_overlap_f1(predicted: Iterable[str], gold: Iterable[str]) -> float:
    """Bag-of-words F1 between two groups of texts (SQuAD-style).

    Both sides are the multiset of lower-cased ``\\w+`` tokens of all their texts together;
    overlap = size of the multiset intersection; P = overlap/|pred|, R = overlap/|gold|.
    Both empty -> 1.0; exactly one empty -> 0.0.
    """
    p = Counter(w for text in predicted for w in words(text))
    g = Counter(w for text in gold for w in words(text))
    if not p and not g:
        return 1.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    return f1(overlap / sum(p.values()), overlap / sum(g.values()))


# --- main-text extraction (ScrapingHub article-extraction-benchmark metric) -----------------

def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-grams of ``\\w+`` tokens (case kept); a text shorter than n is one shingle."""
    tokens = _WORD.findall(text or "")
    grams = [tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def shingle_counts(gold: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn) over shingle multisets, normalised to sum to 1 so pages weigh equally."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def shingle_prf(pages: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, f1): P is the mean page precision over pages with a prediction
    (tp+fp > 0), R the mean page recall over pages with gold text (tp+fn > 0), F1 from the means."""
    ps = [_page_precision(*c) for c in pages if c[0] + c[1] > 0]
    rs = [_page_recall(*c) for c in pages if c[0] + c[2] > 0]
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    return precision, recall, f1(precision, recall)


def exact_tokens(gold: str, pred: str) -> bool:
    """The benchmark's "accuracy" criterion: the two token sequences are identical."""
    return _WORD.findall(gold or "") == _WORD.findall(pred or "")
