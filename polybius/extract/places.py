"""Toponyms: find place mentions, resolve them against the offline gazetteer, locate events.

A mention is kept only when one gazetteer entry is clearly the best reading in context (kind,
population, the article's other places, its dateline); otherwise it is dropped, because a wrong
place is worse than none. Countries stay countries: a town is never put at its country's point.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pycountry
import yaml
from spacy.tokens import Doc, Span, Token

from polybius.errors import ResourceError
from polybius.extract import Context
from polybius.extract.place_cues import CueCountry, article_country
from polybius.model import Actor, Event, Location, Place
from polybius.resources.gazetteer import Entry, Gazetteer, default_gazetteer, fold

DEMONYMS_FILE = "demonyms.yaml"

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_LABELS = frozenset({"ORG", "PERSON"})
DIRECTIONS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "northern", "southern", "eastern", "western", "northeastern", "northwestern",
    "southeastern", "southwestern", "central", "north-east", "north-west", "south-east",
    "south-west", "north-eastern", "north-western", "south-eastern", "south-western",
})
ADMIN_WORDS = frozenset({
    "province", "governorate", "region", "oblast", "state", "county", "department", "district",
    "prefecture", "republic", "territory",
})
LOCATIVE_PREPS = frozenset({
    "in", "at", "near", "outside", "inside", "across", "around", "throughout", "into", "on",
    "from", "towards", "toward", "within", "off", "to", "over", "along",
})
STREET_WORDS = frozenset({
    "street", "st", "road", "rd", "avenue", "ave", "drive", "dr", "boulevard", "blvd", "lane",
    "ln", "highway", "hwy", "parkway", "pkwy", "way", "court", "place", "square", "plaza",
    "bridge", "interstate", "route", "pike", "trail", "circle", "terrace",
})
INSTITUTION_WORDS = frozenset({
    "police", "department", "sheriff", "sheriff's", "county", "city", "school", "schools",
    "university", "college", "hospital", "council", "fire", "court", "board", "library",
    "airport", "museum", "district", "commission", "authority", "government", "ministry",
    "prosecutor", "prosecutor's", "health", "state", "public", "municipal", "regional",
    "high", "middle", "elementary", "community", "chamber", "highway", "township", "area",
    "metropolitan", "army", "senate", "legislature", "assembly", "parish", "town", "village",
    "historical", "utilities", "water", "housing", "emergency", "jail", "correctional",
})
"""Words after a place name that make an organisation local to it ("Oxford Police Department")."""
BUILDING_WORDS = frozenset({
    "arena", "stadium", "station", "airport", "mall", "centre", "center", "hall", "hospital",
    "cathedral", "mosque", "church", "synagogue", "temple", "hotel", "market", "prison",
    "tower", "port", "harbour", "harbor", "terminal", "university", "college", "school",
    "campus", "barracks", "base", "embassy", "consulate", "courthouse", "museum", "theatre",
    "theater", "zoo", "park",
})
"""Words that end the name of a building or site named after its town ("Manchester Arena")."""
LISTED_UNITS_ONLY = True
PLURAL_UNITS = {"counties": "County", "provinces": "Province", "townships": "Township",
                "parishes": "Parish", "districts": "District", "governorates": "Governorate"}
"""Unit words that close a list of units ("Dakota, Otoe and Washington counties")."""
LOCAL_BODY_WORDS = frozenset({
    "township", "municipal", "mayor", "alderman", "aldermen", "councilman", "councilwoman",
    "elementary",
})
LOCAL_BODY_PAIRS = frozenset({
    ("police", "department"), ("fire", "department"), ("school", "district"),
    ("school", "board"), ("town", "council"), ("city", "council"), ("city", "hall"),
    ("city", "manager"), ("city", "commission"), ("city", "schools"), ("public", "library"),
    ("parks", "and"), ("high", "school"), ("middle", "school"), ("public", "schools"),
})
"""Words after a name that make it a town's or county's own ("Paris City Council")."""
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})
DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Za-z\u00C0-\u024F.' -]{1,40}?)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z\u00C0-\u024F.' -]{1,40}?))?"
    r"\s*(?:\([A-Za-z .&-]{1,30}\)\s*)?(?:\u2014|\u2013|--|-|:)\s")

MIN_SCORE = 1.0
"""Below this the best reading is too weak to keep: a town of under ~600 people needs support
from the text (its country or region named, a qualifier) to be kept. Lowered from 1.2 (~4,000
people): on LGL nearly all the readings this adds are right (acc@161 +0.004, answered +0.004),
on GeoVirus it adds a handful of answers, none right; ambiguity is the margin's job."""
CAPITAL_BONUS = 0.4
"""National capitals are named far more than their population suggests ("Washington" the city)."""
COUNTRY_CONTEXT = (0.4, 0.2, 1.0)
"""Bonus for a reading in a country the other mentions name: base + per unit of support, capped."""
ADMIN1_CONTEXT = 0.6
"""Bonus for a reading in an admin1 area that the other mentions name or lie in."""
SOFT_CONTEXT = 0.5
"""Bonus for a reading in an admin1 area where another, still ambiguous name may also lie
(weighted by 1 / the number of areas that name could be in)."""
MIN_MARGIN = 0.1
"""The best reading must beat the runner-up by this much (~2.5x the population, all else equal),
else the mention is ambiguous and dropped."""
NEAR_KM = (30.0, 120.0)
"""Two readings of different names this close are neighbours: full weight up to the first
distance, fading to none at the second (a county and its towns, a town and the next one)."""
NEARBY = (0.5, 1.2)
"""Bonus for a reading that other names of the article could also be near: weight per
neighbouring name (scaled by how specific that name is), capped."""
NEARBY_CANDIDATES = 40
"""Readings per name that take part (most populous first): bounds the work per article."""
NEARBY_COMMON = 3.0
"""A name with n readings lends min(1, this / n) support: "Springfield" is near almost anything."""
NEARBY_PAIRS = 1.0
"""Two names of which only k readings of either lie near the other's lend each other
min(1, NEARBY_COMMON / k) times this (or the per-name weight, when larger): the rarity of the
coincidence, not of each name alone, is the evidence."""
ALIAS_PENALTY = 0.3
"""Score taken from a reading matched by an alternate name when another reading has it as its
main name."""
SAME_SPOT_KINDS = frozenset({"city"})
SAME_SPOT_KM = 20.0
"""Readings of two towns within this distance are not rivals for the margin."""
OTHER_TOWN_ALIAS = (0.5, 10.0)
"""A town reading found by an alternate name, when other places bear that name as their main
one, loses this much unless it is this many times larger than the largest of them."""
FACILITY_TOWN = 100_000
"""A building's leading name ("Heathrow Airport") is often its own, not a town's: without support
from the article's other places it is taken for a town only when that town is this large."""
AREA_KINDS = frozenset({"country", "admin1", "region"})
"""Kinds of a name that mainly names an area: such names take no part in the nearby support."""
CUE_PRIOR = 0.6
"""Bonus for a reading in the country the article's wording points to (place_cues), given only
when none of the article's other names supports any country: a named place always outweighs it."""


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    source: str  # ner:GPE, ner:ORG, dateline, demonym
    region_hint: str | None = None  # "Texas" in "Paris, Texas"
    admin_word: bool = False  # followed by "province", "region"...
    admin_suffix: str | None = None  # that word as written: "Saltivskyi district" is looked up too
    suburb: bool = False
    country: str | None = None  # demonyms: their ISO-2 code
    street: bool = False  # "Main Street", "Highway 19": resolved to the town of the article
    facility: bool = False  # the town of "Manchester Arena": needs a large town or context
    listed: bool = False  # "Anderson and Cherokee counties": a unit, whichever area it is in
    local: bool = False  # "Athens City Council", "Jordan Middle School": a town's own institution
    person: bool = False  # a demonym that gives a named person's nationality ("the American singer X")
    candidates: list[Entry] = field(default_factory=list)


def extract_places(doc: Doc, ctx: Context, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Place mentions of the article, resolved to gazetteer entries (unresolvable ones dropped)."""
    gaz = gazetteer or default_gazetteer()
    mentions = _find_mentions(doc, gaz)
    for m in mentions:
        if m.source != "demonym":
            m.candidates = _lookup(gaz, m)
    resolved = _resolve_all(mentions, gaz, article_country(doc.text))
    places = []
    for m, entry, conf, how in sorted(resolved, key=lambda r: r[0].start):
        places.append(_place(f"p{len(places) + 1}", m, entry, conf, how))
    return places


def resolve_spans(doc: Doc, spans: Sequence[tuple[int, int]],
                  gazetteer: Gazetteer | None = None) -> list[Place | None]:
    """Resolve given toponym spans (e.g. gold ones), each other's context; None = no answer.

    The result is aligned with ``spans``. Used to score resolution apart from recognition.
    """
    gaz = gazetteer or default_gazetteer()
    text = doc.text  # built from the tokens on every access: once here, not once per span
    mentions = [_span_mention(doc, text[start:end], start, end, gaz) for start, end in spans]
    for m in mentions:
        if m.source != "demonym":
            m.candidates = _lookup(gaz, m)
    cue = article_country(text)
    resolved = {id(m): (entry, conf, how) for m, entry, conf, how in _resolve_all(mentions, gaz, cue)}
    out: list[Place | None] = []
    for k, m in enumerate(mentions, start=1):
        pick = resolved.get(id(m))
        out.append(_place(f"p{k}", m, *pick) if pick else None)
    return out


def _span_mention(doc: Doc, text: str, start: int, end: int, gaz: Gazetteer) -> _Mention:
    code = demonym_country(text)
    if code:
        return _Mention(start, end, text, "demonym", country=code)
    span = doc.char_span(start, end, alignment_mode="expand")
    # a span inside a token ("U.S." of "U.S.-led") is looked up as given, not as the token
    if span is not None and len(span) > 0 and span.text == text:
        inner = _entity_mention(span, gaz)
        if inner is not None:
            inner.source = "given"
            return inner
    return _Mention(start, end, text, "given")


# --------------------------------------------------------------------------------------------
# Public helpers


def country_alpha3(alpha2: str) -> str | None:
    """ISO 3166-1 alpha-3 code for an alpha-2 code ("FR" -> "FRA"), None if unknown."""
    code = alpha2.upper()
    if code == "XK":  # Kosovo: user-assigned, not in ISO 3166 but used by GeoNames and news coders
        return "XKX"
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def demonym_country(word: str) -> str | None:
    """ISO-2 country of a demonym/adjective ("French" -> "FR"), None if not one or ambiguous."""
    return _demonyms().get(fold(word))


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    text = resources.files("polybius.resources").joinpath(DEMONYMS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ResourceError(f"{DEMONYMS_FILE}: expected a mapping ISO-2 code -> list of words")
    table: dict[str, str] = {}
    for code, words in data.items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise ResourceError(f"{DEMONYMS_FILE}: entry {code!r} is not an ISO-2 code")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ResourceError(f"{DEMONYMS_FILE}: entry {code}: expected a list of words")
        for word in words:
            key = fold(word)
            if key in table and table[key] != code:
                raise ResourceError(f"{DEMONYMS_FILE}: entry {code}: {word!r} is also {table[key]}")
            table[key] = code
    return table


# --------------------------------------------------------------------------------------------
# Finding mentions


def _find_mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    mentions: list[_Mention] = []
    taken: set[int] = set()

    def add(m: _Mention | None) -> None:
        if m is None or any(i in taken for i in range(m.start, m.end)):
            return
        taken.update(range(m.start, m.end))
        mentions.append(m)

    add(_dateline(doc))
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            add(_entity_mention(ent, gaz) if ent.label_ != "FAC" else _facility_mention(ent, gaz))
    for ent in doc.ents:
        if ent.label_ in OTHER_LABELS:
            add(_strong_other(ent, gaz))
    for m in _demonym_mentions(doc):
        add(m)
    for m in _untagged_names(doc, gaz):
        add(m)
    return mentions


def _entity_mention(ent: Span, gaz: Gazetteer | None = None) -> _Mention | None:
    tokens = list(ent)
    if tokens and tokens[-1].lower_ in {"'s", "’s"}:
        tokens = tokens[:-1]
    while tokens and tokens[0].lower_ == "the":
        tokens = tokens[1:]
    # "northeast Syria": the direction narrows the area but the place named is Syria; "South
    # Africa", "West Bank" and "North Carolina" are names of their own, kept when the gazetteer has them
    while tokens and tokens[0].lower_ in DIRECTIONS and not (
            gaz is not None and tokens[0].text[:1].isupper() and len(tokens) > 1
            and gaz.candidates(ent.doc[tokens[0].i: tokens[-1].i + 1].text)):
        tokens = tokens[1:]
    tokens, of_hint, of_admin = _split_of(tokens, gaz)
    if not tokens or not tokens[0].text[:1].isupper():
        return None
    span = ent.doc[tokens[0].i: tokens[-1].i + 1]
    nxt = ent.doc[span.end] if span.end < len(ent.doc) else None
    m = _Mention(span.start_char, span.end_char, span.text, f"ner:{ent.label_}")
    if nxt is not None:
        m.admin_word = nxt.lower_ in ADMIN_WORDS
        m.admin_suffix = nxt.text if m.admin_word else None
        if not m.admin_word:
            m.admin_suffix = _listed_unit(ent.doc, span.end)
            m.admin_word = m.listed = m.admin_suffix is not None
        m.suburb = nxt.lower_ in {"suburb", "suburbs", "outskirts"}
        m.local = _names_local_body(ent.doc, span.end)
        building = _building_after(ent.doc, span.end)
        if building is not None and _located_elsewhere(building):
            return None  # "the Westgate shopping centre in Nairobi": a building's own name
    m.admin_word = m.admin_word or of_admin
    m.region_hint = of_hint or _region_hint(span)
    m.street = tokens[-1].lower_.rstrip(".") in STREET_WORDS
    return m


def _facility_mention(ent: Span, gaz: Gazetteer) -> _Mention | None:
    """A building or site: "Manchester Arena" is in Manchester. A facility the gazetteer does not
    know by its full name and whose name is a place name followed by a building word stands for
    that place (resolved like any other mention, so an ambiguous one gives no answer)."""
    whole = _entity_mention(ent, gaz)
    if whole is None or gaz.candidates(whole.text) or whole.street:
        return whole
    doc = ent.doc
    tokens = [t for t in doc[ent.start: ent.end] if t.idx >= whole.start and t.idx + len(t) <= whole.end]
    cut = next((k for k, t in enumerate(tokens) if t.lower_ in BUILDING_WORDS), None)
    if not cut or cut > 3 or cut != len(tokens) - 1 or not all(t.text[:1].isupper() for t in tokens[:cut]):
        return whole
    span = doc[tokens[0].i: tokens[cut - 1].i + 1]
    if not gaz.candidates(span.text):
        return whole
    if _located_elsewhere(tokens[cut]):
        return None
    m = _Mention(span.start_char, span.end_char, span.text, "ner:FAC", facility=True)
    m.region_hint = _region_hint(ent)
    return m


def _building_after(doc: Doc, i: int) -> Token | None:
    """The building word right after a name, as a common noun ("Westgate mall", "Victoria
    station", "Westgate shopping centre"), else None."""
    for tok in doc[i: i + 2]:
        if not tok.text.islower():
            return None
        if tok.lower_ in BUILDING_WORDS:
            return tok
    return None


def _located_elsewhere(building: Token) -> bool:
    """ "the Westgate shopping centre in Nairobi": the text places the building in a named town,
    so its own name is not that town."""
    return any(prep.dep_ == "prep" and prep.lower_ in {"in", "near", "outside"}
               and any(obj.dep_ == "pobj" and obj.ent_type_ == "GPE" for obj in prep.children)
               for prep in building.children)


def _listed_unit(doc: Doc, i: int) -> str | None:
    """The unit word of a list the name opens or continues: "Anderson and Cherokee counties",
    "Butler, Clark or Warren counties" -> "County" (the singular, as the gazetteer names units)."""
    for tok in doc[i: i + 16]:
        if tok.lower_ in PLURAL_UNITS:
            return PLURAL_UNITS[tok.lower_]
        if not (tok.text in {",", "and", "or"} or (tok.is_alpha and tok.text[:1].isupper())):
            return None
    return None


def _names_local_body(doc: Doc, i: int) -> bool:
    """Whether the words from token ``i`` on name a town's or county's own body ("City Council",
    "Police Department", "High School"): what they follow is a town or county, not a country,
    and not the national capital just for being one."""
    first = doc[i].lower_ if i < len(doc) else ""
    second = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return first in LOCAL_BODY_WORDS or (first, second) in LOCAL_BODY_PAIRS


def _split_of(tokens: list[Token], gaz: Gazetteer | None) -> tuple[list[Token], str | None, bool]:
    """An entity "A of B" that the gazetteer does not know as a whole: "the Saltivskyi District
    of Kharkiv" is the district with Kharkiv as its qualifier; "the Province of Idlib" is Idlib,
    an admin unit. Returns the tokens to look up, the qualifier, and whether an admin word named it."""
    of = next((k for k, t in enumerate(tokens) if t.lower_ == "of" and 0 < k < len(tokens) - 1), None)
    if of is None or gaz is None:
        return tokens, None, False
    doc = tokens[0].doc
    if gaz.candidates(doc[tokens[0].i: tokens[-1].i + 1].text):
        return tokens, None, False  # "Isle of Man", "Republic of Korea": names of their own
    head, tail = tokens[:of], tokens[of + 1:]
    tail_text = doc[tail[0].i: tail[-1].i + 1].text
    if len(head) == 1 and head[0].lower_ in ADMIN_WORDS:
        return tail, None, True
    if len(head) > 1 and head[-1].lower_ in ADMIN_WORDS:
        return head, tail_text, False
    return tokens, None, False


def _region_hint(span: Span) -> str | None:
    """The "Texas" of "Paris, Texas" or the "France" of "Trappes, France"."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == ",":
        for ent in doc.ents:
            if ent.start == span.end + 1 and ent.label_ in PLACE_LABELS:
                return ent.text
    return None


def _strong_other(ent: Span, gaz: Gazetteer) -> _Mention | None:
    """An ORG/PERSON entity that is really a place: capitalised and one clear, large match."""
    if ent.label_ == "PERSON" and not all(t.text[:1].isupper() for t in ent if t.is_alpha):
        return None
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].pos_ == "PROPN":
        return None  # part of a longer name ("Jordan Peterson")
    if ent.label_ == "ORG":
        local = _place_of_institution(ent, gaz) or _country_or_state_body(ent, gaz)
        if local is not None:
            return local
        ent = _leading_name(ent)
    found = _prune(gaz.candidates(ent.text), None)
    if not found or found[0].alias:
        return None
    top, rest = found[0], found[1:]
    big = top.kind == "country" or top.population >= 100_000
    clear = all(e.population < top.population / 20 for e in rest)
    if not (big and clear):
        return None
    return _Mention(ent.start_char, ent.end_char, ent.text, f"ner:{ent.label_}",
                    region_hint=_region_hint(ent))


def _place_of_institution(ent: Span, gaz: Gazetteer) -> _Mention | None:
    """The "Oxford" of "Oxford Police Department", the "Texas" of "Texas Department of Health":
    a place name followed by an institution word. Resolved like any other mention (no answer
    when ambiguous), so a firm named after a place ("Boston Scientific") is not taken."""
    tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    cut = next((k for k, t in enumerate(tokens) if t.lower_ in INSTITUTION_WORDS), None)
    if not cut or cut > 3 or not all(t.text[:1].isupper() for t in tokens[:cut]):
        return None
    span = ent.doc[tokens[0].i: tokens[cut - 1].i + 1]
    if not gaz.candidates(span.text):
        return None
    return _Mention(span.start_char, span.end_char, span.text, "ner:ORG",
                    local=_names_local_body(ent.doc, span.end))


def _country_or_state_body(ent: Span, gaz: Gazetteer) -> _Mention | None:
    """The "U.S." of "the U.S. Food and Drug Administration", the "Georgia" of "the Georgia Bureau
    of Investigation": an organisation whose name opens with the name of a country or a state
    (first-level unit) followed by more capitalised words. Countries and states only: town names
    open too many firm names ("Boston Scientific")."""
    tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    for width in (3, 2, 1):
        if len(tokens) <= width or not tokens[width].text[:1].isupper():
            continue
        if not all(t.text[:1].isupper() for t in tokens[:width]):
            continue
        span = ent.doc[tokens[0].i: tokens[width - 1].i + 1]
        found = _prune(gaz.candidates(span.text), None)
        if found and found[0].kind in ("country", "admin1"):
            return _Mention(span.start_char, span.end_char, span.text, "ner:ORG")
    return None


def _untagged_names(doc: Doc, gaz: Gazetteer) -> Iterable[_Mention]:
    """Proper-noun runs the NER missed ("Police in Yvelines"): kept after a locative preposition
    when the gazetteer has one clear reading, elsewhere only when it is large and unambiguous."""
    def name_like(tok: Token) -> bool:
        # the tagger sometimes calls an unknown capitalised name a NOUN ("in Yvelines")
        return (tok.pos_ in {"PROPN", "NOUN"} and not tok.ent_type_ and tok.text[:1].isupper()
                and not tok.is_sent_start)

    i = 0
    while i < len(doc):
        if not name_like(doc[i]):
            i += 1
            continue
        j = i
        while j < len(doc) and name_like(doc[j]):
            j += 1
        span = doc[i:j]
        prev = doc[i - 1]
        after_prep = prev.lower_ in LOCATIVE_PREPS and prev.dep_ == "prep"
        all_propn = all(t.pos_ == "PROPN" for t in span)
        found = _prune(gaz.candidates(span.text), None)
        if found and not found[0].alias and (all_propn or after_prep):
            top, rest = found[0], found[1:]
            clear = all(e.population < top.population / 20 for e in rest)
            big = top.kind == "country" or top.population >= 100_000
            if clear and (big or after_prep):
                yield _Mention(span.start_char, span.end_char, span.text, "propn",
                               region_hint=_region_hint(span))
        i = j


def _leading_name(ent: Span) -> Span:
    """The "Paris" of "the Paris prosecutor's office": capitalised head words before lower-case ones."""
    tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    name = [t for t in tokens[:4]]
    cut = next((k for k, t in enumerate(name) if not t.text[:1].isupper()), len(name))
    if 0 < cut < len(tokens) and all(not t.text[:1].isupper() for t in tokens[cut:]):
        return ent.doc[tokens[0].i: tokens[cut - 1].i + 1]
    return ent


def _demonym_mentions(doc: Doc) -> Iterable[_Mention]:
    ent_label = {t.i: t.ent_type_ for t in doc}
    i = 0
    while i < len(doc):
        tok = doc[i]
        if not tok.text[:1].isupper() or ent_label[i] in {"ORG", "PERSON", "WORK_OF_ART"}:
            i += 1
            continue
        for width in (2, 1):  # "South Korean" before "Korean"
            span = doc[i: i + width]
            code = demonym_country(span.text) if span.end <= len(doc) else None
            if code and _inside_longer_name(span):
                code = None  # "Latin American", "Native American": a name of its own
            if code and all(t.text[:1].isupper() for t in span):
                yield _Mention(span.start_char, span.end_char, span.text, "demonym", country=code,
                               person=_describes_person(span))
                i += width - 1
                break
        i += 1


def _inside_longer_name(span: Span) -> bool:
    """Whether ``span`` ends a longer group name the NER found, capitalised words that are no
    demonym together ("Latin American", "Native American"); "inter-Palestinian" and the
    "Egyptian-Israeli Peace Treaty" still name their countries."""
    first = span[0]
    if first.ent_iob_ != "I" or first.ent_type_ != "NORP":
        return False
    start = first.i
    while start > 0 and span.doc[start].ent_iob_ == "I":
        start -= 1
    head = span.doc[start: first.i]
    return (all(t.is_alpha and t.text[:1].isupper() for t in head)
            and demonym_country(span.doc[start: span.end].text) is None)


def _describes_person(span: Span) -> bool:
    """ "the American singer Ariana Grande", "Colombian President Juan Manuel Santos": the
    adjective gives a named person's nationality, which says where that person is from, not
    where the article's places or events are."""
    head = span.root.head
    if span.root.dep_ != "amod" or head == span.root:
        return False
    if head.ent_type_ == "PERSON":
        return True
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in head.children):
        return True
    return head.dep_ == "compound" and head.head.ent_type_ == "PERSON"


def _dateline(doc: Doc) -> _Mention | None:
    """"PARIS (Reuters) —" or "Trappes, France —" at the start of the text."""
    match = DATELINE.match(doc.text)
    if not match:
        return None
    start, end = match.span("place")
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0 or len(span) > 4:
        return None
    m = _Mention(span.start_char, span.end_char, span.text, "dateline")
    m.region_hint = match.group("region")
    return m


# --------------------------------------------------------------------------------------------
# Resolving


def _lookup(gaz: Gazetteer, m: _Mention) -> list[Entry]:
    """The readings of a mention: entries called by its name, and when an admin word follows it
    ("Saltivskyi district") also those called by both, as the gazetteer names some units."""
    found = gaz.candidates(m.text)
    if m.admin_suffix:
        seen = {(e.geonameid, e.name, e.kind) for e in found}
        more = [e for e in gaz.candidates(f"{m.text} {m.admin_suffix}")
                if (e.geonameid, e.name, e.kind) not in seen]
        if more:
            found = sorted([*found, *more], key=lambda e: e.population, reverse=True)
    return _prune(found, m)


def _prune(entries: Sequence[Entry], m: _Mention | None) -> list[Entry]:
    """Drop a subdivision that stands for the same-named town (Idlib province vs Idlib city).

    News names the town far more often; the subdivision wins only when the text says "province".
    """
    def area(e: Entry) -> tuple[str, str | None]:
        return (e.country_code, e.admin1_code)

    towns = {area(e) for e in entries if e.kind == "city" and not e.alias}
    areas = {area(e) for e in entries if e.kind in ("admin1", "admin2")}
    admin_word = m.admin_word if m else False
    local = m.local if m else False
    out = []
    for e in entries:
        if e.lat is None or e.lon is None:
            continue  # a unit with no town to place it by: it cannot locate anything
        if local and e.kind in ("country", "region"):
            continue  # "Jordan Middle School": not the country
        if admin_word and e.kind == "city" and e.feature != "city district" and (
                area(e) in areas or (LISTED_UNITS_ONLY and m is not None and m.listed and areas)):
            continue  # "Idlib province", "Anderson and Cherokee counties": not the town
        if not admin_word and e.kind in ("admin1", "admin2") and area(e) in towns:
            continue  # "Idlib": the town, not the province around it
        out.append(e)
    return out


@dataclass
class _Evidence:
    """What the article's other mentions say: weight per country / admin1, by mention."""

    countries: dict[str, dict[str, float]] = field(default_factory=dict)
    admin1: dict[str, dict[str, float]] = field(default_factory=dict)
    dateline_country: str | None = None
    soft_admin1: dict[str, dict[str, float]] = field(default_factory=dict)
    """admin1 -> {name: 1/n}: an unresolved name whose n candidate admin1 areas include it."""
    nearby: dict[tuple[str, Entry], Nearby] = field(default_factory=dict)
    """(name, reading) -> support from readings of the article's other names that lie near it."""
    named_countries: frozenset[str] = frozenset()
    """Countries the article names outright (by name, abbreviation or demonym)."""
    cue: CueCountry | None = None
    """The country the article's wording points to (place_cues), if any."""

    def names_a_country(self, mention: _Mention) -> bool:
        """Whether any name other than ``mention``'s supports some country."""
        name = fold(mention.text)
        return any(w > 0 and other != name for by in self.countries.values() for other, w in by.items())

    def add_soft(self, mention: _Mention) -> None:
        areas = {e.admin1_code for e in mention.candidates if e.admin1_code and e.kind != "country"}
        name = fold(mention.text)
        for code in areas:
            by = self.soft_admin1.setdefault(code, {})
            by[name] = max(by.get(name, 0.0), 1 / len(areas))

    def add(self, mention: _Mention, entry: Entry, weight: float) -> None:
        name = fold(mention.text)
        for table, key in ((self.countries, entry.country_code), (self.admin1, entry.admin1_code)):
            if key:
                by = table.setdefault(key, {})
                by[name] = max(by.get(name, 0.0), weight)

    def support(self, table: dict[str, dict[str, float]], key: str | None, mention: _Mention) -> float:
        """Weight of ``key`` from other names than ``mention``'s: a name repeated five times
        does not confirm its own reading."""
        if not key:
            return 0.0
        name = fold(mention.text)
        return sum(w for other, w in table.get(key, {}).items() if other != name)


def _resolve_all(mentions: list[_Mention], gaz: Gazetteer, cue: CueCountry | None = None
                 ) -> list[tuple[_Mention, Entry, float, str]]:
    out: list[tuple[_Mention, Entry, float, str]] = []
    base = _Evidence(cue=cue)
    # Pass 1: demonyms and unambiguous countries set the article's geographic context.
    for m in mentions:
        if m.source == "demonym" and m.country:
            entry = gaz.country(m.country)
            if entry:
                if not m.person:
                    base.add(m, entry, 1.0)
                out.append((m, entry, 0.9, "demonym:person" if m.person else "demonym"))
        elif m.candidates and m.candidates[0].kind == "country" and not m.candidates[0].alias:
            base.add(m, m.candidates[0], 1.0)
    # countries named by an abbreviation or other alternate name ("UK", "U.S.") count here too
    base.named_countries = frozenset(base.countries).union(
        m.candidates[0].country_code for m in mentions
        if m.source != "demonym" and m.candidates and m.candidates[0].kind == "country")
    # Pass 2: score every reading, first with that context only, then with the other picks too.
    pending = [m for m in mentions if m.source != "demonym" and m.candidates and not m.street]
    for m in pending:
        base.add_soft(m)
    base.nearby = _nearby_support(pending)
    chosen: dict[int, tuple[Entry, float, str]] = {}
    ev = base
    for _ in range(2):
        chosen = {}
        for m in pending:
            pick = _choose(m, ev, gaz)
            if pick:
                chosen[id(m)] = pick
        ev = _context(base, pending, chosen)
    for m in pending:
        if id(m) in chosen:
            entry, conf, how = chosen[id(m)]
            out.append((m, entry, conf, how))
    town = _article_town([chosen[id(m)][0] for m in pending if id(m) in chosen])
    if town is not None:
        out.extend((m, town, 0.3, f"{m.source}+street:town-of-article")
                   for m in mentions if m.street)
    return out


def _article_town(picks: list[Entry]) -> Entry | None:
    """The town the article names most (first named on ties): where its streets are."""
    towns = [e for e in picks if e.kind == "city"]
    if not towns:
        return None
    counts = Counter(e.geonameid for e in towns)
    return max(towns, key=lambda e: counts[e.geonameid])


def _context(base: _Evidence, pending: list[_Mention],
             chosen: dict[int, tuple[Entry, float, str]]) -> _Evidence:
    ev = _Evidence({k: dict(v) for k, v in base.countries.items()},
                   {k: dict(v) for k, v in base.admin1.items()}, base.dateline_country,
                   base.soft_admin1, base.nearby, base.named_countries, base.cue)
    for m in pending:
        if id(m) not in chosen:
            continue
        entry, conf, _how = chosen[id(m)]
        ev.add(m, entry, conf)
        if m.source == "dateline":
            ev.dateline_country = entry.country_code
    return ev


class Nearby(NamedTuple):
    """Support a reading gets from the article's other names lying near it: ``plain`` weighs each
    other name by how common it is, ``rare`` also by how rare the coincidence of the two is."""

    plain: float
    rare: float


def _nearby_support(mentions: Sequence[_Mention]) -> dict[tuple[str, Entry], Nearby]:
    """For each town or district reading of each name: how many of the article's other names
    have a reading near it, each weighted by closeness (NEAR_KM) and by how specific that name is
    (``plain``: a name with n readings counts min(1, NEARBY_COMMON / n)) or how rare the
    coincidence of the two names is (``rare``: when only k readings of either lie near the
    other's, min(1, NEARBY_COMMON / k), if larger; one entry found by both names does not count).

    Places an article names cluster; a coincidence of several names all having a reading in one
    small area is strong evidence for those readings. A grid of 2-degree cells keeps it linear.
    """
    by_name: dict[str, list[Entry]] = {}
    for m in mentions:
        name = fold(m.text)
        if name in by_name:
            continue
        main = next((e for e in m.candidates if not e.alias), None)
        if main is not None and main.kind in AREA_KINDS:
            # "Oregon", "Mexico": mainly the name of a state or country; the towns called after
            # it (Oregon, Wisconsin; Mexico, Missouri) neither get nor lend support
            by_name[name] = []
            continue
        by_name[name] = [e for e in m.candidates if e.kind in ("city", "admin2")
                         and e.lat is not None and e.lon is not None][:NEARBY_CANDIDATES]
    if len(by_name) < 2:
        return {}
    grid: dict[tuple[int, int], list[tuple[str, Entry]]] = {}
    for name, entries in by_name.items():
        for e in entries:
            grid.setdefault(_cell(e), []).append((name, e))
    weight = {name: min(1.0, NEARBY_COMMON / len(entries)) for name, entries in by_name.items()
              if entries}
    near, far = NEAR_KM
    # (name, reading) -> other name -> closeness of its nearest reading: any reading, and
    # another entry than this one ("Mecca", an alias of Medina, Ohio, is no coincidence with
    # "Medina": one town found by two names)
    closeness: dict[tuple[str, Entry], dict[str, tuple[float, float]]] = {}
    readings_near: dict[tuple[str, str], int] = {}
    for name, entries in by_name.items():
        for e in entries:
            best: dict[str, tuple[float, float]] = {}
            row, col = _cell(e)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for other, o in grid.get((row + dr, col + dc), ()):
                        if other == name:
                            continue
                        km = _km(e, o)
                        if km < far:
                            close = 1.0 if km <= near else (far - km) / (far - near)
                            anyone, distinct = best.get(other, (0.0, 0.0))
                            best[other] = (max(anyone, close),
                                           distinct if _same_entry(e, o) else max(distinct, close))
            if best:
                closeness[(name, e)] = best
                for other, (_anyone, distinct) in best.items():
                    if distinct > 0:
                        readings_near[(name, other)] = readings_near.get((name, other), 0) + 1
    out: dict[tuple[str, Entry], Nearby] = {}
    for (name, e), best in closeness.items():
        plain = rare = 0.0
        for other, (anyone, distinct) in best.items():
            support = anyone * weight[other]
            plain += support
            if distinct > 0:
                # "Paris" and "Henry County" are both common names, but only one Paris lies
                # near a Henry County: a coincidence that rare picks both readings
                pairs = max(readings_near[(name, other)], readings_near.get((other, name), 1))
                support = max(support, distinct * min(1.0, NEARBY_COMMON / pairs) * NEARBY_PAIRS)
            rare += support
        out[(name, e)] = Nearby(plain, rare)
    return out


def _same_entry(a: Entry, b: Entry) -> bool:
    """Whether two readings are one gazetteer entry (found by two names)."""
    if a.geonameid is not None:
        return a.geonameid == b.geonameid and a.kind == b.kind
    return (a.name, a.kind, a.lat, a.lon) == (b.name, b.kind, b.lat, b.lon)


def _cell(e: Entry) -> tuple[int, int]:
    """2-degree cells: a cell and its eight neighbours reach past NEAR_KM's outer distance up to
    ~57 degrees of latitude (beyond, east-west reach shrinks: a smaller bonus, never a wrong one)."""
    return int(math.floor((e.lat or 0.0) / 2)), int(math.floor((e.lon or 0.0) / 2))


def _km(a: Entry, b: Entry) -> float:
    """Equirectangular distance: exact enough below a few hundred km, and cheap."""
    lat = math.radians(((a.lat or 0.0) + (b.lat or 0.0)) / 2)
    dx = math.radians((b.lon or 0.0) - (a.lon or 0.0)) * math.cos(lat)
    dy = math.radians((b.lat or 0.0) - (a.lat or 0.0))
    return 6371.0 * math.hypot(dx, dy)


def _hint_matches(hint: str, entry: Entry, gaz: Gazetteer) -> bool:
    for h in gaz.candidates(hint):
        if h.kind == "country" and h.country_code == entry.country_code:
            return True
        if h.kind == "admin1" and h.admin1_code and h.admin1_code == entry.admin1_code:
            return True
    return False


def _score(m: _Mention, e: Entry, ev: _Evidence, gaz: Gazetteer) -> tuple[float, list[str]]:
    """Prior (kind, log population: +0.25 per tenfold) plus agreement with the rest of the text."""
    why = []
    score = {"region": 1.0, "country": 1.0, "admin1": 0.3, "admin2": 0.1, "city": 0.3}[e.kind]
    population = e.population / 3 if e.kind in ("admin1", "admin2") else e.population
    # a subdivision's population is the sum of its towns: discounted so a province does not beat
    # the town everybody means just by containing it
    score += 0.25 * math.log10(population + 1)
    if e.alias:
        primary = max((c.population for c in m.candidates if not c.alias), default=None)
        # "Kyiv" the city, not "Kyivska oblast" (alias "Kyiv")
        score -= ALIAS_PENALTY if primary is not None else 0.1
        if (e.kind == "city" and primary is not None
                and e.population < OTHER_TOWN_ALIAS[1] * primary):
            # "Maryville" is one of the Maryvilles, not Beeville, Texas, that a source also
            # calls so; an alias wins only for a far larger place ("Kiev", "Bombay")
            score -= OTHER_TOWN_ALIAS[0]
    if m.source == "dateline" and e.kind == "city":
        score += 0.4  # datelines name towns
    if e.feature == "capital" and not m.local:
        score += CAPITAL_BONUS
        why.append("capital")
    if m.region_hint and _hint_matches(m.region_hint, e, gaz):
        score += 1.5
        why.append("qualifier")
    support = ev.support(ev.countries, e.country_code, m)
    if support > 0:
        score += min(COUNTRY_CONTEXT[0] + COUNTRY_CONTEXT[1] * support, COUNTRY_CONTEXT[2])
        why.append("context-country")
    if e.kind != "country" and ev.support(ev.admin1, e.admin1_code, m) > 0:
        score += ADMIN1_CONTEXT
        why.append("context-admin1")
    elif e.kind not in ("country", "region"):
        soft = ev.support(ev.soft_admin1, e.admin1_code, m)
        if soft > 0:
            # "Gainesville" and "Hall County" are both ambiguous, but only Georgia has both
            score += SOFT_CONTEXT * min(1.0, soft)
            why.append("context-candidates")
    support_near = ev.nearby.get((fold(m.text), e))
    near = 0.0
    if support_near is not None:
        # towns named after places abroad cluster too (Ipswich, Suffolk and Aberdeen in
        # Massachusetts): a rare coincidence counts only in a country the article may be about
        allowed = not ev.named_countries or e.country_code in ev.named_countries
        near = support_near.rare if allowed else support_near.plain
    if near > 0:
        # "Alexandria" near "Douglas County" and "Brandon": the Minnesota town, not Egypt's city
        score += min(NEARBY[1], NEARBY[0] * near)
        why.append("context-nearby")
    if ev.cue is not None and e.country_code == ev.cue.country and not ev.names_a_country(m):
        # "Paris firefighters ... sheriff's deputies": a US town, when no named place says otherwise
        score += CUE_PRIOR
        why.append("cue-country")
    if ev.dateline_country == e.country_code and m.source != "dateline":
        score += 0.2
        why.append("dateline")
    return score, why


def _choose(m: _Mention, ev: _Evidence, gaz: Gazetteer) -> tuple[Entry, float, str] | None:
    return _decide(m, ev, gaz)[0]


def _decide(m: _Mention, ev: _Evidence, gaz: Gazetteer
            ) -> tuple[tuple[Entry, float, str] | None, list[Candidate], str]:
    """The pick (or None), every candidate scored best first, and why it was picked or not."""
    scored = sorted((Candidate(e, *_score(m, e, ev, gaz)) for e in m.candidates),
                    key=lambda c: c.score, reverse=True)
    if not scored:
        return None, [], f"no gazetteer entry is called {m.text!r}"
    top = scored[0]
    entry = top.entry
    # a subdivision around the chosen town ("Mosul" district vs "Mosul" city) is not a rival
    rivals = [c for c in scored[1:]
              if not (c.entry.kind in ("admin1", "admin2") and c.entry.country_code == entry.country_code
                      and c.entry.admin1_code == entry.admin1_code)
              and not _same_spot(c.entry, entry)]
    runner = rivals[0].score if rivals else 0.0
    if top.score < MIN_SCORE:
        return None, scored, (f"best reading {_label(entry)} is too weak "
                              f"(score {top.score:.2f} < {MIN_SCORE}): no answer rather than a guess")
    if top.score - runner < MIN_MARGIN:
        return None, scored, (f"ambiguous: {_label(entry)} ({top.score:.2f}) vs "
                              f"{_label(rivals[0].entry)} ({runner:.2f}) differ by less than {MIN_MARGIN}")
    context = [w for w in top.why if w != "capital"]
    if m.facility and not context and entry.population < FACILITY_TOWN:
        return None, scored, (f"{m.text!r} names a building; its best reading {_label(entry)} is "
                              f"neither a large town nor supported by the article's places")
    conf = max(0.3, min(0.95, 0.4 + (top.score - runner) / 2))
    if m.source.startswith("ner:") and m.source[4:] in OTHER_LABELS:
        conf = min(conf, 0.6)  # the NER did not think it is a place
    basis = "+".join(top.why) if top.why else ("single" if len(scored) == 1 else "population")
    reason = (f"{_label(entry)} scores {top.score:.2f}, the runner-up {runner:.2f}"
              f" (margin >= {MIN_MARGIN}); evidence: {basis}")
    if "cue-country" in top.why and ev.cue is not None:
        reason += f" (the article's wording points to {ev.cue.country}: {', '.join(ev.cue.cues)})"
    return (entry, round(conf, 2), f"{m.source}+gazetteer:{basis}"), scored, reason


def _same_spot(a: Entry, b: Entry) -> bool:
    """Two towns so close that either reading places the mention alike ("Springfield" and
    "Springfield Gardens" next to each other): no rivals for the margin."""
    return (SAME_SPOT_KINDS >= {a.kind, b.kind} and a.lat is not None and b.lat is not None
            and _km(a, b) <= SAME_SPOT_KM)


def _label(e: Entry) -> str:
    where = ", ".join(x for x in (e.admin1 if e.kind != "admin1" else None, e.country_code) if x)
    return f"{e.name} ({e.kind}, {where})"


@dataclass(frozen=True)
class Candidate:
    """One reading of a name with its score and the evidence terms that raised it."""

    entry: Entry
    score: float
    why: list[str]


@dataclass(frozen=True)
class Explanation:
    """How a name was resolved: every candidate scored, the pick (None = no answer), and why."""

    name: str
    candidates: list[Candidate]
    chosen: Entry | None
    confidence: float
    reason: str
    context: list[str]
    """The other places of the context text that lent support (as resolved)."""


def explain(name: str, context: Doc | None = None, gazetteer: Gazetteer | None = None) -> Explanation:
    """Resolve ``name`` as if it were named in ``context`` (a parsed text, optional), and say why."""
    gaz = gazetteer or default_gazetteer()
    others = _find_mentions(context, gaz) if context is not None else []
    query = _Mention(0, len(name), name, "query")
    code = demonym_country(name)
    if code:
        entry = gaz.country(code)
        return Explanation(name, [Candidate(entry, 1.0, ["demonym"])] if entry else [], entry,
                           0.9 if entry else 0.0,
                           f"{name!r} is a demonym of {code}" if entry else f"unknown country {code}", [])
    span_like = _parse_hints(name, query)
    query.text = span_like
    query.candidates = _lookup(gaz, query)
    for m in others:
        if m.source != "demonym":
            m.candidates = _lookup(gaz, m)
    cue = article_country(context.text) if context is not None else None
    resolved = _resolve_all(others, gaz, cue)
    base = _Evidence(cue=cue)
    for m, entry, conf, _how in resolved:
        base.add(m, entry, conf)
    base.named_countries = frozenset(e.country_code for _m, e, _c, how in resolved
                                     if e.kind == "country" and how != "demonym:person")
    base.nearby = _nearby_support([query, *(m for m in others if m.source != "demonym")])
    pick, scored, reason = _decide(query, base, gaz)
    return Explanation(name, scored, pick[0] if pick else None, pick[1] if pick else 0.0, reason,
                       [f"{m.text} -> {_label(entry)}" for m, entry, _c, _h in resolved])


def _parse_hints(name: str, m: _Mention) -> str:
    """ "Paris, Texas" -> looks up "Paris" with "Texas" as qualifier; "Idlib province" -> admin word."""
    head, _, hint = name.partition(",")
    words = head.split()
    if len(words) > 1 and words[-1].lower() in ADMIN_WORDS:
        m.admin_word = True
        m.admin_suffix = words[-1]
        head = " ".join(words[:-1])
    if hint.strip():
        m.region_hint = hint.strip()
    return head.strip()


def _place(pid: str, m: _Mention, e: Entry, conf: float, how: str) -> Place:
    if m.suburb:
        how += "+suburb"
        conf = round(conf * 0.8, 2)  # "a Paris suburb" is near Paris, not in it
    return Place(
        id=pid, text=m.text, span=(m.start, m.end), name=e.name,
        geonameid=e.geonameid, lat=e.lat, lon=e.lon, country_code=e.country_code or None,
        admin1=e.admin1 if e.kind != "country" else None, resolution=e.kind,
        confidence=conf, rule=how)


# --------------------------------------------------------------------------------------------
# Event location


def locate_events(doc: Doc, ctx: Context, events: list[Event], places: list[Place],
                  actors: list[Actor]) -> None:
    """Set each event's ``location``: the place its clause names, else a fallback with a reason."""
    dateline = next((p for p in places if p.rule.startswith("dateline")), None)
    for event in events:
        event.location = _locate(doc, event, places, actors, dateline)
        if event.location.place is None:
            event.location = (_article_place(places, actors) or _headline_place(ctx, places)
                              or event.location)


def _locate(doc: Doc, event: Event, places: list[Place], actors: list[Actor],
            dateline: Place | None) -> Location:
    if not event.evidence:
        return _fallback(None, dateline, [])
    t0, t1 = event.evidence[0].trigger.span
    trigger = doc.char_span(t0, t1, alignment_mode="expand")
    if trigger is None or len(trigger) == 0:
        return _fallback(None, dateline, [])
    root = trigger.root
    sent = root.sent
    # the dateline shares the first sentence but says where the reporter is: a fallback only
    in_sent = [p for p in places if sent.start_char <= p.span[0] and p.span[1] <= sent.end_char
               and p is not dateline]
    named = [p for p in in_sent if not p.rule.startswith("demonym")
             and not _is_subject_actor(doc, p, actors)]
    # a place inside a longer actor mention says whose side it is ("at the first meeting between
    # a sitting US president and ..."), not where: any other place in the sentence comes first
    named = [p for p in named if not _inside_actor(p, actors)] or named
    clause: list[tuple[int, Place, str]] = []
    for p in named:
        prep = _clause_link(doc, p, root)
        if prep is not None:
            clause.append((abs(_token(doc, p).i - root.i), p, prep))
    if clause:
        inner = [c for c in clause if not any(_contains(c[1], o[1]) or _qualifies(doc, c[1], o[1])
                                              for o in clause)]
        _, place, prep = min(inner or clause, key=lambda c: c[0])
        return Location(place.id, place.resolution,
                        f"clause: {prep or 'object'} {place.text}{_approximation(place)}")
    # where a participant set out from ("ten aircraft, flying from bases in Jordan, dropped
    # bombs in the raid") is not where the event happened
    named = [p for p in named if not _set_out_from(doc, p, root)]
    if named:
        place = min(named, key=lambda p: abs(_token(doc, p).i - root.i))
        return Location(place.id, place.resolution, "nearest place in sentence")
    # a person's nationality ("the American singer") does not say where the event was, nor does
    # that of a side the sentence names but the event does not involve ("ministers blamed the
    # French navy for the attack on two fishermen": the attack's place is not France)
    involved = set(event.actors) | set(event.recipients)
    bystanders = [a for a in actors if a.id not in involved]
    demonyms = [p for p in in_sent if p.rule == "demonym"
                and not any(a.span[0] < p.span[1] and p.span[0] < a.span[1] for a in bystanders)]
    return _fallback(sent, dateline, demonyms)


def _inside_actor(place: Place, actors: list[Actor]) -> bool:
    return any(a.span[0] <= place.span[0] and place.span[1] <= a.span[1] and a.span != place.span
               for a in actors)


PRECISION = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, "region": 4}


def _contains(area: Place, place: Place) -> bool:
    """Whether ``area`` is a coarser place around ``place``: its region (no country: "the
    Caribbean city of Cartagena"), its country, or its admin1 unit. A clause that names both
    ("in Paris, France") puts the event at the finer one."""
    if PRECISION.get(area.resolution, 0) <= PRECISION.get(place.resolution, 0):
        return False
    if area.resolution == "region":
        return place.resolution != "region" and area.country_code in (None, place.country_code)
    if area.country_code != place.country_code:
        return False
    return area.resolution == "country" or area.admin1 == place.admin1


def _qualifies(doc: Doc, modifier: Place, named: Place) -> bool:
    """Whether ``modifier`` only qualifies the noun that ``named`` names: "the US Pacific
    territory of Guam", "the UK city of Leeds" put the event in Guam and Leeds, whatever the
    gazetteer says about how the two relate."""
    tok = _token(doc, modifier)
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head != tok:
        tok = tok.head
    if tok == _token(doc, modifier) or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    target = _token(doc, named)
    return any(c.dep_ == "prep" and c.lower_ == "of" and target in c.children for c in tok.children)


def _approximation(place: Place) -> str:
    """What the reason must add when the place stands for something finer it could not resolve."""
    if "street:" in place.rule:
        return f" (a street: placed at the article's town, {place.name})"
    if "suburb" in place.rule:
        return f" (a suburb: placed at {place.name})"
    return ""


def _article_place(places: list[Place], actors: list[Actor]) -> Location | None:
    """When the event's sentence names no place: the article's place if all its places agree.

    Every named place in one admin1 area: the town named most (city resolution); all in one
    country: that country, if the article names it. Anything else is no answer. Places that are
    also actors ("Russia bombed...") say who acted, not where, and are left out.
    """
    named = [p for p in places if not p.rule.startswith("demonym") and p.country_code
             and not any(a.span[0] < p.span[1] and p.span[0] < a.span[1] for a in actors)]
    if not named:
        return None
    countries = {p.country_code for p in named}
    if len(countries) != 1:
        return None
    areas = {p.admin1 for p in named if p.resolution != "country"}
    towns = [p for p in named if p.resolution == "city" and "street:" not in p.rule]
    if len(areas) == 1 and towns:
        counts = Counter(p.geonameid for p in towns)
        town = max(towns, key=lambda p: counts[p.geonameid])
        return Location(town.id, "city", f"no place in its sentence; every place in the article "
                                         f"is in {town.admin1}: its town named most, {town.name}")
    country = next((p for p in named if p.resolution == "country"), None)
    if country is not None:
        return Location(country.id, "country", f"no place in its sentence; every place in the "
                                               f"article is in {country.name}: country only")
    return None


def _headline_place(ctx: Context, places: list[Place]) -> Location | None:
    """When neither the sentence nor the whole article settles it: the place the headline names
    ("France 'yellow vest' turnout revised up"), as the dateline would. A headline naming places
    in two countries settles nothing; of places in one country the finest is taken."""
    title = fold(ctx.title or "")
    if not title:
        return None
    named = [p for p in places if not p.rule.startswith("demonym") and p.country_code
             and re.search(rf"(?<!\w){re.escape(fold(p.text))}(?!\w)", title)]
    if len({p.country_code for p in named}) != 1:
        return None
    place = min(named, key=lambda p: (PRECISION.get(p.resolution, 0), p.span[0]))
    return Location(place.id, place.resolution,
                    f"no place in its sentence; the headline names {place.text}")


def _fallback(sent: Span | None, dateline: Place | None, demonyms: list[Place]) -> Location:
    if dateline is not None:
        return Location(dateline.id, dateline.resolution, "dateline")
    if demonyms:
        p = demonyms[0]
        return Location(p.id, "country", f"country only, from demonym '{p.text}' (no place named)")
    return Location(None, None, "no place in text")


def _token(doc: Doc, place: Place) -> Token:
    span = doc.char_span(place.span[0], place.span[1], alignment_mode="expand")
    return span.root if span is not None else doc[0]


def _clause_link(doc: Doc, place: Place, root: Token) -> str | None:
    """How the trigger's clause names the place: "in" for "attacked ... in Idlib", "" for objects.

    Walks from the place up its heads to the trigger; a locative preposition on the way (or the
    place being the trigger's object) ties the place to the event. Another verb on the way means
    the place belongs to another clause.
    """
    tok = _token(doc, place)
    prep: str | None = None
    if tok.dep_ in {"dobj", "pobj", "attr"} and tok.head == root:
        prep = ""
    node = tok
    for _ in range(12):
        if node.dep_ == "prep" and node.lower_ in LOCATIVE_PREPS and prep is None:
            prep = node.lower_
        if node.head == node:
            return None
        node = node.head
        if node == root:
            return prep
        if node.pos_ in {"VERB", "AUX"} and node.dep_ not in {"amod", "acl", "xcomp", "conj"}:
            return None
    return None


_DEPARTURE_VERBS = frozenset({
    "fly", "come", "travel", "depart", "take", "launch", "operate", "sail", "drive", "flee",
    "return", "arrive", "set", "deploy", "head", "move", "cross", "escape",
})
"""Verbs whose "from" phrase names a starting point ("flying from bases in Jordan")."""


def _set_out_from(doc: Doc, place: Place, root: Token) -> bool:
    """Whether the place is in the "from" phrase of a motion verb other than the trigger: the
    starting point of someone in the sentence, not the scene of the event."""
    node = _token(doc, place)
    for _ in range(12):
        if node.head == node or node == root:
            return False
        if node.dep_ == "prep" and node.lower_ == "from":
            verb = node.head
            return verb != root and verb.lemma_.lower() in _DEPARTURE_VERBS
        node = node.head
    return False


def _is_subject_actor(doc: Doc, place: Place, actors: list[Actor]) -> bool:
    """ "Russia said ...": the place is an actor in subject position, not where it happened."""
    overlaps = any(a.span[0] < place.span[1] and place.span[0] < a.span[1] for a in actors)
    if not overlaps:
        return False
    tok = _token(doc, place)
    while tok.dep_ in {"compound", "amod", "poss", "nmod"} and tok.head != tok:
        tok = tok.head
    return tok.dep_ in SUBJECT_DEPS
