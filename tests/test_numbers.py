"""Counts and money: value, kind, lower bound, role and span of each number."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from polybius.extract import Context
from polybius.extract.numbers import Number, extract_numbers
from polybius.resources.plover import lexicon

Parse = Callable[[str], Doc]


def _numbers(parse: Parse, text: str) -> list[Number]:
    doc = parse(text)
    found = extract_numbers(doc, Context())
    for n in found:
        assert doc.text[n.span[0]:n.span[1]] == n.text
    return found


def _one(parse: Parse, text: str, kind: str) -> Number:
    hits = [n for n in _numbers(parse, text) if n.kind == kind]
    assert len(hits) == 1, _numbers(parse, text)
    return hits[0]


def test_word_number_with_dead_counts_killed(parse: Parse) -> None:
    n = _one(parse, "Two people dead after the blast.", "killed")
    assert n.value == 2 and not n.lower_bound and n.role == "victims"


def test_at_least_marks_lower_bound_and_is_in_the_span(parse: Parse) -> None:
    n = _one(parse, "At least 12 were killed in the attack.", "killed")
    assert n.value == 12 and n.lower_bound and n.text == "At least 12"


def test_dozens_wounded_is_a_lower_bound_injury_count(parse: Parse) -> None:
    n = _one(parse, "At least 12 were killed and dozens wounded in an airstrike.", "injured")
    assert n.text == "dozens" and n.lower_bound and n.value >= 12


def test_death_toll_rising_to_counts_killed(parse: Parse) -> None:
    assert _one(parse, "A death toll rising to 30 was reported.", "killed").value == 30


def test_assailants_shot_dead_are_perpetrators(parse: Parse) -> None:
    n = _one(parse, "Four of the assailants were shot dead by police.", "killed")
    doc = parse("Four of the assailants were shot dead by police.")
    assert n.value == 4 and n.role == "perpetrators" and doc[n.head].text == "assailants"


def test_arrest_count_from_passive_verb(parse: Parse) -> None:
    n = _one(parse, "Three men were arrested.", "arrested")
    assert n.value == 3 and n.role is None


def test_detained_protesters_are_arrests_not_a_crowd(parse: Parse) -> None:
    n = _one(parse, "More than 200 protesters were detained.", "arrested")
    assert n.value == 200 and n.lower_bound


def test_crowd_of_protesters(parse: Parse) -> None:
    assert _one(parse, "Thousands of protesters rallied in the capital.", "crowd").lower_bound


def test_subject_of_active_kill_is_not_counted_as_killed(parse: Parse) -> None:
    killed = [n for n in _numbers(parse, "Two suicide bombers killed 18 people.") if n.kind == "killed"]
    assert [n.value for n in killed] == [18]


def test_hyphenated_dollar_millions(parse: Parse) -> None:
    n = _one(parse, "The EU pledged $100-million in aid.", "money_usd")
    assert n.value == 100_000_000 and n.currency == "USD" and n.text == "$100-million"


def test_million_dollars_written_after_the_number(parse: Parse) -> None:
    assert _one(parse, "Japan gave 100 million dollars.", "money_usd").value == 100_000_000


def test_euros_are_converted_at_the_fixed_rate_and_the_rule_says_so(parse: Parse) -> None:
    n = _one(parse, "Germany gave €5m to the fund.", "money_usd")
    rate = lexicon().numbers.currencies["eur"].rate
    assert n.value == pytest.approx(5_000_000 * rate)
    assert n.currency == "EUR" and "fixed rate" in n.rule


def test_dates_are_not_counts(parse: Parse) -> None:
    assert all(n.text != "2019" for n in _numbers(parse, "Two men were arrested in 2019."))


def test_compound_word_number(parse: Parse) -> None:
    assert _one(parse, "Twenty-five people were injured.", "injured").value == 25


@pytest.mark.parametrize(("text", "thing", "victims", "kind"), [
    ("Gunmen killed three people in two villages on Sunday.", "two", "three", "killed"),
    ("Five soldiers were wounded in two separate attacks.", "two", "Five", "injured"),
    ("Police arrested 12 people at three locations.", "three", "12", "arrested"),
    ("The blast killed 14 people and damaged 30 homes.", "30", "14", "killed"),
    ("Shelling of two hospitals killed nine patients.", "two", "nine", "killed"),
])
def test_count_of_places_or_things_is_not_a_casualty_or_arrest(
        parse: Parse, text: str, thing: str, victims: str, kind: str) -> None:
    by_text = {n.text: n for n in _numbers(parse, text)}
    assert by_text[thing].kind == "other"
    assert by_text[victims].kind == kind


@pytest.mark.parametrize(("text", "number", "kind"), [
    ("The deaths of 12 people were confirmed.", "12", "killed"),
    ("Rebels fired on a convoy, wounding 8 of them.", "8", "injured"),
    ("An explosion killed at least 20 people, including six children.", "six", "killed"),
])
def test_counted_people_after_of_or_including_keep_their_kind(
        parse: Parse, text: str, number: str, kind: str) -> None:
    assert {n.text: n.kind for n in _numbers(parse, text)}[number] == kind


def test_number_words_tagged_as_a_name_after_a_headline_are_one_count(parse: Parse) -> None:
    # the parser runs the headline into the lead and tags "Forty" PROPN there
    found = _numbers(parse, "Mosque attacks: 49 killed in Christchurch\n\nForty-nine people were killed.")
    assert [(n.text, n.value, n.kind) for n in found] == [("49", 49, "killed"), ("Forty-nine", 49, "killed")]
