"""Settings of the API server, read from environment variables in one place (``from_env``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from polybius.errors import PolybiusError


class SettingsError(PolybiusError):
    """An environment variable of the server has a value it cannot use."""


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default and meaning (the source for docs and help)."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("POLYBIUS_TOKEN", "", "Bearer token that write requests (POST /articles) must send; "
                                  "empty = writes are refused."),
    Setting("POLYBIUS_PRIVATE_READS", "0", "1 = reads need the same bearer token too."),
    Setting("POLYBIUS_MAX_BODY", "2000000", "Largest request body in bytes; larger ones get 413."),
    Setting("POLYBIUS_PAGE_MAX", "500", "Largest page size (limit) of GET /events."),
)


@dataclass(frozen=True)
class ServeSettings:
    """What the server needs to know beyond the store URL."""

    token: str | None = None
    private_reads: bool = False
    max_body: int = 2_000_000
    page_max: int = 500


def _int(env: Mapping[str, str], name: str, default: str, low: int) -> int:
    raw = env.get(name, default).strip() or default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < low:
        raise SettingsError(f"{name}={raw!r} must be at least {low}")
    return value


def from_env(env: Mapping[str, str] | None = None) -> ServeSettings:
    """The settings from ``env`` (default: the process environment); see ``SETTINGS``."""
    env = os.environ if env is None else env
    flag = env.get("POLYBIUS_PRIVATE_READS", "0").strip().lower()
    if flag not in ("", "0", "1", "true", "false", "yes", "no"):
        raise SettingsError(f"POLYBIUS_PRIVATE_READS={flag!r}: use 1 or 0")
    return ServeSettings(
        token=env.get("POLYBIUS_TOKEN") or None,
        private_reads=flag in ("1", "true", "yes"),
        max_body=_int(env, "POLYBIUS_MAX_BODY", "2000000", 1024),
        page_max=_int(env, "POLYBIUS_PAGE_MAX", "500", 1),
    )
