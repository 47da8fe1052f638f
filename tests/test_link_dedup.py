"""Near-duplicate articles and independent sources."""

from __future__ import annotations

from polybius.link.canonical import Member, corroborate
from polybius.link.dedup import Report, containment, independent_groups, shingles

WIRE = ("Gunmen opened fire on a police station in the north of the country on Monday, killing "
        "three officers and wounding five others, a local official said.")


def test_a_wire_copy_with_a_new_first_line_is_a_near_duplicate() -> None:
    copy = "BREAKING: attack in the north. " + WIRE
    assert containment(shingles(WIRE), shingles(copy)) >= 0.9


def test_a_differently_written_report_is_not_a_duplicate() -> None:
    other = ("Three police officers died when attackers stormed their post on Monday; five were "
             "hurt, according to the regional governor.")
    assert containment(shingles(WIRE), shingles(other)) < 0.2


def test_the_same_wire_story_under_two_urls_counts_as_one_source() -> None:
    groups = independent_groups([Report("a1", "outlet-a.com", WIRE),
                                 Report("a2", "outlet-b.com", WIRE + " More follows."),
                                 Report("a3", "outlet-c.com", "Officials denied any attack.")])
    assert groups == [["a1", "a2"], ["a3"]]


def test_two_articles_of_one_outlet_count_as_one_source() -> None:
    groups = independent_groups([Report("a1", "x.org", "First report of the clash."),
                                 Report("a2", "x.org", "Totally different wording here.")])
    assert groups == [["a1", "a2"]]


def member(aid: str, source: str, text: str, status: str = "asserted",
           killed: int | None = None) -> Member:
    return Member(aid, source, text, status, {"killed": killed})


def test_a_claim_and_an_independent_confirmation_are_reported_by_two() -> None:
    c = corroborate([member("a1", "a.com", "Rebels claim they downed the aircraft.", "claimed"),
                     member("a2", "b.com", "The army confirmed the aircraft was shot down.")])
    assert c.reported_by == 2 and c.denied_by == []


def test_a_denial_stays_visible_next_to_the_reports() -> None:
    c = corroborate([member("a1", "a.com", "Troops shelled the village."),
                     member("a2", "b.com", "The ministry denied any shelling.", "denied")])
    assert c.reported_by == 1 and c.denied_by == ["b.com"]


def test_death_tolls_keep_who_says_what_and_the_best_supported_value() -> None:
    c = corroborate([member("a1", "a.com", "Twenty-six people died in the blast.", killed=26),
                     member("a2", "b.com", "Thirty people were killed, police said.", killed=30),
                     member("a3", "c.com", "The toll rose to 30, officials said.", killed=30),
                     member("a4", "d.com", "At least 32 dead, a hospital said.", killed=32)])
    assert c.disagreements["killed"] == {26: ["a.com"], 30: ["b.com", "c.com"], 32: ["d.com"]}
    assert c.best["killed"] == 30 and c.best["injured"] is None


def test_wire_copies_support_a_figure_once() -> None:
    c = corroborate([member("a1", "a.com", WIRE, killed=3), member("a2", "b.com", WIRE, killed=3),
                     member("a3", "c.com", "Four officers were killed.", killed=4),
                     member("a4", "d.com", "Four police officers died there.", killed=4)])
    assert c.n_sources == 3 and c.duplicates == [["a1", "a2"]]
    assert c.best["killed"] == 4
