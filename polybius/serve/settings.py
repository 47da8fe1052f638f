"""Settings of the API server: a view of ``polybius.config.Config`` (the one place settings live)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from polybius.config import Config
from polybius.errors import ConfigError

SettingsError = ConfigError
"""A server setting has a value it cannot use (the message names the variable)."""


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default and meaning (the source for docs and help)."""

    env: str
    default: str
    help: str


def _settings() -> tuple[Setting, ...]:
    meta = {f.name: f for f in fields(Config)}
    return tuple(Setting(meta[name].metadata["env"], "" if meta[name].default is None else str(meta[name].default),
                         meta[name].metadata["help"])
                 for name in ("token", "private_reads", "max_body", "page_max"))


SETTINGS: tuple[Setting, ...] = _settings()


@dataclass(frozen=True)
class ServeSettings:
    """What the server needs to know beyond the store URL."""

    token: str | None = None
    private_reads: bool = False
    max_body: int = 2_000_000
    page_max: int = 500
    direct_reads: bool = True
    """Read common canonical pages on the sqlite3 connection itself (``serve.direct``); off
    only to compare it with the general path (same bytes)."""


def from_env(env: Mapping[str, str] | None = None) -> ServeSettings:
    """The server's settings from the configuration (file and ``env``, default the process environment)."""
    config = Config.load(env=env)
    return ServeSettings(token=config.token or None, private_reads=config.private_reads,
                         max_body=config.max_body, page_max=config.page_max)
