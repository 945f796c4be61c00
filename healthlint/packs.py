"""YAML rule packs: one rule per file, whose `kind` names a Python class below.

    code: HL101                 # stable code
    name: absolute-claim        # readable name
    kind: existence             # existence | substitution | requirement
    severity: warning
    summary: one line
    docs: {what, why, standard, bad, good}
    options: {skip-quoted: true, ...}   # defaults; users override them in config
    tests: {fail: [{text, expect: ["line:col"]}], pass: [text]}

Kind-specific keys are documented on each class. Packs are data: they are loaded
with a safe YAML loader and can never run code.
"""
from __future__ import annotations

import re
from functools import cached_property, wraps
from pathlib import Path
from typing import Any

import yaml

from healthlint.analysis.text import is_defined, is_negated

from healthlint.matching import Matcher, PatternTimeout, alternation, named_group
from healthlint.model import CheckError, Finding, Rule, RuleDocs, Severity

COMMON_OPTIONS = {"skip-quoted": True, "skip-blockquotes": True, "skip-negated": True, "skip-questions": True}
REQUIRED_KEYS = ("code", "name", "kind", "summary", "docs")
TOP_KEYS = {"code", "name", "kind", "severity", "enabled", "summary", "docs", "options", "tests",
            "cues", "exceptions", "swap", "message", "if", "then"}
CODE_RE = re.compile(r"^[A-Z]{1,5}[0-9]{2,5}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class PackError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def _normalize(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower().replace("’", "'")).strip()


def _reporting_timeouts(check):
    """check(), with a user pattern stopped by its time limit reported as a CheckError: the
    engine then says the file was not fully checked (HL002) and goes on."""
    @wraps(check)
    def checked(self, doc, options):
        try:
            yield from check(self, doc, options)
        except PatternTimeout as exc:
            raise CheckError(str(exc)) from None
    return checked


class TextRule(Rule):
    """Shared behaviour of the phrase kinds: which matches make no claim."""
    exceptions: Matcher

    def silenced(self, doc, start: int, end: int, options: dict) -> bool:
        block = doc.block_at(start)
        if block is None:
            return True
        if options.get("skip-quoted", True) and doc.in_quotes(start, end):
            return True
        if options.get("skip-blockquotes", True) and block.in_blockquote:
            return True
        if options.get("skip-footnotes", False) and block.in_footnote:
            return True  # reference lists quote other people's titles
        sentence_start, sentence_end = doc.sentence_at(start)
        if options.get("skip-questions", True) and doc.is_question(sentence_start, sentence_end):
            return True  # "Is turmeric a miracle cure?" asks; it does not claim
        if options.get("skip-negated", True) and is_negated(doc.prose, sentence_start, start):
            return True
        for m in self.exceptions.finditer(doc.prose, sentence_start, sentence_end):
            if m.start() <= start and end <= m.end():
                return True
        return False


class ExistenceRule(TextRule):
    """`cues`: a list of {phrases, patterns, message, suggestion}; every match is a
    finding with its cue's message ({match} is the matched text). `exceptions`:
    phrases or patterns that contain a cue but make no claim ("cure rate")."""

    def __init__(self, cues: list[dict], exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.cues = cues
        self.exceptions = exceptions

    @cached_property
    def cue_of(self) -> dict[str, int]:
        """Each phrase, normalised, -> the index of its cue."""
        cue_of: dict[str, int] = {}
        for i, cue in enumerate(self.cues):
            for phrase in cue["phrases"]:
                cue_of.setdefault(_normalize(phrase), i)
        return cue_of

    @cached_property
    def matcher(self) -> Matcher:
        """Every cue's phrases in one trie (one pass over the prose, not one try per cue): the
        matched text, normalised, says which cue it belongs to; patterns keep a group each."""
        phrases = Matcher(list(self.cue_of)).pattern
        groups = [named_group("phrase", phrases)] if phrases else []
        groups += [named_group(f"c{i}", Matcher(patterns=c["patterns"]).pattern)
                   for i, c in enumerate(self.cues) if c["patterns"]]
        return Matcher(patterns=[alternation(groups)], limited=any(c["matcher"].limited for c in self.cues))

    @_reporting_timeouts
    def check(self, doc, options):
        for m in self.matcher.finditer(doc.prose):
            start, end = m.span()
            if self.silenced(doc, start, end, options):
                continue
            text = " ".join(m.group(0).split())
            cue = self.cues[self.cue_of[_normalize(text)] if m.lastgroup == "phrase" else int(m.lastgroup[1:])]
            suggestion = cue.get("suggestion")
            yield Finding(start, end, cue["message"].format(match=text, suggestion=suggestion or ""), suggestion)


class SubstitutionRule(TextRule):
    """`swap`: a mapping of phrase -> suggested wording; `message` may use {match}
    and {suggestion}. The suggestion fills the finding's `suggestion`.

    Options a pack may declare (off unless it does):
    `skip-defined`: a term explained in its own sentence ("hypertension (high blood
    pressure)", "called hypertension"; see text.is_defined) is silent there and after.
    `first-use-only`: report each term once, at its first use.
    `audience`: patient (the rule's severity) | general (info) | professional (off)."""

    def __init__(self, swap: dict[str, str], message: str, exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.swap = {_normalize(k): v for k, v in swap.items()}
        self.message = message
        self.exceptions = exceptions
        self.matcher = Matcher(swap)
        if "audience" in self.options:
            self.option_choices.setdefault("audience", ("patient", "general", "professional"))

    @_reporting_timeouts
    def check(self, doc, options):
        if options.get("audience") == "professional":
            return
        defined: set[str] = set()
        reported: set[str] = set()
        for m in self.matcher.finditer(doc.prose):
            start, end = m.span()
            if self.silenced(doc, start, end, options):
                continue
            text = " ".join(m.group(0).split())
            key = _normalize(text)
            suggestion = self.swap.get(key)
            if suggestion is None or key in defined or key in reported:
                continue
            if options.get("skip-defined") and is_defined(doc.prose, doc.sentence_at(start), start, end, suggestion):
                defined.add(key)
                continue
            if options.get("first-use-only"):
                reported.add(key)
            if text[:1].isupper() and suggestion[:1].islower():
                suggestion = suggestion[:1].upper() + suggestion[1:]
            # for a general audience jargon is worth a note, not a warning
            severity = Severity.INFO if options.get("audience") == "general" else None
            yield Finding(start, end, self.message.format(match=text, suggestion=suggestion), suggestion,
                          severity=severity)


class RequirementRule(TextRule):
    """`if` and `then`: each {phrases, patterns}. When the document matches `if` but
    nothing in it matches `then`, one finding is anchored on the first `if` match."""

    def __init__(self, when: Matcher, then: Matcher, message: str, exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.when, self.then, self.message, self.exceptions = when, then, message, exceptions

    def _first(self, matcher, doc, options):
        for m in matcher.finditer(doc.prose):
            if not self.silenced(doc, m.start(), m.end(), options):
                return m
        return None

    @_reporting_timeouts
    def check(self, doc, options):
        first = self._first(self.when, doc, options)
        if first is None or self._first(self.then, doc, options) is not None:
            return
        text = " ".join(first.group(0).split())
        yield Finding(first.start(), first.end(), self.message.format(match=text), None)


# --- loading ----------------------------------------------------------------

class _Lines:
    """Line numbers of keys in a composed YAML document, for error messages."""

    def __init__(self, node):
        self.node = node

    def of(self, *path) -> int:
        node = self.node
        for key in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key:
                        node = v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                break
        return node.start_mark.line + 1


def load_pack(path: Path, source: str = "") -> Rule:
    """Load one YAML rule file; raise PackError naming the file and line."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(name, 1, f"cannot read rule pack: {exc}") from None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(name, mark.line + 1 if mark else 1, f"malformed YAML: {problem}") from None
    if not isinstance(data, dict):
        raise PackError(name, 1, "a rule pack must be a mapping with code, name, kind, ...")
    lines = _Lines(node)
    return build_rule(data, name, lines, source or name)


def _need(cond: bool, path: str, line: int, message: str) -> None:
    if not cond:
        raise PackError(path, line, message)


def _compile_matcher(spec: Any, path: str, lines: _Lines, *where, limited: bool = False) -> Matcher:
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
    for i, pattern in enumerate(patterns if limited else ()):   # built-in patterns are checked by the tests
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PackError(path, lines.of(*where, "patterns", i), f"pattern {pattern!r} does not compile: {exc}") from None
    return Matcher(phrases, patterns, limited)


def _template(data: dict, key_path: tuple, path: str, lines: _Lines) -> str:
    message = data
    for key in key_path:
        message = message[key]
    try:
        str(message).format(match="x", suggestion="y")
    except (KeyError, IndexError, ValueError) as exc:
        raise PackError(path, lines.of(*key_path), f"message template is broken ({exc!r}); "
                        "only {match} and {suggestion} may appear in braces") from None
    return str(message)


def build_rule(data: dict, path: str, lines: _Lines, source: str) -> Rule:
    for key in data:
        _need(key in TOP_KEYS, path, lines.of(key), f"unknown key '{key}'")
    for key in REQUIRED_KEYS:
        _need(key in data, path, 1, f"missing required key '{key}'")
    code, name, kind = str(data["code"]), str(data["name"]), data["kind"]
    _need(bool(CODE_RE.match(code)), path, lines.of("code"), f"code {code!r} must look like HL123")
    _need(bool(NAME_RE.match(name)), path, lines.of("name"), f"name {name!r} must be lower-case words joined by hyphens")
    try:
        severity = Severity.parse(data.get("severity", "warning"))
    except ValueError as exc:
        raise PackError(path, lines.of("severity"), str(exc)) from None
    docs = data["docs"]
    _need(isinstance(docs, dict) and all(isinstance(docs.get(k), str) for k in ("what", "why", "standard", "bad", "good")),
          path, lines.of("docs"), "docs needs what, why, standard, bad and good (strings)")
    options = dict(COMMON_OPTIONS)
    user_options = data.get("options", {}) or {}
    _need(isinstance(user_options, dict), path, lines.of("options"), "options must be a mapping")
    options.update(user_options)
    tests = data.get("tests", {}) or {}
    _need(isinstance(tests, dict), path, lines.of("tests"), "tests must be a mapping with fail and pass lists")
    common = dict(code=code, name=name, summary=str(data["summary"]), severity=severity,
                  enabled=bool(data.get("enabled", True)),
                  docs=RuleDocs(**{k: docs[k] for k in ("what", "why", "standard", "bad", "good")}),
                  options=options, tests=tests, source=source)
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
            built.append({"matcher": matcher, "message": _template(data, ("cues", i, "message"), path, lines),
                          "suggestion": cue.get("suggestion"), "phrases": cue.get("phrases") or [],
                          "patterns": cue.get("patterns") or []})
        return ExistenceRule(built, exceptions, **common)
    if kind == "substitution":
        swap = data.get("swap")
        _need(isinstance(swap, dict) and swap and all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items()),
              path, lines.of("swap"), "substitution needs a 'swap' mapping of phrase: suggestion")
        data.setdefault("message", 'use "{suggestion}" instead of "{match}"')
        return SubstitutionRule(swap, _template(data, ("message",), path, lines), exceptions, **common)
    if kind == "requirement":
        _need("if" in data and "then" in data and isinstance(data.get("message"), str), path, 1,
              "requirement needs 'if', 'then' and 'message'")
        when = _compile_matcher(data["if"], path, lines, "if", limited=limited)
        then = _compile_matcher(data["then"], path, lines, "then", limited=limited)
        return RequirementRule(when, then, _template(data, ("message",), path, lines), exceptions, **common)
    raise PackError(path, lines.of("kind"), f"unknown kind {kind!r} (use existence, substitution or requirement)")
