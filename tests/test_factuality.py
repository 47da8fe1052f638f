"""Factuality: threats, claims, denials, negations and conditionals are not coded as facts."""

import pytest

from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.factuality import assign_factuality
from polybius.extract.quotes import extract_quotes
from polybius.model import Event, Evidence, Trigger


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
    ("If talks fail, the army would attack the town.", "attack", "would"),
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
    assert who == ["Police"]


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
