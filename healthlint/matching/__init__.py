"""Finding phrases and regex patterns in prose: the small library the rules are built on.

    Matcher(phrases, patterns, limited=False)   finditer / search / match, case-insensitive;
                                                what it finds is documented on the class
    phrase_pattern(phrase)      one literal phrase as a regex (whole words, flexible spaces)
    trie_pattern(phrases)       many phrases as one regex, without the word-start check
    alternation(patterns)       patterns as one regex, neighbours sharing a word-start check
    named_group(name, pattern)  (?P<name>pattern), its word-start check outside
    compile_pattern(pattern, limited)   re, or the regex module under PATTERN_TIMEOUT,
                                        which raises PatternTimeout when it runs out
    pattern_budget(seconds)     a context in which all limited searches share one time budget
    anchors.first_words(pattern)    the words every match begins with, for searching long texts

Nothing here depends on the rest of healthlint.
"""
from healthlint.matching.matcher import PATTERN_TIMEOUT, Matcher, PatternTimeout, compile_pattern, pattern_budget
from healthlint.matching.patterns import alternation, named_group
from healthlint.matching.phrases import phrase_pattern, trie_pattern

__all__ = ["Matcher", "PATTERN_TIMEOUT", "PatternTimeout", "alternation", "compile_pattern", "named_group",
           "pattern_budget", "phrase_pattern", "trie_pattern"]
