"""A rule's own cases, from its spec's `tests:`: `fail` cases with the findings they must
give, `pass` texts where the rule must stay silent.

An expectation is "LINE:COL", "LINE:COL-LINE:COL" (the end is the column just after the
last character) and, after a space, optionally a piece of the message:
`expect: ["1:21-1:33 miracle cure"]`.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from healthlint.files import ReadError, decode
from healthlint.model import Rule, Violation

EXPECT_RE = re.compile(r"^(\d+):(\d+)(?:-(\d+):(\d+))?(?:\s+(.*\S))?\s*$")


@dataclass
class CaseResult:
    rule: Rule
    kind: str          # "fail" or "pass"
    index: int
    text: str
    expected: list[str]
    found: list[str]

    @property
    def ok(self) -> bool:
        return self.found == self.expected

    def describe(self) -> str:
        return (f"{self.rule.code} {self.rule.name} {self.kind} case {self.index + 1} ({self.rule.source}):\n"
                f"  text:     {self.text!r}\n  expected: {self.expected}\n  found:    {self.found}")


def case_text(case) -> str | bytes:
    if isinstance(case, str):
        return case
    if "bytes" in case:
        return codecs.escape_decode(case["bytes"].encode())[0]
    return case["text"]


def shown(violation: Violation, expectation: str) -> str:
    """The finding written the way `expectation` is, so the two compare as strings."""
    m = EXPECT_RE.match(expectation)
    out = f"{violation.line}:{violation.column}"
    if m and m.group(3):
        out += f"-{violation.end_line}:{violation.end_column}"
    if m and m.group(5):
        out += f" {m.group(5)}" if m.group(5) in violation.message else f" {violation.message}"
    return out


def run_case(rule: Rule, kind: str, index: int, case, lint) -> CaseResult:
    """lint(text, code, path) -> the violations of the one rule `code` on `text`."""
    text = case_text(case)
    path = case.get("path", "case.md") if isinstance(case, dict) else "case.md"
    expected = [str(e) for e in case.get("expect", [])] if kind == "fail" else []
    if isinstance(text, bytes):
        try:
            text = decode(text, 10**6)
        except ReadError as exc:
            return CaseResult(rule, kind, index, repr(text), expected, [f"{exc.line}:{exc.column}"])
    found = [v for v in lint(text, rule.code, path) if v.code == rule.code]
    pattern = expected if len(expected) == len(found) else [expected[0] if expected else ""] * len(found)
    return CaseResult(rule, kind, index, text, expected, [shown(v, e) for v, e in zip(found, pattern)])


def bad_expectations(rule: Rule) -> list[str]:
    """Expectations that are not written as LINE:COL[-LINE:COL][ message]."""
    return [str(e) for case in rule.tests.get("fail", []) for e in case.get("expect", []) if not EXPECT_RE.match(str(e))]


def run_cases(rule: Rule, lint) -> list[CaseResult]:
    return [run_case(rule, kind, i, case, lint)
            for kind in ("fail", "pass") for i, case in enumerate(rule.tests.get(kind, []) or [])]


def linter(registry):
    """lint(text, code, path) for run_case: the one rule `code` of `registry`, default options."""
    from healthlint.config import Config, resolve
    from healthlint.engine import lint_text

    def lint(text: str, code: str, path: str) -> list[Violation]:
        return lint_text(path, text, resolve(Config(), registry, select=[code]))
    return lint
