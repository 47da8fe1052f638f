"""The PLOVER scheme and trigger lexicon load, agree with each other, and reject bad entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybius.errors import ResourceError
from polybius.resources import plover

TYPES = ("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN "
         "PROTEST SANCTION MOBILIZE COERCE ASSAULT").split()


def test_scheme_has_the_sixteen_plover_types_with_definitions() -> None:
    scheme = plover.scheme()
    assert sorted(scheme.types) == sorted(TYPES)
    assert all(t.definition.strip() for t in scheme.types.values())


def test_assault_and_protest_modes_follow_plover() -> None:
    modes = plover.scheme().types
    assert {"primitive", "firearms", "explosives", "suicide-attack", "aerial", "drone",
            "heavy-weapons", "crowd-control", "abduct"} <= set(modes["ASSAULT"].modes)
    assert {"demo", "riot", "strike", "hunger", "boycott"} <= set(modes["PROTEST"].modes)


def test_every_type_has_several_triggers() -> None:
    counts = {t: 0 for t in TYPES}
    for entry in plover.lexicon().triggers:
        counts[entry.type] += 1
    assert min(counts.values()) >= 3, counts


def test_lexicon_is_loaded_once() -> None:
    assert plover.lexicon() is plover.lexicon()


def _write_lexicon(tmp_path: Path, trigger: str) -> Path:
    text = plover.TRIGGERS_FILE.read_text(encoding="utf-8")
    path = tmp_path / "triggers.yaml"
    path.write_text(text.replace("triggers:\n", f"triggers:\n  - {trigger}\n", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("trigger, problem", [
    ("{lemma: smite, type: SMITE, pos: verb}", "unknown PLOVER type 'SMITE'"),
    ("{lemma: smite, type: ASSAULT, pos: verb, mode: [laser]}", "mode 'laser'"),
    ("{lemma: smite, type: ASSAULT, pos: verb, context: [sports]}", "unknown context 'sports'"),
    ("{lemma: smite, type: ASSAULT, pos: adverb}", "pos must be one of"),
])
def test_invalid_trigger_entry_names_file_and_entry(tmp_path: Path, trigger: str, problem: str) -> None:
    path = _write_lexicon(tmp_path, trigger)
    with pytest.raises(ResourceError) as err:
        plover.load_lexicon(path, plover.scheme())
    assert "triggers.yaml" in str(err.value)
    assert "'smite'" in str(err.value)
    assert problem in str(err.value)


def test_unknown_mode_word_label_is_rejected(tmp_path: Path) -> None:
    text = plover.TRIGGERS_FILE.read_text(encoding="utf-8")
    path = tmp_path / "triggers.yaml"
    path.write_text(text.replace("mode_words:\n", "mode_words:\n  lasers: [phaser]\n", 1),
                    encoding="utf-8")
    with pytest.raises(ResourceError, match="lasers"):
        plover.load_lexicon(path, plover.scheme())


def test_currency_table_converts_euros_at_a_fixed_rate() -> None:
    currency = plover.lexicon().numbers.currencies["€"]
    assert currency.code == "EUR" and currency.rate > 0
