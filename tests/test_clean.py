"""Cleaning removes captions, read-more blocks, bylines and boilerplate, and keeps the body."""

from polybius.clean import classify_line, clean_text

PAGE = """By Claire Martin, Staff Reporter
A man armed with a knife killed two people in Trappes on Thursday.
Police at the scene in Trappes on Thursday. Photo: AFP
Read more:
France raises its terror alert
Who runs the Amaq agency
The Islamic State group claimed responsibility for the attack.
Share this article
This article was translated from French. Powered by automated translation.
Read more: Macron visits Trappes
Subscribe to our newsletter"""


def test_body_paragraphs_are_kept_in_order():
    text, _ = clean_text(PAGE)
    assert text == ("A man armed with a knife killed two people in Trappes on Thursday.\n\n"
                    "The Islamic State group claimed responsibility for the attack.")


def test_removed_pieces_are_kept_with_their_kind():
    _, removed = clean_text(PAGE)
    kinds = [(r.kind, r.text) for r in removed]
    assert ("byline", "By Claire Martin, Staff Reporter") in kinds
    assert ("caption", "Police at the scene in Trappes on Thursday. Photo: AFP") in kinds
    assert ("read_more", "France raises its terror alert") in kinds
    assert ("read_more", "Read more: Macron visits Trappes") in kinds
    assert ("boilerplate", "Share this article") in kinds
    assert ("boilerplate", "This article was translated from French. Powered by automated translation.") in kinds
    assert ("boilerplate", "Subscribe to our newsletter") in kinds


def test_link_titles_after_read_more_stop_at_the_next_sentence():
    text, removed = clean_text("Read more:\nA short link title\nThe army said it had withdrawn.")
    assert text == "The army said it had withdrawn."
    assert [r.kind for r in removed] == ["read_more", "read_more"]


def test_sentence_starting_with_by_is_body_text():
    assert classify_line("By the end of the day, 20 people had died in the clashes.") is None


def test_long_sentence_mentioning_a_photo_is_body_text():
    line = ("The ministry said a photo showing soldiers near the border was taken in 2014 and had been "
            "shared thousands of times by accounts that claimed it showed a new deployment of troops "
            "along the frontier with the neighbouring country this week, which officials denied. Photo: AFP")
    assert classify_line(line) is None


def test_wire_credit_lines_are_bylines():
    assert classify_line("Reporting by Tom Jones; Editing by Ann Lee") == "byline"


def test_a_byline_naming_the_reporters_city_is_a_byline():
    assert classify_line("By Marta Quiroga in Lima") == "byline"
    assert classify_line("By Marta Quiroga in Buenos Aires") == "byline"
    # a body sentence that starts with "By" and a place is not one
    assert classify_line("By noon in Lima the streets were empty.") is None


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

lines = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=80),
                 max_size=12)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_every_line_is_either_kept_or_reported_removed(page: list[str]):
    text, removed = clean_text("\n".join(page))
    kept = text.split("\n\n") if text else []
    expected = [" ".join(ln.split()) for ln in page if ln.strip()]
    got = kept + [" ".join(r.text.split()) for r in removed]
    assert sorted(got) == sorted(expected)
    assert all(p.strip() for p in kept)
