"""The three YAML rule kinds, loaded from real pack files, with exact positions and messages."""
import textwrap

import pytest

from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.registry import build_registry

DOCS = "docs: {what: w, why: y, standard: s, bad: b, good: g}\n"


@pytest.fixture
def lint_with_pack(tmp_path):
    def run(pack_yaml, text, path="a.md", **options):
        (tmp_path / "pack.yml").write_text(textwrap.dedent(pack_yaml) + DOCS, encoding="utf-8")
        registry = build_registry([tmp_path / "pack.yml"], entry_points=[])
        code = next(r.code for r in registry.rules if r.source.endswith("pack.yml"))
        values = {"rules": {code: options}} if options else {}
        settings = resolve(Config(values=values), registry, select=[code])
        return [(v.line, v.column, v.end_line, v.end_column, v.message, v.suggestion)
                for v in lint_text(path, text, settings)]
    return run


EXISTENCE = """\
    code: TS101
    name: detox
    kind: existence
    summary: Detox claims.
    cues:
      - phrases: [detox, cleanse your liver]
        message: '"{match}" has no medical meaning'
        suggestion: describe what it does
      - patterns: ['flush(?:es)? (?:out )?toxins']
        message: 'toxin talk: "{match}"'
    exceptions:
      phrases: [alcohol detox]
"""


def test_existence_cues_messages_and_suggestions(lint_with_pack):
    text = "A 3-day Detox.\nIt flushes out toxins and will cleanse\n  your liver."
    assert lint_with_pack(EXISTENCE, text) == [
        (1, 9, 1, 14, '"Detox" has no medical meaning', "describe what it does"),
        (2, 4, 2, 22, 'toxin talk: "flushes out toxins"', None),
        (2, 32, 3, 13, '"cleanse your liver" has no medical meaning', "describe what it does"),
    ]


def test_existence_exceptions_negation_and_quotes(lint_with_pack):
    text = ("Alcohol detox needs a doctor. There is no detox tea that works. "
            "She called it “a detox”. Not a detox, but a cleanse.")
    assert lint_with_pack(EXISTENCE, text) == []


def test_existence_whole_words_only(lint_with_pack):
    assert lint_with_pack(EXISTENCE, "Detoxification by the liver; detoxed; predetox.") == []


def test_options_turn_silencing_off(lint_with_pack):
    text = "There is no detox tea.\n\n> A detox quote."
    assert [r[:2] for r in lint_with_pack(EXISTENCE, text, **{"skip-negated": False, "skip-blockquotes": False})] == [
        (1, 13), (3, 5)]


SUBSTITUTION = """\
    code: TS201
    name: plain-words
    kind: substitution
    severity: info
    summary: Plain words.
    swap:
      utilize: use
      in order to: to
      myocardial infarction: heart attack
    message: 'say "{suggestion}", not "{match}"'
"""


def test_substitution_suggestion_and_case(lint_with_pack):
    text = "In order to recover, utilize rest after a Myocardial\ninfarction."
    assert lint_with_pack(SUBSTITUTION, text) == [
        (1, 1, 1, 12, 'say "To", not "In order to"', "To"),
        (1, 22, 1, 29, 'say "use", not "utilize"', "use"),
        # a capital mid-sentence is the writer's (a name, an acronym): the suggestion keeps lower case
        (1, 43, 2, 11, 'say "heart attack", not "Myocardial infarction"', "heart attack"),
    ]


REQUIREMENT = """\
    code: TS301
    name: ibuprofen-risks
    kind: requirement
    summary: Ibuprofen articles mention stomach risks.
    if: {phrases: [ibuprofen, nurofen]}
    then: {patterns: ['stomach (?:bleeding|ulcers?)']}
    message: 'the article discusses "{match}" but not its stomach risks'
"""


def test_requirement_fires_once_at_the_first_match(lint_with_pack):
    text = "# Pain relief\n\nTake Nurofen or ibuprofen with food.\n\nIbuprofen again."
    assert lint_with_pack(REQUIREMENT, text) == [
        (3, 6, 3, 13, 'the article discusses "Nurofen" but not its stomach risks', None)]


@pytest.mark.parametrize("text", [
    "Ibuprofen can cause stomach ulcers.",
    "Ibuprofen eases pain.\n\n## Risks\n\nStomach bleeding is rare but serious.",
    "Rest and fluids help a cold.",
])
def test_requirement_satisfied_or_not_applicable(lint_with_pack, text):
    assert lint_with_pack(REQUIREMENT, text) == []


def test_requirement_ignores_a_denial(lint_with_pack):
    text = "Ibuprofen is gentle: no stomach ulcers, ever."
    assert [r[:2] for r in lint_with_pack(REQUIREMENT, text)] == [(1, 1)]
