"""Quotes: direct quotations and indirect speech, with speaker (an actor) and cue verb.

Speakers are resolved the way a reader does: a pronoun or a bare title ("the minister said",
"she added") refers to the last person named before it whose title fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from polybius.extract import Context
from polybius.model import Actor, Quote

SPEECH_VERBS = {
    "say", "tell", "add", "state", "declare", "announce", "claim", "deny", "warn", "insist",
    "explain", "write", "tweet", "post", "vow", "report", "confirm", "allege", "assert", "argue",
    "note", "stress", "acknowledge", "admit", "accuse", "threaten", "promise", "pledge", "reply",
    "respond", "continue", "ask", "describe", "call", "quote", "urge", "predict", "suggest",
}
PRONOUNS = {"he", "she", "they", "we", "i", "it"}
# Straight quotes pair in order; curly quotes pair by direction. Multi-paragraph quotes open a
# paragraph without closing it and reopen the next, so a closing mark is not required before "\n\n"
# when the next paragraph opens with a quote mark.
QUOTE_RE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"|‘([^’]{15,}?)’(?!\w)", re.S)


def extract_quotes(doc: Doc, ctx: Context, actors: Sequence[Actor]) -> list[Quote]:
    """Direct and indirect quotes in text order."""
    found: list[Quote] = []
    direct_spans: list[tuple[int, int]] = []
    for m in QUOTE_RE.finditer(doc.text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        start, end = m.span(group)
        if len(m.group(group).split()) < 3:
            continue  # a scare-quoted term ("terrorist"), not a quotation
        cue, speaker = _direct_cue(doc, m.start(), m.end(), actors)
        direct_spans.append((start, end))
        found.append(Quote(id="", text=doc.text[start:end], span=(start, end), kind="direct",
                           speaker=speaker, cue=cue.text if cue is not None else None,
                           rule="direct:" + ("cue-verb" if cue is not None else "no-cue")))
    for sent in doc.sents:
        for tok in sent:
            content = _indirect_content(tok)
            if content is None:
                continue
            start, end = content.start_char, content.end_char
            if any(s <= start < e or start <= s < end for s, e in direct_spans):
                continue
            speaker = _speaker_of(tok, actors)
            found.append(Quote(id="", text=doc.text[start:end], span=(start, end), kind="indirect",
                               speaker=speaker, cue=tok.text,
                               rule="indirect:according-to" if tok.lower_ == "according" else "indirect:ccomp"))
    found.sort(key=lambda q: q.span)
    for i, q in enumerate(found, 1):
        q.id = f"q{i}"
    return found


def _indirect_content(tok: Token) -> Span | None:
    """The reported clause of a speech verb ("X said [that …]") or of "according to X"."""
    doc = tok.doc
    if tok.lower_ == "according" and tok.dep_ == "prep":
        head = tok.head
        sent = tok.sent
        # "according to police, …": the rest of the sentence is the content.
        if tok.i == sent.start or tok.i < head.i:
            after = doc[tok.right_edge.i + 1:sent.end]
            return _trim(after)
        return _trim(doc[sent.start:tok.i])
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH_VERBS:
        return None
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if not comps:
        return None
    clause = comps[0]
    return _trim(doc[clause.left_edge.i:clause.right_edge.i + 1])


def _trim(span: Span) -> Span | None:
    """Drop leading "that"/punctuation and trailing punctuation; None when nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ == "that" or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end - start >= 2 else None


def _direct_cue(doc: Doc, q_start: int, q_end: int, actors: Sequence[Actor]) -> tuple[Token | None, str | None]:
    """The speech verb next to a quotation (after it, else before it) and its speaker."""
    inside = range(q_start, q_end)
    first = doc.char_span(q_start, q_end, alignment_mode="expand")
    if first is None:
        return None, None
    sents = {first[0].sent.start, first[-1].sent.start}
    window = [t for t in doc[max(first[0].sent.start, 0):first[-1].sent.end]]
    if first[-1].i + 1 < len(doc):
        nxt = doc[first[-1].i + 1].sent
        if nxt.start not in sents:
            window += list(nxt)[:8]  # '"…" the minister said.' is sometimes split from its quote
    cues = [t for t in window if t.idx not in inside and t.lemma_.lower() in SPEECH_VERBS
            and t.pos_ in ("VERB", "AUX")]
    if not cues:
        return None, None
    after = [t for t in cues if t.idx >= q_end]
    cue = min(after, key=lambda t: t.idx - q_end) if after else max(cues, key=lambda t: t.idx)
    return cue, _speaker_of(cue, actors)


def _speaker_of(cue: Token, actors: Sequence[Actor]) -> str | None:
    """Actor id of the speaker of a speech verb (its subject, or the object of "according to")."""
    if cue.lower_ == "according":
        subj = next((g for c in cue.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None)
    else:
        subj = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and cue.dep_ in ("conj", "xcomp"):
            subj = next((c for c in cue.head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    direct = _actor_at(subj, actors)
    if direct is not None and not _is_title_only(direct):
        return direct.id
    if subj.lower_ in PRONOUNS or direct is not None:
        return _antecedent(subj, actors, direct)
    return None


def _actor_at(tok: Token, actors: Sequence[Actor]) -> Actor | None:
    lo, hi = tok.left_edge.idx, tok.idx + len(tok)
    overlapping = [a for a in actors if a.span[0] < hi and tok.idx < a.span[1] and a.span[0] >= lo]
    return overlapping[-1] if overlapping else next(
        (a for a in actors if a.span[0] <= tok.idx < a.span[1]), None)


def _is_title_only(actor: Actor) -> bool:
    """A generic mention of a single person ("the minister"), which a named person can resolve."""
    return actor.rule.startswith("generic:") and actor.kind == "PER"


def _antecedent(tok: Token, actors: Sequence[Actor], title: Actor | None) -> str | None:
    """The last named person before ``tok`` (with the same title word, when a title is given)."""
    before = [a for a in actors if a.span[1] <= tok.idx and a.kind == "PER" and a.rule.startswith("ner:")]
    if title is not None:
        word = title.name.split()[-1].lower()
        titled = [a for a in before if word in a.rule or a.sector == title.sector]
        before = titled or []
        if not before:
            return title.id
    if tok.lower_ in ("they", "we"):
        return None  # a plural pronoun does not point at one person
    return before[-1].id if before else None
