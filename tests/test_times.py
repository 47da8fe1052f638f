"""Temporal expressions, TIMEX values, value ranges and event dating (publication: Thu 2018-08-23)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from polybius.extract import Context
from polybius.extract.times import date_events, extract_times
from polybius.extract.timex import value_range
from polybius.model import Event, Evidence, Time, Trigger

PUBLISHED = date(2018, 8, 23)  # a Thursday
CTX = Context(published=PUBLISHED)

Parse = Callable[[str], Doc]


def times_of(parse: Parse, text: str, ctx: Context = CTX) -> list[Time]:
    doc = parse(text)
    times = extract_times(doc, ctx)
    for time in times:
        assert time.text == doc.text[time.span[0]:time.span[1]]
        assert time.value
    assert [t.id for t in times] == [f"t{i}" for i in range(1, len(times) + 1)]
    return times


def only(parse: Parse, text: str, expression: str, ctx: Context = CTX) -> Time:
    """The Time whose text is ``expression``."""
    found = [t for t in times_of(parse, text, ctx) if t.text == expression]
    assert len(found) == 1, [t.text for t in times_of(parse, text, ctx)]
    return found[0]


@pytest.mark.parametrize("text, expression, value", [
    ("Gunmen attacked the village on Monday.", "Monday", "2018-08-20"),
    ("Gunmen attacked the village Monday.", "Monday", "2018-08-20"),
    ("Protesters clashed with police late on Saturday.", "late on Saturday", "2018-08-18"),
    ("He left yesterday.", "yesterday", "2018-08-22"),
    ("The talks end today.", "today", "2018-08-23"),
    ("Rebels shelled the town overnight.", "overnight", "2018-08-23"),
    ("Police arrested two men last week.", "last week", "2018-W33"),
    ("Prices fell last month.", "last month", "2018-07"),
    ("The talks began earlier this month.", "earlier this month", "2018-08"),
    ("Exports rose this year.", "this year", "2018"),
    ("Exports rose last year.", "last year", "2017"),
    ("A bomb exploded two days ago.", "two days ago", "2018-08-21"),
    ("The army withdrew three weeks ago.", "three weeks ago", "2018-W31"),
    ("He was arrested on 23 August.", "23 August", "2018-08-23"),
    ("He was released on August 23, 2018.", "August 23, 2018", "2018-08-23"),
    ("He was released on 22/08/2018.", "22/08/2018", "2018-08-22"),
    ("The group was founded in 2014.", "2014", "2014"),
    ("The group was founded in the 1990s.", "the 1990s", "199"),
    ("Prices have risen since September last year.", "September last year", "2017-09"),
    ("Troops stayed for three days.", "three days", "P3D"),
    ("Troops stayed for two weeks.", "two weeks", "P2W"),
    ("Protesters gather every Friday.", "every Friday", "XXXX-WXX-5"),
    ("The town is calm now.", "now", "PRESENT_REF"),
])
def test_expression_is_found_with_its_value(parse: Parse, text: str, expression: str,
                                            value: str) -> None:
    assert only(parse, text, expression).value == value


def test_weekday_in_past_tense_resolves_to_previous_day(parse: Parse) -> None:
    time = only(parse, "Gunmen attacked the village on Wednesday.", "Wednesday")
    assert (time.value, time.anchor, time.rule) == ("2018-08-22", "published", "weekday:past-tense")


def test_weekday_equal_to_publication_day_is_that_day_not_a_week_earlier(parse: Parse) -> None:
    assert only(parse, "Police said on Thursday that two men were held.",
                "Thursday").value == "2018-08-23"


def test_weekday_in_future_tense_resolves_forward(parse: Parse) -> None:
    assert only(parse, "He will meet the president on Monday.", "Monday").value == "2018-08-27"


def test_weekday_night_is_a_time_with_part_of_day(parse: Parse) -> None:
    time = only(parse, "Militants attacked the base on Monday night.", "Monday night")
    assert (time.type, time.value) == ("TIME", "2018-08-20TNI")


def test_month_follows_tense(parse: Parse) -> None:
    assert only(parse, "The election was held in May.", "May").value == "2018-05"
    assert only(parse, "The election will be held in May.", "May").value == "2019-05"


def test_modal_may_and_verb_march_are_not_dates(parse: Parse) -> None:
    assert times_of(parse, "It may rain and they march on the capital.") == []


def test_ambiguous_numeric_date_keeps_only_the_year(parse: Parse) -> None:
    assert only(parse, "It happened on 03/04/2018.", "03/04/2018").value == "2018"


def test_age_is_not_a_duration(parse: Parse) -> None:
    assert times_of(parse, "The 23-year-old man was arrested.") == []


def test_previous_day_is_anchored_on_the_previous_date_mention(parse: Parse) -> None:
    times = times_of(parse, "The army withdrew on 20 August. The previous day, rebels shelled "
                            "the town. A day earlier, they had fled.")
    assert [(t.text, t.value, t.anchor) for t in times] == [
        ("20 August", "2018-08-20", "published"),
        ("The previous day", "2018-08-19", "t1"),
        ("A day earlier", "2018-08-18", "t2"),
    ]


def test_absolute_date_has_no_anchor(parse: Parse) -> None:
    time = only(parse, "He was released August 23, 2018.", "August 23, 2018")
    assert time.anchor is None and time.rule.startswith("absolute:")


def test_without_publication_date_relative_values_stay_unresolved(parse: Parse) -> None:
    ctx = Context(published=None)
    assert only(parse, "Gunmen attacked the village on Wednesday.", "Wednesday",
                ctx).value == "XXXX-WXX-3"
    assert only(parse, "He was arrested on 22 August.", "22 August", ctx).value == "XXXX-08-22"


@pytest.mark.parametrize("value, expected", [
    ("2018-08-22", (date(2018, 8, 22), date(2018, 8, 22), "day")),
    ("2018-08-20TNI", (date(2018, 8, 20), date(2018, 8, 20), "day")),
    ("2018-W33", (date(2018, 8, 13), date(2018, 8, 19), "week")),
    ("2018-05", (date(2018, 5, 1), date(2018, 5, 31), "month")),
    ("2016-02", (date(2016, 2, 1), date(2016, 2, 29), "month")),
    ("2014", (date(2014, 1, 1), date(2014, 12, 31), "year")),
    ("199", (date(1990, 1, 1), date(1999, 12, 31), "year")),
    ("XXXX-08-22", (None, None, "unknown")),
    ("PRESENT_REF", (None, None, "unknown")),
    ("P3D", (None, None, "unknown")),
    ("2018-02-30", (None, None, "unknown")),
])
def test_value_range(value: str, expected: tuple[date | None, date | None, str]) -> None:
    assert value_range(value) == expected


def dated(parse: Parse, text: str, trigger: str, ctx: Context = CTX) -> Event:
    doc = parse(text)
    start = text.index(trigger)
    event = Event(id="e1", type="ASSAULT", evidence=[
        Evidence(span=(0, len(text)), trigger=Trigger(trigger, (start, start + len(trigger))))])
    date_events(doc, ctx, [event], extract_times(doc, ctx))
    return event


def retold(parse: Parse, text: str, first: str, later: str) -> Event:
    """An event whose first mention is ``first`` and whose second (merged) mention is ``later``."""
    doc = parse(text)
    spans = [(text.index(w), text.index(w) + len(w)) for w in (first, later)]
    event = Event(id="e1", type="ASSAULT", evidence=[
        Evidence(span=(0, len(text)), trigger=Trigger(text[s:e], (s, e))) for s, e in spans])
    date_events(doc, CTX, [event], extract_times(doc, CTX))
    return event


def test_an_undated_event_takes_the_date_on_a_later_mention_of_it(parse: Parse) -> None:
    event = retold(parse, "Warplanes carried out air strikes on the city, the ministry said. "
                          "Ten aircraft dropped 20 bombs in the raid on Sunday evening.",
                   "air strikes", "raid")
    assert (event.date.start, event.date.basis, event.date.time, event.date.confidence) == (
        "2018-08-19", "relative", "t1", 0.55)


def test_a_later_mention_dated_only_through_another_verb_leaves_the_fallback(parse: Parse) -> None:
    # Monday dates the condemnation, not the attack
    event = retold(parse, "Gunmen attacked a bus in the north. The attack was condemned by the "
                          "president on Monday.", "attacked", "attack")
    assert event.date.basis == "publication"


def test_event_takes_the_date_that_modifies_its_trigger(parse: Parse) -> None:
    event = dated(parse, "Gunmen attacked a village on Wednesday, police said on Friday.",
                  "attacked")
    assert (event.date.start, event.date.end, event.date.precision, event.date.basis,
            event.date.time) == ("2018-08-22", "2018-08-22", "day", "relative", "t1")


def test_embedded_event_ignores_the_date_of_the_saying(parse: Parse) -> None:
    event = dated(parse, "The minister said on Friday that militants had attacked the base "
                         "on Monday.", "attacked")
    assert (event.date.start, event.date.time) == ("2018-08-20", "t2")


def test_event_date_from_absolute_expression_is_explicit(parse: Parse) -> None:
    event = dated(parse, "Militants attacked the base on 20 August 2018.", "attacked")
    assert (event.date.start, event.date.basis) == ("2018-08-20", "explicit")


def test_month_dates_an_event_with_month_precision(parse: Parse) -> None:
    event = dated(parse, "Protesters marched in May, killing three.", "killing")
    assert (event.date.start, event.date.end, event.date.precision) == (
        "2018-05-01", "2018-05-31", "month")


def test_date_of_another_clause_is_not_used(parse: Parse) -> None:
    event = dated(parse, "After talks collapsed on Monday, rebels shelled the town.", "shelled")
    assert event.date.basis == "publication"


def test_undated_event_falls_back_to_publication_visibly(parse: Parse) -> None:
    event = dated(parse, "Rebels shelled the town.", "shelled")
    assert (event.date.start, event.date.precision, event.date.basis, event.date.time) == (
        "2018-08-23", "day", "publication", None)


def test_duration_does_not_date_an_event(parse: Parse) -> None:
    event = dated(parse, "Rebels shelled the town for three days.", "shelled")
    assert event.date.basis == "publication"


def test_without_any_date_the_event_date_is_unknown(parse: Parse) -> None:
    event = dated(parse, "Rebels shelled the town.", "shelled", Context(published=None))
    assert (event.date.start, event.date.end, event.date.precision, event.date.basis) == (
        None, None, "unknown", "publication")


def test_day_month_a_few_days_ahead_keeps_the_publication_year(parse: Parse) -> None:
    ctx = Context(published=date(2000, 1, 5))
    assert only(parse, "He said the deadline was Jan. 14.", "Jan. 14", ctx).value == "2000-01-14"


def test_possessive_weekday_is_in_the_past(parse: Parse) -> None:
    assert only(parse, "They will appeal Wednesday's ruling.", "Wednesday").value == "2018-08-22"


def test_frequency_adverb_is_a_set(parse: Parse) -> None:
    time = only(parse, "Supporters rally daily outside the court.", "daily")
    assert (time.type, time.value) == ("SET", "P1D")


# --- narrative anchoring ---------------------------------------------------------------------

def test_ago_in_reported_speech_counts_from_the_time_of_the_saying(parse: Parse) -> None:
    text = ("In a video released on Wednesday, the group said it carried out the attacks "
            "two days ago.")
    time = only(parse, text, "two days ago")
    assert (time.value, time.anchor, time.rule) == (
        "2018-08-20", "t1", "relative:N-units-ago:speech-time")


def test_yesterday_in_a_quote_counts_from_the_day_it_was_said(parse: Parse) -> None:
    assert only(parse, '"We struck their camp yesterday," the commander said on Monday.',
                "yesterday").value == "2018-08-19"


def test_a_date_in_an_earlier_adverbial_clause_is_not_the_time_of_saying(parse: Parse) -> None:
    assert only(parse, "After talks collapsed on Monday, the rebels said they had attacked the "
                       "town two days ago.", "two days ago").anchor == "published"


def test_offset_from_a_named_event_uses_that_events_date(parse: Parse) -> None:
    time = only(parse, "An audio message was released on Monday. One day after the release of "
                       "the audio, gunmen attacked the town.", "One day after the release")
    assert (time.type, time.value, time.anchor) == ("DATE", "2018-08-21", "t1")


def test_offset_from_an_undated_event_is_only_a_duration(parse: Parse) -> None:
    time = only(parse, "A week after the vote, the president dissolved parliament.",
                "A week after the vote")
    assert (time.type, time.value, time.anchor) == ("DURATION", "P1W", None)


def test_later_that_year_takes_the_year_of_the_previous_date(parse: Parse) -> None:
    assert only(parse, "He fled to Kenya in June 2015 and returned later that year.",
                "later that year").value == "2015"


def test_clock_time_with_weekday_is_one_expression(parse: Parse) -> None:
    time = only(parse, "The deadline expires at 9 a.m. Tuesday.", "9 a.m. Tuesday")
    assert (time.type, time.value) == ("TIME", "2018-08-28T09:00")


def test_clock_time_without_a_day_takes_the_story_s_latest_day(parse: Parse) -> None:
    times = times_of(parse, "The storm reached the coast on Monday. It struck the harbour at "
                            "10 p.m.")
    assert [(t.text, t.value, t.anchor) for t in times] == [
        ("Monday", "2018-08-20", "published"), ("10 p.m.", "2018-08-20T22:00", "t1")]


@pytest.mark.parametrize("text, expression, value", [
    ("A man was shot outside a bar on Thanksgiving.", "Thanksgiving", "2017-11-23"),
    ("A bomb exploded near a church on Christmas Day.", "Christmas Day", "2017-12-25"),
    ("The group will march on Christmas Day.", "Christmas Day", "2018-12-25"),
    ("Pilgrims gathered at Easter 2019.", "Easter 2019", "2019-04-21"),
])
def test_holidays_are_dated_by_tense_and_year(parse: Parse, text: str, expression: str,
                                               value: str) -> None:
    assert only(parse, text, expression).value == value


def test_scheduled_event_in_a_past_sentence_looks_ahead(parse: Parse) -> None:
    assert only(parse, "The court has scheduled a hearing on Tuesday.", "Tuesday").value == (
        "2018-08-28")


def test_until_looks_ahead_but_not_with_a_pluperfect(parse: Parse) -> None:
    assert only(parse, "Officials postponed the vote until Tuesday.", "Tuesday").value == (
        "2018-08-28")
    assert only(parse, "Until Tuesday, they had not named a suspect.", "Tuesday").value == (
        "2018-08-21")


def test_preposition_is_not_part_of_the_expression(parse: Parse) -> None:
    assert [t.text for t in times_of(parse, "Troops stayed for three days in May.")] == [
        "three days", "May"]


def test_event_date_confidence_is_lowest_for_the_publication_fallback(parse: Parse) -> None:
    dated_event = dated(parse, "Militants attacked the base on 20 August 2018.", "attacked")
    fallback = dated(parse, "Rebels shelled the town.", "shelled")
    assert fallback.date.confidence is not None and dated_event.date.confidence is not None
    assert fallback.date.confidence < dated_event.date.confidence


# --- absurd input ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The meeting on February 30 was cancelled.",
    "It was signed on 30 February 2019.",
    "It will happen on 31 April.",
    "Prices rose in 20180.",
    "He arrived on the 45th.",
    "It happened on 45/13/2018.",
    "The deadline is 2018-13-45.",
    "Crowds gathered at 25:99 p.m.",
])
def test_impossible_dates_get_no_value_rather_than_a_wrong_one(parse: Parse, text: str) -> None:
    assert [(t.text, t.value) for t in times_of(parse, text)] == []


_DAY_WORDS = st.sampled_from(["February", "April", "June", "Sept.", "Dec", "March", "May"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=_DAY_WORDS, day=st.integers(min_value=0, max_value=99),
       year=st.one_of(st.none(), st.integers(min_value=0, max_value=99999)),
       order=st.booleans())
def test_any_day_month_year_gives_a_real_date_or_none(parse: Parse, month: str, day: int,
                                                       year: int | None, order: bool) -> None:
    phrase = f"{month} {day}" if order else f"{day} {month}"
    text = f"Troops left on {phrase}{f', {year}' if year is not None else ''}."
    for time in times_of(parse, text):  # never an exception, never an impossible calendar day
        start, _, precision = value_range(time.value)
        if precision == "day":
            assert start is not None and 1 <= start.day <= 31
            assert str(start.day) in text


def test_past_event_reported_by_a_dated_saying_may_be_a_day_older(parse: Parse) -> None:
    # CTX is published Friday 2018-08-24; "on Thursday" dates the saying, not the shelling
    event = dated(parse, "Twelve soldiers have been killed in the shelling of the base, the army "
                         "said on Thursday.", "killed")
    assert (event.date.start, event.date.end, event.date.precision) == (
        "2018-08-22", "2018-08-23", "day")
    assert event.date.confidence is not None and event.date.confidence <= 0.5


def test_event_in_a_clause_timed_against_the_saying_keeps_its_day(parse: Parse) -> None:
    event = dated(parse, "The governor said on Thursday that hope remained, as rescuers searched the "
                         "rubble.", "searched")
    assert (event.date.start, event.date.end) == ("2018-08-23", "2018-08-23")


def test_future_event_announced_on_a_day_is_not_pushed_back(parse: Parse) -> None:
    event = dated(parse, "The union said on Thursday that workers will strike.", "strike")
    assert event.date.start != "2018-08-22"


def test_event_with_its_own_day_ignores_the_saying_rule(parse: Parse) -> None:
    event = dated(parse, "Rebels attacked the convoy on Tuesday, officials said on Thursday.",
                  "attacked")
    assert (event.date.start, event.date.end) == ("2018-08-21", "2018-08-21")


def _vote_outcome(parse: Parse, text: str, trigger: str, context: list[str]) -> Event:
    doc = parse(text)
    start = text.index(trigger)
    event = Event(id="e1", type="REJECT", context=context, evidence=[
        Evidence(span=(0, len(text)), trigger=Trigger(trigger, (start, start + len(trigger))))])
    date_events(doc, CTX, [event], extract_times(doc, CTX))
    return event


def test_an_undated_vote_outcome_takes_the_date_the_article_gives_the_vote(parse: Parse) -> None:
    # CTX is published Thursday 2018-08-23: "Sunday's referendum" is Sunday 2018-08-19
    text = ("Voters have narrowly rejected the peace deal. With almost all ballots counted from "
            "Sunday's referendum, the No side had 50.2%.")
    event = _vote_outcome(parse, text, "rejected", ["election"])
    assert (event.date.start, event.date.end, event.date.basis) == (
        "2018-08-19", "2018-08-19", "relative")
    assert event.date.time is not None


@pytest.mark.parametrize("text, context", [
    # a date in the next sentence that is not the vote's
    ("Voters have narrowly rejected the peace deal. On Sunday, the president spoke.", ["election"]),
    # an event no vote decides
    ("Police have arrested the mayor. Sunday's referendum passed calmly.", []),
    # two votes, two dates: no way to tell which decided it
    ("Voters rejected the deal. Sunday's referendum and Tuesday's election were calm.",
     ["election"]),
])
def test_other_undated_events_keep_the_publication_date(parse: Parse, text: str,
                                                        context: list[str]) -> None:
    trigger = "rejected" if "rejected" in text else "arrested"
    event = _vote_outcome(parse, text, trigger, context)
    assert (event.date.start, event.date.basis) == ("2018-08-23", "publication")
