"""Publication date of HTML pages: metadata first, then the visible dateline, then the URL."""

from __future__ import annotations

from datetime import date

import pytest

from polybius.ingest.html import article_from_html
from polybius.ingest.pubdate import page_published

BODY = "<p>Police arrested three men in the port city on Monday after a week of protests.</p>"


def page(head: str = "", top: str = "", body: str = BODY) -> str:
    return f"<html><head>{head}</head><body>{top}<article>{body}</article></body></html>"


@pytest.mark.parametrize("head", [
    '<meta property="article:published_time" content="2019-06-10T08:30:00Z">',
    '<meta name="pubdate" content="2019-06-10">',
    '<meta itemprop="datePublished" content="2019-06-10">',
    '<meta name="DC.date.issued" content="10 June 2019">',
    '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
    '"datePublished": "2019-06-10T06:00:00+08:00"}]}</script>',
])
def test_metadata_gives_the_date(head: str) -> None:
    assert page_published(page(head)) == (date(2019, 6, 10), "metadata")


def test_time_element_marked_as_publication() -> None:
    html = page(top='<time itemprop="datePublished" datetime="2019-06-10">10 June</time>')
    assert page_published(html) == (date(2019, 6, 10), "metadata")


def test_visible_dateline_when_there_is_no_metadata() -> None:
    html = page(top="<p class='meta'>Updated 3:45 PM ET, Tue August 21, 2018</p>")
    assert page_published(html) == (date(2018, 8, 21), "dateline")


def test_metadata_wins_over_the_dateline() -> None:
    html = page('<meta name="date" content="2019-06-11">', "<p>Published 10 June 2019</p>")
    assert page_published(html) == (date(2019, 6, 11), "metadata")


def test_impossible_metadata_date_is_skipped_not_guessed() -> None:
    html = page('<meta name="date" content="2019-02-30">', "<p>Published 1 March 2019</p>")
    assert page_published(html) == (date(2019, 3, 1), "dateline")


def test_menus_and_footers_are_not_datelines() -> None:
    html = page(top="<nav>Archive: 3 May 2001</nav>",
                body=BODY + "<footer>Last updated 4 May 2002</footer>")
    assert page_published(html) == (None, "none")


def test_url_date_is_the_last_resort() -> None:
    assert page_published(page(), "https://news.example.org/2019/06/10/march") == (
        date(2019, 6, 10), "url")


def test_date_given_by_the_caller_wins_over_the_page() -> None:
    html = page('<meta name="date" content="2019-06-11">')
    article = article_from_html(html, source="t.html", published=date(2019, 6, 12))
    assert article.published == date(2019, 6, 12)
    assert article_from_html(html, source="t.html").published == date(2019, 6, 11)
