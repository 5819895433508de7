"""Configuration: defaults, the shipped config.toml, discovery and errors that name the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from qc.config import Config, ConfigError, config_from_mapping, config_to_mapping, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_toml_equals_built_in_defaults():
    shipped = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    assert shipped == config_to_mapping(Config())


def test_every_rule_is_in_the_shipped_config():
    from qc.rules import RULES

    shipped = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    assert sorted(shipped["rules"]) == sorted(rule.code for rule in RULES)


def test_partial_user_file_overrides_only_what_it_sets():
    config = config_from_mapping(
        {"repeat": {"min_chars": 30}, "rules": {"repeated-block": {"severity": "warning"}}}
    )
    assert config.repeat.min_chars == 30
    assert config.repeat.ngram == Config().repeat.ngram
    assert config.rule("QC101").severity == "warning"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"repeat": {"ngramm": 3}}, "unknown key 'repeat.ngramm'"),
        ({"repaet": {}}, "unknown key 'repaet'"),
        ({"repeat": {"ngram": "3"}}, "repeat.ngram: expected a number"),
        ({"repeat": {"ngram": 2.5}}, "repeat.ngram: expected a whole number"),
        ({"repeat": {"near_similarity": 1.5}}, "repeat.near_similarity: 1.5 is outside"),
        ({"input": {"include": "*.txt"}}, "input.include: expected a list of strings"),
        ({"rules": {"QC999": {}}}, "unknown rule 'rules.QC999'"),
        ({"rules": {"QC101": {"severity": "fatal"}}}, "rules.QC101.severity"),
        ({"rules": {"QC101": {"enabled": "yes"}}}, "rules.QC101.enabled: expected true or false"),
        ({"score": {"warn_below": 50, "fail_below": 60}}, "fail_below must not be above"),
    ],
)
def test_bad_config_names_the_key(data, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        config_from_mapping(data)


def test_discovery_prefers_qc_toml_then_pyproject_tool_qc(tmp_path: Path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert load_config(start=nested).source == "built-in defaults"
    (tmp_path / "pyproject.toml").write_text("[tool.qc.repeat]\nmin_chars = 25\n", encoding="utf-8")
    found = load_config(start=nested)
    assert found.repeat.min_chars == 25 and "[tool.qc]" in found.source
    (tmp_path / "a" / "qc.toml").write_text("[repeat]\nmin_chars = 40\n", encoding="utf-8")
    assert load_config(start=nested).repeat.min_chars == 40


def test_pyproject_without_tool_qc_is_skipped(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert load_config(start=tmp_path).source == "built-in defaults"


def test_invalid_toml_is_a_config_error(tmp_path: Path):
    bad = tmp_path / "qc.toml"
    bad.write_text("[repeat\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
