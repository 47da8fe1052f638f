"""The different-lemma pair model of mention linking (polybius.link.mention_pairs)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from unittest.mock import patch

import numpy as np
import pytest
import yaml
from spacy.tokens import Doc

from polybius.errors import ResourceError
from polybius.link import mention_pairs
from polybius.link.mention_pairs import (
    FEATURES, PairModel, argument_tokens, argument_vectors, feature_matrices, pair_features,
    pair_model,
)
from polybius.link.mentions import Mention, Weights, cluster_mentions, pair_score, pair_scores

Parse = Callable[[str], Doc]


def roles(parse: Parse, text: str, trigger: str) -> dict[str, list[str]]:
    doc = parse(text)
    tok = next(t for t in doc if t.text == trigger)
    return {role: [doc[i].text for i in rows] for role, rows in argument_tokens(tok).items()}


def test_an_active_verb_has_its_subject_object_and_place(parse: Parse) -> None:
    found = roles(parse, "Police arrested the gunman in Paris.", "arrested")
    assert found["subject"] == ["Police"]
    assert found["object"] == ["gunman"]
    assert found["place"] == ["Paris"]


def test_a_passive_verb_takes_its_agent_as_subject(parse: Parse) -> None:
    found = roles(parse, "The gunman was arrested by police.", "arrested")
    assert found == {"object": ["gunman"], "subject": ["police"]}


def test_pronouns_are_not_arguments(parse: Parse) -> None:
    assert roles(parse, "He arrested them.", "arrested") == {}


def test_a_participle_modifying_a_noun_takes_that_noun_as_subject(parse: Parse) -> None:
    assert "man" in roles(parse, "They found the man wounded in the attack.", "wounded")["subject"]


def test_argument_vectors_are_normalised_means_of_the_role_words(parse: Parse) -> None:
    doc = parse("Police arrested the gunman.")
    vectors = np.zeros((len(doc), 2))
    vectors[0] = (3.0, 4.0)  # Police
    vectors[3] = (0.0, 2.0)  # gunman
    args = dict(argument_vectors(vectors, doc[1:2], 1))
    assert args["subject"] == pytest.approx((0.6, 0.8))
    assert args["object"] == pytest.approx((0.0, 1.0))


def test_a_role_whose_words_have_no_vector_is_left_out(parse: Parse) -> None:
    doc = parse("Police arrested the gunman.")
    vectors = np.zeros((len(doc), 2))
    vectors[0] = (1.0, 0.0)
    assert [role for role, _ in argument_vectors(vectors, doc[1:2], 1)] == ["subject"]


def unit(*xs: float) -> tuple[float, ...]:
    norm = sum(x * x for x in xs) ** 0.5
    return tuple(x / norm for x in xs)


MENTIONS = [
    Mention("a", "d1", "g", "shoot", "VERB", (1.0, 0.0, 0.5), frozenset({"gunman", "mall"}),
            frozenset(), False, unit(1.0, 0.2),
            (("object", unit(1.0, 1.0)), ("subject", unit(1.0, 0.0))),
            (("agent", unit(1.0, 0.0)), ("patient", unit(0.3, 1.0)))),
    Mention("b", "d2", "g", "kill", "VERB", (0.8, 0.1, 0.4), frozenset({"gunman"}),
            frozenset({"lethal"}), False, unit(0.9, 0.3), (("subject", unit(0.9, 0.1)),),
            (("agent", unit(1.0, 0.0)),)),
    Mention("c", "d2", "g", "death", "NOUN", (), frozenset(), frozenset({"lethal"}), False,
            unit(0.7, 0.7), ()),
    Mention("d", "d3", "g", "say", "VERB", (0.0, 1.0, 0.0), frozenset({"mall", "police"}),
            frozenset(), True, unit(0.0, 1.0), (("place", unit(0.0, 1.0)),)),
    Mention("e", "d3", "g", "shoot", "VERB", (1.0, 0.1, 0.5), frozenset({"mall"}), frozenset(),
            False, unit(1.0, 0.5), (("object", unit(0.2, 1.0)),), (("patient", unit(0.2, 1.0)),)),
    Mention("f", "d4", "g", "attack", "NOUN", (0.5, 0.5, 0.5), frozenset({"gunman"}), frozenset(),
            False, (), (("subject", unit(1.0, 0.0)),)),
]


def test_the_group_features_equal_the_pair_definition() -> None:
    matrices = feature_matrices(MENTIONS)
    assert matrices.shape == (len(MENTIONS), len(MENTIONS), len(FEATURES))
    for (i, a), (j, b) in combinations(enumerate(MENTIONS), 2):
        assert matrices[i, j] == pytest.approx(pair_features(a, b))
        assert matrices[j, i] == pytest.approx(pair_features(b, a))


def test_same_role_arguments_are_compared_slot_by_slot() -> None:
    named = dict(zip(FEATURES, pair_features(MENTIONS[0], MENTIONS[1]), strict=True))
    assert named["argument_cos_role"] == pytest.approx(float(np.dot(unit(1.0, 0.0), unit(0.9, 0.1))))
    assert named["argument_cos_any"] >= named["argument_cos_role"]
    assert named["both_have_arguments"] == 1.0
    alone = dict(zip(FEATURES, pair_features(MENTIONS[0], MENTIONS[2]), strict=True))
    assert alone["argument_cos_any"] == alone["argument_cos_role"] == 0.0
    assert alone["both_have_arguments"] == 0.0


@pytest.mark.parametrize("weights", [Weights(), Weights(learned=False),
                                     Weights(model=PairModel((0.5,) * len(FEATURES), 2.0))])
def test_the_score_matrix_equals_the_pair_score(weights: Weights) -> None:
    scores = pair_scores(MENTIONS, weights)
    for (i, a), (j, b) in combinations(enumerate(MENTIONS), 2):
        assert scores[i, j] == pytest.approx(pair_score(a, b, weights))


def test_different_lemmas_with_alike_arguments_score_above_unlike_ones() -> None:
    base = dict(doc="d1", group="g", pos="VERB", embedding=unit(1.0, 0.4))
    shot = Mention("a", lemma="shoot", arguments=(("subject", unit(1.0, 0.0)),), **base)
    killed = Mention("b", lemma="kill", arguments=(("subject", unit(0.95, 0.05)),),
                     **base | {"doc": "d2"})
    other = Mention("c", lemma="kill", arguments=(("subject", unit(0.0, 1.0)),),
                    **base | {"doc": "d3"})
    assert pair_score(shot, killed, Weights()) > pair_score(shot, other, Weights())


def test_without_contextual_vectors_different_lemmas_keep_the_static_score() -> None:
    a = Mention("a", "d1", "g", "shoot", "VERB", (1.0, 0.0))
    b = Mention("b", "d2", "g", "fire", "VERB", (1.0, 1.0))
    assert pair_score(a, b, Weights()) == pytest.approx(Weights().vector * unit(1.0, 1.0)[0])


def test_the_model_alone_decides_different_lemmas_even_of_one_family() -> None:
    never = Weights(model=PairModel((-50.0,) + (0.0,) * (len(FEATURES) - 1), 1.0))
    killed, death = MENTIONS[1], MENTIONS[2]
    assert killed.families & death.families
    assert pair_score(killed, death, never) == pytest.approx(0.0, abs=1e-9)
    assert pair_score(killed, death, Weights(learned=False)) >= Weights().family
    assert sorted(cluster_mentions(MENTIONS[:3], never)) == [["a"], ["b"], ["c"]]


def test_the_packaged_model_names_every_feature() -> None:
    model = pair_model()
    assert len(model.weights) == len(FEATURES) and model.scale > 0


@pytest.mark.parametrize("text", [
    "scale: 1.0\n",
    "weights: {bias: 1.0}\nscale: 1.0\n",
    "weights: {" + ", ".join(f"{f}: 1.0" for f in FEATURES) + "}\n",
    "weights: {" + ", ".join(f"{f}: 1.0" for f in FEATURES) + "}\nscale: -1\n",
    "weights: {" + ", ".join(f"{f}: x" for f in FEATURES) + "}\nscale: 1\n"])
def test_a_broken_model_file_is_refused_naming_the_file(text: str) -> None:
    pair_model.cache_clear()
    try:
        with patch.object(mention_pairs, "load_yaml", return_value=yaml.safe_load(text)), \
                pytest.raises(ResourceError, match="mention_pair_model.yaml"):
            pair_model()
    finally:
        pair_model.cache_clear()
