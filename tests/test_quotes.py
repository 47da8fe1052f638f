"""Quotes: direct and indirect speech with the speaker resolved to an actor."""

from polybius.extract import Context
from polybius.extract.actors import extract_actors
from polybius.extract.quotes import extract_quotes


def quotes_of(parse, text):
    doc = parse(text)
    actors = extract_actors(doc, Context())
    return extract_quotes(doc, Context(), actors), {a.id: a for a in actors}


def test_direct_quote_with_cue_after_it(parse):
    [q], actors = quotes_of(parse, '"We will not negotiate with terrorists," Prime Minister Boris Johnson said.')
    assert q.kind == "direct" and q.cue == "said"
    assert q.text == "We will not negotiate with terrorists,"
    assert actors[q.speaker].name == "Boris Johnson"


def test_curly_quotes_and_pronoun_speaker(parse):
    text = "Interior Minister Gérard Collomb visited Trappes. “He was unstable,” he said."
    [q], actors = quotes_of(parse, text)
    assert q.text == "He was unstable,"
    assert actors[q.speaker].name == "Gérard Collomb"


def test_bare_title_resolves_to_the_named_person(parse):
    text = ('Interior Minister Gérard Collomb spoke in Paris on Friday. '
            '"The attacker was mentally disturbed," the minister said.')
    quotes, actors = quotes_of(parse, text)
    [q] = [q for q in quotes if q.kind == "direct"]
    assert actors[q.speaker].name == "Gérard Collomb"


def test_indirect_speech_has_speaker_cue_and_content(parse):
    quotes, actors = quotes_of(parse, "Police said that two men had been arrested in Lyon.")
    [q] = quotes
    assert q.kind == "indirect" and q.cue == "said"
    assert q.text == "two men had been arrested in Lyon"
    assert actors[q.speaker].text == "Police"


def test_according_to_names_the_source(parse):
    quotes, actors = quotes_of(parse, "According to the Syrian Observatory for Human Rights, 12 civilians died.")
    [q] = quotes
    assert q.text == "12 civilians died"
    assert actors[q.speaker].name == "Syrian Observatory for Human Rights"


def test_scare_quotes_are_not_quotations(parse):
    quotes, _ = quotes_of(parse, 'The group called the attack a "martyrdom operation" in a statement.')
    assert [q for q in quotes if q.kind == "direct"] == []


def test_quote_text_is_the_text_at_its_span(parse):
    text = 'Officials said the border was closed. "It will stay closed," the governor said.'
    quotes, _ = quotes_of(parse, text)
    assert quotes and all(text[q.span[0]:q.span[1]] == q.text for q in quotes)


# --- the quotation scanner: bad input -----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from polybius.extract.quotes import MAX_QUOTE_CHARS, _direct_spans  # noqa: E402

QUOTE_MARKS = st.sampled_from(['"', "“", "”", "'", "‘", "’", "\n", "\n\n", " ", "said", "word", "."])


@given(st.lists(QUOTE_MARKS, max_size=200))
@settings(max_examples=300, deadline=None)
def test_scanner_never_crashes_and_never_runs_away(pieces):
    text = " ".join(pieces)
    for start, end, rule in _direct_spans(text):
        assert 0 <= start < end <= len(text)
        assert end - start <= MAX_QUOTE_CHARS or "\n" not in text[start:end]
        assert rule in ("double", "unclosed", "capped", "single")


@given(st.text(alphabet=st.sampled_from('ab "“”\n'), max_size=400))
@settings(max_examples=300, deadline=None)
def test_a_quote_spans_paragraphs_only_when_the_next_one_reopens(text):
    for start, end, _ in _direct_spans(text):
        inner = text[start:end]
        for cut in (i for i, ch in enumerate(inner) if ch == "\n"):
            rest = inner[cut:].lstrip()
            assert rest[:1] in ('"', "“")


def test_unbalanced_mark_stays_in_its_paragraph():
    text = 'He said "we will fight on.\n\nThe army then withdrew from the town after a long siege.'
    [(start, end, rule)] = _direct_spans(text)
    assert text[start:end] == "we will fight on." and rule == "unclosed"


def test_multi_paragraph_quote_continues_when_the_next_paragraph_reopens():
    text = '"We will not give up.\n\n"We will rebuild every house," the mayor said.'
    [(start, end, rule)] = _direct_spans(text)
    assert text[start:end].startswith("We will not give up.") and text[start:end].endswith("every house,")
    assert rule == "double"


def test_a_runaway_quote_is_capped_at_a_paragraph_end():
    paragraph = '"' + "word " * 150 + "\n\n"
    spans = _direct_spans(paragraph * 10)
    assert spans and all(end - start <= MAX_QUOTE_CHARS for start, end, _ in spans)
    assert any(rule == "capped" for _, _, rule in spans)


def test_apostrophes_are_not_quotation_marks():
    text = "The students' union said it wouldn't back the '90s-style plan, and the mayor's office agreed."
    assert _direct_spans(text) == []


def test_nested_single_quotes_stay_inside_their_quotation():
    text = '"They told us \'leave now or die\' and we ran," a villager said.'
    [(start, end, rule)] = _direct_spans(text)
    assert rule == "double" and "'leave now or die'" in text[start:end]


def test_single_quoted_quotation_with_a_speech_verb(parse):
    quotes, actors = quotes_of(parse, "'We will not back down,' President Emmanuel Macron said on Monday.")
    [q] = [q for q in quotes if q.kind == "direct"]
    assert q.text == "We will not back down," and q.rule == "direct:cue-verb:single"
    assert actors[q.speaker].name == "Emmanuel Macron"


# --- indirect attributions and their sources ----------------------------------------------------

def test_split_quote_gives_two_quotes_with_one_speaker(parse):
    quotes, actors = quotes_of(parse, '"We will fight," Mayor Ana Ruiz said, "and we will win this."')
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 2 and direct[0].speaker == direct[1].speaker
    assert actors[direct[0].speaker].name == "Ana Ruiz"


def test_poll_shows_is_an_attribution_to_the_poll(parse):
    text = "A new poll shows that most voters oppose the plan."
    [q], _ = quotes_of(parse, text)
    assert q.text == "most voters oppose the plan" and q.rule == "indirect:evidence:ccomp"
    assert text[q.source_span[0]:q.source_span[1]] == "A new poll"


def test_the_army_showed_restraint_is_not_an_attribution(parse):
    quotes, _ = quotes_of(parse, "The army showed restraint during the march.")
    assert quotes == []


def test_belief_and_intention_are_attributions(parse):
    quotes, _ = quotes_of(parse, "Officials believe the attackers fled north. The governor pledged to rebuild the bridge.")
    assert [q.rule for q in quotes] == ["indirect:belief:ccomp", "indirect:intention:xcomp"]
    assert quotes[1].text == "to rebuild the bridge"


def test_claim_noun_with_that_clause(parse):
    quotes, _ = quotes_of(parse, "Moscow rejected the claim that its agents poisoned the defector.")
    [q] = [q for q in quotes if q.rule == "indirect:noun-that"]
    assert q.text == "its agents poisoned the defector"


def test_sentence_final_speech_tag_makes_the_sentence_content(parse):
    text = "The convoy was attacked near the border, two officials said."
    [q], _ = quotes_of(parse, text)
    assert q.text == "The convoy was attacked near the border"
    assert text[q.source_span[0]:q.source_span[1]] == "two officials"


def test_source_span_keeps_the_pronoun_as_written(parse):
    text = "Interior Minister Gérard Collomb visited Trappes. He said the attacker had acted alone."
    [q], actors = quotes_of(parse, text)
    assert text[q.source_span[0]:q.source_span[1]] == "He"
    assert actors[q.speaker].name == "Gérard Collomb"


def test_generic_officials_resolve_to_a_generic_actor(parse):
    quotes, actors = quotes_of(parse, "Kenyan officials said the gunmen had been killed.")
    [q] = quotes
    assert actors[q.speaker].rule.startswith("generic:")


def test_passive_report_has_no_source(parse):
    quotes, _ = quotes_of(parse, "It was reported that the talks had collapsed.")
    assert all(q.source_span is None and q.speaker is None for q in quotes)


def test_indirect_content_stays_in_the_cue_paragraph(parse):
    text = "By Staff Reporter\nThe man who attacked three people had psychiatric problems, the minister said."
    quotes, _ = quotes_of(parse, text)
    assert quotes and all("\n" not in q.text for q in quotes)
