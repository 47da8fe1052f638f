"""Cleaning: remove photo captions, "Read more" blocks, bylines and boilerplate from body text.

Works line by line on the main text (one paragraph a line, as trafilatura and JSONL feeds give it),
because these pieces are whole paragraphs on real pages. What is removed is returned, with its
kind, so the user can see it; what is kept is joined with blank lines between paragraphs.
"""

from __future__ import annotations

import re

from polybius.model import Removed

_PHOTO = r"(?:photo(?:graph)?|picture|image|pic|credit|video|footage)s?"
_AGENCY = r"(?:AFP|Reuters|AP|EPA|Getty Images?|Anadolu|Xinhua|PA|Shutterstock|[A-Z][\w.]+(?: [A-Z][\w.]+)?)"
RULES: list[tuple[str, re.Pattern[str]]] = [
    ("caption", re.compile(rf"^\(?{_PHOTO}\s*[:/|]\s*\S", re.I)),
    ("caption", re.compile(rf"[.)\s][\(\[]?{_PHOTO}\s*(?:by)?\s*[:/|]?\s*{_AGENCY}(?:\s*/\s*{_AGENCY})?[\)\]]?\.?$", re.I)),
    ("caption", re.compile(rf"\(\s*{_AGENCY}\s*(?:photo|/\s*Getty Images?)\s*\)\.?$", re.I)),
    ("caption", re.compile(r"^\s*(?:Caption|Pictured)\s*:", re.I)),
    ("read_more", re.compile(r"^\s*(?:read more|read also|also read|more on this|related(?: coverage| stories| articles)?|see also|recommended|more from|you may also like|most read)\b\s*[:>»-]?", re.I)),
    # "By Julia Ross in Bogotá": where the reporter files from, not where the news happened
    ("byline", re.compile(r"^\s*[Bb][Yy]\s+[A-Z][\w'.-]+(?:\s+(?:[A-Z][\w'.-]+|de|van|von|al|bin|and|&|,))*(?:\s+in\s+[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3})?\s*(?:,\s*[\w ]{0,40})?$")),
    ("byline", re.compile(r"^\s*(?:\(?(?:additional )?reporting by|writing by|editing by|compiled by)\b", re.I)),
    ("boilerplate", re.compile(r"powered by (?:automated |machine )?translation|(?:was|has been) (?:automatically |machine[- ])?translated|automated translation", re.I)),
    ("boilerplate", re.compile(r"^\s*(?:share (?:this|on)|share\b.*(?:facebook|twitter|whatsapp|email)|subscribe\b|sign up\b|follow us\b|click here\b|advertisement\s*$|all rights reserved|copyright\b|©)", re.I)),
]
# A "Read more:" header alone on its line is followed by a few link titles: short, unpunctuated.
LINK_TITLE = re.compile(r"^[^.!?]{3,120}[^.!?:;,]$")
MAX_LINK_TITLES = 5


def classify_line(line: str) -> str | None:
    """The kind of removable piece ``line`` is, or None when it is body text."""
    stripped = line.strip()
    for kind, pattern in RULES:
        if pattern.search(stripped):
            # A long sentence that merely mentions a photo is body text, not a caption.
            if kind == "caption" and len(stripped.split()) > 45:
                continue
            return kind
    return None


def clean_text(text: str) -> tuple[str, list[Removed]]:
    """Split ``text`` into clean body text and the removed pieces (captions, read-more, bylines…)."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    removed: list[Removed] = []
    titles_left = 0
    for line in lines:
        if not line:
            continue
        kind = classify_line(line)
        if kind is None and titles_left > 0 and LINK_TITLE.match(line):
            kind = "read_more"
            titles_left -= 1
        else:
            titles_left = 0
        if kind == "read_more" and len(re.sub(r"[:>»-]", " ", line).split()) <= 3:
            titles_left = MAX_LINK_TITLES  # a bare header: link titles follow on their own lines
        if kind:
            removed.append(Removed(kind=kind, text=line))
        else:
            kept.append(" ".join(line.split()))
    return "\n\n".join(kept), removed
