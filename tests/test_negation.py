"""Negation reads only the words it needs: the same answers as reading the whole clause."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.analysis.text import WORD_RE, _english, is_negated


def negated_reading_the_whole_sentence(prose, sentence_start, at):
    """The plain reading: every word of the sentence before `at`, cut at the last clause mark."""
    lex = _english()
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(prose[sentence_start:at])]
    tail = re.split(r"[,;:—–()]|\s-\s", prose[sentence_start:at])[-1]
    clause = len(WORD_RE.findall(tail))
    words = words[len(words) - clause:] if clause else []
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lex["boundaries"]:
            words = words[i + 1:]
            break
    window = words[-lex["window"]:]
    for i, word in enumerate(window):
        rest = window[i:]
        if any(rest[:len(p)] == p for p in lex["pseudo"].get(word, ())):
            continue
        if any(rest[:len(cue)] == cue for cue in lex["negation_cues"].get(word, ())):
            return True
    return False


WORDS = st.sampled_from(["no", "not", "never", "without", "cure", "miracle", "but", "is", "a", "it", "there",
                         "can't", "rule", "out", "no doubt", "denies", "x" * 70, "-", " - ", ",", ";", "(", "—",
                         "long-word-here", "it's", "cannot", "free"])


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=60), st.integers(min_value=0, max_value=40))
def test_negation_from_the_last_words_equals_negation_from_the_whole_clause(words, lead):
    prose = "Lead words here. " * (lead % 3) + " ".join(words) + " miracle"
    sentence_start = prose.rfind(". ") + 2 if ". " in prose else 0
    at = len(prose) - len("miracle")
    assert is_negated(prose, sentence_start, at) == negated_reading_the_whole_sentence(prose, sentence_start, at)


def test_a_negation_far_back_in_a_very_long_clause_does_not_count():
    prose = "There is no " + "very " * 5000 + "miracle"
    assert not is_negated(prose, 0, len(prose) - len("miracle"))
    assert is_negated("There is no miracle", 0, len("There is no "))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", " ", "healthlint-disable", "healthlint-", "x", "--", ">", "\n",
                                 "<!-- healthlint-enable HL101 -->", "-"]), max_size=30).map("".join))
def test_directives_are_found_as_the_plain_regex_finds_them(text):
    from healthlint.document import DIRECTIVE_RE, find_directives
    assert list(find_directives(text)) == [m.span() for m in DIRECTIVE_RE.finditer(text)]
