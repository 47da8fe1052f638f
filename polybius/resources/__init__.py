"""Packaged data (lexicons, dictionaries, tables) and their validating loaders.

Each loader reads its file once (``lru_cache``) and raises ``ResourceError`` naming the file and
the entry when the data is invalid, so a researcher who edits a YAML file learns what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from polybius.errors import ResourceError

ACTOR_KINDS = {"ORG", "PER", "GROUP", "STATE", "UNKNOWN"}
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "UAF", "CVL", "OPP", "REF", "LAB", "MED",
           "JRN", "BUS", "EDU", "REL", "NGO", "IGO", "CRM", "SPY", "PTY", "HLH", "ELI"}


def load_yaml(name: str) -> Any:
    """Parse the packaged YAML file ``name``; a syntax error names the file."""
    try:
        text = resources.files(__name__).joinpath(name).read_text("utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as err:
        raise ResourceError(f"resources/{name}: cannot load: {err}") from err


@dataclass(frozen=True)
class ActorEntry:
    """A named actor of the dictionary."""

    key: str
    name: str
    kind: str
    sector: str | None
    country: str | None
    aliases: tuple[str, ...]
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class GenericAgent:
    """A common noun that names a kind of actor ("police", "protesters")."""

    noun: str
    kind: str
    sector: str | None


@dataclass(frozen=True)
class ActorDictionary:
    entries: dict[str, ActorEntry]
    states: dict[str, str]
    """Surface name of a state (case-sensitive) → ISO alpha-3."""
    capitals: dict[str, str]
    """Capital city name → ISO alpha-3 of the state it can stand for."""
    generic: dict[str, GenericAgent]
    state_names: dict[str, str] | None = None
    """ISO alpha-3 → the name news uses for the state ("USA" → "United States"): one name for
    "U.S.", "US" and "America"."""
    people: frozenset[str] = frozenset()
    """Nouns for people who are not coded as actors of their own ("crowd", "farmer", "fan"): they
    tell a verb's human subject ("Farmers marched") from a figurative one ("Markets rallied")."""


def _check(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise ResourceError(f"resources/actors.yaml: {where}: {problem}")


def _country(code: Any, where: str) -> str | None:
    if code is None:
        return None
    _check(isinstance(code, str) and pycountry.countries.get(alpha_3=code) is not None,
           where, f"country {code!r} is not an ISO 3166 alpha-3 code")
    return str(code)


def _slug(name: str) -> str:
    return "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")


@lru_cache(maxsize=1)
def actor_dictionary() -> ActorDictionary:
    """The validated actor dictionary from ``resources/actors.yaml`` plus ISO country names."""
    raw = load_yaml("actors.yaml")
    _check(isinstance(raw, dict), "<root>", "expected a mapping with organisations/states/generic")
    entries: dict[str, ActorEntry] = {}
    for i, item in enumerate(raw.get("organisations") or []):
        where = f"organisations[{i}] ({item.get('name', '?') if isinstance(item, dict) else item})"
        _check(isinstance(item, dict) and isinstance(item.get("name"), str), where, "needs a name")
        _check(item.get("kind") in ACTOR_KINDS, where, f"kind must be one of {sorted(ACTOR_KINDS)}")
        _check(item.get("sector") in SECTORS | {None}, where, f"unknown sector {item.get('sector')!r}")
        aliases = item.get("aliases") or []
        _check(isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases),
               where, "aliases must be a list of strings")
        key = _slug(item["name"])
        _check(key not in entries, where, "duplicate name")
        entries[key] = ActorEntry(
            key=key, name=item["name"], kind=item["kind"], sector=item.get("sector"),
            country=_country(item.get("country"), where),
            aliases=tuple(dict.fromkeys([item["name"], *aliases])),
            valid_from=item.get("valid_from"), valid_to=item.get("valid_to"))
    states: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            if hasattr(country, attr):
                states[getattr(country, attr)] = country.alpha_3
    state_names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    for code, names in (raw.get("states") or {}).items():
        if isinstance(names, list) and names:
            state_names[str(code)] = str(names[0])
    capitals: dict[str, str] = {}
    for section, target in (("states", states), ("capitals", capitals)):
        for code, names in (raw.get(section) or {}).items():
            alpha3 = _country(code, f"{section}.{code}")
            _check(alpha3 is not None and isinstance(names, list), f"{section}.{code}",
                   "expected an alpha-3 code and a list of names")
            target.update({str(n): alpha3 for n in names})  # type: ignore[misc]
    generic: dict[str, GenericAgent] = {}
    for noun, spec in (raw.get("generic") or {}).items():
        where = f"generic.{noun}"
        _check(isinstance(spec, dict) and spec.get("kind") in ACTOR_KINDS, where, "needs a valid kind")
        _check(spec.get("sector") in SECTORS | {None}, where, f"unknown sector {spec.get('sector')!r}")
        generic[str(noun)] = GenericAgent(str(noun), spec["kind"], spec.get("sector"))
    people = raw.get("people") or []
    _check(isinstance(people, list) and all(isinstance(p, str) and p for p in people), "people",
           "expected a list of nouns")
    return ActorDictionary(entries=entries, states=states, capitals=capitals, generic=generic,
                           state_names=state_names, people=frozenset(p.lower() for p in people))


def actor_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns for every alias of the named actors (label ORG, id = actor key)."""
    return [{"label": "ORG", "pattern": alias, "id": e.key}
            for e in actor_dictionary().entries.values() for alias in e.aliases]
