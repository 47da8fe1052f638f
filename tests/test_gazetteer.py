"""The offline gazetteer: lookups over the real index, and the build's cache/atomicity rules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from polybius.resources import gazetteer as gz
from polybius.resources.gazetteer import Gazetteer, fold


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The real index in the user cache (built once, ~20 s, on a machine that lacks it)."""
    return Gazetteer.open()


def _kinds(entries: list[gz.Entry]) -> set[tuple[str, str]]:
    return {(e.kind, e.country_code) for e in entries}


def test_fold_removes_accents_case_and_spelling_punctuation() -> None:
    assert fold("Île-de-France") == "ile de france"
    assert fold("St. Louis") == fold("st louis")
    assert fold("Kharkivs’ka") == "kharkivska"


def test_town_has_point_country_and_admin1(gaz: Gazetteer) -> None:
    trappes = gaz.candidates("Trappes")[0]
    assert (trappes.kind, trappes.country_code, trappes.admin1) == ("city", "FR", "Île-de-France")
    assert trappes.lat == pytest.approx(48.77, abs=0.05) and trappes.lon == pytest.approx(2.0, abs=0.05)


def test_subdivision_found_by_alias(gaz: Gazetteer) -> None:
    chechnya = gaz.candidates("Chechnya")[0]
    assert (chechnya.kind, chechnya.country_code, chechnya.alias) == ("admin1", "RU", True)
    assert ("admin2", "FR") in _kinds(gaz.candidates("Yvelines"))
    assert ("admin1", "SY") in _kinds(gaz.candidates("Idlib Governorate"))


def test_alternate_spelling_finds_town(gaz: Gazetteer) -> None:
    assert ("city", "SY") in _kinds(gaz.candidates("Raqqa"))
    assert ("city", "UA") in _kinds(gaz.candidates("Kiev"))


def test_airport_codes_and_lowercase_romanisations_are_not_names(gaz: Gazetteer) -> None:
    assert all(e.name != "Paris" for e in gaz.candidates("PAR"))
    assert all(e.name != "Paris" for e in gaz.candidates("barys"))


def test_country_point_is_its_reference_point_not_its_capital(gaz: Gazetteer) -> None:
    france = gaz.country("fr")
    assert france is not None and france.kind == "country" and france.name == "France"
    assert (france.lat, france.lon) == (46.0, 2.0)
    canada = gaz.country("CA")  # the conventional (60 N, 95 W), not Ottawa
    assert canada is not None and (canada.lat, canada.lon) == (60.0, -95.0)
    assert gaz.country("ZZ") is None


def test_country_point_table_overrides_the_reference_point(gaz: Gazetteer) -> None:
    usa = gaz.country("US")  # the contiguous states' centre (Kansas), not Washington or Alaska
    assert usa is not None and (usa.lat, usa.lon) == gz.country_point_overrides()["US"]
    assert usa.lat == pytest.approx(39.8, abs=0.5) and usa.lon == pytest.approx(-98.6, abs=0.5)


def test_country_point_without_a_source_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gz.yaml, "safe_load", lambda _text: {"US": {"lat": 39.8, "lon": -98.6}})
    with pytest.raises(gz.ResourceError, match="country_points.yaml.*'US'.*source"):
        gz.country_point_overrides()


def test_kharkiv_districts_are_towns_in_kharkiv_oblast(gaz: Gazetteer) -> None:
    saltivskyi = gaz.candidates("Saltivskyi District")[0]
    assert (saltivskyi.kind, saltivskyi.feature, saltivskyi.country_code) == (
        "city", "city district", "UA")
    kharkiv = next(e for e in gaz.candidates("Kharkiv") if e.kind == "city")
    assert saltivskyi.admin1_code == kharkiv.admin1_code
    assert abs(saltivskyi.lat - kharkiv.lat) < 0.2 and abs(saltivskyi.lon - kharkiv.lon) < 0.2
    # a former name finds the renamed district
    assert gaz.candidates("Moskovskyi District")[0].name == "Saltivskyi District"
    assert len(gz.city_districts()) == 9


def test_district_table_entry_without_parent_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = [{"name": "Nowhere District", "lat": 50.0, "lon": 36.0, "population": 1, "source": "x"}]
    monkeypatch.setattr(gz.yaml, "safe_load", lambda _text: bad)
    with pytest.raises(gz.ResourceError, match="city_districts.yaml.*Nowhere District.*parent"):
        gz.city_districts()


def test_district_whose_parent_town_is_unknown_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    district = gz.District("Nowhere District", (), 1, 50.0, 36.0, 1, "x")
    monkeypatch.setattr(gz, "city_districts", lambda: [district])
    with pytest.raises(gz.ResourceError, match="parent 1 is not a town"):
        list(gz._district_rows([]))


def test_subdivision_point_is_the_middle_of_its_towns(gaz: Gazetteer) -> None:
    texas = next(e for e in gaz.candidates("Texas") if e.kind == "admin1")
    assert texas.lat == pytest.approx(31.0, abs=1.5) and texas.lon == pytest.approx(-99.0, abs=2)


def test_continents_are_regions(gaz: Gazetteer) -> None:
    africa = gaz.candidates("Africa")[0]
    assert (africa.kind, africa.name) == ("region", "Africa")


def test_abbreviations_match_only_as_written(gaz: Gazetteer) -> None:
    assert gaz.candidates("NSW")[0].name == "New South Wales"
    assert gaz.candidates("W.Va.")[0].name == "West Virginia"
    assert all(e.kind != "country" for e in gaz.candidates("us"))
    assert all(e.name != "Mississippi" for e in gaz.candidates("Miss"))


def test_national_capitals_are_marked(gaz: Gazetteer) -> None:
    dc = next(e for e in gaz.candidates("Washington") if e.kind == "city" and e.country_code == "US"
              and e.feature == "capital")
    assert dc.admin1 == "District of Columbia"


def test_corrupt_index_is_rebuilt_with_a_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(gz, "_collect", _tiny_rows)
    target = tmp_path / "g.sqlite"
    target.write_bytes(b"not a database, half written")
    with caplog.at_level("WARNING"):
        g = Gazetteer.open(target)
    assert [e.name for e in g.candidates("Testville")] == ["Testville"]
    assert "unreadable" in caplog.text and "rebuilding" in caplog.text


def test_index_of_another_version_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(gz, "_collect", _tiny_rows)
    target = tmp_path / "g.sqlite"
    gz.build(target)
    monkeypatch.setattr(gz, "version_key", lambda: "f999-other")
    assert gz.index_problem(target) is not None
    with caplog.at_level("WARNING"):
        Gazetteer.open(target).close()
    assert "another version" in caplog.text and gz.index_problem(target) is None


def test_an_older_versions_index_in_the_cache_is_replaced_with_a_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(gz, "_collect", _tiny_rows)
    monkeypatch.setenv("POLYBIUS_CACHE_DIR", str(tmp_path))
    old = tmp_path / "gazetteer-f1-old.sqlite"
    gz.build(old)
    with caplog.at_level("WARNING"):
        g = Gazetteer.open()
    assert [e.name for e in g.candidates("Testville")] == ["Testville"]
    assert "older version" in caplog.text and str(old) in caplog.text
    assert not old.exists() and g.path == gz.default_path()


def test_packaged_country_aliases_are_indexed(gaz: Gazetteer) -> None:
    assert gaz.candidates("U.S.")[0].country_code == "US"
    assert gaz.candidates("Britain")[0].country_code == "GB"


def test_cache_dir_prefers_explicit_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLYBIUS_CACHE_DIR", str(tmp_path / "explicit"))
    assert gz.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("POLYBIUS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert gz.cache_dir() == tmp_path / "xdg" / "polybius"


def test_index_file_name_carries_package_versions() -> None:
    name = gz.default_path().name
    assert "gnc3.0.2" in name and "loc2.1.0" in name and f"f{gz.FORMAT_VERSION}" in name
    assert "ci1.0.1" in name


def _tiny_rows(_progress: object) -> list[gz._Row]:
    return [gz._Row(1, "Testville", "city", "XX", "Testshire", "XX.01", 1.0, 2.0, 700,
                    "populated place", names=[("Testville", False), ("Tesztváros", True)])]


def test_build_writes_index_and_reports_progress(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(gz, "_collect", _tiny_rows)
    seen: list[tuple[int, int]] = []
    g = Gazetteer.open(tmp_path / "g.sqlite", on_progress=lambda d, t: seen.append((d, t)))
    assert [e.name for e in g.candidates("tesztvaros")] == ["Testville"]
    assert g.candidates("Testville")[0].alias is False
    assert seen[-1] == (100, 100)
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]


def test_failed_build_leaves_no_index_behind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(db: sqlite3.Connection, rows: list[gz._Row], progress: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(gz, "_collect", _tiny_rows)
    monkeypatch.setattr(gz, "_write", broken)
    with pytest.raises(RuntimeError):
        gz.build(tmp_path / "g.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_packaged_regions_are_indexed(gaz: Gazetteer) -> None:
    darfur = gaz.candidates("Darfur")[0]
    assert (darfur.kind, darfur.country_code) == ("region", "SD")
    assert gaz.candidates("Middle East")[0].kind == "region"


def test_bad_region_table_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gz.yaml, "safe_load", lambda _text: {"Atlantis": {"lat": 95, "lon": 0}})
    with pytest.raises(gz.ResourceError, match="Atlantis"):
        gz._regions()


def test_dotted_abbreviation_matches_with_or_without_spaces(gaz: Gazetteer) -> None:
    for written in ("W.Va.", "W. Va."):
        assert gaz.candidates(written)[0].admin1 == "West Virginia"


def test_packaged_tables_add_subdivision_names_seas_and_disputed_regions(gaz: Gazetteer) -> None:
    dagestan = gaz.candidates("Dagestan")[0]
    assert (dagestan.kind, dagestan.country_code) == ("admin1", "RU")
    ossetia = gaz.candidates("South Ossetia")[0]
    assert (ossetia.kind, ossetia.country_code) == ("region", "GE")
    assert gaz.candidates("Black Sea")[0].kind == "region"


def test_only_the_largest_town_of_the_capitals_name_is_the_capital(gaz: Gazetteer) -> None:
    washingtons = [e for e in gaz.candidates("Washington") if e.kind == "city" and e.country_code == "US"]
    capitals = [e for e in washingtons if e.feature == "capital"]
    assert len(washingtons) > 5 and [e.admin1 for e in capitals] == ["District of Columbia"]


def test_an_organisation_of_states_is_a_region_at_its_seat(gaz: Gazetteer) -> None:
    eu = gaz.candidates("EU")[0]
    assert (eu.name, eu.kind) == ("European Union", "region")
    assert eu.lat == pytest.approx(50.85, abs=0.1) and eu.lon == pytest.approx(4.35, abs=0.1)
