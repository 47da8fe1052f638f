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
