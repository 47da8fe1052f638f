"""Temporal expressions (TIMEX3-style values that follow the narrative) and event dating.

Expressions come from our own patterns (news idioms spaCy misses or over-extends) plus spaCy
DATE/TIME entities; values are computed by our rules, never by ``dateparser.search`` over raw text
(it invents dates from "may"/"march", ../shared/MODELS.md). Extents follow TimeML: the preposition
is a signal, not part of the expression ("on [Monday]").

Anchoring: weekdays, bare months and holidays follow the tense of the governing verb (scheduling
verbs and "until" look ahead), and a weekday equal to the publication day is that day, not a week
earlier. "Two days ago" or "yesterday" inside reported speech counts from the time of the saying
when its clause is dated; "the previous day", "later that year" and a clock time without a day
count from the latest suitable date before them; "one day after the release" counts from the
dated mention of that event. Impossible dates get no value. Event dating: ``date_events``; a
past event dated only by the time of its report's saying ("59 have been killed, the minister said
on Sunday") gets that day and the day before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from polybius.extract import Context, headline_and_lead
from polybius.extract.timex import (
    day_value, future_weekday, holiday_date, month_value, past_weekday, shift_month, time_words,
    value_range, week_value,
)
from polybius.model import Event, EventDate, Time

PAST, FUTURE = "past", "future"


@dataclass(frozen=True)
class Norm:
    """A normalised expression: TIMEX type, value, anchor ("published", a Time id or None), rule."""

    type: str
    value: str
    anchor: str | None
    rule: str


@dataclass
class _Cand:
    start: int
    end: int
    pattern: str
    groups: dict[str, str | None] = field(default_factory=dict)
    late: bool = False  # resolved after the others (clock times look for a day mention)


@dataclass
class _State:
    doc: Doc
    published: date | None
    times: list[Time] = field(default_factory=list)
    text: str = ""


Handler = Callable[[_Cand, _State], Norm | None]


# --- patterns ----------------------------------------------------------------------------------

def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], bool, bool]]:
    """(name, regex, needs a spaCy DATE/TIME entity around it, resolve late)."""
    tw = time_words()
    wd = _alt(list(tw.weekdays))
    full_months = [m for m, _ in tw.months.items() if len(m) > 3 or m == "may"]
    mon = _alt(full_months)
    mon_abbr = rf"(?:{_alt(list(tw.months))})\.?"
    num = rf"(?:\d+|{_alt(list(tw.numbers))})"
    unit = r"(?:day|week|month|year|decade|centur(?:y|ie)|hour|minute)s?"  # "a second attack"
    pod = _alt(list(tw.parts_of_day))
    season = _alt(list(tw.seasons))
    pre = r"(?:(?P<pre>on|in|since|during|until|by|from)\s+)?"
    dom = r"(?:st|nd|rd|th)?"
    yrel = r"(?:,?\s+(?P<yrel>last|this|next)\s+year)"
    weekof = r"(?P<weekof>the\s+week\s+of\s+)?"
    specs: list[tuple[str, str, bool, bool]] = [
        ("iso", r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d-])", False, False),
        ("numeric", pre + r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])",
         False, False),
        ("day-month", pre + weekof + rf"(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){dom}"
         r"\s+(?:of\s+)?"
         rf"(?P<m>{mon_abbr})(?:,?\s+(?P<y>\d{{4}})|{yrel})?\b", False, False),
        ("month-day", pre + weekof + rf"(?:(?P<wd>{wd}),?\s+)?(?P<m>{mon_abbr})\s+"
         rf"(?P<d>\d{{1,2}}){dom}"
         rf"(?!\d)(?:,?\s+(?P<y>\d{{4}})|{yrel})?\b", False, False),
        ("month-year", pre + rf"(?:(?P<mod>early|mid-?|late)\s*)?(?P<m>{mon}),?\s+(?:of\s+)?"
         r"(?P<y>\d{4})\b", False, False),
        ("month", pre + rf"(?:(?P<rel>last|next|this|early|mid-?|late)\s*)?(?P<m>{mon})\b{yrel}?",
         False, False),
        ("decade", pre + r"(?:the\s+)?(?:(?:early|mid-?|late)\s*)?(?P<dec>1[5-9]\d0|20\d0)s\b",
         False, False),
        # "the '90s" needs "the": "in their 20s" is an age.
        ("decade", pre + r"the\s+(?:(?:early|mid-?|late)\s*)?(?P<dec>'?[1-9]0)s\b", False, False),
        ("year", r"(?:(?P<pre>in|since|during|until|by|from)\s+)(?:early\s+|late\s+|mid-?)?"
         r"(?P<y>1[6-9]\d\d|20\d\d)\b(?![-–/]\d)", False, False),
        ("bare-year", r"(?<![\d,.$£€-])(?P<y>1[6-9]\d\d|20\d\d)\b(?![-–/,.]\d)", True, False),
        ("century", pre + r"the\s+(?P<c>\d{1,2})(?:st|nd|rd|th)\s+century", False, False),
        ("set-weekday", rf"(?:every|each)\s+(?P<wd>{wd})(?:\s+(?P<pod>{pod}))?", False, False),
        ("set-weekdays", rf"(?:on\s+)?(?P<wd>{wd})s\b", False, False),
        ("set-unit", rf"(?:every|each)\s+(?:(?P<n>{num})\s+)?(?P<unit>{unit})\b", False, False),
        ("set-adverb", r"\b(?P<adv>daily|weekly|monthly|annually|yearly|nightly|hourly)\b",
         False, False),
        ("weekday", rf"(?:(?P<mod>late|early)\s+)?{pre}(?:(?P<rel>last|next|this|past|coming)\s+)?"
         rf"(?P<wd>{wd})(?:\s+(?P<pod>{pod}))?\b", False, False),
        ("deictic-pod", rf"(?P<deic>yesterday|this|tomorrow|last)\s+(?P<pod>{pod})\b", False, False),
        ("deictic", r"\b(?P<deic>yesterday|today|tonight|tomorrow|overnight|now|currently|"
         r"recently|nowadays)\b", False, False),
        ("relative-unit", r"(?:(?P<mod>earlier|later|early|late)\s+(?:in\s+)?)?"
         r"(?<!the\s)(?P<rel>last|this|next|past|coming|current)\s+"
         rf"(?P<u>week|month|year|weekend|decade|century|{season})\b", False, False),
        ("weekend", r"(?:(?P<pre>over|at|during)\s+)?the\s+weekend\b", False, False),
        ("season-year", pre + rf"(?:the\s+)?(?P<s>{season})\s+(?:of\s+)?(?P<y>\d{{4}})\b",
         False, False),
        ("ago", rf"(?:(?:almost|nearly|about|around|some|more\s+than|less\s+than|over|just)\s+)?"
         rf"(?P<n>{num}|several|a\s+few|a\s+couple\s+of)\s+(?P<unit>{unit})\s+ago\b",
         False, False),
        ("offset", rf"(?P<n>{num}|several|a\s+few|a\s+couple\s+of)\s+(?P<unit>{unit})\s+"
         r"(?P<dir>earlier|later|previously|before|after)(?=\s*[,.;:!?)]|\s*$|\s+(?:and|but|when|"
         r"while|as|in|at|on|with|by)\b)", False, False),
        ("event-offset", rf"(?P<n>{num})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>after|before)"
         r"\s+(?:the|his|her|its|their)\s+(?P<noun>[a-z]+)\b", False, False),
        ("anchored-day", r"(?:(?P<mod>earlier|later)\s+)?(?P<what>the\s+(?:previous|next|following|"
         r"preceding)\s+(?P<unit>day|week|month|year|morning|night|evening|afternoon)|"
         r"the\s+(?:day|week|month|year)\s+(?:before|after)(?=\s*[,.;:!?)]|\s*$|\s+(?:and|but|"
         r"when|while)\b)|(?:that|the\s+same)\s+(?P<unit2>day|week|month|year|morning|night|"
         r"evening|afternoon))\b", False, False),
        ("duration", r"(?:(?P<pre>for|over|within)\s+)?(?:the\s+(?P<dirn>past|last|previous|"
         rf"next|coming)\s+)?(?:(?P<n>{num}|several|a\s+few|a\s+couple\s+of|more\s+"
         rf"than\s+{num}|nearly\s+{num}|almost\s+{num}|about\s+{num})(?P<half>\s+1/2|\s+and\s+a"
         rf"\s+half)?[\s-]+)?(?P<unit>{unit})\b"
         r"(?:[\s-]+long)?(?![\s-]+old)", False, False),
        ("clock", r"(?:(?:at|around|about|after|before|by)\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?"
         r"\s*(?P<ap>[ap]\.?\s?m\b\.?)"
         r"(?:\s+(?:[ECMP][SD]T|GMT|UTC|local\s+time)?\s*"
         rf"(?P<cday>{wd}|today|tomorrow|yesterday)\b)?",
         False, True),
        ("clock-24", r"(?:(?:at|around|about)\s+)(?P<h>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)\b",
         False, True),
        ("noon", r"(?:(?:at|around|about|after|before|by)\s+)?(?P<w>noon|midday|midnight)\b",
         False, True),
        ("holiday", rf"(?:(?P<rel>last|next|this)\s+)?(?P<hol>{_alt(list(tw.holidays))})"
         r"(?:,?\s+(?P<y>\d{4}))?\b", False, False),
        ("ref", r"\b(?:in\s+)?(?:the\s+)?(?P<ref>recent\s+(?:days|weeks|months|years)|"
         r"the\s+past|the\s+future|coming\s+(?:days|weeks|months|years)|the\s+coming\s+(?:days|"
         r"weeks|months|years))\b", False, False),
    ]
    # Every expression starts at a word boundary; saying so first lets the engine skip the other
    # positions at once (a third of the tagger's time on IndiaPoliceEvents went to failed tries).
    return [(name, re.compile(r"\b" + rx, re.IGNORECASE), needs_ent, late)
            for name, rx, needs_ent, late in specs]


# Month and weekday names are capitalised in edited news; lower-case "may"/"march" are verbs.
_CAPITALISED = ("m", "wd", "hol", "cday_wd")


def _valid(name: str, m: re.Match[str]) -> bool:
    groups = m.groupdict()
    for key in _CAPITALISED:
        word = groups.get(key)
        if word and not word[0].isupper():
            return False
    month = (groups.get("m") or "").lower().rstrip(".")
    tw = time_words()
    if name == "month" and month in tw.ambiguous_months:
        # "May" alone is too often the modal or a name: needs a preposition, modifier or year.
        return bool(groups.get("pre") or groups.get("rel") or groups.get("yrel"))
    if name in ("month", "month-year") and len(month) <= 4 and month not in ("may", "june", "july"):
        return False  # abbreviations only next to a day number
    if name == "duration":
        return bool(groups.get("pre") or groups.get("dirn") or groups.get("n"))
    return True


_LEADING_PREPOSITION = re.compile(r"(?:on|in|since|during|until|till|by|from|for|over|within|at|"
                                  r"around|after|before)\s+", re.IGNORECASE)


def _candidates(doc: Doc) -> list[_Cand]:
    """Pattern matches (longest first, non-overlapping) plus spaCy DATE/TIME entities left over."""
    ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    text = doc.text  # Doc.text joins every token on each access: read it once
    found: list[_Cand] = []
    for name, regex, needs_ent, late in _patterns():
        for m in regex.finditer(text):
            if m.end() <= m.start() or not _valid(name, m):
                continue
            if needs_ent and not any(s <= m.start() and m.end() <= e for s, e in ents):
                continue
            found.append(_Cand(m.start(), m.end(), name, m.groupdict(), late))
    chosen: list[_Cand] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.start)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    for start, end in ents:
        if all(end <= c.start or start >= c.end for c in chosen):
            chosen.append(_Cand(start, end, "entity"))
    for cand in chosen:
        # TimeML leaves the preposition out of the expression ("on [Monday]", "for [two days]"):
        # it is a signal, and the parse attaches it to the verb either way.
        if lead := _LEADING_PREPOSITION.match(text, cand.start, cand.end):
            if lead.end() < cand.end:
                cand.start = lead.end()
    return sorted(chosen, key=lambda c: c.start)


# --- tense of the governing verb ---------------------------------------------------------------

_FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "going"}
_REPORTING = {"say", "tell", "report", "announce", "claim", "confirm", "deny", "add", "state",
              "warn", "accuse", "allege"}
# Verbs that put their time ahead whatever their own tense ("planned a rally on Saturday").
_SCHEDULING = {"schedule", "reschedule", "plan", "postpone", "delay", "slate", "expect", "adjourn"}
_PRESENT_AUX = {"has", "have", "is", "are", "am", "'s", "'re", "'ve"}
# Words before an expression that point ahead of the clause ("postponed until Tuesday").
_AHEAD = re.compile(r"(?:until|till|as\s+soon\s+as|as\s+early\s+as|no\s+later\s+than|"
                    r"deadline\s+of)\s+$", re.IGNORECASE)
# Verbs whose infinitive complement is still to happen ("plans to visit on Monday").
_FUTURE_INTENT = {"plan", "expect", "schedule", "due", "set", "intend", "aim", "hope", "want",
                  "agree", "vow", "promise", "threaten", "pledge", "decide", "prepare", "go",
                  "seek", "propose", "vote", "ask", "urge", "call", "need", "likely", "able"}


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _verb_of(tok: Token) -> Token | None:
    while tok.pos_ not in ("VERB", "AUX"):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return tok


def _tense(verb: Token | None, depth: int = 0) -> str:
    """"past" or "future" for the clause of ``verb``; news reports the past by default."""
    if verb is None or depth > 4:
        return PAST
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    if verb.lemma_ in _SCHEDULING and (words & _PRESENT_AUX or verb.tag_ in ("VBZ", "VBP")):
        return FUTURE  # "has scheduled a news conference Thursday", "is expected Monday"
    if words & _FUTURE_AUX or (verb.head.lower_ == "going" and "to" in words):
        return FUTURE
    if any(c.lemma_ == "have" or "Past" in c.morph.get("Tense") for c in aux):
        return PAST
    if "to" in words and verb.dep_ in ("xcomp", "advcl", "ccomp", "acl", "relcl"):
        if verb.head.lemma_ in _FUTURE_INTENT:
            return FUTURE  # "agreed to meet on Monday", "plans to visit in May"
        if verb.head.i != verb.i:  # "a ceremony to mark the entry on Friday": the head's tense
            return _tense(_verb_of(verb.head), depth + 1)
        return FUTURE
    if not aux and verb.tag_ in ("VBG", "VB") and verb.head.i != verb.i:
        return _tense(_verb_of(verb.head), depth + 1)  # "..., killing three": the main clause's
    if "Past" in verb.morph.get("Tense") or verb.tag_ == "VBN":
        return PAST
    if words & {"is", "are", "am", "'s", "'re"} and verb.tag_ == "VBG":
        return FUTURE  # "is meeting on Monday"
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ not in _REPORTING:
        return FUTURE  # "the trial opens on Monday"
    if words & {"could", "may", "might", "should", "must", "can"}:
        return FUTURE
    return PAST


def _tense_at(state: _State, cand: _Cand) -> str:
    span = _span(state.doc, cand.start, cand.end)
    if span is None:
        return PAST
    root = span.root
    if root.dep_ == "poss":  # "Wednesday's ruling" names something that has happened
        return PAST
    head = root.head if root.head.i not in range(span.start, span.end) else root
    verb = _verb_of(head)
    if _AHEAD.search(state.text, max(0, cand.start - 20), cand.start) and not (
            verb is not None and any(c.lemma_ == "have" for c in verb.children
                                     if c.dep_ == "aux")):
        return FUTURE  # "postponed until Tuesday" (but "until Thursday, they had not ...")
    return _tense(verb)


# --- value rules -------------------------------------------------------------------------------

def _num(word: str | None) -> int | None:
    """A count from digits or number words; None for vague counts ("several", "a few")."""
    if word is None:
        return 1
    word = " ".join(word.lower().split())
    for prefix in ("more than ", "nearly ", "almost ", "about "):
        # TIMEX3 keeps the count and marks the approximation in a modifier we do not carry.
        word = word.removeprefix(prefix)
    if word.isdigit():
        return int(word)
    return time_words().numbers.get(word)


def _unit_code(word: str) -> str:
    w = word.lower().rstrip("s")
    w = "century" if w.startswith("centur") else w
    return time_words().units[w]


def _pod(word: str | None) -> str:
    """TIMEX3 part-of-day suffix ("TNI" for night) for a value, or ""."""
    return f"T{time_words().parts_of_day[word.lower()]}" if _is_pod(word) else ""


def _is_pod(word: str | None) -> bool:
    return bool(word) and (word or "").lower() in time_words().parts_of_day


def _month(word: str) -> int:
    return time_words().months[word.lower().rstrip(".")]


def _weekday(word: str) -> int:
    return time_words().weekdays[word.lower()]


def _pick_year(pub: date, month: int, day: int, tense: str) -> int:
    """Year of a day-month: the one closest to publication, unless the tense disagrees by more
    than two months (tense detection errs; a date 9 days ahead is rarely a year back)."""
    def offset(year: int) -> int:
        return (date(year, month, min(day, 28)) - pub).days
    year = min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs(offset(y)))
    if tense == PAST and offset(year) > 60:
        return year - 1
    if tense == FUTURE and offset(year) < -60:
        return year + 1
    return year


def _pick_month_year(pub: date, month: int, tense: str) -> int:
    """Year of a bare month, by the same rule at month granularity (two months' slack)."""
    def offset(year: int) -> int:
        return (year - pub.year) * 12 + month - pub.month
    year = min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs(offset(y)))
    if tense == PAST and offset(year) > 2:
        return year - 1
    if tense == FUTURE and offset(year) < -2:
        return year + 1
    return year


def _day_month(cand: _Cand, st: _State) -> Norm | None:
    norm = _day_month_day(cand, st)
    if norm is None or not cand.groups.get("weekof") or value_range(norm.value)[0] is None:
        return norm
    start = value_range(norm.value)[0]  # "the week of March 6": the week containing that day
    return Norm("DATE", week_value(start), norm.anchor, norm.rule + ":week-of")  # type: ignore


def _day_month_day(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    month, day = _month(g["m"] or ""), int(g["d"] or 0)
    rule = f"absolute:{cand.pattern}"
    if g.get("y"):
        try:
            return Norm("DATE", date(int(g["y"] or 0), month, day).isoformat(), None, rule + "-year")
        except ValueError:
            return None
    if not 1 <= day <= 31:
        return None
    if st.published is None:
        return Norm("DATE", f"XXXX-{month:02d}-{day:02d}", None, rule + ":no-year")
    if g.get("yrel"):
        year = st.published.year + {"last": -1, "this": 0, "next": 1}[(g["yrel"] or "").lower()]
    else:
        year = _pick_year(st.published, month, day, _tense_at(st, cand))
    try:
        value = date(year, month, day).isoformat()
    except ValueError:
        return None
    return Norm("DATE", value, "published", rule + ":year-from-published")


def _numeric(cand: _Cand, st: _State) -> Norm | None:
    a, b, y = int(cand.groups["a"] or 0), int(cand.groups["b"] or 0), int(cand.groups["y"] or 0)
    options = set()
    for day, month in ((a, b), (b, a)):
        try:
            options.add(date(y, month, day))
        except ValueError:
            pass
    if len(options) == 1:
        return Norm("DATE", options.pop().isoformat(), None, "absolute:numeric")
    if options:  # 03/04/2018: day-month order unknown; the year is still certain
        return Norm("DATE", f"{y:04d}", None, "absolute:numeric-ambiguous-year-only")
    return None


def _iso(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    try:
        return Norm("DATE", date(int(g["y"] or 0), int(g["mo"] or 0), int(g["d"] or 0)).isoformat(),
                    None, "absolute:iso")
    except ValueError:
        return None


def _month_year(cand: _Cand, st: _State) -> Norm | None:
    return Norm("DATE", month_value(int(cand.groups["y"] or 0), _month(cand.groups["m"] or "")),
                None, "absolute:month-year")


def _month_rel(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    month = _month(g["m"] or "")
    rel = (g.get("rel") or "").lower().rstrip("-")
    pub = st.published
    if pub is None:
        return Norm("DATE", f"XXXX-{month:02d}", None, "month:no-publication-date")
    if g.get("yrel"):
        year = pub.year + {"last": -1, "this": 0, "next": 1}[(g["yrel"] or "").lower()]
        return Norm("DATE", month_value(year, month), "published", "month:year-relative")
    if rel == "last":
        year = pub.year if month < pub.month else pub.year - 1
        return Norm("DATE", month_value(year, month), "published", "month:last")
    if rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
        return Norm("DATE", month_value(year, month), "published", "month:next")
    if rel == "this":
        return Norm("DATE", month_value(pub.year, month), "published", "month:this")
    tense = _tense_at(st, cand)
    year = _pick_month_year(pub, month, tense)
    return Norm("DATE", month_value(year, month), "published", f"month:{tense}-tense")


def _decade(cand: _Cand, st: _State) -> Norm | None:
    dec = (cand.groups["dec"] or "").lstrip("'")
    value = dec[:3] if len(dec) == 4 else "19" + dec[0]  # "the '90s" = the 1990s
    return Norm("DATE", value, None, "absolute:decade")


def _year(cand: _Cand, st: _State) -> Norm | None:
    return Norm("DATE", f"{int(cand.groups['y'] or 0):04d}", None, f"absolute:{cand.pattern}")


def _century(cand: _Cand, st: _State) -> Norm | None:
    c = int(cand.groups["c"] or 0)
    return Norm("DATE", f"{c - 1:02d}", None, "absolute:century") if 1 <= c <= 21 else None


def _set_weekday(cand: _Cand, st: _State) -> Norm | None:
    value = f"XXXX-WXX-{_weekday(cand.groups['wd'] or '')}{_pod(cand.groups.get('pod'))}"
    return Norm("SET", value, None, f"set:{cand.pattern}")


def _set_unit(cand: _Cand, st: _State) -> Norm | None:
    n = _num(cand.groups.get("n"))
    code = _unit_code(cand.groups["unit"] or "")
    if n is None:
        return None
    t = "T" if code in ("H", "MIN", "S") else ""
    return Norm("SET", f"P{t}{n}{code.replace('MIN', 'M')}", None, "set:every-unit")


def _weekday_rel(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    wd = _weekday(g["wd"] or "")
    pod = _pod(g.get("pod"))
    kind = "TIME" if _is_pod(g.get("pod")) else "DATE"
    if st.published is None:
        return Norm(kind, f"XXXX-WXX-{wd}{pod}", None, "weekday:no-publication-date")
    rel = (g.get("rel") or "").lower()
    if rel in ("last", "past"):
        d, rule = past_weekday(st.published, wd, strict=True), "weekday:last"
    elif rel in ("next", "coming"):
        d, rule = future_weekday(st.published, wd, strict=True), "weekday:next"
    else:
        d, rule = _tensed_weekday(st, cand, wd)
    return Norm(kind, day_value(d) + pod, "published", rule)


def _tensed_weekday(st: _State, cand: _Cand, wd: int) -> tuple[date, str]:
    """A bare weekday by the tense of its clause (publication date known)."""
    assert st.published is not None
    tense = _tense_at(st, cand)
    # Same weekday as publication = the publication day itself (AP style), in either tense.
    d = past_weekday(st.published, wd) if tense == PAST else future_weekday(st.published, wd)
    return d, f"weekday:{tense}-tense"


_DEICTIC_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "overnight": 0,
                 "this": 0, "last": -1}


def _deictic(cand: _Cand, st: _State) -> Norm | None:
    word = (cand.groups["deic"] or "").lower()
    if word in ("now", "currently", "nowadays"):
        return Norm("DATE", "PRESENT_REF", "published", f"deictic:{word}")
    if word == "recently":
        return Norm("DATE", "PAST_REF", "published", "deictic:recently")
    pod = _pod(cand.groups.get("pod")) or ("TNI" if word == "tonight" else "")
    timed = _is_pod(cand.groups.get("pod")) or word in ("tonight", "overnight")
    kind = "TIME" if timed else "DATE"
    speech = _speech_time(st, cand) if word in ("yesterday", "today", "tomorrow") else None
    if speech is not None:  # "yesterday" in a statement made on Tuesday is Monday
        d = value_range(speech.value)[0] + timedelta(days=_DEICTIC_DAYS[word])  # type: ignore
        return Norm(kind, day_value(d) + pod, speech.id, f"deictic:{word}:speech-time")
    if st.published is None:
        return Norm(kind, "XXXX-XX-XX" + pod, None, f"deictic:{word}")
    d = st.published + timedelta(days=_DEICTIC_DAYS[word])
    return Norm(kind, day_value(d) + pod, "published", f"deictic:{word}")


def _season_value(pub: date, code: str, rel: str) -> str:
    months = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
    start = months[code]
    if rel == "this" or rel == "current":
        year = pub.year if not (code == "WI" and pub.month <= 2) else pub.year - 1
    elif rel in ("last", "past"):
        year = pub.year - 1  # the latest season of that name that has ended before publication
        for y in (pub.year, pub.year - 1):
            end_y, end_m = shift_month(y, start, 2)
            if (end_y, end_m) < (pub.year, pub.month):
                year = y
                break
    else:
        year = pub.year if (pub.year, pub.month) < (pub.year, start) else pub.year + 1
    return f"{year:04d}-{code}"


def _relative_unit(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    rel, unit = (g["rel"] or "").lower(), (g["u"] or "").lower()
    pub = st.published
    rule = f"relative:{rel}-{unit}"
    if unit in time_words().seasons:
        code = time_words().seasons[unit]
        if pub is None:
            return Norm("DATE", f"XXXX-{code}", None, rule)
        return Norm("DATE", _season_value(pub, code, rel), "published", rule)
    step = {"last": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[rel]
    if pub is None:
        unresolved = {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX"}
        return Norm("DATE", unresolved.get(unit, "XXXX"), None, rule)
    if unit == "week":
        value = week_value(pub + timedelta(weeks=step))
    elif unit == "weekend":
        value = week_value(pub + timedelta(weeks=step)) + "-WE"
    elif unit == "month":
        value = month_value(*shift_month(pub.year, pub.month, step))
    elif unit == "year":
        value = f"{pub.year + step:04d}"
    elif unit == "decade":
        value = f"{pub.year // 10 + step:03d}"
    else:
        value = f"{pub.year // 100 + step:02d}"
    return Norm("DATE", value, "published", rule)


def _weekend(cand: _Cand, st: _State) -> Norm | None:
    if st.published is None:
        return Norm("DATE", "XXXX-WXX-WE", None, "weekend:no-publication-date")
    pub, tense = st.published, _tense_at(st, cand)
    if tense == PAST and pub.isoweekday() < 6:
        pub -= timedelta(weeks=1)
    return Norm("DATE", week_value(pub) + "-WE", "published", f"weekend:{tense}-tense")


def _season_year(cand: _Cand, st: _State) -> Norm | None:
    code = time_words().seasons[(cand.groups["s"] or "").lower()]
    return Norm("DATE", f"{int(cand.groups['y'] or 0):04d}-{code}", None, "absolute:season-year")


def _shifted(base: date, n: int, code: str) -> str | None:
    """The period ``n`` units away from ``base`` (negative = earlier), at the unit's precision."""
    if code == "D":
        return day_value(base + timedelta(days=n))
    if code == "W":
        return week_value(base + timedelta(weeks=n))
    if code == "M":
        return month_value(*shift_month(base.year, base.month, n))
    if code == "Y":
        return f"{base.year + n:04d}"
    if code == "DE":
        return f"{base.year // 10 + n:03d}"
    if code in ("H", "MIN", "S"):
        return day_value(base)
    return None


def _ago(cand: _Cand, st: _State) -> Norm | None:
    n, code = _num(cand.groups["n"]), _unit_code(cand.groups["unit"] or "")
    kind = "TIME" if code in ("H", "MIN", "S") else "DATE"
    if n is None:
        return Norm(kind, "PAST_REF", "published", "relative:vague-ago")
    if st.published is None:
        return Norm(kind, "PAST_REF", None, "relative:N-units-ago")
    if code == "DE":  # "a decade ago" names a year, not the whole decade before
        n, code = n * 10, "Y"
    speech = _speech_time(st, cand)
    if speech is not None:
        start = value_range(speech.value)[0]
        value = _shifted(start, -n, code) if start else None  # type: ignore[arg-type]
        return Norm(kind, value, speech.id, "relative:N-units-ago:speech-time") if value else None
    value = _shifted(st.published, -n, code)
    return Norm(kind, value, "published", "relative:N-units-ago") if value else None


_NEW_CLAUSE = {"advcl", "ccomp", "relcl", "conj", "parataxis", "csubj"}


def _governs_speech(attach: Token, inner: Token) -> bool:
    """Whether a time attached at ``attach`` dates a clause above ``inner`` (the saying):
    "said on Tuesday that ...", "in a video released on Wednesday, the group said ...", but not
    "after talks collapsed on Monday, they said ..." (another clause of its own)."""
    if _is_ancestor(inner, attach) or not inner.dep_ in ("ccomp", "parataxis", "xcomp"):
        return False
    path = [attach, *attach.ancestors]
    for tok in path:
        if _is_ancestor(tok, inner):  # the lowest common ancestor: a verb above the content
            return tok != inner and tok.pos_ in ("VERB", "AUX")
        if tok.dep_ in _NEW_CLAUSE:
            return False
    return False


def _speech_time(st: _State, cand: _Cand) -> Time | None:
    """The day of the saying when ``cand`` sits in reported speech dated in its own sentence.

    "In a video released on Wednesday, the group said it attacked two days ago": "two days ago"
    counts from Wednesday, the time of the governing clause, not from the publication date.
    """
    span = _span(st.doc, cand.start, cand.end)
    if span is None or not len(span):
        return None
    inner = _clause_top(_attachment(span))
    best: tuple[int, Time] | None = None
    for time in st.times:
        if not (span.sent.start_char <= time.span[0] < span.sent.end_char):
            continue
        if time.type not in ("DATE", "TIME") or value_range(time.value)[2] != "day":
            continue
        tspan = _span(st.doc, *time.span)
        if tspan is None or not len(tspan):
            continue
        if _governs_speech(_attachment(tspan), inner):
            dist = abs(time.span[0] - cand.start)
            if best is None or dist < best[0]:
                best = (dist, time)
    return best[1] if best else None


def _previous_time(st: _State, before: int, finest: str = "day") -> Time | None:
    """The latest resolved DATE/TIME before ``before`` at ``finest`` precision or finer."""
    order = ["day", "week", "month", "year"]
    for time in reversed(st.times):
        # "overnight" is too vague to count days from.
        if time.span[0] >= before or time.type not in ("DATE", "TIME") or "overnight" in time.rule:
            continue
        start, _, precision = value_range(time.value)
        if start is not None and order.index(precision) <= order.index(finest):
            return time
    return None


_FINEST = {"D": "day", "W": "week", "M": "month", "Y": "year"}


def _anchored(base: Time | None, n: int, code: str, kind: str, rule: str) -> Norm:
    finest = _FINEST.get(code, "year")
    order = ["day", "week", "month", "year"]
    if base is not None:
        start, _, precision = value_range(base.value)
        if start is not None and order.index(precision) <= order.index(finest):
            value = _shifted(start, n, code)
            if value:
                return Norm(kind, value, base.id, rule)
    unresolved = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX"}.get(code, "XXXX")
    return Norm(kind, unresolved, None, rule + ":no-anchor")


def _offset(cand: _Cand, st: _State) -> Norm | None:
    n, code = _num(cand.groups["n"]), _unit_code(cand.groups["unit"] or "")
    if n is None or code in ("H", "MIN", "S", "CE"):
        return None
    sign = 1 if (cand.groups["dir"] or "").lower() in ("later", "after") else -1
    base = _previous_time(st, cand.start)
    return _anchored(base, sign * n, code, "DATE", "anchored:N-units-" + ("later" if sign > 0
                                                                            else "earlier"))


def _event_offset(cand: _Cand, st: _State) -> Norm | None:
    """"one day after the release": counted from the day an earlier sentence gave that event."""
    n, code = _num(cand.groups["n"]), _unit_code(cand.groups["unit"] or "")
    if n is None:
        return None
    sign = 1 if (cand.groups["dir"] or "").lower() == "after" else -1
    base = _event_time(st, cand)
    if base is None:  # no dated mention of that event: only the length is known
        return Norm("DURATION", f"P{n}{code}", None, "duration:N-units-to-event")
    norm = _anchored(base, sign * n, code, "DATE", "anchored:N-units-" + (
        "after" if sign > 0 else "before") + "-event")
    return norm


def _event_time(st: _State, cand: _Cand) -> Time | None:
    """The latest day-precise time before ``cand`` in a clause with a word of the same lemma as
    the event noun ("the release" -> "an audio released on Monday")."""
    span = _span(st.doc, cand.start, cand.end)
    if span is None or not len(span):
        return None
    noun = span[-1]
    lemmas = {noun.lemma_.lower(), noun.lower_.removesuffix("ing")}  # "the signing" -> "signed"
    for time in reversed(st.times):
        if time.span[0] >= cand.start or value_range(time.value)[2] != "day":
            continue
        tspan = _span(st.doc, *time.span)
        if tspan is None or not len(tspan):
            continue
        top = _clause_top(_attachment(tspan))
        attach = _attachment(tspan)
        if any(t.lemma_.lower() in lemmas and t.i != noun.i
               and (_clause_top(t) == top or t.head == attach or t == attach)
               for t in tspan.sent):
            return time
    return None


def _anchored_day(cand: _Cand, st: _State) -> Norm | None:
    what = " ".join((cand.groups["what"] or "").lower().split())
    unit = next((w for w in what.split() if w in ("day", "week", "month", "year") or _is_pod(w)),
                "day")
    pod = _pod(unit) if _is_pod(unit) else ""
    if what.startswith(("that", "the same")):
        step = 0
    elif any(w in what for w in ("previous", "preceding", "before")):
        step = -1
    else:
        step = 1
    code = {"week": "W", "month": "M", "year": "Y"}.get(unit, "D")
    if _is_pod(unit):  # "the previous night": the night before the anchor day
        code = "D"
    base = _previous_time(st, cand.start, _FINEST[code])
    rule = "anchored:" + "-".join(w for w in what.split() if w != "the")
    norm = _anchored(base, step, code, "TIME" if _is_pod(unit) else "DATE", rule)
    return Norm(norm.type, norm.value + pod, norm.anchor, norm.rule) if norm.anchor else norm


def _duration(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    code = _unit_code(g["unit"] or "")
    raw = (g.get("n") or "").lower()
    n: int | None = _num(g.get("n")) if raw else 1
    plural = (g["unit"] or "").lower().endswith("s")
    count = "X" if n is None or (not raw and plural) else str(n)
    if g.get("half") and n is not None and code in _HALVES:  # "5 1/2 hours" = PT5H30M
        return Norm("DURATION", _HALVES[code](n), None, "duration:N-and-a-half-units")
    t = "T" if code in ("H", "MIN", "S") else ""
    return Norm("DURATION", f"P{t}{count}{code.replace('MIN', 'M')}", None, "duration:N-units")


# TIMEX3 durations have whole numbers: a half unit is written in the next smaller unit.
_HALVES: dict[str, Callable[[int], str]] = {
    "H": lambda n: f"PT{n}H30M", "D": lambda n: f"P{n}DT12H", "Y": lambda n: f"P{12 * n + 6}M"}


def _clock(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    if cand.pattern == "noon":
        hour, minute = (0, 0) if (g["w"] or "").lower() == "midnight" else (12, 0)
    else:
        hour, minute = int(g["h"] or 0), int(g.get("mi") or 0)
        ap = (g.get("ap") or "").lower()
        if ap.startswith("p") and hour < 12:
            hour += 12
        elif ap.startswith("a") and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return None
    clock = f"T{hour:02d}:{minute:02d}"
    word = (g.get("cday") or "").lower()
    if word and st.published is not None:  # "9 a.m. Tuesday", "4 a.m. EDT today"
        if word in _DEICTIC_DAYS:
            d, rule = st.published + timedelta(days=_DEICTIC_DAYS[word]), f"deictic:{word}"
        else:
            d, rule = _tensed_weekday(st, cand, _weekday(word))
        return Norm("TIME", day_value(d) + clock, "published", "clock:" + rule)
    day = _day_in_sentence(st, cand)
    rule = "clock:day-in-sentence"
    if day is None:  # the story's latest day so far: the narrative usually stays on it
        day, rule = _previous_time(st, cand.start), "clock:previous-day"
    if day is not None:
        start = value_range(day.value)[0]
        return Norm("TIME", start.isoformat() + clock, day.id, rule)  # type: ignore[union-attr]
    if st.published is not None:
        return Norm("TIME", day_value(st.published) + clock, "published", "clock:published")
    return Norm("TIME", "XXXX-XX-XX" + clock, None, "clock:no-day")


def _day_in_sentence(st: _State, cand: _Cand) -> Time | None:
    span = _span(st.doc, cand.start, cand.end)
    if span is None:
        return None
    sent = span.sent
    best: tuple[int, Time] | None = None
    for time in st.times:
        if not (sent.start_char <= time.span[0] < sent.end_char) or time.type != "DATE":
            continue
        if value_range(time.value)[2] != "day":
            continue
        dist = abs(time.span[0] - cand.start)
        if best is None or dist < best[0]:
            best = (dist, time)
    return best[1] if best else None


def _holiday(cand: _Cand, st: _State) -> Norm | None:
    g = cand.groups
    name = " ".join((g["hol"] or "").lower().split())
    if g.get("y"):
        day = holiday_date(name, int(g["y"] or 0))
        return Norm("DATE", day_value(day), None, "holiday:with-year") if day else None
    pub = st.published
    if pub is None:
        return Norm("DATE", "XXXX-XX-XX", None, "holiday:no-publication-date")
    options = [d for d in (holiday_date(name, y) for y in (pub.year - 1, pub.year, pub.year + 1))
               if d is not None]
    rel = (g.get("rel") or "").lower()
    if rel == "last":
        options = [d for d in options if d < pub]
    elif rel == "next":
        options = [d for d in options if d > pub]
    elif rel == "this":
        options = [d for d in options if d.year == pub.year]
    else:
        tense = _tense_at(st, cand)
        # Like a day-month: the nearest one, unless the tense disagrees by more than two months.
        near = min(options, key=lambda d: abs((d - pub).days))
        if tense == PAST and (near - pub).days > 60:
            options = [d for d in options if d <= pub]
        elif tense == FUTURE and (near - pub).days < -60:
            options = [d for d in options if d >= pub]
    if not options:
        return None
    day = min(options, key=lambda d: abs((d - pub).days))
    return Norm("DATE", day_value(day), "published", f"holiday:{rel or 'nearest'}")


def _ref(cand: _Cand, st: _State) -> Norm | None:
    ref = (cand.groups["ref"] or "").lower()
    value = "FUTURE_REF" if ("future" in ref or "coming" in ref) else "PAST_REF"
    return Norm("DATE", value, "published", "reference:" + value.lower())


_AGE = re.compile(r"(?:year|month|week|day)s?[\s-]*old|\baged?\b|\bage of\b", re.IGNORECASE)
# A bare time noun ("the day", "his year", "all week") refers to no particular period.
_BARE = re.compile(r"^(?:the|a|an|this|that|his|her|its|their|all|just|only|some)?\s*(?:day|week|"
                   r"weekend|month|year|hour|minute|decade)s?$", re.IGNORECASE)
_TIME_WORD = re.compile(r"\b(?:day|week|month|year|decade|centur|season|morning|afternoon|evening|"
                        r"night|hour|minute|weekend|quarter|spring|summer|autumn|winter|period|"
                        r"time|era)", re.IGNORECASE)


def _entity(cand: _Cand, st: _State) -> Norm | None:
    """A spaCy DATE/TIME our patterns did not cover: keep the extent, value only as a reference."""
    text = st.text[cand.start:cand.end]
    if _AGE.search(text) or _BARE.match(text) or not _TIME_WORD.search(text):
        return None
    low = text.lower()
    if any(w in low for w in ("recent", "past", "ago", "earlier", "previous", "last")):
        value = "PAST_REF"
    elif any(w in low for w in ("coming", "next", "future", "later", "upcoming")):
        value = "FUTURE_REF"
    else:
        value = "XXXX"
    return Norm("DATE", value, None, "spacy:unnormalised")


_ADVERB_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
                 "yearly": "P1Y", "nightly": "P1D", "hourly": "PT1H"}


def _set_adverb(cand: _Cand, st: _State) -> Norm | None:
    return Norm("SET", _ADVERB_SETS[(cand.groups["adv"] or "").lower()], None, "set:adverb")


_HANDLERS: dict[str, Handler] = {
    "set-adverb": _set_adverb,
    "iso": _iso, "numeric": _numeric, "day-month": _day_month, "month-day": _day_month,
    "month-year": _month_year, "month": _month_rel, "decade": _decade, "year": _year,
    "bare-year": _year, "century": _century, "set-weekday": _set_weekday,
    "set-weekdays": _set_weekday, "set-unit": _set_unit, "weekday": _weekday_rel,
    "deictic-pod": _deictic, "deictic": _deictic, "relative-unit": _relative_unit,
    "weekend": _weekend, "season-year": _season_year, "ago": _ago, "offset": _offset,
    "anchored-day": _anchored_day, "duration": _duration, "clock": _clock, "clock-24": _clock,
    "noon": _clock, "ref": _ref, "entity": _entity, "holiday": _holiday,
    "event-offset": _event_offset,
}


_SECOND = {"deictic", "deictic-pod", "ago", "offset", "anchored-day", "event-offset"}


def extract_times(doc: Doc, ctx: Context) -> list[Time]:
    """Temporal expressions in text order (ids t1, t2, ...), with TIMEX3 values and anchors."""
    state = _State(doc=doc, published=ctx.published, text=doc.text)
    cands = _candidates(doc)
    # Expressions that count from another one come after those they may count from, in text
    # order within each group: explicit and publication-anchored first, then the rest.
    order = [c for c in cands if not c.late and c.pattern not in _SECOND]
    order += [c for c in cands if c.pattern in _SECOND] + [c for c in cands if c.late]
    for cand in order:
        norm = _HANDLERS[cand.pattern](cand, state)
        if norm is None or not norm.value:
            continue
        tid = f"_{len(state.times)}"
        state.times.append(Time(id=tid, text=state.text[cand.start:cand.end],
                                span=(cand.start, cand.end), type=norm.type, value=norm.value,
                                anchor=norm.anchor, rule=norm.rule))
        state.times.sort(key=lambda t: t.span[0])
    renamed = {t.id: f"t{i}" for i, t in enumerate(state.times, 1)}
    for time in state.times:
        time.id = renamed[time.id]
        if time.anchor in renamed:
            time.anchor = renamed[time.anchor]
    return state.times


# --- event dating ------------------------------------------------------------------------------

# Links that keep a clause's time: coordinated verbs and their complements share it
# ("stormed the town on Monday and killed 12"); ccomp/advcl/relcl/parataxis start a new clause.
_SHARED = {"conj", "xcomp"}
_DESCRIBES = {"relcl", "acl"}


def _clause_top(tok: Token) -> Token:
    """The verb heading ``tok``'s clause, climbed through links that share a time."""
    verb = _verb_of(tok) or tok.sent.root
    while verb.head.i != verb.i and (verb.dep_ in _SHARED or _nonfinite_advcl(verb)):
        verb = _verb_of(verb.head) or verb.head
    return verb


def _nonfinite_advcl(verb: Token) -> bool:
    """A participle adjunct ("..., killing 12") happens at the time of its main clause."""
    return (verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children))


def _attachment(span: Span) -> Token:
    """The first token outside the expression on its head chain (what it modifies)."""
    tok = span.root
    while span.start <= tok.i < span.end and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "prep" and tok.head.i != tok.i:  # "attacked [on] Monday": what "on" modifies
        tok = tok.head
    return tok


def _is_ancestor(upper: Token, lower: Token) -> bool:
    return upper == lower or any(a == upper for a in lower.ancestors)


def _tier(trigger: Token, time_span: Span) -> int | None:
    """How safely a time expression dates the trigger: 0 direct, 1 same clause, 2 governing
    clause (e.g. the "said on Friday" of a reported attack), None for another clause."""
    attach = _attachment(time_span)
    if attach == trigger or (time_span.start <= trigger.i < time_span.end):
        return 0
    trig_top, time_top = _clause_top(trigger), _clause_top(attach)
    if trig_top == time_top:
        return 1
    # A relative clause on the trigger noun ("the attack, which began on Monday").
    if _verb_of(attach) is not None and any(
            a == trigger for a in _relcl_heads(_verb_of(attach))):  # type: ignore[arg-type]
        return 1
    if _is_ancestor(time_top, trig_top) and time_top != trig_top:
        return 2
    return None


def _relcl_heads(verb: Token) -> list[Token]:
    heads: list[Token] = []
    tok = verb
    while tok.head.i != tok.i:
        if tok.dep_ in _DESCRIBES:
            heads.append(tok.head)
        tok = tok.head
    return heads


def _trigger_token(doc: Doc, event: Event) -> Token | None:
    return _span_root(doc, event.evidence[0].trigger.span) if event.evidence else None


def _span_root(doc: Doc, chars: tuple[int, int]) -> Token | None:
    span = _span(doc, *chars)
    return span.root if span is not None and len(span) else None


def _usable(time: Time) -> bool:
    return time.type in ("DATE", "TIME") and value_range(time.value)[0] is not None


def _best_time(doc: Doc, trigger: Token, times: list[Time]) -> tuple[int, Time] | None:
    """The time expression that dates ``trigger`` and its tier (see ``_tier``), or None."""
    sent = trigger.sent
    best: tuple[int, int, Time] | None = None
    for time in times:
        if not (_usable(time) and sent.start_char <= time.span[0] < sent.end_char):
            continue
        span = _span(doc, *time.span)
        if span is None or not len(span):
            continue
        tier = _tier(trigger, span)
        if tier is None:
            continue
        key = (tier, abs(span.start - trigger.i))
        if best is None or key < best[:2]:
            best = (*key, time)
    return (best[0], best[2]) if best else None


# Confidence of a date by how it was found: explicit beats relative (anchoring may err), the
# trigger's own clause beats the governing clause of a saying, and the publication fallback is
# the least sure of all (the event may be days older than the article).
_CONFIDENCE = {("explicit", 0): 0.9, ("explicit", 1): 0.85, ("explicit", 2): 0.6,
               ("relative", 0): 0.8, ("relative", 1): 0.75, ("relative", 2): 0.55}
PUBLICATION_CONFIDENCE = 0.3


def _event_date(time: Time, tier: int) -> EventDate:
    start, end, precision = value_range(time.value)
    basis = "explicit" if time.anchor is None else "relative"
    return EventDate(start=start.isoformat() if start else None,
                     end=end.isoformat() if end else None, precision=precision,
                     basis=basis, time=time.id, confidence=_CONFIDENCE[(basis, tier)])


def _publication_date(ctx: Context) -> EventDate:
    if ctx.published is None:
        return EventDate(None, None, "unknown", "publication", None, confidence=0.0)
    day = ctx.published.isoformat()
    return EventDate(day, day, "day", "publication", None, confidence=PUBLICATION_CONFIDENCE)


def date_events(doc: Doc, ctx: Context, events: list[Event], times: list[Time]) -> None:
    """Set each event's ``date`` from the time expression governing its trigger, else from the
    publication date (basis "publication" and the lowest confidence, so the fallback is
    visible)."""
    for event in events:
        trigger = _trigger_token(doc, event)
        dated = _date_at(doc, event, trigger, times) if trigger is not None else None
        event.date = dated or _retold_date(doc, event, times) or _publication_date(ctx)
    _date_headline_events(doc, ctx, events, times)


def _date_at(doc: Doc, event: Event, trigger: Token, times: list[Time]) -> EventDate | None:
    """The date the text gives the event at ``trigger``, or None."""
    found = _best_time(doc, trigger, times)
    if found is None:
        vote = _vote_time(doc, event, trigger, times)
        return _event_date(vote, 2) if vote is not None else None
    if _dates_the_saying(doc, trigger, found[1]):
        return _on_or_before(_event_date(found[1], found[0]))
    return _event_date(found[1], found[0])


# A headline names the story's main event without dating it ("Gunmen storm Nairobi mall"); the
# lead that follows dates it.
def _date_headline_events(doc: Doc, ctx: Context, events: list[Event], times: list[Time]) -> None:
    """An undated event of the headline takes the date its own mention in the lead has, else that
    of the lead's first dated event of the same type."""
    found_headline = headline_and_lead(doc, ctx)
    if found_headline is None:
        return
    headline_end, lead = found_headline
    undated = [e for e in events
               if e.date.basis == "publication" and e.evidence[0].trigger.span[0] < headline_end]
    for event in undated:
        own = (_date_at(doc, event, tok, times) for ev in event.evidence[1:]
               if ev.trigger.span[0] in lead and (tok := _span_root(doc, ev.trigger.span)) is not None)
        event.date = next((d for d in own if d is not None), event.date)
    dated = [e for e in events if e.date.basis != "publication"
             and any(ev.trigger.span[0] in lead for ev in e.evidence)]
    for event in undated:
        source = next((e.date for e in dated if e.type == event.type), None)
        if event.date.basis == "publication" and source is not None:
            event.date = replace(source)


def _retold_date(doc: Doc, event: Event, times: list[Time]) -> EventDate | None:
    """The date of the first later mention of the event that a time expression modifies
    directly ("carried out air strikes on Raqqa ... dropped 20 bombs in the raid on Sunday
    evening"), when its first mention has none. Only a time on the mention itself counts: in
    "the attack was condemned on Monday" Monday dates the condemnation. A date found through a
    merged mention is less sure, so it gets the lowest tier's confidence."""
    for ev in event.evidence[1:]:
        root = _span_root(doc, ev.trigger.span)
        found = _best_time(doc, root, times) if root is not None else None
        if found is not None and found[0] == 0:
            return _event_date(found[1], 2)
    return None


# A vote's outcome happened when the vote was held: "Voters have rejected the deal. With almost
# all ballots counted from Sunday's referendum, ..." dates the rejection to Sunday. The lead of a
# news story gives the result, and the next sentences often date the vote by a phrase on its noun.
_VOTE_NOUNS = {"referendum", "plebiscite", "election", "vote", "ballot", "poll", "runoff",
               "run-off", "recall"}
_VOTE_REACH = 2
"""Sentences after the event's own in which the dated vote may be named."""


def _vote_time(doc: Doc, event: Event, trigger: Token, times: list[Time]) -> Time | None:
    """For an undated past event decided by a vote (context "election"): the date the article
    gives the vote itself ("Sunday's referendum", "the election on 4 May") in the event's
    sentence or the next ``_VOTE_REACH``, when exactly one such date is given; else None."""
    if "election" not in event.context or trigger.tag_ not in ("VBD", "VBN") or any(
            c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in trigger.children):
        return None
    sents = list(doc.sents)
    first = next(i for i, s in enumerate(sents) if s.start <= trigger.i < s.end)
    window = sents[first:first + 1 + _VOTE_REACH]
    lo, hi = window[0].start_char, window[-1].end_char
    found: dict[str, Time] = {}
    for time in times:
        span = _span(doc, *time.span) if _usable(time) and lo <= time.span[0] < hi else None
        if span is None or not len(span):
            continue
        noun = _attachment(span)
        if noun.lemma_.lower() in _VOTE_NOUNS and noun.pos_ in ("NOUN", "PROPN"):
            found.setdefault(time.value, time)
    if len(found) != 1:
        return None
    (vote,) = found.values()
    return vote


# A past event reported by a dated saying may be a day older than the saying ("59 people have
# been killed, the minister said on Sunday" of an attack on Saturday): news reports a happening
# the same day or the next, so such an event gets the saying's day and the day before.
SAYING_LAG_DAYS = 1
SAYING_CONFIDENCE = 0.5
_TIMED_BY_MARK = {"as", "while", "when", "after", "before", "since", "until"}


def _dates_the_saying(doc: Doc, trigger: Token, time: Time) -> bool:
    """Whether ``time`` modifies a reporting verb other than the past-tense ``trigger`` (so it
    dates the report of the event, not the event)."""
    span = _span(doc, *time.span)
    if span is None or not len(span):
        return False
    verb = _attachment(span)
    if verb == trigger or verb.pos_ != "VERB" or verb.lemma_.lower() not in _REPORTING:
        return False
    # "..., as troops battled gunmen": a clause timed against the saying is not its content
    timed = any(c.dep_ == "mark" and c.lower_ in _TIMED_BY_MARK for c in trigger.children)
    future = any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in trigger.children)
    return trigger.tag_ in ("VBD", "VBN") and not timed and not future


def _on_or_before(found: EventDate) -> EventDate:
    """``found`` widened back by SAYING_LAG_DAYS, day precision only (coarser dates hold it)."""
    if found.precision != "day" or found.start is None:
        return found
    start = date.fromisoformat(found.start) - timedelta(days=SAYING_LAG_DAYS)
    return EventDate(start=start.isoformat(), end=found.end, precision="day", basis=found.basis,
                     time=found.time, confidence=min(found.confidence or 0.0, SAYING_CONFIDENCE))
