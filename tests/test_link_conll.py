"""CoNLL coreference scores on small hand-made clusterings with scores worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polybius.link.conll import b_cubed, ceaf_e, conll, muc

# Pradhan et al. 2014's running example: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_counts_links_kept_on_each_side() -> None:
    s = muc(KEY, RESPONSE)
    # recall (3-2 + 4-3) / (2 + 3); precision (2-1 + 2-2 + 4-3) / (1 + 1 + 3)
    assert s.recall == pytest.approx(2 / 5) and s.precision == pytest.approx(2 / 5)


def test_b_cubed_averages_per_mention_overlap() -> None:
    s = b_cubed(KEY, RESPONSE)
    recall = (Fraction(2, 3) * 2 + Fraction(1, 3) + Fraction(1, 4) + 0 + Fraction(2, 4) * 2) / 7
    assert s.recall == pytest.approx(float(recall))
    assert s.precision == pytest.approx((1 + 1 + 0.5 + 0.5 + 0.5 + 0.5 + 0 + 0) / 8)


def test_ceaf_e_uses_the_best_one_to_one_alignment() -> None:
    s = ceaf_e(KEY, RESPONSE)
    # best: {a,b,c}-{a,b} (2*2/5) + {d,e,f,g}-{f,g,h,i} (2*2/8) = 1.3
    assert s.recall == pytest.approx(1.3 / 2) and s.precision == pytest.approx(1.3 / 3)


def test_ceaf_e_prefers_a_globally_better_assignment_over_greedy() -> None:
    # greedy takes K1-R1 (0.8) first and leaves K2 with nothing; optimal pairs K1-R2, K2-R1
    key = [{1, 2, 3, 4}, {5, 6}]
    response = [{1, 2, 3, 5, 6}, {4}]
    s = ceaf_e(key, response)
    best = max(2 * 3 / 9 + 0, 2 * 1 / 5 + 2 * 2 / 7)
    assert s.recall == pytest.approx(best / 2)


def test_identical_clusterings_score_one_everywhere() -> None:
    scores = conll(KEY, KEY)
    assert scores["conll_f1"] == pytest.approx(1.0)
    assert scores["muc_f1"] == scores["b3_f1"] == scores["ceafe_f1"] == pytest.approx(1.0)


def test_all_singletons_against_one_cluster_has_no_muc_recall() -> None:
    key = [{1, 2, 3, 4}]
    response = [{1}, {2}, {3}, {4}]
    assert muc(key, response).recall == 0.0
    assert b_cubed(key, response).recall == pytest.approx(0.25)
    assert b_cubed(key, response).precision == pytest.approx(1.0)


def test_a_mention_in_two_clusters_is_refused() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        muc([{1, 2}, {2, 3}], [{1, 2, 3}])


@st.composite
def partitions(draw: st.DrawFn) -> list[set[int]]:
    labels = draw(st.lists(st.integers(0, 4), min_size=1, max_size=12))
    groups: dict[int, set[int]] = {}
    for mention, label in enumerate(labels):
        groups.setdefault(label, set()).add(mention)
    return list(groups.values())


@given(partitions(), partitions())
def test_scores_are_symmetric_in_recall_and_precision(a: list[set[int]], b: list[set[int]]) -> None:
    for fn in (muc, b_cubed, ceaf_e):
        ab, ba = fn(a, b), fn(b, a)
        assert ab.recall == pytest.approx(ba.precision) and ab.precision == pytest.approx(ba.recall)
        assert 0.0 <= ab.f1 <= 1.0 + 1e-9


# -- the ECB+ reader on a hand-made document -------------------------------------------------

ECB_DOC = """<Document doc_name="9_1ecb.xml" doc_id="D1">
<token t_id="1" sentence="0" number="0">Police</token>
<token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">him</token>
<token t_id="4" sentence="1" number="0">He</token>
<token t_id="5" sentence="1" number="1">fled</token>
<Markables>
<ACTION_OCCURRENCE m_id="10"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="11"><token_anchor t_id="5"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="12"><token_anchor t_id="1"/></HUMAN_PART_PER>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="10"/><target m_id="99"/></CROSS_DOC_COREF>
</Relations>
</Document>"""


def test_ecbplus_reader_keeps_selected_action_mentions_with_their_chains() -> None:
    import xml.etree.ElementTree as ET

    from polybius.evaluate.ecbplus import _parse_doc, chains

    doc, mentions = _parse_doc("9_1ecb", "9", "ecb", ET.fromstring(ECB_DOC), {0})
    assert doc.sentences == {0: ["Police", "arrested", "him"]}
    assert [(m.id, m.tokens, m.chain) for m in mentions] == [("9_1ecb/10", (1,), "ACT1")]
    assert chains(mentions) == [["9_1ecb/10"]]
