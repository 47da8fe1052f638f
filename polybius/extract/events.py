"""PLOVER event coding: trigger lexicon + dependency parse -> Events with actors, mode, size, evidence.

One event per trigger clause. Verbs are events; a noun trigger must look like a reference to a
particular event (an argument, a light verb, a casualty, a relative clause), so "attack helicopter"
or "a terror watch list" make none. Coordinated verbs of one type ("shot and killed") and a noun
trigger inside a verb's clause ("killed in an airstrike") make one event; a later "the attack"
joins the earlier event of its type as extra evidence. Date, place and factuality are left at
their defaults for later steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from polybius.extract import Context
from polybius.extract.numbers import Number
from polybius.model import Actor, Event, Evidence, Size, Trigger
from polybius.resources.plover import Lexicon, TriggerEntry, lexicon

_MAX_GAP = 2
_SUBJECT_DEPS = ("nsubj",)
_RELATIVE_TAGS = ("WDT", "WP", "WP$")
_NOUN_ARG_PREPS = {"on", "against", "in", "at", "near", "by", "outside", "inside", "upon", "targeting"}
_RECIPIENT_PREPS: dict[str, set[str]] = {
    "default": {"on", "against", "at", "upon"},
    "CONSULT": {"with"}, "AGREE": {"with"}, "COOPERATE": {"with"}, "ASSAULT": {"with"},
    "AID": {"to", "for"}, "CONCEDE": {"to"}, "REQUEST": {"on"}, "SANCTION": {"on", "against"},
}
_SIZE_TYPES = {
    "killed": {"ASSAULT", "PROTEST", "COERCE"},
    "injured": {"ASSAULT", "PROTEST", "COERCE"},
    "arrested": {"COERCE", "PROTEST", "ASSAULT"},
    "money_usd": {"AID", "SANCTION", "AGREE", "COOPERATE", "CONCEDE", "REQUEST", "COERCE"},
}
# A noun trigger joins a verb event of its type it hangs from: "killed in an airstrike",
# "the bombing killed five", "signed an agreement", "killed and wounded in an airstrike".
_MERGE_PATH = {"pobj", "prep", "nsubj", "nsubjpass", "dobj", "conj"}
_CONTENT_TYPES = {"REQUEST", "REJECT"}
_REQUEST_MODES = {"AID": "aid", "COOPERATE": "cooperation", "CONCEDE": "concession",
                  "CONSULT": "meeting", "AGREE": "ceasefire", "ACCUSE": "investigation"}
_ANAPHORIC_DETS = {"the", "this", "that"}
_PLACE_ENTS = {"DATE", "TIME", "GPE", "LOC", "FAC"}


@dataclass
class _Match:
    """A trigger found in the text before it becomes (part of) an event."""

    entry: TriggerEntry
    tokens: list[int]
    anchor: Token
    sent: SpacySpan
    light: Token | None = None
    """The light verb governing a nominal trigger ("launched" in "launched strikes")."""

    @property
    def is_verb(self) -> bool:
        return _is_verb(self.anchor)


@dataclass
class _Draft:
    """An event being built: its matches, arguments and the token indices that belong to it."""

    match: _Match
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    tokens: set[int] = field(default_factory=set)
    trigger: tuple[int, int] = (0, 0)
    extra_evidence: list[Evidence] = field(default_factory=list)
    size: Size = field(default_factory=Size)
    confidence: float = 0.5


def extract_events(doc: Doc, ctx: Context, actors: Sequence[Actor],
                   numbers: Sequence[Number]) -> list[Event]:
    """PLOVER events in ``doc``, ids e1… in text order, each with evidence and its lexicon rule."""
    lex = lexicon()
    matches = _find_matches(doc, lex)
    drafts: list[_Draft] = []
    by_token: dict[int, _Draft] = {}
    anchors = {m.anchor.i for m in matches}
    # Verbs first, so a noun trigger can join the verb event it depends on.
    for match in sorted(matches, key=lambda m: not m.is_verb):
        target = _merge_target(match, by_token)
        if target is not None:
            _absorb(target, match, actors, lex, anchors)
        elif not match.is_verb and _is_anaphoric(match.anchor):
            target = _attach_anaphor(match, drafts, actors, doc)
        if target is not None:
            by_token.update({i: target for i in target.tokens})
        elif match.is_verb or _qualifies(match, lex, numbers, actors):
            draft = _new_draft(match, actors, lex, anchors)
            drafts.append(draft)
            by_token.update({i: draft for i in draft.tokens})
    _attach_sizes(doc, drafts, by_token, numbers)
    drafts.sort(key=lambda d: d.trigger)
    return [_finish(i + 1, d, doc) for i, d in enumerate(drafts)]


# ---- finding triggers

def _is_verb(tok: Token) -> bool:
    return tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX")


def _is_noun(tok: Token) -> bool:
    return tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and not tok.ent_type_)


def _words(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


def _find_matches(doc: Doc, lex: Lexicon) -> list[_Match]:
    found: list[_Match] = []
    used: set[int] = set()
    for sent in doc.sents:
        for tok in sent:
            if tok.i in used:
                continue
            match = _match_at(tok, sent, lex)
            if match is not None:
                found.append(match)
                used.update(match.tokens)
    return found


def _match_at(tok: Token, sent: SpacySpan, lex: Lexicon) -> _Match | None:
    for word in _words(tok):
        for entry in lex.by_first_word.get(word, ()):
            tokens = _pattern_tokens(tok, sent, entry.words)
            if tokens is None:
                continue
            anchor = tok.doc[tokens[entry.head]]
            if not _pos_ok(anchor, entry.pos):
                continue
            light = _light_verb(anchor, entry, lex)
            if entry.light_verbs and light is None:
                continue
            return _Match(entry, tokens, anchor, sent, light if not _is_verb(anchor) else None)
    return None


def _pattern_tokens(tok: Token, sent: SpacySpan, words: tuple[str, ...]) -> list[int] | None:
    """Token indices matching the pattern words in order, at most _MAX_GAP tokens apart."""
    tokens = [tok.i]
    for word in words[1:]:
        nxt = next((i for i in range(tokens[-1] + 1, min(tokens[-1] + 2 + _MAX_GAP, sent.end))
                    if word in _words(tok.doc[i])), None)
        if nxt is None:
            return None
        tokens.append(nxt)
    return tokens


def _pos_ok(tok: Token, pos: str) -> bool:
    if tok.dep_ in ("amod", "compound") and _is_verb(tok):
        return False  # "the wounded man", "killed soldiers": a modifier, not a clause
    if pos == "verb":
        return _is_verb(tok)
    if pos == "noun":
        return _is_noun(tok)
    return _is_verb(tok) or _is_noun(tok)


def _light_verb(noun: Token, entry: TriggerEntry, lex: Lexicon) -> Token | None:
    """The verb a nominal trigger is the object of, when it is a light verb ("carried out an attack")."""
    allowed = set(entry.light_verbs) or lex.light_verbs
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "pobj") and head.i != noun.i:
        if noun.dep_ == "pobj" and head.head.lemma_.lower() in allowed:  # "went on strike"
            return head.head
        if noun.dep_ != "pobj" and head.lemma_.lower() in allowed and _is_verb(head):
            return head
    return None


# ---- does a nominal trigger name a particular event?

def _qualifies(match: _Match, lex: Lexicon, numbers: Sequence[Number],
               actors: Sequence[Actor]) -> bool:
    noun = match.anchor
    if noun.dep_ in ("compound", "amod", "nmod") and noun.i == match.tokens[-1]:
        return False  # "attack helicopter", "a terror watch list"
    if match.light is not None:
        return True
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _NOUN_ARG_PREPS:
            return True
        if child.dep_ in ("poss", "relcl", "acl"):
            return True
        if child.dep_ in ("compound", "amod", "nmod") and child.i not in match.tokens and (
                child.ent_type_ in ("NORP", "GPE", "ORG") or _overlaps_actor(child, actors)
                or any(key[-1] in _words(child) for key in lex.mode_words)):
            return True
    if noun.dep_ in ("nsubj", "nsubjpass") and _clause_has_place_or_date(noun.head, noun):
        return True
    return any(n.kind in ("killed", "injured") and _reaches(noun.doc, n, {noun.i}) for n in numbers)


def _clause_has_place_or_date(verb: Token, skip: Token) -> bool:
    return any(t.ent_type_ in _PLACE_ENTS for child in verb.children if child.i != skip.i
               for t in child.subtree)


def _is_anaphoric(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in noun.children)


# ---- arguments

def _new_draft(match: _Match, actors: Sequence[Actor], lex: Lexicon, anchors: set[int]) -> _Draft:
    draft = _Draft(match=match, tokens=set(match.tokens))
    draft.trigger = (match.anchor.doc[match.tokens[0]].idx, _end(match.anchor.doc[match.tokens[-1]]))
    if match.light is not None:
        draft.tokens.add(match.light.i)
    _add_arguments(draft, match, actors)
    _add_modes(draft, match, lex, anchors)
    has_actor, has_recipient = bool(draft.actors), bool(draft.recipients)
    if match.is_verb or match.light is not None:
        draft.confidence = 0.8 if has_actor and has_recipient else 0.7 if has_actor or has_recipient else 0.6
    else:
        draft.confidence = 0.6 if has_actor or has_recipient else 0.5
    return draft


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _add_arguments(draft: _Draft, match: _Match, actors: Sequence[Actor]) -> None:
    doc = match.anchor.doc
    agents: list[Token] = []
    patients: list[Token] = []
    preps = _RECIPIENT_PREPS["default"] | _RECIPIENT_PREPS.get(match.entry.type, set())
    verb = match.anchor if match.is_verb else match.light
    if verb is not None:
        a, p = _verb_arguments(verb, preps, exclude=set(match.tokens))
        agents += a
        patients += p
    for tok in [doc[i] for i in match.tokens]:
        if _is_noun(tok) or tok.i == match.anchor.i and not match.is_verb:
            a, p = _noun_arguments(tok, preps, actors)
            agents += a if tok.i == match.anchor.i else []
            patients += p
    for tok in agents:
        _add_ids(draft.actors, tok, actors)
    for tok in patients:
        _add_ids(draft.recipients, tok, actors)
    draft.recipients[:] = [r for r in draft.recipients if r not in draft.actors]


def _verb_arguments(verb: Token, preps: set[str], exclude: set[int]) -> tuple[list[Token], list[Token]]:
    agents: list[Token] = []
    patients: list[Token] = []
    for child in verb.children:
        if child.i in exclude:
            continue
        if child.dep_ in _SUBJECT_DEPS:
            agents.append(_resolve_relative(child, verb))
        elif child.dep_ == "nsubjpass":
            patients.append(_resolve_relative(child, verb))
        elif child.dep_ == "agent":
            agents += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in ("dobj", "dative"):
            patients.append(child)
        elif child.dep_ == "prep" and child.lower_ in preps:
            patients += [g for g in child.children if g.dep_ == "pobj"]
    if not agents and not any(c.dep_ == "nsubjpass" for c in verb.children):
        agents += _inherited_subject(verb)
    return agents, patients


def _resolve_relative(subject: Token, verb: Token) -> Token:
    """'the man who stabbed ...': the relative pronoun stands for the noun the clause modifies."""
    if subject.tag_ in _RELATIVE_TAGS and verb.dep_ == "relcl":
        return verb.head
    return subject


def _inherited_subject(verb: Token) -> list[Token]:
    """Subject shared with a governing verb: 'arrested and charged', 'threatened to attack'."""
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        gov = verb.head
        subjects = [c for c in gov.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            return [_resolve_relative(subjects[0], gov)]
        if verb.dep_ == "conj":
            return _inherited_subject(gov)
    return []


def _noun_arguments(noun: Token, preps: set[str],
                    actors: Sequence[Actor]) -> tuple[list[Token], list[Token]]:
    agents: list[Token] = []
    patients: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "amod", "nmod")
                                    and _overlaps_actor(child, actors)):
            agents.append(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            agents += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "prep" and child.lower_ in preps:
            patients += [g for g in child.children if g.dep_ == "pobj"]
    return agents, patients


def _argument_tokens(tok: Token) -> list[Token]:
    """The head, its conjuncts and appositions; 'members of Hamas' falls back to 'Hamas'."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in ("conj", "appos"):
            out += _argument_tokens(child)
    return out


def _overlaps_actor(tok: Token, actors: Sequence[Actor]) -> bool:
    return any(a.span[0] < _end(tok) and tok.idx < a.span[1] for a in actors)


def _add_ids(into: list[str], tok: Token, actors: Sequence[Actor]) -> None:
    heads = _argument_tokens(tok)
    hits = [a for h in heads for a in actors if a.span[0] < _end(h) and h.idx < a.span[1]]
    if not hits:  # "a Hamas gunman", "Israeli warplanes": the actor is the head's modifier
        hits = [a for h in heads for c in h.children if c.dep_ in ("compound", "amod", "poss")
                for a in actors if a.span[0] < _end(c) and c.idx < a.span[1]]
    if not hits:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        hits = [a for a in actors if a.span[0] < _end(pobj) and pobj.idx < a.span[1]]
    for actor in hits:
        if actor.id not in into:
            into.append(actor.id)


# ---- mode and context

def _clause_tokens(match: _Match, anchors: set[int]) -> list[Token]:
    """The trigger's clause without clauses headed by other triggers (their weapons are theirs)."""
    root = match.light if match.light is not None else match.anchor
    own = set(match.tokens) | {root.i}
    out: list[Token] = []
    stack = [root]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack += [c for c in tok.children if c.i in own or c.i not in anchors or not _is_verb(c)]
    return sorted(out, key=lambda t: t.i)


def _add_modes(draft: _Draft, match: _Match, lex: Lexicon, anchors: set[int]) -> None:
    for mode in match.entry.mode:
        _add(draft.mode, mode)
    for context in match.entry.context:
        _add(draft.context, context)
    tokens = _clause_tokens(match, anchors)
    for key, mode in lex.mode_words.items():
        if match.entry.type == "ASSAULT" and _contains(tokens, key):
            _add(draft.mode, mode)
    for key, context in lex.context_words.items():
        if _contains(tokens, key):
            _add(draft.context, context)


def _contains(tokens: list[Token], key: tuple[str, ...]) -> bool:
    for i, tok in enumerate(tokens):
        if key[0] in _words(tok) and all(
                i + k < len(tokens) and key[k] in _words(tokens[i + k]) for k in range(1, len(key))):
            return True
    return False


def _add(into: list[str], value: str) -> None:
    if value not in into:
        into.append(value)


# ---- merging

def _merge_target(match: _Match, by_token: dict[int, _Draft]) -> _Draft | None:
    """The event a trigger belongs to: 'shot and killed', 'killed in an airstrike', 'the attack killed'."""
    anchor = match.anchor
    if match.is_verb:
        if anchor.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in anchor.children):
            target = by_token.get(anchor.head.i)
            if target is not None and target.match.entry.type == match.entry.type:
                return target
        return None
    node = anchor
    for _ in range(3):
        if node.dep_ not in _MERGE_PATH or node.head.i == node.i:
            return None
        node = node.head
        target = by_token.get(node.i)
        if target is not None:
            same = target.match.entry.type == match.entry.type and target.match.is_verb
            # "called for a ceasefire", "rejected the deal": the noun is what is asked or refused.
            content = target.match.entry.type in _CONTENT_TYPES and target.match.is_verb
            return target if same or content else None
    return None


def _absorb(target: _Draft, match: _Match, actors: Sequence[Actor], lex: Lexicon,
            anchors: set[int]) -> None:
    if target.match.entry.type != match.entry.type:
        mode = _REQUEST_MODES.get(match.entry.type)
        if target.match.entry.type == "REQUEST" and mode and (
                mode != "ceasefire" or "ceasefire" in match.entry.mode):
            _add(target.mode, mode)
        target.tokens |= set(match.tokens)
        return
    other = _new_draft(match, actors, lex, anchors)
    for ident in other.actors:
        _add(target.actors, ident)
    for ident in other.recipients:
        if ident not in target.actors:
            _add(target.recipients, ident)
    for mode in other.mode:
        _add(target.mode, mode)
    for context in other.context:
        _add(target.context, context)
    target.tokens |= other.tokens
    # "shot and killed": one trigger span over both verbs when they are close together.
    if match.is_verb and 0 <= match.anchor.idx - target.trigger[1] <= 6:
        target.trigger = (target.trigger[0], other.trigger[1])


def _attach_anaphor(match: _Match, drafts: list[_Draft], actors: Sequence[Actor],
                    doc: Doc) -> _Draft | None:
    """'the attack' later in the article: extra evidence for the latest earlier event of its type."""
    earlier = [d for d in drafts if d.match.entry.type == match.entry.type
               and d.match.sent.start < match.sent.start]
    if not earlier:
        return None
    target = max(earlier, key=lambda d: d.trigger)
    probe = _Draft(match=match)
    _add_arguments(probe, match, actors)
    if not set(probe.actors) <= set(target.actors) or not set(probe.recipients) <= set(target.recipients):
        return None
    start, end = doc[match.tokens[0]].idx, _end(doc[match.tokens[-1]])
    target.extra_evidence.append(Evidence(span=(match.sent.start_char, match.sent.end_char),
                                          trigger=Trigger(doc.text[start:end], (start, end))))
    target.tokens |= set(match.tokens)
    return target


# ---- sizes

def _reaches(doc: Doc, number: Number, targets: set[int]) -> bool:
    return _event_token_for(doc, number, targets) is not None


def _event_token_for(doc: Doc, number: Number, targets: set[int] | dict[int, _Draft]) -> int | None:
    """Walk up from the number; the first event token (or subject of an ancestor) that is an event."""
    if number.token is None:
        return None
    node = doc[number.token]
    while True:
        if node.i in targets:
            return node.i
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i in targets:
                return child.i
        if node.head.i == node.i:
            return None
        node = node.head


def _attach_sizes(doc: Doc, drafts: list[_Draft], by_token: dict[int, _Draft],
                  numbers: Sequence[Number]) -> None:
    for number in numbers:
        if number.kind not in _SIZE_TYPES:
            continue
        allowed = _SIZE_TYPES[number.kind]
        candidates = {i: d for i, d in by_token.items() if d.match.entry.type in allowed}
        hit = _event_token_for(doc, number, candidates)
        draft = candidates[hit] if hit is not None else _only_event_in_sentence(doc, number, drafts, allowed)
        if draft is not None:
            _set_size(draft.size, number)


def _only_event_in_sentence(doc: Doc, number: Number, drafts: list[_Draft],
                            allowed: set[str]) -> _Draft | None:
    sent = doc.char_span(*number.span, alignment_mode="expand")
    if sent is None:
        return None
    same = [d for d in drafts if d.match.sent.start == sent.sent.start and d.match.entry.type in allowed]
    return same[0] if len(same) == 1 else None


def _set_size(size: Size, number: Number) -> None:
    if number.kind in size.spans:
        return  # the first figure for a kind wins; later ones are usually sub-counts
    if number.kind == "money_usd":
        size.money_usd = number.value
    else:
        setattr(size, number.kind, int(number.value))
    size.spans[number.kind] = number.span


def _finish(n: int, draft: _Draft, doc: Doc) -> Event:
    match = draft.match
    start, end = draft.trigger
    evidence = [Evidence(span=(match.sent.start_char, match.sent.end_char),
                         trigger=Trigger(doc.text[start:end], (start, end)))]
    return Event(id=f"e{n}", type=match.entry.type, mode=draft.mode, context=draft.context,
                 actors=draft.actors, recipients=draft.recipients, size=draft.size,
                 evidence=evidence + draft.extra_evidence,
                 rule=f"lexicon:{match.entry.type}/{match.entry.lemma}", confidence=draft.confidence)
