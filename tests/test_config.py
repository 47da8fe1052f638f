"""Configuration: defaults < TOML file < environment < arguments, validated with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from polybius.cli import main
from polybius.config import Config, settings
from polybius.errors import ConfigError


@pytest.fixture(autouse=True)
def no_ambient_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see neither the developer's POLYBIUS_* variables nor a polybius.toml in the cwd."""
    for _, var, _ in settings():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("POLYBIUS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_when_nothing_is_set() -> None:
    config, sources = Config.resolve(env={})
    assert config.batch_size == 16 and config.db == "sqlite:///polybius.db" and config.token is None
    assert set(sources.values()) == {"default"}


def test_file_overrides_defaults_env_overrides_file_and_arguments_override_env(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "p.toml", 'batch_size = 8\nmodel = "m-file"\nport = 9000\n')
    config, sources = Config.resolve(toml, {"POLYBIUS_BATCH_SIZE": "32", "POLYBIUS_PORT": "9001"}, port=9002)
    assert (config.model, config.batch_size, config.port) == ("m-file", 32, 9002)
    assert sources["model"] == f"file {toml}"
    assert sources["batch_size"] == "env POLYBIUS_BATCH_SIZE"
    assert sources["port"] == "argument" and sources["host"] == "default"


def test_polybius_toml_in_the_working_directory_is_read(tmp_path: Path) -> None:
    write_toml(tmp_path / "polybius.toml", "fetch = true\nfetch_timeout = 2.5\n")
    config = Config.load(env={})
    assert config.fetch is True and config.fetch_timeout == 2.5


def test_polybius_config_variable_names_the_file(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "elsewhere.toml", 'db = "sqlite:///x.db"\n')
    assert Config.load(env={"POLYBIUS_CONFIG": str(toml)}).db == "sqlite:///x.db"
    with pytest.raises(ConfigError, match="missing.toml does not exist"):
        Config.load(env={"POLYBIUS_CONFIG": str(tmp_path / "missing.toml")})


def test_unknown_key_in_the_file_names_the_key_and_the_file(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "p.toml", "batchsize = 4\n")
    with pytest.raises(ConfigError, match=r"p\.toml: unknown setting 'batchsize'"):
        Config.load(toml, {})


def test_unparsable_file_is_a_config_error(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "p.toml", "batch_size = = 4\n")
    with pytest.raises(ConfigError, match="cannot be read"):
        Config.load(toml, {})


@pytest.mark.parametrize("var, value, message", [
    ("POLYBIUS_BATCH_SIZE", "many", r"setting batch_size \(env POLYBIUS_BATCH_SIZE\): 'many' is not a whole number"),
    ("POLYBIUS_BATCH_SIZE", "0", r"setting batch_size \(env POLYBIUS_BATCH_SIZE\): 0 is below the minimum 1"),
    ("POLYBIUS_PORT", "70000", r"setting port \(env POLYBIUS_PORT\): 70000 is not a TCP port"),
    ("POLYBIUS_FETCH", "perhaps", r"setting fetch \(env POLYBIUS_FETCH\): 'perhaps' is not true or false"),
    ("POLYBIUS_FETCH_TIMEOUT", "soon", r"setting fetch_timeout \(env POLYBIUS_FETCH_TIMEOUT\): 'soon' is not a finite number"),
    ("POLYBIUS_FETCH_TIMEOUT", "nan", r"'nan' is not a finite number"),
])
def test_bad_environment_value_names_the_setting_and_the_variable(var: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.load(env={var: value})


def test_bad_file_value_names_the_file(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "p.toml", 'max_body = "lots"\n')
    with pytest.raises(ConfigError, match=r"setting max_body \(file .*p\.toml\): 'lots'"):
        Config.load(toml, {})


@pytest.mark.parametrize("text, expected", [("1", True), ("yes", True), ("TRUE", True), ("off", False), ("0", False)])
def test_boolean_variables_accept_the_usual_spellings(text: str, expected: bool) -> None:
    assert Config.load(env={"POLYBIUS_PRIVATE_READS": text}).private_reads is expected


def test_an_empty_variable_counts_as_unset() -> None:
    assert Config.load(env={"POLYBIUS_DATA": "", "POLYBIUS_TOKEN": ""}).data_dir == str(Path("..") / "shared" / "data")


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ConfigError, match="batch_size"):
        Config(batch_size=0)


def test_every_setting_has_help_text_and_a_polybius_variable() -> None:
    for name, var, help_text in settings():
        assert help_text.endswith("."), name
        assert var == "POLYBIUS_" + ("DATA" if name == "data_dir" else name.upper()), name


def test_pipeline_config_is_the_same_class_and_pipeline_reads_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from polybius.pipeline import Config as PipelineConfig
    from polybius.pipeline import Pipeline

    assert PipelineConfig is Config
    monkeypatch.setenv("POLYBIUS_BATCH_SIZE", "7")
    assert Pipeline().config.batch_size == 7 and Config.from_env().batch_size == 7


def test_config_command_prints_values_sources_and_masks_the_token(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYBIUS_TOKEN", "s3cret-token-value")
    write_toml(tmp_path / "polybius.toml", "port = 8123\n")
    result = CliRunner().invoke(main, ["config", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["setting"]: r for r in json.loads(result.output)}
    assert rows["port"]["value"] == "8123" and rows["port"]["source"] == "file polybius.toml"
    assert rows["token"]["source"] == "env POLYBIUS_TOKEN" and "s3cret" not in result.output
    assert rows["batch_size"]["source"] == "default" and rows["batch_size"]["help"]
    table = CliRunner().invoke(main, ["config"])
    assert table.exit_code == 0 and "s3cret" not in table.output and "POLYBIUS_PORT" in table.output


def test_config_command_reports_a_bad_setting_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYBIUS_PORT", "http")
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 1
    assert "setting port (env POLYBIUS_PORT)" in result.output and "Traceback" not in result.output
