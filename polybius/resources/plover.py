"""Loader and validator for the PLOVER scheme (plover.yaml) and the trigger lexicon (triggers.yaml).

Both files are read once per process (``functools.lru_cache``) and checked against each other:
every type, mode and context the lexicon uses must exist in the scheme, else ``ResourceError``
names the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from polybius.errors import ResourceError

RESOURCES = Path(__file__).parent
PLOVER_FILE = RESOURCES / "plover.yaml"
TRIGGERS_FILE = RESOURCES / "triggers.yaml"
POS_VALUES = ("verb", "noun", "any")
NUMBER_KINDS = ("killed", "injured", "arrested", "crowd")
ROLES = ("victims", "perpetrators")


@dataclass(frozen=True)
class EventType:
    """A PLOVER event type with its one-line definition and allowed modes."""

    name: str
    definition: str
    modes: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """The PLOVER ontology: event types (with modes) and contexts."""

    version: str
    types: dict[str, EventType]
    contexts: dict[str, str]


@dataclass(frozen=True)
class TriggerEntry:
    """One lexicon entry: a lemma or multi-word lemma pattern coding one PLOVER type."""

    words: tuple[str, ...]
    type: str
    pos: str = "any"
    head: int = 0
    mode: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    light_verbs: tuple[str, ...] = ()
    not_with: tuple[str, ...] = ()
    """Particles that make the verb another verb ("shoot up" is not "shoot")."""
    objects: tuple[str, ...] = ()
    """The verb triggers only when its object is one of these lemmas ("found weapons")."""
    subjects: tuple[str, ...] = ()
    """The verb triggers only when its subject is one of these lemmas ("protesters gathered")."""
    notes: str = ""

    @property
    def lemma(self) -> str:
        """The entry's lemma as written in the file (words joined by spaces)."""
        return " ".join(self.words)


@dataclass(frozen=True)
class Currency:
    """A currency with its fixed conversion rate to US dollars."""

    code: str
    rate: float


@dataclass(frozen=True)
class NumberLexicon:
    """Words that tell numbers.py what a count counts, who is counted, and money conversion."""

    kinds: dict[str, str]
    roles: dict[str, str]
    vague: dict[str, int]
    lower_bound_cues: tuple[str, ...]
    currencies: dict[str, Currency]
    """Lower-cased symbol or name ("$", "euros", "gbp") -> currency."""
    multipliers: dict[str, int]


@dataclass(frozen=True)
class Lexicon:
    """The trigger lexicon, indexed by first word, plus mode/context cue words."""

    triggers: tuple[TriggerEntry, ...]
    by_first_word: dict[str, tuple[TriggerEntry, ...]]
    light_verbs: frozenset[str]
    mode_words: dict[tuple[str, ...], str]
    context_words: dict[tuple[str, ...], str]
    numbers: NumberLexicon
    figurative_words: frozenset[str] = frozenset()
    """Words that make a violent verb in the same clause figurative ("shot the ball")."""
    hazard_words: frozenset[str] = frozenset()
    """Disasters and accidents that cause harm without an actor ("an earthquake killed 300")."""
    accident_sources: frozenset[str] = frozenset()
    """Modifiers that make an explosion or fire an accident ("a gas cylinder explosion")."""
    aircraft_words: frozenset[str] = frozenset()
    """Aircraft and air arms: a raid they make is an air raid ("ten aircraft ... in the raid")."""


@lru_cache(maxsize=1)
def scheme() -> Scheme:
    """The packaged PLOVER scheme, loaded and validated once."""
    return load_scheme(PLOVER_FILE)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged trigger lexicon, loaded and validated against the scheme once."""
    return load_lexicon(TRIGGERS_FILE, scheme())


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ResourceError(f"{path.name}: cannot be read as YAML: {err}") from err
    if not isinstance(data, dict):
        raise ResourceError(f"{path.name}: expected a mapping at the top level")
    return data


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def load_scheme(path: Path) -> Scheme:
    """Read and validate a PLOVER scheme file."""
    data = _read(path)
    types: dict[str, EventType] = {}
    for name, body in (data.get("types") or {}).items():
        where = f"{path.name}: type {name!r}"
        if not isinstance(body, dict) or not isinstance(body.get("definition"), str):
            raise ResourceError(f"{where}: needs a one-line 'definition'")
        types[name] = EventType(name, body["definition"], _str_list(body.get("modes"), where))
    contexts = data.get("contexts") or {}
    if not types or not isinstance(contexts, dict):
        raise ResourceError(f"{path.name}: needs 'types' and a 'contexts' mapping")
    return Scheme(str(data.get("version", "")), types, {str(k): str(v) for k, v in contexts.items()})


def load_lexicon(path: Path, plover: Scheme) -> Lexicon:
    """Read a trigger lexicon and check every type, mode and context against ``plover``."""
    data = _read(path)
    entries = tuple(_entry(raw, i, path.name, plover) for i, raw in enumerate(data.get("triggers") or []))
    index: dict[str, list[TriggerEntry]] = {}
    # Longer patterns first, and light-verb-restricted entries before the plain entry of a lemma.
    for entry in sorted(entries, key=lambda e: (-len(e.words),
                                                not (e.light_verbs or e.objects or e.subjects))):
        index.setdefault(entry.words[0], []).append(entry)
    assault_modes = plover.types["ASSAULT"].modes if "ASSAULT" in plover.types else ()
    mode_words = _cue_words(data.get("mode_words"), set(assault_modes), f"{path.name}: mode_words")
    context_words = _cue_words(data.get("context_words"), set(plover.contexts),
                               f"{path.name}: context_words")
    light = frozenset(_str_list(data.get("light_verbs"), f"{path.name}: light_verbs"))
    figurative = frozenset(w.lower() for w in _str_list(data.get("figurative_words"),
                                                         f"{path.name}: figurative_words"))
    hazards, sources = (frozenset(w.lower() for w in _str_list(data.get(key), f"{path.name}: {key}"))
                        for key in ("hazard_words", "accident_sources"))
    aircraft = frozenset(w.lower() for w in _str_list(data.get("aircraft_words"),
                                                       f"{path.name}: aircraft_words"))
    return Lexicon(entries, {k: tuple(v) for k, v in index.items()}, light, mode_words,
                   context_words, _numbers(data.get("numbers"), path.name), figurative, hazards,
                   sources, aircraft)


def _entry(raw: Any, i: int, fname: str, plover: Scheme) -> TriggerEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("lemma"), str):
        raise ResourceError(f"{fname}: trigger #{i + 1} needs a 'lemma' string: {raw!r}")
    where = f"{fname}: trigger {raw['lemma']!r}"
    etype = raw.get("type")
    if etype not in plover.types:
        raise ResourceError(f"{where}: unknown PLOVER type {etype!r}")
    modes = _str_list(raw.get("mode"), where)
    for mode in modes:
        if mode not in plover.types[etype].modes:
            raise ResourceError(f"{where}: mode {mode!r} is not a mode of {etype} in plover.yaml")
    contexts = _str_list(raw.get("context"), where)
    for context in contexts:
        if context not in plover.contexts:
            raise ResourceError(f"{where}: unknown context {context!r}")
    pos = raw.get("pos", "any")
    if pos not in POS_VALUES:
        raise ResourceError(f"{where}: pos must be one of {POS_VALUES}, got {pos!r}")
    words = tuple(raw["lemma"].lower().split())
    head = raw.get("head", 0)
    if not isinstance(head, int) or not 0 <= head < len(words):
        raise ResourceError(f"{where}: head {head!r} is not a word index of the pattern")
    return TriggerEntry(words, etype, pos, head, modes, contexts,
                        _str_list(raw.get("light_verbs"), where),
                        _str_list(raw.get("not_with"), where),
                        tuple(w.lower() for w in _str_list(raw.get("objects"), where)),
                        tuple(w.lower() for w in _str_list(raw.get("subjects"), where)),
                        str(raw.get("notes", "")))


def _cue_words(raw: Any, allowed: set[str], where: str) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for label, words in (raw or {}).items():
        if label not in allowed:
            raise ResourceError(f"{where}: {label!r} is not defined in plover.yaml")
        for word in _str_list(words, f"{where}: {label}"):
            out[tuple(word.lower().split())] = label
    return out


def _numbers(raw: Any, fname: str) -> NumberLexicon:
    where = f"{fname}: numbers"
    if not isinstance(raw, dict):
        raise ResourceError(f"{where}: missing 'numbers' section")
    kinds: dict[str, str] = {}
    for kind, words in (raw.get("kinds") or {}).items():
        if kind not in NUMBER_KINDS:
            raise ResourceError(f"{where}: kinds: unknown kind {kind!r} (allowed {NUMBER_KINDS})")
        kinds.update({w: kind for w in _str_list(words, f"{where}: kinds: {kind}")})
    roles: dict[str, str] = {}
    for role, words in (raw.get("roles") or {}).items():
        if role not in ROLES:
            raise ResourceError(f"{where}: roles: unknown role {role!r} (allowed {ROLES})")
        roles.update({w: role for w in _str_list(words, f"{where}: roles: {role}")})
    currencies: dict[str, Currency] = {}
    for code, body in (raw.get("currencies") or {}).items():
        if not isinstance(body, dict) or not isinstance(body.get("rate"), (int, float)):
            raise ResourceError(f"{where}: currency {code!r} needs a numeric 'rate'")
        for symbol in _str_list(body.get("symbols"), f"{where}: currency {code}"):
            currencies[symbol.lower()] = Currency(str(code), float(body["rate"]))
    vague = raw.get("vague") or {}
    multipliers = raw.get("multipliers") or {}
    for name, table in (("vague", vague), ("multipliers", multipliers)):
        bad = [k for k, v in table.items() if not isinstance(v, int)]
        if bad:
            raise ResourceError(f"{where}: {name}: {bad[0]!r} needs an integer value")
    return NumberLexicon(kinds, roles, {str(k): int(v) for k, v in vague.items()},
                         _str_list(raw.get("lower_bound_cues"), f"{where}: lower_bound_cues"),
                         currencies, {str(k): int(v) for k, v in multipliers.items()})
