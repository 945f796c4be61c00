"""Configuration: `[tool.healthlint]` in the nearest pyproject.toml, or .healthlint.toml,
or a file named with --config. Every key is checked; mistakes exit 2 naming file and key."""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.model import Rule, Severity
from healthlint.registry import Registry, RegistryError
from healthlint.resources import rules_dir

DEFAULT_INCLUDE = ["*.md", "*.markdown", "*.txt"]
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
FAIL_LEVELS = ("error", "warning", "info", "never")
CONFIG_NAMES = (".healthlint.toml", "pyproject.toml")

# key -> (type description, checker)
_LIST = ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v))
KEYS = {
    "select": _LIST,
    "extend-select": _LIST,
    "ignore": _LIST,
    "per-file-ignores": ("a table of glob = [rules]",
                         lambda v: isinstance(v, dict) and all(_LIST[1](i) for i in v.values())),
    "rules": ("a table of rule tables", lambda v: isinstance(v, dict) and all(isinstance(i, dict) for i in v.values())),
    "rule-paths": _LIST,
    "include": _LIST,
    "exclude": _LIST,
    "max-file-size": ("a number of bytes or a size such as \"5MB\"",
                      lambda v: (isinstance(v, int) and not isinstance(v, bool) and v > 0)
                      or (isinstance(v, str) and _SIZE_RE.match(v) is not None)),
    "fail-on": ("one of error, warning, info, never", lambda v: v in FAIL_LEVELS),
    "cache-dir": ("a folder path (a string)", lambda v: isinstance(v, str) and v.strip() != ""),
    "preset": ("the name of a preset (" + ", ".join(p.stem for p in sorted((rules_dir() / "presets").glob("*.toml")))
               + ")", lambda v: isinstance(v, str) and (rules_dir() / "presets" / f"{v}.toml").is_file()),
}
# keys whose lists add to a preset's instead of replacing them
ADDITIVE_KEYS = ("extend-select", "ignore")
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.I)


class ConfigError(Exception):
    """A configuration a user must fix (exit 2)."""


@dataclass
class Config:
    path: Path | None = None          # the file it came from, if any
    root: Path = field(default_factory=Path.cwd)   # relative globs and paths start here
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "command line"

    @property
    def include(self) -> list[str]:
        return self.get("include", DEFAULT_INCLUDE)

    @property
    def exclude(self) -> list[str]:
        return self.get("exclude", [])

    @property
    def max_file_size(self) -> int:
        value = self.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
        if isinstance(value, int):
            return value
        number, unit = _SIZE_RE.match(value).groups()
        return int(float(number) * {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}[(unit or "b").lower()])

    @property
    def cache_dir(self) -> Path | None:
        value = self.get("cache-dir")
        return None if value is None else self.root / Path(value).expanduser()

    @property
    def rule_paths(self) -> list[Path]:
        return [(self.root / p) for p in self.get("rule-paths", [])]


def find_config(start: Path) -> Path | None:
    """The nearest .healthlint.toml, or pyproject.toml with a [tool.healthlint] table."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and "[tool.healthlint" not in _read(candidate):
                    continue
                return candidate
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_config(path: Path | None, preset: str | None = None) -> Config:
    """Read and check a config file; `preset` (from the command line) replaces the file's."""
    if path is None:
        return Config(values=with_preset(_checked({"preset": preset}, "command line: ", "")) if preset else {})
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("healthlint", {})
        prefix = "tool.healthlint."
    else:
        prefix = ""
    data = _checked(data, f"{path}: ", prefix)
    if preset:
        data = {**data, **_checked({"preset": preset}, "command line: ", "")}
    return Config(path=path, root=path.parent.resolve(), values=with_preset(data))


def _checked(data: dict, where: str, prefix: str) -> dict:
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{where}unknown key '{prefix}{key}'{_suggest(key, KEYS)}")
        description, valid = KEYS[key]
        if not valid(value):
            raise ConfigError(f"{where}'{prefix}{key}' must be {description}, not {value!r}")
    return data


def with_preset(values: dict) -> dict:
    """Apply a preset: its keys are defaults; extend-select and ignore add to it."""
    name = values.get("preset")
    if not name:
        return values
    preset = tomllib.loads((rules_dir() / "presets" / f"{name}.toml").read_text(encoding="utf-8"))
    merged = {**preset, **values}
    for key in ADDITIVE_KEYS:
        if key in preset and key in values:
            merged[key] = preset[key] + values[key]
    return merged


@dataclass
class Settings:
    """The effective rule set for a run: which rules, at which severity, with which options."""
    registry: Registry
    enabled: dict[str, Rule]
    severity: dict[str, Severity]
    options: dict[str, dict[str, Any]]
    per_file_ignores: list[tuple[str, set[str]]]
    fail_on: str
    explicitly_selected: set[str] = field(default_factory=set)


def _specificity(selector: str, registry: Registry) -> int:
    """Longer selectors win: a name or full code beats a prefix, a prefix beats ALL."""
    if selector.strip().upper() == "ALL":
        return 0
    rule = registry.get(selector)
    return 100 if rule else len(selector.strip())


def resolve(config: Config, registry: Registry, *, select=None, extend_select=(), ignore=(),
            fail_on=None) -> Settings:
    """Combine config and command line. Raises ConfigError naming the file and key."""
    where = config.where

    def rules_for(selectors, key):
        out = []
        for sel in selectors:
            try:
                out.append((sel, registry.resolve(sel)))
            except RegistryError as exc:
                raise ConfigError(f"command line: {exc}" if key == "cli" else f"{where}: {key}: {exc}") from None
        return out

    cli = select is not None
    chosen = rules_for(select if cli else config.get("select", []), "cli" if cli else "select")
    chosen += rules_for(config.get("extend-select", []), "extend-select")
    chosen += rules_for(extend_select, "cli")
    ignored = rules_for(config.get("ignore", []), "ignore") + rules_for(ignore, "cli")
    base_select = cli or "select" in config.values

    enabled: dict[str, Rule] = {}
    explicit: set[str] = set()
    for rule in registry.rules:
        on = max((_specificity(s, registry) for s, rs in chosen if rule in rs), default=-1)
        if on > 0:
            explicit.add(rule.code)
        if rule.enabled and not base_select:
            on = max(on, 0)
        off = max((_specificity(s, registry) for s, rs in ignored if rule in rs), default=-1)
        if on > off:  # the more specific selector wins; on a tie, ignore wins
            enabled[rule.code] = rule

    severity = {r.code: r.severity for r in registry.rules}
    options = {r.code: dict(r.options) for r in registry.rules}
    for key, table in config.get("rules", {}).items():
        rule = registry.get(key)
        if rule is None:
            raise ConfigError(f"{where}: rules.{key}: unknown rule{_suggest(key, [r.name for r in registry.rules])}")
        for opt, value in table.items():
            if opt == "severity":
                try:
                    severity[rule.code] = Severity.parse(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}: rules.{key}.severity: {exc}") from None
                continue
            if opt not in rule.options:
                known = ", ".join(["severity", *rule.options]) or "severity"
                raise ConfigError(f"{where}: rules.{key}: unknown option '{opt}'{_suggest(opt, rule.options)}"
                                  f" (options: {known})")
            default = rule.options[opt]
            if default is not None and not _same_type(default, value):
                raise ConfigError(f"{where}: rules.{key}.{opt} must be {type(default).__name__}, not {value!r}")
            problem = rule.check_option(opt, value)
            if problem:
                raise ConfigError(f"{where}: rules.{key}.{opt} {problem}")
            if opt.endswith("-files"):  # paths in a config file are relative to that file
                value = [str(config.root / Path(v).expanduser()) for v in value]
            options[rule.code][opt] = value

    per_file = []
    for glob, selectors in config.get("per-file-ignores", {}).items():
        codes = {r.code for _, rs in rules_for(selectors, f"per-file-ignores.{glob}") for r in rs}
        per_file.append((glob, codes))

    level = fail_on or config.get("fail-on", "warning")
    return Settings(registry, enabled, severity, options, per_file, level, explicit)


def _same_type(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))
