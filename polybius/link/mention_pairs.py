"""The different-lemma pair model of mention linking: a logistic regression over a pair of event
mentions whose trigger lemmas differ ("shooting" / "killed", "quake" / "struck").

Its features (``FEATURES``) are the shared word family, a saying on either side, the same
document, the triggers' static (spaCy) and contextual (MiniLM) cosines, the context-word overlap,
and how alike the two triggers' *arguments* are: each trigger's subject, object, prepositional
objects and noun modifiers found in the parse (``argument_tokens``), each role represented by the
contextual MiniLM vector of its words (``argument_vectors``), so "the gunman" and "the suspect"
count as alike without a shared word. The weights ship in ``resources/mention_pair_model.yaml``,
written by ``scripts/train_mention_pairs.py`` from ECB+ (see that file's header for what it was
trained on and how it was evaluated).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from spacy.tokens import Span, Token

from polybius.errors import ResourceError
from polybius.resources import load_yaml

__all__ = ["COLUMN", "FEATURES", "PairModel", "PairSide", "argument_tokens", "argument_vectors",
           "feature_matrices", "pair_features", "pair_model", "probability", "trigger_embedding"]

MODEL = "mention_pair_model.yaml"

FEATURES = ("bias", "family", "saying", "same_doc", "static_cos", "context_cos", "context_words",
            "family_x_context_cos", "context_cos_sq", "argument_cos_any", "argument_cos_role",
            "both_have_arguments")
"""Feature names, in the order of the weights in the model file."""

COLUMN = {name: i for i, name in enumerate(FEATURES)}
"""Feature name → its index in ``pair_features`` / the last axis of ``feature_matrices``."""

CORE_ROLES = ("subject", "object")
"""Roles compared slot by slot (``argument_cos_role``); any role counts for ``argument_cos_any``."""

_DEPENDENT_ROLES = {"nsubj": "subject", "agent": "subject", "poss": "subject",
                    "nsubjpass": "object", "dobj": "object", "attr": "object"}
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_TIME_ENTS = frozenset({"DATE", "TIME"})

Arguments = tuple[tuple[str, tuple[float, ...]], ...]


class PairSide(Protocol):
    """What the features read from a mention (``polybius.link.mentions.Mention``)."""

    doc: str
    vector: tuple[float, ...]
    context: frozenset[str]
    families: frozenset[str]
    reporting: bool
    embedding: tuple[float, ...]
    arguments: Arguments


@dataclass(frozen=True)
class PairModel:
    """Logistic weights over ``FEATURES``; a different-lemma pair scores ``scale`` × probability."""

    weights: tuple[float, ...]
    scale: float


def probability(logit: np.ndarray) -> np.ndarray:
    """The logistic function, its argument clipped so extreme logits never overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))


@lru_cache(maxsize=1)
def pair_model() -> PairModel:
    """The validated ``resources/mention_pair_model.yaml``."""
    raw: Any = load_yaml(MODEL)
    where = f"resources/{MODEL}"
    if not isinstance(raw, dict) or not isinstance(raw.get("weights"), dict):
        raise ResourceError(f"{where}: expected a 'weights' mapping of feature name to number")
    weights = raw["weights"]
    if sorted(weights) != sorted(FEATURES):
        raise ResourceError(f"{where}: weights must name exactly the features {', '.join(FEATURES)}")
    scale = raw.get("scale")
    values = [weights[name] for name in FEATURES] + [scale]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
               for v in values):
        raise ResourceError(f"{where}: weights and 'scale' must be finite numbers")
    if scale <= 0:
        raise ResourceError(f"{where}: 'scale' must be positive")
    return PairModel(tuple(float(weights[name]) for name in FEATURES), float(scale))


def _role_of(tok: Token) -> tuple[str, Token] | None:
    """The argument role a dependent of the trigger fills and its head word, if any."""
    if tok.dep_ in _DEPENDENT_ROLES and tok.pos_ not in ("PRON", "DET"):
        return _DEPENDENT_ROLES[tok.dep_], tok
    if tok.dep_ == "npadvmod" and tok.ent_type_ in _TIME_ENTS:
        return "time", tok
    if tok.dep_ in ("compound", "amod", "nmod") and tok.pos_ in ("NOUN", "PROPN"):
        return "modifier", tok
    return None


def argument_tokens(trigger: Token) -> dict[str, list[int]]:
    """Token indices of the trigger's arguments by role: subject (also a passive agent or a
    possessor, "the company's sale"; for a verb modifying a noun, that noun), object, place, time,
    prepositional object, noun modifier. Pronouns are skipped (they carry no content)."""
    out: dict[str, list[int]] = {}
    for child in trigger.children:
        if child.dep_ in ("prep", "agent"):
            for obj in child.children:
                if obj.dep_ != "pobj" or obj.pos_ == "PRON":
                    continue
                if child.dep_ == "agent":
                    role = "subject"
                elif obj.ent_type_ in _PLACE_ENTS:
                    role = "place"
                elif obj.ent_type_ in _TIME_ENTS:
                    role = "time"
                else:
                    role = "prepositional"
                out.setdefault(role, []).append(obj.i)
            continue
        found = _role_of(child)
        if found is not None:
            out.setdefault(found[0], []).append(found[1].i)
    # "the man arrested on Friday": the noun a participle or relative clause modifies
    if trigger.dep_ in ("acl", "relcl") and trigger.head.pos_ in ("NOUN", "PROPN"):
        out.setdefault("subject", []).append(trigger.head.i)
    return out


def trigger_embedding(word_vectors: np.ndarray, tokens: Iterable[int]) -> tuple[float, ...]:
    """The L2-normalised mean of some words' rows of their sentence's contextual word vectors
    (``minilm.Encoder.word_vectors``): a trigger's, or an argument's; empty when those rows are
    all zero (no word pieces)."""
    rows = sorted(set(tokens))
    if not rows:
        return ()
    mean = word_vectors[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return tuple(float(x) / norm for x in mean) if norm > 0 else ()


def argument_vectors(word_vectors: np.ndarray, span: Span, head: int) -> Arguments:
    """Each argument role of the trigger whose head token is ``head`` (an index into the
    sentence ``span.doc``) with ``trigger_embedding`` of its words (the sentence's contextual
    vectors); roles whose words have no vector are left out."""
    found = ((role, trigger_embedding(word_vectors, rows))
             for role, rows in sorted(argument_tokens(span.doc[head]).items()))
    return tuple((role, vector) for role, vector in found if vector)


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    if not a or not b:
        return 0.0
    na, nb = math.sqrt(_dot(a, a)), math.sqrt(_dot(b, b))
    return _dot(a, b) / (na * nb) if na and nb else 0.0


def pair_features(a: PairSide, b: PairSide) -> list[float]:
    """``FEATURES`` of one pair, written as their definition (``feature_matrices`` computes the
    same for a whole group at once)."""
    family = float(bool(a.families & b.families))
    context_cos = _dot(a.embedding, b.embedding) if a.embedding and b.embedding else 0.0
    union = a.context | b.context
    any_cos = role_cos = 0.0
    if a.arguments and b.arguments:
        any_cos = max(_dot(u, v) for _, u in a.arguments for _, v in b.arguments)
        theirs = dict(b.arguments)
        shared = [_dot(u, theirs[r]) for r, u in a.arguments if r in CORE_ROLES and r in theirs]
        role_cos = max(shared, default=0.0)
    return [1.0, family, float(a.reporting or b.reporting), float(a.doc == b.doc),
            max(0.0, _cos(a.vector, b.vector)), context_cos,
            len(a.context & b.context) / len(union) if union else 0.0,
            family * context_cos, context_cos * context_cos, any_cos, role_cos,
            float(bool(a.arguments) and bool(b.arguments))]


def _unit_rows(rows: list[tuple[float, ...]], width: int) -> np.ndarray:
    m = np.array([r if r else (0.0,) * width for r in rows], dtype=np.float64)
    m = m.reshape(len(rows), width)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def feature_matrices(members: Sequence[PairSide]) -> np.ndarray:
    """``pair_features`` of every pair of ``members`` as an (n, n, len(FEATURES)) array."""
    n = len(members)
    out = np.zeros((n, n, len(FEATURES)))
    if n == 0:
        return out
    fams = sorted({f for m in members for f in m.families})
    fam = np.array([[f in m.families for f in fams] for m in members], dtype=np.float64)
    fam = fam.reshape(n, len(fams))
    rep = np.array([m.reporting for m in members])
    docs = np.array([m.doc for m in members])
    width = max((len(m.vector) for m in members), default=0)
    static = _unit_rows([m.vector for m in members], width) if width else np.zeros((n, 0))
    ewidth = max((len(m.embedding) for m in members), default=0)
    emb = np.array([m.embedding if m.embedding else (0.0,) * ewidth for m in members],
                   dtype=np.float64).reshape(n, ewidth)
    words = sorted({w for m in members for w in m.context})
    index = {w: i for i, w in enumerate(words)}
    ctx = np.zeros((n, len(words)))
    for i, m in enumerate(members):
        ctx[i, [index[w] for w in m.context]] = 1.0
    inter = ctx @ ctx.T
    sizes = ctx.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    cos = emb @ emb.T
    shared_family = (fam @ fam.T > 0).astype(np.float64)
    out[..., 0] = 1.0
    out[..., 1] = shared_family
    out[..., 2] = rep[:, None] | rep[None, :]
    out[..., 3] = docs[:, None] == docs[None, :]
    out[..., 4] = np.clip(static @ static.T, 0.0, None)
    out[..., 5] = cos
    out[..., 6] = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    out[..., 7] = shared_family * cos
    out[..., 8] = cos * cos
    out[..., 9:12] = _argument_matrices(members)
    return out


def _argument_matrices(members: Sequence[PairSide]) -> np.ndarray:
    """argument_cos_any, argument_cos_role and both_have_arguments for every pair."""
    n = len(members)
    out = np.zeros((n, n, 3))
    rows = [(i, role, vec) for i, m in enumerate(members) for role, vec in m.arguments]
    if not rows:
        return out
    owner = np.array([i for i, _, _ in rows])
    roles = np.array([r for _, r, _ in rows])
    vecs = np.array([v for _, _, v in rows], dtype=np.float64)
    sims = vecs @ vecs.T
    has = np.zeros(n, dtype=bool)
    has[owner] = True
    best_any = np.full((n, n), -np.inf)
    np.maximum.at(best_any, (owner[:, None], owner[None, :]), sims)
    core = np.isin(roles, CORE_ROLES)
    same_role = (roles[:, None] == roles[None, :]) & core[:, None] & core[None, :]
    best_role = np.full((n, n), -np.inf)
    np.maximum.at(best_role, (owner[:, None], owner[None, :]), np.where(same_role, sims, -np.inf))
    both = has[:, None] & has[None, :]
    out[..., 0] = np.where(both, best_any, 0.0)
    out[..., 1] = np.where(np.isfinite(best_role), best_role, 0.0)
    out[..., 2] = both
    return out
