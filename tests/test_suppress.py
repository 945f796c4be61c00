"""Suppression comments: every form, by code, prefix or name, and the bad ones."""
import pytest


def positions(violations, code=None):
    return [f"{v.line}:{v.column} {v.code}" for v in violations if code is None or v.code == code]


@pytest.mark.parametrize("text,expected", [
    ("A miracle cure. <!-- healthlint-disable-line HL101 -->\nA miracle cure.", ["2:3 HL101"]),
    ("A miracle cure. <!-- healthlint-disable-line -->\nA revolutionary pill.", ["2:3 HL102"]),
    ("<!-- healthlint-disable-next-line absolute-claim -->\nA miracle cure.\nA miracle cure.", ["3:3 HL101"]),
    ("<!-- healthlint-disable-next-line HL102 -->\nA miracle cure and a revolutionary pill.",
     ["2:3 HL101"]),
    ("<!-- healthlint-disable-next-line HL101, HL102 -->\nA miracle cure and a revolutionary pill.", []),
    ("<!-- healthlint-disable-next-line HL1 -->\nA miracle cure and a revolutionary pill.", []),
    ("A miracle cure.\n\n<!-- healthlint-disable HL101 -->\n\nA miracle cure.\n\nA revolutionary pill.\n\n"
     "<!-- healthlint-enable HL101 -->\n\nA miracle cure.", ["1:3 HL101", "7:3 HL102", "11:3 HL101"]),
    ("<!-- healthlint-disable -->\n\nA miracle cure.\n\n<!-- healthlint-enable HL102 -->\n\n"
     "A miracle cure and a revolutionary pill.", ["7:22 HL102"]),
    ("A miracle cure.\n\n<!-- healthlint-disable-file -->\n\nA revolutionary pill.", []),
    ("A miracle cure.\n\n<!-- healthlint-disable-file HL102 -->\n\nA revolutionary pill.", ["1:3 HL101"]),
    ("- A miracle cure <!-- healthlint-disable-line HL101 -->\n- A miracle cure", ["2:5 HL101"]),
])
def test_suppression_forms(lint, text, expected):
    assert positions(lint(text)) == expected


def test_directives_in_plain_text(lint):
    text = "A miracle cure. <!-- healthlint-disable-line HL101 -->\nA miracle cure.\n"
    assert positions(lint(text, path="a.txt")) == ["2:3 HL101"]


def test_directive_inside_code_is_not_a_directive(lint):
    text = "```\n<!-- healthlint-disable-file -->\n```\n\nA miracle cure."
    assert positions(lint(text)) == ["5:3 HL101"]


def test_unknown_rule_or_directive_is_reported(lint):
    violations = lint("A miracle cure. <!-- healthlint-disable-line HL1O1 -->\n\n<!-- healthlint-disabel -->\n")
    assert [(f"{v.line}:{v.column}", v.code, v.message) for v in violations] == [
        ("1:3", "HL101", '"miracle cure" is an absolute claim; describe what the evidence shows instead'),
        ("1:17", "HL003", "'healthlint-disable-line' names unknown rule 'HL1O1'"),
        ("3:1", "HL003", "unknown directive 'healthlint-disabel'; use one of healthlint-disable, "
                         "healthlint-disable-file, healthlint-disable-line, healthlint-disable-next-line, "
                         "healthlint-enable"),
    ]


def test_a_crash_is_reported_even_in_a_disabled_file():
    from healthlint.config import Config, resolve
    from healthlint.engine import lint_text
    from healthlint.model import Rule
    from healthlint.registry import build_registry

    class Broken(Rule):
        def check(self, doc, options):
            raise ValueError("boom")

    registry = build_registry()
    registry.add(Broken(code="XX001", name="broken", summary="raises", source="plugin 'broken'"))
    settings = resolve(Config(), registry)
    violations = lint_text("a.md", "<!-- healthlint-disable-file -->\n\nA miracle cure.", settings)
    assert [(v.line, v.column, v.code, v.message) for v in violations] == [
        (1, 1, "HL002", "rule XX001 broken (plugin 'broken') crashed at test_suppress.py:58: ValueError: boom")]


def test_directive_in_a_blockquote_points_at_the_comment(lint):
    violations = lint("> quoted\n> <!-- healthlint-disable-line nope -->\n")
    assert [(v.line, v.column, v.code) for v in violations] == [(2, 3, "HL003")]
