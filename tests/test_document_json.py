"""``Document.to_json`` / ``Document.from_json`` lose nothing, whatever the document holds."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from polybius.model import (
    ACTOR_KINDS,
    DATE_BASES,
    FACTUALITY,
    PRECISIONS,
    REMOVED_KINDS,
    RESOLUTIONS,
    TIME_TYPES,
    Actor,
    Article,
    Document,
    Event,
    EventDate,
    Evidence,
    Factuality,
    Location,
    Place,
    Quote,
    Removed,
    Size,
    Time,
    Trigger,
)

words = st.text(max_size=30)
maybe = st.none() | words
ids = st.from_regex(r"[a-z][0-9]{1,3}", fullmatch=True)
spans = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)).map(lambda s: (min(s), max(s)))
numbers = st.floats(allow_nan=False, allow_infinity=False)
counts = st.none() | st.integers(0, 10**7)
dates = st.dates(date(1900, 1, 1), date(2100, 12, 31))
iso = st.none() | dates.map(date.isoformat)

articles = st.builds(Article, text=st.text(max_size=300), title=maybe, url=maybe,
                     published=st.none() | dates, language=st.sampled_from(["en", "fr"]),
                     removed=st.lists(st.builds(Removed, kind=st.sampled_from(REMOVED_KINDS), text=words),
                                      max_size=3))
actors = st.builds(Actor, id=ids, text=words, span=spans, name=words, kind=st.sampled_from(ACTOR_KINDS),
                   country=maybe, sector=maybe, kb_id=maybe, rule=words)
places = st.builds(Place, id=ids, text=words, span=spans, name=words, geonameid=counts,
                   lat=st.none() | numbers, lon=st.none() | numbers, country_code=maybe, admin1=maybe,
                   resolution=st.sampled_from(RESOLUTIONS), confidence=numbers, rule=words)
times = st.builds(Time, id=ids, text=words, span=spans, type=st.sampled_from(TIME_TYPES), value=words,
                  anchor=st.none() | st.just("published") | ids, rule=words)
quotes = st.builds(Quote, id=ids, text=words, span=spans, kind=st.sampled_from(["direct", "indirect"]),
                   speaker=st.none() | ids, cue=maybe, rule=words)
events = st.builds(
    Event, id=ids, type=words, mode=st.lists(words, max_size=2), context=st.lists(words, max_size=2),
    actors=st.lists(ids, max_size=3), recipients=st.lists(ids, max_size=3),
    date=st.builds(EventDate, start=iso, end=iso, precision=st.sampled_from(PRECISIONS),
                   basis=st.sampled_from(DATE_BASES), time=st.none() | ids),
    location=st.builds(Location, place=st.none() | ids, resolution=st.none() | st.sampled_from(RESOLUTIONS),
                       reason=maybe),
    size=st.builds(Size, killed=counts, injured=counts, arrested=counts,
                   money_usd=st.none() | numbers,
                   spans=st.dictionaries(st.sampled_from(["killed", "injured", "arrested", "money_usd"]),
                                         spans)),
    factuality=st.builds(Factuality, status=st.sampled_from(FACTUALITY),
                         attributed_to=st.lists(ids, max_size=2), note=maybe, cue=maybe),
    evidence=st.lists(st.builds(Evidence, span=spans, trigger=st.builds(Trigger, text=words, span=spans)),
                      max_size=2),
    rule=words, confidence=numbers)
documents = st.builds(Document, article=articles, actors=st.lists(actors, max_size=3),
                      places=st.lists(places, max_size=3), times=st.lists(times, max_size=3),
                      quotes=st.lists(quotes, max_size=2), events=st.lists(events, max_size=3))


@settings(max_examples=60, deadline=None)
@given(documents)
def test_document_survives_a_trip_through_json_text(doc: Document) -> None:
    text = json.dumps(doc.to_json(), ensure_ascii=False)
    again = Document.from_json(json.loads(text))
    assert again == doc
    assert json.dumps(again.to_json(), ensure_ascii=False) == text
