"""Re-train the different-lemma pair model (polybius/resources/mention_pair_model.yaml) from ECB+.

    PYTHONPATH=. python scripts/train_mention_pairs.py --data ../shared/data [--out FILE]

Reads the ECB+ topics under DATA/news/ecbplus (gold mentions, predicted document groups, the
same Mentions `polybius eval ecbplus` builds), fits an L2-regularised logistic regression
(Newton's method, deterministic) on every pair of different-lemma mentions inside a document
group, labelled coreferent or not, and picks the scale of its probability by CoNLL F1 on the
training topics. It prints, and writes into the file's header:
- two-fold cross-validation over topics (trained and scaled on odd topics, scored on even ones
  and the reverse) against the scoring without the model;
- MEANTIME (DATA/news/meantime_en, when present), never used for training: the transfer test.
The repository holds only the weights, never the gold data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml

from polybius.evaluate import ecbplus, meantime_coref
from polybius.evaluate.ecbplus import (
    GoldMention, chains, gold_mentions, parsed_sentences, word_vectors,
)
from polybius.link.conll import conll
from polybius.link.mention_pairs import FEATURES, PairModel, feature_matrices
from polybius.link.mentions import Mention, Weights, cluster_mentions

SCALES = (1.0, 1.25, 1.5)
L2 = 1.0


def load(module: object, data: Path) -> tuple[list[GoldMention], list[Mention]]:
    """Gold mentions and our Mentions of an evaluation module (ecbplus / meantime_coref)."""
    docs, gold = module.load_gold(data)  # type: ignore[attr-defined]
    parsed = parsed_sentences(docs, None)
    return gold, gold_mentions(docs, gold, parsed, word_vectors(parsed))


def pairs(gold: Sequence[GoldMention], ours: Sequence[Mention]) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every different-lemma pair inside a document group."""
    chain = {g.id: g.chain for g in gold}
    groups: dict[str, list[Mention]] = {}
    for m in ours:
        groups.setdefault(m.group, []).append(m)
    xs, ys = [], []
    for members in groups.values():
        if len(members) < 2 or not all(m.embedding for m in members):
            continue
        upper = np.triu_indices(len(members), 1)
        lemmas = np.array([m.lemma for m in members])
        labels = np.array([chain[m.id] for m in members])
        keep = (lemmas[:, None] != lemmas[None, :])[upper]
        xs.append(feature_matrices(members)[upper][keep])
        ys.append((labels[:, None] == labels[None, :])[upper][keep].astype(np.float64))
    return np.concatenate(xs), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 25) -> np.ndarray:
    """Logistic regression weights by Newton's method with an L2 penalty (bias included)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def f1(gold: Sequence[GoldMention], ours: Sequence[Mention], weights: Weights) -> float:
    """CoNLL F1 of our clustering of ``ours`` against the gold chains."""
    return conll(chains(gold), cluster_mentions(ours, weights))["conll_f1"]


def train(gold: Sequence[GoldMention], ours: Sequence[Mention]) -> PairModel:
    """The model fitted on these mentions, its scale chosen on them."""
    w = tuple(round(float(v), 4) for v in fit(*pairs(gold, ours)))
    scored = {k: f1(gold, ours, Weights(model=PairModel(w, k))) for k in SCALES}
    return PairModel(w, max(scored, key=lambda k: scored[k]))


def subset(gold: Sequence[GoldMention], ours: Sequence[Mention],
           keep: Callable[[GoldMention], bool]) -> tuple[list[GoldMention], list[Mention]]:
    picked = [(g, o) for g, o in zip(gold, ours, strict=True) if keep(g)]
    return [g for g, _ in picked], [o for _, o in picked]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data directory")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1]
                        / "polybius" / "resources" / "mention_pair_model.yaml")
    args = parser.parse_args(argv)
    gold, ours = load(ecbplus, args.data)
    report = []
    without = Weights(learned=False)
    held_out: list[list[str]] = []
    for name, parity in (("odd", 1), ("even", 0)):
        train_set = subset(gold, ours, lambda g, p=parity: int(g.topic) % 2 != p)
        test_set = subset(gold, ours, lambda g, p=parity: int(g.topic) % 2 == p)
        model = train(*train_set)
        held_out += cluster_mentions(test_set[1], Weights(model=model))
        line = (f"{name} topics: {f1(*test_set, Weights(model=model)):.4f} with the model trained "
                f"on the other topics (scale {model.scale}), {f1(*test_set, without):.4f} without")
        print(line, flush=True)
        report.append(line)
    pooled = conll(chains(gold), held_out)["conll_f1"]
    line = (f"all topics, each scored by the model of the other fold (cross-validated): "
            f"{pooled:.4f}, {f1(gold, ours, without):.4f} without")
    print(line, flush=True)
    report.append(line)
    model = train(gold, ours)
    line = (f"all ECB+ topics, in sample: {f1(gold, ours, Weights(model=model)):.4f} "
            f"(scale {model.scale}), {f1(gold, ours, without):.4f} without")
    print(line, flush=True)
    report.append(line)
    if (args.data / meantime_coref.GOLD).exists():
        mgold, mours = load(meantime_coref, args.data)
        line = (f"MEANTIME (transfer, not trained on): {f1(mgold, mours, Weights(model=model)):.4f}"
                f", {f1(mgold, mours, without):.4f} without")
        print(line, flush=True)
        report.append(line)
    header = [
        "Different-lemma pair model of mention linking (polybius/link/mention_pairs.py).",
        f"Written by scripts/train_mention_pairs.py on {dt.date.today().isoformat()}; "
        "do not edit by hand.",
        "Trained on: every pair of different-lemma gold event mentions inside a predicted document",
        f"group of the ECB+ topics present ({len({g.topic for g in gold})} topics, "
        f"{len(gold)} mentions),",
        f"labelled coreferent or not; logistic regression, L2 = {L2}; scale chosen from {SCALES}",
        "by CoNLL F1 on the training topics. CoNLL F1 with gold mentions (polybius eval ecbplus):",
        *report,
    ]
    body = {"weights": dict(zip(FEATURES, model.weights, strict=True)), "scale": model.scale}
    text = "".join(f"# {h}\n" for h in header) + yaml.safe_dump(body, sort_keys=False)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
