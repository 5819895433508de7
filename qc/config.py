"""Typed configuration: built-in defaults, optionally overridden by a user TOML file.

One dataclass per TOML table. A user file may set any subset of keys; unknown keys and values
of the wrong type or range are errors that name the key. The shipped top-level `config.toml`
documents every key with its default (a test keeps the two equal).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from qc.model import Severity
from qc.rules import RULES, RULES_BY_CODE


class ConfigError(ValueError):
    """A configuration file is unreadable, or names an unknown key or a bad value."""


@dataclass(frozen=True)
class InputConfig:
    include: tuple[str, ...] = ("*.txt", "*.md")
    exclude: tuple[str, ...] = ()
    encoding: str = "auto"
    max_file_mb: float = 64.0


@dataclass(frozen=True)
class RepeatConfig:
    ngram: int = 3
    num_perm: int = 64
    lsh_threshold: float = 0.5
    near_similarity: float = 0.9
    min_chars: int = 20
    min_sentence_chars: int = 6
    cover_ratio: float = 0.8
    extension_min_chars: int = 30
    extension_max_distance: int = 2
    max_block_gap: int = 2
    max_candidates: int = 32


@dataclass(frozen=True)
class InsertConfig:
    min_bigrams: int = 6
    min_article_bigrams: int = 40
    news_vocabulary_min: float = 0.6
    anchor_topic_min: float = 0.1
    marked_topic_max: float = 0.05
    unmarked_topic_max: float = 0.03
    unmarked_news_max: float = 0.5
    unmarked_min_chars: int = 60
    unmarked_min_lines: int = 2
    short_line_chars: int = 30


@dataclass(frozen=True)
class LayoutConfig:
    body_min_chars: int = 40
    orphan_max_chars: int = 12
    fragment_max_chars: int = 1
    start_ratio_max: float = 0.01
    new_sentence_ratio: float = 0.1
    continuation_odds: float = 1.0


@dataclass(frozen=True)
class BoilerplateConfig:
    disable: tuple[str, ...] = ()
    extra_patterns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreConfig:
    warn_below: float = 95.0
    fail_below: float = 80.0
    error_weight: float = 1.0
    warning_weight: float = 0.5
    info_weight: float = 0.1


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool = True
    severity: Severity = "error"


def _default_rules() -> dict[str, RuleConfig]:
    return {rule.code: RuleConfig(True, rule.severity) for rule in RULES}


@dataclass(frozen=True)
class Config:
    input: InputConfig = field(default_factory=InputConfig)
    repeat: RepeatConfig = field(default_factory=RepeatConfig)
    insert: InsertConfig = field(default_factory=InsertConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    rules: dict[str, RuleConfig] = field(default_factory=_default_rules)
    source: str = "built-in defaults"

    def rule(self, code: str) -> RuleConfig:
        return self.rules.get(code) or RuleConfig(True, RULES_BY_CODE[code].severity)


_SECTIONS: dict[str, type] = {
    "input": InputConfig,
    "repeat": RepeatConfig,
    "insert": InsertConfig,
    "boilerplate": BoilerplateConfig,
    "layout": LayoutConfig,
    "score": ScoreConfig,
}

# Values that must lie in a range; everything else is only type-checked.
_RANGES: dict[str, tuple[float, float]] = {
    "input.max_file_mb": (0.001, 1_000_000),
    "repeat.ngram": (1, 16),
    "repeat.num_perm": (16, 1024),
    "repeat.lsh_threshold": (0.05, 1.0),
    "repeat.near_similarity": (0.5, 1.0),
    "repeat.min_chars": (1, 10_000),
    "repeat.min_sentence_chars": (1, 10_000),
    "repeat.cover_ratio": (0.1, 1.0),
    "repeat.extension_min_chars": (1, 10_000),
    "repeat.extension_max_distance": (1, 100),
    "repeat.max_block_gap": (1, 100),
    "repeat.max_candidates": (1, 10_000),
    "insert.min_bigrams": (1, 1000),
    "insert.min_article_bigrams": (0, 1_000_000),
    "insert.news_vocabulary_min": (0, 1),
    "insert.anchor_topic_min": (0, 1),
    "insert.marked_topic_max": (0, 1),
    "insert.unmarked_topic_max": (0, 1),
    "insert.unmarked_news_max": (0, 1),
    "insert.unmarked_min_chars": (0, 1_000_000),
    "insert.short_line_chars": (0, 10_000),
    "insert.unmarked_min_lines": (1, 10_000),
    "layout.body_min_chars": (1, 100_000),
    "layout.orphan_max_chars": (1, 1000),
    "layout.fragment_max_chars": (0, 100),
    "layout.start_ratio_max": (0, 1),
    "layout.new_sentence_ratio": (0, 1),
    "layout.continuation_odds": (0, 1_000_000),
    "score.warn_below": (0, 100),
    "score.fail_below": (0, 100),
}


def _coerce(key: str, value: Any, hint: Any) -> Any:
    """Check one TOML value against a dataclass field type; return it in the field's type."""
    if hint in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        if hint is int and not isinstance(value, int):
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        low, high = _RANGES.get(key, (float("-inf"), float("inf")))
        if not low <= value <= high:
            raise ConfigError(f"{key}: {value!r} is outside {low:g}..{high:g}")
        return hint(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if get_origin(hint) is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            raise ConfigError(f"{key}: expected one of {', '.join(allowed)}, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return value
    if hint == dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"{key}: expected a table of strings, got {value!r}")
        return dict(value)
    if hint == tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
        return tuple(value)
    raise ConfigError(f"{key}: unsupported setting")  # pragma: no cover - a qc bug, not user error


def _merge_section(name: str, base: Any, table: Any) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{name}: expected a table")
    hints = get_type_hints(type(base))
    known = {f.name for f in dataclasses.fields(base)}
    changes = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"unknown key '{name}.{key}'")
        changes[key] = _coerce(f"{name}.{key}", value, hints[key])
    return dataclasses.replace(base, **changes)


def _merge_rules(base: dict[str, RuleConfig], table: Any) -> dict[str, RuleConfig]:
    if not isinstance(table, dict):
        raise ConfigError("rules: expected a table")
    merged = dict(base)
    by_name = {rule.name: rule.code for rule in RULES}
    for key, value in table.items():
        code = key if key in RULES_BY_CODE else by_name.get(key)
        if code is None:
            raise ConfigError(f"unknown rule 'rules.{key}'")
        merged[code] = _merge_section(f"rules.{key}", merged[code], value)
    return merged


def config_from_mapping(data: dict[str, Any], source: str = "mapping") -> Config:
    """Build a Config from parsed TOML, on top of the built-in defaults."""
    config = Config(source=source)
    changes: dict[str, Any] = {}
    for name, table in data.items():
        if name == "rules":
            changes["rules"] = _merge_rules(config.rules, table)
        elif name in _SECTIONS:
            changes[name] = _merge_section(name, getattr(config, name), table)
        else:
            raise ConfigError(f"unknown key '{name}'")
    config = dataclasses.replace(config, **changes)
    for pattern_id, expression in config.boilerplate.extra_patterns.items():
        try:
            re.compile(expression)
        except re.error as exc:
            raise ConfigError(
                f"boilerplate.extra_patterns.{pattern_id}: bad pattern: {exc}"
            ) from exc
    if config.score.fail_below > config.score.warn_below:
        raise ConfigError("score.fail_below must not be above score.warn_below")
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def find_config_file(start: Path) -> tuple[Path, bool] | None:
    """The nearest qc.toml, or pyproject.toml with a [tool.qc] table, walking up from `start`.

    Returns the path and whether the settings sit under [tool.qc].
    """
    for folder in (start, *start.parents):
        candidate = folder / "qc.toml"
        if candidate.is_file():
            return candidate, False
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "qc" in _read_toml(pyproject).get("tool", {}):
            return pyproject, True
    return None


def load_config(path: str | Path | None = None, *, start: str | Path | None = None) -> Config:
    """The effective config: `path`, else the nearest qc.toml / [tool.qc], else defaults."""
    if path is not None:
        file = Path(path)
        return config_from_mapping(_read_toml(file), source=str(file))
    found = find_config_file(Path(start or Path.cwd()).resolve())
    if found is None:
        return Config()
    file, nested = found
    data = _read_toml(file)
    if nested:
        data = data["tool"]["qc"]
        if not isinstance(data, dict):
            raise ConfigError(f"{file}: [tool.qc] must be a table")
        return config_from_mapping(data, source=f"{file} [tool.qc]")
    return config_from_mapping(data, source=str(file))


def config_to_mapping(config: Config) -> dict[str, Any]:
    """The config as plain TOML-ready data (tuples become lists)."""
    data: dict[str, Any] = {}
    for name in _SECTIONS:
        section = dataclasses.asdict(getattr(config, name))
        data[name] = {k: list(v) if isinstance(v, tuple) else v for k, v in section.items()}
    data["rules"] = {code: dataclasses.asdict(rule) for code, rule in sorted(config.rules.items())}
    return data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def config_to_toml(config: Config) -> str:
    """The effective config as TOML that `--config` accepts back."""
    out: list[str] = []
    for table, values in config_to_mapping(config).items():
        if table == "rules":
            for code, rule in values.items():
                out.append(f"[rules.{code}]")
                out.extend(f"{k} = {_toml_value(v)}" for k, v in rule.items())
                out.append("")
            continue
        out.append(f"[{table}]")
        out.extend(f"{k} = {_toml_value(v)}" for k, v in values.items())
        out.append("")
    return "\n".join(out)
