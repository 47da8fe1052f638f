"""Actors: who acts or is acted upon, from the actor dictionary, NER and generic agent nouns.

Priority when mentions overlap: dictionary entries, then named people/organisations, then generic
agents ("French police"), then states. A place becomes an actor only where it stands for its
government: as the subject or object of a verb ("Russia said", "sanctions on Iran"), never as the
object of a locative preposition ("an attack in France").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from spacy.tokens import Doc, Span, Token

from polybius.extract import Context
from polybius.extract.places import DATELINE, demonym_country
from polybius.model import Actor, Place
from polybius.resources import actor_dictionary, load_yaml

# Dependency roles in which a country name stands for its government.
STATE_ROLES = {"nsubj", "nsubjpass", "dobj", "dative", "conj", "appos"}
# Prepositions whose object is a participant, not a location ("sanctions on Iran", "talks with Iran").
PARTICIPANT_PREPS = {"on", "against", "with", "to", "by", "from", "between", "for"}
# Capitals stand for their state only as the subject ("Moscow denied"): "in Moscow" is a place.
CAPITAL_ROLES = {"nsubj", "nsubjpass"}
# Roles of a noun that is an event argument ("the proposal" in "rejected Russia's proposal").
ARGUMENT_ROLES = {"nsubj", "nsubjpass", "dobj", "dative", "pobj"}
TITLE_SECTORS = {
    "president": "GOV", "minister": "GOV", "secretary": "GOV", "chancellor": "GOV", "premier": "GOV",
    "governor": "GOV", "mayor": "GOV", "ambassador": "GOV", "spokesman": "GOV", "spokeswoman": "GOV",
    "spokesperson": "GOV", "king": "ELI", "prince": "ELI", "queen": "ELI", "general": "MIL",
    "commander": "MIL", "colonel": "MIL", "prosecutor": "JUD", "judge": "JUD", "senator": "LEG",
    "lawmaker": "LEG", "leader": None, "chief": None,
}
ORG_SECTOR_WORDS = {
    "ministry": "GOV", "government": "GOV", "department": "GOV", "office": "GOV", "council": "GOV",
    "police": "COP", "army": "MIL", "forces": "MIL", "military": "MIL", "navy": "MIL",
    "court": "JUD", "party": "PTY", "university": "EDU", "news": "MED", "agency": None,
    "church": "REL", "union": "LAB", "bank": "BUS", "company": "BUS",
}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
# Generic agents that take the article's country when the text names none: state bodies and the
# country's own people. Attackers, suspects, refugees and plain "a man" may be from anywhere.
ARTICLE_COUNTRY_SECTORS = {"COP", "MIL", "GOV", "JUD", "LEG", "OPP", "CVL", "LAB", "EDU", "REB"}


@dataclass
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    name: str
    kind: str
    country: str | None
    sector: str | None
    kb_id: str | None
    rule: str
    priority: int
    core: int | None = None
    """Where the name starts inside a titled mention: the title gives way to a stronger actor."""


def extract_actors(doc: Doc, ctx: Context, places: Sequence[Place] = ()) -> list[Actor]:
    """Actor mentions in ``doc`` in text order, each with the rule that found it."""
    main_country = _main_country(doc, places)
    candidates = [*_named(doc), *_generic(doc, main_country, places), *_states(doc),
                  *_peoples(doc)]
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    for cand in sorted(candidates, key=lambda c: (c.priority, c.start)):
        if cand.core is not None and taken.isdisjoint(range(cand.core, cand.end)):
            # "U.S. State Department spokeswoman Heather Nauert": the department is an actor of
            # its own, so the title starts after it.
            cand.start = max([cand.start] + [i + 1 for i in taken if cand.start <= i < cand.core])
            while cand.start < cand.core and not doc[cand.start].is_alpha:
                cand.start += 1
        if taken.isdisjoint(range(cand.start, cand.end)):
            chosen.append(cand)
            taken.update(range(cand.start, cand.end))
    chosen.sort(key=lambda c: c.start)
    _unify_person_names(chosen)
    actors = []
    for i, c in enumerate(chosen, 1):
        span = doc[c.start:c.end]
        actors.append(Actor(id=f"a{i}", text=span.text, span=(span.start_char, span.end_char),
                            name=c.name, kind=c.kind, country=c.country, sector=c.sector,
                            kb_id=c.kb_id, rule=c.rule))
    return actors


def _alpha3(alpha2: str | None) -> str | None:
    if not alpha2:
        return None
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


@dataclass(frozen=True)
class _ArticleCountry:
    """The country generic agents of the article belong to, and why (kept in their rule)."""

    code: str
    reason: str


def _main_country(doc: Doc, places: Sequence[Place]) -> _ArticleCountry | None:
    """The dateline's country ("TRAPPES, France (AP) —"), else the country of more than half of
    the article's places: the default for generic agents ("police" in a Trappes story)."""
    coded = [p for p in places if p.country_code]
    dateline = DATELINE.match(doc.text)
    if dateline:
        start, end = dateline.span("place")
        for p in coded:
            code = _alpha3(p.country_code)
            if code and start <= p.span[0] < end + 40 and p.span[0] < dateline.end():
                return _ArticleCountry(code, f"dateline {p.text}")
    counts = Counter(p.country_code for p in coded)
    if not counts:
        return None
    best, n = counts.most_common(1)[0]
    code = _alpha3(best)
    if code is None or 2 * n <= len(coded):
        return None  # no country dominates: a wrong country is worse than none
    names = list(dict.fromkeys(p.text for p in coded if p.country_code == best))[:3]
    return _ArticleCountry(code, f"{n} of {len(coded)} places: {', '.join(names)}")


def _strip_det(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in DETERMINERS:
        start += 1
    return span.doc[start:span.end]


def _modifier_country(tokens: Sequence[Token], places: Sequence[Place] = ()) -> str | None:
    """Country named by a modifier: a demonym ("French"), a state name ("Russia's", "Paris") or a
    place the gazetteer resolved ("Trappes police", "Beijing police")."""
    states = actor_dictionary().states
    for tok in tokens:
        if tok.text in states:
            return states[tok.text]
        code = demonym_country(tok.text)
        if code:
            return _alpha3(code)
        if tok.ent_type_ in ("GPE", "LOC") and tok.ent_iob_ == "B":
            ent = next((e for e in tok.doc.ents if e.start == tok.i), None)
            name = _strip_det(ent).text if ent is not None else ""
            if name in states:
                return states[name]
        place = next((p for p in places if p.country_code and p.span[0] <= tok.idx < p.span[1]), None)
        if place is not None:
            return _alpha3(place.country_code)
    return None


def _named(doc: Doc) -> list[_Candidate]:
    entries = actor_dictionary().entries
    found = []
    dateline = DATELINE.match(doc.text)
    for ent in doc.ents:
        span = _strip_det(ent)
        if dateline and ent.start_char < dateline.end("place") and ent.label_ != "PERSON" \
                and ent.ent_id_ not in entries:
            continue  # "TRAPPES, France (AP) —": the dateline is where, never who
        if ent.ent_id_ not in entries and _modifies_generic_agent(span, ent.label_):
            continue  # "Marseille police", "Abu Sayyaf gunmen": the generic phrase is the actor
        if ent.ent_id_ in entries:
            e = entries[ent.ent_id_]
            found.append(_Candidate(span.start, span.end, e.name, e.kind, e.country, e.sector,
                                    f"actors.yaml#{e.key}", f"dictionary:{e.key}", 0))
        elif ent.label_ == "PERSON":
            found.append(_person(_whole_name(span)))
        elif ent.label_ == "ORG" and not _is_title_of_person(span):
            words = [t.lower_ for t in span]
            sector = next((ORG_SECTOR_WORDS[w] for w in words if w in ORG_SECTOR_WORDS), None)
            found.append(_Candidate(span.start, span.end, span.text, "ORG",
                                    _modifier_country(list(span)), sector, None, "ner:ORG", 1))
    return found


def _modifies_generic_agent(span: Span, label: str) -> bool:
    """A name used as a noun modifier of a generic agent noun ("Marseille police")."""
    root = span.root
    return (root.dep_ == "compound" and root.head.i == span.end and label != "PERSON"
            and _generic_noun(root.head) is not None)


def _whole_name(span: Span) -> Span:
    """Extend a name the NER cut short: in "Theresa May said", "May" is tagged DATE, but the parse
    still makes "Theresa" a compound of the proper noun "May"."""
    last = span[-1]
    head = last.head
    if last.dep_ == "compound" and head.i == span.end and head.pos_ == "PROPN" and head.is_title:
        return span.doc[span.start:head.i + 1]
    return span


def _is_title_of_person(span: Span) -> bool:
    """NER sometimes tags the title of a named person as an ORG ("Interior" Minister Collomb)."""
    tok = span.root
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    return tok.ent_type_ == "PERSON" and tok.i not in range(span.start, span.end)


def _person(span: Span) -> _Candidate:
    """A named person; a title before the name ("French Interior Minister X") gives sector and country."""
    doc = span.doc
    start = span.start
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i in range(span.start, span.end):
        start -= 1
    while start > 0:
        prev = doc[start - 1]
        if prev.dep_ in ("amod", "compound", "nmod") and prev.pos_ in ("ADJ", "PROPN", "NOUN") \
                and prev.head.i >= start:
            start -= 1
        elif (prev.dep_ == "pobj" and prev.is_title and prev.head.lower_ in ("of", "for")
              and prev.head.head.lower_ in TITLE_SECTORS and prev.head.head.i < start):
            start = prev.head.head.i  # "US Secretary of State Rex Tillerson"
        elif (span.root.dep_ == "appos" and span.root.head.lower_ in TITLE_SECTORS
              and span.root.head.i < start
              and all(t.is_title or t.lower_ in ("of", "for") for t in doc[span.root.head.i:start])):
            start = span.root.head.i  # "Minister for Interior Aftab Ahmad Khan Sherpao"
        else:
            break
    title = doc[start:span.start]
    sector = next((TITLE_SECTORS[t.lower_] for t in title if t.lower_ in TITLE_SECTORS), None)
    rule = "ner:PERSON+title:" + "-".join(t.lower_ for t in title) if len(title) else "ner:PERSON"
    # The mention is the whole phrase ("French Interior Minister Gérard Collomb"), as coders and
    # annotators mark it; the name stays the person's own.
    return _Candidate(start, span.end, span.text, "PER", _modifier_country(list(title)),
                      sector, None, rule, 1, core=span.start)


def _generic_noun(tok: Token) -> str | None:
    generic = actor_dictionary().generic
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("PERSON", "ORG"):
        return None
    if tok.i > 0:
        pair = f"{tok.doc[tok.i - 1].lower_} {tok.lower_}"
        if pair in generic:
            return pair
    for form in (tok.lower_, tok.lemma_.lower()):
        if form in generic:
            return form
    return None


def _generic(doc: Doc, main_country: _ArticleCountry | None,
             places: Sequence[Place] = ()) -> list[_Candidate]:
    """Generic agents: noun phrases headed by "police", "protesters", "the army", "officials"…"""
    generic = actor_dictionary().generic
    found = []
    for tok in doc:
        noun = _generic_noun(tok)
        # A title in front of a name is not an actor of its own ("Interior Minister Collomb").
        if noun is None or (tok.dep_ == "compound" and tok.head.pos_ == "PROPN"):
            continue
        if tok.dep_ == "compound" and _generic_noun(tok.head):
            continue  # "police officers": the head noun carries the phrase
        head = tok
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in actor_dictionary().people \
                and tok.head.i == tok.i + 1:
            head = tok.head  # "opposition groups", "militia members": the people noun heads it
        mods = [c for c in head.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod", "quantmod")]
        start = min([head.i] + [m.left_edge.i for m in mods])
        end, where = _place_phrase_end(head)
        span = _strip_det(doc[start:end])
        in_phrase = _modifier_country(list(doc[start:head.i]), places)
        named = in_phrase or _modifier_country(where, places)
        spec = generic[noun]
        default = main_country if spec.sector in ARTICLE_COUNTRY_SECTORS else None
        country = named or (default.code if default else None)
        rule = "generic:" + noun + ("+modifier" if named else
                                    f"+article-country({default.reason})" if default else "")
        found.append(_Candidate(span.start, span.end,
                                _generic_name(doc[span.start:head.i + 1], head, country, in_phrase),
                                spec.kind, country, spec.sector, None, rule, 2))
    return found


_PLACE_PREPS = {"in", "from", "throughout", "across"}


def _place_phrase_end(head: Token) -> tuple[int, list[Token]]:
    """End of a generic agent's phrase with the place that says whose it is: "Rebels in the Ivory
    Coast", "students throughout Indonesia" (the place tokens come back for the country)."""
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS or prep.i != head.i + 1:
            continue
        objects = [g for g in prep.children if g.dep_ == "pobj"]
        if objects and all(t.ent_type_ in ("GPE", "LOC") or t.lower_ == "the"
                           for t in objects[0].subtree):
            tokens = list(objects[0].subtree)
            return tokens[-1].i + 1, tokens
    return head.i + 1, []


def _generic_name(span: Span, head: Token, country: str | None, named: str | None) -> str:
    """One name for the spellings of a generic agent: "Police", "the police" and "police
    officers" in a Trappes story are all "French police"; numbers, determiners and describing
    adjectives go ("Two soldiers" → "soldiers"), names and noun modifiers stay ("riot police")."""
    words = []
    for tok in span:
        if tok.i == head.i:
            words.append(tok.lower_)
        elif tok.dep_ == "compound" and tok.pos_ == "NOUN":
            words.append(tok.lower_)
        elif tok.text in actor_dictionary().states and _demonym(actor_dictionary().states[tok.text]):
            words.append(_demonym(actor_dictionary().states[tok.text]) or tok.text)  # "Russia's army"
        elif tok.pos_ == "PROPN" or (tok.text[:1].isupper() and demonym_country(tok.text)):
            words.append(tok.text)
    if country and not named:
        demonym = _demonym(country)
        if demonym:
            words.insert(0, demonym)
    return " ".join(words) or span.text


def _demonym(alpha3: str) -> str | None:
    """The adjective for a country ("FRA" → "French"): the first form demonyms.yaml lists."""
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return None
    return _first_demonyms().get(country.alpha_2)


@lru_cache(maxsize=1)
def _first_demonyms() -> dict[str, str]:
    # places.py validates the file when it first reads it (demonym_country); here only the first
    # form of each country is wanted, with its capitals.
    demonym_country("French")
    raw = load_yaml("demonyms.yaml")
    return {str(code): words[0] for code, words in raw.items() if isinstance(words, list) and words}


def _states(doc: Doc) -> list[_Candidate]:
    """Country names in an agent/patient role: the place stands for its government."""
    names = actor_dictionary()
    found = []
    for ent in doc.ents:
        span = _strip_det(ent)
        if ent.label_ not in ("GPE", "ORG", "NORP"):
            continue
        root = span.root
        if span.text in names.states:
            code = names.states[span.text]
            # "praised Haiti's efforts", "rejected Russia's proposal": the state owns the argument
            role_ok = root.dep_ in STATE_ROLES or (
                root.dep_ == "pobj" and root.head.lower_ in PARTICIPANT_PREPS) or (
                root.dep_ == "poss" and root.head.dep_ in ARGUMENT_ROLES)
        elif span.text in names.capitals:
            code = names.capitals[span.text]
            role_ok = root.dep_ in CAPITAL_ROLES or (
                root.dep_ == "pobj" and root.head.lower_ == "by")  # "an admission by Moscow"
        else:
            continue
        if role_ok:
            name = (names.state_names or {}).get(code, span.text)  # "U.S.", "America" -> one name
            found.append(_Candidate(span.start, span.end, name, "STATE", code, "GOV", None,
                                    f"state:{root.dep_}", 3))
    return found


_PEOPLE_ROLES = {"nsubj", "nsubjpass", "dobj", "dative", "conj", "appos", "pobj"}


def _peoples(doc: Doc) -> list[_Candidate]:
    """Nationalities and peoples that act ("Palestinians rejected", "Iraqi Kurds demonstrated"), and
    a demonym on a thing that stands for its state ("an Indian proposal", "a US offer")."""
    names = actor_dictionary()
    found = []
    for ent in doc.ents:
        if ent.label_ != "NORP":
            continue
        span = _strip_det(ent)
        root = span.root
        start = span.start
        while start > 0 and doc[start - 1].dep_ in ("amod", "compound") and doc[start - 1].head.i == root.i:
            start -= 1  # "Iraqi Kurds", "ethnic Albanians"
        span = doc[start:span.end]
        code = next((_alpha3(demonym_country(t.text)) for t in span if demonym_country(t.text)), None)
        if root.dep_ in _PEOPLE_ROLES and root.tag_ in ("NNPS", "NNS", "NNP"):
            found.append(_Candidate(span.start, span.end, span.text, "GROUP", code, "CVL", None,
                                    "ner:NORP", 3))
        elif root.dep_ in ("amod", "compound", "nmod") and code and len(span) == 1 \
                and root.head.pos_ == "NOUN" and root.head.dep_ in _PEOPLE_ROLES:
            name = (names.state_names or {}).get(code, span.text)
            found.append(_Candidate(span.start, span.end, name, "STATE", code, "GOV", None,
                                    "demonym:modifier", 4))
    return found


def _unify_person_names(chosen: list[_Candidate]) -> None:
    """Later mentions by surname only ("Macron") take the full name seen before ("Emmanuel Macron")."""
    full: dict[str, str] = {}
    for c in chosen:
        if c.kind != "PER" or not c.rule.startswith("ner:"):
            continue
        parts = c.name.split()
        if len(parts) > 1:
            full.setdefault(parts[-1], c.name)
        elif parts and parts[0] in full:
            c.name = full[parts[0]]
