"""Every rule's own cases, from its spec (rules/<family>/<name>.yml): `fail` cases must give
exactly the expected findings, `pass` texts none (healthlint/rulecases.py)."""
import os

import pytest

from healthlint.config import Config, resolve
from healthlint.registry import build_registry
from healthlint.rulecases import EXPECT_RE, bad_expectations, run_case, shown
from healthlint.model import Severity, Violation

REGISTRY = build_registry()
RULES = REGISTRY.rules
DEFAULTS = resolve(Config(), REGISTRY).options   # spelling's include the grammar settings it shares


def _cases(kind):
    for rule in RULES:
        for i, case in enumerate(rule.tests.get(kind, [])):
            yield pytest.param(rule, kind, i, case, id=f"{rule.code}-{kind}-{i}")


@pytest.fixture
def lint_one(lint):
    def run(text, code, path):
        return lint(text, select=[code], path=path)
    return run


@pytest.mark.parametrize("rule,kind,index,case", [*_cases("fail"), *_cases("pass")])
def test_rule_case(lint_one, rule, kind, index, case):
    reason = rule.unavailable(DEFAULTS[rule.code])
    if reason:  # the grammar rule needs LanguageTool; CI installs it, so there this fails
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    result = run_case(rule, kind, index, case, lint_one)
    assert result.ok, result.describe()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_cases_and_docs(rule):
    if rule.code not in ("HL001", "HL002"):  # these report failures of the run itself
        assert rule.tests.get("fail"), f"{rule.code} has no failing case"
        assert rule.tests.get("pass"), f"{rule.code} has no passing case"
    assert rule.docs and all(getattr(rule.docs, k).strip() for k in ("what", "why", "standard", "bad", "good"))
    assert rule.summary and len(rule.summary) < 120
    assert bad_expectations(rule) == []


V = Violation("a.md", 3, 16, 3, 28, "HL101", "absolute-claim", Severity.WARNING, '"miracle cure" is an absolute claim')


@pytest.mark.parametrize("expectation, written", [
    ("3:16", "3:16"),
    ("3:16-3:28", "3:16-3:28"),
    ("3:16-3:30", "3:16-3:28"),                        # a wrong end shows the real one
    ("3:16-3:28 miracle cure", "3:16-3:28 miracle cure"),
    ("3:16 absolute claim", "3:16 absolute claim"),
    ("3:16 wonder drug", '3:16 "miracle cure" is an absolute claim'),  # a wrong message shows the real one
])
def test_a_finding_is_written_the_way_its_expectation_is(expectation, written):
    assert EXPECT_RE.match(expectation)
    assert shown(V, expectation) == written


@pytest.mark.parametrize("bad", ["3", "3:", "line 3", "3:16-", "3:16-3", ":16"])
def test_malformed_expectations_are_reported(bad):
    assert not EXPECT_RE.match(bad)
