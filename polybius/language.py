"""Is an article in English? Polybius's lexicons and parser are English-only, so other languages
are flagged and skipped (with the reason) instead of being coded into nonsense events.

Two independent tests must agree before an article is called non-English: py3langid (langid.py's
naive Bayes model, shipped inside the package, offline) names another language, and the share of
English function words ("the", "of", "and" ...) is low. English prose runs at 35–55 % of its words;
the second test keeps short English headlines, tables flattened to text and lists of names (which
langid can misjudge) from being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

# Below this many letters there is too little evidence either way: the article is processed.
_MIN_LETTERS = 40
# Enough text for a confident guess; identification cost grows with length.
_SAMPLE_CHARS = 2000
# English prose is 35-55 % stop words; German or French prose with English-looking words
# ("die", "an", "on", "a") stays well under 20 %.
_MAX_FOREIGN_STOP_RATIO = 0.2
# langid's normalised probability for its guess; lists of names score lower than prose.
_MIN_PROBABILITY = 0.95
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageCheck:
    """The language guess for a text, and why a non-English one is skipped."""

    code: str
    """ISO 639-1 code of the best guess ("en" when the text is too short to tell)."""
    english: bool
    stop_ratio: float
    """Share of the sampled words that are English stop words."""

    @property
    def reason(self) -> str | None:
        """Why the text is skipped, or None when it is processed."""
        if self.english:
            return None
        return (f"language:{self.code} (py3langid; {self.stop_ratio:.0%} English stop words): "
                f"Polybius codes English text only")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded once, on the first article long enough to check (~0.6 s: the packaged model is decompressed).
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def check_language(text: str) -> LanguageCheck:
    """Whether ``text`` is English enough to code; never raises on odd input."""
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    letters = sum(len(w) for w in words)
    if letters < _MIN_LETTERS:
        return LanguageCheck("en", True, 1.0)
    ratio = sum(w in STOP_WORDS for w in words) / len(words)
    if ratio > _MAX_FOREIGN_STOP_RATIO:
        return LanguageCheck("en", True, ratio)
    code, prob = _identifier().classify(sample)
    english = code == "en" or prob < _MIN_PROBABILITY
    return LanguageCheck("en" if english else str(code), english, ratio)
