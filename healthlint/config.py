"""Configuration: `[tool.healthlint]` in the nearest pyproject.toml, or .healthlint.toml,
or a file named with --config. Every key is checked; mistakes exit 2 naming file and key."""
from __future__ import annotations

import difflib
import os
import re
import reprlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.model import Rule, Severity
from healthlint.registry import Registry, RegistryError
from healthlint.resources import rules_dir

DEFAULT_INCLUDE = ["*.md", "*.markdown", "*.txt"]
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_FILE_SIZE = 1024**3     # the largest max-file-size: 1GB (a file is read into memory whole)
MAX_NUMBER = 1_000_000      # the largest size of a number a rule option takes
FAIL_LEVELS = ("error", "warning", "info", "never")
CONFIG_NAMES = (".healthlint.toml", "pyproject.toml")

PRESETS = sorted(p.stem for p in (rules_dir() / "presets").glob("*.toml"))  # a preset is a name, never a path

# key -> (type description, checker)
_LIST = ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v))
_PATHS = ("a list of paths (strings)", lambda v: _LIST[1](v) and not any("\0" in i for i in v))
KEYS = {
    "select": _LIST,
    "extend-select": _LIST,
    "ignore": _LIST,
    "per-file-ignores": ("a table of glob = [rules]", lambda v: isinstance(v, dict)),
    "rules": ("a table of rule tables", lambda v: isinstance(v, dict)),
    "rule-paths": _PATHS,
    "include": _LIST,
    "exclude": _LIST,
    "max-file-size": ("a number of bytes or a size such as \"5MB\", at most 1GB", lambda v: _size(v) is not None),
    "fail-on": ("one of error, warning, info, never", lambda v: v in FAIL_LEVELS),
    "cache-dir": ("a folder path (a string)", lambda v: isinstance(v, str) and v.strip() != "" and "\0" not in v),
    "preset": ("the name of a preset (" + ", ".join(PRESETS) + ")", lambda v: v in PRESETS),
}
# tables whose every entry is checked too: key -> (entry description, checker)
TABLE_ENTRIES = {"per-file-ignores": _LIST, "rules": ("a table of the rule's options", lambda v: isinstance(v, dict))}
# keys whose lists add to a preset's instead of replacing them
ADDITIVE_KEYS = ("extend-select", "ignore")
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.I)
_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}
# a header line of the table, for a pyproject.toml that is not valid TOML (so its error is reported)
_TABLE_LINE = re.compile(r'^[ \t]*\[{1,2}[ \t]*"?tool"?[ \t]*\.[ \t]*"?healthlint\b', re.M)


def printable(text: object) -> str:
    """`text` with every character a terminal could act on (ESC, BEL, CR, NUL, bidi controls,
    line separators) written as a Python escape such as \\x1b, so that a message quoting a
    config key, a value or a file name cannot rewrite the terminal. Other text is unchanged."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 80


def shown(value: Any) -> str:
    """A value from a config file as a message quotes it: its repr, shortened (and safe for a
    value nested thousands deep), printable."""
    return printable(_REPR.repr(value))


def _size(value: Any) -> int | None:
    """Bytes from an integer or a string such as "5MB"; None unless it is from 1 byte to 1GB."""
    match = _SIZE_RE.match(value) if isinstance(value, str) else None
    if match:
        number, unit = match.groups()
        value = float(number) * _UNITS[(unit or "b").lower()]   # 400 digits make inf, not an error
    elif not isinstance(value, int) or isinstance(value, bool):
        return None
    return int(value) if 1 <= value <= MAX_FILE_SIZE else None


def _bad_number(value: Any) -> bool:
    """True for inf, nan and numbers larger than MAX_NUMBER (either sign): they would turn a rule
    off without a word (nan compares false) or crash it on every file."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not -MAX_NUMBER <= value <= MAX_NUMBER


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
        return printable(self.path) if self.path else "command line"

    @property
    def include(self) -> list[str]:
        return self.get("include", DEFAULT_INCLUDE)

    @property
    def exclude(self) -> list[str]:
        return self.get("exclude", [])

    @property
    def max_file_size(self) -> int:
        return _size(self.get("max-file-size", DEFAULT_MAX_FILE_SIZE)) or DEFAULT_MAX_FILE_SIZE

    @property
    def cache_dir(self) -> Path | None:
        value = self.get("cache-dir")
        return None if value is None else self.root / os.path.expanduser(value)  # never raises, unlike Path.expanduser

    @property
    def rule_paths(self) -> list[Path]:
        return [(self.root / p) for p in self.get("rule-paths", [])]


def find_config(start: Path) -> Path | None:
    """The nearest .healthlint.toml, or pyproject.toml with a [tool.healthlint] table."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _configures_healthlint(candidate)):
                return candidate
    return None


def _configures_healthlint(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a tool.healthlint key (not a mention in a comment or a string),
    or a `tool` that is not a table, or, when it is not valid TOML, a [tool.healthlint] header
    line: load_config then reports the mistake instead of another config being used."""
    text = _read(pyproject)
    try:
        tool = tomllib.loads(text).get("tool", {})
    except (ValueError, RecursionError):
        return _TABLE_LINE.search(text) is not None
    return not isinstance(tool, dict) or "healthlint" in tool


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{printable(path)}: cannot read config: {printable(exc)}") from None


def _parse(path: Path) -> dict:
    try:
        return tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        reason = exc
    except ValueError:  # an integer of more than 4300 digits
        reason = "a number is too long"
    except RecursionError:
        reason = "arrays or tables are nested too deeply"
    raise ConfigError(f"{printable(path)}: not valid TOML: {printable(reason)}")


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_config(path: Path | None, preset: str | None = None) -> Config:
    """Read and check a config file; `preset` (from the command line) replaces the file's."""
    if path is None:
        return Config(values=with_preset(_checked({"preset": preset}, "command line: ", "")) if preset else {})
    data, prefix, where = _parse(path), "", f"{printable(path)}: "
    if path.name == "pyproject.toml":
        for table in ("tool", "healthlint"):
            prefix += table
            data = data.get(table, {})
            if not isinstance(data, dict):  # `tool = 5`, `tool.healthlint = "x"`, [[tool.healthlint]]
                raise ConfigError(f"{where}'{prefix}' must be a table, not {shown(data)}")
            prefix += "."
    data = _checked(data, where, prefix)
    if preset:
        data = {**data, **_checked({"preset": preset}, "command line: ", "")}
    return Config(path=path, root=path.parent.resolve(), values=with_preset(data))


def _checked(data: dict, where: str, prefix: str) -> dict:
    for key, value in data.items():
        name = printable(prefix + key)
        if key not in KEYS:
            raise ConfigError(f"{where}unknown key '{name}'{_suggest(key, KEYS)}")
        description, valid = KEYS[key]
        if not valid(value):
            raise ConfigError(f"{where}'{name}' must be {description}, not {shown(value)}")
        if key in TABLE_ENTRIES:
            description, valid = TABLE_ENTRIES[key]
            for entry, item in value.items():
                if not valid(item):
                    raise ConfigError(f"{where}'{name}.{printable(entry)}' must be {description}, not {shown(item)}")
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
            fail_on=None, overrides: dict[str, dict] | None = None) -> Settings:
    """Combine config and command line (`overrides`: rule code -> options set by command-line
    flags). Raises ConfigError naming the file and key."""
    where = config.where

    def rules_for(selectors, key):
        out = []
        for sel in selectors:
            try:
                out.append((sel, registry.resolve(sel)))
            except RegistryError as exc:
                message = f"command line: {exc}" if key == "cli" else f"{where}: {key}: {exc}"
                raise ConfigError(printable(message)) from None
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
            raise ConfigError(f"{where}: rules.{printable(key)}: unknown rule"
                              f"{_suggest(key, [r.name for r in registry.rules])}")
        for opt, value in table.items():
            name = printable(f"rules.{key}.{opt}")
            if opt == "severity":
                try:
                    severity[rule.code] = Severity.parse(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}: {name}: {printable(exc)}") from None
                continue
            if opt not in rule.options and opt in rule.moved_options:
                raise ConfigError(f"{where}: {name} has moved: set it under rules.{rule.moved_options[opt]}")
            if opt not in rule.options:
                known = ", ".join(["severity", *rule.options]) or "severity"
                raise ConfigError(f"{where}: rules.{printable(key)}: unknown option '{printable(opt)}'"
                                  f"{_suggest(opt, rule.options)} (options: {known})")
            default = rule.options[opt]
            if default is not None and not _same_type(default, value):
                raise ConfigError(f"{where}: {name} must be {type(default).__name__}, not {shown(value)}")
            if _bad_number(value):
                raise ConfigError(f"{where}: {name} must be a number from -{MAX_NUMBER} to {MAX_NUMBER}, "
                                  f"not {shown(value)}")
            if isinstance(default, list) and _LIST[1](default) and not _LIST[1](value):
                raise ConfigError(f"{where}: {name} must be a list of strings, not {shown(value)}")
            if opt.endswith("-files") and not _PATHS[1](value):
                raise ConfigError(f"{where}: {name} must be {_PATHS[0]}, not {shown(value)}")
            problem = rule.check_option(opt, value)
            if problem:
                raise ConfigError(f"{where}: {name} {printable(problem)}")
            if opt.endswith("-files"):  # paths in a config file are relative to that file
                value = [str(config.root / os.path.expanduser(v)) for v in value]
            options[rule.code][opt] = value
    for code, values in (overrides or {}).items():
        if code in options:
            options[code].update(values)
    for rule in registry.rules:
        source = registry.get(rule.options_from) if rule.options_from else None
        if source is not None:
            options[rule.code] = {**options[source.code], **options[rule.code]}

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
