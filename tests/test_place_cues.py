"""The country an article's wording points to (country_cues.yaml), without any place named."""

from __future__ import annotations

import pytest

from polybius.errors import ResourceError
from polybius.extract.place_cues import _cues, article_country, parse_cues


def test_american_local_news_wording_points_to_the_united_states() -> None:
    text = ("Sheriff's deputies arrested a man on a felony charge after a chase on Interstate 75. "
            "He is held in the county jail.")
    found = article_country(text)
    assert found is not None and found.country == "US"
    assert {"sheriff", "felony", "interstate", "district attorney"} <= set(found.cues)


def test_one_weak_cue_alone_points_nowhere() -> None:
    # miles per hour are also British; one cue found only in American news is enough
    assert article_country("The car was going 90 mph when it crashed.") is None
    found = article_country("The driver faces a felony charge.")
    assert found is not None and found.cues == ("felony",)


def test_two_weak_cues_together_point_to_their_country() -> None:
    found = article_country("The $20 tickets go on sale at 9 a.m. Friday.")
    assert found is not None and found.country == "US"


def test_text_without_cues_points_nowhere() -> None:
    assert article_country("The minister opened the new bridge on Monday.") is None


def test_british_wording_points_to_britain() -> None:
    text = "The Labour MP said the £2m plan would raise council tax for every household."
    found = article_country(text)
    assert found is not None and found.country == "GB"


def test_indian_wording_points_to_india() -> None:
    text = "The panchayat approved a road costing Rs 3 crore."
    found = article_country(text)
    assert found is not None and found.country == "IN"


def test_two_countries_with_as_many_cues_tie_and_point_nowhere() -> None:
    text = "The Labour MP paid £5 to a sheriff's deputy charged with a felony."
    assert article_country(text) is None


def test_a_cue_repeated_counts_once() -> None:
    assert article_country("It cost $5, then $10, and now $20.") is None


def test_packaged_cue_table_loads_and_names_each_cue() -> None:
    cues = _cues()
    assert {c.country for c in cues} >= {"US", "GB"}
    assert all(c.name and c.pattern.pattern for c in cues)


@pytest.mark.parametrize("data,message", [
    (["US"], "expected a mapping"),
    ({"usa": [{"name": "x", "regex": "x"}]}, "not an ISO-2"),
    ({"US": []}, "expected a list"),
    ({"US": [{"name": "x"}]}, "needs a name, a regex"),
    ({"US": [{"name": "x", "regex": "x", "weight": 2}]}, "optional weight"),
    ({"US": [{"name": "broken", "regex": "(unclosed"}]}, "bad regex"),
])
def test_bad_cue_table_gives_a_clear_error(data: object, message: str) -> None:
    with pytest.raises(ResourceError, match=message):
        parse_cues(data)
