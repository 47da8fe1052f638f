"""The TempEval-3 scorer on small hand-written TimeML documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from polybius.errors import EvaluationError
from polybius.evaluate import te3
from polybius.evaluate.te3 import Timex

DOC = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="2018-08-23" functionInDocument="CREATION_TIME">2018-08-23</TIMEX3></DCT>
<TEXT>Rebels <EVENT eid="e1">attacked</EVENT> the town on <TIMEX3 tid="t1" type="DATE" value="2018-08-22">Wednesday</TIMEX3> and stayed <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="PRESENT_REF"></TIMEX3></TEXT>
</TimeML>
"""


def write(tmp_path: Path, name: str = "a.tml", text: str = DOC) -> Path:
    folder = tmp_path / "time" / "sub"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_document_text_dct_and_gold_extents(tmp_path: Path) -> None:
    [doc] = te3.load_gold(write(tmp_path))
    assert doc.dct == date(2018, 8, 23)
    assert [(doc.text[t.start:t.end], t.type, t.value) for t in doc.timexes] == [
        ("Wednesday", "DATE", "2018-08-22"), ("three days", "DURATION", "P3D")]


def test_perfect_system_scores_one(tmp_path: Path) -> None:
    docs = te3.load_gold(write(tmp_path))
    report = te3.score(docs, [list(d.timexes) for d in docs])
    assert {k: report.metrics[k] for k in ("strict_f1", "relaxed_f1", "value_f1", "type_f1")} == {
        "strict_f1": 1.0, "relaxed_f1": 1.0, "value_f1": 1.0, "type_f1": 1.0}


def test_wider_extent_is_relaxed_only_and_a_wrong_value_costs_value_f1(tmp_path: Path) -> None:
    docs = te3.load_gold(write(tmp_path))
    wed, days = docs[0].timexes
    system = [[Timex(wed.start - 3, wed.end, "DATE", "2018-08-15"), days,
               Timex(0, 6, "DATE", "XXXX")]]  # "on Wednesday", right duration, a false "Rebels"
    m = te3.score(docs, system).metrics
    assert m["relaxed_precision"] == pytest.approx(2 / 3) and m["relaxed_recall"] == 1.0
    assert m["strict_precision"] == pytest.approx(1 / 3) and m["strict_recall"] == 0.5
    assert m["value_accuracy"] == 0.5
    assert m["value_f1"] == pytest.approx(0.5 * m["relaxed_f1"])


def test_every_tml_file_below_time_is_read_recursively(tmp_path: Path) -> None:
    write(tmp_path, "a.tml")
    write(tmp_path, "b.tml")
    assert [d.name for d in te3.load_gold(tmp_path)] == ["a", "b"]


def test_missing_folder_and_malformed_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no .tml files"):
        te3.load_gold(tmp_path)
    write(tmp_path, "bad.tml", "<TimeML><TEXT>unclosed")
    with pytest.raises(EvaluationError, match="bad.tml"):
        te3.load_gold(tmp_path)
