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
        (1, 43, 2, 11, 'say "Heart attack", not "Myocardial infarction"', "Heart attack"),
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


# --- how Matcher compiles: word-start checks shared, letters matched on lowercased text ---

@pytest.mark.parametrize("pattern, top_level", [
    (r"a|b", True), (r"(a)|(b)", True), (r"(?:a|b)c", False), (r"[|]x", False), (r"\|x", False),
    (r"[]|]", False), (r"[^]|]a", False), (r"\b(?:x|y)z", False)])
def test_top_level_alternation_is_found(pattern, top_level):
    from healthlint.packs import _top_level_bar
    assert _top_level_bar(pattern) is top_level


def test_alternation_shares_a_word_start_check_and_keeps_meaning():
    import re

    from healthlint.packs import alternation
    patterns = [r"\bcure", r"\bheal(?:s|ed)?", r"\bfix|mend", r"(?<![\w-])detox", r"#1"]
    joined = alternation(patterns)
    assert joined.count(r"\b") == 2   # "\bfix|mend" keeps its own: the check covers only "fix"
    text = "It cures; it heals. Amend #1: unfix, mend, detox, re-detox."
    one_by_one = sorted(m.span() for p in patterns for m in re.finditer(p, text, re.I))
    assert [m.span() for m in re.finditer(joined, text, re.I)] == one_by_one


@pytest.mark.parametrize("pattern, lowered", [
    (r"\bFDA\W+Approved", r"\bfda\W+approved"),
    (r"(?P<Cue>X)(?P=Cue)\S", r"(?P<Cue>x)(?P=Cue)\S"),
    (r"[A-Z]\N{EM DASH}", r"[a-z]\N{EM DASH}"),
    (r"(?-i:FDA)", None)])
def test_lowercase_pattern_keeps_escapes_and_group_names(pattern, lowered):
    from healthlint.packs import lowercase_pattern
    assert lowercase_pattern(pattern) == lowered


def test_matcher_reports_the_original_text_and_offsets():
    from healthlint.packs import Matcher
    matcher = Matcher(["miracle cure"], [r"\bFDA[\s-]approved"])
    text = "A Miracle  Cure, FDA-Approved!"
    assert [(m.group(0), m.span()) for m in matcher.finditer(text)] == [
        ("Miracle  Cure", (2, 15)), ("FDA-Approved", (17, 29))]
    assert matcher.search(text, 5).group() == "FDA-Approved"
    assert matcher.match(text, 2).end() == 15 and matcher.match(text, 3) is None
    # İ lowercases to two characters: the text is matched as written, offsets stay right
    assert [m.span() for m in matcher.finditer("İ miracle cure")] == [(2, 14)]


@pytest.mark.parametrize("pattern, first", [
    ("abc", {"a"}), ("(?:fda|ema)x", {"f", "e"}), (r"\d+%", set("0123456789")),
    (r"(?:(?:clinical\s+)?trials|data)", {"c", "t", "d"}), ("x{0,2}y", {"x", "y"}), ("(?P<n>ab|cd)", {"a", "c"}),
    ("['’]s", {"'", "’"}), (r"\(x", {"("}),
    ("a?", None), ("[a-z]x", None), (r"\bx", None), ("x|", None), (r"\wx", None), ("(?=a)a", None)])
def test_first_characters_of_a_pattern(pattern, first):
    from healthlint.packs import _first_chars
    assert _first_chars(pattern) == first


def _lexicon_matchers():
    """(phrases, patterns) of every built-in lexicon entry and pack cue."""
    import yaml

    from healthlint.resources import load_lexicon, rules_dir
    out = []
    for name in ("evidence", "completeness", "treatments"):
        for value in load_lexicon(name).values():
            if isinstance(value, dict) and ("phrases" in value or "patterns" in value):
                out.append((value.get("phrases", []), value.get("patterns", [])))
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                looks_like_regex = any(c in v for v in value for c in "\\()[]?")
                out.append(([], value) if looks_like_regex else (value, []))
    for path in sorted(rules_dir().glob("*.yml")):
        for cue in yaml.safe_load(path.read_text(encoding="utf-8")).get("cues", []):
            out.append((cue.get("phrases", []), cue.get("patterns", [])))
    return out


def test_compiled_matchers_find_what_the_plain_alternation_finds():
    """The shared word-start checks, first-character lookaheads and lowercased matching of
    Matcher change speed only: every built-in list finds the same spans as its alternatives
    joined one by one under IGNORECASE, on every example article."""
    import re
    from pathlib import Path

    from healthlint.analysis import parse
    from healthlint.packs import Matcher, _phrase_trie
    examples = Path(__file__).resolve().parent.parent / "examples"
    texts = [parse(p.name, p.read_text(encoding="utf-8")).prose for p in sorted(examples.glob("*.md"))]
    texts.append("İ see: 100% SAFE. FDA-approved! Studies show 3 in 10 people, Dr. Smith said; buy now.")
    checked = 0
    for phrases, patterns in _lexicon_matchers():
        try:
            plain = re.compile("|".join(f"(?:{a})" for a in _phrase_trie(phrases) + list(patterns)), re.I)
        except re.error:
            continue  # a template such as {body}, filled in by its rule
        matcher = Matcher(phrases, patterns)
        for text in texts:
            assert [m.span() for m in matcher.finditer(text)] == [m.span() for m in plain.finditer(text)], \
                (phrases[:3], patterns[:2])
        checked += 1
    assert checked > 40
