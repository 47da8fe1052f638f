"""Factuality: did the event happen according to the text, who says so, and which cue decided.

First cut, by precedence (the first that applies wins): negated ("did not attack"), denied (in
the complement of "deny"), hypothetical ("could", "if"), future (threats, plans, "will"),
claimed (claims of responsibility, "purported"), reported (attributed speech), asserted.
A claim that another source contradicts in the same article becomes "disputed", with a note.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from polybius.extract import Context
from polybius.model import Actor, Event, Factuality, Quote

NEGATIONS = {"not", "n't", "never", "no"}
MODALS_HYPOTHETICAL = {"could", "would", "might", "may", "should"}
FUTURE_AUX = {"will", "shall", "'ll"}
FUTURE_VERBS = {"threaten", "vow", "warn", "plan", "intend", "pledge", "promise", "prepare",
                "aim", "seek", "want", "hope", "expect", "propose", "consider", "decide", "agree"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
# Dependency relations through which a verb governs the content of what it says or claims.
COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "pcomp", "pobj", "prep", "compound", "amod", "nmod", "acl"}
DENY_VERBS = {"deny", "reject", "dismiss", "refute"}
CLAIM_VERBS = {"claim"}
CLAIM_NOUNS = {"responsibility", "credit"}
UNVERIFIED = {"purported", "purportedly", "alleged", "allegedly", "unverified", "unconfirmed"}
# Phrases with which a source contradicts a claim made in the same article.
# Stems, because a quote keeps its cue verb as written ("disputed", "dismisses").
DISPUTE_CUE_STEMS = ("disput", "dismiss", "doubt", "question", "contradict", "reject")
DISPUTE_PHRASES = ("no evidence", "no link", "no known link", "no sign", "not linked", "no connection",
                   "mentally ill", "mentally disturbed", "psychiatric", "no proof")


def assign_factuality(doc: Doc, ctx: Context, events: Sequence[Event], quotes: Sequence[Quote],
                      actors: Sequence[Actor]) -> None:
    """Set ``event.factuality`` for every event in place."""
    disputes = _disputing_statements(quotes)
    for event in events:
        statuses = [_status(root, event, quotes, actors) for root in _trigger_roots(doc, event)]
        if not statuses:
            continue
        event.factuality = statuses[0]
        # A later mention under a claim ("claimed responsibility for the attack") is a claim about
        # who did it: the event keeps its own status, the claim is recorded with its source.
        claims = [f for f in statuses if f.status == "claimed"]
        if claims and event.factuality.status not in ("claimed", "negated", "hypothetical", "future"):
            event.factuality = Factuality(
                status=event.factuality.status,
                attributed_to=_unique(event.factuality.attributed_to + claims[0].attributed_to),
                note=f"{_who(claims[0].attributed_to, actors) or 'a source'} claimed responsibility",
                cue=claims[0].cue)
            claims = [event.factuality]
        if claims and disputes:
            quote = disputes[0]
            claimer = _who(event.factuality.attributed_to, actors) or "a source"
            disputer = _who([quote.speaker] if quote.speaker else [], actors) or "another source"
            event.factuality = Factuality(
                status="disputed",
                attributed_to=_unique(event.factuality.attributed_to + ([quote.speaker] if quote.speaker else [])),
                note=f"{claimer} claimed; {disputer} disputes: {quote.text[:120]}",
                cue=f"{event.factuality.cue} / {quote.cue}")


def _trigger_roots(doc: Doc, event: Event) -> list[Token]:
    """The trigger token of each evidence mention of the event, in order."""
    spans = [doc.char_span(*ev.trigger.span, alignment_mode="expand") for ev in event.evidence]
    return [s.root for s in spans if s is not None]


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _who(ids: Sequence[str], actors: Sequence[Actor]) -> str:
    by_id = {a.id: a.name for a in actors}
    return ", ".join(by_id[i] for i in ids if i in by_id)


def _clause_chain(tok: Token) -> list[Token]:
    """The trigger and the heads above it, up to the sentence root."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _status(trig: Token, event: Event, quotes: Sequence[Quote], actors: Sequence[Actor]) -> Factuality:
    chain = _clause_chain(trig)
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), trig)
    own = list(trig.children) + (list(verb.children) if verb.i != trig.i else [])
    neg = next((c for c in own if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no")), None)
    if neg is not None:
        return Factuality("negated", _speakers(trig, quotes), None, neg.text)
    # Walk up the clause chain: the first governing denial or claim decides, but only through
    # complements: "denied that it attacked" governs the attack, "denied it, after X attacked" does not.
    for below, up in zip(chain, chain[1:]):
        if below.dep_ not in COMPLEMENT_DEPS:
            break
        lemma = up.lemma_.lower()
        if lemma in DENY_VERBS and up.pos_ == "VERB":
            return Factuality("denied", _subject_actor(up, actors), None, up.text)
        if lemma in CLAIM_VERBS or (up.lower_ in CLAIM_NOUNS and up.head.lemma_.lower() in ("claim", "take")):
            claimer = up if lemma in CLAIM_VERBS else up.head
            return Factuality("claimed", _subject_actor(claimer, actors), None, claimer.text)
    for tok in [trig, *chain[1:3]]:
        for c in tok.children:
            if c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                return Factuality("hypothetical", _speakers(trig, quotes), None, c.text)
            if c.dep_ == "aux" and c.lower_ in MODALS_HYPOTHETICAL:
                return Factuality("hypothetical", _speakers(trig, quotes), None, c.text)
            if c.dep_ == "aux" and c.lower_ in FUTURE_AUX:
                return Factuality("future", _speakers(trig, quotes), None, c.text)
            if c.dep_ == "aux" and c.lower_ == "going" and trig.dep_ == "xcomp":
                return Factuality("future", _speakers(trig, quotes), None, "going to")
        if tok.i != trig.i and tok.lemma_.lower() in FUTURE_VERBS and trig.dep_ in ("xcomp", "pcomp", "pobj", "dobj", "ccomp") \
                and event.type != "THREATEN":
            return Factuality("future", _subject_actor(tok, actors) or _speakers(trig, quotes), None, tok.text)
    unverified = next((t for t in trig.sent if t.lower_ in UNVERIFIED), None)
    if unverified is not None:
        return Factuality("claimed", _speakers(trig, quotes), None, unverified.text)
    speakers = _speakers(trig, quotes)
    if speakers:
        quote = _quote_of(trig, quotes)
        return Factuality("reported", speakers, None, quote.cue if quote else None)
    return Factuality("asserted", [], None, None)


def _quote_of(trig: Token, quotes: Sequence[Quote]) -> Quote | None:
    inside = [q for q in quotes if q.span[0] <= trig.idx < q.span[1]]
    return min(inside, key=lambda q: q.span[1] - q.span[0]) if inside else None


def _speakers(trig: Token, quotes: Sequence[Quote]) -> list[str]:
    """The speaker of the innermost quote containing the trigger, if any."""
    quote = _quote_of(trig, quotes)
    return [quote.speaker] if quote and quote.speaker else []


def _subject_actor(verb: Token, actors: Sequence[Actor]) -> list[str]:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return []
    lo, hi = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
    return [a.id for a in actors if lo <= a.span[0] and a.span[1] <= hi][:1]


def _disputing_statements(quotes: Sequence[Quote]) -> list[Quote]:
    """Quotes that contradict a claim: "no evidence of a link", "dismissed the claim"…"""
    found = []
    for q in quotes:
        text = q.text.lower()
        cue = (q.cue or "").lower()
        if any(p in text for p in DISPUTE_PHRASES) or cue.startswith(DISPUTE_CUE_STEMS):
            found.append(q)
    return found
