"""Readers turn files into Articles, and refuse bad input with an error naming it."""

from datetime import date
from pathlib import Path

import pytest

from polybius.errors import InputError
from polybius.ingest import read_file, read_paths
from polybius.ingest.decode import MAX_INPUT_BYTES


def test_text_file_takes_title_and_date_from_the_file(fixtures: Path):
    [article] = read_file(fixtures / "articles" / "2018-08-23-knife-attack.txt")
    assert article.title == "Knife attack in Paris suburb leaves two dead"
    assert article.published == date(2018, 8, 23)
    assert article.text.startswith("A man armed with a knife")
    assert {r.kind for r in article.removed} == {"byline", "caption", "read_more", "boilerplate"}


def test_html_page_gives_main_text_and_metadata(fixtures: Path):
    [article] = read_file(fixtures / "articles" / "protest-page.html")
    assert article.published == date(2019, 6, 10)
    assert article.url == "https://harbourledger.example.org/2019/06/10/hong-kong-march"
    assert "Organisers said more than one million people" in article.text
    assert "Photo: Reuters" not in article.text
    assert "Read more" not in article.text
    assert "Share this article" not in article.text


def test_jsonl_gives_one_article_per_line(fixtures: Path):
    articles = read_file(fixtures / "articles" / "wire.jsonl")
    assert [a.published for a in articles] == [date(2017, 8, 9), date(2018, 3, 19)]
    assert articles[0].url.endswith("/guam")


def test_directory_is_read_recursively_in_sorted_order(fixtures: Path):
    articles = list(read_paths([fixtures / "articles"]))
    assert len(articles) == 4


def test_same_text_gives_the_same_id(fixtures: Path):
    a = read_file(fixtures / "articles" / "wire.jsonl")[0]
    b = read_file(fixtures / "articles" / "wire.jsonl")[0]
    assert a.id == b.id and a.id.startswith("sha256:")


def test_latin1_text_is_decoded(fixtures: Path):
    [article] = read_file(fixtures / "bad" / "latin1.txt")
    assert "défilé à Paris" in article.text


@pytest.mark.parametrize("name, problem", [
    ("empty.txt", "file is empty"),
    ("binary.txt", "binary file"),
    ("broken.jsonl", "not valid JSON"),
    ("bad-date.jsonl", "not a valid date"),
    ("malformed.html", "no article text"),
])
def test_bad_input_is_refused_with_its_name(fixtures: Path, name: str, problem: str):
    with pytest.raises(InputError) as err:
        read_file(fixtures / "bad" / name)
    assert name in str(err.value)
    assert problem in str(err.value)


def test_bad_jsonl_line_is_named_with_its_line_number(fixtures: Path):
    with pytest.raises(InputError, match=r"broken\.jsonl:2"):
        read_file(fixtures / "bad" / "broken.jsonl")


def test_file_above_the_size_limit_is_refused(tmp_path: Path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_INPUT_BYTES + 1)  # sparse: no 20 MB written to disk
    with pytest.raises(InputError, match="above the 20 MiB limit"):
        read_file(huge)


def test_unknown_file_type_is_refused(tmp_path: Path):
    path = tmp_path / "movie.mp4"
    path.write_bytes(b"data")
    with pytest.raises(InputError, match="unsupported file type"):
        read_file(path)


def test_impossible_date_in_file_name_is_refused(tmp_path: Path):
    path = tmp_path / "2018-02-30-story.txt"
    path.write_text("Police arrested two men on Monday.")
    with pytest.raises(InputError, match="impossible date"):
        read_file(path)


def test_unclosed_tags_still_give_the_text(tmp_path: Path):
    page = tmp_path / "unclosed.html"
    page.write_text("<html><body><article><p>Police arrested <b>three men in Lyon on Monday, "
                    "the prosecutor's office said.<p>They were charged on Tuesday.</article>")
    [article] = read_file(page)
    assert "Police arrested three men in Lyon on Monday" in article.text


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

body = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(body, min_size=1, max_size=4), year=st.integers(1990, 2030))
def test_jsonl_either_reads_every_line_or_refuses_the_file(tmp_path_factory, texts: list[str], year: int):
    import json as _json

    path = tmp_path_factory.mktemp("jsonl") / "feed.jsonl"
    path.write_text("\n".join(_json.dumps({"text": t, "published": f"{year}-01-31"}) for t in texts),
                    encoding="utf-8")
    try:
        articles = read_file(path)
    except InputError as err:
        assert "feed.jsonl" in str(err)  # a refusal names the file (too little text, here)
    else:
        assert len(articles) == len(texts)
        assert all(a.published == date(year, 1, 31) for a in articles)
