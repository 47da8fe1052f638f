"""Settings of sources and scale-out: a view of ``polybius.config.Config`` (file and environment).

The defaults below must equal Config's (a test checks it); they let code and tests build the
settings without reading any configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from polybius.config import Config
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


# Each field here is the Config setting of the same name (``scale_`` fields drop the prefix there).
_CONFIG_NAME = {f.name: f.name.removeprefix("scale_") for f in fields(SourceSettings)}


def source_settings(environ: Mapping[str, str] | None = None) -> SourceSettings:
    """These settings from the configuration (file and environment); a bad value is a clear error."""
    config = Config.load(env=environ)
    return SourceSettings(**{name: getattr(config, key) for name, key in _CONFIG_NAME.items()})


def env_names() -> dict[str, str]:
    """Setting field → environment variable name."""
    env = {f.name: f.metadata["env"] for f in fields(Config)}
    return {name: env[key] for name, key in _CONFIG_NAME.items()}


def fetch_policy(settings: SourceSettings) -> FetchPolicy:
    """The fetcher's policy from the settings."""
    return FetchPolicy(max_bytes=settings.fetch_max_bytes, timeout=settings.fetch_timeout,
                       max_redirects=settings.fetch_max_redirects,
                       min_interval=settings.fetch_min_interval,
                       allow_private=settings.fetch_allow_private)
