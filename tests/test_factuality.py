"""Factuality: threats, claims, denials, negations and conditionals are not coded as facts."""

from collections import Counter
from pathlib import Path

import pytest

from polybius.evaluate.factuality_challenge import load_items, score
from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.factuality import assign_factuality
from polybius.extract.quotes import extract_quotes
from polybius.model import FACTUALITY, Event, Evidence, Trigger
from polybius.pipeline import Pipeline


def status_of(parse, text: str, trigger: str, type_: str = "ASSAULT"):
    """Factuality of a hand-made event whose trigger is the first occurrence of ``trigger``."""
    doc = parse(text)
    start = text.index(trigger)
    event = Event(id="e1", type=type_, evidence=[Evidence(span=(0, len(text)),
                                                          trigger=Trigger(trigger, (start, start + len(trigger))))])
    actors = extract_actors(doc, Context())
    quotes = extract_quotes(doc, Context(), actors)
    assign_factuality(doc, Context(), [event], quotes, actors)
    names = {a.id: a.name for a in actors}
    return event.factuality, [names[i] for i in event.factuality.attributed_to]


def test_plain_report_is_asserted(parse):
    fact, _ = status_of(parse, "Gunmen attacked a police station in Idlib on Monday.", "attacked")
    assert (fact.status, fact.cue) == ("asserted", None)


def test_negation_is_negated_with_its_cue(parse):
    fact, _ = status_of(parse, "The army did not attack the village.", "attack")
    assert (fact.status, fact.cue) == ("negated", "not")


def test_threatened_action_is_future(parse):
    fact, who = status_of(parse, "North Korea threatened to strike Guam.", "strike")
    assert (fact.status, fact.cue) == ("future", "threatened")
    assert who == ["North Korea"]


def test_will_is_future(parse):
    fact, _ = status_of(parse, "Protesters will march through the capital on Saturday.", "march", "PROTEST")
    assert fact.status == "future"


@pytest.mark.parametrize("text, trigger, cue", [
    ("The group could strike again within days.", "strike", "could"),
    ("If talks fail, the army would attack the town.", "attack", "If"),  # the conditional decides
])
def test_modal_and_conditional_are_hypothetical(parse, text, trigger, cue):
    fact, _ = status_of(parse, text, trigger)
    assert (fact.status, fact.cue) == ("hypothetical", cue)


def test_claim_of_responsibility_is_claimed_by_the_group(parse):
    fact, who = status_of(parse, "Islamic State claimed responsibility for the attack in Trappes.", "attack")
    assert fact.status == "claimed"
    assert who == ["Islamic State"]


def test_purported_recording_makes_the_report_a_claim(parse):
    fact, _ = status_of(parse, "In a purported audio recording, the leader said fighters had attacked the base.",
                        "attacked")
    assert (fact.status, fact.cue) == ("claimed", "purported")


def test_denial_is_denied_and_attributed_to_the_denier(parse):
    fact, who = status_of(parse, "Russia denied poisoning the former spy.", "poisoning")
    assert fact.status == "denied"
    assert who == ["Russia"]


def test_attributed_speech_is_reported_by_the_speaker(parse):
    fact, who = status_of(parse, "Police said two men had attacked the mosque.", "attacked")
    assert (fact.status, fact.cue) == ("reported", "said")
    assert who == ["police"]  # the normalised name of the generic agent


def test_claim_contradicted_by_another_source_is_disputed(parse):
    text = ("Islamic State claimed responsibility for the stabbing. "
            "The prosecutor said there was no evidence of a link to the group.")
    fact, who = status_of(parse, text, "stabbing")
    assert fact.status == "disputed"
    assert "Islamic State" in who
    assert "no evidence" in fact.note


def test_event_in_an_adverbial_clause_of_a_denial_is_not_denied(parse):
    fact, _ = status_of(parse, "Russia denied on Monday that it had poisoned a former spy, after Britain "
                               "expelled 23 Russian diplomats.", "expelled", "SANCTION")
    # The parser puts the "after" clause inside the reported clause, so "reported" is what is left.
    assert fact.status in ("asserted", "reported")


def test_nested_speech_keeps_the_chain_of_sources(parse):
    fact, who = status_of(parse, "Afghan officials said the Taliban claimed that its fighters attacked the convoy.",
                          "attacked")
    assert (fact.status, fact.cue) == ("claimed", "claimed")
    assert who[0] == "Taliban" and len(who) == 2
    assert fact.note.startswith("according to: Taliban (claimed) <")


def test_a_dispute_about_another_claim_does_not_touch_this_one(parse):
    text = ("The rebels claimed they shot down a helicopter near the dam. "
            "Separately, the army reported heavy fighting in the north. "
            "Residents described long queues for bread in the capital. "
            "In another case, officials said there was no evidence for a second group's claim about a bombing.")
    fact, _ = status_of(parse, text, "shot")
    assert fact.status == "claimed"


def test_accusation_about_who_did_it_keeps_the_event_and_notes_the_claim(parse):
    fact, who = status_of(parse, "Britain accused the Russian state of being behind the attack on the former spy.",
                          "attack")
    assert fact.status in ("asserted", "reported")
    assert "accused" in fact.note and who == ["Britain"]


@pytest.mark.parametrize("text, trigger, status", [
    ("The ministry said troops would withdraw from the town.", "withdraw", "future"),
    ("A crackdown would be a serious mistake.", "crackdown", "hypothetical"),
    ("If talks fail, the army will attack the town.", "attack", "hypothetical"),
    ("The rebels threatened to bomb the dam if the offensive continued.", "bomb", "future"),
])
def test_would_will_and_if(parse, text, trigger, status):
    fact, _ = status_of(parse, text, trigger)
    assert fact.status == status


def test_a_negated_predicate_does_not_negate_its_subject_event(parse):
    fact, _ = status_of(parse, "The coalition admitted that the air strike was not justified.", "strike")
    assert fact.status != "negated"


def test_negative_subject_negates_the_event(parse):
    fact, _ = status_of(parse, "Nobody was injured in the fire.", "injured", "ASSAULT")
    assert (fact.status, fact.cue) == ("negated", "Nobody")


def test_suspended_exercise_did_not_happen(parse):
    fact, _ = status_of(parse, "The two armies suspended a joint exercise planned for August.", "exercise", "MOBILIZE")
    assert (fact.status, fact.cue) == ("negated", "suspended")


def test_event_in_a_relative_clause_is_not_a_plan(parse):
    fact, _ = status_of(parse, "Investigators are examining the phone of the man who killed two women.", "killed")
    assert fact.status == "asserted"


def test_armed_group_reporting_its_own_action_is_a_claim(parse):
    fact, _ = status_of(parse, "The rebels said their fighters destroyed three tanks.", "destroyed")
    assert fact.status == "claimed"


def test_police_reporting_an_arrest_is_a_report(parse):
    fact, _ = status_of(parse, "Police said they had arrested three men.", "arrested", "COERCE")
    assert fact.status == "reported"


def test_malformed_cue_list_names_the_key(monkeypatch):
    from polybius.errors import ResourceError
    from polybius.extract import factuality

    monkeypatch.setattr(factuality, "load_yaml", lambda name: {"negations": [True]})
    with pytest.raises(ResourceError, match="negations"):
        factuality.factuality_cues.__wrapped__()


# --- the challenge set and the sample corpus ----------------------------------------------------

CHALLENGE = Path(__file__).parent / "data" / "factuality_challenge.yaml"


def test_challenge_set_is_large_and_balanced():
    items = load_items(CHALLENGE)
    counts = Counter(i.status for i in items)
    assert len(items) >= 200 and set(counts) == set(FACTUALITY)
    assert max(counts.values()) - min(counts.values()) <= 2


def test_challenge_set_macro_f1_stays_above_its_floor():
    from polybius import nlp

    report = score(load_items(CHALLENGE), lambda texts: list(nlp.parse_many(texts)))
    assert report.metrics["macro_f1"] >= 0.95, report.render()


def test_no_false_facts_on_the_sample_corpus():
    from polybius.evaluate import false_facts
    from polybius.pipeline import Pipeline

    report = false_facts.evaluate(Pipeline())
    assert report.metrics["false_fact_rate"] == 0.0, report.render()
    assert report.metrics["coverage"] >= 0.9, report.render()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _notes(pipeline: Pipeline, text: str) -> list[str | None]:
    return [e.factuality.note for e in pipeline.extract(text).events if e.size.killed is not None]


def test_sources_giving_different_death_tolls_are_recorded_in_the_note(pipeline: Pipeline) -> None:
    notes = _notes(pipeline, "Gunmen attacked a market in Maiduguri on Sunday. Police said 26 people "
                             "were killed in the attack. Hospital officials said the death toll had "
                             "risen to 30.")
    assert notes == ["killed: 26 according to Nigerian police vs 30 according to Nigerian hospital officials"]


def test_an_updated_toll_from_the_same_source_is_not_a_disagreement(pipeline: Pipeline) -> None:
    notes = _notes(pipeline, "Police said 26 people were killed in the attack on Sunday. Police said "
                             "on Monday that the death toll had risen to 30.")
    assert notes == [None]


def test_an_unsourced_toll_update_is_not_a_disagreement(pipeline: Pipeline) -> None:
    assert _notes(pipeline, "Gunmen killed 12 people in Maiduguri on Sunday. The death toll later "
                            "rose to 30.") == [None]


def test_a_called_strike_has_not_happened_yet(parse) -> None:
    factuality, _ = status_of(parse, "Unions called a general strike for Monday.", "strike", "PROTEST")
    assert factuality.status == "future"
