"""All rules in one place: the built-in rule specs (rules/<family>/<name>.yml), the specs a
project adds through `rule-paths`, and plugins from the `healthlint.rules` entry points."""
from __future__ import annotations

import copy
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from healthlint.model import Rule, Severity
from healthlint.resources import rules_dir
from healthlint.specs import CODE_RE, NAME_RE, PackError, load_spec

ENTRY_POINT_GROUP = "healthlint.rules"


class RegistryError(Exception):
    """A rule set that cannot be used (duplicate code, unknown selector): exit 2."""


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)
    plugin_errors: list[str] = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        for other in self.rules:
            if rule.code == other.code or rule.name == other.name:
                raise RegistryError(
                    f"rule {rule.code} {rule.name} from {rule.source} clashes with "
                    f"{other.code} {other.name} from {other.source}")
        self.rules.append(rule)
        self.rules.sort(key=lambda r: r.code)

    def resolve(self, selector: str) -> list[Rule]:
        """Rules a selector names: a code, a code prefix ("HL1") or a name; "ALL" is every rule."""
        sel = selector.strip()
        if sel.upper() == "ALL":
            return list(self.rules)
        by_name = [r for r in self.rules if r.name == sel.lower()]
        if by_name:
            return by_name
        found = [r for r in self.rules if r.code.startswith(sel.upper())]
        if not found:
            raise RegistryError(f"unknown rule {selector!r} (see healthlint --list-rules)")
        return found

    def get(self, selector: str) -> Rule | None:
        sel = selector.strip()
        return next((r for r in self.rules if r.code == sel.upper() or r.name == sel.lower()), None)


def check_rule(rule) -> None:
    """Plugins build rules in code: hold them to the same shape as rule packs."""
    if not isinstance(rule, Rule):
        raise TypeError(f"{rule!r} is not a healthlint.model.Rule")
    if not CODE_RE.match(str(rule.code)) or not NAME_RE.match(str(rule.name)):
        raise ValueError(f"rule {rule.code!r} {rule.name!r}: the code must look like HL123 and the name "
                         "must be lower-case words joined by hyphens")
    if not isinstance(rule.severity, Severity):
        raise TypeError(f"rule {rule.code}: severity must be a healthlint.model.Severity, not {rule.severity!r}")
    if not isinstance(rule.options, dict):
        raise TypeError(f"rule {rule.code}: options must be a dict, not {rule.options!r}")


def spec_files(folder: Path) -> list[Path]:
    """The rule specs under a folder: regular *.yml / *.yaml files, word lists and presets aside.
    Unreadable folders and special files (a FIFO named x.yml) are skipped, never opened."""
    found = []
    for parent, dirs, names in os.walk(folder, onerror=lambda error: None):
        dirs[:] = sorted(d for d in dirs if d not in ("lexicons", "presets") and not d.startswith("."))
        for name in sorted(names):
            path = Path(parent) / name
            if path.suffix in (".yml", ".yaml"):
                try:
                    if stat.S_ISREG(path.stat().st_mode):
                        found.append(path)
                except OSError:
                    continue
    return found


@lru_cache(maxsize=1)
def _builtin_rules() -> tuple[Rule, ...]:
    return tuple(load_spec(path, source="built-in") for path in spec_files(rules_dir()))


def load_plugins(registry: Registry, entry_points=None) -> None:
    """Load plugin rules. A plugin that fails is recorded, not fatal."""
    if entry_points is None:
        entry_points = metadata.entry_points(group=ENTRY_POINT_GROUP)
    for ep in entry_points:
        dist = getattr(getattr(ep, "dist", None), "name", None)
        origin = f"plugin '{ep.name}'" + (f" ({dist})" if dist else "")
        try:
            loaded = ep.load()
            items = loaded if isinstance(loaded, (list, tuple)) else [loaded]
            rules = [item() if isinstance(item, type) else item for item in items]
            for rule in rules:
                check_rule(rule)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a broken plugin (even one raising SystemExit) must not stop the run
            registry.plugin_errors.append(f"{origin} failed to load: {type(exc).__name__}: {exc}")
            continue
        for rule in map(copy.copy, rules):
            rule.source = origin
            try:
                registry.add(rule)
            except RegistryError as exc:
                registry.plugin_errors.append(f"{origin}: {exc}")


def build_registry(rule_paths: list[Path] = (), entry_points=None) -> Registry:
    """Raises PackError or RegistryError for problems a user must fix (exit 2)."""
    registry = Registry()
    for rule in map(copy.copy, _builtin_rules()):  # each registry (each run) gets rules of its own
        registry.add(rule)
    for folder in rule_paths:
        if folder.is_file():
            registry.add(load_spec(folder))
        elif folder.is_dir():
            for path in spec_files(folder):
                registry.add(load_spec(path))
        else:
            raise PackError(str(folder), 1, "rule path does not exist")
    load_plugins(registry, entry_points)
    return registry
