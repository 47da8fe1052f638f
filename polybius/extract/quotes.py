"""Quotes: direct quotations and attributed content (speech, beliefs, evidence), with the source.

Direct quotations are found by a scanner over quotation marks that works paragraph by paragraph
(``_direct_spans``), so an unbalanced mark can spoil at most one paragraph and never runs to the
end of the article. Indirect attributions come from the parse: a cue word of
``resources/attribution_cues.yaml`` ("said", "believes", "polls show", "pledged to",
"the claim that", "according to") and the clause or phrase it governs.

Every quote keeps the source phrase as written (``source_span``: "she", "a senior official") and
the actor it resolves to (``speaker``), the way a reader resolves it: a pronoun or a bare title
("the minister said", "she added") refers to the last person named before it whose title fits;
a generic noun ("officials said") is the generic actor the actor extractor made for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from polybius.errors import ResourceError
from polybius.extract import Context
from polybius.model import Actor, Quote
from polybius.resources import load_yaml

PRONOUNS = {"he", "she", "they", "we", "i", "it"}
# A quotation longer than this is cut at a paragraph end and ruled "…:capped". The longest direct
# Content in PolNeAR dev (409 of them) runs 918 characters, the median 147; past 2,000 an
# unbalanced quotation mark is far likelier than a speech, and a runaway quote would swallow
# every event after it into "reported".
MAX_QUOTE_CHARS = 2000
MIN_QUOTE_WORDS = 3  # fewer words is a scare-quoted term ("a "martyrdom operation"")
DOUBLE_OPEN, DOUBLE_CLOSE, STRAIGHT = "“", "”", '"'
# Single quotation marks are only quotes with a word boundary outside and a word inside;
# otherwise they are apostrophes ("don't", "the students' union", "'90s").
SINGLE_RE = re.compile(r"(?<![\w’'])[‘'](?=[A-Za-z0-9])(.{2,}?)(?<=[\w.,!?])[’'](?![\w’'])")
ALLOWED_DEPS = {"ccomp", "xcomp", "dobj", "prep"}


@dataclass(frozen=True)
class CueGroup:
    """Cue lemmas that govern their content through the given dependency relations."""

    name: str
    lemmas: frozenset[str]
    deps: frozenset[str]
    subjects: frozenset[str] = frozenset()
    """When set, the cue counts only with one of these subject nouns ("the poll shows")."""
    preps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cues:
    """The attribution lexicon: verb groups, cue nouns, source prepositions."""

    groups: tuple[CueGroup, ...]
    nouns: frozenset[str]
    according: frozenset[str]

    @property
    def speech_verbs(self) -> frozenset[str]:
        return next(g.lemmas for g in self.groups if g.name == "speech")


def _words(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ResourceError(f"resources/attribution_cues.yaml: {where}: expected a list of words")
    return frozenset(v.lower() for v in value)


@lru_cache(maxsize=1)
def attribution_cues() -> Cues:
    """The validated attribution lexicon (read once)."""
    data = load_yaml("attribution_cues.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("verbs"), dict):
        raise ResourceError("resources/attribution_cues.yaml: expected a mapping with 'verbs'")
    groups = []
    for name, spec in data["verbs"].items():
        where = f"verbs/{name}"
        if not isinstance(spec, dict):
            raise ResourceError(f"resources/attribution_cues.yaml: {where}: expected a mapping")
        deps = _words(spec.get("deps"), f"{where}/deps")
        if not deps <= ALLOWED_DEPS:
            raise ResourceError(f"resources/attribution_cues.yaml: {where}/deps: unknown "
                                f"{sorted(deps - ALLOWED_DEPS)}; choose from {sorted(ALLOWED_DEPS)}")
        groups.append(CueGroup(
            name, _words(spec.get("lemmas"), f"{where}/lemmas"), deps,
            _words(spec["subjects"], f"{where}/subjects") if "subjects" in spec else frozenset(),
            _words(spec["preps"], f"{where}/preps") if "preps" in spec else frozenset()))
    if not any(g.name == "speech" for g in groups):
        raise ResourceError("resources/attribution_cues.yaml: verbs/speech is required")
    return Cues(tuple(groups), _words(data.get("nouns"), "nouns"),
                _words(data.get("according", ["according"]), "according"))


def extract_quotes(doc: Doc, ctx: Context, actors: Sequence[Actor]) -> list[Quote]:
    """Direct quotations and indirect attributions in text order, each with its source."""
    cues = attribution_cues()
    found: list[Quote] = []
    direct_spans: list[tuple[int, int]] = []
    for start, end, rule in _direct_spans(doc.text):
        if len(doc.text[start:end].split()) < MIN_QUOTE_WORDS:
            continue
        cue, source = _direct_cue(doc, start, end, cues)
        if rule == "single" and cue is None:
            continue  # single marks without a speech verb next to them: too often apostrophes
        direct_spans.append((start, end))
        found.append(_quote(doc, (start, end), "direct", cue, source, actors,
                            f"direct:{'cue-verb' if cue is not None else 'no-cue'}"
                            + ("" if rule == "double" else f":{rule}")))
    for tok in doc:
        hit = _indirect(tok, cues)
        if hit is None:
            continue
        content, source, rule = hit
        start, end = _within_paragraph(doc.text, content.start_char, content.end_char, tok.idx)
        if end - start < 2:
            continue
        if any(s < end and start < e for s, e in direct_spans):
            continue
        found.append(_quote(doc, (start, end), "indirect", tok, source, actors, f"indirect:{rule}"))
    found.sort(key=lambda q: q.span)
    for i, q in enumerate(found, 1):
        q.id = f"q{i}"
    return found


def _within_paragraph(text: str, start: int, end: int, cue: int) -> tuple[int, int]:
    """The content clipped to the cue's paragraph: a parse that runs a byline or headline into the
    first sentence must not make them part of what the source said."""
    para_start = text.rfind("\n", 0, cue) + 1
    para_end = text.find("\n", cue)
    start = max(start, para_start)
    end = min(end, para_end if para_end >= 0 else len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote(doc: Doc, span: tuple[int, int], kind: str, cue: Token | None, source: Span | None,
           actors: Sequence[Actor], rule: str) -> Quote:
    return Quote(id="", text=doc.text[span[0]:span[1]], span=span, kind=kind,
                 speaker=_resolve(source, actors) if source is not None else None,
                 cue=cue.text if cue is not None else None, rule=rule,
                 source_span=(source.start_char, source.end_char) if source is not None else None)


# --- direct quotations -------------------------------------------------------------------------

def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"\n\s*", text):  # blank lines between paragraphs belong to no paragraph
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _direct_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, rule) of the content of each quotation; rule is double|unclosed|capped|single.

    Double marks (straight or curly) pair within a paragraph. A paragraph that ends inside a
    quotation continues it only when the next paragraph opens with a quotation mark (the news
    convention for multi-paragraph quotes) and the whole stays under ``MAX_QUOTE_CHARS``;
    otherwise the quotation ends with its paragraph.
    """
    out: list[tuple[int, int, str]] = []
    paragraphs = list(_paragraphs(text))
    open_at: int | None = None
    reopen = -1  # the opening mark of a continuation paragraph: not a new quotation
    for n, (p_start, p_end) in enumerate(paragraphs):
        for i in range(p_start, p_end):
            ch = text[i]
            if i == reopen or ch not in (DOUBLE_OPEN, DOUBLE_CLOSE, STRAIGHT):
                continue
            if ch == DOUBLE_OPEN or (ch == STRAIGHT and open_at is None):
                if open_at is not None and _rstrip(text, open_at, i) > open_at:
                    out.append((open_at, _rstrip(text, open_at, i), "unclosed"))
                open_at = i + 1
            elif open_at is not None:
                if i > open_at:
                    out.append((open_at, i, "double"))
                open_at = None
        if open_at is None:
            continue
        nxt_start, nxt_end = paragraphs[n + 1] if n + 1 < len(paragraphs) else (len(text), len(text))
        body = text[nxt_start:nxt_end]
        mark = nxt_start + len(body) - len(body.lstrip())
        continues = mark < nxt_end and text[mark] in (DOUBLE_OPEN, STRAIGHT)
        if continues and nxt_end - open_at <= MAX_QUOTE_CHARS:
            reopen = mark
            continue
        if _rstrip(text, open_at, p_end) > open_at:
            out.append((open_at, _rstrip(text, open_at, p_end), "capped" if continues else "unclosed"))
        open_at = None
    inside = [(s, e) for s, e, _ in out]
    for m in SINGLE_RE.finditer(text):
        s, e = m.span(1)
        if "\n" in text[s:e] or any(a <= s < b for a, b in inside):
            continue  # nested inside a double-quoted quotation: part of its content
        out.append((s, e, "single"))
    return sorted(out)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _direct_cue(doc: Doc, q_start: int, q_end: int, cues: Cues) -> tuple[Token | None, Span | None]:
    """The speech verb next to a quotation (after it, else before it) and its source phrase."""
    span = doc.char_span(q_start, q_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    first, last = span[0], span[-1]
    window = list(doc[first.sent.start:last.sent.end])
    if last.i + 1 < len(doc):
        nxt = doc[last.i + 1].sent
        if nxt.start >= last.sent.end:
            window += list(nxt)[:8]  # '"…" the minister said.' is sometimes split from its quote
    if first.i > 0:
        prev = doc[first.i - 1].sent
        if prev.end <= first.sent.start:
            window = list(prev)[-8:] + window  # 'She said: "…"' split before the quote
    speech = cues.speech_verbs | {"according"}
    found = [t for t in window if not q_start <= t.idx < q_end and t.lemma_.lower() in speech
             and (t.pos_ in ("VERB", "AUX") or t.lower_ == "according")]
    if not found:
        return None, None
    after = [t for t in found if t.idx >= q_end]
    cue = min(after, key=lambda t: t.idx - q_end) if after else max(found, key=lambda t: t.idx)
    return cue, _source(cue)


# --- indirect attributions ---------------------------------------------------------------------

def _indirect(tok: Token, cues: Cues) -> tuple[Span, Span | None, str] | None:
    """(content, source phrase, rule) when ``tok`` is an attribution cue governing content."""
    if tok.lower_ in cues.according and tok.dep_ == "prep":
        return _according(tok)
    if tok.pos_ == "NOUN" and tok.lower_ in cues.nouns:
        clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl")
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            return None
        content = _trim(_subtree(clause))
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        return (content, _subtree(owner), "noun-that") if content is not None else None
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    lemma = tok.lemma_.lower()
    for group in cues.groups:
        if lemma not in group.lemmas:
            continue
        source = _source(tok)
        if group.subjects and (source is None or source.root.lower_ not in group.subjects):
            continue
        content = _content(tok, group)
        if content is not None:
            return content, source, f"{group.name}:{content.root.dep_ if content.root.head == tok else 'prep'}"
    if lemma in cues.speech_verbs and tok.dep_ == "parataxis" and tok.head.i > tok.i:
        # "The talks, she said, failed": the governing clause is the content.
        sent = tok.sent
        content = _trim(_without(sent, tok))
        return (content, _source(tok), "speech:parataxis") if content is not None else None
    return None


def _without(span: Span, cue: Token) -> Span:
    """``span`` minus a cue's subtree at its start or end (else the whole span)."""
    lo, hi = cue.left_edge.i, cue.right_edge.i + 1
    if lo <= span.start:
        return span.doc[hi:span.end]
    if hi >= span.end - 1:
        return span.doc[span.start:lo]
    return span


def _content(tok: Token, group: CueGroup) -> Span | None:
    for child in tok.children:
        if child.dep_ not in group.deps:
            continue
        if child.dep_ == "dobj" and (child.pos_ == "PRON" or child.lower_ in ("it", "this", "that")):
            continue
        if child.dep_ == "prep":
            if child.lower_ not in group.preps:
                continue
            obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is None:
                continue
            return _trim(_subtree(obj))
        return _trim(_subtree(child))
    return None


def _according(tok: Token) -> tuple[Span, Span | None, str] | None:
    """"according to X, …" / "…, according to X": the rest of the sentence is the content."""
    doc = tok.doc
    sent = tok.sent
    to = next((c for c in tok.children if c.dep_ == "prep"), None)
    obj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
    source = _subtree(obj) if obj is not None else None
    if tok.i == sent.start or tok.i < tok.head.i:
        content = _trim(doc[tok.right_edge.i + 1:sent.end])
    else:
        content = _trim(doc[sent.start:tok.i])
    return (content, source, "according-to") if content is not None else None


def _subtree(tok: Token | None) -> Span | None:
    if tok is None:
        return None
    return tok.doc[tok.left_edge.i:tok.right_edge.i + 1]


def _trim(span: Span | None) -> Span | None:
    """Drop leading "that"/punctuation and trailing punctuation; None when under two tokens."""
    if span is None:
        return None
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ == "that" or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end - start >= 1 and doc[start:end].text.strip() else None


def _source(cue: Token) -> Span | None:
    """The source phrase of a cue: its subject, the object of "according to", or the subject of
    the verb it is coordinated with or embedded under ("… and added", "is expected to say")."""
    if cue.lower_ == "according":
        obj = next((g for c in cue.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None)
        return _subtree(obj)
    subj = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.dep_ == "nsubjpass":
        agent = next((g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        return _subtree(agent)  # "it was reported by Reuters"; plain "it was reported": no source
    head = cue
    while subj is None and head.dep_ in ("conj", "xcomp") and head.head.i != head.i:
        head = head.head
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    # "The New York Post reports": the whole subject phrase, without a relative clause.
    span = _subtree(subj)
    if span is not None:
        rel = next((c for c in subj.children if c.dep_ in ("relcl", "acl") and c.i > subj.i), None)
        if rel is not None and rel.left_edge.i > span.start:
            span = subj.doc[span.start:rel.left_edge.i]
    return _trim_source(span)


def _trim_source(span: Span | None) -> Span | None:
    if span is None:
        return None
    start, end = span.start, span.end
    doc = span.doc
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


# --- speakers ----------------------------------------------------------------------------------

def _resolve(source: Span, actors: Sequence[Actor]) -> str | None:
    """Actor id the source phrase refers to (a pronoun or bare title: the person named before)."""
    head = source.root
    direct = _actor_at(source, actors)
    if direct is not None and not _is_title_only(direct):
        return direct.id
    if head.lower_ in PRONOUNS or direct is not None:
        return _antecedent(head, actors, direct)
    return None


def _actor_at(source: Span, actors: Sequence[Actor]) -> Actor | None:
    """The actor mention inside the source phrase that covers its head (else the last one)."""
    lo, hi = source.start_char, source.end_char
    root = source.root
    inside = [a for a in actors if lo <= a.span[0] and a.span[1] <= hi]
    covering = [a for a in inside if a.span[0] <= root.idx < a.span[1]]
    if covering:
        return covering[-1]
    if inside:
        return inside[-1]
    return next((a for a in actors if a.span[0] <= root.idx < a.span[1]), None)


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
