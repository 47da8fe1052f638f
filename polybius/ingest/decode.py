"""Turning bytes into text safely: size limit, binary detection, encoding detection."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from polybius.errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""Largest input file accepted (20 MiB): a news article, even a JSONL batch of them, is far
smaller, and a bigger file is almost always a mistake (a database dump, a video)."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing empty files and files above ``MAX_INPUT_BYTES``."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(str(path), f"file is {size / 2**20:.1f} MiB, above the "
                                        f"{MAX_INPUT_BYTES // 2**20} MiB limit for one input")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from err
    if not data.strip():
        raise InputError(str(path), "file is empty")
    return data


def decode(data: bytes, source: str) -> str:
    """Decode ``data`` as UTF-8, else as the detected encoding; refuse binary data."""
    if b"\x00" in data[:8192]:
        raise InputError(source, "looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot detect the text encoding (not UTF-8, and no other "
                                 "encoding fits); convert it to UTF-8")
    text = str(best)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 8192):
        raise InputError(source, "looks like a binary file (control characters), not text")
    return text
