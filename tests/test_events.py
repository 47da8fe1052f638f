"""PLOVER event coding from triggers: types, trigger forms, arguments, sizes and non-events."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from polybius.extract import Context
from polybius.extract.events import extract_events
from polybius.extract.numbers import extract_numbers
from polybius.model import Actor, Event

Parse = Callable[[str], Doc]
_ACTOR_LABELS = ("ORG", "PERSON", "GPE", "NORP")


def _actors(doc: Doc, names: tuple[str, ...] | None = None) -> list[Actor]:
    """Hand-made actors: the named strings, or every ORG/PERSON/GPE/NORP entity."""
    spans = ([(doc.text.index(n), doc.text.index(n) + len(n)) for n in names] if names is not None
             else [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _ACTOR_LABELS])
    return [Actor(id=f"a{i + 1}", text=doc.text[s:e], span=(s, e), name=doc.text[s:e])
            for i, (s, e) in enumerate(spans)]


def _events(parse: Parse, text: str, names: tuple[str, ...] | None = None,
            ) -> tuple[list[Event], dict[str, str]]:
    doc = parse(text)
    actors = _actors(doc, names)
    events = extract_events(doc, Context(), actors, extract_numbers(doc, Context()))
    for event in events:
        for ev in event.evidence:
            assert doc.text[ev.trigger.span[0]:ev.trigger.span[1]] == ev.trigger.text
            assert ev.span[0] <= ev.trigger.span[0] < ev.trigger.span[1] <= ev.span[1]
    return events, {a.id: a.text for a in actors}


@pytest.mark.parametrize("text, etype", [
    ("Israel and Hamas agreed to a ceasefire.", "AGREE"),
    ("Macron met Merkel in Berlin.", "CONSULT"),
    ("Germany praised the reforms.", "SUPPORT"),
    ("Egypt released 20 prisoners.", "RETREAT"),
    ("Jordan extradited the suspect to France.", "COOPERATE"),
    ("Japan donated $5 million to Nepal.", "AID"),
    ("Russia withdrew its troops from Kherson.", "RETREAT"),
    ("The UN called for a ceasefire.", "REQUEST"),
    ("China accused Japan of spying.", "ACCUSE"),
    ("Iran rejected the proposal.", "REJECT"),
    ("North Korea threatened Seoul.", "THREATEN"),
    ("Thousands of people protested in Lagos.", "PROTEST"),
    ("The EU imposed sanctions on Belarus.", "SANCTION"),
    ("India mobilised troops along the border.", "MOBILIZE"),
    ("Police arrested three men in Lyon.", "COERCE"),
    ("Gunmen attacked a bus in Kabul.", "ASSAULT"),
])
def test_each_plover_type_is_coded_from_a_short_sentence(parse: Parse, text: str, etype: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == [etype]
    assert events[0].id == "e1" and events[0].rule.startswith(f"lexicon:{etype}/")


def test_verb_with_subject_and_object_names_actor_and_recipient(parse: Parse) -> None:
    events, names = _events(parse, "China accused Japan of spying.")
    assert [names[a] for a in events[0].actors] == ["China"]
    assert [names[r] for r in events[0].recipients] == ["Japan"]
    assert events[0].confidence == 0.8


def test_nominal_trigger_with_relative_clause_and_casualties(parse: Parse) -> None:
    events, _ = _events(parse, "A knife attack that left two dead shocked the town.")
    assert len(events) == 1
    event = events[0]
    assert event.type == "ASSAULT" and "primitive" in event.mode
    assert event.size.killed == 2 and "killed" in event.size.spans
    assert event.evidence[0].trigger.text == "attack"


def test_light_verb_codes_the_noun_with_the_verbs_arguments(parse: Parse) -> None:
    events, names = _events(parse, "Hamas launched strikes on Israel.")
    assert len(events) == 1 and events[0].type == "ASSAULT"
    assert events[0].evidence[0].trigger.text == "strikes"
    assert [names[a] for a in events[0].actors] == ["Hamas"]
    assert [names[r] for r in events[0].recipients] == ["Israel"]


def test_labour_strike_is_protest(parse: Parse) -> None:
    events, _ = _events(parse, "Dock workers went on strike in Antwerp.")
    assert [(e.type, e.mode) for e in events] == [("PROTEST", ["strike"])]


def test_phrasal_verbs_are_single_triggers(parse: Parse) -> None:
    events, _ = _events(parse, "Police cracked down on protesters and opened fire on the crowd.")
    assert [(e.type, e.evidence[0].trigger.text) for e in events] == [
        ("COERCE", "cracked down"), ("ASSAULT", "opened fire")]
    assert "firearms" in events[1].mode


def test_passive_takes_agent_from_by_phrase_and_subject_as_recipient(parse: Parse) -> None:
    text = "Ahmed Ali was shot and killed by the Nigerian Army."
    events, names = _events(parse, text, names=("Ahmed Ali", "Nigerian Army"))
    assert len(events) == 1
    assert events[0].evidence[0].trigger.text == "shot and killed"
    assert [names[a] for a in events[0].actors] == ["Nigerian Army"]
    assert [names[r] for r in events[0].recipients] == ["Ahmed Ali"]
    assert "firearms" in events[0].mode


def test_noun_trigger_inside_verb_clause_is_the_same_event(parse: Parse) -> None:
    events, _ = _events(parse, "At least 12 were killed and dozens wounded in an airstrike on Monday.")
    assert len(events) == 1
    assert events[0].mode == ["aerial"]
    assert (events[0].size.killed, events[0].size.injured) == (12, 24)


def test_size_goes_to_the_right_event_in_a_two_event_sentence(parse: Parse) -> None:
    events, _ = _events(parse, "Police arrested three men after a bombing killed five people.")
    by_type = {e.type: e for e in events}
    assert set(by_type) == {"COERCE", "ASSAULT"}
    assert by_type["COERCE"].size.arrested == 3 and by_type["COERCE"].size.killed is None
    assert by_type["ASSAULT"].size.killed == 5 and by_type["ASSAULT"].size.arrested is None
    assert "explosives" in by_type["ASSAULT"].mode


def test_money_attaches_to_aid_event(parse: Parse) -> None:
    events, _ = _events(parse, "The EU pledged $100-million in aid to Syria.")
    assert len(events) == 1 and events[0].type == "AID"
    assert events[0].size.money_usd == 100_000_000


@pytest.mark.parametrize("text", [
    "Terror groups use jihad to justify violence.",
    "The FBI added him to a terror watch list.",
    "The army bought an attack helicopter.",
])
def test_generic_or_modifier_trigger_words_are_not_events(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert events == []


def test_later_anaphoric_mention_merges_as_evidence(parse: Parse) -> None:
    text = "A man stabbed two people in Trappes on Thursday. Police said the attack was planned."
    events, _ = _events(parse, text)
    assert len(events) == 1
    assert [ev.trigger.text for ev in events[0].evidence] == ["stabbed", "attack"]


def test_indefinite_later_mention_is_a_new_event(parse: Parse) -> None:
    text = "A man was stabbed in Lyon. On Tuesday, an attack in Nice killed three."
    events, _ = _events(parse, text)
    assert len(events) == 2 and events[1].size.killed == 3


def test_a_definite_mention_retyped_to_an_earlier_events_type_is_that_event(parse: Parse) -> None:
    # "the raid" made by aircraft is an air raid: the air strikes told again, not a second event
    text = ("Warplanes carried out air strikes on the city. Ten aircraft dropped 20 bombs in the raid "
            "on Sunday.")
    events, _ = _events(parse, text)
    assert [(e.type, [text[slice(*ev.trigger.span)] for ev in e.evidence]) for e in events] == [
        ("ASSAULT", ["air strikes", "raid"])]


@pytest.mark.parametrize("second", [
    "Later, aircraft dropped bombs in a raid on a nearby village.",  # indefinite: a new raid
    "Police arrested three men in the raid on a flat.",  # a police raid keeps its own type
])
def test_a_raid_that_is_not_the_earlier_event_told_again_stays_apart(parse: Parse,
                                                                     second: str) -> None:
    events, _ = _events(parse, "Warplanes carried out air strikes on the city. " + second)
    assert len(events) == 2


def test_threatened_attack_is_one_threat_not_an_attack(parse: Parse) -> None:
    events, names = _events(parse, "Iran threatened to attack Israel.")
    assert [(e.type, e.mode) for e in events] == [("THREATEN", ["force"])]
    assert [names[a] for a in events[0].actors] == ["Iran"]
    assert [names[r] for r in events[0].recipients] == ["Israel"]


def test_negated_attack_is_still_emitted(parse: Parse) -> None:
    events, _ = _events(parse, "Russia did not attack Ukraine.")
    assert [e.type for e in events] == ["ASSAULT"]


def test_denied_accusation_is_reject(parse: Parse) -> None:
    events, _ = _events(parse, "Iran denied the accusation.")
    assert [(e.type, e.mode) for e in events] == [("REJECT", ["deny"])]


def test_works_without_actors_and_leaves_arguments_empty(parse: Parse) -> None:
    doc = parse("Rebels attacked the convoy and killed four soldiers.")
    events = extract_events(doc, Context(), [], extract_numbers(doc, Context()))
    assert len(events) >= 1
    assert all(e.actors == [] and e.recipients == [] for e in events)
    assert any(e.size.killed == 4 for e in events)


def test_ids_are_in_text_order_and_dates_places_left_default(parse: Parse) -> None:
    events, _ = _events(parse, "Turkey deployed troops. Later, Greece condemned the move.")
    assert [(e.id, e.type) for e in events] == [("e1", "MOBILIZE"), ("e2", "ACCUSE")]
    assert events[0].date.basis == "publication" and events[0].location.place is None


# ---- recipients and actors found through the parse

def _roles(parse: Parse, text: str, names: tuple[str, ...], etype: str) -> tuple[list[str], list[str]]:
    """Actor and recipient texts of the first event of ``etype``."""
    events, by_id = _events(parse, text, names)
    event = next(e for e in events if e.type == etype)
    return [by_id[a] for a in event.actors], [by_id[r] for r in event.recipients]


@pytest.mark.parametrize("text, names, etype, recipients", [
    ("Egypt has offered to hand over to Jordan three of its citizens.", ("Egypt", "Jordan"),
     "AGREE", ["Jordan"]),
    ("A senior German official praised Kenya's reforms.", ("German official", "Kenya"),
     "SUPPORT", ["Kenya"]),
    ("Brazil held talks with Bolivia.", ("Brazil", "Bolivia"), "CONSULT", ["Bolivia"]),
    ("Spain threatened further action against Cuba.", ("Spain", "Cuba"), "THREATEN", ["Cuba"]),
    ("Israel deployed troops toward Gaza.", ("Israel", "Gaza"), "MOBILIZE", ["Gaza"]),
    ("Iran rejected a proposal by France.", ("Iran", "France"), "REJECT", ["France"]),
    ("Serbia lodged a formal protest with Croatia.", ("Serbia", "Croatia"), "ACCUSE", ["Croatia"]),
])
def test_recipient_through_preposition_possessor_or_object_phrase(
        parse: Parse, text: str, names: tuple[str, ...], etype: str, recipients: list[str]) -> None:
    assert _roles(parse, text, names, etype)[1] == recipients


def test_dative_recipient_and_aid_as_measure_of_light_verb_object(parse: Parse) -> None:
    assert _roles(parse, "Japan gave Nepal 3 million dollars of aid.", ("Japan", "Nepal"), "AID") == (
        ["Japan"], ["Nepal"])


@pytest.mark.parametrize("text, names", [
    ("Norway demanded that the Danish government release the sailors.", ("Norway", "Danish government")),
    ("Canada urged Mexico to reopen the border.", ("Canada", "Mexico")),
    ("Kenya called on Uganda to withdraw.", ("Kenya", "Uganda")),
    ("Ghana asked Togo to extradite the suspects.", ("Ghana", "Togo")),
])
def test_the_one_asked_to_act_is_the_request_recipient(parse: Parse, text: str,
                                                       names: tuple[str, ...]) -> None:
    assert _roles(parse, text, names, "REQUEST") == ([names[0]], [names[1]])


def test_urged_action_is_the_content_of_the_request(parse: Parse) -> None:
    events, names = _events(parse, "Ghana asked Togo to extradite the suspects.", ("Ghana", "Togo"))
    assert [(e.type, [names[a] for a in e.actors], [names[r] for r in e.recipients])
            for e in events] == [("REQUEST", ["Ghana"], ["Togo"])]


def test_reported_obligation_of_another_actor_is_a_request(parse: Parse) -> None:
    text = "Chile said on Monday that Peru must return the fishing boat."
    events, names = _events(parse, text, ("Chile", "Peru"))
    assert [(e.type, e.rule, e.evidence[0].trigger.text) for e in events] == [
        ("REQUEST", "parse:REQUEST/reported-obligation", "must return")]
    assert [names[a] for a in events[0].actors] == ["Chile"]
    assert [names[r] for r in events[0].recipients] == ["Peru"]


def test_reported_obligation_without_a_second_actor_is_not_a_request(parse: Parse) -> None:
    events, _ = _events(parse, "Chile said that the boat must return to port.", ("Chile",))
    assert [e.type for e in events if e.type == "REQUEST"] == []


def test_accepted_demands_are_a_concession_to_their_author(parse: Parse) -> None:
    text = "The Colombian government accepted demands from FARC rebels."
    assert _roles(parse, text, ("Colombian government", "FARC"), "CONCEDE") == (
        ["Colombian government"], ["FARC"])


def test_pronoun_subject_of_reported_clause_is_the_speaker_and_org_modifier_counts(
        parse: Parse) -> None:
    text = "Sudanese rebels said they would meet UN envoy Jan Pronk."
    doc = parse(text)
    actors = [Actor(id=f"a{i}", text=n, span=(text.index(n), text.index(n) + len(n)), name=n, kind=k)
              for i, (n, k) in enumerate([("Sudanese rebels", "GROUP"), ("UN", "ORG"),
                                          ("Jan Pronk", "PER")])]
    events = extract_events(doc, Context(), actors, extract_numbers(doc, Context()))
    assert [(e.type, e.actors, sorted(e.recipients)) for e in events] == [
        ("AGREE", ["a0"], ["a1", "a2"])]  # a promise to meet


def test_withdrawn_troops_are_the_actors_own_and_place_left_is_recipient(parse: Parse) -> None:
    text = "Chad said it was ready to withdraw its soldiers from Niger."
    assert _roles(parse, text, ("Chad", "its soldiers", "Niger"), "AGREE") == (["Chad"], ["Niger"])


def test_threat_recipient_from_complement_and_condition(parse: Parse) -> None:
    text = "Turkey threatened on Friday to cut ties with Austria unless Vienna apologised."
    actors, recipients = _roles(parse, text, ("Turkey", "Austria", "Vienna"), "THREATEN")
    assert actors == ["Turkey"] and recipients == ["Austria", "Vienna"]


def test_denial_about_own_forces_has_no_recipient(parse: Parse) -> None:
    text = "Peru denied that its police had tortured protesters."
    assert _roles(parse, text, ("Peru", "its police"), "REJECT") == (["Peru"], [])


def test_of_phrase_of_a_nominal_trigger_is_the_victim(parse: Parse) -> None:
    text = "Police condemned the killing of Maria Lopez by soldiers in Lima."
    assert _roles(parse, text, ("Police", "Maria Lopez", "soldiers"), "ASSAULT") == (
        ["soldiers"], ["Maria Lopez"])


def test_arguments_found_through_another_clause_do_not_raise_confidence(parse: Parse) -> None:
    direct, _ = _events(parse, "Chile met Peru.", ("Chile", "Peru"))
    reported, _ = _events(parse, "Chile said it would meet Peru.", ("Chile", "Peru"))
    assert direct[0].confidence == 0.8
    assert reported[0].actors == ["a1"] and reported[0].recipients == ["a2"]
    assert reported[0].confidence == 0.7


def test_attackers_killed_are_kept_apart_from_victims(parse: Parse) -> None:
    text = "Militants killed two villagers on Monday, and four of the assailants were shot dead by troops."
    events, _ = _events(parse, text)
    size = events[0].size
    assert (size.killed, size.perpetrators_killed) == (2, 4)
    assert text[slice(*size.spans["perpetrators_killed"])] == "four"


def test_vague_and_minimum_figures_are_flagged_as_lower_bounds(parse: Parse) -> None:
    events, _ = _events(parse, "Gunmen killed at least 12 people and wounded dozens in the attack.")
    size = events[0].size
    assert (size.killed, size.injured) == (12, 24)
    assert sorted(size.lower_bounds) == ["injured", "killed"]


def test_exact_figure_is_not_a_lower_bound(parse: Parse) -> None:
    events, _ = _events(parse, "Gunmen killed 12 people in the attack.")
    assert events[0].size.killed == 12 and events[0].size.lower_bounds == []


def test_violence_by_protesters_is_a_riot_not_an_assault(parse: Parse) -> None:
    events, _ = _events(parse, "Rioters clashed with police outside parliament.")
    assert [(e.type, e.mode, e.rule) for e in events] == [
        ("PROTEST", ["riot"], "riot:PROTEST<-lexicon:ASSAULT/clash")]


def test_police_violence_against_protesters_stays_an_assault(parse: Parse) -> None:
    events, _ = _events(parse, "Police beat protesters outside parliament.")
    assert [e.type for e in events] == ["ASSAULT"]


@pytest.mark.parametrize("text, etype", [
    ("Syria said it was willing to withdraw its troops.", "AGREE"),
    ("The rebels said they would attack the capital.", "THREATEN"),
    ("The government said it would not release the detainees.", "REJECT"),
    ("The army will withdraw unless the rebels disarm.", "THREATEN"),
])
def test_stated_intentions_are_promises_threats_or_refusals(parse: Parse, text: str, etype: str) -> None:
    events, _ = _events(parse, text)
    assert events[0].type == etype and events[0].rule.startswith(f"intent:{etype}<-")


def test_weapons_found_by_the_authorities_are_a_seizure(parse: Parse) -> None:
    events, _ = _events(parse, "Police found a cache of explosives near the border.")
    assert [(e.type, e.mode) for e in events] == [("COERCE", ["seize"])]


def test_event_in_a_background_clause_ranks_below_the_reported_one(parse: Parse) -> None:
    events, _ = _events(parse, "Thousands protested in the city, where two people were killed last year.")
    protest = next(e for e in events if e.type == "PROTEST")
    assault = next(e for e in events if e.type == "ASSAULT")
    assert protest.confidence > assault.confidence


def test_same_attack_retold_later_is_one_event_with_several_evidence_spans(parse: Parse) -> None:
    text = ("Boko Haram fighters killed 12 villagers near Maiduguri on Sunday. The army said "
            "reinforcements arrived too late. Residents said Boko Haram fighters killed 12 people "
            "before dawn.")
    events, _ = _events(parse, text, ("Boko Haram", "army"))
    assault = [e for e in events if e.type == "ASSAULT"]
    assert len(assault) == 1
    assert [text[slice(*ev.trigger.span)] for ev in assault[0].evidence] == ["killed", "killed"]
    assert assault[0].size.killed == 12


def test_a_stated_intention_is_not_merged_into_an_earlier_agreement(parse: Parse) -> None:
    text = ("Iran agreed with the European Union to limit enrichment. The European Union said "
            "sanctions on Iran will be lifted next year.")
    events, _ = _events(parse, text, ("Iran", "European Union"))
    agree = [e for e in events if e.type == "AGREE"]
    assert [[text[slice(*ev.trigger.span)] for ev in e.evidence] for e in agree] == [["agreed"], ["lifted"]]
    assert agree[1].rule.startswith("intent:")


def test_two_attacks_by_different_actors_stay_two_events(parse: Parse) -> None:
    text = "Boko Haram fighters killed 12 villagers on Sunday. Separately, bandits killed 3 farmers."
    events, _ = _events(parse, text, ("Boko Haram", "bandits"))
    assert len([e for e in events if e.type == "ASSAULT"]) == 2


def test_a_rising_death_toll_updates_the_first_figure(parse: Parse) -> None:
    events, _ = _events(parse, "Gunmen killed 12 people in the market attack. The death toll later rose to 30.")
    assert [e.size.killed for e in events if e.type == "ASSAULT"] == [30]


def test_a_later_smaller_figure_is_a_sub_count_and_does_not_replace_the_total(parse: Parse) -> None:
    events, _ = _events(parse, "Gunmen killed 12 people, among them 3 children killed in the market.")
    assert events[0].size.killed == 12


@pytest.mark.parametrize("text", [
    "An earthquake killed 300 people in Nepal.",
    "Twelve people were killed in a plane crash on Sunday.",
    "A gas cylinder explosion killed eight people at a market.",
    "The soldier accidentally shot his colleague.",
    "Hundreds were killed after a strong earthquake rocked the island.",
    "Nineteen people were killed when their bus plunged off a bridge.",
    "A tsunami slammed into the beaches on Saturday.",
])
def test_harm_from_a_hazard_or_an_accident_is_no_event(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert events == []


def test_bomb_explosion_and_gas_attack_stay_assaults(parse: Parse) -> None:
    for text in ("A bomb explosion killed eight people.", "A gas attack killed 80 people."):
        events, _ = _events(parse, text)
        assert [e.type for e in events] == ["ASSAULT"]


@pytest.mark.parametrize("text, mode", [
    ("Police fired 64 rounds in the air to scare away the mob.", "firearms"),
    ("Three people were injured in police firing on Tuesday.", "firearms"),
    ("Police burst teargas shells to quell the mob.", "crowd-control"),
    ("Police lathi-charged the protesters outside the office.", "crowd-control"),
])
def test_police_fire_and_crowd_control_wordings_are_assaults(parse: Parse, text: str, mode: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == ["ASSAULT"] and mode in events[0].mode


def test_dismissing_an_employee_is_not_gunfire(parse: Parse) -> None:
    events, _ = _events(parse, "The firm fired its chief executive on Monday.")
    assert events == []


@pytest.mark.parametrize("text, etype, mode", [
    ("Turkish forces have set up a new observation post in Idlib.", "MOBILIZE", "troops"),
    ("Police said the pistols were discovered during a search of the bus.", "COERCE", "seize"),
    ("Two caches containing weapons and ammunition were discovered by the army.", "COERCE", "seize"),
    ("The army destroyed 300 landmines along the border.", "COERCE", "seize"),
    ("North Korea expelled inspectors of the IAEA on Tuesday.", "SANCTION", "expel"),
    ("The government ordered the newspaper to suspend publication.", "COERCE", "censor"),
])
def test_a_verb_with_a_telling_object_is_coded_by_it(parse: Parse, text: str, etype: str, mode: str) -> None:
    events, _ = _events(parse, text)
    assert [(e.type, mode in e.mode) for e in events] == [(etype, True)]


@pytest.mark.parametrize("text", ["Police found the body of a woman near the river.",
                                  "Gunmen destroyed homes in the village."])
def test_the_same_verbs_without_such_an_object_are_not_seizures(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert "COERCE" not in [e.type for e in events]


def test_preparing_to_attack_is_mobilization_not_a_threat(parse: Parse) -> None:
    events, _ = _events(parse, "The army prepared to resume shelling the rebel-held town.")
    assert [(e.type, e.mode) for e in events] == [("MOBILIZE", ["alert"])]


def test_armed_forces_occupying_ground_seize_territory_but_students_sit_in(parse: Parse) -> None:
    troops, _ = _events(parse, "Government troops occupied three hill posts of the rebels.")
    students, _ = _events(parse, "Students occupied the university building.")
    assert [(e.type, e.context) for e in troops] == [("COERCE", ["military", "territory"])]
    assert [e.type for e in students] == ["PROTEST"]


@pytest.mark.parametrize("text", ["Iraqi forces freed several villages from the Islamic State.",
                                  "Syrian troops captured a key neighborhood in the countryside.",
                                  "The army regained territory around the town."])
def test_ground_taken_is_a_seizure_of_territory(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert [(e.type, "territory" in e.context) for e in events] == [("COERCE", True)]


def test_freeing_people_stays_a_release(parse: Parse) -> None:
    events, _ = _events(parse, "Police freed the hostages on Sunday.")
    assert [e.type for e in events] == ["RETREAT"]


@pytest.mark.parametrize("text", ["Demonstrators gathered outside the embassy on Thursday.",
                                  "Protesters poured into the streets across the country.",
                                  "Thousands took to the streets of Minsk."])
def test_crowds_of_protesters_gathering_are_a_protest(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == ["PROTEST"]


def test_other_gatherings_are_no_event(parse: Parse) -> None:
    events, _ = _events(parse, "Relatives gathered at the hospital.")
    assert events == []


@pytest.mark.parametrize("text", [
    "Ten aircraft dropped 20 bombs in the raid on Sunday evening.",
    "Warplanes raided the rebel town overnight.",
    "Bombs were dropped on the market during a raid by government forces.",
])
def test_a_raid_by_aircraft_or_dropping_bombs_is_an_air_raid(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    raid = next(e for e in events if "raid" in e.evidence[0].trigger.text)
    assert (raid.type, raid.mode) == ("ASSAULT", ["aerial"])
    assert raid.rule.startswith("air-raid:ASSAULT<-")


@pytest.mark.parametrize("text", [
    "Police raided a flat in Leeds on Monday.",
    "Police found two bombs in a raid on a flat in Leeds.",
    "Police seized a plane in a raid on a hangar.",
    "Police raided the airport, where a jet was parked.",
])
def test_a_raid_on_the_ground_stays_a_raid(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == ["COERCE"] and "raid" in events[0].mode


def test_the_strikes_after_air_strikes_are_the_air_strikes_not_a_labour_strike(parse: Parse) -> None:
    events, _ = _events(parse, "French jets carried out air strikes on Raqqa. The strikes were "
                               "coordinated with US forces. Activists said the strikes had hit "
                               "several sites.")
    assert [e.type for e in events] == ["ASSAULT"]
    assert [ev.trigger.text for ev in events[0].evidence] == ["air strikes", "strikes", "strikes"]


def test_the_strike_after_a_labour_strike_stays_a_labour_strike(parse: Parse) -> None:
    events, _ = _events(parse, "Dock workers went on strike in Antwerp. The strike closed the port.")
    assert [e.type for e in events] == ["PROTEST"]


def test_a_conjunct_named_by_its_role_in_a_side_brings_that_side(parse: Parse) -> None:
    events, names = _events(parse, "Colombian President Juan Manuel Santos and the leader of the "
                                   "Farc rebel group, Rodrigo Londoño, signed a peace agreement.")
    assert [names[a] for a in events[0].actors] == ["Juan Manuel Santos", "Farc", "Rodrigo Londoño"]


@pytest.mark.parametrize("text, actors", [
    ("Juan Manuel Santos and the leader of the Farc met in Bogotá.", ["Juan Manuel Santos", "Farc"]),
    # a critic of a side is not on it
    ("Juan Manuel Santos and a critic of the Farc met in Bogotá.", ["Juan Manuel Santos"]),
])
def test_only_an_office_or_part_of_a_side_acts_for_it(parse: Parse, text: str,
                                                       actors: list[str]) -> None:
    events, names = _events(parse, text)
    assert [names[a] for a in events[0].actors] == actors


@pytest.mark.parametrize("text", [
    "Unions called a general strike.",
    "The union called a strike for Monday.",
    "Opposition parties called a protest in the capital.",
])
def test_calling_a_strike_or_protest_is_a_protest_event(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == ["PROTEST"]


@pytest.mark.parametrize("text", [
    "The president called the attack cowardly.",
    "The minister called the bombing an act of terror.",
    "They called the strike illegal.",
])
def test_calling_a_known_event_something_is_a_judgement_not_an_event(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert events == []


@pytest.mark.parametrize("text", [
    "Unions called for a general strike on Friday.",
    "Protesters called for a fifth weekend of demonstrations on Saturday.",
])
def test_call_for_takes_its_object_after_for_even_one_holding_a_date(parse: Parse, text: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events][:1] == ["REQUEST"]


@pytest.mark.parametrize(("text", "etype"), [
    ("Trump and Kim pledged to work towards denuclearisation.", "AGREE"),
    ("Donors pledged $4.4 billion for Syrian refugees.", "AID"),
])
def test_a_pledge_of_an_action_is_a_commitment_and_of_money_is_aid(parse: Parse, text: str, etype: str) -> None:
    events, _ = _events(parse, text)
    assert [e.type for e in events] == [etype]
