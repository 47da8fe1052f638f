"""Actors come from the dictionary, NER and generic agent nouns; places only where they act."""

from polybius.extract import Context
from polybius.extract.actors import extract_actors


def actors_of(parse, text, places=()):
    return extract_actors(parse(text), Context(), places)


def by_text(actors):
    return {a.text: a for a in actors}


def test_armed_group_spellings_map_to_one_dictionary_actor(parse):
    found = actors_of(parse, "ISIS claimed the attack. Daesh later released a video. The Islamic State group denied it.")
    names = {a.name for a in found if a.rule.startswith("dictionary:")}
    assert names == {"Islamic State"}
    assert all(a.kind == "GROUP" and a.sector == "REB" for a in found if a.name == "Islamic State")


def test_the_verb_is_is_never_the_islamic_state(parse):
    found = actors_of(parse, "The situation is tense, and the army is on alert.")
    assert "Islamic State" not in {a.name for a in found}


def test_country_as_subject_is_a_state_actor(parse):
    a = by_text(actors_of(parse, "Russia said it would respond to the sanctions."))["Russia"]
    assert (a.kind, a.country, a.sector) == ("STATE", "RUS", "GOV")


def test_country_after_locative_preposition_is_not_an_actor(parse):
    assert "France" not in by_text(actors_of(parse, "A man was stabbed in France on Thursday."))


def test_country_as_target_of_sanctions_is_an_actor(parse):
    found = by_text(actors_of(parse, "The European Union imposed sanctions on Iran."))
    assert found["Iran"].country == "IRN"
    assert found["European Union"].sector == "IGO"


def test_capital_stands_for_state_only_as_subject(parse):
    assert by_text(actors_of(parse, "Moscow denied the accusation."))["Moscow"].country == "RUS"
    assert "Moscow" not in by_text(actors_of(parse, "Protesters gathered in Moscow on Saturday."))


def test_generic_agent_takes_country_from_demonym(parse):
    police = by_text(actors_of(parse, "French police shot the attacker."))["French police"]
    assert (police.country, police.sector) == ("FRA", "COP")
    assert police.rule == "generic:police+modifier"


def test_generic_agent_takes_country_from_the_article_places(parse):
    from polybius.model import Place
    trappes = Place(id="p1", text="Trappes", span=(0, 7), name="Trappes", country_code="FR", resolution="city")
    police = by_text(actors_of(parse, "Police shot the attacker.", [trappes]))["Police"]
    assert (police.country, police.name) == ("FRA", "French police")
    assert police.rule == "generic:police+article-country(1 of 1 places: Trappes)"


def _place(text, span, code):
    from polybius.model import Place
    return Place(id=text, text=text, span=span, name=text, country_code=code, resolution="city")


def test_generic_agent_takes_the_dateline_country_over_other_places(parse):
    text = "TRAPPES, France (AP) — Police said the man had called Brussels and Liege."
    places = [_place("TRAPPES", (0, 7), "FR"), _place("Brussels", (53, 61), "BE"), _place("Liege", (66, 71), "BE")]
    found = by_text(actors_of(parse, text, places))
    assert found["Police"].country == "FRA"
    assert found["Police"].rule.endswith("(dateline TRAPPES)")
    assert "TRAPPES" not in found  # the dateline is where, never who


def test_no_article_country_when_no_country_dominates(parse):
    places = [_place("Lille", (0, 5), "FR"), _place("Ghent", (0, 5), "BE")]
    police = by_text(actors_of(parse, "Police closed the border.", places))["Police"]
    assert police.country is None and police.rule == "generic:police"


def test_attackers_do_not_take_the_article_country(parse):
    text = "In Trappes, an attacker stabbed a police officer."
    found = by_text(actors_of(parse, text, [_place("Trappes", (3, 10), "FR")]))
    assert found["attacker"].country is None
    assert found["police officer"].country == "FRA"


def test_generic_agent_spellings_share_one_name(parse):
    places = [_place("Trappes", (0, 7), "FR")]
    names = {a.text: a.name for a in actors_of(parse, "Police arrested two men. The police said French police had acted.", places)}
    assert names["Police"] == names["police"] == names["French police"] == "French police"


def test_numbers_and_describing_adjectives_leave_the_generic_name(parse):
    found = by_text(actors_of(parse, "Two soldiers and several armed militants were killed."))
    assert found["Two soldiers"].name == "soldiers"


def test_town_modifier_gives_the_generic_agent_its_country(parse):
    text = "Marseille police detained a man."
    police = by_text(actors_of(parse, text, [_place("Marseille", (0, 9), "FR")]))["Marseille police"]
    assert (police.country, police.rule) == ("FRA", "generic:police+modifier")


def test_spellings_of_a_state_share_one_name(parse):
    found = actors_of(parse, "The U.S. and America said Britain would join.")
    assert [a.name for a in found if a.kind == "STATE"] == ["United States", "United States", "Britain"]


def test_person_title_gives_sector_and_country(parse):
    a = by_text(actors_of(parse, "French Interior Minister Gérard Collomb visited the town."))[
        "French Interior Minister Gérard Collomb"]
    assert (a.name, a.kind, a.sector, a.country) == ("Gérard Collomb", "PER", "GOV", "FRA")


def test_a_title_with_of_belongs_to_the_person_mention(parse):
    a = by_text(actors_of(parse, "On Monday, US Secretary of State Rex Tillerson called him."))[
        "US Secretary of State Rex Tillerson"]
    assert (a.name, a.country, a.sector) == ("Rex Tillerson", "USA", "GOV")


def test_a_title_gives_way_to_an_actor_inside_it(parse):
    found = by_text(actors_of(parse, "U.S. State Department spokeswoman Heather Nauert spoke."))
    assert found["U.S. State Department"].rule.startswith("dictionary:")
    assert found["spokeswoman Heather Nauert"].name == "Heather Nauert"


def test_surname_mentions_take_the_full_name(parse):
    found = actors_of(parse, "Boris Johnson spoke on Monday. Johnson said Britain would act.")
    assert [a.name for a in found if a.kind == "PER"] == ["Boris Johnson", "Boris Johnson"]


def test_actor_text_is_the_text_at_its_span(parse):
    text = "The Saudi-led coalition struck a bus in Dahyan, and Houthi rebels condemned the strike."
    for a in actors_of(parse, text):
        assert text[a.span[0]:a.span[1]] == a.text


def test_surname_that_is_a_month_stays_part_of_the_name(parse):
    names = [a.name for a in actors_of(parse, "Prime Minister Theresa May said Britain would act.") if a.kind == "PER"]
    assert names == ["Theresa May"]


def test_a_people_that_acts_is_a_group_actor(parse):
    found = by_text(actors_of(parse, "Thousands of Iraqi Kurds demonstrated in Kirkuk."))
    kurds = found["Iraqi Kurds"]
    assert (kurds.kind, kurds.country, kurds.rule) == ("GROUP", "IRQ", "ner:NORP")


def test_a_demonym_on_a_proposal_stands_for_its_state(parse):
    found = by_text(actors_of(parse, "Bangladesh rejected an Indian proposal for a trade deal."))
    indian = found["Indian"]
    assert (indian.name, indian.kind, indian.country, indian.rule) == ("India", "STATE", "IND", "demonym:modifier")


def test_a_generic_agent_keeps_the_place_that_says_whose_it_is(parse):
    rebels = by_text(actors_of(parse, "Rebels in the Ivory Coast dismissed an appeal."))["Rebels in the Ivory Coast"]
    assert (rebels.name, rebels.country) == ("Ivorian rebels", "CIV")


def test_a_generic_noun_before_a_people_noun_heads_the_phrase(parse):
    found = by_text(actors_of(parse, "Opposition groups in Zimbabwe are demanding reforms."))
    assert found["Opposition groups in Zimbabwe"].sector == "OPP"


def test_a_state_owning_an_argument_is_an_actor(parse):
    found = by_text(actors_of(parse, "A U.S. official praised Haiti's efforts to improve its record."))
    assert (found["Haiti"].kind, found["Haiti"].rule) == ("STATE", "state:poss")


def test_a_capital_after_by_stands_for_its_state(parse):
    found = by_text(actors_of(parse, "Poland's parliament demanded an immediate admission by Moscow."))
    assert (found["Moscow"].name, found["Moscow"].country) == ("Russia", "RUS")
    assert found["Poland's parliament"].name == "Polish parliament"


def test_a_capital_owning_a_place_is_not_an_actor(parse):
    assert "Moscow" not in by_text(actors_of(parse, "We flew in from Moscow's airport."))
