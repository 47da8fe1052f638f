"""Factuality: did the event happen according to the text, who says so, and which cue decided.

For each mention of an event, ``factuality_at`` reads the parse outward from the trigger:

1. the event's own clause: a negation ("did not attack", "no attack") → negated; a conditional
   ("if …") → hypothetical; a modal ("could", "may have") → hypothetical, except "would" in
   reported speech, which is the future of the speaker ("said it would strike") → future;
   "will"/"going to" → future;
2. the governing frames, innermost first, through complement relations only ("denied that it
   attacked" governs the attack, "denied it, after X attacked" does not): a denial → denied; a
   dispute → disputed; a claim of responsibility, an accusation or an allegation → claimed; a
   threat, plan, warning or order → future; "failed to"/"refused to" → negated; possibility
   words ("a possible strike") → hypothetical; speech, belief and evidence verbs → a source of a
   report, and the walk goes on, so nested speech keeps its chain of sources
   ("officials said the group claimed …": claimed by the group, as officials report);
3. unverified-words ("purported", "allegedly") and a group's own media → claimed;
4. any source (a governing speech verb or a quotation containing the trigger) → reported; an
   interested party reporting its own action ("the group said its fighters attacked") → claimed;
5. otherwise asserted.

The first decisive status walking outward wins; the cue word that set it is kept, and
``attributed_to`` lists the sources, innermost first. A claim that another source contradicts
(a disputing statement about the same event, ``_disputes``) becomes disputed, with a note.
All word lists are in ``resources/factuality_cues.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from polybius.errors import ResourceError
from polybius.extract import Context
from polybius.extract.numbers import Number
from polybius.extract.quotes import attribution_cues
from polybius.model import Actor, Event, Factuality, Quote
from polybius.resources import load_yaml

# Relations through which a governing word takes the event as its content or object.
CLAUSE_DEPS = {"ccomp", "xcomp", "pcomp", "csubj", "acl", "oprd", "acomp"}
NOMINAL_DEPS = {"dobj", "pobj", "prep", "compound", "nsubjpass", "attr", "appos", "amod", "nmod",
                "npadvmod", "agent", "dative"}
ARMED_SECTORS = {"REB", "UAF", "CRM"}
NEGATIVE_ARGUMENTS = {"nobody", "none", "nothing", "neither", "noone"}
LIST_KEYS = ("negations", "negating_verbs", "hypothetical_modals", "hypothetical_marks",
             "hypothetical_words", "future_aux", "future_verbs", "directive_verbs", "future_nouns",
             "content_preps", "occurrence_verbs", "support_verbs", "deny_verbs",
             "dispute_verbs", "claim_verbs", "claim_nouns", "claim_noun_heads", "unverified",
             "claim_media", "report_verbs", "dispute_phrases", "dispute_cue_stems")


@dataclass(frozen=True)
class FactualityCues:
    """The validated word lists of ``resources/factuality_cues.yaml`` (see that file)."""

    lists: dict[str, frozenset[str]]

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.lists[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=1)
def factuality_cues() -> FactualityCues:
    """The factuality lexicon, read once; a missing or malformed list names the key."""
    data = load_yaml("factuality_cues.yaml")
    if not isinstance(data, dict):
        raise ResourceError("resources/factuality_cues.yaml: expected a mapping of word lists")
    lists = {}
    for key in LIST_KEYS:
        words = data.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise ResourceError(f"resources/factuality_cues.yaml: {key}: expected a non-empty list of "
                                "words (quote words YAML reads as booleans: \"no\", \"on\")")
        lists[key] = frozenset(w.lower().replace("_", " ") for w in words)
    unknown = set(data) - set(LIST_KEYS)
    if unknown:
        raise ResourceError(f"resources/factuality_cues.yaml: unknown keys {sorted(unknown)}")
    return FactualityCues(lists)


def assign_factuality(doc: Doc, ctx: Context, events: Sequence[Event], quotes: Sequence[Quote],
                      actors: Sequence[Actor], numbers: Sequence[Number] = ()) -> None:
    """Set ``event.factuality`` for every event in place; sources that give different casualty
    figures for the same event are recorded in its ``note`` ("killed: 26 according to police vs
    30 according to hospital officials")."""
    for event in events:
        statuses = [factuality_at(root, quotes, actors, event) for root in _trigger_roots(doc, event)]
        if not statuses:
            continue
        event.factuality = statuses[0]
        # A later mention under a claim ("claimed responsibility for the attack") is a claim about
        # who did it: the event keeps its own status, the claim is recorded with its source.
        claims = [f for f in statuses[1:] if f.status == "claimed"]
        if claims and event.factuality.status in ("asserted", "reported"):
            event.factuality = Factuality(
                status=event.factuality.status,
                attributed_to=_unique(event.factuality.attributed_to + claims[0].attributed_to),
                note=f"{_who(claims[0].attributed_to, actors) or 'a source'} claimed responsibility",
                cue=claims[0].cue)
        if event.factuality.status == "claimed" or claims and event.factuality.status in ("asserted", "reported"):
            dispute = _dispute_of(doc, event, quotes, actors)
            if dispute is not None:
                claimer = _who(event.factuality.attributed_to, actors) or "a source"
                disputer = _who([dispute.speaker] if dispute.speaker else [], actors) or "another source"
                event.factuality = Factuality(
                    status="disputed",
                    attributed_to=_unique(event.factuality.attributed_to
                                          + ([dispute.speaker] if dispute.speaker else [])),
                    note=f"{claimer} claimed; {disputer} disputes: {dispute.text[:120]}",
                    cue=f"{event.factuality.cue} / {dispute.cue}")


    for event in events:
        figures = _figure_disagreements(event, events, numbers, quotes, actors)
        if figures:
            f = event.factuality
            f.note = f"{f.note}; {figures}" if f.note else figures


_FIGURE_KINDS = ("killed", "injured", "arrested")


def _figure_disagreements(event: Event, events: Sequence[Event], numbers: Sequence[Number],
                          quotes: Sequence[Quote], actors: Sequence[Actor]) -> str:
    """Figures of one kind for this event that different sources give differently.

    A figure belongs to the event when it stands in one of its evidence sentences, or when it is a
    death toll ("the toll rose to 30") after the event's first mention and no later event of the
    same type comes between (the rule events.py uses to update a toll). A figure's source is the
    speaker of the quote that contains it; unsourced figures are updates, not disagreements.
    """
    first = min(ev.trigger.span[0] for ev in event.evidence)
    same_type = [min(ev.trigger.span[0] for ev in e.evidence) for e in events
                 if e.type == event.type and e is not event]
    parts = []
    for kind in _FIGURE_KINDS:
        if kind not in event.size.spans:
            continue
        by_value: dict[int, list[str]] = {}
        for number in numbers:
            if number.kind != kind or number.role == "perpetrators":
                continue
            inside = any(s <= number.span[0] < e for s, e in (ev.span for ev in event.evidence))
            toll = (number.is_toll and first < number.span[0]
                    and not any(first < other < number.span[0] for other in same_type))
            quote = next((q for q in quotes if q.speaker and q.span[0] <= number.span[0] < q.span[1]), None)
            who = _who([quote.speaker], actors) if quote and quote.speaker else ""
            if (inside or toll) and who and who not in by_value.setdefault(int(number.value), []):
                by_value[int(number.value)].append(who)
        sources = {who for names in by_value.values() for who in names}
        if len(by_value) > 1 and len(sources) > 1:
            parts.append(f"{kind}: " + " vs ".join(
                f"{value} according to {', '.join(names)}" for value, names in by_value.items()))
    return "; ".join(parts)


def _trigger_roots(doc: Doc, event: Event) -> list[Token]:
    """The trigger token of each evidence mention of the event, in order."""
    spans = [doc.char_span(*ev.trigger.span, alignment_mode="expand") for ev in event.evidence]
    return [s.root for s in spans if s is not None and len(s)]


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def _who(ids: Sequence[str], actors: Sequence[Actor]) -> str:
    by_id = {a.id: a.name for a in actors}
    return ", ".join(by_id[i] for i in ids if i in by_id)


@dataclass
class _Walk:
    """What the outward walk from a trigger has seen so far."""

    sources: list[str]
    chain: list[str]
    reported_cue: str | None = None
    notes: list[str] = field(default_factory=list)


def factuality_at(trig: Token, quotes: Sequence[Quote], actors: Sequence[Actor],
                  event: Event | None = None) -> Factuality:
    """The factuality of the event whose trigger is ``trig`` (module docstring: the rules)."""
    cues = factuality_cues()
    walk = _Walk([], [])
    verb = _clause_verb(trig)
    own = _own_status(trig, verb, cues)
    decided = own if own is not None and own[0] != "would" else None
    would = own[1] if own is not None and own[0] == "would" else None
    presupposed = False
    # Start at the trigger: the verb a noun trigger hangs from may itself be the frame
    # ("threatened an attack", "accused X of a massacre").
    below, up = trig, trig.head
    # Walk to the sentence root even after a decision, so outer sources join the chain.
    while up.i != below.i:
        if below.dep_ == "conj":
            # A coordinated clause shares its first conjunct's governors, not its negation.
            below, up = up, up.head
            continue
        if not _governs(below, up, cues):
            break
        # An event in a relative clause ("the man who killed …") is presupposed: what governs
        # its noun can make it reported, but not a plan, a denial or a hypothesis.
        presupposed = presupposed or below.dep_ in ("relcl", "acl") and up.pos_ != "VERB" \
            and up.lower_ not in attribution_cues().nouns | cues.future_nouns
        own_clause = below.i == trig.i or below.i == verb.i and verb.lemma_.lower() in cues.support_verbs
        known = len(walk.sources)
        frame = _frame(below, up, cues, actors, walk, own_clause)
        if frame is not None and presupposed and frame[0] not in ("claimed", "denied", "disputed"):
            del walk.sources[known:]  # "investigators are examining …": not a source of the event
        if frame is not None and presupposed and frame[0] in ("claimed", "denied", "disputed"):
            # "accused Russia of being behind the attack": a claim about who did it, not whether
            walk.notes.append(f"{_name(up, actors)} {frame[1]} (its author or cause, not that it happened)")
        if frame is not None and (presupposed or frame[0] == "would"):
            would = would or (frame[1] if frame[0] == "would" and not presupposed else None)
            frame = None
        if frame is not None and frame[0] == "future" and decided is not None and decided[1].lower() in cues.hypothetical_marks:
            decided = frame  # a threat with a condition is still a threat ("… if the offensive goes on")
        decided = decided or frame
        # A noun event that is the object of an ordinary verb ("stop describing the protest",
        # "accused X of being behind the attack") is presupposed above that verb.
        presupposed = presupposed or (up.i == verb.i and verb.i != trig.i and trig.pos_ in ("NOUN", "PROPN")
                                      and verb.lemma_.lower() not in cues.support_verbs | cues.occurrence_verbs)
        below, up = up, up.head
    if decided is None and would is not None:
        # "would": the speaker's future when reported ("said it would strike"), else a
        # conditional ("a crackdown would be a mistake").
        future = walk.reported_cue is not None and trig.dep_ not in ("nsubj", "nsubjpass")
        decided = ("future" if future else "hypothetical", would)
    if decided is not None:
        return _done(decided[0], decided[1], trig, quotes, actors, walk)
    sent = trig.sent
    unverified = next((t for t in sent if t.lower_ in cues.unverified and _qualifies(t, trig, verb)), None)
    if unverified is not None:
        return _done("claimed", unverified.text, trig, quotes, actors, walk)
    text = sent.text.lower()
    media = next((w for w in cues.claim_media if w in text), None)
    quote = _quote_of(trig, quotes)
    if media is not None and (walk.sources or quote is not None):
        return _done("claimed", media, trig, quotes, actors, walk)
    if walk.reported_cue is not None or quote is not None:
        sources = _all_sources(trig, quotes, walk)
        if sources and _armed(sources[0], actors) and (
                event is not None and sources[0] in event.actors or _own_side(trig, sources[0], actors)):
            return Factuality("claimed", sources, _chain_note(walk),
                              f"{walk.reported_cue or (quote.cue if quote else None)} (own action)")
        return Factuality("reported", sources, _chain_note(walk),
                          walk.reported_cue or (quote.cue if quote else None))
    # attributed_to/note are only set when someone makes a claim about its author or cause
    return Factuality("asserted", _unique(walk.sources), _chain_note(walk), None)


def _armed(source: str, actors: Sequence[Actor]) -> bool:
    """An armed non-state group (an interested party whose word on its own acts is a claim)."""
    actor = next((a for a in actors if a.id == source), None)
    return actor is not None and actor.sector in ARMED_SECTORS


def _own_side(trig: Token, source: str, actors: Sequence[Actor]) -> bool:
    """An armed group reporting what its own side did ("the rebels said their fighters …")."""
    verb = _clause_verb(trig)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    return subj.lower_ in ("we", "it", "they") or any(
        c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in subj.children)


def _qualifies(word: Token, trig: Token, verb: Token) -> bool:
    """Whether an unverified-word ("purported") bears on this event: it modifies the trigger or
    its clause verb, or sits in the source of a speech verb governing it ("in a purported
    recording, the leader said …", "a video purportedly released by the group shows …")."""
    if word.head.i in (trig.i, verb.i):
        return True
    path = [verb, *verb.ancestors]
    reporting = _speech() | factuality_cues().report_verbs
    for below, gov in zip(path, path[1:]):
        if gov.lemma_.lower() not in reporting:
            continue
        top = gov.head if gov.dep_ == "xcomp" else gov  # "appears to show"
        if word in set(top.subtree) and word not in set(below.subtree):
            return True
    return False


def _done(status: str, cue: str, trig: Token, quotes: Sequence[Quote], actors: Sequence[Actor],
          walk: _Walk) -> Factuality:
    return Factuality(status, _all_sources(trig, quotes, walk), _chain_note(walk), cue)


def _all_sources(trig: Token, quotes: Sequence[Quote], walk: _Walk) -> list[str]:
    quote = _quote_of(trig, quotes)
    return _unique(walk.sources + ([quote.speaker] if quote and quote.speaker else []))


def _chain_note(walk: _Walk) -> str | None:
    """"according to: X (claimed) < Y (said)" when speech nests (innermost first), and claims
    about an attribute of the event (who did it, why)."""
    parts = (["according to: " + " < ".join(walk.chain)] if len(walk.chain) > 1 else []) + walk.notes
    return "; ".join(parts) or None


def _clause_verb(trig: Token) -> Token:
    """The verb of the clause the trigger belongs to (a noun trigger: the verb it hangs from)."""
    tok = trig
    for _ in range(3):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return tok
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
            return tok.head.head  # "fired on the protesters" — not "the pledge at his summit"
        if tok.dep_ not in ("dobj", "compound", "attr", "nsubjpass", "nsubj", "appos", "conj"):
            return trig
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else trig


def _own_status(trig: Token, verb: Token, cues: FactualityCues) -> tuple[str, str] | None:
    """Status set by the event's own clause: negation, conditional, modal or future auxiliary.

    ("would", cue) means "would": future in reported speech, else hypothetical (the caller knows).
    """
    words = list(trig.children) + (list(verb.children) if verb.i != trig.i else [])
    tokens = [trig] + ([verb] if verb.i != trig.i else [])
    # A noun event that is its clause's subject is negated only by a verb of occurrence ("the
    # march did not go ahead"), not by any predicate ("the strike was not justified").
    subject = trig.dep_ in ("nsubj", "nsubjpass") and verb.i != trig.i
    negatable = [trig] if subject and verb.lemma_.lower() not in cues.occurrence_verbs else tokens
    if trig.dep_ == "conj" and trig.tag_ == "VB" and not any(c.lower_ == "but" for c in trig.head.children if c.dep_ == "cc"):
        words += [c for c in trig.head.children if c.dep_ == "aux"]
    for c in (c for t in negatable for c in t.children):
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
            return "negated", c.text
    for t in negatable:
        for c in t.children:
            if c.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            if c.lower_ in NEGATIVE_ARGUMENTS:  # "nobody was hurt", "killed no one"
                return "negated", c.text
            det = next((g for g in c.children if g.dep_ == "det" and g.lower_ in ("no", "neither")), None)
            if det is not None and c.lower_ in ("one", "body", "people", "person", "shots", "shot"):
                return "negated", f"{det.text} {c.text}"
    for c in words:
        if c.dep_ == "mark" and c.lower_ in cues.hypothetical_marks:
            return "hypothetical", c.text
    for t in tokens:
        cond = _conditional(t, cues)
        if cond is not None:
            return "hypothetical", cond.text
    for c in words:
        if c.dep_ == "aux" and c.lower_ in cues.hypothetical_modals:
            return ("would", c.text) if c.lower_ == "would" else ("hypothetical", c.text)
        if c.dep_ == "aux" and c.lower_ in cues.future_aux:
            return "future", c.text
        if c.dep_ == "aux" and c.lower_ == "to" and verb.head.lower_ == "going":
            return "future", "going to"
    for t in tokens:
        if t.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) \
                and (t.dep_ == "acl" or t.head.tag_ not in ("VBD", "VBN")):
            # a goal, not a deed: "talks to arrange a deal", "an event to be held on Friday"; after
            # a past action the goal was usually reached ("used the card to buy a meal")
            return "future", "to"
    for t in tokens:
        mod = next((c for c in t.children if c.dep_ in ("amod", "advmod") and c.lower_ in cues.hypothetical_words), None)
        if mod is not None:
            return "hypothetical", mod.text
        if t.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lower_ in ("planned", "threatened", "proposed",
                                                                       "future", "upcoming", "imminent")
                                    for c in t.children):
            return "future", next(c.text for c in t.children if c.dep_ == "amod")
    return None


def _governs(below: Token, up: Token, cues: FactualityCues) -> bool:
    """Whether ``up`` takes ``below`` as its content, so the walk may go on upward."""
    if below.dep_ == "acl":
        # "the claim that …", "plans to …"; not a reduced relative ("the deal the army signed").
        return up.lower_ in attribution_cues().nouns | cues.future_nouns | cues.hypothetical_words
    if below.dep_ == "advcl":
        # a purpose infinitive shares its clause's modality ("would begin moving to hand over")
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in below.children)
    # "relcl": an event told in a relative clause ("soldiers who killed prisoners") is content of
    # whatever governs its noun.
    return below.dep_ in CLAUSE_DEPS | NOMINAL_DEPS | {"relcl"}


def _conditional(verb: Token, cues: FactualityCues) -> Token | None:
    """The "if" of a conditional whose consequent is ``verb`` ("if talks fail, they would …")."""
    return next((m for c in verb.children if c.dep_ == "advcl" for m in c.children
                 if m.dep_ == "mark" and m.lower_ in cues.hypothetical_marks - {"whether"}), None)


def _frame(below: Token, up: Token, cues: FactualityCues, actors: Sequence[Actor], walk: _Walk,
           own_clause: bool) -> tuple[str, str] | None:
    """The status a governing word ``up`` gives the content ``below`` it, or None to walk on."""
    lemma = up.lemma_.lower()
    word = up.lower_
    clausal = below.dep_ in CLAUSE_DEPS or below.dep_ in ("dobj", "pobj", "prep", "nsubjpass", "advcl")
    if up.pos_ in ("VERB", "AUX") and clausal:
        source = _subject_actor(up, actors)
        if lemma in cues.claim_noun_heads and below.dep_ == "prep" and any(
                c.dep_ == "dobj" and c.lower_ in cues.claim_nouns for c in up.children):
            walk.sources += source
            walk.chain.append(f"{_name(up, actors)} ({up.text} responsibility)")
            return "claimed", up.text
        if lemma in cues.deny_verbs:
            walk.sources += source
            walk.chain.append(f"{_name(up, actors)} ({up.text})")
            return "denied", up.text
        if lemma in cues.dispute_verbs:
            walk.sources += source
            return "disputed", up.text
        if lemma in cues.claim_verbs:
            walk.sources += source
            walk.chain.append(f"{_name(up, actors)} ({up.text})")
            return "claimed", up.text
        if lemma in cues.negating_verbs and own_clause and below.dep_ in ("xcomp", "dobj", "pcomp", "prep", "pobj"):
            walk.sources += source
            return "negated", up.text
        if lemma in cues.future_verbs and below.dep_ in ("xcomp", "pcomp", "dobj", "prep", "pobj", "oprd"):
            walk.sources += source
            return "future", up.text
        if lemma in cues.directive_verbs and below.dep_ == "ccomp":
            walk.sources += source
            return "future", up.text
        if lemma == "be" and below.dep_ == "xcomp" and any(c.lower_ == "to" for c in below.children):
            return "future", f"{up.text} to"  # "the fighters are to hand over their weapons"
        if lemma in cues.future_verbs and below.dep_ == "ccomp" and _has_modal(below, cues):
            walk.sources += source
            return "future", up.text
        neg = next((c for c in up.children if c.dep_ == "neg"), None)
        if neg is not None and lemma in cues.report_verbs | _speech():
            return None  # "did not say that …": the content is not affirmed, nor denied
        mark = next((c for c in up.children if c.dep_ == "mark" and c.lower_ in cues.hypothetical_marks), None)
        if lemma in cues.report_verbs | _speech() and below.dep_ in ("ccomp", "xcomp", "dobj", "csubj"):
            walk.sources += source
            walk.chain.append(f"{_name(up, actors)} ({up.text})")
            walk.reported_cue = walk.reported_cue or up.text
            if mark is not None:
                return "hypothetical", mark.text
            return None
        if mark is not None and below.dep_ in ("ccomp", "xcomp"):
            return "hypothetical", mark.text
        if below.dep_ in ("xcomp", "dobj", "advcl", "acomp"):
            cond = _conditional(up, cues)
            if cond is not None:
                return "hypothetical", cond.text
            aux = next((c for c in up.children if c.dep_ == "aux"
                        and c.lower_ in cues.hypothetical_modals | cues.future_aux), None)
            if aux is not None and aux.lower_ in cues.future_aux:
                return "future", aux.text
            if aux is not None:
                return ("would" if aux.lower_ == "would" else "hypothetical"), aux.text
        return None
    if up.pos_ in ("NOUN", "PROPN"):
        if word in cues.claim_nouns and up.head.lemma_.lower() in cues.claim_noun_heads:
            walk.sources += _subject_actor(up.head, actors)
            walk.chain.append(f"{_name(up.head, actors)} ({up.head.text} {up.text})")
            return "claimed", up.head.text
        content = below.dep_ in ("acl", "compound") or (below.dep_ == "prep" and below.lower_ in cues.content_preps)
        if word in cues.future_nouns and content:
            return "future", up.text
        if word in cues.hypothetical_words and content:
            return "hypothetical", up.text
    return None


def _speech() -> frozenset[str]:
    return attribution_cues().speech_verbs


def _has_modal(clause: Token, cues: FactualityCues) -> bool:
    return any(c.dep_ == "aux" and (c.lower_ in cues.future_aux or c.lower_ in cues.hypothetical_modals)
               for c in clause.children)


def _name(verb: Token, actors: Sequence[Actor]) -> str:
    ids = _subject_actor(verb, actors)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return _who(ids, actors) or (subj.text if subj is not None else "unnamed")


def _quote_of(trig: Token, quotes: Sequence[Quote]) -> Quote | None:
    inside = [q for q in quotes if q.span[0] <= trig.idx < q.span[1]]
    return min(inside, key=lambda q: q.span[1] - q.span[0]) if inside else None


def _subject_actor(verb: Token, actors: Sequence[Actor]) -> list[str]:
    """The actor named by the subject of ``verb`` (of the verb it is coordinated with, if none)."""
    head = verb
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    while subj is None and head.dep_ in ("conj", "xcomp") and head.head.i != head.i:
        head = head.head
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return []
    lo, hi = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
    inside = [a for a in actors if lo <= a.span[0] and a.span[1] <= hi]
    if inside:
        return [inside[0].id]
    quote_speaker = next((a for a in actors if a.span[0] <= subj.idx < a.span[1]), None)
    return [quote_speaker.id] if quote_speaker else []


@dataclass(frozen=True)
class _Dispute:
    text: str
    speaker: str | None
    cue: str | None


def _dispute_of(doc: Doc, event: Event, quotes: Sequence[Quote], actors: Sequence[Actor]) -> _Dispute | None:
    """A sentence contradicting this event's claim ("no evidence of a link", "doubted the claim").

    It must be about the same event: in a mention's sentence or the next one, or up to two
    sentences later when it names the event's trigger word, its claimer or its actor. A dispute
    elsewhere in the article about a different claim does not count.
    """
    cues = factuality_cues()
    sents = list(doc.sents)
    mentions = {i for ev in event.evidence for i, s in enumerate(sents)
                if s.start_char <= ev.trigger.span[0] < s.end_char}
    names = {w.lower() for a in actors if a.id in set(event.factuality.attributed_to) | set(event.actors)
             for w in a.name.split() if len(w) > 3}
    lemmas = {root.lemma_.lower() for root in _trigger_roots(doc, event)}
    for i, sent in enumerate(sents):
        gaps = [i - m for m in mentions]
        if not any(0 <= g <= 2 for g in gaps):
            continue
        text = sent.text.lower()
        phrase = next((p for p in cues.dispute_phrases if p in text), None)
        verb = next((t for t in sent if t.pos_ == "VERB" and t.lemma_.lower().startswith(tuple(cues.dispute_cue_stems))
                     and not (i in mentions and t.i < _claim_end(sent))), None)
        if phrase is None and verb is None:
            continue
        near = any(0 < g <= 1 for g in gaps) or (i in mentions and verb is not None)
        named = any(n in text for n in names) or any(lem in text for lem in lemmas)
        if not (near or named):
            continue
        quote = next((q for q in quotes if sent.start_char <= q.span[0] < sent.end_char), None)
        speaker = quote.speaker if quote and quote.speaker else (
            (_subject_actor(verb, actors) or [None])[0] if verb is not None else None)
        return _Dispute(sent.text.strip(), speaker, verb.text if verb is not None else (quote.cue if quote else phrase))
    return None


def _claim_end(sent: Span) -> int:
    """Index of the claim verb of a sentence: a dispute verb in the same sentence must come after it."""
    claim = next((t for t in sent if t.lemma_.lower() in factuality_cues().claim_verbs), None)
    return claim.i if claim is not None else sent.start
