"""PLOVER event coding: trigger lexicon + dependency parse -> Events with actors, mode, size, evidence.

One event per trigger clause. Verbs are events; a noun trigger must look like a reference to a
particular event (an argument, a light verb, a casualty, a relative clause), so "attack helicopter"
or "a terror watch list" make none. Coordinated verbs of one type ("shot and killed") and a noun
trigger inside a verb's clause ("killed in an airstrike") make one event; a later "the attack"
joins the earlier event of its type as extra evidence. One pattern needs no trigger word: "X said
Y must ..." between two actors is a REQUEST by X of Y. Date, place and factuality are left at
their defaults for later steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from polybius.extract import Context, headline_and_lead
from polybius.extract.numbers import Number
from polybius.model import Actor, Event, Evidence, Figure, Size, Trigger
from polybius.resources import actor_dictionary
from polybius.resources.plover import Lexicon, TriggerEntry, lexicon

_MAX_GAP = 2
_SUBJECT_DEPS = ("nsubj",)
_RELATIVE_TAGS = ("WDT", "WP", "WP$")
_NOUN_ARG_PREPS = {"on", "against", "in", "at", "near", "by", "outside", "inside", "upon", "targeting"}
_RECIPIENT_PREPS: dict[str, set[str]] = {
    "default": {"on", "against", "at", "upon", "toward", "towards"},
    "CONSULT": {"with", "to"}, "AGREE": {"with", "to"}, "COOPERATE": {"with", "to"},
    "ASSAULT": {"with"}, "AID": {"to", "for"}, "CONCEDE": {"to"}, "REQUEST": {"on", "to"},
    "SANCTION": {"on", "against", "with"}, "ACCUSE": {"with", "to"}, "REJECT": {"to"},
    "THREATEN": {"to", "with"}, "SUPPORT": {"for", "with", "to"}, "MOBILIZE": {"to", "into"},
    "RETREAT": {"from"},
}
# Troops one mobilises or withdraws are one's own: the object is not the recipient.
_OWN_OBJECT_TYPES = {"MOBILIZE", "RETREAT"}
# "rejected a proposal by X", "accepted demands from X": the object's author is the recipient.
_AUTHOR_TYPES = {"REJECT", "AGREE", "SUPPORT", "ACCUSE", "REQUEST", "CONCEDE"}
_AUTHOR_PREPS = {"by", "from"}
# Speech acts aimed at whoever must act: "demanded that X withdraw" -> X.
_SPEECH_TYPES = {"REQUEST", "ACCUSE", "THREATEN", "REJECT"}
# "threatened to cut ties with X", "agreed to open its border to X": the complement's object.
_COMPLEMENT_TYPES = {"THREATEN", "AGREE", "REJECT"}
_COMPLEMENT_PREPS = {"to", "with", "against", "on", "toward", "towards"}
# A conditional threat targets whoever must meet the condition: "... unless X withdraws".
_CONDITION_MARKS = {"unless", "if"}
# Nominal triggers whose "of" phrase is the one acted upon: "the release of X", "the killing of X".
_NOUN_OF_TYPES = {"ASSAULT", "COERCE", "CONCEDE", "SANCTION"}
_PERSONAL_PRONOUNS = {"he", "she", "it", "they", "we"}
_SINGULAR_PRONOUNS = {"he", "she", "it"}
_POSSESSIVE_PRONOUNS = {"its", "their", "his", "her", "our"}
# Verbs that report their subject's own words or plans: "X said it would ..." -> it = X.
_REPORTING_LEMMAS = {
    "say", "tell", "announce", "state", "declare", "insist", "add", "stress", "warn", "claim",
    "vow", "pledge", "promise", "threaten", "confirm", "report", "indicate", "decide", "believe",
    "think", "hope", "conclude", "reiterate", "affirm", "argue", "write", "note", "maintain",
}
# "X said Y must ...": a reported obligation of another actor is a REQUEST by X of Y.
_DEMAND_MODALS = {"must"}
# Actor kinds that name the side a person acts for ("U.N. mediator Diego Cordovez").
_SIDE_KINDS = {"ORG"}
_MODAL_ENTRY = TriggerEntry(words=("must",), type="REQUEST", pos="verb",
                           notes="reported obligation of another actor; see _modal_requests")
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
# A speech act or commitment whose complement clause is its content: "agreed to share information",
# "threatened to ban X", "refused to meet", "demanded that X admit the killings" are one event of
# the governing type, not a second event of the complement's type.
_FRAME_TYPES = {"AGREE", "THREATEN", "REJECT", "REQUEST"}
# "staged demonstrations to demand reforms": a demand in a purpose clause is what the event is for.
_PURPOSE_TYPES = {"REQUEST"}
# "opened fire on protesters, killing two", "raided the house, arresting three": the participle
# is the result of the governing act of its type (one event, with the participle's figures).
_RESULT_TYPES = {"ASSAULT", "COERCE"}
# PLOVER codes what an actor says it will do as a promise (AGREE) or a threat (THREATEN), and what
# it says it will not do as a refusal (REJECT): "Syria says it is willing to withdraw" is AGREE.
_FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}
_INTENT_VERBS = {"promise", "offer", "pledge", "vow", "swear", "plan", "prepare", "intend",
                 "undertake", "decide", "threaten", "agree"}
_INTENT_ADJS = {"willing", "ready", "prepared", "determined", "committed"}
# "examining a plan to fire missiles", "its decision to withdraw": an infinitive on a noun of
# intention states the intention of whoever holds it, as "plans to fire" does.
_INTENTION_NOUNS = {"plan", "intention", "decision", "readiness", "willingness", "pledge",
                    "promise", "vow", "offer"}
# Verbs by which a subject gives up its own plan: it refuses to act, as "will not attack" does.
_DROPPING_VERBS = {"shelve", "drop", "abandon", "suspend", "scrap", "cancel"}
# Verbs by which a subject holds, weighs, carries on or drops its own plan ("the military was
# examining a plan to strike", "decided not to go ahead with a plan to fire"); not verbs about
# someone else's ("police uncovered a plan to bomb", "critics condemned the decision to shell").
_HOLDING_VERBS = {"have", "make", "take", "reach", "consider", "examine", "study", "weigh",
                  "review", "discuss", "draw", "draft", "prepare", "develop", "finalise",
                  "finalize", "announce", "unveil", "outline", "present", "approve", "adopt",
                  "confirm", "pursue", "go", "press", "push", "proceed", "hold", "put", "revive",
                  "carry", "implement", "delay", "postpone"} | _DROPPING_VERBS
_PREPARE_WORDS = {"prepare", "prepared", "ready", "poised", "gear"}
_PROMISE_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
_THREAT_MODES = {"ASSAULT": "force", "COERCE": "restrict", "SANCTION": "sanction",
                 "PROTEST": None, "MOBILIZE": "force"}
# Events in background or condition clauses ("..., where 24 people were killed last March",
# "after a coup toppled the government", "unless the president agrees") are less likely to be what the sentence reports: lower confidence.
_BACKGROUND_MARKS = {"after", "since", "as", "when", "while", "before", "because", "following",
                     "until", "once", "unless", "if"}
_BACKGROUND_PENALTY = 0.15
# PLOVER codes violence by protesters as PROTEST (mode riot), not ASSAULT: "rioters clashed with police".
_PROTESTER_LEMMAS = {"protester", "protestor", "demonstrator", "rioter", "marcher"}
_ARMED_SECTORS = {"MIL", "REB"}
_ARMED_LEMMAS = {"troop", "army", "soldier", "force", "militant", "rebel", "insurgent", "fighter",
                 "militia", "militiaman", "jihadist", "guerrilla", "guerilla"}
_PLACE_ENTS = {"DATE", "TIME", "GPE", "LOC", "FAC"}
# A nominal trigger after these is a topic or something that did not happen: "a book about the
# massacre", "fired without warning".
_NOT_EVENT_PREPS = {"about", "regarding", "concerning", "without"}
_BACKGROUND_PREPS = {"after", "before", "since", "following"}
# "a mediation effort", "a bombing campaign": the trigger names what the effort is.
_EFFORT_NOUNS = {"effort", "mission", "campaign", "operation", "bid", "drive", "initiative"}
_CASUALTY_LEMMAS = {"lose", "die", "perish", "claim", "leave"}
# What may name a disaster rather than an attack: "killed in a flood", "hit by a landslide".
_CAUSE_PREPS = {"in", "by", "during"}
_BLAST_LEMMAS = {"explosion", "blast", "fire", "blaze"}
_ACCIDENT_ADVERBS = {"accidentally", "accidently", "inadvertently", "mistakenly"}
# Vehicles and buildings failing: "killed when their bus plunged off a bridge".
_ACCIDENT_VERBS = {"plunge", "overturn", "capsize", "derail", "collide", "crash", "collapse",
                   "skid", "sink", "topple"}


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
    rule: str = ""
    """Set when the event comes from a parse pattern rather than a lexicon entry."""
    retyped: str | None = None
    """The type the clause gives the event ("will withdraw" -> AGREE), else None."""
    recoded_by: str = ""
    """Why it was re-typed: "intent", "labour", "riot", "occupation" or "air-raid"."""

    @property
    def type(self) -> str:
        """The event's PLOVER type: the intent frame's, else the trigger entry's."""
        return self.retyped or self.match.entry.type


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
        elif (_figurative(match, lex, anchors) or _generic_passive(match, actors)
              or _accidental(match, lex) or _no_event_to_code(match, actors, lex)):
            continue
        elif match.is_verb or _qualifies(match, lex, numbers, actors):
            draft = _new_draft(match, actors, lex, anchors)
            drafts.append(draft)
            by_token.update({i: draft for i in draft.tokens})
    for draft in drafts:
        _recode_labour_strike(draft, actors)
    drafts = _fold_clauses(drafts)
    for draft in drafts:
        _recode_intent(draft)
        _recode_riot(draft)
        _recode_occupation(draft, actors)
        _recode_air_raid(draft, lex)
        _recode_pledged_action(draft)
    by_token = {i: d for d in drafts for i in d.tokens}
    drafts += _modal_requests(doc, actors, anchors)
    _attach_sizes(doc, drafts, by_token, numbers)
    drafts = _merge_mentions(sorted(drafts, key=lambda d: d.trigger), actors, doc,
                             headline_and_lead(doc, ctx))
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
            if tokens is None or any(_temporal_prep(tok.doc[i]) for i in tokens[1:]):
                continue
            anchor = tok.doc[tokens[entry.head]]
            if not _pos_ok(anchor, entry.pos):
                continue
            light = _light_verb(anchor, entry, lex)
            if entry.light_verbs and light is None:
                continue
            if entry.not_with and any(c.lower_ in entry.not_with for c in anchor.children
                                      if c.dep_ in ("prt", "dobj", "advmod")):
                continue
            if entry.objects:
                obj = next((o for o in _object_heads(anchor) if _words(o) & set(entry.objects)), None)
                if obj is None:
                    continue
                tokens = sorted({*tokens, obj.i})
            if entry.subjects and not any(
                    _words(t) & set(entry.subjects) for c in anchor.children if c.dep_ == "nsubj"
                    for t in (c, *c.conjuncts)):
                continue
            return _Match(entry, tokens, anchor, sent, light if not _is_verb(anchor) else None)
    return None


def _object_heads(verb: Token) -> list[Token]:
    """What a verb acts on: its object or passive subject, the head of their "of" phrase or of a
    "containing" clause, and conjuncts ("found a cache of rifles and grenades")."""
    out = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        out.append(verb.head)  # "the weapons seized on Sunday", "bombs discovered in a box"
    for tok in list(out):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                out += _pobjs(child)
            elif child.dep_ == "acl":
                out += [g for g in child.children if g.dep_ == "dobj"]
    for tok in list(out):
        out += [c for c in tok.conjuncts]
    return out


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


def _gerund_as_noun(tok: Token) -> bool:
    """'injured in police firing on Tuesday': the parser makes "firing" a verb modifying
    "police"; an -ing word hanging off a noun with no object of its own is the noun."""
    return (tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.head.pos_ == "NOUN"
            and not any(c.dep_ in ("dobj", "nsubj") for c in tok.children))


def _temporal_prep(tok: Token) -> bool:
    """'called a strike for Monday': a preposition whose object is a date is not the particle
    of a phrasal trigger ("call for")."""
    return tok.dep_ == "prep" and any(
        c.dep_ == "pobj" and all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in c.subtree)
        for c in tok.children)


def _pos_ok(tok: Token, pos: str) -> bool:
    if tok.dep_ in ("amod", "compound") and _is_verb(tok):
        return False  # "the wounded man", "killed soldiers": a modifier, not a clause
    if pos == "verb":
        return _is_verb(tok)
    if pos == "noun":
        return _is_noun(tok) or _gerund_as_noun(tok)
    return _is_verb(tok) or _is_noun(tok)


def _light_verb(noun: Token, entry: TriggerEntry, lex: Lexicon) -> Token | None:
    """The verb a nominal trigger is the object of, when it is a light verb ("carried out an attack")."""
    allowed = set(entry.light_verbs) or lex.light_verbs
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "pobj") and head.i != noun.i:
        if noun.dep_ == "pobj" and _words(head.head) & allowed:  # "went on strike"
            return head.head
        measure = head.head
        if (noun.dep_ == "pobj" and head.lower_ == "of" and measure.dep_ == "dobj"
                and _words(measure.head) & allowed and _is_verb(measure.head)):
            return measure.head  # "gave them 5 million dollars of aid"
        if noun.dep_ != "pobj" and _words(head) & allowed and _is_verb(head) and not _names_it(head, noun):
            return head
    return None


def _names_it(verb: Token, noun: Token) -> bool:
    """'called the attack cowardly', 'called the strike illegal': "call" only makes an event of
    a new, indefinite one ("called a general strike"); of a known one it is a judgement."""
    return verb.lemma_.lower() == "call" and (
        any(c.dep_ == "oprd" for c in verb.children)
        or any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
               for c in noun.children))


# ---- does a nominal trigger name a particular event?

def _qualifies(match: _Match, lex: Lexicon, numbers: Sequence[Number],
               actors: Sequence[Actor]) -> bool:
    noun = match.anchor
    if noun.dep_ == "compound" and noun.head.lemma_.lower() in _EFFORT_NOUNS:
        return _light_verb(noun.head, match.entry, lex) is not None  # "launched a mediation effort"
    if noun.dep_ in ("compound", "amod", "nmod") and noun.i == match.tokens[-1]:
        return False  # "attack helicopter", "a terror watch list"
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "about attacks, arrests and protests"
    prep = first.head.lower_ if first.dep_ == "pobj" else ""
    if prep in _NOT_EVENT_PREPS:
        return False
    # "a curfew after the riots": the governing verb is not the noun's light verb, and a
    # background mention needs arguments of its own to count ("following an attack by X on Y").
    if match.light is not None and prep not in _BACKGROUND_PREPS:
        return True
    if _casualty_frame(noun, lex):
        return True
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _NOUN_ARG_PREPS:
            return True
        if child.dep_ in ("poss", "relcl", "acl"):
            return True
        if child.dep_ == "prep" and child.lower_ == "of" and match.entry.type in _NOUN_OF_TYPES and any(
                g.ent_type_ in ("PERSON", "NORP", "ORG") or any(c.dep_ == "nummod" for c in g.children) for g in _pobjs(child)):
            return True  # "the kidnapping of two aid workers", "the arrest of Navalny"
        if child.dep_ in ("compound", "amod", "nmod") and child.i not in match.tokens and (
                child.ent_type_ in ("NORP", "GPE", "ORG") or _overlaps_actor(child, actors)
                or any(key[-1] in _words(child) for key in lex.mode_words)):
            return True
    if noun.dep_ in ("nsubj", "nsubjpass") and _clause_has_place_or_date(noun.head, noun):
        return True
    return any(n.kind in ("killed", "injured") and _reaches(noun.doc, n, {noun.i}) for n in numbers)


def _casualty_frame(noun: Token, lex: Lexicon) -> bool:
    """'the bombing wounded the bomber', 'injured in clashes', 'the death toll from the attack',
    'lost their lives in the shooting': a nominal trigger tied to casualties names an event."""
    def casualty(tok: Token) -> bool:
        return tok.lemma_.lower() in _CASUALTY_LEMMAS or lex.numbers.kinds.get(
            tok.lemma_.lower()) in ("killed", "injured")

    if noun.dep_ == "nsubj" and casualty(noun.head):
        return True
    if noun.dep_ == "pobj" and noun.head.head.i != noun.head.i:
        return casualty(noun.head.head)
    return False


def _figurative(match: _Match, lex: Lexicon, anchors: set[int]) -> bool:
    """'shot the ball', 'beat Chelsea two goals to nil': a violent verb among sport or market words."""
    if match.entry.type != "ASSAULT" or not match.is_verb:
        return False
    return any(_words(t) & lex.figurative_words for t in _clause_tokens(match, anchors))


def _accidental(match: _Match, lex: Lexicon) -> bool:
    """'An earthquake killed 300', 'killed in a plane crash', 'a gas cylinder explosion',
    'accidentally shot': harm caused by a hazard or an accident is a disaster, not an ASSAULT."""
    anchor = match.anchor
    subjects = [c for c in anchor.children if c.dep_ == "nsubj"] if match.is_verb else []
    if match.entry.type != "ASSAULT":  # "a tsunami slammed into the coast" accuses no one
        return any(_words(t) & lex.hazard_words for t in subjects)
    if not match.is_verb:
        return _is_hazard(anchor, lex)
    if any(c.dep_ == "advmod" and c.lower_ in _ACCIDENT_ADVERBS for c in anchor.children):
        return True
    causes = subjects or _inherited_subject(anchor)[0]
    causes += [g for c in anchor.children if c.dep_ == "agent"
               or (c.dep_ == "prep" and c.lower_ in _CAUSE_PREPS) for g in _pobjs(c)]
    # "killed after a strong earthquake rocked the island", "killed when their bus plunged".
    for clause in anchor.children:
        if clause.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in ("after", "when", "as")
                                          for m in clause.children):
            if clause.lemma_.lower() in _ACCIDENT_VERBS:
                return True
            causes += [c for c in clause.children if c.dep_ == "nsubj"]
    return any(_is_hazard(t, lex) for t in causes)


def _is_hazard(noun: Token, lex: Lexicon) -> bool:
    if _words(noun) & lex.hazard_words:
        return True
    # "a gas explosion", "a chemical plant blast": an explosion or fire with an accidental source.
    return noun.lemma_.lower() in _BLAST_LEMMAS and any(
        _words(m) & lex.accident_sources for c in noun.children
        if c.dep_ in ("compound", "amod", "nmod") for m in c.subtree)


def _generic_passive(match: _Match, actors: Sequence[Actor]) -> bool:
    """'Torture is banned under international law': a present-tense passive with no agent and no
    actor states a rule or a habit, not an event."""
    verb = match.anchor
    if match.is_verb and verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return True  # "fired without warning"
    if not match.is_verb or verb.tag_ != "VBN":
        return False
    children = list(verb.children)
    present = any(c.dep_ == "auxpass" and c.lower_ in ("is", "are") for c in children)
    return (present and not any(c.dep_ == "agent" for c in children)
            and not any(_overlaps_actor(t, actors) for c in children if c.dep_ == "nsubjpass"
                        for t in c.subtree))


def _clause_has_place_or_date(verb: Token, skip: Token) -> bool:
    return any(t.ent_type_ in _PLACE_ENTS for child in verb.children if child.i != skip.i
               for t in child.subtree)


def _is_anaphoric(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in noun.children)


# ---- is there a happening with participants to code?

# "Militias often kidnap foreigners", "Police use tear gas when crowds turn violent": a habit.
_FREQUENCY_ADVERBS = {"often", "usually", "regularly", "routinely", "sometimes", "rarely", "seldom",
                      "typically", "generally", "frequently", "commonly", "normally", "always",
                      "occasionally", "traditionally"}
_HABIT_MARKS = {"when", "whenever", "if", "once", "unless"}
_PRESENT_SIMPLE = {"VBP", "VBZ"}
# Lines that list links or tags, not news: "Related: Police arrest suspect; Talks resume".
_NAVIGATION_LABELS = {"related", "read more", "see also", "more on this", "also read", "read also",
                      "recommended", "most read", "most popular", "trending", "tags", "keywords",
                      "topics", "more stories", "latest"}
_ANIMATE_PRONOUNS = {"i", "you", "he", "she", "we", "they", "who", "whom", "one", "someone",
                     "nobody", "everyone", "anyone", "somebody", "many", "some", "others", "all",
                     "both", "several", "few", "most", "none"}
_AGENT_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents", "men", "ees", "folk")
# Verbs that need someone to do them: without a human or armed subject and without an object,
# "the speech bombed", "markets rallied" are figures of speech.
_AGENTIVE_TYPES = {"ASSAULT", "PROTEST"}


def _no_event_to_code(match: _Match, actors: Sequence[Actor], lex: Lexicon) -> bool:
    """A trigger whose clause reports no happening a coder could give participants to: a link list,
    a yes/no question, a habit, a violent or protest verb whose only participant cannot act, an
    advice-style request with no one requesting, a visit to a thing, the topic of a debate."""
    return (_navigation_line(match) or _yes_no_question(match.sent) or _habitual(match)
            or _debated_question(match)
            or _figurative_patient(match, lex) or _inanimate_intransitive(match, actors, lex)
            or _sourceless_request(match, actors) or _visit_to_a_thing(match, actors))


def _navigation_line(match: _Match) -> bool:
    text = match.anchor.doc.text
    start = text.rfind("\n", 0, match.anchor.idx) + 1
    label, colon, _ = text[start:match.anchor.idx].partition(":")
    return bool(colon) and " ".join(label.lower().split()) in _NAVIGATION_LABELS


def _yes_no_question(sent: SpacySpan) -> bool:
    """'Would a blockade force the regime to negotiate?': asked, not reported."""
    words = [t for t in sent if not t.is_space]
    if len(words) < 3 or words[-1].text != "?":
        return False
    first = words[0]
    return first.tag_ == "MD" or (first.pos_ == "AUX" and first.lemma_.lower() in ("be", "do", "have"))


def _debated_question(match: _Match) -> bool:
    """'Historians argue about who fired the first shot': an indirect question that is the topic
    of a debate ('about / over who ...') names no one and reports nothing new."""
    verb = match.light if match.light is not None else match.anchor
    return (match.is_verb and verb.dep_ == "pcomp" and verb.head.lower_ in ("about", "over")
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WP" for c in verb.children))


def _habitual(match: _Match) -> bool:
    """A present-simple clause with a frequency adverb or a 'when ...' clause in the present."""
    head = match.light if match.light is not None else match.anchor
    if head.tag_ not in _PRESENT_SIMPLE or any(c.dep_ in ("aux", "auxpass") for c in head.children):
        return False
    for child in head.children:
        if child.dep_ == "advmod" and child.lower_ in _FREQUENCY_ADVERBS:
            return True
        if (child.dep_ == "advcl" and child.tag_ in _PRESENT_SIMPLE
                and any(m.dep_ == "advmod" and m.lower_ in _HABIT_MARKS or m.dep_ == "mark"
                        and m.lower_ in _HABIT_MARKS for m in child.children)):
            return True
    return False


def _figurative_patient(match: _Match, lex: Lexicon) -> bool:
    """'The film killed at the box office': a participle's noun is its patient, and a film or a
    bill is killed only in a figure of speech."""
    verb = match.anchor
    return (match.is_verb and verb.dep_ == "acl" and verb.tag_ == "VBN"
            and bool(_words(verb.head) & lex.figurative_words))


def _can_act(tok: Token, actors: Sequence[Actor], lex: Lexicon) -> bool:
    """Whether a subject names someone who can attack or protest (or a weapon or event that can)."""
    names = actor_dictionary()
    for t in _argument_tokens(tok):
        lemma = t.lemma_.lower()
        if (_overlaps_actor(t, actors) or t.lower_ in _ANIMATE_PRONOUNS or t.like_num
                or t.lower_ in lex.numbers.vague
                or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                or lemma in names.generic or lemma in names.people or t.lower_ in names.people
                or t.lower_.endswith(_AGENT_SUFFIXES) or lemma in lex.by_first_word
                or any(key[0] == lemma for key in lex.mode_words)
                or any(c.dep_ == "nummod" for c in t.children)
                or any(_can_act(g, actors, lex) for c in t.children
                       if c.dep_ == "prep" and c.lower_ == "of" for g in _pobjs(c))):
            return True
    return False


def _inanimate_intransitive(match: _Match, actors: Sequence[Actor], lex: Lexicon) -> bool:
    """'The speech bombed with the audience', 'Markets rallied': no object, and a subject that
    cannot act."""
    verb = match.anchor
    if match.entry.type not in _AGENTIVE_TYPES or not match.is_verb or len(match.tokens) > 1:
        return False
    children = list(verb.children)
    if any(c.dep_ in ("dobj", "nsubjpass", "agent", "dative", "auxpass") for c in children):
        return False
    subjects = [c for c in children if c.dep_ == "nsubj"]
    return bool(subjects) and not any(_can_act(s, actors, lex) for s in subjects)


def _sourceless_request(match: _Match, actors: Sequence[Actor]) -> bool:
    """'Residents were asked to report suspicious packages': an agentless passive request to plain
    people, with no one asking, is advice, not a coded REQUEST; 'the police have been asked to
    investigate' stays (an authority asked an actor)."""
    verb = match.anchor
    if match.entry.type != "REQUEST" or not match.is_verb or verb.tag_ != "VBN":
        return False
    children = list(verb.children)
    if not any(c.dep_ == "auxpass" for c in children) or any(c.dep_ == "agent" for c in children) \
            or _inherited_subject(verb)[0]:
        return False
    asked = [a for c in children if c.dep_ == "nsubjpass" for a in actors
             if any(a.span[0] < _end(t) and t.idx < a.span[1] for t in _argument_tokens(c))]
    return all(_is_plain_people(a) for a in asked)


def _visit_to_a_thing(match: _Match, actors: Sequence[Actor]) -> bool:
    """'Students visited the battlefield memorial': a visit is a CONSULT only with someone, or to a
    place that stands for its people (a named place)."""
    if match.entry.type != "CONSULT" or "visit" not in match.entry.mode or not match.is_verb:
        return False
    objects = [c for c in match.anchor.children if c.dep_ == "dobj"]
    return bool(objects) and not any(
        _overlaps_actor(t, actors) or t.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP")
        for o in objects for t in o.subtree)


# ---- arguments

def _new_draft(match: _Match, actors: Sequence[Actor], lex: Lexicon, anchors: set[int]) -> _Draft:
    draft = _Draft(match=match, tokens=set(match.tokens))
    draft.trigger = (match.anchor.doc[match.tokens[0]].idx, _end(match.anchor.doc[match.tokens[-1]]))
    if match.light is not None:
        draft.tokens.add(match.light.i)
    # Arguments found only through another clause ("said it would", "demanded that X") name the
    # participants but are less certain, so they do not raise the confidence.
    has_actor, has_recipient = _add_arguments(draft, match, actors)
    _add_modes(draft, match, lex, anchors)
    if match.is_verb or match.light is not None:
        draft.confidence = 0.8 if has_actor and has_recipient else 0.7 if has_actor or has_recipient else 0.6
    else:
        draft.confidence = 0.6 if has_actor or has_recipient else 0.5
    if _is_background(match.light if match.light is not None else match.anchor):
        draft.confidence = round(draft.confidence - _BACKGROUND_PENALTY, 2)
    return draft


def _is_background(head: Token) -> bool:
    """A relative or participle clause, or an 'after/as/since ...' clause: context, not news."""
    if head.dep_ in ("relcl", "acl"):
        return True
    return head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS
                                        for c in head.children)


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _add_arguments(draft: _Draft, match: _Match, actors: Sequence[Actor]) -> tuple[bool, bool]:
    """Fill the draft's actors and recipients; whether each role has a direct argument."""
    doc = match.anchor.doc
    agents: list[Token] = []
    patients: list[Token] = []
    weak = _Args()
    etype = match.entry.type
    preps = _RECIPIENT_PREPS["default"] | _RECIPIENT_PREPS.get(etype, set())
    verb = match.anchor if match.is_verb else match.light
    fallback: list[Token] = []
    own: list[str] = []
    if verb is not None:
        direct, weak = _verb_arguments(verb, etype, preps, exclude=set(match.tokens))
        agents += direct.agents
        patients += direct.patients
        for tok in direct.own:
            _add_ids(own, tok, actors)
        if etype in _COMPLEMENT_TYPES:
            fallback = [t for c in verb.children if c.dep_ == "xcomp" and c.i not in match.tokens
                        for t in _complement_objects(c)]
    for tok in [doc[i] for i in match.tokens]:
        if _is_noun(tok) or tok.i == match.anchor.i and not match.is_verb:
            a, p = _noun_arguments(tok, etype, preps, actors)
            agents += a if tok.i == match.anchor.i else []
            patients += p
    if etype == "CONSULT" and verb is None:
        weak.agents += _attendees(match.anchor)
    for tok in agents:
        _add_ids(draft.actors, tok, actors)
    for tok in patients:
        _add_ids(draft.recipients, tok, actors)
    direct_actor = bool(draft.actors)
    direct_recipient = any(r not in draft.actors for r in draft.recipients)
    for tok in weak.agents:
        _add_ids(draft.actors, tok, actors)
    for tok in weak.patients:
        _add_ids(draft.recipients, tok, actors)
    if not [r for r in draft.recipients if r not in draft.actors]:
        for tok in fallback:  # "threatened on Monday to cut ties with X"
            _add_ids(draft.recipients, tok, actors)
    draft.recipients[:] = [r for r in draft.recipients if r not in draft.actors]
    _rank_actors(draft.actors, actors)
    return direct_actor, (direct_recipient and bool(draft.recipients)) or bool(own)


def _attendees(meeting: Token) -> list[Token]:
    """'Trump and Kim pledge to work towards peace at the Singapore summit': the subjects of the
    clause a meeting is the place of ("at"/"during" it) attend it."""
    if meeting.dep_ != "pobj" or meeting.head.lower_ not in ("at", "during"):
        return []
    clause = next((t for t in meeting.ancestors if t.pos_ in ("VERB", "AUX")), None)
    while clause is not None and clause.dep_ == "xcomp" and not any(
            c.dep_ in _SUBJECT_DEPS for c in clause.children):
        clause = clause.head  # "pledge to work ... at the summit": the subject is pledge's
    subjects = [c for c in clause.children if c.dep_ in _SUBJECT_DEPS] if clause is not None else []
    return [t for subject in subjects for t in (subject, *subject.conjuncts)]


# Plain people ("people", "residents") act in the text but are never the event's main actor while
# a named or generic agent acts with them: "police and residents cleared the road".
_PLAIN_PEOPLE = {"people", "person", "resident", "civilian", "villager", "man", "woman", "local"}


def _is_plain_people(actor: Actor) -> bool:
    return actor.rule.startswith("generic:") and \
        actor.rule.split(":", 1)[1].split("+", 1)[0] in _PLAIN_PEOPLE


def _rank_actors(ids: list[str], actors: Sequence[Actor]) -> None:
    by_id = {a.id: a for a in actors}
    ids.sort(key=lambda ident: ident in by_id and _is_plain_people(by_id[ident]))


def _pobjs(prep: Token) -> list[Token]:
    return [g for g in prep.children if g.dep_ == "pobj"]


@dataclass
class _Args:
    """Argument tokens of a trigger, before they are mapped to actors."""

    agents: list[Token] = field(default_factory=list)
    patients: list[Token] = field(default_factory=list)
    own: list[Token] = field(default_factory=list)
    """The actor's own forces as object ("mobilised its reservists"): no recipient, but an argument."""


def _verb_arguments(verb: Token, etype: str, preps: set[str],
                    exclude: set[int]) -> tuple[_Args, _Args]:
    """Direct arguments of the verb, and those found through another clause or phrase."""
    direct, weak = _Args(), _Args()
    agents, patients = direct.agents, direct.patients
    for child in verb.children:
        if child.i in exclude:
            if child.dep_ == "prep" and child.lower_ in preps:  # "called on X": the trigger's own particle
                patients += _pobjs(child)
            elif child.dep_ == "dobj":  # "accepted demands from X": the pattern's own object
                weak.patients += _object_preps(child, etype, preps)
            continue
        if child.dep_ in _SUBJECT_DEPS:
            subject = _resolve_subject(child, verb)
            (agents if subject.i == child.i or child.tag_ in _RELATIVE_TAGS
             else weak.agents).append(subject)
        elif child.dep_ == "nsubjpass":
            patients.append(_resolve_relative(child, verb))
        elif child.dep_ == "agent":
            agents += _pobjs(child)
        elif child.dep_ in ("dobj", "dative"):
            if child.dep_ == "dative" or etype not in _OWN_OBJECT_TYPES:
                patients.append(child)
            else:
                direct.own.append(child)
            weak.patients += _object_preps(child, etype, preps)
        elif child.dep_ == "prep" and child.lower_ in preps:
            patients += _pobjs(child)
        elif child.dep_ == "ccomp" and etype in _SPEECH_TYPES:
            weak.patients += _complement_subjects(child, etype)
        elif child.dep_ == "advcl" and etype == "THREATEN":
            weak.patients += _condition_subjects(child)
    if not agents and not weak.agents and not any(c.dep_ == "nsubjpass" for c in verb.children):
        inherited, close = _inherited_subject(verb)
        (agents if close else weak.agents).extend(inherited)
    return direct, weak


def _object_preps(obj: Token, etype: str, preps: set[str]) -> list[Token]:
    """'action against X', 'demands from X': recipients hanging from the verb's object."""
    allowed = preps | (_AUTHOR_PREPS if etype in _AUTHOR_TYPES else set())
    return [g for c in obj.children if c.dep_ == "prep" and c.lower_ in allowed for g in _pobjs(c)]


def _complement_subjects(clause: Token, etype: str) -> list[Token]:
    """The subject of 'demanded that X ...'; a denial about 'its troops' is about the speaker."""
    out = []
    for subj in clause.children:
        if subj.dep_ not in ("nsubj", "nsubjpass") or subj.lower_ in _PERSONAL_PRONOUNS:
            continue
        if etype == "REJECT" and any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS
                                     for c in subj.children):
            continue
        out.append(subj)
    return out


def _condition_subjects(clause: Token) -> list[Token]:
    """'... unless X withdraws': X must meet the condition, so X is the one threatened."""
    if not any(m.dep_ == "mark" and m.lower_ in _CONDITION_MARKS for m in clause.children):
        return []
    return [s for s in clause.children if s.dep_ in ("nsubj", "nsubjpass")]


def _complement_objects(verb: Token) -> list[Token]:
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ == "advcl":
            out += _condition_subjects(child)
        elif child.dep_ in ("dobj", "dative"):
            out.append(child)
            out += _object_preps(child, "", _COMPLEMENT_PREPS)
        elif child.dep_ == "prep" and child.lower_ in _COMPLEMENT_PREPS:
            out += _pobjs(child)
    return out


def _resolve_relative(subject: Token, verb: Token) -> Token:
    """'the man who stabbed ...': the relative pronoun stands for the noun the clause modifies."""
    if subject.tag_ in _RELATIVE_TAGS and verb.dep_ == "relcl":
        return verb.head
    return subject


def _resolve_subject(subject: Token, verb: Token) -> Token:
    """Relative pronouns, and 'X said it would ...': a pronoun reporting its speaker is the speaker."""
    subject = _resolve_relative(subject, verb)
    if subject.lower_ not in _PERSONAL_PRONOUNS or verb.dep_ != "ccomp":
        return subject
    gov = verb.head
    # Only "X said it ...": in "It will ..., X said" the pronoun points further back.
    if gov.lemma_.lower() not in _REPORTING_LEMMAS or gov.i > subject.i:
        return subject
    for speaker in gov.children:
        if speaker.dep_ == "nsubj" and speaker.lower_ not in _PERSONAL_PRONOUNS:
            plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
            if plural != (subject.lower_ not in _SINGULAR_PRONOUNS):
                return subject
            return _resolve_relative(speaker, gov)
    return subject


def _inherited_subject(verb: Token) -> tuple[list[Token], bool]:
    """Subject shared with a governing verb: 'arrested and charged', 'threatened to attack',
    'said it is willing to withdraw', 'lodged a protest, charging ...'; and whether it is the
    plain subject of a coordinated or governing verb (not reached through a pronoun or participle)."""
    if _intention_noun(verb) is not None:  # "examining a plan to fire": the plan's holder
        return _intention_holder(verb.head), False
    node = verb
    close = True
    for _ in range(4):
        participle = (node.dep_ == "advcl" and node.tag_ == "VBG"
                      and not any(c.dep_ == "mark" for c in node.children))
        if not (node.dep_ in ("conj", "xcomp", "acomp") or participle) or node.head.i == node.i:
            return [], False
        close = close and not participle and node.dep_ != "acomp"
        gov = node.head
        if gov.pos_ not in ("VERB", "AUX", "ADJ") or (node.i != verb.i and node.dep_ == "conj"
                                                       and verb.dep_ != "conj"):
            return [], False  # a noun head, or "asked X and Y to ...": not the subject's own plan
        objects = [c for c in gov.children if c.dep_ == "dobj"] if node.dep_ == "xcomp" else []
        if objects:  # "urged X to withdraw": X is the one to act
            return objects[:1], close
        subjects = [c for c in gov.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            subject = _resolve_subject(subjects[0], gov)
            return [subject], close and subject.i == subjects[0].i
        if any(c.dep_ == "nsubjpass" for c in gov.children):
            # "was attacked by militiamen, killing ...": the agent of the passive acts
            agents = [g for c in gov.children if c.dep_ == "agent" for g in _pobjs(c)]
            return (agents if participle else []), False
        node = gov
    return [], False


def _intention_noun(verb: Token) -> Token | None:
    """The noun of intention whose content the infinitive ``verb`` is ("a plan to fire"), or None."""
    noun = verb.head
    if verb.dep_ != "acl" or not _has_to(verb) or noun.i == verb.i or not _is_noun(noun):
        return None
    return noun if noun.lemma_.lower() in _INTENTION_NOUNS else None


def _intention_holder(noun: Token) -> list[Token]:
    """Who holds the intention ``noun`` names: its possessor ("Pyongyang's plan"), else the
    subject of the verb by which it is held, weighed or dropped (``_HOLDING_VERBS``), found as
    any subject is (through "X said it ...", or a governing verb: "decided to go ahead with")."""
    owners = [c for c in noun.children if c.dep_ == "poss" and c.lower_ not in _POSSESSIVE_PRONOUNS]
    if owners:
        return owners
    verb = _holding_verb(noun)
    return _subject_of(verb) if verb is not None else []


def _holding_verb(noun: Token) -> Token | None:
    """The verb by which the intention ``noun`` is held ("examining a plan", "went ahead with
    the plan"), or None."""
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":  # "go ahead with a plan", "hold off on it"
        verb = verb.head
    elif noun.dep_ != "dobj":
        return None
    return verb if _is_verb(verb) and verb.lemma_.lower() in _HOLDING_VERBS else None


def _subject_of(verb: Token) -> list[Token]:
    """The verb's subject as an event's would be found; none for a passive."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if subjects:
        return [_resolve_subject(subjects[0], verb)]
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return []
    return _inherited_subject(verb)[0]


def _intention_dropped(noun: Token) -> bool:
    """Whether the holder gives the intention up: "has no plan to withdraw", "abandoned its plan
    to attack", "decided not to go ahead with a plan to fire" (a refusal, as "will not" is)."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return True
    verb = _holding_verb(noun)
    if verb is None:
        return False
    if verb.lemma_.lower() in _DROPPING_VERBS:
        return True
    node = verb  # the negation may sit on the verb or on a verb it completes ("decided not to")
    for _ in range(3):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
    return False


def _noun_arguments(noun: Token, etype: str, preps: set[str],
                    actors: Sequence[Actor]) -> tuple[list[Token], list[Token]]:
    agents: list[Token] = []
    patients: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "amod", "nmod")
                                    and _overlaps_actor(child, actors)):
            agents.append(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            agents += _pobjs(child)
        elif child.dep_ == "prep" and (child.lower_ in preps
                                       or child.lower_ == "of" and etype in _NOUN_OF_TYPES):
            patients += _pobjs(child)
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
    # "a Hamas gunman", "Israeli warplanes": the actor is the head's modifier; "U.N. mediator
    # Diego Cordovez": an organisation naming the head actor's side counts too.
    mods = [a for h in heads for c in h.children if c.dep_ in ("compound", "amod", "nmod", "poss")
            for m in c.subtree for a in actors
            if a.span[0] < _end(m) and m.idx < a.span[1] and a not in hits]
    hits += mods if not hits else [a for a in mods if a.kind in _SIDE_KINDS]
    if not hits:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        hits = [a for a in actors if a.span[0] < _end(pobj) and pobj.idx < a.span[1]]
    # a conjunct named only by its role in a side ("Santos and the leader of the Farc rebel
    # group, Rodrigo Londoño, signed"): that side, and the name the role is given
    for head in heads[1:]:
        own = [head, *(c for c in head.children
                       if c.dep_ in ("compound", "amod", "nmod", "poss", "appos"))]
        if head.dep_ == "conj" and head.lemma_.lower() in _SIDE_ROLES and not any(
                _overlaps_actor(t, actors) for t in own):
            hits += [a for a in _role_side(head, actors) if a not in hits]
    for actor in hits:
        if actor.id not in into:
            into.append(actor.id)


# Nouns for a part or an office of a side that acts for it ("the leader of the Farc", "a section
# of the SPLA-IO"); "a critic of Mugabe" or "the shrine of Khomeini" are not on that side.
_SIDE_ROLES = {"leader", "head", "chief", "commander", "member", "representative", "delegate",
               "delegation", "envoy", "spokesman", "spokeswoman", "spokesperson", "official",
               "section", "faction", "wing", "unit", "president", "chairman", "secretary-general",
               "founder", "negotiator", "minister", "general", "fighter"}


def _role_side(role: Token, actors: Sequence[Actor]) -> list[Actor]:
    """Actors of the side a role noun belongs to ("the leader of the Farc rebel group, Rodrigo
    Londoño"): the "of" object with its name modifiers and appositions."""
    words = [w for prep in role.children if prep.dep_ == "prep" and prep.lower_ == "of"
             for pobj in _pobjs(prep) for w in [pobj, *pobj.children]
             if w is pobj or w.dep_ in ("compound", "amod", "appos")]
    return [a for a in actors if any(a.span[0] < _end(w) and w.idx < a.span[1] for w in words)]


def _modal_requests(doc: Doc, actors: Sequence[Actor], anchors: set[int]) -> list[_Draft]:
    """'Russia said Sudan must return the helicopter': a REQUEST by the speaker of the obliged actor."""
    out: list[_Draft] = []
    for modal in doc:
        verb = modal.head
        gov = verb.head
        if (modal.dep_ != "aux" or modal.lower_ not in _DEMAND_MODALS or verb.dep_ != "ccomp"
                or gov.lemma_.lower() not in _REPORTING_LEMMAS or gov.i in anchors):
            continue
        draft = _Draft(match=_Match(_MODAL_ENTRY, [modal.i, verb.i], verb, verb.sent),
                       tokens={modal.i}, rule="parse:REQUEST/reported-obligation", confidence=0.7)
        for speaker in gov.children:
            if speaker.dep_ == "nsubj":
                _add_ids(draft.actors, _resolve_relative(speaker, gov), actors)
        for subject in _complement_subjects(verb, "REQUEST"):
            _add_ids(draft.recipients, subject, actors)
        draft.recipients[:] = [r for r in draft.recipients if r not in draft.actors]
        if draft.actors and draft.recipients:  # only between two known actors, never generic advice
            draft.trigger = (modal.idx, _end(verb))
            out.append(draft)
    return out


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
            same = target.match.entry.type == match.entry.type and (
                target.match.is_verb or target.match.light is not None)
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
    """'the attack' later in the article: extra evidence for the latest earlier event of its type.
    With none, a definite noun that shortens an earlier compound trigger refers to that event
    whatever its own entry's type: 'air strikes ... the strikes' are the air strikes, not a
    labour strike."""
    before = [d for d in drafts if d.match.sent.start < match.sent.start]
    earlier = [d for d in before if d.match.entry.type == match.entry.type] or [
        d for d in before if len(d.match.tokens) > 1
        and d.match.anchor.lemma_.lower() == match.anchor.lemma_.lower()]
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


# ---- clause structure: complements, purposes, intentions

def _clause_head(draft: _Draft) -> Token:
    match = draft.match
    return match.light if match.light is not None else match.anchor


def _has_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _fold_target(draft: _Draft, owner: dict[int, _Draft]) -> _Draft | None:
    """The event whose content or purpose ``draft``'s clause is, if any."""
    head = _clause_head(draft)
    if not _is_verb(head) or head.head.i == head.i:
        return None
    gov = owner.get(head.head.i)
    if gov is None or gov is draft:
        return None
    if gov.type in _FRAME_TYPES and gov.match.is_verb and _is_content_clause(head, gov.type):
        return gov
    if draft.type in _PURPOSE_TYPES and head.dep_ in ("advcl", "xcomp", "acl") and _has_to(head):
        return gov
    if draft.type == gov.type and draft.type in _RESULT_TYPES and _result_participle(head):
        return gov
    return None


def _result_participle(head: Token) -> bool:
    """'attacked a police station, killing two officers': a participle clause with no subject or
    conjunction of its own tells what the governing act did, so it is that act, not another one."""
    return (head.dep_ == "advcl" and head.tag_ == "VBG" and head.i > head.head.i
            and not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in head.children))


def _is_content_clause(head: Token, frame: str) -> bool:
    """'threatened to strike', 'agreed that ...', 'refused to meet'; the parser sometimes hangs the
    infinitive as an adverbial clause ('threatened on Tuesday to fire'). A denial's 'that' clause
    is not folded: 'denied that it had poisoned X' keeps the poisoning, whose factuality is denied."""
    infinitive = head.dep_ == "xcomp" or (head.dep_ == "advcl" and _has_to(head)
                                          and not any(c.dep_ == "mark" for c in head.children))
    return infinitive or (head.dep_ == "ccomp" and frame != "REJECT")


def _fold_clauses(drafts: list[_Draft]) -> list[_Draft]:
    """Merge complement and purpose clauses into the event that governs them (see _FRAME_TYPES)."""
    owner = {i: d for d in drafts for i in d.tokens}
    kept: list[_Draft] = []
    # Innermost clauses first, so "refused to agree to withdraw" folds into "refused".
    for draft in sorted(drafts, key=lambda d: -len(list(_clause_head(d).ancestors))):
        target = _fold_target(draft, owner)
        if target is None:
            kept.append(draft)
            continue
        mode = (_REQUEST_MODES.get(draft.type) if target.type == "REQUEST"
                else _THREAT_MODES.get(draft.type) if target.type == "THREATEN" else None)
        if mode and mode != "ceasefire":
            _add(target.mode, mode)
        # a result participle ("..., killing two officers"): its weapons and victims are the act's
        result = draft.type == target.type
        if result:
            for value in draft.mode:
                _add(target.mode, value)
        target.tokens |= draft.tokens
        for ident in draft.recipients:
            if (result or not target.recipients) and ident not in target.actors + target.recipients:
                target.recipients.append(ident)
        owner.update({i: target for i in draft.tokens})
    return sorted(kept, key=lambda d: d.trigger)


def _intent(head: Token) -> tuple[bool, bool]:
    """(is the clause a statement of intent, is it negated): 'will withdraw', 'offered to meet',
    'is willing to release', 'will not accept'."""
    negated = any(c.dep_ == "neg" for c in head.children)
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in head.children):
        return True, negated
    gov = head.head
    noun = _intention_noun(head)
    if noun is not None and _intention_holder(noun):
        return True, negated or _intention_dropped(noun)
    if head.dep_ == "xcomp" and _has_to(head) and gov.i != head.i:
        negated = negated or any(c.dep_ == "neg" for c in gov.children)
        if gov.lemma_.lower() in _INTENT_VERBS and _is_verb(gov):
            return True, negated
        if gov.lower_ in _INTENT_ADJS:
            return True, negated
    return False, negated


def _prepared(head: Token) -> bool:
    """'prepared to attack', 'prepared to resume shelling', 'is poised to strike'."""
    node = head
    for _ in range(2):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in _PREPARE_WORDS:
            return True
    return False


def _recode_intent(draft: _Draft) -> None:
    """Re-type a stated intention as PLOVER does: promise -> AGREE, threat -> THREATEN,
    'will not ...' -> REJECT; an ultimatum ('... unless X withdraws') is a THREATEN."""
    etype = draft.type
    if etype not in _PROMISE_TYPES and etype not in _THREAT_MODES or draft.rule:
        return
    head = _clause_head(draft)
    intent, negated = _intent(head)
    if etype == "ASSAULT" and not negated and _prepared(head):
        # "the army prepared to resume shelling": readying force is a posture (MOBILIZE), not words.
        draft.retyped, draft.mode, draft.recoded_by = "MOBILIZE", ["alert"], "intent"
        return
    if not intent:
        return
    draft.recoded_by = "intent"
    ultimatum = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless"
                                               for m in c.children) for c in head.children)
    if negated:
        draft.retyped, draft.mode = "REJECT", ["refuse"]
    elif ultimatum:
        draft.retyped, draft.mode = "THREATEN", ["ultimatum"]
    elif etype in _PROMISE_TYPES:
        if etype != "AGREE":
            draft.retyped, draft.mode = "AGREE", []
    else:
        mode = _THREAT_MODES[etype]
        draft.retyped, draft.mode = "THREATEN", [mode] if mode else []


def _recode_pledged_action(draft: _Draft) -> None:
    """'Trump and Kim pledge to work towards denuclearisation': a pledge of an action, not of
    money or goods, is a commitment (AGREE), as "promised to" is."""
    verb = draft.match.anchor
    if draft.type == "AID" and draft.match.is_verb and verb.lemma_.lower() == "pledge" and not draft.rule \
            and any(c.dep_ == "xcomp" for c in verb.children) \
            and not any(c.dep_ in ("dobj", "dative") for c in verb.children):
        draft.retyped, draft.mode, draft.recoded_by = "AGREE", [], "intent"


# Sides that strike with weapons; anyone else who "strikes" without an object stops work.
_ARMED_SECTORS = {"MIL", "REB", "UAF", "COP", "SPY"}
_WORK_SECTORS = {"LAB", "EDU", "CVL", "HLH", "JRN", "BUS", "MED", "REF"}
_PAY_WORDS = {"pay", "wage", "wages", "salary", "salaries", "pension", "pensions", "contract"}


def _recode_labour_strike(draft: _Draft, actors: Sequence[Actor]) -> None:
    """'The union plans to strike', 'Teachers threatened to strike if wages were cut': the verb
    'strike' with no object and a working (not armed) subject is a labour strike, PROTEST/strike;
    'the air force plans to strike rebel positions' stays an attack."""
    verb = draft.match.anchor
    if (draft.type != "ASSAULT" or not draft.match.is_verb or verb.lemma_.lower() != "strike"
            or any(c.dep_ in ("dobj", "nsubjpass", "auxpass") for c in verb.children)):
        return
    by_id = {a.id: a for a in actors}
    sectors = {by_id[i].sector for i in draft.actors if i in by_id}
    subjects = [c for c in verb.children if c.dep_ == "nsubj"] or _inherited_subject(verb)[0]
    subjects = [_resolve_subject(s, verb) for s in subjects]
    working = bool(sectors & _WORK_SECTORS) or any(
        t.lemma_.lower() in actor_dictionary().people or t.lower_.endswith(_AGENT_SUFFIXES)
        for s in subjects for t in _argument_tokens(s) if t.ent_type_ not in ("GPE", "NORP"))
    about_pay = any(t.lower_ in _PAY_WORDS for t in verb.subtree)
    if sectors & _ARMED_SECTORS or not (working or about_pay):
        return
    draft.retyped, draft.mode, draft.recoded_by = "PROTEST", ["strike"], "labour"
    draft.context = ["protest"]


def _recode_riot(draft: _Draft) -> None:
    """Violence whose subject is the protesters themselves is a riot (PROTEST/riot)."""
    head = _clause_head(draft)
    if draft.type != "ASSAULT" or draft.rule or not draft.match.is_verb:
        return
    subjects = [c for c in head.children if c.dep_ == "nsubj"] or _inherited_subject(head)[0]
    if any(t.lemma_.lower() in _PROTESTER_LEMMAS for s in subjects for t in _argument_tokens(s)):
        draft.retyped, draft.mode, draft.recoded_by = "PROTEST", ["riot"], "riot"
        _add(draft.context, "protest")


def _recode_occupation(draft: _Draft, actors: Sequence[Actor]) -> None:
    """Armed forces occupying ground seize territory (COERCE/seize, PLOVER's CAMEO 192), they do
    not stage a sit-in: "government troops occupied three hill posts", "lands occupied by rebels"."""
    if draft.type != "PROTEST" or "occupy" not in draft.mode or draft.rule:
        return
    head = _clause_head(draft)
    sides = [c for c in head.children if c.dep_ == "nsubj"]
    sides += [g for c in head.children if c.dep_ == "agent" for g in _pobjs(c)]
    by_id = {a.id: a for a in actors}
    armed = any((by_id[i].sector or "") in _ARMED_SECTORS for i in draft.actors if i in by_id) or any(
        t.lemma_.lower() in _ARMED_LEMMAS for s in sides for t in s.subtree)
    if armed:
        draft.retyped, draft.mode, draft.recoded_by = "COERCE", ["seize"], "occupation"
        draft.context = [c for c in draft.context if c != "protest"]
        _add(draft.context, "territory")


_DROPPED = {"bomb", "munition", "missile", "payload", "ordnance"}


def _recode_air_raid(draft: _Draft, lex: Lexicon) -> None:
    """A raid made by aircraft, or one in which bombs are dropped, is an air raid (ASSAULT/aerial),
    not a search of premises: "ten aircraft dropped 20 bombs in the raid", "warplanes raided the
    town". "Police raided a flat" and "bombs were found in the raid" stay COERCE/raid."""
    anchor = draft.match.anchor
    if draft.type != "COERCE" or anchor.lemma_.lower() != "raid" or draft.rule:
        return
    verb = anchor
    if not draft.match.is_verb:  # "in the raid": the clause the noun hangs from
        node = anchor
        while node.dep_ in ("pobj", "prep", "conj", "appos") and node.head.i != node.i:
            node = node.head
        verb = node if _is_verb(node) else anchor
    # who made the raid: the subject or agent, and the noun's own modifiers ("a raid by jets");
    # not what was raided or seized ("police raided a hangar and seized a plane")
    makers = [c for c in verb.children if c.dep_ in ("nsubj", "agent")] + [
        c for c in anchor.children if c.dep_ in ("compound", "amod", "agent")
        or (c.dep_ == "prep" and c.lower_ == "by")]
    by_air = any(_words(t) & lex.aircraft_words for c in makers for t in c.subtree)
    bombs_dropped = verb.lemma_.lower() == "drop" and any(
        c.dep_ in ("dobj", "nsubjpass") and _words(c) & _DROPPED for c in verb.children)
    if by_air or bombs_dropped:
        draft.retyped, draft.recoded_by = "ASSAULT", "air-raid"
        draft.mode = ["aerial"]
        _add(draft.context, "military")


# ---- one event per happening

_SIZE_FIELDS = ("killed", "injured", "arrested", "money_usd", "perpetrators_killed")


def _merge_mentions(drafts: list[_Draft], actors: Sequence[Actor], doc: Doc,
                    headline: tuple[int, range] | None) -> list[_Draft]:
    """The same happening retold later in the article ('Gunmen killed three villagers ...' in the
    lead, 'the gunmen killed the three men' in a later paragraph or a quote) is one event with
    several evidence spans. A later mention joins an earlier one of the same type when the two
    share an actor or a casualty figure and nothing conflicts (other actors, other figures); the
    lead's first mention of a type joins the headline's, which tells the same story."""
    names = {a.id: a.name.lower() for a in actors}
    by_id = {a.id: a for a in actors}
    kept: list[_Draft] = []
    told: set[str] = set()  # types whose first lead mention joined the headline's
    for draft in drafts:
        target = next((k for k in reversed(kept) if _same_happening(k, draft, names)
                       or _same_plan(k, draft, by_id)), None)
        if target is None:
            target = _retyped_anaphor_target(draft, kept)
        if target is None and draft.type not in told:
            target = next((k for k in kept if _headline_told(k, draft, kept, names, headline)), None)
            told |= {draft.type} if target is not None else set()
        if target is None:
            kept.append(draft)
            continue
        start, end = draft.trigger
        target.extra_evidence.append(Evidence(
            span=(draft.match.sent.start_char, draft.match.sent.end_char),
            trigger=Trigger(doc.text[start:end], (start, end))))
        target.extra_evidence += draft.extra_evidence
        target.extra_evidence.sort(key=lambda ev: ev.trigger.span)
        for ident in draft.actors:
            if names.get(ident) not in {names.get(a) for a in target.actors}:
                target.actors.append(ident)
        for ident in draft.recipients:
            if names.get(ident) not in {names.get(r) for r in target.recipients + target.actors}:
                target.recipients.append(ident)
        for value in draft.mode:
            _add(target.mode, value)
        for value in draft.context:
            _add(target.context, value)
        for name in _SIZE_FIELDS:
            if getattr(target.size, name) is None and getattr(draft.size, name) is not None:
                setattr(target.size, name, getattr(draft.size, name))
                target.size.spans[name] = draft.size.spans[name]
                if name in draft.size.lower_bounds:
                    target.size.lower_bounds.append(name)
                target.size.figures += [f for f in draft.size.figures if f.kind == name]
        target.confidence = max(target.confidence, draft.confidence)
    return kept


def _same_plan(first: _Draft, later: _Draft, actors: dict[str, Actor]) -> bool:
    """'North Korea said it was examining a plan to fire missiles at Guam ... the military was
    examining an operational plan to strike areas around Guam': one stated plan told twice. Both
    are infinitives on the same noun of intention, re-typed alike (type and modes), and the later
    names no one the first does not, except an unnamed organ of no stated country ("the
    military", "the army"), which may be the named side's own."""
    if first.recoded_by != "intent" or later.recoded_by != "intent" or first.type != later.type \
            or sorted(first.mode) != sorted(later.mode) \
            or first.match.sent.start >= later.match.sent.start:
        return False
    nouns = [_intention_noun(_clause_head(d)) for d in (first, later)]
    if nouns[0] is None or nouns[1] is None or nouns[0].lemma_.lower() != nouns[1].lemma_.lower():
        return False
    acting = _names(first.actors, actors)
    if any(actors[i].name.lower() not in acting and not _unnamed_organ(actors[i])
           for i in later.actors if i in actors):
        return False
    targets, later_targets = _names(first.recipients, actors), _names(later.recipients, actors)
    return not later_targets & acting and (not targets or not later_targets
                                           or bool(targets & later_targets))


def _names(ids: list[str], actors: dict[str, Actor]) -> set[str]:
    return {actors[i].name.lower() for i in ids if i in actors}


def _unnamed_organ(actor: Actor) -> bool:
    """'the military', 'the army': a generic organ whose country the text does not give."""
    return actor.rule.startswith("generic:") and actor.country is None


def _retyped_anaphor_target(draft: _Draft, kept: list[_Draft]) -> _Draft | None:
    """'French warplanes carried out air strikes on Raqqa ... dropped 20 bombs in the raid': a
    definite noun whose event only its re-typing ("the raid" made by aircraft is an air raid)
    gives the type of an earlier event is that event told again, as ``_attach_anaphor`` finds
    for nouns of the same type: the latest earlier event of the type, when the noun names no
    participant that event lacks and no figure it contradicts."""
    match = draft.match
    if match.is_verb or not draft.recoded_by or draft.recoded_by == "intent" \
            or not _is_anaphoric(match.anchor):
        return None
    earlier = [k for k in kept if k.type == draft.type and k.match.sent.start < match.sent.start
               and k.recoded_by != "intent" and not k.rule]
    if not earlier:
        return None
    target = max(earlier, key=lambda k: k.trigger)
    if not set(draft.actors) <= set(target.actors) or not set(draft.recipients) <= set(target.recipients):
        return None
    sizes = [(getattr(target.size, n), getattr(draft.size, n)) for n in _SIZE_FIELDS]
    return None if any(a is not None and b is not None and a != b for a, b in sizes) else target


def _same_happening(first: _Draft, later: _Draft, names: dict[str, str]) -> bool:
    shared = _shared_without_conflict(first, later, names)
    return shared is not None and (shared[0] or shared[2] or (shared[1] and first.type != "ASSAULT"))


def _headline_told(first: _Draft, later: _Draft, kept: list[_Draft], names: dict[str, str],
                   headline: tuple[int, range] | None) -> bool:
    """``first`` is in the headline, ``later`` is the lead's first mention of its type, and no
    participant or figure conflicts."""
    return (headline is not None and first.match.sent.start_char < headline[0]
            and later.match.sent.start_char in headline[1]
            and not any(k.type == later.type and k.match.sent.start_char in headline[1] for k in kept)
            and _shared_without_conflict(first, later, names) is not None)


def _shared_without_conflict(first: _Draft, later: _Draft,
                             names: dict[str, str]) -> tuple[bool, bool, bool] | None:
    """Whether the two share actors, recipients, a figure; None when they cannot be one happening
    (other type or participants or figures, a later mention that comes first, a recoded draft)."""
    # A stated intention ("sanctions will be lifted") is a commitment, not a retelling of a happening.
    if first.type != later.type or first.rule or later.rule or first.recoded_by or later.recoded_by \
            or first.match.sent.start >= later.match.sent.start:
        return None
    sizes = [(getattr(first.size, n), getattr(later.size, n)) for n in _SIZE_FIELDS]
    if any(a is not None and b is not None and a != b for a, b in sizes):
        return None
    roles = []
    for mine, theirs in ((first.actors, later.actors), (first.recipients, later.recipients)):
        a, b = {names.get(i) for i in mine}, {names.get(i) for i in theirs}
        if a and b and not a & b:
            return None  # other participants: another happening
        roles.append(bool(a & b))
    return roles[0], roles[1], any(a is not None and a == b for a, b in sizes)


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
        candidates = {i: d for i, d in by_token.items() if d.type in allowed}
        hit = _event_token_for(doc, number, candidates)
        draft = candidates[hit] if hit is not None else _only_event_in_sentence(doc, number, drafts, allowed)
        if draft is None and number.is_toll:  # "The death toll rose to 30." after the attack
            earlier = [d for d in drafts if d.type == "ASSAULT" and d.trigger[1] <= number.span[0]]
            draft = max(earlier, key=lambda d: d.trigger) if earlier else None
        if draft is not None:
            _set_size(draft.size, number, doc)


def _only_event_in_sentence(doc: Doc, number: Number, drafts: list[_Draft],
                            allowed: set[str]) -> _Draft | None:
    sent = doc.char_span(*number.span, alignment_mode="expand")
    if sent is None:
        return None
    same = [d for d in drafts if d.match.sent.start == sent.sent.start and d.type in allowed]
    return same[0] if len(same) == 1 else None


# "killed 3 ... the toll later rose to 5": a later, larger running total replaces the figure.
_UPDATE_LEMMAS = {"rise", "climb", "increase", "reach", "jump", "mount", "grow", "swell", "hit"}
# "between 10 and 15 people", "10 to 15", "three or four": the later figure ends a range.
_RANGE_WORDS = {"and", "to", "or", "-", "–"}
# "killed six people, including two children": the later figure is part of the first.
_PART_CUES = ("including", "among them", "among whom", "of whom", "of them", "among the dead")


def _set_size(size: Size, number: Number, doc: Doc) -> None:
    """Put ``number`` on the event. The first figure of a kind is kept, except that a later, larger
    running total replaces it; when a kind gets several figures, ``size.figures`` lists them all
    with their relation to the kept one (earlier, range-max, part, other)."""
    # Attackers killed are not victims: "killed two people; four of the assailants were shot dead".
    field_name = ("perpetrators_killed" if number.kind == "killed" and number.role == "perpetrators"
                  else number.kind)
    kept = size.spans.get(field_name)
    if kept is None:
        _keep(size, field_name, number)
        return
    value = float(getattr(size, field_name) or 0)
    if kept == number.span or number.value == value:
        return  # the same figure again (title and body, lead and quote) adds nothing
    if not any(f.kind == field_name for f in size.figures):
        size.figures.append(Figure(field_name, value, kept, "kept"))
    relation = _figure_relation(doc, kept, value, number)
    if relation == "range-max" and field_name not in size.lower_bounds:
        size.lower_bounds.append(field_name)  # "between 10 and 15": 10 is the least it was
    if relation == "update":
        for figure in size.figures:
            if figure.kind == field_name and figure.relation == "kept":
                figure.relation = "earlier"
        _keep(size, field_name, number)
        relation = "kept"
    size.figures.append(Figure(field_name, number.value, number.span, relation))
    size.figures.sort(key=lambda f: (f.kind, f.span))


def _keep(size: Size, field_name: str, number: Number) -> None:
    if field_name in size.lower_bounds:
        size.lower_bounds.remove(field_name)
    if field_name == "money_usd":
        size.money_usd = number.value
    else:
        setattr(size, field_name, int(number.value))
    size.spans[field_name] = number.span
    if number.lower_bound:
        size.lower_bounds.append(field_name)


def _figure_relation(doc: Doc, kept: tuple[int, int], value: float, number: Number) -> str:
    """How a further figure of a kind relates to the one kept (see model.Figure.relation)."""
    if kept[1] <= number.span[0]:
        between = doc.text[kept[1]:number.span[0]].strip().lower()
        if between in _RANGE_WORDS and number.value > value:
            return "range-max"
        before = doc.text[max(0, number.span[0] - 24):number.span[0]].strip().lower().rstrip(",")
        if before.endswith(_PART_CUES):
            return "part"
        if number.value > value and (number.is_toll or _rising(doc, number)):
            return "update"
    return "other"


def _rising(doc: Doc, number: Number) -> bool:
    """'the number of dead rose to 5', 'climbed to 30': the figure is a running total's new value."""
    if number.token is None:
        return False
    node = doc[number.token]
    for _ in range(3):
        if node.lemma_.lower() in _UPDATE_LEMMAS:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return node.lemma_.lower() in _UPDATE_LEMMAS


def _finish(n: int, draft: _Draft, doc: Doc) -> Event:
    match = draft.match
    start, end = draft.trigger
    evidence = [Evidence(span=(match.sent.start_char, match.sent.end_char),
                         trigger=Trigger(doc.text[start:end], (start, end)))]
    rule = draft.rule or f"lexicon:{match.entry.type}/{match.entry.lemma}"
    if draft.retyped:
        rule = f"{draft.recoded_by}:{draft.retyped}<-{rule}"
    return Event(id=f"e{n}", type=draft.type, mode=draft.mode, context=draft.context,
                 actors=draft.actors, recipients=draft.recipients, size=draft.size,
                 evidence=evidence + draft.extra_evidence, rule=rule, confidence=draft.confidence)
