"""Non-English articles are flagged and skipped; odd English input neither crashes nor invents events."""

from __future__ import annotations

import pytest

from polybius.contract import problems
from polybius.language import check_language
from polybius.model import Article
from polybius.pipeline import Pipeline

FOREIGN = {
    "fr": "Le président de la République a annoncé mardi que les troupes françaises seront "
          "retirées du pays d'ici la fin de l'année, selon un communiqué de la présidence.",
    "de": "Bei einem Anschlag in der Innenstadt wurden am Montag drei Menschen getötet, teilte "
          "die Polizei mit. Der mutmaßliche Täter wurde wenig später festgenommen.",
    "es": "La policía detuvo el martes a doce personas durante una protesta contra el gobierno "
          "en la capital, informaron fuentes oficiales a la prensa local.",
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_foreign_article_is_flagged_and_skipped_with_a_reason(pipeline: Pipeline, code: str) -> None:
    doc = pipeline.extract(FOREIGN[code])
    assert doc.article.language == code
    assert doc.article.skipped is not None and doc.article.skipped.startswith(f"language:{code}")
    assert doc.events == [] and doc.actors == []
    assert doc.to_json()["article"]["skipped"] == doc.article.skipped
    assert problems(doc.to_json()) == []


def test_foreign_article_in_a_batch_keeps_order(pipeline: Pipeline) -> None:
    english = "Police arrested two men in Leeds on Monday."
    docs = list(pipeline.process_many([Article(text=FOREIGN["de"]), Article(text=english)]))
    assert [d.article.skipped is None for d in docs] == [False, True]
    assert [e.type for e in docs[1].events] == ["COERCE"]


@pytest.mark.parametrize("text", [
    "POLICE OPEN FIRE ON PROTESTERS IN KARACHI AS CLASHES SPREAD",
    "Province Killed Injured Arrested Punjab 12 40 7 Sindh 3 11 0 Balochistan 9 2 15",
    "Kabul, Kandahar, Herat, Mazar-i-Sharif, Jalalabad, Kunduz, Ghazni, Bamyan, Khost",
    "Short.",
])
def test_english_headlines_tables_and_lists_are_not_called_foreign(text: str) -> None:
    assert check_language(text).english


def test_english_article_is_processed_and_not_marked_skipped(pipeline: Pipeline) -> None:
    doc = pipeline.extract("Gunmen killed three villagers in northern Nigeria on Sunday.")
    assert doc.article.skipped is None and "skipped" not in doc.to_json()["article"]
    assert [e.type for e in doc.events] == ["ASSAULT"]


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "Apples. Oranges. Seven. Blue.",
    "the the the the the the the the",
    "Name | Age | Town\nJohn | 34 | Leeds\nMary | 29 | York",
    "Contents\n1 Introduction\n2 Methods\n3 Results\n4 Discussion",
    "!!! ??? ... --- ***",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
])
def test_input_without_clauses_gives_no_event_and_a_valid_document(pipeline: Pipeline, text: str) -> None:
    doc = pipeline.extract(text)
    assert doc.events == []
    assert problems(doc.to_json()) == []


def test_two_thousand_word_unpunctuated_sentence_does_not_crash_or_invent(pipeline: Pipeline) -> None:
    words = ("the committee discussed the weather and the price of bread in the market while the "
             "children played in the park near the old river and the band rehearsed").split()
    text = " ".join(words[i % len(words)] for i in range(2000))
    doc = pipeline.extract(text)
    assert doc.events == []
    assert problems(doc.to_json()) == []


def test_long_unpunctuated_sentence_keeps_its_one_real_event(pipeline: Pipeline) -> None:
    filler = " ".join(["and the market stayed open as usual"] * 40)
    doc = pipeline.extract(f"gunmen killed two guards at the bank in the morning {filler}")
    assert [e.type for e in doc.events] == ["ASSAULT"]
    assert problems(doc.to_json()) == []
