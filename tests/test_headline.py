"""An article that opens with its headline: the headline is its own sentence, and its events are
the lead's, dated by the lead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from spacy.tokens import Doc

from polybius import Pipeline
from polybius.extract import Context, headline_and_lead
from polybius.model import Document

Parse = Callable[[str], Doc]
TITLE = "Gunmen storm Nairobi mall, killing at least 39"
LEAD = ("Gunmen attacked a shopping centre in Nairobi on Saturday, killing at least 39 people, "
        "Kenyan officials said. Police said the attackers were still inside on Sunday morning.")


@pytest.fixture(scope="module")
def article() -> Document:
    return Pipeline().extract(f"{TITLE}\n\n{LEAD}", title=TITLE, published=date(2013, 9, 22))


def test_blank_line_ends_a_headline_without_final_punctuation(parse: Parse) -> None:
    doc = parse("Mosque attacks: 49 killed in Christchurch\n\nForty-nine people were killed on Friday.")
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == [
        "Mosque attacks: 49 killed in Christchurch", "Forty-nine people were killed on Friday."]


def test_single_line_break_does_not_force_a_sentence(parse: Parse) -> None:
    assert len(list(parse("Police said the two men were\narrested on Friday.").sents)) == 1


def test_headline_is_found_only_when_the_text_opens_with_the_title(parse: Parse) -> None:
    doc = parse(f"{TITLE}\n\n{LEAD}")
    headline_end, lead = headline_and_lead(doc, Context(title=TITLE)) or (0, range(0))
    assert doc.text[:headline_end] == TITLE
    assert doc.text[lead.start:lead.stop] == LEAD
    assert headline_and_lead(doc, Context(title="Another story")) is None
    assert headline_and_lead(doc, Context()) is None


def test_headline_event_is_one_event_with_the_leads_and_takes_its_date(article: Document) -> None:
    event = next(e for e in article.events if "attacked" in [ev.trigger.text for ev in e.evidence])
    assert article.article.text[slice(*event.evidence[0].span)].strip() == TITLE
    assert event.evidence[1].trigger.text == "attacked"
    # every headline event, merged or not, is dated by the lead's "on Saturday"
    assert {(e.date.start, e.date.basis) for e in article.events if e.type == "ASSAULT"} == {
        ("2013-09-21", "relative")}


def test_undated_headline_event_without_a_lead_mention_keeps_the_publication_date() -> None:
    doc = Pipeline().extract(f"Minister resigns\n\n{LEAD}", title="Minister resigns",
                             published=date(2013, 9, 22))
    assert all(e.date.basis == "publication" for e in doc.events if e.type != "ASSAULT")


def test_those_who_act_at_a_summit_attend_it(parse: Parse) -> None:
    from polybius.extract.events import extract_events
    from polybius.extract.numbers import extract_numbers
    from polybius.model import Actor
    text = "Trump and Kim pledge to work towards peace at the Singapore summit."
    doc = parse(text)
    actors = [Actor(id=f"a{i}", text=n, span=(text.index(n), text.index(n) + len(n)), name=n)
              for i, n in enumerate(("Trump", "Kim"))]
    events = extract_events(doc, Context(), actors, extract_numbers(doc, Context()))
    summit = next(e for e in events if e.type == "CONSULT")
    assert summit.actors == ["a0", "a1"]
