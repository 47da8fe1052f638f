"""ECB+ cross-document event coreference: CoNLL F1 with gold and with detected event mentions.

Gold: ``news/ecbplus/ECB+_xml.tar.xz`` (whatever topics it holds) restricted to the sentences of
``ECBplus_coreference_sentences.csv``, as the corpus README asks. Gold mentions are the ACTION_*
and NEG_* markables there; chains come from CROSS_DOC_COREF (by chain id) and INTRA_DOC_COREF
(by target); a mention in no relation is a singleton chain (singletons included, as usual).

* ``conll_f1_gold``: our mention clustering (``polybius.link.mentions``) over the gold mentions.
  Documents are grouped first by TF-IDF average link on their content words and their names
  and numbers inside each topic (predicted subtopics; the corpus's ecb/ecbplus split is not
  used, a document left alone joins the group it resembles most), mentions are clustered inside
  each document group. Triggers, their participants (the same-lemma term) and their arguments
  (``polybius.link.mention_pairs``, the different-lemma pair model) get contextual MiniLM
  vectors (``polybius.link.minilm``) when the model is installed.
  ``muc_f1``, ``b3_f1``, ``ceafe_f1`` belong to this setting.
* ``conll_f1_e2e``: the same clustering over mentions we detect ourselves (verbs, deverbal
  nouns and event-family words, see ``detect``); a detected mention stands for the gold mention whose tokens
  contain its head; ``mention_recall``/``mention_precision`` measure the detection.
* ``conll_f1_gold_subtopic``: gold mentions grouped by the corpus's subtopics (ecb/ecbplus halves
  of a topic) instead of predicted document groups.
* ``lemma_topic_f1`` / ``lemma_subtopic_f1``: the same-lemma baselines, for reference.
"""

from __future__ import annotations

import csv
import re
import tarfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Doc, Span

from polybius import nlp
from polybius.errors import EvaluationError
from polybius.evaluate.common import require
from polybius.evaluate.report import Progress, Report, Table
from polybius.link.conll import conll
from polybius.link.mention_pairs import argument_vectors
from polybius.link.mentions import (
    Mention, cluster_mentions, group_documents, mention_from_span, normal_lemma, trigger_embedding,
    trigger_head, word_families,
)
from polybius.link.minilm import load_encoder

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("news/ecbplus/ECB+_xml.tar.xz")
SENTENCES = Path("news/ecbplus/ECBplus_coreference_sentences.csv")
_NAME = re.compile(r"(?:^|/)(\d+)_(\d+)(ecb|ecbplus)\.xml$")
# Event nouns for detection: deverbal endings, plus nouns a verb lemma of the corpus shares.
_EVENT_NOUN = re.compile(r"(tion|sion|ment|ance|ence|ure|ing|al|age|ery|ism)$")


@dataclass(frozen=True)
class GoldMention:
    id: str
    doc: str
    topic: str
    subtopic: str
    sentence: int
    tokens: tuple[int, ...]
    """Positions of the mention's tokens inside its sentence."""
    chain: str


@dataclass
class GoldDoc:
    name: str
    topic: str
    subtopic: str
    sentences: dict[int, list[str]]
    """Selected sentences only: number → tokens."""
    text: list[str]
    """Every token of the document (for document clustering)."""


def _selected(data_dir: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    with require(data_dir / SENTENCES, "ecbplus").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(f"{row['Topic']}_{row['File']}", set()).add(int(row["Sentence Number"]))
    return out


def _parse_doc(name: str, topic: str, sub: str, root: ET.Element,
               selected: set[int]) -> tuple[GoldDoc, list[GoldMention]]:
    tokens: dict[str, tuple[int, int, str]] = {}
    sentences: dict[int, list[str]] = {}
    text: list[str] = []
    for t in root.iter("token"):
        s, num = int(t.get("sentence", "0")), int(t.get("number", "0"))
        tokens[t.get("t_id", "")] = (s, num, t.text or "")
        text.append(t.text or "")
        if s in selected:
            sentences.setdefault(s, []).append(t.text or "")
    chain_of: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        sources = [s.get("m_id", "") for s in rel.findall("source")]
        target = rel.find("target")
        if rel.tag == "CROSS_DOC_COREF":
            chain = rel.get("note", "")
        elif rel.tag == "INTRA_DOC_COREF" and target is not None:
            chain = f"{name}/intra/{target.get('m_id')}"
        else:
            continue
        for s in sources:
            chain_of[s] = chain
    mentions: list[GoldMention] = []
    markables = root.find("Markables")
    for mk in markables if markables is not None else []:
        if not mk.tag.startswith(("ACTION_", "NEG_")):
            continue
        anchors = [tokens[a.get("t_id", "")] for a in mk.findall("token_anchor")
                   if a.get("t_id", "") in tokens]
        if not anchors or anchors[0][0] not in selected:
            continue
        mid = mk.get("m_id", "")
        gid = f"{name}/{mid}"
        mentions.append(GoldMention(gid, name, topic, f"{topic}{sub}", anchors[0][0],
                                    tuple(sorted(a[1] for a in anchors if a[0] == anchors[0][0])),
                                    chain_of.get(mid, f"single/{gid}")))
    return GoldDoc(name, topic, f"{topic}{sub}", sentences, text), mentions


def load_gold(data_dir: Path, limit: int | None = None) -> tuple[list[GoldDoc], list[GoldMention]]:
    """Documents and gold event mentions of every topic in the archive (first ``limit`` topics)."""
    selected = _selected(data_dir)
    path = require(data_dir / GOLD, "ecbplus")
    docs: list[GoldDoc] = []
    mentions: list[GoldMention] = []
    try:
        with tarfile.open(path) as tar:
            for member in tar:
                match = _NAME.search(member.name)
                if not member.isfile() or match is None:
                    continue
                topic, n, sub = match.groups()
                key = f"{topic}_{n}{sub}"
                fh = tar.extractfile(member)
                if fh is None or key not in selected:
                    continue
                doc, found = _parse_doc(key, topic, sub, ET.parse(fh).getroot(), selected[key])
                docs.append(doc)
                mentions += found
    except (tarfile.TarError, ET.ParseError) as err:
        raise EvaluationError(f"ecbplus: cannot read {path}: {err}") from err
    topics = sorted({d.topic for d in docs}, key=int)
    if limit is not None:
        keep = set(topics[:limit])
        docs = [d for d in docs if d.topic in keep]
        mentions = [m for m in mentions if m.topic in keep]
    return docs, mentions


def chains(mentions: Iterable[GoldMention]) -> list[list[str]]:
    """Gold clusters of mention ids."""
    out: dict[str, list[str]] = {}
    for m in mentions:
        out.setdefault(m.chain, []).append(m.id)
    return list(out.values())


def parsed_sentences(docs: list[GoldDoc], on_progress: Progress | None) -> dict[tuple[str, int], Doc]:
    """Every selected sentence parsed from its gold tokens (so token positions line up)."""
    model = nlp.load()
    keys = [(d.name, s) for d in docs for s in sorted(d.sentences)]
    words = {(d.name, s): d.sentences[s] for d in docs for s in d.sentences}
    out: dict[tuple[str, int], Doc] = {}
    inputs = (Doc(model.vocab, words=words[k]) for k in keys)
    for k, parsed in zip(keys, model.pipe(inputs, batch_size=64)):
        out[k] = parsed
        if on_progress is not None:
            on_progress(len(out), len(keys))
    return out


def word_vectors(parsed: dict[tuple[str, int], Doc]) -> dict[tuple[str, int], np.ndarray]:
    """Each sentence's contextual MiniLM word vectors; empty when the model is not installed."""
    encoder = load_encoder()
    if encoder is None:
        return {}
    keys = sorted(parsed)
    return dict(zip(keys, encoder.word_vectors([[t.text for t in parsed[k]] for k in keys]),
                    strict=True))


def detect(sentence: Doc) -> list[int]:
    """Token positions that look like event triggers: main verbs, event nouns, and nouns or
    adjectives of the event-word families ("fire", "death", "dead")."""
    found = []
    families = word_families().families
    for tok in sentence:
        if tok.pos_ == "VERB" and tok.dep_ not in ("aux", "auxpass"):
            found.append(tok.i)
        elif tok.pos_ == "NOUN" and _EVENT_NOUN.search(tok.lemma_.casefold()) and len(tok) > 5:
            found.append(tok.i)
        elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and normal_lemma(tok.lemma_) in families:
            found.append(tok.i)
    return found


def _groups(docs: list[GoldDoc]) -> dict[str, str]:
    """Document → predicted subtopic: TF-IDF average link within each topic."""
    out: dict[str, str] = {}
    by_topic: dict[str, dict[str, list[str]]] = {}
    for d in docs:
        by_topic.setdefault(d.topic, {})[d.name] = d.text
    for topic, texts in by_topic.items():
        out |= {doc: f"{topic}:{c}" for doc, c in group_documents(texts).items()}
    return out


def _mention(mid: str, doc_name: str, group: str, span: Span, tokens: Iterable[int],
             vectors: np.ndarray | None) -> Mention:
    """A Mention with its contextual trigger (``tokens``), argument and participant vectors when
    ``vectors`` (the sentence's MiniLM word vectors) are given."""
    if vectors is None:
        return mention_from_span(mid, doc_name, group, span)
    return mention_from_span(mid, doc_name, group, span, trigger_embedding(vectors, tokens),
                             argument_vectors(vectors, span, trigger_head(span)), vectors)


def gold_mentions(docs: list[GoldDoc], gold: list[GoldMention],
                  parsed: dict[tuple[str, int], Doc], vectors: dict[tuple[str, int], np.ndarray],
                  group: dict[str, str] | None = None) -> list[Mention]:
    """The gold mentions as Mentions in their predicted document groups (``group``: computed
    from ``docs`` when not given; ``vectors``: see ``word_vectors``, empty → no contextual
    vectors)."""
    group = group if group is not None else _groups(docs)
    return [_mention(m.id, m.doc, group[m.doc],
                     parsed[(m.doc, m.sentence)][m.tokens[0]:m.tokens[-1] + 1], m.tokens,
                     vectors.get((m.doc, m.sentence)))
            for m in gold]


def score(docs: list[GoldDoc], gold: list[GoldMention], parsed: dict[tuple[str, int], Doc],
          name: str = "ecbplus") -> Report:
    """All settings of the module docstring on loaded gold and parsed sentences."""
    key = chains(gold)
    group = _groups(docs)
    vectors = word_vectors(parsed)
    ours = gold_mentions(docs, gold, parsed, vectors, group)
    result = conll(key, cluster_mentions(ours))
    by_sub = [replace(o, group=g.subtopic) for o, g in zip(ours, gold, strict=True)]
    metrics = {"conll_f1_gold": result["conll_f1"],
               "muc_f1": result["muc_f1"], "b3_f1": result["b3_f1"], "ceafe_f1": result["ceafe_f1"]}
    # same-lemma baselines (anchors in the issue): one cluster per lemma and topic / subtopic
    for level, grouping in (("topic", lambda m: m.topic), ("subtopic", lambda m: m.subtopic)):
        metrics[f"lemma_{level}_f1"] = conll(key, _by_lemma(gold, ours, grouping))["conll_f1"]
    metrics["conll_f1_gold_subtopic"] = conll(key, cluster_mentions(by_sub))["conll_f1"]
    # end to end: detected trigger tokens, each standing for the gold mention that contains it
    at: dict[tuple[str, int, int], str] = {(m.doc, m.sentence, t): m.id for m in gold for t in m.tokens}
    detected: list[Mention] = []
    used: set[str] = set()
    for (doc_name, s), sent in sorted(parsed.items()):
        for i in detect(sent):
            gid = at.get((doc_name, s, i))
            mid = gid if gid is not None and gid not in used else f"{doc_name}/sys/{s}/{i}"
            used.add(mid)
            detected.append(_mention(mid, doc_name, group[doc_name], sent[i:i + 1], [i],
                                     vectors.get((doc_name, s))))
    hits = sum(1 for m in detected if "/sys/" not in m.id)
    e2e = conll(key, cluster_mentions(detected))
    metrics |= {"conll_f1_e2e": e2e["conll_f1"],
                "mention_recall": hits / len(gold) if gold else 0.0,
                "mention_precision": hits / len(detected) if detected else 0.0}
    table = Table(["setting", "MUC F1", "B3 F1", "CEAF-e F1", "CoNLL F1"],
                  [["gold mentions", result["muc_f1"], result["b3_f1"], result["ceafe_f1"],
                    result["conll_f1"]],
                   ["detected mentions", e2e["muc_f1"], e2e["b3_f1"], e2e["ceafe_f1"],
                    e2e["conll_f1"]]])
    return Report(name, metrics, details={"coreference": table}, n=len(gold),
                  notes=[f"{len(docs)} documents, {len({d.topic for d in docs})} topics, "
                         f"{len(key)} gold chains; {len(detected)} detected mentions; contextual "
                         f"vectors: {'MiniLM' if vectors else 'none (model not installed)'}"])


def _by_lemma(gold: list[GoldMention], ours: list[Mention],
              grouping: Callable[[GoldMention], str]) -> list[list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for g, m in zip(gold, ours, strict=True):
        out.setdefault((grouping(g), m.lemma), []).append(m.id)
    return list(out.values())


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Load the topics present, parse the selected sentences, score (``limit`` = first N topics)."""
    start = time.perf_counter()
    docs, gold = load_gold(data_dir, limit)
    if not gold:
        raise EvaluationError(f"ecbplus: no event mentions found under {data_dir / GOLD}")
    report = score(docs, gold, parsed_sentences(docs, on_progress))
    report.seconds = time.perf_counter() - start
    return report
