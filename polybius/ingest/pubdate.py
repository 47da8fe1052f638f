"""Publication date of an HTML news page: metadata first, then the visible dateline, then the URL.

Metadata is what the publisher states for machines (``article:published_time``, schema.org
``datePublished`` in microdata or JSON-LD, Dublin Core, ``<time pubdate>``); the dateline is the
first full date (day, month name and year, or ISO) near the top of the visible text ("Published
10 June 2019", "Tue August 21, 2018"); the URL path date (``/2019/06/10/``) comes last. Dates
that do not exist on the calendar are skipped, never guessed.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache

import lxml.html
from lxml import etree

from polybius.extract.timex import time_words

# Metadata names (meta name/property/itemprop), lower case, in order of trust.
_META_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
              "article.published", "publishdate", "publish-date", "publish_date", "pubdate",
              "publication_date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
              "dcterms.issued", "dcterms.created", "dc.date", "date")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_URL = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")
_DATELINE_CHARS = 800  # a dateline sits above or at the start of the story


def _calendar(year: str | int, month: str | int, day: str | int) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _date_pattern() -> re.Pattern[str]:
    names = "|".join(sorted(time_words().months, key=len, reverse=True))
    return re.compile(rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{names})\.?,?\s+"
                      rf"(?P<y1>\d{{4}})|(?P<m2>{names})\.?\s+(?P<d2>\d{{1,2}})"
                      rf"(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b",
                      re.IGNORECASE)


def _written_date(text: str) -> date | None:
    """The first full date written out in ``text`` (ISO, "10 June 2019", "June 10, 2019")."""
    months = time_words().months
    pattern = _date_pattern()
    for m in pattern.finditer(text):
        if m["iso"]:
            found = _calendar(*m["iso"].split("-"))
        elif m["d1"]:
            found = _calendar(m["y1"], months[m["m1"].lower()], m["d1"])
        else:
            found = _calendar(m["y2"], months[m["m2"].lower()], m["d2"])
        if found is not None:
            return found
    return None


def _value_date(value: str) -> date | None:
    value = value.strip()
    if m := _ISO.match(value):
        return _calendar(*m.groups())
    return _written_date(value)


def _from_metadata(tree: lxml.html.HtmlElement) -> date | None:
    found: dict[str, date] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_KEYS and key not in found:
            if (day := _value_date(meta.get("content") or "")) is not None:
                found[key] = day
    for key in _META_KEYS:
        if key in found:
            return found[key]
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            if (day := _json_ld_date(script.text)) is not None:
                return day
    for node in tree.iter("time"):
        if node.get("pubdate") is not None or (node.get("itemprop") or "") == "datePublished":
            if (day := _value_date(node.get("datetime") or node.text_content())) is not None:
                return day
    return None


def _json_ld_date(text: str) -> date | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:  # datePublished may sit in a list or under @graph
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str) and (day := _value_date(value)) is not None:
                return day
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _from_dateline(tree: lxml.html.HtmlElement) -> date | None:
    root = tree.find("body")
    root = root if root is not None else tree
    for hidden in list(root.iter("script", "style", "nav", "footer", "noscript")):
        if hidden.getparent() is not None:  # menus and footers carry other pages' dates
            hidden.drop_tree()
    text = " ".join(" ".join(root.itertext()).split())  # blocks must not run into each other
    return _written_date(text[:_DATELINE_CHARS])


def page_published(html: str, url: str | None = None) -> tuple[date | None, str]:
    """(publication date, where it came from: "metadata", "dateline", "url" or "none")."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        if (day := _from_metadata(tree)) is not None:
            return day, "metadata"
        if (day := _from_dateline(tree)) is not None:
            return day, "dateline"
    if url and (m := _URL.search(url)) and (day := _calendar(*m.groups())) is not None:
        return day, "url"
    return None, "none"
