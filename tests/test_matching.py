"""healthlint.matching: Matcher finds what it promises (compared with plain re), and the pieces
it is built from."""
import re
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.matching import PatternTimeout, Matcher, alternation, phrase_pattern
from healthlint.matching.matcher import lowercase_pattern
from healthlint.matching.patterns import first_chars, top_level

ROOT = Path(__file__).resolve().parent.parent


# --- the reference: one plain regex per phrase, re's alternation of the patterns ---

def reference_phrase(phrase):
    """The regex Matcher's docs describe for a phrase, written out independently of the trie."""
    words = re.split(r"[\s-]+", phrase.strip())
    body = r"[\s-]+".join("".join("['’]" if c in "'’" else re.escape(c) for c in word) for word in words)
    start = r"(?<![\w-])" if re.match(r"\w", phrase) else ""
    end = r"(?![\w-])" if re.search(r"\w$", phrase) else ""
    return start + body + end


def reference_spans(phrases, patterns, text, start=0, end=None, limited=False):
    """What Matcher promises, position by position: the longest phrase match there or else the
    first pattern that matches there (re's alternation), then on from where that match ends.
    A limited Matcher runs its phrases and patterns with the regex module, whose \\b and \\w count
    combining marks as parts of words (re does not): the reference uses the same engine."""
    end = len(text) if end is None else end
    engine = regex if limited else re
    phrase_res = [engine.compile(reference_phrase(p), engine.I) for p in phrases]
    patterns_re = engine.compile("|".join(f"(?:{p})" for p in patterns), engine.I) if patterns else None
    spans, pos = [], start
    while pos <= end:
        ends = [m.end() for r in phrase_res if (m := r.match(text, pos, end))]
        if not ends and patterns_re and (m := patterns_re.match(text, pos, end)):
            ends = [m.end()]
        if ends:
            spans.append((pos, max(ends)))
            pos = max(pos + 1, max(ends))
        else:
            pos += 1
    return spans


# --- random phrases, patterns and texts ---
# Letters are ones whose case re.IGNORECASE and str.lower() agree on (see Matcher), plus é/É;
# İ in a text makes Matcher match the original text instead of its lowercase.
TEXT_CHARS = "abxyABXY  \n-'’.,éÉİ19٣_"
word = st.text("abxyABé1'’", min_size=1, max_size=3)
phrase = st.builds(lambda first, rest: first + "".join(sep + w for sep, w in rest),
                   word, st.lists(st.tuples(st.sampled_from([" ", "-", "  ", " - "]), word), max_size=2))
ATOMS = ["a", "B", "x", "y", "é", r"\.", r"\d", "[ab]", "[a-y]", "[^x ]", "['’]", "(?:ab|x)", "(?:y|ba)"]
QUANTIFIERS = ["", "?", "*", "+", "{,2}", "{0,2}", "{1,2}", "??"]
REQUIRED = ["", "+", "{1,2}"]   # one atom of every pattern is required: no pattern matches nothing
pattern = st.builds(
    lambda guard, before, required, after: guard + before + required + after,
    st.sampled_from(["", r"\b", r"(?<![\w-])"]),
    st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS)), max_size=2).map(
        lambda items: "".join(a + q for a, q in items)),
    st.builds(lambda a, q: a + q, st.sampled_from(ATOMS), st.sampled_from(REQUIRED)),
    st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS)), max_size=2).map(
        lambda items: "".join(a + q for a, q in items)))


VARIANTS = [str, str.upper, str.swapcase, lambda s: s.replace("'", "’"), lambda s: s.replace("’", "'"),
            lambda s: s.replace(" ", "-"), lambda s: s.replace(" ", " \n ")]


@st.composite
def texts(draw, phrases):
    """Random characters, with the phrases (in other cases, apostrophes and spacing) among them."""
    pieces = st.text(TEXT_CHARS, max_size=4) | st.sampled_from(["ab", "xy", "٣1", "a.b", "A'b", "b’a"])
    if phrases:
        pieces |= st.sampled_from(phrases)
    return "".join(draw(st.sampled_from(VARIANTS))(piece) for piece in draw(st.lists(pieces, max_size=8)))


@settings(max_examples=500, deadline=None)
@given(phrases=st.lists(phrase, max_size=5), patterns=st.lists(pattern, max_size=4), limited=st.booleans(),
       data=st.data())
def test_matcher_finds_what_plain_regexes_find(phrases, patterns, limited, data):
    text = data.draw(texts(phrases))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    matcher = Matcher(phrases, patterns, limited)
    expected = reference_spans(phrases, patterns, text, limited=limited)
    assert [m.span() for m in matcher.finditer(text)] == expected
    assert [m.group(0) for m in matcher.finditer(text)] == [text[a:b] for a, b in expected]
    assert [m.span() for m in matcher.finditer(text, start, end)] == reference_spans(phrases, patterns, text,
                                                                                       start, end, limited)
    if not limited:   # a limited Matcher only iterates
        first = matcher.search(text, start)
        assert (first and first.span()) == next(iter(reference_spans(phrases, patterns, text, start)), None)


def assert_like_plain_regexes(phrases, patterns, text, data):
    """finditer (the whole text and a drawn span) and search find what plain regexes find."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    matcher = Matcher(phrases, patterns)
    assert [m.span() for m in matcher.finditer(text)] == reference_spans(phrases, patterns, text)
    assert [m.span() for m in matcher.finditer(text, start, end)] == reference_spans(phrases, patterns, text,
                                                                                       start, end)
    first = matcher.search(text, start, end)
    assert (first and first.span()) == next(iter(reference_spans(phrases, patterns, text, start, end)), None)


@settings(max_examples=400, deadline=None)
@given(phrases=st.lists(phrase, max_size=5), patterns=st.lists(pattern, max_size=4), data=st.data())
def test_matcher_on_long_texts_finds_what_plain_regexes_find(phrases, patterns, data):
    """Long texts are searched only where a match can begin (its first words): the same matches."""
    filler = data.draw(st.sampled_from(["zz ", "a b ", "x-y ", "1 ", "’ "]))
    text = filler * 60 + data.draw(texts(phrases)) + " " + data.draw(texts(phrases)) + filler * 30
    assert_like_plain_regexes(phrases, patterns, text, data)


CASE_KEEPING = [r"(?-i:\bAb)\s+x", r"\bxy\s+(?-i:[A-Z])", r"(?-i:[XY])b", r"\bab(?-i:B)"]


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(phrase, max_size=4), patterns=st.lists(pattern, max_size=3),
       keeping=st.lists(st.sampled_from(CASE_KEEPING), min_size=1, max_size=2), data=st.data())
def test_patterns_that_keep_case_on_long_texts_find_what_plain_regexes_find(phrases, patterns, keeping, data):
    """A Matcher with (?-i:...) runs re.IGNORECASE on the text as written, on a long text only where
    its first words are: the same matches, also in a text with a long ſ (IGNORECASE's s)."""
    patterns = data.draw(st.permutations(patterns + keeping))
    filler = data.draw(st.sampled_from(["zz ", "a b ", "x-y ", "1 ", "’ ", "ſ "]))
    text = filler * 60 + data.draw(texts(phrases)) + " " + data.draw(texts(phrases)) + " Ab x xy Z XB abB" + filler * 30
    assert_like_plain_regexes(phrases, patterns, text, data)


@pytest.mark.parametrize("pattern, words", [
    (r"\b(?:you\s+can|just)\s+stop", {"you", "just"}),
    (r"(?<![\w-])(?:cure|cures?)(?![\w-])", {"cure", "cures"}),
    (r"\bha[sd]\s+shares", {"has", "had"}),
    (r"^(?:funding|grant\s+support)\s*:", {"funding", "grant"}),
    (r"(?<![\w.,])\d+\s?%", {"\\d"}),      # any word that begins with a digit
    (r"©|[$£]\s?\d", {"©", "$", "£"}),       # a sign is a word of its own
    (r"to\s+place", None),                   # no word-start check: it can begin inside "potato"
    (r"\bcur", None),                        # the text's word may go on ("cure")
    (r"\b[a-z]+ing\b", None),               # a class of letters
    (r"\b\w*toxicity", None),
    (r"\s+x", None),
])
def test_first_words_of_a_pattern(pattern, words):
    from healthlint.matching.anchors import first_words
    assert first_words(pattern) == (frozenset(words) if words is not None else None)


def _builtin_lists():
    """(phrases, patterns) of every list in the built-in rules and word lists: mappings with
    phrases or patterns, and lists under a key that ends in "patterns"."""
    out = []

    def walk(value, key=""):
        if isinstance(value, dict):
            if any(isinstance(value.get(k), list) for k in ("phrases", "patterns")):
                out.append((value.get("phrases") or [], value.get("patterns") or []))
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            if key.endswith("patterns") and value and all(isinstance(v, str) for v in value):
                out.append(([], value))
            for v in value:
                walk(v)

    for path in sorted((ROOT / "rules").rglob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def test_builtin_lists_find_what_plain_regexes_find():
    """The same promise on the real lists and the example articles."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md"))]
    texts.append("İ see: 100% SAFE. FDA-approved! Studies show 3 in 10 people, Dr. Smith said; buy now.")
    checked = 0
    for phrases, patterns in _builtin_lists():
        try:
            reference_spans(phrases, patterns, "")
        except re.error:
            continue  # a template such as {body}, filled in by its rule
        matcher = Matcher(phrases, patterns)
        for text in texts:
            assert [m.span() for m in matcher.finditer(text)] == reference_spans(phrases, patterns, text), \
                (phrases[:3], patterns[:2])
        checked += 1
    assert checked > 20


# --- the promise, by example ---

def test_matcher_reports_the_original_text_and_offsets():
    matcher = Matcher(["miracle cure"], [r"\bFDA[\s-]approved"])
    text = "A Miracle  Cure, FDA-Approved!"
    assert [(m.group(0), m.span()) for m in matcher.finditer(text)] == [
        ("Miracle  Cure", (2, 15)), ("FDA-Approved", (17, 29))]
    assert matcher.search(text, 5).group() == "FDA-Approved"
    assert matcher.match(text, 2).end() == 15 and matcher.match(text, 3) is None
    # İ lowercases to two characters: the text is matched as written, offsets stay right
    assert [m.span() for m in matcher.finditer("İ miracle cure")] == [(2, 14)]


def test_longest_phrase_wins_then_the_first_pattern():
    matcher = Matcher(["cure", "cure all", "don’t"], [r"\bcure\w*", r"\bcures"])
    text = "A cure-all cures; don't cure."
    assert [m.group(0) for m in matcher.finditer(text)] == ["cure-all", "cures", "don't", "cure"]


def test_optional_items_are_optional_for_the_first_character_check():
    # {,n} allows none (the check once required an x); \d is any decimal digit, not only 0-9
    assert [m.group(0) for m in Matcher(patterns=[r"\bx{,3}y", r"\bzz"]).finditer("a y here, xy there, zz")] \
        == ["y", "xy", "zz"]
    assert [m.group(0) for m in Matcher(patterns=[r"\b\d+%", r"\bzz"]).finditer("٣٠% or 30%")] == ["٣٠%", "30%"]


@pytest.mark.parametrize("phrase, text, found", [
    ("high blood pressure", "High blood-pressure", True), ("a - b", "a-b", True), ("don't", "don’t", True),
    ("don’t", "don't", True), ("detox", "re-detox", False), ("detox", "detoxes", False), ("#1", "no#1", True)])
def test_phrase_pattern(phrase, text, found):
    assert bool(re.search(phrase_pattern(phrase), text, re.I)) is found


def test_a_slow_limited_pattern_is_stopped(monkeypatch):
    monkeypatch.setattr("healthlint.matching.matcher.PATTERN_TIMEOUT", 0.05)
    matcher = Matcher(patterns=["(a|aa)+$"], limited=True)
    with pytest.raises(PatternTimeout, match="stopped after 0.05 s"):
        list(matcher.finditer("a" * 60 + "!"))


# --- how Matcher compiles: word-start checks shared, letters matched on lowercased text ---

@pytest.mark.parametrize("pattern, alternatives", [
    (r"a|b", 2), (r"(a)|(b)", 2), (r"(?:a|b)c", 1), (r"[|]x", 1), (r"\|x", 1),
    (r"[]|]", 1), (r"[^]|]a", 1), (r"\b(?:x|y)z", 1)])
def test_top_level_alternatives_are_found(pattern, alternatives):
    assert len(top_level(pattern)) == alternatives


def test_alternation_shares_a_word_start_check_and_keeps_meaning():
    patterns = [r"\bcure", r"\bheal(?:s|ed)?", r"\bfix|mend", r"(?<![\w-])detox", r"#1"]
    joined = alternation(patterns)
    assert joined.count(r"\b") == 2   # "\bfix|mend" keeps its own: the check covers only "fix"
    text = "It cures; it heals. Amend #1: unfix, mend, detox, re-detox."
    one_by_one = sorted(m.span() for p in patterns for m in re.finditer(p, text, re.I))
    assert [m.span() for m in re.finditer(joined, text, re.I)] == one_by_one


@pytest.mark.parametrize("pattern, first", [
    ("abc", {"a"}), ("(?:fda|ema)x", {"f", "e"}), (r"\d+%", {r"\d"}),
    (r"(?:(?:clinical\s+)?trials|data)", {"c", "t", "d"}), ("x{0,2}y", {"x", "y"}), ("x{,2}y", {"x", "y"}),
    ("x*?y", {"x", "y"}), ("(?P<n>ab|cd)", {"a", "c"}), ("['’]s", {"'", "’"}), (r"\(x", {r"\("}),
    (r"[\d.]x", {r"\d", r"\."}), ("[]a-]", {r"\]", "a", r"\-"}), ("(?=[ab])(?:x)", {"a", "b"}),
    ("a?", None), ("[a-z]x", None), ("[^a]", None), (r"\bx", None), ("x|", None), (r"\wx", None), ("(?=a)a", None)])
def test_first_characters_of_a_pattern(pattern, first):
    assert first_chars(pattern) == first


@pytest.mark.parametrize("pattern, lowered", [
    (r"\bFDA\W+Approved", r"\bfda\W+approved"),
    (r"(?P<Cue>X)(?P=Cue)\S", r"(?P<Cue>x)(?P=Cue)\S"),
    (r"[A-Z]\N{EM DASH}", r"[a-z]\N{EM DASH}"),
    (r"(?-i:FDA)", None)])
def test_lowercase_pattern_keeps_escapes_and_group_names(pattern, lowered):
    assert lowercase_pattern(pattern) == lowered
