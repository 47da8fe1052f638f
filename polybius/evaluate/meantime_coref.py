"""MEANTIME cross-document event coreference (English), scored like ``ecbplus``.

Gold: ``news/meantime_en/meantime_en.tar.xz``, the ``intra_cross-doc_annotation`` layer of every
``corpus_*`` present (a corpus is a topic). Gold mentions are the EVENT_MENTION markables; a
REFERS_TO relation ties mentions to an EVENT instance, whose ``instance_id`` is the cross-document
chain (a document-local instance without one is a chain of its own document); unlinked mentions
are singletons. Every sentence holding a mention is parsed. Metrics and settings as in
``polybius.evaluate.ecbplus`` (there are no subtopics: ``lemma_subtopic_f1`` equals the topic one).
"""

from __future__ import annotations

import re
import tarfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from polybius.errors import EvaluationError
from polybius.evaluate.common import require
from polybius.evaluate.ecbplus import GoldDoc, GoldMention, parsed_sentences, score
from polybius.evaluate.report import Progress, Report

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

GOLD = Path("news/meantime_en/meantime_en.tar.xz")
_NAME = re.compile(r"intra_cross-doc_annotation/corpus_(\w+)/([^/]+)\.xml$")


def _parse_doc(name: str, topic: str, root: ET.Element) -> tuple[GoldDoc, list[GoldMention]]:
    tokens: dict[str, tuple[int, int]] = {}
    words: dict[int, list[str]] = {}
    for t in root.iter("token"):
        s = int(t.get("sentence", "0"))
        tokens[t.get("t_id", "")] = (s, len(words.setdefault(s, [])))
        words[s].append(t.text or "")
    markables = root.find("Markables")
    instances = {mk.get("m_id", ""): mk.get("instance_id") or f"{name}/{mk.get('m_id')}"
                 for mk in (markables if markables is not None else []) if mk.tag == "EVENT"}
    chain_of: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        target = rel.find("target")
        if rel.tag == "REFERS_TO" and target is not None and target.get("m_id") in instances:
            for src in rel.findall("source"):
                chain_of[src.get("m_id", "")] = instances[target.get("m_id", "")]
    mentions: list[GoldMention] = []
    for mk in markables if markables is not None else []:
        anchors = [tokens[a.get("t_id", "")] for a in mk.findall("token_anchor")
                   if a.get("t_id", "") in tokens]
        if mk.tag != "EVENT_MENTION" or not anchors:
            continue
        mid = mk.get("m_id", "")
        gid = f"{name}/{mid}"
        sent = anchors[0][0]
        mentions.append(GoldMention(gid, name, topic, topic, sent,
                                    tuple(sorted(p for s, p in anchors if s == sent)),
                                    chain_of.get(mid, f"single/{gid}")))
    used = {m.sentence for m in mentions}
    doc = GoldDoc(name, topic, topic, {s: w for s, w in words.items() if s in used},
                  [w for s in sorted(words) for w in words[s]])
    return doc, mentions


def load_gold(data_dir: Path, limit: int | None = None) -> tuple[list[GoldDoc], list[GoldMention]]:
    """Documents and gold event mentions of every corpus present (first ``limit`` documents)."""
    path = require(data_dir / GOLD, "meantime-coref")
    docs: list[GoldDoc] = []
    mentions: list[GoldMention] = []
    try:
        with tarfile.open(path) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                match = _NAME.search(member.name)
                fh = tar.extractfile(member) if member.isfile() and match else None
                if fh is None or match is None:
                    continue
                topic, stem = match.groups()
                doc, found = _parse_doc(f"{topic}/{stem}", topic, ET.parse(fh).getroot())
                docs.append(doc)
                mentions += found
                if limit is not None and len(docs) >= limit:
                    break
    except (tarfile.TarError, ET.ParseError) as err:
        raise EvaluationError(f"meantime-coref: cannot read {path}: {err}") from err
    return docs, mentions


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Load the corpora present, parse the annotated sentences, score (``limit`` = first N docs)."""
    start = time.perf_counter()
    docs, gold = load_gold(data_dir, limit)
    if not gold:
        raise EvaluationError(f"meantime-coref: no event mentions found under {data_dir / GOLD}")
    report = score(docs, gold, parsed_sentences(docs, on_progress), name="meantime-coref")
    report.seconds = time.perf_counter() - start
    return report
