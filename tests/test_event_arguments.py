"""Event arguments and sizes: who acts, on whom, how many, and when a trigger has nothing to code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.events import extract_events
from polybius.extract.numbers import extract_numbers
from polybius.model import Document, Event, Figure

Parse = Callable[[str], Doc]


def _coded(parse: Parse, text: str) -> tuple[list[Event], dict[str, str]]:
    """Events with the real actor extractor; actor id -> actor text."""
    doc = parse(text)
    actors = extract_actors(doc, Context())
    events = extract_events(doc, Context(), actors, extract_numbers(doc, Context()))
    return events, {a.id: a.text for a in actors}


# ---- triggers with nothing to code

@pytest.mark.parametrize("text", [
    "Related: Protesters rally; Police arrest suspect; Talks resume",
    "Read more: Troops attack rebel camp",
    "Would a naval blockade force the regime to negotiate?",
    "Can police arrest journalists for filming them?",
    "Militias often kidnap foreigners to raise money.",
    "Police use tear gas when crowds turn violent.",
    "The senator's speech bombed with the audience.",
    "Markets rallied after the central bank held rates steady.",
    "The film killed at the box office over the holiday weekend.",
    "Residents were asked to report suspicious packages.",
    "Students visited the battlefield memorial on a school trip.",
    "Scholars still disagree over who started the riot in 1886.",
])
def test_a_trigger_with_no_happening_to_code_makes_no_event(parse: Parse, text: str) -> None:
    events, _ = _coded(parse, text)
    assert events == []


@pytest.mark.parametrize("text, etype", [
    ("Farmers marched on parliament.", "PROTEST"),
    ("Thousands rallied in the capital.", "PROTEST"),
    ("A suicide bomber blew himself up near a checkpoint.", "ASSAULT"),
    ("Villagers clashed with soldiers near the border.", "ASSAULT"),
    ("Did police arrest the suspect, he asked, before the trial began.", "COERCE"),
    ("Militias kidnapped two foreigners on Monday.", "ASSAULT"),
    ("Residents were urged by the governor to leave.", "REQUEST"),
    ("The president visited France last week.", "CONSULT"),
    ("Police are investigating who fired the shots at the rally.", "ASSAULT"),
])
def test_human_subjects_past_events_and_named_visits_still_make_events(
        parse: Parse, text: str, etype: str) -> None:
    events, _ = _coded(parse, text)
    assert etype in {e.type for e in events}


# ---- several figures of one kind

def _size(parse: Parse, text: str):  # noqa: ANN202 - a Size
    events, _ = _coded(parse, text)
    return events[0].size


def test_a_later_running_total_replaces_the_first_figure_and_both_are_kept(parse: Parse) -> None:
    text = "The attack killed 3 people; the toll later rose to 5."
    size = _size(parse, text)
    assert size.killed == 5
    assert [(f.value, text[f.span[0]:f.span[1]], f.relation) for f in size.figures] == [
        (3, "3", "earlier"), (5, "5", "kept")]


def test_a_range_keeps_its_lower_end_flagged_and_records_the_upper_end(parse: Parse) -> None:
    size = _size(parse, "Between 10 and 15 people were killed in the shelling.")
    assert size.killed == 10 and "killed" in size.lower_bounds
    assert [(f.value, f.relation) for f in size.figures] == [(10, "kept"), (15, "range-max")]


def test_a_sub_count_is_a_part_not_the_figure(parse: Parse) -> None:
    size = _size(parse, "Gunmen killed six people, including two children.")
    assert size.killed == 6
    assert [(f.value, f.relation) for f in size.figures] == [(6, "kept"), (2, "part")]


def test_one_figure_per_kind_lists_no_figures(parse: Parse) -> None:
    size = _size(parse, "Gunmen killed six people and wounded four.")
    assert (size.killed, size.injured, size.figures) == (6, 4, [])


def test_a_count_followed_by_its_own_participle_is_of_that_kind(parse: Parse) -> None:
    size = _size(parse, "Two soldiers were killed and three wounded by a roadside bomb.")
    assert (size.killed, size.injured) == (2, 3)


def test_perpetrators_killed_never_add_to_victims(parse: Parse) -> None:
    events, _ = _coded(parse, "Militants killed two villagers; four of the assailants were shot dead by troops.")
    assert events[0].size.killed == 2
    assert all(e.size.killed != 4 for e in events)
    assert any(e.size.perpetrators_killed == 4 for e in events)


def test_figures_survive_the_json_round_trip() -> None:
    from polybius.model import Article, Size
    event = Event(id="e1", type="ASSAULT", size=Size(killed=5, spans={"killed": (4, 5)}, figures=[
        Figure("killed", 3, (0, 1), "earlier"), Figure("killed", 5, (4, 5), "kept")]))
    doc = Document(article=Article(text="3 or 5 dead"), events=[event])
    again = Document.from_json(doc.to_json())
    assert again.events[0].size.figures == event.size.figures


# ---- stated intentions and labour strikes

@pytest.mark.parametrize("text", [
    "The union plans to strike next week over pay.",
    "Teachers threatened to strike if wages were cut.",
    "Dockworkers said they would strike on Monday.",
])
def test_a_planned_labour_strike_is_a_threat_without_force(parse: Parse, text: str) -> None:
    events, _ = _coded(parse, text)
    assert [(e.type, e.mode) for e in events] == [("THREATEN", [])]


def test_a_labour_strike_under_way_is_a_protest(parse: Parse) -> None:
    events, _ = _coded(parse, "Miners struck for a second week.")
    assert [(e.type, e.mode, e.rule) for e in events] == [
        ("PROTEST", ["strike"], "labour:PROTEST<-lexicon:ASSAULT/strike")]


@pytest.mark.parametrize("text", [
    "The air force plans to strike rebel positions.",
    "The rebels vowed to attack the capital.",
])
def test_a_planned_armed_attack_is_a_threat_of_force(parse: Parse, text: str) -> None:
    events, _ = _coded(parse, text)
    assert [(e.type, e.mode) for e in events] == [("THREATEN", ["force"])]


@pytest.mark.parametrize("text, holder", [
    ("The military is examining a plan to strike the port.", "military"),
    ("North Korea said it was examining a plan to fire missiles at Guam.", "North Korea"),
    ("The rebels announced a plan to attack the capital.", "rebels"),
])
def test_a_plan_to_attack_is_a_threat_by_whoever_holds_the_plan(parse: Parse, text: str,
                                                                holder: str) -> None:
    events, names = _coded(parse, text)
    assert [(e.type, e.mode, [names[i] for i in e.actors]) for e in events] == [
        ("THREATEN", ["force"], [holder])]


def test_a_plan_someone_else_uncovers_is_not_their_threat(parse: Parse) -> None:
    events, names = _coded(parse, "Police uncovered a plan to bomb the embassy.")
    assert [e.type for e in events] == ["ASSAULT"]
    assert "Police" not in [names[i] for i in events[0].actors]


def test_one_plan_told_again_by_an_unnamed_organ_is_one_threat(parse: Parse) -> None:
    text = ("North Korea said it was examining a plan to fire missiles at Guam. The military was "
            "examining an operational plan to strike areas around Guam.")
    events, names = _coded(parse, text)
    assert [(e.type, [names[i] for i in e.actors], len(e.evidence)) for e in events] == [
        ("THREATEN", ["North Korea", "military"], 2)]


@pytest.mark.parametrize("text", [
    "Russia announced a plan to attack the port. Ukraine was examining a plan to strike the bridge.",
    # the army's plan is against the rebels who announced the first one
    "The rebels announced a plan to attack the capital. The army announced a plan to strike the rebels.",
])
def test_plans_of_other_sides_stay_two_threats(parse: Parse, text: str) -> None:
    events, _ = _coded(parse, text)
    assert [e.type for e in events] == ["THREATEN", "THREATEN"]


@pytest.mark.parametrize("text, holder", [
    ("Rebels abandoned their plan to storm the city.", "Rebels"),
    ("The army decided not to go ahead with its plan to shell the town.", "army"),
    ("The government has no plan to withdraw its troops.", "government"),
])
def test_a_plan_given_up_is_a_refusal_by_its_holder(parse: Parse, text: str, holder: str) -> None:
    events, names = _coded(parse, text)
    assert [(e.type, e.mode, [names[i] for i in e.actors]) for e in events] == [
        ("REJECT", ["refuse"], [holder])]


@pytest.mark.parametrize("text, etype, size", [
    ("Gunmen attacked a police station, killing two officers.", "ASSAULT", ("killed", 2)),
    ("Soldiers stormed the camp, wounding five people.", "ASSAULT", ("injured", 5)),
    ("Police raided the house, arresting three men.", "COERCE", ("arrested", 3)),
])
def test_a_result_participle_is_the_act_it_follows_with_its_figures(parse: Parse, text: str,
                                                                    etype: str,
                                                                    size: tuple[str, int]) -> None:
    events, _ = _coded(parse, text)
    assert [e.type for e in events] == [etype]
    assert getattr(events[0].size, size[0]) == size[1]


def test_the_victims_of_a_result_participle_are_the_acts_recipients(parse: Parse) -> None:
    events, names = _coded(parse, "The Taliban attacked an army base, killing 17 soldiers.")
    assert [[names[i] for i in e.recipients] for e in events] == [["army", "17 soldiers"]]


@pytest.mark.parametrize("text, types", [
    # another subject acts in the participle's clause: two acts
    ("Gunmen attacked the village, and troops responded, killing four.", ["ASSAULT", "ASSAULT"]),
    # a participle of another type is its own event
    ("Protesters marched through the city, killing three.", ["PROTEST", "PROTEST"]),
])
def test_a_participle_of_another_act_stays_its_own_event(parse: Parse, text: str,
                                                         types: list[str]) -> None:
    events, _ = _coded(parse, text)
    assert [e.type for e in events] == types
    assert [e.size.killed for e in events][-1] is not None


def test_an_armed_side_striking_without_object_still_attacks(parse: Parse) -> None:
    events, _ = _coded(parse, "Israel struck overnight, the army said.")
    assert [e.type for e in events] == ["ASSAULT"]


def test_plain_people_are_never_the_main_actor_beside_an_agent(parse: Parse) -> None:
    events, names = _coded(parse, "Residents and police blocked the road to the camp.")
    assert [names[i] for i in events[0].actors][0] == "police"


def test_generic_agents_in_one_article_get_one_name(parse: Parse) -> None:
    from polybius.pipeline import Pipeline
    from polybius.model import Article
    text = ("TRAPPES, France (AP) — Police shot a man who attacked two officers. "
            "Later the police arrested his brother.")
    doc = Pipeline().process(Article(text=text))
    police = {a.name for a in doc.actors if a.rule.startswith("generic:police")}
    assert police == {"French police"}


def test_an_authority_asked_to_act_is_still_a_request(parse: Parse) -> None:
    events, _ = _coded(parse, "The police have been asked to investigate the deaths.")
    assert [e.type for e in events] == ["REQUEST"]


def test_the_same_figure_repeated_lists_no_figures(parse: Parse) -> None:
    size = _size(parse, "Gunmen killed 12 people in the market; 12 people died there.")
    assert size.killed == 12 and size.figures == []
