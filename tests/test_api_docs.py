"""docs/API.md cannot rot: its Python blocks run as written, and it documents every public name."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import polybius

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "API.md"


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def public_members(obj: type) -> list[str]:
    """Methods and properties a class defines itself (not inherited from list/object), minus dunders."""
    return [name for name, value in vars(obj).items()
            if not name.startswith("_") and (inspect.isfunction(value) or
                                             isinstance(value, property | classmethod | staticmethod))]


def test_walkthrough_code_blocks_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)  # the walkthrough writes walkthrough.db and events.geojson here
    for var in ("POLYBIUS_CONFIG", "POLYBIUS_BATCH_SIZE", "POLYBIUS_PORT", "POLYBIUS_MODEL"):
        monkeypatch.delenv(var, raising=False)
    blocks = python_blocks(API_MD.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    for n, block in enumerate(blocks, 1):
        exec(compile(block, f"docs/API.md python block {n}", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "located events" in out and "setting port (env POLYBIUS_PORT)" in out
    assert (tmp_path / "events.geojson").exists()


def test_every_public_name_has_a_docstring_with_an_example() -> None:
    for name in polybius.__all__:
        obj = getattr(polybius, name)
        doc = inspect.getdoc(obj) or ""
        assert doc, f"{name} has no docstring"
        assert "Example" in doc, f"{name}'s docstring has no example"
        if inspect.isclass(obj):
            for member in public_members(obj):
                assert inspect.getdoc(getattr(obj, member)), f"{name}.{member} has no docstring"


def test_every_public_name_and_method_is_in_api_md() -> None:
    text = API_MD.read_text(encoding="utf-8")
    for name in polybius.__all__:
        assert f"`{name}" in text, f"{name} is not documented in docs/API.md"
        obj = getattr(polybius, name)
        if inspect.isclass(obj) and not issubclass(obj, Exception):
            for member in public_members(obj):
                assert f"{name}.{member}" in text, f"{name}.{member} is not documented in docs/API.md"


def test_only_the_public_names_are_exported() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nlp_internals'"):
        polybius.nlp_internals  # noqa: B018
    assert set(polybius.__all__) >= {"Pipeline", "Config", "Document", "Store"}
