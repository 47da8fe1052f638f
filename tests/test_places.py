"""Toponym recognition, resolution in context, and choosing each event's location."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from spacy.tokens import Doc

from polybius.extract import Context
from polybius.extract.places import (
    _Mention, _nearby_support, country_alpha3, demonym_country, explain, extract_places,
    locate_events, resolve_spans,
)
from polybius.model import Actor, Event, Evidence, Place, Trigger
from polybius.resources.gazetteer import Entry, Gazetteer

Parse = Callable[[str], Doc]
CTX = Context()


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The real index in the user cache (built once, ~20 s, on a machine that lacks it)."""
    return Gazetteer.open()


def places_of(parse: Parse, gaz: Gazetteer, text: str) -> list[Place]:
    doc = parse(text)
    places = extract_places(doc, CTX, gazetteer=gaz)
    for p in places:
        assert p.text == text[p.span[0]:p.span[1]]
        assert 0.0 <= p.confidence <= 1.0
    return places


def one(places: list[Place], text: str) -> Place:
    found = [p for p in places if p.text == text]
    assert len(found) == 1, [p.text for p in places]
    return found[0]


def test_town_resolves_to_city_with_admin1(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "A man stabbed two people in Trappes on Thursday."), "Trappes")
    assert (p.resolution, p.country_code, p.admin1, p.geonameid) == ("city", "FR", "Île-de-France", 2972049)
    assert p.rule.startswith("ner:GPE+gazetteer")


def test_region_named_by_alias_resolves_to_admin1(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Fighting broke out in the Russian region of Chechnya on Monday.")
    p = one(places, "Chechnya")
    assert (p.resolution, p.country_code) == ("admin1", "RU")


def test_department_missed_by_ner_is_found_after_preposition(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "Police in Yvelines arrested three men."), "Yvelines")
    assert (p.resolution, p.country_code) == ("admin2", "FR")


@pytest.mark.parametrize("name,country", [("Idlib", "SY"), ("Raqqa", "SY"), ("Kharkiv", "UA")])
def test_conflict_towns_resolve_to_the_town_not_the_province(parse: Parse, gaz: Gazetteer,
                                                             name: str, country: str) -> None:
    p = one(places_of(parse, gaz, f"Shelling hit {name} overnight, residents said."), name)
    assert (p.resolution, p.country_code) == ("city", country)


def test_paris_suburb_points_at_paris(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "The attack happened in a Paris suburb on Thursday."), "Paris")
    assert (p.resolution, p.country_code) == ("city", "FR")
    assert "suburb" in p.rule


def test_direction_is_stripped_and_country_stays_country(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Kurdish-led forces advanced in northeast Syria.")
    p = one(places, "Syria")
    assert (p.resolution, p.country_code, p.admin1) == ("country", "SY", None)


def test_demonym_is_a_country_place(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "French police arrested a man."), "French")
    assert (p.resolution, p.country_code, p.rule) == ("country", "FR", "demonym")


def test_paris_texas_is_resolved_by_its_qualifier(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "The festival in Paris, Texas drew thousands of visitors."), "Paris")
    assert (p.country_code, p.admin1) == ("US", "Texas")


def test_paris_alone_is_paris_france(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "Thousands marched in Paris on Saturday."), "Paris")
    assert p.country_code == "FR"


def test_place_missing_from_gazetteer_is_dropped(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Residents of Zzyzxburgh Heights fled the floods in Kharkiv.")
    assert [p.text for p in places] == ["Kharkiv"]


def test_dateline_place_is_found_and_qualified(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Trappes, France — A man was arrested on Tuesday.")
    p = one(places, "Trappes")
    assert p.rule.startswith("dateline") and p.country_code == "FR"


def test_ids_follow_text_order(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Rebels shelled Raqqa and Idlib, Syrian state media said.")
    assert [p.id for p in places] == [f"p{i}" for i in range(1, len(places) + 1)]
    assert [p.span for p in places] == sorted(p.span for p in places)


def test_direction_that_is_part_of_a_name_is_kept(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Health officials in South Africa confirmed two cases.")
    p = one(places, "South Africa")
    assert (p.resolution, p.country_code) == ("country", "ZA")


def test_us_state_wins_over_country_when_the_text_is_about_the_us(parse: Parse, gaz: Gazetteer) -> None:
    text = "Police in Atlanta said the storm hit Georgia hardest."
    assert one(places_of(parse, gaz, text), "Georgia").country_code == "US"
    text = "Tbilisi said Russian troops had entered Georgia."
    assert one(places_of(parse, gaz, text), "Georgia").country_code == "GE"


def test_washington_alone_is_the_capital_city(parse: Parse, gaz: Gazetteer) -> None:
    p = one(places_of(parse, gaz, "Officials in Washington rejected the offer."), "Washington")
    assert (p.resolution, p.admin1) == ("city", "District of Columbia")


def test_given_spans_resolve_in_order_with_none_for_unknown(parse: Parse, gaz: Gazetteer) -> None:
    text = "A fire on Main Street in Trappes spread to Zzyzxburgh, a French official said."
    doc = parse(text)
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Main Street", "Trappes", "Zzyzxburgh", "French")]
    street, town, unknown, demonym = resolve_spans(doc, spans, gaz)
    assert town is not None and (town.name, town.resolution) == ("Trappes", "city")
    assert street is not None and street.name == "Trappes" and "street:town-of-article" in street.rule
    assert unknown is None
    assert demonym is not None and (demonym.country_code, demonym.resolution) == ("FR", "country")


def test_explain_lists_candidates_and_says_why_there_is_no_answer(gaz: Gazetteer) -> None:
    result = explain("Springfield", None, gaz)
    assert result.chosen is None and result.reason.startswith("ambiguous")
    assert len(result.candidates) > 3 and result.candidates[0].score >= result.candidates[1].score
    assert explain("Zzyzxburgh", None, gaz).reason.startswith("no gazetteer entry")


def test_explain_uses_the_context_and_qualifiers(parse: Parse, gaz: Gazetteer) -> None:
    result = explain("Georgia", parse("Police in Atlanta said on Monday."), gaz)
    assert result.chosen is not None and result.chosen.country_code == "US"
    assert "context-admin1" in result.candidates[0].why and any("Atlanta" in c for c in result.context)
    texas = explain("Paris, Texas", None, gaz).chosen
    assert texas is not None and texas.admin1 == "Texas"
    idlib = explain("Idlib province", None, gaz).chosen
    assert idlib is not None and idlib.kind == "admin1"


def _town(name: str, lat: float, lon: float, cc: str = "US") -> Entry:
    return Entry(None, name, "city", cc, None, None, lat, lon, 1000, "populated place")


def test_reading_near_another_names_reading_gets_support() -> None:
    egypt, minnesota = _town("Alexandria", 31.2, 29.9, "EG"), _town("Alexandria", 45.88, -95.38)
    brandon = _town("Brandon", 45.96, -95.60)  # ~19 km from the Minnesota town
    support = _nearby_support([_Mention(0, 10, "Alexandria", "given", candidates=[egypt, minnesota]),
                               _Mention(20, 27, "Brandon", "given", candidates=[brandon])])
    assert support[("alexandria", minnesota)] == (1.0, 1.0)
    assert ("alexandria", egypt) not in support
    assert support[("brandon", brandon)] == (1.0, 1.0)  # a name with two readings still counts fully


def test_support_fades_with_distance_and_with_how_common_the_coincidence_is() -> None:
    here = _town("Elbow Lake", 46.0, -96.0)
    near = _town("Springfield", 46.0, -96.5)
    far_readings = [_town("Springfield", 30.0 + k, -80.0) for k in range(5)]  # six readings in all
    support = _nearby_support([_Mention(0, 10, "Elbow Lake", "given", candidates=[here]),
                               _Mention(20, 31, "Springfield", "given", candidates=[near, *far_readings])])
    # ~39 km away: just past full weight; only one of the six Springfields is near Elbow Lake,
    # a rare coincidence, so it counts fully both ways
    assert 0.85 < support[("elbow lake", here)].rare < 0.95
    assert 0.85 < support[("springfield", near)].rare < 0.95
    # weighed by how common the other name is alone: six readings, each counts 3/6
    assert 0.4 < support[("elbow lake", here)].plain < 0.5
    lone = _nearby_support([_Mention(0, 10, "Elbow Lake", "given", candidates=[here])])
    assert lone == {}


def test_a_coincidence_many_readings_share_lends_less_support() -> None:
    # six Springfields and six Madisons, each Springfield next to a Madison: any pair would do
    springs = [_town("Springfield", 30.0 + 2 * k, -80.0) for k in range(6)]
    madisons = [_town("Madison", 30.0 + 2 * k, -80.1) for k in range(6)]
    support = _nearby_support([_Mention(0, 11, "Springfield", "given", candidates=springs),
                               _Mention(20, 27, "Madison", "given", candidates=madisons)])
    assert all(0.45 < support[("springfield", s)].rare < 0.55 for s in springs)  # 3 / 6 each


def test_one_town_found_by_two_names_is_no_coincidence() -> None:
    # "Mecca" is also an alternate name of Medina, Ohio: naming it twice says nothing about "near"
    medina_oh = _town("Medina", 41.14, -81.86)
    makkah, madinah = _town("Makkah", 21.4, 39.8), _town("Madinah", 24.5, 39.6)
    others = [_town("Medina", 10.0 + k, 10.0) for k in range(5)]
    support = _nearby_support([
        _Mention(0, 5, "Mecca", "given", candidates=[makkah, replace(medina_oh, alias=True)]),
        _Mention(10, 16, "Medina", "given", candidates=[madinah, medina_oh, *others])])
    # only the ordinary weight of a name with seven readings (3/7), not a rare pair's full weight
    assert support[("mecca", replace(medina_oh, alias=True))].rare == pytest.approx(3 / 7)


def test_state_names_neither_get_nor_lend_nearby_support() -> None:
    state = Entry(None, "Oregon", "admin1", "US", "Oregon", "US.OR", 44.0, -120.5, 4_000_000, "State")
    oregon_town, madison = _town("Oregon", 42.93, -89.38), _town("Madison", 43.07, -89.40)
    support = _nearby_support([_Mention(0, 6, "Oregon", "given", candidates=[state, oregon_town]),
                               _Mention(10, 17, "Madison", "given", candidates=[madison])])
    assert support == {}


def test_name_with_admin_word_is_looked_up_with_it(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Shelling hit the Saltivskyi district in Kharkiv on Monday.")
    district = one(places, "Saltivskyi")
    assert (district.name, district.country_code, district.resolution) == (
        "Saltivskyi District", "UA", "city")


def test_district_of_a_city_is_the_district_qualified_by_the_city(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "Shelling hit the Saltivskyi District of Kharkiv on Monday.")
    district = one(places, "Saltivskyi District")
    assert district.admin1 == "Kharkivska oblast" and "qualifier" in district.rule


def test_towns_named_together_resolve_near_each_other(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "The storm knocked out power in Portland, Biddeford and Saco.")
    portland = one(places, "Portland")
    assert portland.admin1 == "Maine" and "context-nearby" in portland.rule


def test_public_country_helpers() -> None:
    assert demonym_country("French") == "FR"
    assert demonym_country("South Korean") == "KR"
    assert demonym_country("Korean") is None  # two Koreas: no guess
    assert country_alpha3("fr") == "FRA"
    assert country_alpha3("ZZ") is None


def _event(text: str, trigger: str) -> Event:
    i = text.index(trigger)
    return Event(id="e1", type="ASSAULT",
                 evidence=[Evidence((0, len(text)), Trigger(trigger, (i, i + len(trigger))))])


def _locate(parse: Parse, gaz: Gazetteer, text: str, trigger: str,
            actors: tuple[str, ...] = ()) -> tuple[Event, list[Place]]:
    doc = parse(text)
    places = extract_places(doc, CTX, gazetteer=gaz)
    acts = [Actor(id=f"a{k}", text=a, span=(text.index(a), text.index(a) + len(a)), name=a)
            for k, a in enumerate(actors, start=1)]
    event = _event(text, trigger)
    locate_events(doc, CTX, [event], places, acts)
    return event, places


def test_event_takes_the_place_its_clause_names(parse: Parse, gaz: Gazetteer) -> None:
    text = "In Damascus, officials said rebels attacked a police station in Idlib."
    event, places = _locate(parse, gaz, text, "attacked")
    assert event.location.place == one(places, "Idlib").id
    assert event.location.reason == "clause: in Idlib"


def test_subject_actor_place_is_not_the_location(parse: Parse, gaz: Gazetteer) -> None:
    event, _ = _locate(parse, gaz, "Russia bombed a hospital.", "bombed", actors=("Russia",))
    assert event.location.place is None and event.location.reason == "no place in text"


def test_dateline_is_the_fallback(parse: Parse, gaz: Gazetteer) -> None:
    text = "PARIS (Reuters) — Police arrested a man on Tuesday."
    event, places = _locate(parse, gaz, text, "arrested")
    assert event.location.place == one(places, "PARIS").id
    assert event.location.reason == "dateline"


def test_demonym_is_only_a_country_fallback(parse: Parse, gaz: Gazetteer) -> None:
    event, places = _locate(parse, gaz, "French police arrested a man.", "arrested")
    assert event.location.place == one(places, "French").id
    assert event.location.resolution == "country" and "demonym" in (event.location.reason or "")


def test_the_demonym_of_a_side_outside_the_event_does_not_place_it(parse: Parse,
                                                                   gaz: Gazetteer) -> None:
    text = "Ministers blamed the French navy for the attack on the two fishermen."
    event, _ = _locate(parse, gaz, text, "attack", actors=("French navy",))
    assert event.location.place is None and event.location.reason == "no place in text"
    event.actors = ["a1"]
    locate_events(parse(text), CTX, [event], extract_places(parse(text), CTX, gazetteer=gaz),
                  [Actor(id="a1", text="French navy", span=(text.index("French navy"),
                         text.index("French navy") + 11), name="French navy")])
    assert event.location.resolution == "country" and "demonym" in (event.location.reason or "")


def test_sentence_without_place_takes_the_article_town_when_all_places_agree(parse: Parse,
                                                                            gaz: Gazetteer) -> None:
    text = "A fire broke out in Trappes on Monday. Police arrested a man on Tuesday."
    event, places = _locate(parse, gaz, text, "arrested")
    assert event.location.place == one(places, "Trappes").id and event.location.resolution == "city"
    assert "every place in the article" in (event.location.reason or "")


def test_sentence_without_place_gets_none_when_the_article_places_disagree(parse: Parse,
                                                                          gaz: Gazetteer) -> None:
    text = "Talks were held in Trappes and in Kharkiv. Police arrested a man on Tuesday."
    event, _places = _locate(parse, gaz, text, "arrested")
    assert event.location.place is None and event.location.reason == "no place in text"


def test_street_location_is_its_town_and_says_so(parse: Parse, gaz: Gazetteer) -> None:
    text = "Police in Trappes said a man was stabbed on Main Street."
    event, places = _locate(parse, gaz, text, "stabbed")
    place = next(p for p in places if p.id == event.location.place)
    assert (place.name, event.location.resolution) == ("Trappes", "city")
    if "street:" in place.rule:  # the NER tagged the street: the reason must say it is approximate
        assert "a street" in (event.location.reason or "")


def test_town_named_in_a_local_institution_is_a_place(parse: Parse, gaz: Gazetteer) -> None:
    places = places_of(parse, gaz, "The Trappes Police Department said two men were held.")
    p = one(places, "Trappes")
    assert (p.country_code, p.resolution) == ("FR", "city") and p.confidence <= 0.6


def test_national_and_state_bodies_name_their_country_or_state(parse: Parse, gaz: Gazetteer) -> None:
    fda = one(places_of(parse, gaz, "The U.S. Food and Drug Administration approved the drug."), "U.S.")
    assert (fda.country_code, fda.resolution) == ("US", "country") and fda.confidence <= 0.6
    forest = one(places_of(parse, gaz, "Crews from the Texas Forest Service fought the fire."), "Texas")
    assert (forest.admin1, forest.resolution) == ("Texas", "admin1")
    assert places_of(parse, gaz, "Shares of Boston Scientific fell on Monday.") == []


def test_schools_and_state_agencies_name_their_place(parse: Parse, gaz: Gazetteer) -> None:
    school = one(places_of(parse, gaz, "Students at Tuscaloosa High School held a vigil."), "Tuscaloosa")
    assert (school.admin1, school.resolution) == ("Alabama", "city")
    patrol = one(places_of(parse, gaz, "Troopers with the Florida Highway Patrol closed the road."),
                 "Florida")
    assert (patrol.country_code, patrol.resolution) == ("US", "admin1")


def test_places_command_explains_a_resolution_as_table_and_json(gaz: Gazetteer) -> None:
    import json

    from click.testing import CliRunner

    from polybius.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["places", "Paris, Texas", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "answer: Paris (city, US)" in result.output and "why:" in result.output
    result = runner.invoke(main, ["places", "Springfield", "--format", "json"])
    data = json.loads(result.output)
    assert data["answer"] is None and data["reason"].startswith("ambiguous")
    assert len(data["candidates"]) == 10 and "score" in data["candidates"][0]
    assert runner.invoke(main, ["places", " "]).exit_code == 2


def test_a_building_named_after_its_town_places_the_event_in_that_town(parse: Parse,
                                                                       gaz: Gazetteer) -> None:
    text = "A bomb exploded at Manchester Arena on Monday night."
    event, places = _locate(parse, gaz, text, "exploded")
    town = one(places, "Manchester")
    assert (town.country_code, town.resolution) == ("GB", "city")
    assert event.location.place == town.id and event.location.reason == "clause: at Manchester"


def test_a_building_whose_name_is_no_large_town_needs_the_articles_support(parse: Parse,
                                                                           gaz: Gazetteer) -> None:
    # a small namesake town abroad is no reason to place an airport there
    assert [p.text for p in places_of(parse, gaz, "The plane landed at Heathrow Airport.")] == []


def test_a_named_persons_nationality_lends_no_country_context(parse: Parse, gaz: Gazetteer) -> None:
    text = "Fans were leaving a show by the American singer Ariana Grande at Manchester Arena."
    places = places_of(parse, gaz, text)
    assert one(places, "Manchester").country_code == "GB"
    nationality = one(places, "American")
    assert (nationality.country_code, nationality.rule) == ("US", "demonym:person")


def test_a_persons_nationality_is_no_fallback_location(parse: Parse, gaz: Gazetteer) -> None:
    event, _ = _locate(parse, gaz, "The American singer Ariana Grande cancelled her tour.", "cancelled")
    assert event.location.place is None


def test_a_demonym_ending_a_longer_name_is_no_place(parse: Parse, gaz: Gazetteer) -> None:
    text = "More than a dozen Latin American heads of state attended."
    assert [p.text for p in places_of(parse, gaz, text)] == []
    text = "He urged inter-Palestinian reconciliation."
    assert [p.country_code for p in places_of(parse, gaz, text)] == ["PS"]


def test_a_clause_naming_a_place_and_the_area_around_it_takes_the_finer(parse: Parse,
                                                                        gaz: Gazetteer) -> None:
    text = "The two leaders signed a peace agreement in the Caribbean city of Cartagena on Monday."
    event, places = _locate(parse, gaz, text, "signed")
    assert event.location.place == one(places, "Cartagena").id
    assert event.location.resolution == "city"
    text = "Rebels attacked a checkpoint in Idlib, Syria."
    event, places = _locate(parse, gaz, text, "attacked")
    assert event.location.place == one(places, "Idlib").id


def _locate_titled(parse: Parse, gaz: Gazetteer, title: str, text: str, trigger: str
                   ) -> tuple[Event, list[Place]]:
    doc = parse(text)
    ctx = Context(title=title)
    places = extract_places(doc, ctx, gazetteer=gaz)
    event = _event(text, trigger)
    locate_events(doc, ctx, [event], places, [])
    return event, places


def test_sentence_without_place_takes_the_headlines_place_when_the_article_spans_countries(
        parse: Parse, gaz: Gazetteer) -> None:
    text = ("Protests were also held in Belgium. About 1,000 people were detained in Paris. "
            "Officials said 136,000 people had demonstrated on Saturday.")
    event, places = _locate_titled(parse, gaz, "France protest turnout revised up", text,
                                   "demonstrated")
    assert event.location.place is None  # the headline's France is not among the article's places
    text = ("France raised its count. Protests were also held in Belgium. "
            "Officials said 136,000 people had demonstrated on Saturday.")
    event, places = _locate_titled(parse, gaz, "France protest turnout revised up", text,
                                   "demonstrated")
    assert event.location.place == one(places, "France").id
    assert event.location.reason == "no place in its sentence; the headline names France"


def test_a_headline_naming_two_countries_settles_nothing(parse: Parse, gaz: Gazetteer) -> None:
    text = ("France raised its count. Protests were also held in Belgium. "
            "Officials said 136,000 people had demonstrated.")
    event, _ = _locate_titled(parse, gaz, "France and Belgium count protesters", text, "demonstrated")
    assert event.location.place is None


def test_a_name_before_a_towns_own_body_is_no_country(parse: Parse, gaz: Gazetteer) -> None:
    # the country has no middle school: the school's Jordan is a town, "to Jordan" the country
    text = "Parents met the principal of Jordan Middle School on Monday, then flew to Jordan."
    places = places_of(parse, gaz, text)
    assert [p.resolution for p in places if p.span[0] == text.index("Jordan")] in ([], ["city"])
    assert [p.resolution for p in places if p.span[0] == text.rindex("Jordan")] == ["country"]
    spans = [(text.index("Jordan"), text.index("Jordan") + 6)]
    (school,) = resolve_spans(parse(text), spans, gazetteer=gaz)
    assert school is None or school.resolution == "city"


def test_a_given_span_inside_a_token_is_looked_up_as_given(parse: Parse, gaz: Gazetteer) -> None:
    text = "The war began with the U.S.-led invasion in March 2003."
    start = text.index("U.S.")
    (place,) = resolve_spans(parse(text), [(start, start + 4)], gazetteer=gaz)
    assert place is not None and (place.country_code, place.resolution) == ("US", "country")


def test_names_listed_before_counties_are_counties(parse: Parse, gaz: Gazetteer) -> None:
    text = "The river flows through Anderson and Cherokee counties in East Texas."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Anderson", "Cherokee")]
    places = resolve_spans(parse(text), spans, gazetteer=gaz)
    assert [(p.resolution, p.admin1) if p else None for p in places] == [
        ("admin2", "Texas"), ("admin2", "Texas")]


def test_a_town_reading_by_another_towns_alias_yields_to_the_towns_of_that_name(
        parse: Parse, gaz: Gazetteer) -> None:
    # one source also calls Beeville, Texas "Maryville"; the Maryvilles keep the name
    text = "Members of the First Baptist Church in Maryville met on Sunday."
    (p,) = [p for p in places_of(parse, gaz, text) if p.text == "Maryville"] or [None]
    assert p is None or p.name == "Maryville"


def test_a_building_the_text_places_in_a_town_is_not_a_town_itself(parse: Parse,
                                                                    gaz: Gazetteer) -> None:
    text = "Gunmen attacked the Westgate shopping centre in Nairobi on Saturday."
    event, places = _locate(parse, gaz, text, "attacked")
    assert [p.name for p in places] == ["Nairobi"]
    assert event.location.place == places[0].id
    town = places_of(parse, gaz, "A fire broke out at a Trappes mosque.")
    assert [p.name for p in town] == ["Trappes"]  # a town naming the building's place stays


def test_two_readings_a_few_km_apart_are_no_ambiguity(parse: Parse, gaz: Gazetteer) -> None:
    # Kansas City, Missouri and Kansas City, Kansas face each other across a river
    text = "She took a flight from Kansas City on Monday."
    start = text.index("Kansas City")
    (place,) = resolve_spans(parse(text), [(start, start + len("Kansas City"))], gazetteer=gaz)
    assert place is not None and place.resolution == "city"
    assert place.lat == pytest.approx(39.1, abs=0.1) and place.lon == pytest.approx(-94.6, abs=0.1)


def test_where_a_participant_set_out_from_is_not_where_the_event_happened(parse: Parse,
                                                                          gaz: Gazetteer) -> None:
    # (the first sentence puts the article in two countries, so no article-wide fallback applies)
    text = ("Talks were held in Trappes. Ten aircraft, flying from bases in Jordan, dropped 20 "
            "bombs in the raid.")
    event, _ = _locate(parse, gaz, text, "raid")
    assert event.location.place is None and event.location.reason == "no place in text"


def test_a_from_phrase_without_a_journey_still_places_the_event(parse: Parse,
                                                               gaz: Gazetteer) -> None:
    text = "A letter from Amman said the raid had ended."
    event, places = _locate(parse, gaz, text, "raid")
    assert event.location.place == one(places, "Amman").id
    assert event.location.reason == "nearest place in sentence"


def _resolve(parse: Parse, gaz: Gazetteer, text: str, name: str) -> Place | None:
    start = text.index(name)
    (place,) = resolve_spans(parse(text), [(start, start + len(name))], gazetteer=gaz)
    return place


def test_american_local_wording_reads_a_town_as_the_american_one(parse: Parse,
                                                                  gaz: Gazetteer) -> None:
    text = ("Alexandria firefighters put out a kitchen fire on Tuesday. Sheriff's deputies closed "
            "the road, and the owner faces a felony charge.")
    place = _resolve(parse, gaz, text, "Alexandria")
    assert place is not None and (place.country_code, place.admin1) == ("US", "Virginia")
    assert "cue-country" in place.rule
    plain = _resolve(parse, gaz, "Alexandria firefighters put out a kitchen fire on Tuesday.",
                     "Alexandria")
    assert plain is None or plain.country_code == "EG"  # without the wording: not the US one


def test_a_named_place_outweighs_the_articles_wording(parse: Parse, gaz: Gazetteer) -> None:
    text = ("Alexandria firefighters put out a kitchen fire on Tuesday, officials in Cairo said. "
            "Sheriff's deputies closed the road, and the owner faces a felony charge.")
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Alexandria", "Cairo")]
    place, _cairo = resolve_spans(parse(text), spans, gazetteer=gaz)
    assert place is not None and place.country_code == "EG"
    assert "cue-country" not in place.rule


def test_explanation_names_the_cues_of_the_wording(parse: Parse, gaz: Gazetteer) -> None:
    context = parse("Sheriff's deputies closed the road, and the owner faces a felony charge.")
    result = explain("Alexandria", context, gaz)
    assert result.chosen is not None and result.chosen.country_code == "US"
    assert "wording points to US" in result.reason and "felony" in result.reason


def test_a_town_and_its_county_both_common_names_pick_each_other(parse: Parse,
                                                                 gaz: Gazetteer) -> None:
    # nineteen Athenses and several Henderson Counties, but only one Athens lies in one of them
    text = "Julius Smith of Athens was arraigned in the Henderson County Jail on Tuesday."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Athens", "Henderson County")]
    place, county = resolve_spans(parse(text), spans, gazetteer=gaz)
    assert place is not None and (place.country_code, place.admin1) == ("US", "Texas")
    assert "context-country" in place.rule
    assert county is not None and county.admin1 == "Texas"  # Athens is its seat


def test_a_cluster_of_namesakes_abroad_does_not_outvote_a_named_country(
        parse: Parse, gaz: Gazetteer) -> None:
    # Ipswich, Suffolk County and Aberdeen also lie close together in Massachusetts
    text = "The UK health agency said new cases were found in Ipswich, Suffolk and Aberdeen."
    names = ("UK", "Ipswich", "Suffolk", "Aberdeen")
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    places = resolve_spans(parse(text), spans, gazetteer=gaz)
    assert [p.country_code if p else None for p in places] == ["GB", "GB", "GB", "GB"]


def test_a_place_qualifying_the_noun_another_place_names_gives_way(parse: Parse,
                                                                  gaz: Gazetteer) -> None:
    text = "Missiles were fired at the area around the US Pacific territory of Guam."
    event, places = _locate(parse, gaz, text, "fired")
    assert event.location.place == one(places, "Guam").id
    assert event.location.reason == "clause: around Guam"


def test_a_place_qualifying_a_noun_of_something_else_stays(parse: Parse, gaz: Gazetteer) -> None:
    text = "Gunmen attacked the Kabul office of the charity."
    event, places = _locate(parse, gaz, text, "attacked")
    assert event.location.place == one(places, "Kabul").id


def test_a_place_inside_a_longer_actor_mention_gives_way_to_another_place(parse: Parse,
                                                                         gaz: Gazetteer) -> None:
    text = ("The leaders signed a statement in Singapore, at the first meeting between "
            "a sitting US president and a North Korean leader.")
    event, places = _locate(parse, gaz, text, "meeting", actors=("a sitting US president",))
    assert event.location.place == one(places, "Singapore").id


def test_a_place_inside_an_actor_mention_still_places_an_event_when_alone(parse: Parse,
                                                                         gaz: Gazetteer) -> None:
    text = "The meeting with the Kenyan-born US ambassador lasted an hour."
    event, places = _locate(parse, gaz, text, "meeting", actors=("the Kenyan-born US ambassador",))
    assert event.location.place == one(places, "US").id
