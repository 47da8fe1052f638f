"""Hand-built Documents for store, export and link tests: real spans, no NLP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from polybius.model import (Actor, Article, Document, Event, EventDate, Evidence, Factuality,
                            Location, Place, Size, Trigger)

PARIS = Place(id="p1", text="Paris", span=(0, 0), name="Paris", geonameid=2988507, lat=48.85,
              lon=2.35, country_code="FR", admin1="Île-de-France", resolution="city",
              confidence=0.9, rule="test")
LYON = Place(id="p1", text="Lyon", span=(0, 0), name="Lyon", geonameid=2996944, lat=45.75,
             lon=4.85, country_code="FR", admin1="Auvergne-Rhône-Alpes", resolution="city",
             confidence=0.9, rule="test")
KENYA = Place(id="p1", text="Kenya", span=(0, 0), name="Kenya", geonameid=192950, lat=1.0,
              lon=38.0, country_code="KE", resolution="country", confidence=0.9, rule="test")


@dataclass
class Ev:
    """A one-sentence event to build a test article from: '<actor> <verb> <recipient> in <place>.'"""

    type: str = "ASSAULT"
    actor: str | None = "Gunmen"
    verb: str = "attacked"
    recipient: str | None = "villagers"
    place: Place | None = field(default_factory=lambda: PARIS)
    start: str | None = "2024-05-06"
    end: str | None = None
    precision: str = "day"
    basis: str = "explicit"
    killed: int | None = None
    injured: int | None = None
    status: str = "asserted"


def make_doc(*evs: Ev, url: str | None = "https://www.example.com/a", title: str = "Report",
             published: date | None = date(2024, 5, 7), salt: str = "") -> Document:
    """A hand-built Document whose spans really index its text (no NLP involved)."""
    text, actors, places, events = "", [], [], []
    for n, ev in enumerate(evs or (Ev(),), start=1):
        start = len(text)
        ids: dict[str, str] = {}
        for role, name in (("actor", ev.actor), ("recipient", ev.recipient)):
            if name is not None:
                ids[role] = f"a{len(actors) + len(ids) + 1}"
        pieces = [ev.actor or "Someone", ev.verb, ev.recipient or "something"]
        sentence = " ".join(pieces)
        if ev.place is not None:
            sentence += " in " + ev.place.name
        sentence += "." + (f" {salt}" if salt and n == 1 else "") + " "
        text += sentence
        if ev.actor is not None:
            actors.append(Actor(id=ids["actor"], text=ev.actor, span=(start, start + len(ev.actor)),
                                name=ev.actor, kind="GROUP", rule="test"))
        if ev.recipient is not None:
            r0 = start + len(pieces[0]) + len(ev.verb) + 2
            actors.append(Actor(id=ids["recipient"], text=ev.recipient,
                                span=(r0, r0 + len(ev.recipient)), name=ev.recipient, rule="test"))
        place_id = None
        if ev.place is not None:
            place_id = f"p{len(places) + 1}"
            p0 = text.index(" in " + ev.place.name, start) + 4
            places.append(Place(**{**ev.place.__dict__, "id": place_id,
                                   "span": (p0, p0 + len(ev.place.name))}))
        t0 = start + len(pieces[0]) + 1
        sent_end = text.index(".", start) + 1
        events.append(Event(
            id=f"e{n}", type=ev.type, mode=["primitive"], context=["test"],
            actors=[ids["actor"]] if ev.actor else [],
            recipients=[ids["recipient"]] if ev.recipient else [],
            date=EventDate(start=ev.start, end=ev.end or ev.start, precision=ev.precision,
                           basis=ev.basis),
            location=Location(place=place_id, resolution=ev.place.resolution if ev.place else None,
                              reason=None if ev.place else "no place in sentence"),
            size=Size(killed=ev.killed, injured=ev.injured),
            factuality=Factuality(status=ev.status),
            evidence=[Evidence(span=(start, sent_end),
                               trigger=Trigger(ev.verb, (t0, t0 + len(ev.verb))))],
            rule="test", confidence=0.8))
    article = Article(text=text.strip(), title=title, url=url, published=published)
    return Document(article=article, actors=actors, places=places, events=events)
