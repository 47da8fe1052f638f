"""The polybius/1 contract: the schema and the cross-reference rules catch broken documents."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polybius.contract import problems, validate
from polybius.errors import ContractError
from polybius.model import (Actor, Article, Document, Event, EventDate, Evidence, Factuality, Location,
                            Place, Quote, Removed, Size, Time, Trigger)

TEXT = "Police arrested three men in Lyon on Monday, prosecutors said."


def sample() -> Document:
    return Document(
        article=Article(text=TEXT, title="Arrests in Lyon", url=None, published=None,
                        removed=[Removed("byline", "By A. Writer")]),
        actors=[Actor("a1", "Police", (0, 6), "police", "ORG", "FRA", "COP", None, "generic:police"),
                Actor("a2", "prosecutors", (45, 56), "prosecutors", "PER", "FRA", "JUD", None, "generic:prosecutor")],
        places=[Place("p1", "Lyon", (29, 33), "Lyon", 2996944, 45.75, 4.85, "FR", "Auvergne-Rhône-Alpes",
                      "city", 0.9, "ner:GPE")],
        times=[Time("t1", "on Monday", (34, 43), "DATE", "XXXX-WXX-1", None, "weekday")],
        quotes=[Quote("q1", TEXT[:43], (0, 43), "indirect", "a2", "said", "indirect:ccomp")],
        events=[Event("e1", "COERCE", ["arrest"], [], ["a1"], [],
                      EventDate(None, None, "unknown", "publication", None), Location("p1", "city", "clause"),
                      Size(arrested=3, spans={"arrested": (16, 21)}),
                      Factuality("reported", ["a2"], None, "said"),
                      [Evidence((0, len(TEXT)), Trigger("arrested", (7, 15)))], "lexicon:COERCE/arrest", 0.7)],
    )


def test_a_well_formed_document_has_no_problems():
    assert problems(sample().to_json()) == []


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d["actors"][0].update(span=[0, 999]), "outside article.text"),
    (lambda d: d["actors"][0].update(text="Polic"), "is not article.text"),
    (lambda d: d["events"][0].update(actors=["a9"]), "unknown actor 'a9'"),
    (lambda d: d["events"][0]["location"].update(place="p7"), "unknown place 'p7'"),
    (lambda d: d["quotes"][0].update(speaker="a5"), "unknown actor 'a5'"),
    (lambda d: d["events"][0]["evidence"][0]["trigger"].update(span=[0, 70]), "outside its evidence"),
    (lambda d: d["events"][0].update(type="FIGHT"), "is not one of"),
    (lambda d: d["events"][0]["date"].update(basis="guess"), "is not one of"),
    (lambda d: d["events"][0]["size"].update(killed="two"), "is not of type"),
    (lambda d: d["actors"].append(copy.deepcopy(d["actors"][0])), "duplicate id"),
])
def test_broken_documents_are_caught(breakage, message):
    doc = sample().to_json()
    breakage(doc)
    found = problems(doc)
    assert any(message in p for p in found), found
    with pytest.raises(ContractError):
        validate(doc)


def test_json_round_trip_is_lossless():
    doc = sample()
    again = Document.from_json(json.loads(json.dumps(doc.to_json())))
    assert again == doc


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=200), title=st.none() | st.text(max_size=40),
       killed=st.none() | st.integers(min_value=0, max_value=10**6))
def test_round_trip_holds_for_any_text(text: str, title: str | None, killed: int | None):
    end = len(text)
    doc = Document(article=Article(text=text, title=title),
                   events=[Event("e1", "ASSAULT", size=Size(killed=killed),
                                 evidence=[Evidence((0, end), Trigger(text, (0, end)))], rule="test")])
    as_json = doc.to_json()
    assert problems(as_json) == []
    assert Document.from_json(json.loads(json.dumps(as_json))) == doc
