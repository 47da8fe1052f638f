"""Settings of sources and scale-out, read from the environment in one place.

Each setting is data with help text, so code, docs and ``--help`` share one source.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from polybius.errors import PolybiusError
from polybius.ingest.fetch import FetchPolicy


@dataclass(frozen=True)
class SourceSettings:
    """Limits for fetching, feeds, WARC reading and the Dask runner."""

    fetch_max_bytes: int = 10 * 2**20
    """POLYBIUS_FETCH_MAX_BYTES: largest HTTP body accepted (bytes)."""
    fetch_timeout: float = 20.0
    """POLYBIUS_FETCH_TIMEOUT: seconds for connecting and for each read."""
    fetch_max_redirects: int = 5
    """POLYBIUS_FETCH_MAX_REDIRECTS: redirects followed before giving up."""
    fetch_min_interval: float = 1.0
    """POLYBIUS_FETCH_MIN_INTERVAL: seconds between two requests to one host."""
    fetch_allow_private: bool = False
    """POLYBIUS_FETCH_ALLOW_PRIVATE: allow private/loopback addresses (tests against a local server only)."""
    warc_max_record_bytes: int = 5 * 2**20
    """POLYBIUS_WARC_MAX_RECORD_BYTES: larger WARC response payloads are skipped."""
    scale_partition_size: int = 32
    """POLYBIUS_PARTITION_SIZE: articles per Dask task."""
    scale_write_batch: int = 64
    """POLYBIUS_WRITE_BATCH: documents per store transaction of the single writer."""


_ENV = {f.name: "POLYBIUS_" + f.name.upper().removeprefix("SCALE_") for f in fields(SourceSettings)}


def source_settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """The settings with ``POLYBIUS_*`` environment overrides; a bad value is a clear error."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(SourceSettings):
        name = _ENV[f.name]
        raw = env.get(name)
        if raw is None or raw == "":
            continue
        kind = type(getattr(SourceSettings, f.name))
        try:
            if kind is bool:
                if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError(raw)
                values[f.name] = raw.lower() in ("1", "true", "yes")
            else:
                values[f.name] = kind(raw)
        except ValueError:
            raise PolybiusError(f"environment variable {name}={raw!r} is not a valid "
                                f"{kind.__name__}") from None
    return SourceSettings(**values)  # type: ignore[arg-type]


def env_names() -> dict[str, str]:
    """Setting field → environment variable name."""
    return dict(_ENV)


def fetch_policy(settings: SourceSettings) -> FetchPolicy:
    """The fetcher's policy from the settings."""
    return FetchPolicy(max_bytes=settings.fetch_max_bytes, timeout=settings.fetch_timeout,
                       max_redirects=settings.fetch_max_redirects,
                       min_interval=settings.fetch_min_interval,
                       allow_private=settings.fetch_allow_private)
