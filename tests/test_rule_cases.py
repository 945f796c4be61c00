"""Every rule's own cases (kept beside the rule: in its YAML pack or its Python module)."""
import codecs
import os

import pytest

from healthlint.files import ReadError, decode
from healthlint.registry import build_registry

RULES = build_registry().rules


def _cases(kind):
    for rule in RULES:
        for i, case in enumerate(rule.tests.get(kind, [])):
            yield pytest.param(rule, case, id=f"{rule.code}-{kind}-{i}")


def _text(case):
    if isinstance(case, str):
        return case
    if "bytes" in case:
        return codecs.escape_decode(case["bytes"].encode())[0]
    return case["text"]


def _positions(lint, rule, case):
    reason = rule.unavailable(rule.options)
    if reason:  # the grammar rule needs LanguageTool; CI installs it, so there this fails
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    text = _text(case)
    path = case.get("path", "case.md") if isinstance(case, dict) else "case.md"
    if isinstance(text, bytes):
        try:
            text = decode(text, 10**6)
        except ReadError as exc:
            return [f"{exc.line}:{exc.column}"]
    return [f"{v.line}:{v.column}" for v in lint(text, select=[rule.code], path=path) if v.code == rule.code]


@pytest.mark.parametrize("rule,case", list(_cases("fail")))
def test_rule_flags(lint, rule, case):
    assert _positions(lint, rule, case) == case["expect"]


@pytest.mark.parametrize("rule,case", list(_cases("pass")))
def test_rule_stays_silent(lint, rule, case):
    assert _positions(lint, rule, case) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_cases_and_docs(rule):
    if rule.code not in ("HL001", "HL002"):  # these report failures of the run itself
        assert rule.tests.get("fail"), f"{rule.code} has no failing case"
        assert rule.tests.get("pass"), f"{rule.code} has no passing case"
    assert rule.docs and all(getattr(rule.docs, k).strip() for k in ("what", "why", "standard", "bad", "good"))
    assert rule.summary and len(rule.summary) < 120
