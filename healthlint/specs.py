"""Rule specs: one YAML file per rule, built-in or from a team's `rule-paths`.

A spec holds everything about a rule except Python logic: code, name, kind, severity,
scope, summary, docs, options (with their defaults) and allowed `choices`, the rule's own
`data` (phrase lists, thresholds) and its test cases. `kind` is a pack kind (existence,
substitution, requirement), whose logic is in healthlint/packs.py, or, for built-in rules
only, the name of a Python class listed in healthlint/checks/__init__.py.
"""
from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

from healthlint.analysis.zones import ZONES
from healthlint.matching import Matcher
from healthlint.model import Rule, RuleDocs, Severity
from healthlint.packs import COMMON_OPTIONS, ExistenceRule, RequirementRule, SubstitutionRule, TextRule
from healthlint.resources import DataError, KeyLines, check_data, read_yaml

PackError = DataError  # a broken spec: exit 2 with the file and line
REQUIRED_KEYS = ("code", "name", "kind", "summary")
TOP_KEYS = {"code", "name", "kind", "severity", "enabled", "scope", "zones", "summary", "docs", "options", "choices", "data",
            "tests", "covers", "cues", "exceptions", "swap", "message", "if", "then"}
DOC_KEYS = ("what", "why", "standard", "bad", "good")
CODE_RE = re.compile(r"^[A-Z]{1,5}[0-9]{2,5}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
PACK_KINDS = ("existence", "substitution", "requirement")
WORD_CHAR_RE = re.compile(r"\w")
BACKREFERENCE_RE = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]|\(\?P=")
TEMPLATE_FIELDS = {"match", "suggestion"}


def load_spec(path: Path, source: str = "") -> Rule:
    """Load one rule spec; raise PackError naming the file and line."""
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise PackError(str(path), 1, "a rule spec must be a mapping with code, name, kind, summary, ...")
    return build_rule(data, str(path), lines, source or str(path))


def _need(cond: bool, path: str, line: int, message: str) -> None:
    if not cond:
        raise PackError(path, line, message)


def _compile_matcher(spec: Any, path: str, lines: KeyLines, *where, limited: bool = False) -> Matcher:
    if spec is None:
        return Matcher()
    if isinstance(spec, list):
        spec = {"phrases": spec}
    _need(isinstance(spec, dict), path, lines.of(*where), f"'{where[-1]}' must be a list or a mapping of phrases/patterns")
    phrases = spec.get("phrases", []) or []
    patterns = spec.get("patterns", []) or []
    for key, items in (("phrases", phrases), ("patterns", patterns)):
        _need(isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items),
              path, lines.of(*where, key), f"'{key}' must be a list of non-empty strings")
    for i, phrase in enumerate(phrases):
        _need(bool(WORD_CHAR_RE.search(phrase)), path, lines.of(*where, "phrases", i),
              f"phrase {phrase!r} has no letter or digit, so it would match everywhere")
    for i, pattern in enumerate(patterns if limited else ()):   # built-in patterns are checked by the tests
        problem = _pattern_problem(pattern)
        if problem:
            raise PackError(path, lines.of(*where, "patterns", i), f"pattern {pattern!r} {problem}")
    return Matcher(phrases, patterns, limited)


def _pattern_problem(pattern: str) -> str | None:
    """Why a pack's pattern cannot be used, or None. A pack's patterns are joined into one
    regex, so numbered or named groups of their own would refer to other cues' groups."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return f"does not compile: {exc}"
    if compiled.groupindex:
        return "has a named group (?P<name>...); use a plain group (?:...)"
    if BACKREFERENCE_RE.search(pattern):
        return "has a back-reference (\\1 or (?P=name)), which packs do not support"
    if compiled.fullmatch(""):
        return "matches empty text, so it would match everywhere"
    return None


def _template(data: dict, key_path: tuple, path: str, lines: KeyLines) -> str:
    message = data
    for key in key_path:
        message = message[key]
    _need(isinstance(message, str), path, lines.of(*key_path), "a message must be a string")
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(message)
                  if name is not None]
    except ValueError as exc:
        raise PackError(path, lines.of(*key_path), f"message template is broken ({exc}); "
                        "write a brace as {{ or }}") from None
    for name, spec, conversion in fields:
        _need(name in TEMPLATE_FIELDS and not spec and not conversion, path, lines.of(*key_path),
              f"message template has {{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}; "
              "only {match} and {suggestion} may appear in braces")
    return message


def _docs(data: dict, path: str, lines: KeyLines) -> RuleDocs | None:
    docs = data.get("docs")
    if docs is None:
        return None
    _need(isinstance(docs, dict) and set(docs) <= set(DOC_KEYS) and all(isinstance(v, str) for v in docs.values()),
          path, lines.of("docs"), "docs may have what, why, standard, bad and good (strings)")
    return RuleDocs(**docs)


def _common(data: dict, path: str, lines: KeyLines, source: str, base_options: dict) -> dict:
    """The keyword arguments every kind of rule takes, checked."""
    for key in data:
        _need(key in TOP_KEYS, path, lines.of(key), f"unknown key '{key}'")
    for key in REQUIRED_KEYS:
        _need(key in data, path, 1, f"missing required key '{key}'")
    _need(source != "built-in" or ("docs" in data and set(data["docs"] or ()) == set(DOC_KEYS)), path,
          lines.of("docs"), "a built-in rule's docs need what, why, standard, bad and good")
    code, name = str(data["code"]), str(data["name"])
    _need(bool(CODE_RE.match(code)), path, lines.of("code"), f"code {code!r} must look like HL123")
    _need(bool(NAME_RE.match(name)), path, lines.of("name"), f"name {name!r} must be lower-case words joined by hyphens")
    try:
        severity = Severity.parse(data.get("severity", "warning"))
    except ValueError as exc:
        raise PackError(path, lines.of("severity"), str(exc)) from None
    options = dict(base_options)
    own = data.get("options", {}) or {}
    _need(isinstance(own, dict), path, lines.of("options"), "options must be a mapping")
    options.update(own)
    choices = data.get("choices", {}) or {}
    _need(isinstance(choices, dict) and all(k in options and isinstance(v, list) for k, v in choices.items()),
          path, lines.of("choices"), "choices must map option names to lists of allowed values")
    zones = data.get("zones")
    _need(zones is None or (isinstance(zones, list) and all(z in ZONES for z in zones)), path, lines.of("zones"),
          "zones must be a list of " + ", ".join(ZONES))
    covers = data.get("covers", []) or []
    _need(isinstance(covers, list) and all(isinstance(c, str) and NAME_RE.match(c) for c in covers), path,
          lines.of("covers"), "covers must be a list of rule names")
    tests = data.get("tests", {}) or {}
    _need(isinstance(tests, dict), path, lines.of("tests"), "tests must be a mapping with fail and pass lists")
    enabled = data.get("enabled", True)
    _need(isinstance(enabled, bool), path, lines.of("enabled"), f"enabled must be true or false, not {enabled!r}")
    _need(isinstance(data["summary"], str), path, lines.of("summary"), "summary must be a string")
    return dict(code=code, name=name, summary=data["summary"], severity=severity, enabled=enabled,
                docs=_docs(data, path, lines), options=options, option_choices={k: tuple(v) for k, v in choices.items()},
                tests=tests, source=source, zones=frozenset(zones) if zones is not None else None,
                covers=frozenset(covers))


def _scope(rule: Rule, data: dict, path: str, lines: KeyLines, default: str) -> Rule:
    scope = data.get("scope", default)
    _need(scope in ("span", "document"), path, lines.of("scope"), f"scope must be span or document, not {scope!r}")
    rule.document_level = scope == "document"
    return rule


def build_rule(data: dict, path: str, lines: KeyLines, source: str) -> Rule:
    kind = data.get("kind")
    if kind not in PACK_KINDS:
        from healthlint.checks import KINDS
        if source == "built-in" and kind in KINDS:
            cls = KINDS[kind]
            common = _common(data, path, lines, source, COMMON_OPTIONS if issubclass(cls, TextRule) else {})
            own = data.get("data", {}) or {}
            check_data(own, path, lines, "data")
            return _scope(cls(data=own, **common), data, path, lines, "span")
        _need("kind" in data, path, 1, "missing required key 'kind'")
        raise PackError(path, lines.of("kind"), f"unknown kind {kind!r} (use existence, substitution or requirement)")
    common = _common(data, path, lines, source, COMMON_OPTIONS)
    limited = source != "built-in"   # a user's patterns run under a time limit
    exceptions = _compile_matcher(data.get("exceptions"), path, lines, "exceptions", limited=limited)
    if kind == "existence":
        cues = data.get("cues")
        _need(isinstance(cues, list) and cues, path, lines.of("cues"), "existence needs a non-empty 'cues' list")
        built = []
        for i, cue in enumerate(cues):
            _need(isinstance(cue, dict) and isinstance(cue.get("message"), str), path, lines.of("cues", i),
                  "each cue needs phrases or patterns and a message")
            matcher = _compile_matcher(cue, path, lines, "cues", i, limited=limited)
            _need(not matcher.empty, path, lines.of("cues", i), "cue has no phrases or patterns")
            suggestion = cue.get("suggestion")
            _need(suggestion is None or isinstance(suggestion, str), path, lines.of("cues", i, "suggestion"),
                  "a suggestion must be a string")
            _need(isinstance(cue.get("unless-cited-trial", False), bool), path,
                  lines.of("cues", i, "unless-cited-trial"), "unless-cited-trial must be true or false")
            built.append({"matcher": matcher, "message": _template(data, ("cues", i, "message"), path, lines),
                          "suggestion": suggestion, "phrases": cue.get("phrases") or [],
                          "patterns": cue.get("patterns") or [],
                          "unless-cited-trial": cue.get("unless-cited-trial", False)})
        return _scope(ExistenceRule(built, exceptions, **common), data, path, lines, "span")
    if kind == "substitution":
        swap = data.get("swap")
        _need(isinstance(swap, dict) and swap and all(isinstance(k, str) and WORD_CHAR_RE.search(k) and isinstance(v, str)
                                                      for k, v in swap.items()),
              path, lines.of("swap"), "substitution needs a 'swap' mapping of phrase: suggestion")
        data.setdefault("message", 'use "{suggestion}" instead of "{match}"')
        return _scope(SubstitutionRule(swap, _template(data, ("message",), path, lines), exceptions, **common),
                      data, path, lines, "span")
    _need("if" in data and "then" in data and isinstance(data.get("message"), str), path, 1,
          "requirement needs 'if', 'then' and 'message'")
    when = _compile_matcher(data["if"], path, lines, "if", limited=limited)
    then = _compile_matcher(data["then"], path, lines, "then", limited=limited)
    rule = RequirementRule(when, then, _template(data, ("message",), path, lines), exceptions, **common)
    return _scope(rule, data, path, lines, "document")  # a missing `then` is about the whole article
