"""Cross-document coreference of event *mentions* (trigger words in parsed sentences).

This is the text-only side of linking, scored on ECB+ and MEANTIME: mentions are grouped by
document cluster (a topic's documents split by TF-IDF similarity, or the corpus's subtopics),
then clustered by average link on a pair score built from the trigger lemma, its word family
(``resources/event_word_families.yaml``: "die"/"death"/"dead", "earthquake"/"quake"), the
trigger's word vector, its contextual MiniLM vector (``polybius.link.minilm``: the same verb in
two sentences about different happenings), its participants' contextual vectors (who did it to
whom, for the same lemma) and the words around it (participants, places, times); two different
lemmas are scored by a trained pair model (``polybius.link.mention_pairs``). Stored events use
the structured score in ``polybius.link`` instead; text never links two events on its own there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from polybius.errors import ResourceError
from polybius.link.agglomerative import average_link
from polybius.link.mention_pairs import (
    COLUMN, Arguments, PairModel, feature_matrices, pair_features, pair_model, probability,
    trigger_embedding,
)
from polybius.resources import load_yaml

__all__ = ["DocumentGrouping", "Mention", "WordFamilies", "Weights", "cluster_mentions",
           "document_specifics", "document_words", "group_documents", "mention_from_span",
           "normal_lemma", "pair_score", "pair_scores", "participant_agreement",
           "participant_embeddings", "participant_heads", "tfidf_vectors", "trigger_embedding",
           "trigger_head", "word_families"]

FAMILIES = "event_word_families.yaml"

CONTEXT_POS = frozenset({"NOUN", "PROPN", "NUM"})

# Who did it ("agent": subject, possessor, by-phrase) and to whom or what ("patient": object,
# passive subject, of-phrase): dependency labels of the trigger's children (spaCy's English).
AGENT_DEPS = frozenset({"nsubj", "poss"})
PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "attr"})
PREPOSITION_ROLES = {"by": "agent", "of": "patient"}


@dataclass(frozen=True)
class Mention:
    """One event mention with what the pair score needs."""

    id: str
    doc: str
    group: str
    """The document cluster the mention is compared within (topic or subtopic)."""
    lemma: str
    pos: str
    vector: tuple[float, ...] = ()
    context: frozenset[str] = frozenset()
    """Lemmas of nouns, names and numbers in the mention's sentence (the trigger excluded)."""
    families: frozenset[str] = frozenset()
    """The word families of the trigger lemma (``event_word_families.yaml``)."""
    reporting: bool = False
    """The trigger is a verb or noun of saying."""
    embedding: tuple[float, ...] = ()
    """The trigger's contextual MiniLM vector in its sentence, L2-normalised (``trigger_embedding``;
    empty when the model is not installed)."""
    arguments: Arguments = ()
    """The trigger's argument roles with their contextual vectors
    (``mention_pairs.argument_vectors``; empty without the model): the different-lemma pair
    model's features."""
    participants: tuple[tuple[str, tuple[float, ...]], ...] = ()
    """(role, L2-normalised contextual vector) of the trigger's agent and patient
    (``participant_embeddings``); empty without contextual vectors: the same-lemma
    participants term."""


@dataclass(frozen=True)
class Weights:
    """Pair score = lemma + contextual·(cos(MiniLM trigger vectors) − contextual_centre) for the
    same lemma (the second term only when both mentions have one); for different lemmas, the
    pair model's scaled probability (``mention_pairs``, when ``learned`` is on and both mentions
    have MiniLM vectors), else the larger of family·[a shared word family] and
    vector·cos(trigger word vectors); times ``reporting`` when either trigger is a saying; plus
    context·Jaccard(context); plus, for the same lemma, participants·(mean cos of the
    participants in the roles both have − participants_centre). Measured on ECB+ and MEANTIME
    (docs/EVALUATION.md)."""

    lemma: float = 0.7
    family: float = 0.6
    vector: float = 0.6
    context: float = 0.05
    reporting: float = 0.5
    threshold: float = 0.5
    contextual: float = 2.0
    contextual_centre: float = 0.7
    participants: float = 0.5
    participants_centre: float = 0.4
    learned: bool = True
    """Score different lemmas with the pair model (else with the static vector cosine)."""
    model: PairModel | None = None
    """The pair model; None: the packaged ``resources/mention_pair_model.yaml``."""


@dataclass(frozen=True)
class DocumentGrouping:
    """Settings of ``group_documents``: average-link ``threshold`` on content-word cosine plus
    ``specifics``·(names-and-numbers cosine); a lone document joins the group it resembles most
    when the mean similarity is ≥ ``attach``. Measured on ECB+ and MEANTIME
    (docs/EVALUATION.md)."""

    threshold: float = 0.09
    attach: float = 0.02
    specifics: float = 0.5


@dataclass(frozen=True)
class WordFamilies:
    """Event-word families (word → family names) and the words of saying."""

    families: dict[str, frozenset[str]]
    reporting: frozenset[str]


@lru_cache(maxsize=1)
def word_families() -> WordFamilies:
    """The validated ``resources/event_word_families.yaml``."""
    raw = load_yaml(FAMILIES)
    if not isinstance(raw, dict) or not isinstance(raw.get("families"), dict):
        raise ResourceError(f"resources/{FAMILIES}: expected a 'families' mapping")
    index: dict[str, set[str]] = {}
    for name, words in raw["families"].items():
        if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w.strip() for w in words):
            raise ResourceError(f"resources/{FAMILIES}: families.{name}: expected a list of words")
        for word in words:
            index.setdefault(word.casefold(), set()).add(str(name))
    reporting = raw.get("reporting", [])
    if not isinstance(reporting, list) or not all(isinstance(w, str) for w in reporting):
        raise ResourceError(f"resources/{FAMILIES}: reporting: expected a list of words")
    return WordFamilies({w: frozenset(f) for w, f in index.items()},
                        frozenset(w.casefold() for w in reporting))


def normal_lemma(lemma: str) -> str:
    """The casefolded lemma without an -s the lemmatizer left ("Oscars", "playoffs", and "dies"
    when "die" is a family word)."""
    word = lemma.casefold()
    if not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if len(word) > 4 or word[:-1] in word_families().families:
        return word[:-1]
    return word


def trigger_head(span: Span) -> int:
    """The token index of the span's syntactic head (the token whose head is outside the span)."""
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok.i
    return span.start


def participant_heads(span: Span) -> dict[str, Token]:
    """The trigger's agent and patient heads, the first of each found among the children of
    its head (pronouns and determiners skipped: they carry no content to compare)."""
    head = span.doc[trigger_head(span)]
    found: dict[str, Token] = {}
    for child in head.children:
        if child.pos_ in ("PRON", "DET"):
            continue
        if child.dep_ in AGENT_DEPS:
            found.setdefault("agent", child)
        elif child.dep_ in PATIENT_DEPS:
            found.setdefault("patient", child)
        elif child.dep_ in ("agent", "prep"):
            role = "agent" if child.dep_ == "agent" else PREPOSITION_ROLES.get(child.lower_)
            for obj in child.children:
                if role is not None and obj.dep_ == "pobj" and obj.pos_ != "PRON":
                    found.setdefault(role, obj)
    return found


def participant_embeddings(span: Span, word_vectors: np.ndarray
                        ) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """(role, vector) of the trigger's agent and patient: each head with its compound words,
    as ``trigger_embedding`` over ``word_vectors`` (one row per token of ``span.doc``)."""
    out = []
    for role, tok in sorted(participant_heads(span).items()):
        rows = [tok.i, *(c.i for c in tok.children if c.dep_ == "compound")]
        vector = trigger_embedding(word_vectors, rows)
        if vector:
            out.append((role, vector))
    return tuple(out)


def mention_from_span(mid: str, doc_name: str, group: str, span: Span,
                      embedding: tuple[float, ...] = (), arguments: Arguments = (),
                      word_vectors: np.ndarray | None = None) -> Mention:
    """A Mention for the trigger ``span`` of a parsed sentence (``embedding``: its contextual
    vector, see ``trigger_embedding``; ``arguments``: see ``mention_pairs.argument_vectors``;
    ``word_vectors``: the contextual vectors of the tokens of ``span.doc``, for its
    participants, see ``participant_embeddings``)."""
    doc: Doc = span.doc
    head = doc[trigger_head(span)]
    sent = head.sent
    context = frozenset(t.lemma_.casefold() for t in sent
                        if t.pos_ in CONTEXT_POS and not (span.start <= t.i < span.end)
                        and not t.is_stop)
    vec = tuple(float(x) for x in head.vector) if head.has_vector else ()
    lemma = normal_lemma(head.lemma_)
    lexicon = word_families()
    participants = (participant_embeddings(span, word_vectors) if word_vectors is not None
                    else ())
    return Mention(mid, doc_name, group, lemma, head.pos_, vec, context,
                   lexicon.families.get(lemma, frozenset()), lemma in lexicon.reporting, embedding,
                   arguments, participants)


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(x * y for x, y in zip(a, b))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def pair_score(a: Mention, b: Mention, w: Weights) -> float:
    """How likely two mentions refer to the same event (see ``Weights``)."""
    if a.lemma == b.lemma:
        score = w.lemma
        # the same verb or noun in two sentences about different happenings ("fell" of a
        # market and of a climber) has dissimilar contextual vectors; similar ones score up
        if a.embedding and b.embedding:
            score += w.contextual * (_dot(a.embedding, b.embedding) - w.contextual_centre)
    else:
        if w.learned and a.embedding and b.embedding:
            # the model weighs a shared family itself, against the contextual cosine
            model = w.model or pair_model()
            logit = sum(x * y for x, y in zip(pair_features(a, b), model.weights, strict=True))
            score = model.scale * float(probability(np.float64(logit)))
        else:
            score = w.vector * max(0.0, _cos(a.vector, b.vector))
            if a.families & b.families:
                score = max(score, w.family)
    if a.reporting or b.reporting:
        score *= w.reporting
    union = a.context | b.context
    if union:
        score += w.context * len(a.context & b.context) / len(union)
    if a.lemma == b.lemma:
        score += participant_agreement(a, b, w)
    return score


def participant_agreement(a: Mention, b: Mention, w: Weights) -> float:
    """participants·(mean over the roles both mentions fill of cos − participants_centre), 0 when
    they share no role: the same verb told of the same happening has the same participants
    ("police arrested the suspect" twice), of another happening, other ones."""
    theirs = dict(b.participants)
    shared = [_dot(v, theirs[role]) for role, v in a.participants if role in theirs]
    if not shared:
        return 0.0
    return w.participants * (sum(shared) / len(shared) - w.participants_centre)


def cluster_mentions(mentions: Sequence[Mention], weights: Weights = Weights()) -> list[list[str]]:
    """Clusters of mention ids: average link inside each group, never across groups."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.group, []).append(m)
    out: list[list[str]] = []
    for members in groups.values():
        scores = pair_scores(members, weights)
        sim = {(a.id, b.id): float(scores[i, j])
               for (i, a), (j, b) in combinations(enumerate(members), 2)}
        out += average_link([m.id for m in members], sim, weights.threshold)
    return out


def pair_scores(members: Sequence[Mention], w: Weights = Weights()) -> np.ndarray:
    """``pair_score`` of every pair of ``members`` as an (n, n) matrix, computed group-wise with
    numpy (a document group has up to ~100k pairs; the per-pair definition is the reference)."""
    f = feature_matrices(members)
    lemmas = np.array([m.lemma for m in members])
    same = lemmas[:, None] == lemmas[None, :]
    has = np.array([bool(m.embedding) for m in members])
    both = has[:, None] & has[None, :]
    context_cos = f[..., COLUMN["context_cos"]]
    same_score = w.lemma + np.where(both, w.contextual * (context_cos - w.contextual_centre), 0.0)
    diff_score = w.vector * f[..., COLUMN["static_cos"]]
    diff_score = np.where(f[..., COLUMN["family"]] > 0, np.maximum(diff_score, w.family), diff_score)
    if w.learned:
        model = w.model or pair_model()
        learned = model.scale * probability(f @ np.array(model.weights))
        diff_score = np.where(both, learned, diff_score)
    score = np.where(same, same_score, diff_score)
    score = np.where(f[..., COLUMN["saying"]] > 0, score * w.reporting, score)
    score = score + w.context * f[..., COLUMN["context_words"]]
    return score + np.where(same, _participant_matrix(members, w), 0.0)


def _participant_matrix(members: Sequence[Mention], w: Weights) -> np.ndarray:
    """``participant_agreement`` of every pair of ``members`` as an (n, n) matrix."""
    n = len(members)
    total = np.zeros((n, n))
    count = np.zeros((n, n))
    for role in sorted({r for m in members for r, _ in m.participants}):
        rows = [dict(m.participants).get(role, ()) for m in members]
        width = max(len(r) for r in rows)
        vecs = np.array([r if r else (0.0,) * width for r in rows], dtype=np.float64)
        has = np.array([bool(r) for r in rows], dtype=np.float64)
        total += vecs @ vecs.T
        count += has[:, None] * has[None, :]
    mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    return np.where(count > 0, w.participants * (mean - w.participants_centre), 0.0)


def tfidf_vectors(texts: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """L2-normalised TF-IDF vectors (log tf, smoothed idf) of tokenised texts."""
    df: Counter[str] = Counter()
    for words in texts.values():
        df.update(set(words))
    n = len(texts)
    out: dict[str, dict[str, float]] = {}
    for key, words in texts.items():
        tf = Counter(words)
        vec = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out[key] = {w: v / norm for w, v in vec.items() if v}
    return out


def sparse_cos(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def document_words(tokens: Iterable[str]) -> list[str]:
    """The casefolded alphabetic words of a document that are not stop words (what document
    clustering compares: function words make every news story look alike)."""
    return [w for w in (t.casefold() for t in tokens) if w.isalpha() and w not in STOP_WORDS]


_NUMERAL = re.compile(r"\d[\d,.]*")
_SENTENCE_END = frozenset({".", "!", "?", ":", '"', "''", "``"})


def document_specifics(tokens: Iterable[str]) -> list[str]:
    """A document's names and numbers, casefolded: capitalised words that do not open a sentence
    (people, places, organisations; stop words skipped) and numerals (commas dropped). Two
    reports of similar happenings (two earthquakes, two arrests) share their content words but
    not these."""
    out: list[str] = []
    previous = "."
    for tok in tokens:
        if (tok[:1].isupper() and tok.isalpha() and previous not in _SENTENCE_END
                and tok.casefold() not in STOP_WORDS):
            out.append(tok.casefold())
        elif _NUMERAL.fullmatch(tok):
            out.append(tok.replace(",", ""))
        previous = tok
    return out


def group_documents(tokens: Mapping[str, Sequence[str]],
                    settings: DocumentGrouping = DocumentGrouping()) -> dict[str, str]:
    """Document → document-group key (its smallest member) for documents given as tokens:
    average link on the TF-IDF cosine of their content words (``document_words``) plus
    ``settings.specifics`` times that of their names and numbers (``document_specifics``)."""
    words = tfidf_vectors({d: document_words(t) for d, t in tokens.items()})
    specifics = tfidf_vectors({d: document_specifics(t) for d, t in tokens.items()})

    def similarity(a: str, b: str) -> float:
        return sparse_cos(words[a], words[b]) + settings.specifics * sparse_cos(specifics[a],
                                                                                specifics[b])

    return _link_documents(sorted(tokens), similarity, settings.threshold, settings.attach)


def _link_documents(names: list[str], similarity: Callable[[str, str], float], threshold: float,
                    attach: float) -> dict[str, str]:
    sim = {(a, b): similarity(a, b) for a, b in combinations(names, 2)}
    clusters = average_link(names, sim, threshold)
    out = {d: c[0] for c in clusters for d in c}
    # A short document shares too few words to reach the threshold with anyone: it joins the
    # group it resembles most on average, when that resemblance is at least ``attach``.
    groups = [c for c in clusters if len(c) > 1]
    for alone in (c[0] for c in clusters if len(c) == 1):
        scored = [(sum(sim[min(alone, d), max(alone, d)] for d in g) / len(g), g[0])
                  for g in groups]
        best = max(scored, default=None)
        if best is not None and best[0] >= attach:
            out[alone] = best[1]
    return out
