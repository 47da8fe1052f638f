"""Geoparsing: toponym recognition and resolution on news corpora in the LGL or GeoVirus schema.

Gold: every ``*.xml`` under ``geo/`` in the data dir, scored separately per file (key = file stem).
Two schemas are read, detected per article:

* LGL: ``<article><text/><toponyms><toponym><start/><end/><phrase/><gaztag geonameid><lat/><lon/>``
  (a toponym without ``gaztag`` coordinates has no gold point and is left out of resolution);
* GeoVirus: ``<article><text/><locations><location><name/><start/><end/><lat/><lon/>`` (no ids).

Offsets drift in both (GeoVirus is one character right throughout), so each gold span is re-anchored
on its phrase: the occurrence nearest the given offset, within ``DRIFT`` characters.

Metrics per corpus (``<stem>/<metric>`` in ``Report.metrics``; ``to_json`` adds ``{stem: {...}}``):

* ``acc161_gold``: given the gold spans, share of gold toponyms placed within 161 km of the gold
  point. No answer counts as wrong here (and as ``MAX_KM`` in the km figures), so abstaining is
  never rewarded by these metrics; ``answered_gold`` and ``acc161_answered_gold`` show the
  precision side, where abstaining does help.
* ``acc_id_gold``: toponyms with a gold GeoNames id whose answer has that id or lies within 161 km
  (corpora place the same country at different points: Canada differs by ~870 km); ``id_exact_gold``
  is the strict id match.
* ``mean_km_gold``, ``median_km_gold``: great-circle error; ``auc_gold``: area under the curve of
  sorted ln(1 + error) normalised by ln(``MAX_KM``) (Jurgens et al. 2015, as Gritta et al. compute
  it; lower is better).
* ``ner_p``, ``ner_r``, ``ner_f1``: recognition by the full extractor (``extract_places``), a
  predicted span matching at most one gold span that it overlaps; ``ner_f1_exact`` needs identical
  offsets.
* ``acc161_e2e``: gold toponyms that a predicted place overlaps *and* places within 161 km, over
  all gold toponyms (so recognition misses count as errors); ``acc161_e2e_matched`` over the
  recognised ones only, the figure CamCoder-style papers report.
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius import nlp
from polybius.errors import EvaluationError
from polybius.evaluate.report import Progress, Report, Table
from polybius.extract import Context
from polybius.model import Place

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline
    from polybius.resources.gazetteer import Entry

GOLD = Path("geo")
KM = 161.0
MAX_KM = 20039.0
"""Half the Earth's circumference: the error charged for no answer."""
DRIFT = 12
EARTH_KM = 6371.0088
AREA_TOWN = 1_000
AREA_KM = 300.0
"""A gold point is judged to lie in the country / admin1 unit of the nearest town of at least
AREA_TOWN people within AREA_KM (reaching the middle of deserts, where corpora put Australia;
a point with no town that near has no unit and is not counted)."""


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None


@dataclass(frozen=True)
class GoldArticle:
    text: str
    toponyms: tuple[GoldToponym, ...]


def corpora(data_dir: Path) -> list[Path]:
    """The XML files under ``data_dir/geo`` in name order (EvaluationError if none)."""
    root = data_dir / GOLD
    files = sorted(root.glob("*.xml")) if root.is_dir() else []
    if not files:
        raise EvaluationError(f"geo: no *.xml gold file under {root}; pass the data directory "
                              f"that holds geo/")
    return files


def load_corpus(path: Path, limit: int | None = None) -> list[GoldArticle]:
    """Articles of one LGL- or GeoVirus-schema file in order (first ``limit``)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        raise EvaluationError(f"geo: {path} is not readable XML: {err}") from err
    articles = []
    for art in root.iter("article"):
        text = art.findtext("text")
        if text is None:
            continue
        if art.find("toponyms") is not None:
            tops = [_lgl(t, text) for t in art.iterfind("toponyms/toponym")]
        elif art.find("locations") is not None:
            tops = [_geovirus(loc, text) for loc in art.iterfind("locations/location")]
        else:
            raise EvaluationError(f"geo: {path}: an <article> has neither <toponyms> (LGL schema) "
                                  f"nor <locations> (GeoVirus schema)")
        articles.append(GoldArticle(text, tuple(t for t in tops if t is not None)))
        if limit is not None and len(articles) >= limit:
            break
    if not articles:
        raise EvaluationError(f"geo: {path} holds no <article> with <text>")
    return articles


def _float(el: ET.Element | None, tag: str) -> float | None:
    value = el.findtext(tag) if el is not None else None
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _anchor(text: str, phrase: str, start: int) -> tuple[int, int] | None:
    """The occurrence of ``phrase`` nearest ``start`` within DRIFT characters, else None."""
    if not phrase:
        return None
    lo = max(0, start - DRIFT)
    best: int | None = None
    pos = text.find(phrase, lo)
    while pos != -1 and pos <= start + DRIFT:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(phrase, pos + 1)
    return (best, best + len(phrase)) if best is not None else None


def _lgl(el: ET.Element, text: str) -> GoldToponym | None:
    phrase = (el.findtext("phrase") or "").strip()
    try:
        start = int(el.findtext("start") or "")
    except ValueError:
        return None
    span = _anchor(text, phrase, start)
    if span is None:
        return None
    gaz = el.find("gaztag")
    gid = gaz.get("geonameid") if gaz is not None else None
    return GoldToponym(span[0], span[1], phrase, _float(gaz, "lat"), _float(gaz, "lon"),
                       int(gid) if gid and gid.isdigit() else None)


def _geovirus(el: ET.Element, text: str) -> GoldToponym | None:
    phrase = (el.findtext("name") or "").strip()
    try:
        start = int(el.findtext("start") or "")
    except ValueError:
        return None  # the malformed nested <location> of one article
    span = _anchor(text, phrase, start)
    if span is None:
        return None
    return GoldToponym(span[0], span[1], phrase, _float(el, "lat"), _float(el, "lon"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def error_km(gold: GoldToponym, place: Place | None) -> float:
    """Distance from the gold point to the answer; MAX_KM for no answer (or no coordinates)."""
    if place is None or place.lat is None or place.lon is None or gold.lat is None or gold.lon is None:
        return MAX_KM
    return distance_km(gold.lat, gold.lon, place.lat, place.lon)


def auc(errors: Sequence[float]) -> float:
    """Area under sorted ln(1 + km), normalised by ln(MAX_KM) (0 = perfect, 1 = all worst)."""
    if not errors:
        return 0.0
    logs = sorted(math.log(1 + e) for e in errors)
    if len(logs) == 1:
        return logs[0] / math.log(MAX_KM)
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:]))
    return area / ((len(logs) - 1) * math.log(MAX_KM))


@dataclass
class _Tally:
    errors: list[float]
    id_total: int = 0
    id_exact: int = 0
    id_or_161: int = 0
    entity_ok: int = 0
    answered: int = 0
    answered_ok: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact_tp: int = 0
    e2e_ok: int = 0
    e2e_matched: int = 0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class AreaFinder:
    """Which country and admin1 unit a point lies in, judged by the nearest town of at least
    AREA_TOWN people within AREA_KM (GeoNames towns; a grid of 1-degree cells keeps it fast)."""

    def __init__(self, towns: Sequence[Entry]) -> None:
        self._grid: dict[tuple[int, int], list[Entry]] = {}
        for town in towns:
            self._grid.setdefault(self._cell(town.lat or 0.0, town.lon or 0.0), []).append(town)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat), math.floor(lon)

    def area(self, lat: float, lon: float) -> tuple[str, str | None] | None:
        """(country code, admin1 name) of the nearest town, None when none is within AREA_KM."""
        row, col = self._cell(lat, lon)
        reach_lat = math.ceil(AREA_KM / 111.0)
        reach_lon = min(180, math.ceil(AREA_KM / (111.0 * max(0.01, math.cos(math.radians(lat))))))
        best: tuple[float, Entry] | None = None
        for dr in range(-reach_lat, reach_lat + 1):
            for dc in range(-reach_lon, reach_lon + 1):
                for town in self._grid.get((row + dr, (col + dc + 180) % 360 - 180), ()):
                    km = distance_km(lat, lon, town.lat or 0.0, town.lon or 0.0)
                    if km <= AREA_KM and (best is None or km < best[0]):
                        best = (km, town)
        return (best[1].country_code, best[1].admin1) if best else None


def same_entity(gold: GoldToponym, place: Place | None, areas: AreaFinder) -> bool:
    """Whether the answer is the place the gold names, wherever each puts its point: within
    161 km, the same GeoNames id, or a country / admin1 answer whose unit holds the gold point
    (corpora put large areas at different points: China at 35 N 103 E or at 35 N 105 E)."""
    if place is None or gold.lat is None or gold.lon is None:
        return False
    if error_km(gold, place) <= KM:
        return True
    if gold.geonameid is not None and place.geonameid == gold.geonameid:
        return True
    if place.resolution not in ("country", "admin1"):
        return False
    where = areas.area(gold.lat, gold.lon)
    if where is None or where[0] != place.country_code:
        return False
    return place.resolution == "country" or (place.admin1 is not None and where[1] == place.admin1)


def _score_article(gold: GoldArticle, resolved: Sequence[Place | None], predicted: list[Place],
                   t: _Tally, areas: AreaFinder) -> None:
    for g, place in zip(gold.toponyms, resolved):
        if g.lat is None or g.lon is None:
            continue  # no gold point (LGL toponyms without a gazetteer tag): recognition only
        err = error_km(g, place)
        t.errors.append(err)
        t.entity_ok += same_entity(g, place, areas)
        if place is not None:
            t.answered += 1
            t.answered_ok += err <= KM
        if g.geonameid is not None:
            t.id_total += 1
            same = place is not None and place.geonameid == g.geonameid
            t.id_exact += same
            t.id_or_161 += same or err <= KM
    used: set[int] = set()
    for g in gold.toponyms:
        match = next((k for k, p in enumerate(predicted)
                      if k not in used and _overlaps(p.span, (g.start, g.end))), None)
        if match is None:
            t.fn += 1
            continue
        used.add(match)
        t.tp += 1
        t.exact_tp += predicted[match].span == (g.start, g.end)
        if g.lat is not None and g.lon is not None:
            t.e2e_matched += 1
            t.e2e_ok += error_km(g, predicted[match]) <= KM
    t.fp += len(predicted) - len(used)


def _metrics(t: _Tally) -> dict[str, float]:
    n = len(t.errors)
    p = t.tp / (t.tp + t.fp) if t.tp + t.fp else 0.0
    r = t.tp / (t.tp + t.fn) if t.tp + t.fn else 0.0
    exact_p = t.exact_tp / (t.tp + t.fp) if t.tp + t.fp else 0.0
    exact_r = t.exact_tp / (t.tp + t.fn) if t.tp + t.fn else 0.0
    return {
        "acc161_gold": sum(e <= KM for e in t.errors) / n if n else 0.0,
        "acc161_e2e": t.e2e_ok / n if n else 0.0,
        "mean_km_gold": statistics.fmean(t.errors) if n else 0.0,
        "median_km_gold": statistics.median(t.errors) if n else 0.0,
        "auc_gold": auc(t.errors),
        "ner_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "ner_p": p,
        "ner_r": r,
        "ner_f1_exact": 2 * exact_p * exact_r / (exact_p + exact_r) if exact_p + exact_r else 0.0,
        "acc_id_gold": t.id_or_161 / t.id_total if t.id_total else 0.0,
        "acc_entity_gold": t.entity_ok / n if n else 0.0,
        "id_exact_gold": t.id_exact / t.id_total if t.id_total else 0.0,
        "answered_gold": t.answered / n if n else 0.0,
        "acc161_answered_gold": t.answered_ok / t.answered if t.answered else 0.0,
        "acc161_e2e_matched": t.e2e_ok / t.e2e_matched if t.e2e_matched else 0.0,
        "toponyms": float(n),
    }


@dataclass
class GeoReport(Report):
    """A Report whose JSON also carries one object per corpus: ``{"lgl": {...}, ...}``."""

    corpora: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out.update(self.corpora)
        return out


def score_corpus(articles: Sequence[GoldArticle], model: str, batch_size: int = 16,
                 tick: Progress | None = None) -> dict[str, float]:
    """Parse each article once; resolve its gold spans and run the full extractor on it."""
    from polybius.extract.places import extract_places, resolve_spans
    from polybius.resources.gazetteer import default_gazetteer

    tally = _Tally(errors=[])
    areas = AreaFinder(default_gazetteer().towns(AREA_TOWN))
    docs = nlp.parse_many((a.text for a in articles), model, batch_size)
    for k, (gold, doc) in enumerate(zip(articles, docs), start=1):
        spans = [(g.start, g.end) for g in gold.toponyms]
        resolved = resolve_spans(doc, spans)
        predicted = extract_places(doc, Context())
        _score_article(gold, resolved, predicted, tally, areas)
        if tick is not None:
            tick(k, None)
    return _metrics(tally)


def evaluate(data_dir: Path, pipeline: Pipeline, *, limit: int | None = None,
             on_progress: Progress | None = None) -> Report:
    """Score every corpus under ``data_dir/geo`` (``limit`` = first N articles of each)."""
    started = time.monotonic()
    per: dict[str, dict[str, float]] = {}
    done = 0
    for path in corpora(data_dir):
        articles = load_corpus(path, limit)

        def tick(k: int, _total: int | None, base: int = done) -> None:
            if on_progress is not None:
                on_progress(base + k, None)

        per[path.stem] = score_corpus(articles, pipeline.config.model, pipeline.config.batch_size, tick)
        done += len(articles)
    keys = ["acc161_gold", "acc_id_gold", "acc_entity_gold", "acc161_e2e", "mean_km_gold", "median_km_gold",
            "auc_gold", "ner_p", "ner_r", "ner_f1", "answered_gold", "acc161_answered_gold",
            "acc161_e2e_matched", "toponyms"]
    table = Table(["corpus", *keys], [[stem, *(m[k] for k in keys)] for stem, m in per.items()])
    report = GeoReport("geo", {f"{stem}/{k}": v for stem, m in per.items() for k, v in m.items()},
                       {"per corpus": table}, n=done, seconds=time.monotonic() - started,
                       corpora=per)
    report.notes.append("no answer counts as wrong (error 20039 km) in acc161/mean/median/auc; "
                        "answered_gold and acc161_answered_gold give the precision side")
    return report
