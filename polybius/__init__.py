"""Polybius: news articles in, verifiable, source-attributed PLOVER event records out.

The public API is the names in ``__all__`` (documented in docs/API.md); every other module is
internal and may change. Names are imported on first use, so ``import polybius`` stays cheap
(spaCy loads only when a ``Pipeline`` first parses).

Example::

    from polybius import Pipeline, Store

    doc = Pipeline().extract(text, published=date(2018, 8, 23))
    Store("sqlite:///events.db").ingest("reports/")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Pipeline": "polybius.pipeline",
    "Config": "polybius.config",
    "Article": "polybius.model",
    "Document": "polybius.model",
    "Store": "polybius.store.db",
    "IngestResult": "polybius.store.rows",
    "EventRow": "polybius.store.rows",
    "CanonicalEvent": "polybius.store.rows",
    "EventList": "polybius.store.results",
    "CanonicalEventList": "polybius.store.results",
    "PolybiusError": "polybius.errors",
    "InputError": "polybius.errors",
    "StoreError": "polybius.errors",
    "ConfigError": "polybius.errors",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from polybius.config import Config
    from polybius.errors import ConfigError, InputError, PolybiusError, StoreError
    from polybius.model import Article, Document
    from polybius.pipeline import Pipeline
    from polybius.store.db import Store
    from polybius.store.results import CanonicalEventList, EventList
    from polybius.store.rows import CanonicalEvent, EventRow, IngestResult


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'polybius' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
