"""Numbers that size events: casualty, arrest and crowd counts and money (converted to USD).

Counts come from the dependency parse: the kind is read from the word that governs the counted
noun ("killed", "dead", "wounded", "arrested", "death toll"), the role from the counted noun
("four of the assailants" -> perpetrators). Money is found by pattern and converted to US dollars
with the fixed rate table in ``resources/triggers.yaml`` (the rule says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from polybius.extract import Context
from polybius.model import Span
from polybius.resources.plover import NumberLexicon, lexicon

KINDS = ("killed", "injured", "arrested", "money_usd", "crowd", "other")
_SKIP_ENTS = {"DATE", "TIME", "PERCENT", "ORDINAL", "QUANTITY", "MONEY"}
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_GOVERNOR_DEPS = {"oprd", "acomp", "amod", "nsubj", "nsubjpass", "compound", "xcomp"}
_MAX_HOPS = 3


@dataclass
class Number:
    """A number in the text, what it counts and how sure the count is (``lower_bound``)."""

    value: float
    span: Span
    text: str
    kind: str = "other"
    lower_bound: bool = False
    role: str | None = None
    head: int | None = None
    """Token index of the counted noun (the number itself when it stands alone: "12 were killed")."""
    rule: str = ""
    token: int | None = None
    """Token index of the number's syntactic head, where events.py starts walking the parse."""
    currency: str | None = None

    @property
    def is_toll(self) -> bool:
        """Counted through "toll" ("the death toll rose to 30"): a running total that may update."""
        return self.rule.endswith("<-toll")


def extract_numbers(doc: Doc, ctx: Context) -> list[Number]:
    """All money amounts and counts in ``doc``, in text order, each with its kind and span."""
    lex = lexicon().numbers
    found: list[Number] = []
    for sent in doc.sents:
        money = _money(doc, sent, lex)
        taken = {t for m in money for t in range(*_token_range(doc, m.span))}
        found.extend(money)
        found.extend(_counts(doc, sent, lex, taken))
    return sorted(found, key=lambda n: n.span)


# ---- money

@lru_cache(maxsize=1)
def _money_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon().numbers
    names = sorted(lex.currencies, key=len, reverse=True)
    symbols = "|".join(re.escape(s) for s in names if not s.isalpha() or s.isupper() or len(s) == 3)
    words = "|".join(re.escape(s) for s in names)
    mult = "|".join(sorted(lex.multipliers, key=len, reverse=True))
    num = r"(?P<num>\d+(?:[.,]\d+)*|(?:[a-z]+(?:[\s-][a-z]+)*?))"
    before = re.compile(rf"(?<![\w$€£¥₹])(?P<cur>{symbols})\s?(?P<num>\d+(?:[.,]\d+)*)"
                        rf"(?:[\s-]?(?P<mult>{mult})\b)?", re.IGNORECASE)
    after = re.compile(rf"\b{num}(?:[\s-](?P<mult>{mult})\b)?\s(?P<cur>{words})\b", re.IGNORECASE)
    return before, after


def _money(doc: Doc, sent: SpacySpan, lex: NumberLexicon) -> list[Number]:
    out: list[Number] = []
    text = sent.text
    before, after = _money_patterns()
    spans: list[tuple[int, int]] = []
    for pattern in (before, after):
        for m in pattern.finditer(text):
            start, end = sent.start_char + m.start(), sent.start_char + m.end()
            if any(s < end and start < e for s, e in spans):
                continue
            amount = _parse_amount(m.group("num"))
            currency = lex.currencies.get(m.group("cur").lower())
            if amount is None or currency is None:
                continue
            mult = lex.multipliers.get((m.group("mult") or "").lower(), 1)
            usd = amount * mult * currency.rate
            rule = ("money:USD" if currency.code == "USD" else
                    f"money:{currency.code}->USD at fixed rate {currency.rate} (triggers.yaml)")
            spans.append((start, end))
            out.append(Number(value=usd, span=(start, end), text=doc.text[start:end],
                              kind="money_usd", rule=rule, currency=currency.code,
                              token=_head_token(doc, start, end)))
    return out


def _parse_amount(raw: str) -> float | None:
    raw = raw.strip().lower()
    if raw[:1].isdigit():
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return None
    return _words_value(re.split(r"[\s-]+", raw))


def _words_value(words: list[str]) -> float | None:
    """'two hundred and five' -> 205; None when a word is not a number word."""
    total, current = 0, 0
    seen = False
    for word in words:
        if word == "and" and seen:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _token_range(doc: Doc, span: Span) -> tuple[int, int]:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (chars.start, chars.end) if chars is not None else (0, 0)


def _head_token(doc: Doc, start: int, end: int) -> int | None:
    chars = doc.char_span(start, end, alignment_mode="expand")
    return chars.root.i if chars is not None else None


# ---- counts

def _is_numeric(tok: Token, lex: NumberLexicon) -> bool:
    low = tok.lower_
    if tok.ent_type_ in _SKIP_ENTS:
        return False
    if low in ("tens", "hundreds") and tok.i + 2 < len(tok.doc) and tok.nbor(1).lower_ == "of" \
            and tok.nbor(2).lower_ in ("thousands", "millions"):
        return True
    # Sentence-initial "Forty-nine" is often tagged PROPN; a number word is a number all the same.
    return (tok.like_num and (tok.pos_ in ("NUM", "NOUN", "PRON", "ADJ") or low in _UNITS or low in _TENS)
            or low in lex.vague)


def _counts(doc: Doc, sent: SpacySpan, lex: NumberLexicon, taken: set[int]) -> list[Number]:
    out: list[Number] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if i in taken or not _is_numeric(tok, lex):
            i += 1
            continue
        end = _run_end(doc, i, sent.end, lex)
        number = _count(doc, i, end, sent, lex)
        if number is not None:
            out.append(number)
        i = end
    return out


def _run_end(doc: Doc, start: int, limit: int, lex: NumberLexicon) -> int:
    """End (exclusive) of a run like 'two hundred and five', '1.5 million', 'tens of thousands'."""
    end = start + 1
    while end < limit:
        tok = doc[end]
        if _is_numeric(tok, lex) and tok.lower_ not in ("dozens",):
            end += 1
        elif (tok.text in ("-", "and") and end + 1 < limit and _is_numeric(doc[end + 1], lex)
              and not doc[end + 1].text[:1].isdigit()):
            end += 1
        elif (tok.lower_ == "of" and doc[start].lower_ in ("tens", "hundreds") and end + 1 < limit
              and doc[end + 1].lower_ in ("thousands", "millions")):
            end += 2
        else:
            break
    return end


def _run_value(doc: Doc, start: int, end: int, lex: NumberLexicon) -> tuple[float, bool] | None:
    words = [t.lower_ for t in doc[start:end] if t.text != "-"]
    phrase = " ".join(words)
    if phrase in lex.vague:
        return float(lex.vague[phrase]), phrase.endswith("s")
    if words[0][:1].isdigit():
        first = _parse_amount(words[0])
        if first is None:
            return None
        rest = _words_value(words[1:]) if len(words) > 1 else 1.0
        return (first * rest, False) if rest is not None else None
    value = _words_value(words)
    return (value, False) if value is not None else None


def _count(doc: Doc, start: int, end: int, sent: SpacySpan, lex: NumberLexicon) -> Number | None:
    parsed = _run_value(doc, start, end, lex)
    if parsed is None:
        return None
    value, vague_plural = parsed
    run = doc[start:end]
    anchor = run.root
    counted = _counted_noun(anchor, lex)
    kind, governor = _kind(counted, anchor, lex)
    cue_start = _lower_bound_cue(doc, start, sent.start, lex)
    span_start = doc[cue_start].idx if cue_start is not None else run.start_char
    # Victims and perpetrators are casualty roles; an arrest or crowd count has none.
    role = (lex.roles.get(counted.lemma_.lower())
            if counted is not anchor and kind in ("killed", "injured") else None)
    rule = f"count:{kind}" + (f"<-{governor.lemma_.lower()}" if governor is not None else "")
    return Number(value=value, span=(span_start, run.end_char),
                  text=doc.text[span_start:run.end_char], kind=kind,
                  lower_bound=vague_plural or cue_start is not None, role=role,
                  head=counted.i, rule=rule, token=anchor.i)


def _counted_noun(anchor: Token, lex: NumberLexicon) -> Token:
    """The noun a number counts: 'two people' -> people, 'four of the assailants' -> assailants."""
    if anchor.dep_ in ("nummod", "quantmod") and anchor.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return anchor.head
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _counted_noun(pobj, lex) if _is_numeric(pobj, lex) else pobj
    return anchor


def _kind(counted: Token, anchor: Token, lex: NumberLexicon) -> tuple[str, Token | None]:
    """What is counted, read from the counted noun, its modifiers, then up to 3 heads above it."""
    def word_kind(tok: Token) -> str | None:
        return lex.kinds.get(tok.lemma_.lower()) or lex.kinds.get(tok.lower_)

    # "200 protesters were detained" counts arrests: a crowd noun only decides when nothing governs.
    fallback: tuple[str, Token | None] = ("other", None)
    if counted.i != anchor.i and word_kind(counted):
        if word_kind(counted) != "crowd":
            return word_kind(counted) or "other", counted
        fallback = ("crowd", counted)
    for tok in (counted, anchor):
        for child in tok.children:
            # "and three wounded": the participle after the number says what it counts
            if (child.dep_ in ("amod", "acomp", "oprd") or child.dep_ == "acl" and child.tag_ == "VBN") \
                    and word_kind(child):
                return word_kind(child) or "other", child
    if _is_agent(counted) or counted.i != anchor.i and not _may_be_victims(counted, anchor, word_kind):
        return fallback
    node, path = counted, {counted.i, anchor.i}
    for _ in range(_MAX_HOPS):
        if node.head.i == node.i:
            break
        node = node.head
        path.add(node.i)
        if word_kind(node):
            return word_kind(node) or "other", node
        for child in node.children:
            if child.i not in path and child.dep_ in _GOVERNOR_DEPS and word_kind(child):
                return word_kind(child) or "other", child
        # "damaged 30 homes": a verb of its own says what the noun underwent; don't climb past it
        if node.pos_ == "VERB" and counted.dep_ in ("dobj", "nsubj", "nsubjpass") \
                and counted.head.i == node.i:
            break
    return fallback


def _may_be_victims(counted: Token, anchor: Token, word_kind: Callable[[Token], str | None]) -> bool:
    """False for a counted noun in a place or occasion phrase: "killed in two villages",
    "wounded in three attacks", "shelling of two hospitals". Kept: "the deaths of 12 people",
    "8 of them", "including six children"."""
    if counted.dep_ != "pobj":
        return True
    prep = counted.head
    if prep.lower_ == "of":
        return prep.head.i == anchor.i or bool(word_kind(prep.head))
    return prep.lower_ in ("including", "among")


def _is_agent(counted: Token) -> bool:
    """'Two bombers killed 18 people': the subject of an active verb with an object is the doer."""
    head = counted.head
    return (counted.dep_ == "nsubj" and head.pos_ == "VERB" and head.tag_ != "VBN"
            and any(c.dep_ == "dobj" for c in head.children))


def _lower_bound_cue(doc: Doc, start: int, sent_start: int, lex: NumberLexicon) -> int | None:
    """Index of the first token of 'at least' / 'more than' / 'over' right before the number."""
    for cue in sorted(lex.lower_bound_cues, key=len, reverse=True):
        words = cue.split()
        first = start - len(words)
        if first >= sent_start and [t.lower_ for t in doc[first:start]] == words:
            return first
    return None
