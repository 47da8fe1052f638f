"""The country an article is set in, from its wording alone (country_cues.yaml).

Local news names its home town and rarely its state or country: "Paris firefighters ... sheriff's
deputies ... the county jail" is a US town, not the French capital. The cues here are a weak prior
for place resolution, used only when the article's named places say nothing about its country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from polybius.errors import ResourceError

CUES_FILE = "country_cues.yaml"
MIN_WEIGHT = 1.0
"""Summed weight of distinct cues an article needs before its wording names a country: one cue
found only in that country's news ("sheriff's deputies", "felony"), or two weak ones ("$", "a.m.")
that neighbouring countries share."""


@dataclass(frozen=True)
class Cue:
    """One wording typical of a country's news, with the name the explanation gives it."""

    country: str
    name: str
    pattern: re.Pattern[str]
    weight: float = 1.0


@dataclass(frozen=True)
class CueCountry:
    """The country an article's wording points to, and the cues that matched (for the rule)."""

    country: str
    cues: tuple[str, ...]


def article_country(text: str) -> CueCountry | None:
    """The country whose distinct cues found in ``text`` weigh at least MIN_WEIGHT together, and
    more than any other country's; None when no country qualifies or two tie."""
    found: dict[str, dict[str, float]] = {}
    for cue in _cues():
        if cue.pattern.search(text):
            found.setdefault(cue.country, {})[cue.name] = cue.weight
    if not found:
        return None
    ranked = sorted(found.items(), key=lambda item: sum(item[1].values()), reverse=True)
    country, names = ranked[0]
    weight = sum(names.values())
    if weight < MIN_WEIGHT or (len(ranked) > 1 and sum(ranked[1][1].values()) == weight):
        return None
    return CueCountry(country, tuple(names))


@lru_cache(maxsize=1)
def _cues() -> tuple[Cue, ...]:
    """The packaged cue table, validated (a clear ResourceError names the bad entry)."""
    source = resources.files("polybius.resources").joinpath(CUES_FILE)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ResourceError(f"{CUES_FILE}: not valid YAML: {err}") from err
    return parse_cues(data)


def parse_cues(data: object) -> tuple[Cue, ...]:
    """Validate a loaded cue table (ISO-2 code -> list of {name, regex}) and compile it."""
    if not isinstance(data, dict):
        raise ResourceError(f"{CUES_FILE}: expected a mapping ISO-2 code -> list of cues")
    out: list[Cue] = []
    for country, cues in data.items():
        if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country):
            raise ResourceError(f"{CUES_FILE}: entry {country!r} is not an ISO-2 country code")
        if not isinstance(cues, list) or not cues:
            raise ResourceError(f"{CUES_FILE}: entry {country}: expected a list of {{name, regex}}")
        for k, cue in enumerate(cues, start=1):
            weight = cue.get("weight", 1.0) if isinstance(cue, dict) else None
            if not (isinstance(cue, dict) and isinstance(cue.get("name"), str) and cue["name"].strip()
                    and isinstance(cue.get("regex"), str) and cue["regex"]
                    and isinstance(weight, (int, float)) and 0 < weight <= 1):
                raise ResourceError(f"{CUES_FILE}: {country} cue {k} needs a name, a regex and an "
                                    f"optional weight (0 < weight <= 1)")
            try:
                pattern = re.compile(cue["regex"])
            except re.error as err:
                raise ResourceError(f"{CUES_FILE}: {country} cue {cue['name']!r}: "
                                    f"bad regex: {err}") from err
            out.append(Cue(country, cue["name"].strip(), pattern, float(weight)))
    return tuple(out)
