"""JSON text of the store's JSON columns: orjson, writing the model's dataclasses directly.

Serialising a document was half of the store's write time with ``to_plain`` + ``json.dumps``:
orjson walks dataclasses, tuples and lists in C and gives the same JSON values (dataclass fields
in declaration order, tuples as arrays), so the writer hands it the records as they are.
The standard library stays as the fallback for what orjson refuses (integers beyond 64 bits,
unknown types), so any value the old path could store is still stored.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import orjson

from polybius.model import to_plain


def dumps(value: Any) -> str:
    """JSON text of ``value`` (dicts, lists, scalars and model dataclasses), UTF-8 unescaped."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, default=_fallback, ensure_ascii=False)


def dumps_bytes(value: Any) -> bytes:
    """``dumps`` as UTF-8 bytes (psycopg sends bytes as they are; SQLite needs ``str``)."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, default=_fallback, ensure_ascii=False).encode()


def loads(text: str | bytes) -> Any:
    """The value of JSON text; also reads NaN/Infinity, which ``json.dumps`` wrote in older stores."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _fallback(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_plain(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
